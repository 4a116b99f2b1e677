/* image_decode_webp.c - WebP to pixels through libwebp, optionally scaled
 * while decoding (libwebp's rescaler runs on each decoded row, so the
 * full-size RGB image never exists in memory).  Alpha is kept: RGBA out
 * when the file has alpha, RGB otherwise. */
#include <string.h>

#include <webp/decode.h>

#include "image_internal.h"

static int
setup(WebPDecoderConfig *cfg, const axle_image *img, char *err, size_t errlen)
{
    if (!WebPInitDecoderConfig(cfg))
        return img_fail(err, errlen, AXLE_EINTERNAL, "libwebp version mismatch");
    VP8StatusCode st = WebPGetFeatures(img->data, img->size, &cfg->input);
    if (st != VP8_STATUS_OK)
        return img_fail(err, errlen, AXLE_EFORMAT, "%s", img_webp_status(st));
    if (cfg->input.has_animation)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "animated WebP is not supported");
    if (cfg->input.width <= 0 || cfg->input.height <= 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "WebP with a zero size");
    return AXLE_OK;
}

int
img_decode_webp(const axle_image *img, uint32_t want_w, uint32_t want_h,
                uint64_t max_pixels, axle_pixels *out, char *err, size_t errlen)
{
    WebPDecoderConfig cfg;
    int rc = setup(&cfg, img, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t w = (uint32_t)cfg.input.width, h = (uint32_t)cfg.input.height;
    rc = img_check_pixels(w, h, max_pixels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t sw, sh;
    img_webp_pick_size(w, h, want_w, want_h, AXLE_MARGIN_WEBP, &sw, &sh);
    uint32_t channels = cfg.input.has_alpha ? 4 : 3;
    rc = axle_pixels_alloc(out, sw, sh, channels);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory for %ux%u pixels", sw, sh);
    if (sw != w || sh != h) {
        cfg.options.use_scaling = 1;
        cfg.options.scaled_width = (int)sw;
        cfg.options.scaled_height = (int)sh;
    }
    cfg.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = out->data;
    cfg.output.u.RGBA.stride = (int)out->stride;
    cfg.output.u.RGBA.size = out->stride * out->height;
    VP8StatusCode st = WebPDecode(img->data, img->size, &cfg);
    WebPFreeDecBuffer(&cfg.output); /* frees nothing external; required by the API */
    if (st != VP8_STATUS_OK) {
        axle_pixels_free(out);
        return img_fail(err, errlen, AXLE_EFORMAT, "%s", img_webp_status(st));
    }
    return AXLE_OK;
}
