/* image_decode.c - axle_image_decode: the codec dispatch and the choice of
 * the reduced scale (shrink-on-load).
 *
 * Decoding at a reduced scale is where thumbnails get their speed: a 4K
 * JPEG decoded at 1/4 skips most of the IDCT, upsampling and colour work.
 * The scale is the smallest one whose result still covers the wanted size
 * times a margin (image_internal.h says how the margins were chosen). */
#include <math.h>
#include <string.h>

#include <turbojpeg.h>

#include "image_internal.h"

/* Smallest whole number of pixels >= want * margin, at most `full`. */
static uint32_t
need(uint32_t want, uint32_t full, double margin)
{
    if (want == 0)
        return 0;
    double n = ceil((double)want * margin - 1e-9);
    return n >= full ? full : (uint32_t)n;
}

void
img_jpeg_pick_scale(uint32_t w, uint32_t h, uint32_t want_w, uint32_t want_h,
                    double margin, int *num, int *denom)
{
    *num = *denom = 1;
    if (want_w == 0 && want_h == 0)
        return;
    uint32_t nw = need(want_w, w, margin), nh = need(want_h, h, margin);
    int n = 0;
    tjscalingfactor *sf = tjGetScalingFactors(&n);
    uint64_t best_area = (uint64_t)w * h;
    for (int i = 0; sf && i < n; i++) {
        /* Never upscale while decoding; only the power-of-two scales, whose
         * reduced IDCTs are SIMD-accelerated (see image_internal.h). */
        int d = sf[i].denom;
        if (sf[i].num != 1 || (d != 1 && d != 2 && d != 4 && d != 8))
            continue;
        uint32_t sw = (uint32_t)TJSCALED((int)w, sf[i]);
        uint32_t sh = (uint32_t)TJSCALED((int)h, sf[i]);
        uint64_t area = (uint64_t)sw * sh;
        if (sw >= nw && sh >= nh && area < best_area) {
            best_area = area;
            *num = sf[i].num;
            *denom = sf[i].denom;
        }
    }
}

void
img_webp_pick_size(uint32_t w, uint32_t h, uint32_t want_w, uint32_t want_h,
                   double margin, uint32_t *sw, uint32_t *sh)
{
    *sw = w;
    *sh = h;
    if (want_w == 0 && want_h == 0)
        return;
    /* One factor for both directions keeps the aspect ratio. */
    double f = 0;
    if (want_w)
        f = fmax(f, (double)need(want_w, w, margin) / w);
    if (want_h)
        f = fmax(f, (double)need(want_h, h, margin) / h);
    if (f >= 1.0)
        return;
    *sw = (uint32_t)fmax(1.0, ceil(w * f - 1e-9));
    *sh = (uint32_t)fmax(1.0, ceil(h * f - 1e-9));
}

static int
decode_raw(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    int rc = img_check_pixels(img->width, img->height, req->max_pixels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    size_t row = (size_t)img->width * img->channels;
    if (img->channels < 1 || img->channels > 4 || img->height == 0 ||
        row == 0 || img->size / img->height < row)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "raw image %ux%u with %u channels does not match its %zu bytes",
                        img->width, img->height, img->channels, img->size);
    rc = img_alloc(req, out, img->width, img->height, img->channels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    for (uint32_t y = 0; y < img->height; y++)
        memcpy(out->data + y * out->stride, (const uint8_t *)img->data + y * row, row);
    return AXLE_OK;
}

int
img_decode(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return img_fail(err, errlen, AXLE_EINVAL, "no pixel buffer to fill");
    memset(out, 0, sizeof *out);
    if (!img || !img->data || img->size == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "empty image");
    if (req->flags & ~(AXLE_DECODE_PARTIAL | AXLE_DECODE_FAST))
        return img_fail(err, errlen, AXLE_EINVAL, "unknown decode flags 0x%x", req->flags);
    if (img->codec == AXLE_CODEC_RAW)
        return decode_raw(img, req, out, err, errlen);
    const struct img_codec *codec = img_codec_find(img->codec);
    if (codec && codec->decode)
        return codec->decode(img, req, out, err, errlen);
    if (img->codec > AXLE_CODEC_NONE && img->codec <= AXLE_CODEC_LAST)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "%s images cannot be decoded: axle was built without their library",
                        axle_codec_name(img->codec));
    return img_fail(err, errlen, AXLE_EUNSUPPORTED, "image of unknown codec %d",
                    (int)img->codec);
}

int
axle_image_decode_ex(const axle_image *img, uint32_t want_w, uint32_t want_h,
                     uint64_t max_pixels, unsigned flags, axle_pixels *out, char *err,
                     size_t errlen)
{
    struct img_decode_req req = {want_w, want_h, max_pixels, flags, NULL, NULL};
    return img_decode(img, &req, out, err, errlen);
}

int
axle_image_decode(const axle_image *img, uint32_t want_w, uint32_t want_h,
                  uint64_t max_pixels, axle_pixels *out, char *err, size_t errlen)
{
    return axle_image_decode_ex(img, want_w, want_h, max_pixels, 0, out, err, errlen);
}
