/* image_icc.c - the ICC profile an encoded image carries.
 *
 * One reader per container, chosen from a table by codec, so a codec
 * added later (PNG's iCCP, TIFF's tag 34675, HEIF's colr box) is one
 * function and one row.  Each returns a malloc'd copy, since JPEG may
 * split a profile over several segments that must be joined anyway:
 *
 *   JPEG: APP2 segments whose payload is "ICC_PROFILE\0", a sequence
 *         number (1-based), the count of segments, then that part of the
 *         profile (ICC.1, annex B.4).  Parts are joined by sequence
 *         number, whatever their order in the file.
 *   WebP: the payload of the ICCP chunk (extended format).
 *   PNG:  the iCCP chunk, inflated by libpng (image_png.c).
 *   TIFF: tag 34675 of the first page, through libtiff (image_tiff.c).
 *   HEIF, AVIF: the primary image's "prof"/"rICC" colr box, through
 *         libheif (image_heif.c); without one, its nclx box, which
 *         img_colour_source hands on for image_nclx.c to make a profile.
 *   JPEG XL: the profile libjxl gives for the encoded colours
 *         (image_jxl.c).
 *
 * Only headers are read; nothing here interprets the profile itself
 * (image_colour.c does, with lcms2). */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define M_APP2 0xE2
#define ICC_JPEG_SIG "ICC_PROFILE"
#define ICC_JPEG_SIGLEN 12 /* with its NUL */
#define ICC_JPEG_HEAD (ICC_JPEG_SIGLEN + 2) /* signature, number, count */

static bool
is_icc_segment(const struct img_segment *seg)
{
    return seg->marker == M_APP2 && seg->paylen >= ICC_JPEG_HEAD &&
           memcmp(seg->payload, ICC_JPEG_SIG, ICC_JPEG_SIGLEN) == 0;
}

/* The parts found so far, by sequence number (1..count). */
struct icc_parts {
    const uint8_t *data[256];
    size_t len[256];
    int count; /* 0 until the first part */
};

static int
add_part(struct icc_parts *parts, const struct img_segment *seg, char *err, size_t errlen)
{
    int no = seg->payload[ICC_JPEG_SIGLEN], count = seg->payload[ICC_JPEG_SIGLEN + 1];
    if (count == 0 || no == 0 || no > count)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "ICC profile segment numbered %d of %d", no, count);
    if (parts->count && parts->count != count)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "ICC profile segments disagree on their count (%d, then %d)",
                        parts->count, count);
    if (parts->data[no])
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "ICC profile segment %d of %d appears twice", no, count);
    parts->count = count;
    parts->data[no] = seg->payload + ICC_JPEG_HEAD;
    parts->len[no] = seg->paylen - ICC_JPEG_HEAD;
    return AXLE_OK;
}

static int
join_parts(const struct icc_parts *parts, uint8_t **icc, size_t *len, char *err,
           size_t errlen)
{
    size_t total = 0;
    for (int i = 1; i <= parts->count; i++) {
        if (!parts->data[i])
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "ICC profile segment %d of %d is missing", i, parts->count);
        total += parts->len[i];
    }
    if (total == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "empty ICC profile");
    uint8_t *p = malloc(total);
    if (!p)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for a %zu-byte ICC profile",
                        total);
    size_t at = 0;
    for (int i = 1; i <= parts->count; i++) {
        memcpy(p + at, parts->data[i], parts->len[i]);
        at += parts->len[i];
    }
    *icc = p;
    *len = total;
    return AXLE_OK;
}

static int
jpeg_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err, size_t errlen)
{
    if (!img_is_jpeg(p, n))
        return img_fail(err, errlen, AXLE_EFORMAT, "not a JPEG stream");
    struct icc_parts *parts = calloc(1, sizeof *parts);
    if (!parts)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory reading an ICC profile");
    size_t pos = 0;
    struct img_segment seg;
    int rc = AXLE_OK;
    /* Headers that stop early (a damaged file the decoder will refuse)
     * end the walk: what was found is judged as it is. */
    while (rc == AXLE_OK && img_jpeg_next_segment(p, n, &pos, &seg) == 1)
        if (is_icc_segment(&seg))
            rc = add_part(parts, &seg, err, errlen);
    if (rc == AXLE_OK && parts->count)
        rc = join_parts(parts, icc, len, err, errlen);
    free(parts);
    return rc;
}

static int
webp_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err, size_t errlen)
{
    if (!img_is_webp(p, n))
        return img_fail(err, errlen, AXLE_EFORMAT, "not a WebP file");
    size_t pos = 0;
    struct img_chunk ch;
    while (img_webp_next_chunk(p, n, &pos, &ch) == 1) {
        if (memcmp(ch.fourcc, "ICCP", 4) != 0)
            continue;
        if (ch.paylen == 0)
            return img_fail(err, errlen, AXLE_EFORMAT, "empty ICC profile (ICCP chunk)");
        if (!(*icc = malloc(ch.paylen)))
            return img_fail(err, errlen, AXLE_ENOMEM,
                            "out of memory for a %zu-byte ICC profile", ch.paylen);
        memcpy(*icc, ch.payload, ch.paylen);
        *len = ch.paylen;
        return AXLE_OK;
    }
    return AXLE_OK;
}

typedef int (*icc_reader)(const uint8_t *p, size_t n, uint8_t **icc, size_t *len,
                          char *err, size_t errlen);

#ifdef AXLE_HAVE_HEIF
static int
heif_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err, size_t errlen)
{
    struct img_nclx nclx;
    return img_heif_colour(p, n, icc, len, &nclx, err, errlen);
}
#endif

static const struct {
    axle_codec codec;
    icc_reader read;
} readers[] = {
    {AXLE_CODEC_JPEG, jpeg_icc},
    {AXLE_CODEC_WEBP, webp_icc},
#ifdef AXLE_HAVE_PNG
    {AXLE_CODEC_PNG, img_png_icc},
#endif
#ifdef AXLE_HAVE_TIFF
    {AXLE_CODEC_TIFF, img_tiff_icc},
#endif
#ifdef AXLE_HAVE_HEIF
    {AXLE_CODEC_HEIF, heif_icc},
    {AXLE_CODEC_AVIF, heif_icc},
#endif
#ifdef AXLE_HAVE_JXL
    {AXLE_CODEC_JXL, img_jxl_icc},
#endif
};

int
img_icc_profile(const axle_image *img, uint8_t **icc, size_t *len, char *err,
                size_t errlen)
{
    *icc = NULL;
    *len = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!img->data)
        return AXLE_OK;
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        if (readers[i].codec == img->codec)
            return readers[i].read(img->data, img->size, icc, len, err, errlen);
    return AXLE_OK; /* raw pixels, and codecs that carry no profile */
}

int
img_colour_source(const axle_image *img, uint8_t **icc, size_t *len,
                  struct img_nclx *nclx, char *err, size_t errlen)
{
    memset(nclx, 0, sizeof *nclx);
#ifdef AXLE_HAVE_HEIF
    if (img->data && (img->codec == AXLE_CODEC_HEIF || img->codec == AXLE_CODEC_AVIF)) {
        *icc = NULL;
        *len = 0;
        return img_heif_colour(img->data, img->size, icc, len, nclx, err, errlen);
    }
#endif
    return img_icc_profile(img, icc, len, err, errlen);
}

int
axle_image_icc(const axle_image *img, void **icc, size_t *len, char *err, size_t errlen)
{
    if (!img || !icc || !len)
        return img_fail(err, errlen, AXLE_EINVAL, "axle_image_icc: NULL argument");
    uint8_t *p;
    int rc = img_icc_profile(img, &p, len, err, errlen);
    *icc = p;
    return rc;
}
