/* image_encode.c - pixels to JPEG (TurboJPEG) or WebP (libwebp), and the
 * dispatch of every encode through the codec table.
 *
 * JPEG has no alpha, so alpha is flattened on white (what a viewer shows
 * for a transparent area on a page).  Greyscale stays one channel in JPEG.
 * Chroma by default: 4:2:0 below quality 90 and 4:4:4 from 90 up, the
 * same rule as libvips: whoever asks for 90+ wants colour edges kept, and
 * halving the chroma would cap the quality they asked for; option
 * `subsampling` overrides it.  Metadata (EXIF, ICC, XMP) is embedded
 * after the pixels are coded (image_embed.c). */
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

/* TurboJPEG's subsampling for a request. */
static int
jpeg_sampling(const axle_pixels *px, const struct img_encode_req *req)
{
    if (px->channels <= 2)
        return TJSAMP_GRAY;
    if (req->subsampling == 420)
        return TJSAMP_420;
    if (req->subsampling == 444)
        return TJSAMP_444;
    return req->quality >= 90 ? TJSAMP_444 : TJSAMP_420;
}

int
img_encode_jpeg(const axle_pixels *px, const struct img_encode_req *req, void **out,
                size_t *outlen, char *err, size_t errlen)
{
    int rc;
    uint8_t *flat = opaque_copy(px, &rc);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory");
    int grey = px->channels <= 2;
    const uint8_t *src = flat ? flat : px->data;
    int pitch = flat ? (int)(px->width * (grey ? 1 : 3)) : (int)px->stride;
    int samp = jpeg_sampling(px, req);
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
    int flags = TJFLAG_NOREALLOC | (req->progressive ? TJFLAG_PROGRESSIVE : 0);
    if (tjCompress2(tls_compressor, src, (int)px->width, pitch, (int)px->height,
                    grey ? TJPF_GRAY : TJPF_RGB, &buf, &len, samp, req->quality,
                    flags) != 0) {
        free(flat);
        free(buf);
        return img_fail(err, errlen, AXLE_EINTERNAL, "JPEG encoding failed: %s",
                        tjGetErrorStr2(tls_compressor));
    }
    free(flat);
    size_t n = len;
    rc = img_embed_jpeg(&buf, &n, req, err, errlen);
    if (rc != AXLE_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outlen = n;
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
img_encode_webp(const axle_pixels *px, const struct img_encode_req *req, void **out,
                size_t *outlen, char *err, size_t errlen)
{
    float quality = (float)req->quality;
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
        ? WebPEncodeRGBA(src, (int)px->width, (int)px->height, stride, quality, &enc)
        : WebPEncodeRGB(src, (int)px->width, (int)px->height, stride, quality, &enc);
    free(rgb);
    if (n == 0 || !enc)
        return img_fail(err, errlen, AXLE_EINTERNAL, "WebP encoding failed (%ux%u)",
                        px->width, px->height);
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    uint8_t *buf = malloc(n);
    if (buf)
        memcpy(buf, enc, n);
    WebPFree(enc);
    if (!buf)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    int rc = img_embed_webp(&buf, &n, req, err, errlen);
    if (rc != AXLE_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outlen = n;
    return AXLE_OK;
}

/* What a codec's pixels cannot be: limits of the format. */
static int
check_size(const axle_pixels *px, axle_codec codec, char *err, size_t errlen)
{
    if (codec == AXLE_CODEC_WEBP && (px->width > 16383 || px->height > 16383))
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "WebP cannot hold %ux%u pixels (16383 at most per side)",
                        px->width, px->height);
    if (codec == AXLE_CODEC_JPEG && (px->width > 65500 || px->height > 65500))
        /* libjpeg's JPEG_MAX_DIMENSION, below the format's 65535 */
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "JPEG cannot hold %ux%u pixels (65500 at most per side)",
                        px->width, px->height);
    return AXLE_OK;
}

/* The options a codec has no use for, and profiles that do not fit. */
static int
check_options(const axle_pixels *px, axle_codec codec, const axle_encode_options *o,
              char *err, size_t errlen)
{
    const char *name = axle_codec_name(codec);
    if (o->progressive && codec != AXLE_CODEC_JPEG)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "progressive is a JPEG option; %s has no progressive mode", name);
    if (o->subsampling != 0 && o->subsampling != 420 && o->subsampling != 444)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "subsampling %d is not 420 or 444", o->subsampling);
    if (o->subsampling && codec != AXLE_CODEC_JPEG && codec != AXLE_CODEC_AVIF)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "subsampling is for JPEG and AVIF; %s", codec == AXLE_CODEC_WEBP
                            ? "lossy WebP is always 4:2:0"
                            : "PNG keeps every pixel");
    if (o->icc && !img_icc_fits(o->icc, o->icc_len, px->channels))
        return img_fail(err, errlen, AXLE_EINVAL,
                        "the ICC profile (%zu bytes) does not fit %s pixels", o->icc_len,
                        px->channels <= 2 ? "grey" : "RGB");
    if (o->exif && (o->exif_len < 8 || (memcmp(o->exif, "II*\0", 4) != 0 &&
                                         memcmp(o->exif, "MM\0*", 4) != 0)))
        return img_fail(err, errlen, AXLE_EINVAL, "the EXIF is not a TIFF structure");
    return AXLE_OK;
}

/* Every public encode comes here. */
int
img_encode(const axle_pixels *px, axle_codec codec, const axle_encode_options *o,
           const char *xmp, size_t xmp_len, void **out, size_t *outlen, char *err,
           size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out || !outlen)
        return img_fail(err, errlen, AXLE_EINVAL, "no output buffer");
    *out = NULL;
    *outlen = 0;
    if (!o || o->struct_size < sizeof *o)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "encode options not made with AXLE_ENCODE_OPTIONS");
    if (!px || !px->data || px->width == 0 || px->height == 0 ||
        px->channels < 1 || px->channels > 4 ||
        px->stride < (size_t)px->width * px->channels)
        return img_fail(err, errlen, AXLE_EINVAL, "invalid pixel buffer");
    if (o->quality < 1 || o->quality > 100)
        return img_fail(err, errlen, AXLE_EINVAL, "quality %d is outside 1..100", o->quality);
    int rc = check_size(px, codec, err, errlen);
    if (rc == AXLE_OK)
        rc = check_options(px, codec, o, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    const struct img_codec *c = img_codec_find(codec);
    if (!c || !c->encode)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "cannot encode to %s%s",
                        axle_codec_name(codec),
                        codec == AXLE_CODEC_PNG ? ": libaxle was built without libpng" : "");
    struct img_encode_req req = {o->quality, o->progressive, o->subsampling,
                                 o->icc, o->icc_len, o->exif, o->exif_len,
                                 xmp, xmp_len};
    return c->encode(px, &req, out, outlen, err, errlen);
}

int
axle_image_encode_with(const axle_pixels *px, axle_codec codec,
                       const axle_encode_options *o, void **out, size_t *outlen, char *err,
                       size_t errlen)
{
    return img_encode(px, codec, o, NULL, 0, out, outlen, err, errlen);
}

int
axle_image_encode(const axle_pixels *px, axle_codec codec, int quality,
                  void **out, size_t *outlen, char *err, size_t errlen)
{
    axle_encode_options o = AXLE_ENCODE_OPTIONS(quality);
    return img_encode(px, codec, &o, NULL, 0, out, outlen, err, errlen);
}

bool
axle_can_encode(axle_codec codec, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    const struct img_codec *c = img_codec_find(codec);
    if (codec == AXLE_CODEC_AVIF)
        return img_avif_can_encode(err, errlen);
    if (c && c->encode)
        return true;
    img_fail(err, errlen, AXLE_EUNSUPPORTED, "%s is not written by this libaxle%s",
             axle_codec_name(codec),
             codec == AXLE_CODEC_PNG ? " (built without libpng)" : "");
    return false;
}
