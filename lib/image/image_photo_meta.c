/* image_photo_meta.c - where each container keeps its EXIF, and the
 * photo's facts from it (image_exif_meta.c) plus its colour profile's name.
 *
 *   JPEG: the first APP1 segment starting "Exif\0\0", before the scan;
 *   PNG:  the eXIf chunk before the image data;
 *   WebP: the EXIF chunk (bare TIFF, or with the JPEG "Exif\0\0" prefix
 *         some writers keep);
 *   TIFF: the file is the EXIF structure itself;
 *   HEIF, AVIF: the primary image's "Exif" item (image_heif_exif.c),
 *         which may lie in mdat, past the headers.
 *
 * Only headers are read.  In TIFF and HEIF files the EXIF can lie past the
 * prefix a probe read (heif-enc writes the Exif item after the image
 * data): then only its bytes are read, through the caller's reader, so
 * that import stays at header speed. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define M_APP1 0xE1

static void
from_jpeg(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 0;
    struct img_segment seg;
    if (!img_is_jpeg(p, len))
        return;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1)
        if (seg.marker == M_APP1 && seg.paylen >= 6 && memcmp(seg.payload, "Exif\0\0", 6) == 0) {
            img_exif_meta(seg.payload + 6, seg.paylen - 6, NULL, m);
            return; /* offsets count from the segment: nothing past it */
        }
}

static void
from_webp(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 0;
    struct img_chunk ch;
    if (!img_is_webp(p, len))
        return;
    while (img_webp_next_chunk(p, len, &pos, &ch) == 1)
        if (memcmp(ch.fourcc, "EXIF", 4) == 0) {
            bool app1 = ch.paylen >= 6 && memcmp(ch.payload, "Exif\0\0", 6) == 0;
            img_exif_meta(ch.payload + (app1 ? 6 : 0), ch.paylen - (app1 ? 6 : 0), NULL, m);
            return;
        }
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The chunks from IHDR to the first IDAT (what the probe read). */
static void
from_png(const uint8_t *p, size_t len, axle_photo_meta *m)
{
    size_t pos = 8;
    while (pos <= len && len - pos >= 8) {
        size_t n = be32(p + pos);
        const uint8_t *type = p + pos + 4;
        if (memcmp(type, "IDAT", 4) == 0 || n > len - pos - 8)
            return;
        if (memcmp(type, "eXIf", 4) == 0) {
            img_exif_meta(p + pos + 8, n, NULL, m);
            return;
        }
        pos += 12 + n;
    }
}

static void
from_tiff(const uint8_t *p, size_t len, const struct img_reader *more, axle_photo_meta *m)
{
    img_exif_meta(p, len, more, m);
}

static void
from_heif(const uint8_t *p, size_t len, const struct img_reader *more, uint64_t total,
          axle_photo_meta *m)
{
    uint8_t *exif = NULL;
    size_t exif_len = 0;
    img_heif_exif(p, len, more, total, &exif, &exif_len);
    if (exif)
        img_exif_meta(exif, exif_len, NULL, m);
    free(exif);
}

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
axle_image_photo_meta(const axle_image *img, uint64_t file_size, axle_read_at_fn *read_at,
                      void *ctx, axle_photo_meta *out)
{
    if (!img || !out)
        return AXLE_EINVAL;
    img_photo_meta_clear(out);
    if (!img->data)
        return AXLE_OK; /* raw pixels carry no metadata */
    const uint8_t *p = img->data;
    size_t len = img->size;
    uint64_t total = file_size > len ? file_size : len;
    struct img_reader rest = {read_at, ctx, total};
    const struct img_reader *more = read_at && total > len ? &rest : NULL;
    switch (img->codec) {
    case AXLE_CODEC_JPEG: from_jpeg(p, len, out); break;
    case AXLE_CODEC_WEBP: from_webp(p, len, out); break;
    case AXLE_CODEC_PNG: from_png(p, len, out); break;
    case AXLE_CODEC_TIFF: from_tiff(p, len, more, out); break;
    case AXLE_CODEC_HEIF: case AXLE_CODEC_AVIF: from_heif(p, len, more, total, out); break;
    default: break;
    }
    profile_name(img, out);
    return AXLE_OK;
}
