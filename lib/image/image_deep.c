/* image_deep.c - 16-bit pixels (image_deep.h): which codecs decode at 16
 * bits, and the small steps around the 16-bit resize: alpha, orientation
 * and the one rounding to 8 bits at the end. */
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"

int
img_deep_alloc(img_deep *px, uint32_t w, uint32_t h, uint32_t channels)
{
    memset(px, 0, sizeof *px);
    if (!w || !h || channels < 1 || channels > 4)
        return AXLE_EINVAL;
    size_t stride = (size_t)w * channels;
    if (stride > SIZE_MAX / sizeof *px->data / h)
        return AXLE_ETOOBIG;
    if (!(px->data = malloc(stride * h * sizeof *px->data)))
        return AXLE_ENOMEM;
    px->width = w;
    px->height = h;
    px->channels = channels;
    px->stride = stride;
    return AXLE_OK;
}

void
img_deep_free(img_deep *px)
{
    if (px) {
        free(px->data);
        memset(px, 0, sizeof *px);
    }
}

/* The codecs whose files may hold more than 8 bits a sample, and were
 * built in. */
static img_deep_decode_fn
deep_decoder(axle_codec codec)
{
    switch (codec) {
#ifdef AXLE_HAVE_PNG
    case AXLE_CODEC_PNG: return img_png_decode_deep;
#endif
#ifdef AXLE_HAVE_TIFF
    case AXLE_CODEC_TIFF: return img_tiff_decode_deep;
#endif
#ifdef AXLE_HAVE_JXL
    case AXLE_CODEC_JXL: return img_jxl_decode_deep;
#endif
#ifdef AXLE_HAVE_HEIF
    case AXLE_CODEC_HEIF:
    case AXLE_CODEC_AVIF: return img_heif_decode_deep;
#endif
#ifdef AXLE_HAVE_RAW
    case AXLE_CODEC_CAMRAW: return img_raw_decode_deep;
#endif
    default: return NULL;
    }
}

int
img_deep_decode(const axle_image *img, const struct img_decode_req *req, img_deep *out)
{
    memset(out, 0, sizeof *out);
    img_deep_decode_fn decode = img && img->data && img->size ? deep_decoder(img->codec)
                                                              : NULL;
    if (!decode || (req->flags & AXLE_DECODE_PARTIAL))
        return IMG_NOT_DEEP; /* a damaged file is shown as the 8-bit decoder shows it */
    char why[256];
    int rc = decode(img, req, out, why, sizeof why);
    if (rc != AXLE_OK) {
        img_deep_free(out);
        return IMG_NOT_DEEP;
    }
    return AXLE_OK;
}

void
img_deep_premultiply(img_deep *px)
{
    uint32_t c = px->channels, a = c - 1;
    if (c != 2 && c != 4)
        return;
    for (uint32_t y = 0; y < px->height; y++) {
        uint16_t *p = px->data + y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, p += c)
            for (uint32_t k = 0; k < a; k++)
                p[k] = (uint16_t)(((uint64_t)p[k] * p[a] + 32767) / 65535);
    }
}

void
img_deep_unpremultiply(img_deep *px)
{
    uint32_t c = px->channels, a = c - 1;
    if (c != 2 && c != 4)
        return;
    for (uint32_t y = 0; y < px->height; y++) {
        uint16_t *p = px->data + y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, p += c) {
            uint32_t alpha = p[a];
            if (alpha == 0 || alpha == 65535)
                continue;
            for (uint32_t k = 0; k < a; k++) {
                uint64_t v = ((uint64_t)p[k] * 65535 + alpha / 2) / alpha;
                p[k] = (uint16_t)(v > 65535 ? 65535 : v);
            }
        }
    }
}

int
img_deep_reduce(const img_deep *px, axle_pixels *out)
{
    int rc = axle_pixels_alloc(out, px->width, px->height, px->channels);
    if (rc != AXLE_OK)
        return rc;
    size_t n = (size_t)px->width * px->channels;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint16_t *s = px->data + y * px->stride;
        uint8_t *d = out->data + y * out->stride;
        /* v * 255 / 65535 rounded: v / 257, to the nearest level. */
        for (size_t i = 0; i < n; i++)
            d[i] = (uint8_t)(((uint32_t)s[i] * 255 + 32767) / 65535);
    }
    return AXLE_OK;
}

int
img_deep_orient(const img_deep *in, int o, img_deep *out)
{
    bool swap = o >= 5 && o <= 8;
    uint32_t ow = swap ? in->height : in->width, oh = swap ? in->width : in->height;
    int rc = img_deep_alloc(out, ow, oh, in->channels);
    if (rc != AXLE_OK)
        return rc;
    uint32_t c = in->channels, W = in->width - 1, H = in->height - 1;
    for (uint32_t y = 0; y < oh; y++) {
        uint16_t *d = out->data + y * out->stride;
        for (uint32_t x = 0; x < ow; x++, d += c) {
            uint32_t sx, sy; /* where shown pixel (x, y) is stored */
            switch (o) {
            case 2: sx = W - x, sy = y; break;
            case 3: sx = W - x, sy = H - y; break;
            case 4: sx = x, sy = H - y; break;
            case 5: sx = y, sy = x; break;
            case 6: sx = y, sy = H - x; break;
            case 7: sx = W - y, sy = H - x; break;
            case 8: sx = W - y, sy = x; break;
            default: sx = x, sy = y; break;
            }
            memcpy(d, in->data + sy * in->stride + (size_t)sx * c, c * sizeof *d);
        }
    }
    return AXLE_OK;
}
