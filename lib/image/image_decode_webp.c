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

/* Decodes in one go; every row is written when it returns OK. */
static VP8StatusCode
decode_whole(const axle_image *img, WebPDecoderConfig *cfg)
{
    VP8StatusCode st = WebPDecode(img->data, img->size, cfg);
    WebPFreeDecBuffer(&cfg->output); /* frees nothing external; required by the API */
    return st;
}

/* Decodes incrementally, which, unlike WebPDecode, says how many rows it
 * finished (*rows) when the data ends early or is damaged. */
static VP8StatusCode
decode_rows(const axle_image *img, WebPDecoderConfig *cfg, uint32_t *rows)
{
    *rows = 0;
    WebPIDecoder *idec = WebPIDecode(NULL, 0, cfg);
    if (!idec)
        return VP8_STATUS_OUT_OF_MEMORY;
    VP8StatusCode st = WebPIUpdate(idec, img->data, img->size);
    int last_y = 0;
    if (st == VP8_STATUS_OK || !WebPIDecGetRGB(idec, &last_y, NULL, NULL, NULL))
        last_y = st == VP8_STATUS_OK ? cfg->output.height : 0;
    *rows = last_y > 0 ? (uint32_t)last_y : 0;
    WebPIDelete(idec);
    WebPFreeDecBuffer(&cfg->output);
    /* Whole data that still leaves the decoder waiting is a cut file. */
    return st == VP8_STATUS_SUSPENDED ? VP8_STATUS_NOT_ENOUGH_DATA : st;
}

int
img_decode_webp(const axle_image *img, const struct img_decode_req *req,
                axle_pixels *out, char *err, size_t errlen)
{
    WebPDecoderConfig cfg;
    int rc = setup(&cfg, img, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t w = (uint32_t)cfg.input.width, h = (uint32_t)cfg.input.height;
    rc = img_check_pixels(w, h, req->max_pixels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t sw, sh;
    img_webp_pick_size(w, h, req->want_w, req->want_h, AXLE_MARGIN_WEBP, &sw, &sh);
    uint32_t channels = cfg.input.has_alpha ? 4 : 3;
    rc = img_alloc(req, out, sw, sh, channels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
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
    int partial = (req->flags & AXLE_DECODE_PARTIAL) != 0;
    uint32_t rows = sh;
    VP8StatusCode st = partial ? decode_rows(img, &cfg, &rows) : decode_whole(img, &cfg);
    if (st == VP8_STATUS_OK)
        return AXLE_OK;
    rc = st == VP8_STATUS_OUT_OF_MEMORY ? AXLE_ENOMEM : AXLE_EFORMAT;
    img_fail(err, errlen, rc, "%s", img_webp_status(st));
    if (!partial || rc != AXLE_EFORMAT || rows == 0) {
        axle_pixels_free(out);
        return rc;
    }
    img_fill_missing(out, rows);
    return AXLE_PARTIAL;
}
