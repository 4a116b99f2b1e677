/* image_resize16.c - the Lanczos3 resize of 16-bit pixels (image_deep.h).
 *
 * The same weights as the 8-bit resize (image_resize_weights.c, Pillow's,
 * 14 fractional bits) and the same order (vertical pass, then
 * horizontal), in integers, so that the result is the same on every
 * machine as cached jobs need.  Each pass rounds to 16 bits: 1/257 of an
 * 8-bit level, far below the rounding to 8 bits that follows.  Plain C:
 * 16-bit sources are the rare ones, and their decode (zlib, no
 * shrink-on-load) costs many times this pass. */
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"

#define HALF16 (1 << (IMG_WEIGHT_BITS - 1))

static inline uint16_t
clip16(int64_t acc)
{
    acc >>= IMG_WEIGHT_BITS;
    return acc < 0 ? 0 : acc > 65535 ? 65535 : (uint16_t)acc;
}

/* mid row y = the taps of w over in's rows, samples [0, n). */
static void
vertical16(const struct img_weights *w, const img_deep *in, uint16_t *mid)
{
    size_t n = (size_t)in->width * in->channels;
    int64_t *acc = malloc(n * sizeof *acc);
    for (uint32_t y = 0; y < w->out_size; y++) {
        const int16_t *k = w->k + (size_t)y * w->kstride;
        const uint16_t *rows = in->data + (size_t)w->bounds[2 * y] * in->stride;
        int32_t count = w->bounds[2 * y + 1];
        uint16_t *dst = mid + y * n;
        if (!acc) { /* no scratch: sample by sample */
            for (size_t i = 0; i < n; i++) {
                int64_t a = HALF16;
                for (int32_t j = 0; j < count; j++)
                    a += (int64_t)rows[(size_t)j * in->stride + i] * k[j];
                dst[i] = clip16(a);
            }
            continue;
        }
        for (size_t i = 0; i < n; i++)
            acc[i] = HALF16;
        for (int32_t j = 0; j < count; j++) { /* row by row: memory in order */
            const uint16_t *r = rows + (size_t)j * in->stride;
            for (size_t i = 0; i < n; i++)
                acc[i] += (int64_t)r[i] * k[j];
        }
        for (size_t i = 0; i < n; i++)
            dst[i] = clip16(acc[i]);
    }
    free(acc);
}

/* One output row of the horizontal pass, C channels. */
static void
horizontal16(const struct img_weights *w, const uint16_t *src, uint16_t *dst, uint32_t C)
{
    for (uint32_t x = 0; x < w->out_size; x++, dst += C) {
        const int16_t *k = w->k + (size_t)x * w->kstride;
        const uint16_t *s = src + (size_t)w->bounds[2 * x] * C;
        int32_t count = w->bounds[2 * x + 1];
        int64_t a[4] = {HALF16, HALF16, HALF16, HALF16};
        for (int32_t j = 0; j < count; j++, s += C)
            for (uint32_t c = 0; c < C; c++)
                a[c] += (int64_t)s[c] * k[j];
        for (uint32_t c = 0; c < C; c++)
            dst[c] = clip16(a[c]);
    }
}

int
img_resize16_box(const img_deep *in, const struct img_box *box, img_deep *out)
{
    if (!in->data || !out->data || in->channels != out->channels || box->x0 < 0 ||
        box->y0 < 0 || box->x1 > in->width || box->y1 > in->height ||
        box->x1 <= box->x0 || box->y1 <= box->y0)
        return AXLE_EINVAL;
    struct img_weights vert, horiz;
    memset(&vert, 0, sizeof vert);
    memset(&horiz, 0, sizeof horiz);
    size_t n = (size_t)in->width * in->channels;
    uint16_t *mid = NULL;
    int rc = AXLE_ENOMEM;
    if (img_weights_make_box(&vert, in->height, box->y0, box->y1, out->height) == AXLE_OK &&
        img_weights_make_box(&horiz, in->width, box->x0, box->x1, out->width) == AXLE_OK &&
        (mid = malloc(n * out->height * sizeof *mid))) {
        vertical16(&vert, in, mid);
        for (uint32_t y = 0; y < out->height; y++)
            horizontal16(&horiz, mid + y * n, out->data + y * out->stride, in->channels);
        rc = AXLE_OK;
    }
    free(mid);
    img_weights_free(&vert);
    img_weights_free(&horiz);
    return rc;
}
