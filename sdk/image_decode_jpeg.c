/* image_decode_jpeg.c - JPEG to pixels through TurboJPEG, at a reduced
 * scale (DCT scaling: the IDCT itself produces the smaller image).
 *
 * TurboJPEG reports errors by return code, never by longjmp, and
 * TJFLAG_LIMITSCANS refuses progressive files built to take forever.
 * libjpeg only *warns* about a file that ends early (it pads the rest with
 * grey) or a damaged entropy stream; those warnings are errors here, since
 * a thumbnail of half a photo is wrong.  Harmless warnings ("extraneous
 * bytes before marker", common in camera files) are ignored. */
#include <string.h>

#include <turbojpeg.h>

#include "image_internal.h"

/* One decompressor per thread, kept: creating one costs more than
 * decoding a small thumbnail's worth of data.  Slices are processes, each
 * with its own copy after fork. */
static _Thread_local tjhandle tls_handle;

static tjhandle
handle(void)
{
    if (!tls_handle)
        tls_handle = tjInitDecompress();
    return tls_handle;
}

static int
fatal_warning(const char *msg)
{
    static const char *const bad[] = {
        "premature end", "bad huffman code", "bad arithmetic code",
        "instead of rst", "corrupt jpeg data: found marker",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strcasestr(msg, bad[i]))
            return 1;
    return 0;
}

/* Pillow's CMYK -> RGB (R = (255 - K) * (255 - C) / 255, rounded the way
 * its MULDIV255 does), done in place: each 4-byte pixel becomes 3 bytes,
 * so the write position never passes the read position.  Adobe's writers
 * (Photoshop, and libjpeg behind Pillow) store CMYK inverted and mark it
 * with an APP14 segment; without one the values are taken as plain CMYK,
 * as libvips does. */
static void
cmyk_to_rgb(axle_pixels *px, int inverted)
{
    size_t n = (size_t)px->width * px->height;
    uint8_t *p = px->data;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *s = p + 4 * i;
        uint32_t c0 = s[0], c1 = s[1], c2 = s[2], k = s[3];
        if (inverted) {
            c0 = 255 - c0; c1 = 255 - c1; c2 = 255 - c2; k = 255 - k;
        }
        uint32_t nk = 255 - k, t;
        uint8_t *d = p + 3 * i;
        t = c0 * nk + 128; d[0] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = c1 * nk + 128; d[1] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = c2 * nk + 128; d[2] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
    }
    px->channels = 3;
    px->stride = (size_t)px->width * 3;
}

static int
run_decoder(const axle_image *img, axle_pixels *out, int pf, char *err,
            size_t errlen)
{
    tjhandle h = handle();
    if (!h)
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the JPEG decoder");
    int rc = tjDecompress2(h, img->data, (unsigned long)img->size, out->data,
                           (int)out->width, (int)out->stride, (int)out->height,
                           pf, TJFLAG_LIMITSCANS);
    if (rc == 0)
        return AXLE_OK;
    const char *msg = tjGetErrorStr2(h);
    if (tjGetErrorCode(h) == TJERR_WARNING && !fatal_warning(msg))
        return AXLE_OK;
    return img_fail(err, errlen, AXLE_EFORMAT, "%s JPEG: %s",
                    strcasestr(msg, "premature end") ? "truncated" : "corrupt", msg);
}

int
img_decode_jpeg(const axle_image *img, uint32_t want_w, uint32_t want_h,
                uint64_t max_pixels, axle_pixels *out, char *err, size_t errlen)
{
    struct img_jpeg_info info;
    int rc = img_jpeg_scan(img->data, img->size, &info, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    rc = img_check_pixels(info.width, info.height, max_pixels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    int num, denom;
    img_jpeg_pick_scale(info.width, info.height, want_w, want_h,
                        AXLE_MARGIN_JPEG, &num, &denom);
    tjscalingfactor sf = {num, denom};
    uint32_t sw = (uint32_t)TJSCALED((int)info.width, sf);
    uint32_t sh = (uint32_t)TJSCALED((int)info.height, sf);
    int pf = info.components == 1 ? TJPF_GRAY
           : info.components == 4 ? TJPF_CMYK : TJPF_RGB;
    rc = axle_pixels_alloc(out, sw, sh, (uint32_t)tjPixelSize[pf]);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory for %ux%u pixels", sw, sh);
    rc = run_decoder(img, out, pf, err, errlen);
    if (rc != AXLE_OK) {
        axle_pixels_free(out);
        return rc;
    }
    if (pf == TJPF_CMYK)
        cmyk_to_rgb(out, info.adobe);
    return AXLE_OK;
}
