/* image_photo_meta.c - where each container keeps its EXIF, and the
 * photo's facts from it (image_exif_meta.c) plus its colour profile's name.
 *
 *   JPEG: the first APP1 segment starting "Exif\0\0", before the scan;
 *   PNG:  the eXIf chunk before the image data;
 *   WebP: the EXIF chunk (bare TIFF, or with the JPEG "Exif\0\0" prefix
 *         some writers keep);
 *   TIFF: the file is the EXIF structure itself;
 *   HEIF, AVIF: the primary image's "Exif" item, through libheif
 *         (image_heif.c), which may lie in mdat, past the headers.
 *
 * Only headers are read.  In TIFF and HEIF files a value can lie past the
 * prefix a probe read; the caller is then asked for more (AXLE_EMORE), at
 * most IMG_META_READ_MAX bytes further, so that a photo whose EXIF sits
 * behind 100 MB of pixels keeps import at header speed and gets nulls. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define M_APP1 0xE1

/* How far past the bytes given the metadata may ask to read. */
#define IMG_META_READ_MAX (16u * 1024 * 1024)

static size_t
from_jpeg(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 0;
    struct img_segment seg;
    if (!img_is_jpeg(p, len))
        return 0;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1)
        if (seg.marker == M_APP1 && seg.paylen >= 6 && memcmp(seg.payload, "Exif\0\0", 6) == 0) {
            img_exif_meta(seg.payload + 6, seg.paylen - 6, m);
            return 0; /* all of it is in the segment: nothing to read on for */
        }
    return 0;
}

static size_t
from_webp(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 0;
    struct img_chunk ch;
    if (!img_is_webp(p, len))
        return 0;
    while (img_webp_next_chunk(p, len, &pos, &ch) == 1)
        if (memcmp(ch.fourcc, "EXIF", 4) == 0) {
            bool app1 = ch.paylen >= 6 && memcmp(ch.payload, "Exif\0\0", 6) == 0;
            img_exif_meta(ch.payload + (app1 ? 6 : 0), ch.paylen - (app1 ? 6 : 0), m);
            return 0;
        }
    return 0;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The chunks from IHDR to the first IDAT (what the probe read). */
static size_t
from_png(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 8;
    while (pos <= len && len - pos >= 8) {
        size_t n = be32(p + pos);
        const uint8_t *type = p + pos + 4;
        if (memcmp(type, "IDAT", 4) == 0 || n > len - pos - 8)
            return 0;
        if (memcmp(type, "eXIf", 4) == 0) {
            img_exif_meta(p + pos + 8, n, m);
            return 0;
        }
        pos += 12 + n;
    }
    return 0;
}

static size_t
from_tiff(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    return img_exif_meta(p, len, m);
}

#ifdef AXLE_HAVE_HEIF
static size_t
from_heif(const uint8_t *p, size_t len, uint64_t total, axle_photo_meta *m)
{
    uint8_t *exif = NULL;
    size_t exif_len = 0, want = img_heif_exif(p, len, total, &exif, &exif_len);
    if (exif)
        img_exif_meta(exif, exif_len, m);
    free(exif);
    return want;
}
#endif

/* The profile's description, when the image carries a profile that has
 * one (axle_image_colour reads it, once per profile and thread). */
static void
profile_name(const axle_image *img, axle_photo_meta *m)
{
    axle_colour c;
    if (axle_image_colour(img, &c) == AXLE_OK)
        memcpy(m->profile, c.profile, sizeof m->profile);
    m->profile[sizeof m->profile - 1] = '\0';
}

int
axle_image_photo_meta(const axle_image *img, uint64_t file_size, size_t *need,
                      axle_photo_meta *out)
{
    if (need)
        *need = 0;
    if (!img || !out)
        return AXLE_EINVAL;
    img_photo_meta_clear(out);
    if (!img->data)
        return AXLE_OK; /* raw pixels carry no metadata */
    const uint8_t *p = img->data;
    size_t len = img->size, want = 0;
    uint64_t total = file_size > len ? file_size : len;
    switch (img->codec) {
    case AXLE_CODEC_JPEG: want = from_jpeg(p, len, out); break;
    case AXLE_CODEC_WEBP: want = from_webp(p, len, out); break;
    case AXLE_CODEC_PNG: want = from_png(p, len, out); break;
    case AXLE_CODEC_TIFF: want = from_tiff(p, len, out); break;
#ifdef AXLE_HAVE_HEIF
    case AXLE_CODEC_HEIF: case AXLE_CODEC_AVIF: want = from_heif(p, len, total, out); break;
#endif
    default: break;
    }
    profile_name(img, out);
    if (need && want > len && want <= total && want - len <= IMG_META_READ_MAX) {
        *need = want;
        return AXLE_EMORE;
    }
    return AXLE_OK;
}
