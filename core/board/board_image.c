/* board_image.c - an image cell as a file a browser shows.
 *
 * A stored JPEG or WebP is sent as it is when it is small enough; else
 * (and for raw pixels, which browsers cannot show) it is decoded at a
 * reduced scale, turned upright and encoded as JPEG by libaxle.  The
 * board's previews are for looking, so a plain box filter scales them. */
#include <stdlib.h>
#include <string.h>

#include "board.h"

/* Refuse to decode more than this for a preview (a decompression bomb
 * would be refused by import first; this is the board's own guard). */
#define BOARD_MAX_PIXELS 250000000ull

/* Averages `in` down to fit inside max x max (aspect kept). */
static int
box_fit(const axle_pixels *in, uint32_t max, axle_pixels *out)
{
    uint32_t w = in->width, h = in->height;
    if (w >= h) {
        h = (uint32_t)((uint64_t)h * max / w);
        w = max;
    } else {
        w = (uint32_t)((uint64_t)w * max / h);
        h = max;
    }
    w = w ? w : 1;
    h = h ? h : 1;
    if (axle_pixels_alloc(out, w, h, in->channels) != AXLE_OK)
        return -1;
    uint32_t ch = in->channels;
    for (uint32_t y = 0; y < h; y++) {
        uint32_t y0 = (uint32_t)((uint64_t)y * in->height / h);
        uint32_t y1 = (uint32_t)((uint64_t)(y + 1) * in->height / h);
        y1 = y1 > y0 ? y1 : y0 + 1;
        for (uint32_t x = 0; x < w; x++) {
            uint32_t x0 = (uint32_t)((uint64_t)x * in->width / w);
            uint32_t x1 = (uint32_t)((uint64_t)(x + 1) * in->width / w);
            x1 = x1 > x0 ? x1 : x0 + 1;
            uint64_t sum[4] = {0, 0, 0, 0};
            for (uint32_t sy = y0; sy < y1; sy++) {
                const uint8_t *p = in->data + (size_t)sy * in->stride + (size_t)x0 * ch;
                for (uint32_t sx = x0; sx < x1; sx++, p += ch)
                    for (uint32_t c = 0; c < ch; c++)
                        sum[c] += p[c];
            }
            uint64_t n = (uint64_t)(y1 - y0) * (x1 - x0);
            uint8_t *d = out->data + (size_t)y * out->stride + (size_t)x * ch;
            for (uint32_t c = 0; c < ch; c++)
                d[c] = (uint8_t)((sum[c] + n / 2) / n);
        }
    }
    return 0;
}

static void
reply_bytes(board_reply *out, const char *type, const void *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        board_reply_error(out, 500, "out of memory");
        return;
    }
    memcpy(copy, data, len);
    board_reply_text(out, 200, type, copy, len);
    out->cacheable = true;
}

/* Decoded, upright, fitted to max and encoded as JPEG. */
static void
reply_preview(const axle_image *img, uint32_t max, board_reply *out)
{
    char err[512];
    uint32_t want_w = 0, want_h = 0;
    if (max && (img->width > max || img->height > max)) {
        uint32_t big = img->width > img->height ? img->width : img->height;
        want_w = (uint32_t)((uint64_t)img->width * max / big) + 1;
        want_h = (uint32_t)((uint64_t)img->height * max / big) + 1;
    }
    axle_pixels px = {0}, up = {0}, small = {0};
    if (axle_image_decode(img, want_w, want_h, BOARD_MAX_PIXELS, &px, err, sizeof err) < 0) {
        board_reply_error(out, 422, "cannot show this image: %s", err);
        return;
    }
    axle_pixels *cur = &px;
    if (img->orientation > 1 && axle_pixels_orient(&px, img->orientation, &up) == AXLE_OK)
        cur = &up;
    if (max && (cur->width > max || cur->height > max) && box_fit(cur, max, &small) == 0)
        cur = &small;
    void *jpeg = NULL;
    size_t len = 0;
    if (axle_image_encode(cur, AXLE_CODEC_JPEG, 85, &jpeg, &len, err, sizeof err) < 0) {
        board_reply_error(out, 500, "cannot encode a preview: %s", err);
    } else {
        board_reply_text(out, 200, "image/jpeg", jpeg, len);
        out->cacheable = true;
    }
    axle_pixels_free(&px);
    axle_pixels_free(&up);
    axle_pixels_free(&small);
}

void
board_image_reply(axle_dataset *ds, const char *column, int64_t row, int max,
                  board_reply *out)
{
    if (axle_dataset_column_type(ds, column) != AXLE_IMAGE) {
        board_reply_error(out, 404, "no image column '%s'", column);
        return;
    }
    char err[1024];
    axle_cursor *c = board_cursor_at(ds, column, row, err, sizeof err);
    if (!c) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    axle_image img;
    if (axle_cursor_is_null(c)) {
        board_reply_error(out, 404, "row %lld of column '%s' is null (a skipped item)",
                          (long long)row, column);
    } else if (axle_cursor_image(c, &img) != AXLE_OK) {
        board_reply_error(out, 422, "row %lld of column '%s' is not a readable image",
                          (long long)row, column);
    } else if ((img.codec == AXLE_CODEC_JPEG || img.codec == AXLE_CODEC_WEBP) &&
               (max <= 0 || (img.width <= (uint32_t)max && img.height <= (uint32_t)max))) {
        /* Browsers show JPEG and WebP, EXIF orientation included. */
        reply_bytes(out, img.codec == AXLE_CODEC_JPEG ? "image/jpeg" : "image/webp",
                    img.data, img.size);
    } else {
        reply_preview(&img, max > 0 ? (uint32_t)max : 0, out);
    }
    axle_cursor_close(c);
}
