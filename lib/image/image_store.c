/* image_store.c - encoding a computed image (a thumbnail) for a dataset:
 * a fraction of its raw size, at least AXLE_STORE_MIN_PSNR dB from it.
 *
 * Measured on 640x338 thumbnails of 4K photos (bench/thumb_store.c,
 * BENCHMARKS.md "Storing thumbnails"): lossless WebP keeps 0.55-0.6 of
 * the raw bytes and costs 7-90 ms; lossy WebP is 4:2:0 only and stays
 * under 35 dB on detailed colour; JPEG 4:4:4 passes 45 dB from quality
 * 97-99 depending on the photo, at 0.3-0.45 of raw, and progressive
 * coding (the same coefficients, so the same pixels) takes 10% off that.
 * So: the lowest JPEG quality from 95 up whose decode is within 45 dB,
 * found with quick baseline trials, then written once progressive;
 * lossless WebP where no JPEG quality reaches it, and for alpha. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>
#include <webp/encode.h>

#include "image_internal.h"

#define STORE_Q_FIRST 98
#define STORE_Q_LOWEST 95

double
axle_pixels_psnr(const axle_pixels *a, const axle_pixels *b)
{
    if (!a || !b || !a->data || !b->data || a->width != b->width ||
        a->height != b->height || a->channels != b->channels)
        return -1;
    uint64_t se = 0;
    size_t row = (size_t)a->width * a->channels;
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *p = a->data + (size_t)y * a->stride;
        const uint8_t *q = b->data + (size_t)y * b->stride;
        for (size_t x = 0; x < row; x++) {
            int d = (int)p[x] - (int)q[x];
            se += (uint64_t)(d * d);
        }
    }
    if (se == 0)
        return INFINITY;
    double mse = (double)se / ((double)row * a->height);
    return 10 * log10(255.0 * 255.0 / mse);
}

int
axle_image_encode_lossless(const axle_pixels *px, void **out, size_t *outlen, char *err,
                           size_t errlen)
{
    if (!px || !px->data || !out || !outlen || (px->channels != 3 && px->channels != 4))
        return img_fail(err, errlen, AXLE_EINVAL, "lossless WebP takes RGB or RGBA pixels");
    if (px->width > 16383 || px->height > 16383)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "WebP cannot hold %ux%u pixels (16383 at most per side)",
                        px->width, px->height);
    WebPConfig cfg;
    WebPPicture pic;
    WebPMemoryWriter wr;
    if (!WebPConfigInit(&cfg) || !WebPPictureInit(&pic) ||
        !WebPConfigLosslessPreset(&cfg, 0)) /* effort 0: 5% larger, 3x faster than 1 */
        return img_fail(err, errlen, AXLE_EINTERNAL, "libwebp version mismatch");
    cfg.exact = 1; /* keep colour under transparent pixels: lossless means all */
    pic.use_argb = 1;
    pic.width = (int)px->width;
    pic.height = (int)px->height;
    WebPMemoryWriterInit(&wr);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &wr;
    int ok = px->channels == 4
        ? WebPPictureImportRGBA(&pic, px->data, (int)px->stride)
        : WebPPictureImportRGB(&pic, px->data, (int)px->stride);
    ok = ok && WebPEncode(&cfg, &pic);
    WebPPictureFree(&pic);
    if (!ok) {
        WebPMemoryWriterClear(&wr);
        return img_fail(err, errlen, AXLE_EINTERNAL, "lossless WebP encoding failed (%ux%u)",
                        px->width, px->height);
    }
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    *out = malloc(wr.size);
    if (*out)
        memcpy(*out, wr.mem, wr.size);
    *outlen = wr.size;
    WebPMemoryWriterClear(&wr);
    return *out ? AXLE_OK : img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
}

/* The PSNR of JPEG quality q (baseline: the same pixels as progressive),
 * or < 0 with err set. */
static double
trial_psnr(const axle_pixels *px, int q, char *err, size_t errlen)
{
    void *enc = NULL;
    size_t len = 0;
    axle_image img;
    axle_pixels back = {0};
    double p = -1;
    if (axle_image_encode(px, AXLE_CODEC_JPEG, q, &enc, &len, err, errlen) == AXLE_OK &&
        axle_image_probe(enc, len, &img, err, errlen) == AXLE_OK &&
        axle_image_decode(&img, 0, 0, 0, &back, err, errlen) == AXLE_OK)
        p = axle_pixels_psnr(px, &back);
    axle_pixels_free(&back);
    free(enc);
    return p;
}

/* The lowest quality from STORE_Q_LOWEST that reaches the bar, 0 when
 * none up to 100 does, < 0 on an error. */
static int
pick_quality(const axle_pixels *px, char *err, size_t errlen)
{
    int q = STORE_Q_FIRST;
    double p = trial_psnr(px, q, err, errlen);
    if (p < 0)
        return AXLE_EINTERNAL;
    if (p >= AXLE_STORE_MIN_PSNR) {
        while (q > STORE_Q_LOWEST) {
            p = trial_psnr(px, q - 1, err, errlen);
            if (p < AXLE_STORE_MIN_PSNR)
                return p < 0 ? AXLE_EINTERNAL : q;
            q--;
        }
        return q;
    }
    while (++q <= 100) {
        p = trial_psnr(px, q, err, errlen);
        if (p < 0)
            return AXLE_EINTERNAL;
        if (p >= AXLE_STORE_MIN_PSNR)
            return q;
    }
    return 0;
}

static _Thread_local tjhandle tls_store_compressor;

/* Progressive JPEG 4:4:4 (grey: one channel) at quality q. */
static int
encode_progressive(const axle_pixels *px, int q, void **out, size_t *outlen, char *err,
                   size_t errlen)
{
    int grey = px->channels == 1;
    int samp = grey ? TJSAMP_GRAY : TJSAMP_444;
    unsigned long cap = tjBufSize((int)px->width, (int)px->height, samp);
    unsigned char *buf = cap != (unsigned long)-1 ? malloc(cap) : NULL;
    if (!tls_store_compressor)
        tls_store_compressor = tjInitCompress();
    if (!buf || !tls_store_compressor) {
        free(buf);
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for the JPEG encoder");
    }
    unsigned long len = cap;
    if (tjCompress2(tls_store_compressor, px->data, (int)px->width, (int)px->stride,
                    (int)px->height, grey ? TJPF_GRAY : TJPF_RGB, &buf, &len, samp, q,
                    TJFLAG_NOREALLOC | TJFLAG_PROGRESSIVE) != 0) {
        free(buf);
        return img_fail(err, errlen, AXLE_EINTERNAL, "JPEG encoding failed: %s",
                        tjGetErrorStr2(tls_store_compressor));
    }
    *out = buf;
    *outlen = len;
    return AXLE_OK;
}

/* The pixels as they are, rows packed (grey with alpha: no codec here
 * keeps both exactly in two channels). */
static int
store_raw(const axle_pixels *px, void **out, size_t *outlen, char *err, size_t errlen)
{
    size_t row = (size_t)px->width * px->channels;
    uint8_t *buf = malloc(row * px->height);
    if (!buf)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    for (uint32_t y = 0; y < px->height; y++)
        memcpy(buf + y * row, px->data + (size_t)y * px->stride, row);
    *out = buf;
    *outlen = row * px->height;
    return AXLE_OK;
}

int
axle_image_encode_stored(const axle_pixels *px, axle_image *img, int *quality, void **out,
                         char *err, size_t errlen)
{
    if (!px || !px->data || !img || !quality || !out || px->width == 0 ||
        px->height == 0 || px->channels < 1 || px->channels > 4 ||
        px->stride < (size_t)px->width * px->channels)
        return img_fail(err, errlen, AXLE_EINVAL, "invalid pixel buffer");
    memset(img, 0, sizeof *img);
    *out = NULL;
    *quality = 0;
    img->width = px->width;
    img->height = px->height;
    img->channels = (uint8_t)px->channels;
    img->orientation = 1;
    size_t len = 0;
    int rc, q = 0;
    bool small = px->width <= 16383 && px->height <= 16383; /* WebP's limit */
    if (px->channels == 1 || px->channels == 3) {
        q = px->width <= 65500 && px->height <= 65500 ? pick_quality(px, err, errlen) : 0;
        if (q < 0)
            return q;
    }
    if (q > 0) {
        img->codec = AXLE_CODEC_JPEG;
        *quality = q;
        rc = encode_progressive(px, q, out, &len, err, errlen);
    } else if ((px->channels == 3 || px->channels == 4) && small) {
        img->codec = AXLE_CODEC_WEBP;
        *quality = AXLE_QUALITY_LOSSLESS;
        rc = axle_image_encode_lossless(px, out, &len, err, errlen);
    } else {
        img->codec = AXLE_CODEC_RAW;
        rc = store_raw(px, out, &len, err, errlen);
    }
    img->data = *out;
    img->size = len;
    return rc;
}
