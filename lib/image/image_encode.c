/* image_encode.c - pixels to JPEG (TurboJPEG) or WebP (libwebp).
 *
 * JPEG has no alpha, so alpha is flattened on white (what a viewer shows
 * for a transparent area on a page).  Greyscale stays one channel in JPEG.
 * Chroma: 4:2:0 below quality 90 and 4:4:4 from 90 up, the same rule as
 * libvips: whoever asks for 90+ wants colour edges kept, and halving the
 * chroma would cap the quality they asked for. */
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>
#include <webp/encode.h>

#include "image_internal.h"

static _Thread_local tjhandle tls_compressor;

/* dst = src composited over white, row by row; drops the alpha channel. */
static void
flatten(const axle_pixels *px, uint8_t *dst)
{
    uint32_t c = px->channels, colour = c - 1;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint8_t *s = px->data + (size_t)y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, s += c) {
            uint32_t a = s[colour];
            for (uint32_t k = 0; k < colour; k++)
                *dst++ = (uint8_t)((s[k] * a + 255 * (255 - a) + 127) / 255);
        }
    }
}

/* A copy without alpha, or NULL (no copy needed / out of memory in *rc). */
static uint8_t *
opaque_copy(const axle_pixels *px, int *rc)
{
    *rc = AXLE_OK;
    if (px->channels != 2 && px->channels != 4)
        return NULL;
    uint8_t *buf = malloc((size_t)px->width * px->height * (px->channels - 1));
    if (!buf)
        *rc = AXLE_ENOMEM;
    else
        flatten(px, buf);
    return buf;
}

int
img_encode_jpeg(const axle_pixels *px, int quality, void **out, size_t *outlen,
            char *err, size_t errlen)
{
    int rc;
    uint8_t *flat = opaque_copy(px, &rc);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory");
    int grey = px->channels <= 2;
    const uint8_t *src = flat ? flat : px->data;
    int pitch = flat ? (int)(px->width * (grey ? 1 : 3)) : (int)px->stride;
    int samp = grey ? TJSAMP_GRAY : quality >= 90 ? TJSAMP_444 : TJSAMP_420;
    unsigned long cap = tjBufSize((int)px->width, (int)px->height, samp);
    unsigned char *buf = cap != (unsigned long)-1 ? malloc(cap) : NULL;
    if (!tls_compressor)
        tls_compressor = tjInitCompress();
    if (!buf || !tls_compressor) {
        free(flat);
        free(buf);
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for the JPEG encoder");
    }
    unsigned long len = cap;
    /* NOREALLOC: the buffer is ours (malloc), sized for the worst case. */
    if (tjCompress2(tls_compressor, src, (int)px->width, pitch, (int)px->height,
                    grey ? TJPF_GRAY : TJPF_RGB, &buf, &len, samp, quality,
                    TJFLAG_NOREALLOC) != 0) {
        free(flat);
        free(buf);
        return img_fail(err, errlen, AXLE_EINTERNAL, "JPEG encoding failed: %s",
                        tjGetErrorStr2(tls_compressor));
    }
    free(flat);
    *out = buf;
    *outlen = len;
    return AXLE_OK;
}

/* libwebp has no grey input: expand to RGB(A). */
static uint8_t *
grey_to_rgb(const axle_pixels *px, int *channels)
{
    int alpha = px->channels == 2;
    *channels = alpha ? 4 : 3;
    uint8_t *buf = malloc((size_t)px->width * px->height * (size_t)*channels);
    uint8_t *d = buf;
    for (uint32_t y = 0; buf && y < px->height; y++) {
        const uint8_t *s = px->data + (size_t)y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, s += px->channels) {
            *d++ = s[0];
            *d++ = s[0];
            *d++ = s[0];
            if (alpha)
                *d++ = s[1];
        }
    }
    return buf;
}

int
img_encode_webp(const axle_pixels *px, int quality, void **out, size_t *outlen,
            char *err, size_t errlen)
{
    uint8_t *rgb = NULL;
    const uint8_t *src = px->data;
    int channels = (int)px->channels, stride = (int)px->stride;
    if (px->channels <= 2) {
        rgb = grey_to_rgb(px, &channels);
        if (!rgb)
            return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
        src = rgb;
        stride = (int)px->width * channels;
    }
    uint8_t *enc = NULL;
    size_t n = channels == 4
        ? WebPEncodeRGBA(src, (int)px->width, (int)px->height, stride, (float)quality, &enc)
        : WebPEncodeRGB(src, (int)px->width, (int)px->height, stride, (float)quality, &enc);
    free(rgb);
    if (n == 0 || !enc)
        return img_fail(err, errlen, AXLE_EINTERNAL, "WebP encoding failed (%ux%u)",
                        px->width, px->height);
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    *out = malloc(n);
    if (*out)
        memcpy(*out, enc, n);
    WebPFree(enc);
    if (!*out)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    *outlen = n;
    return AXLE_OK;
}

int
axle_image_encode(const axle_pixels *px, axle_codec codec, int quality,
                  void **out, size_t *outlen, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out || !outlen)
        return img_fail(err, errlen, AXLE_EINVAL, "no output buffer");
    *out = NULL;
    *outlen = 0;
    if (!px || !px->data || px->width == 0 || px->height == 0 ||
        px->channels < 1 || px->channels > 4 ||
        px->stride < (size_t)px->width * px->channels)
        return img_fail(err, errlen, AXLE_EINVAL, "invalid pixel buffer");
    if (quality < 1 || quality > 100)
        return img_fail(err, errlen, AXLE_EINVAL, "quality %d is outside 1..100", quality);
    if (codec == AXLE_CODEC_WEBP && (px->width > 16383 || px->height > 16383))
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "WebP cannot hold %ux%u pixels (16383 at most per side)",
                        px->width, px->height);
    if (codec == AXLE_CODEC_JPEG && (px->width > 65500 || px->height > 65500))
        /* libjpeg's JPEG_MAX_DIMENSION, below the format's 65535 */
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "JPEG cannot hold %ux%u pixels (65500 at most per side)",
                        px->width, px->height);
    const struct img_codec *c = img_codec_find(codec);
    if (!c || !c->encode)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "cannot encode to %s",
                        axle_codec_name(codec));
    return c->encode(px, quality, out, outlen, err, errlen);
}
