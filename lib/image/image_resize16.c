/* image_resize16.c - the Lanczos3 resize of 16-bit pixels (image_deep.h).
 *
 * The same weights as the 8-bit resize (image_resize_weights.c, Pillow's,
 * 14 fractional bits) and the same order (vertical pass, then
 * horizontal), in integers (32-bit sums where they cannot overflow), so that the result is the same on every
 * machine as cached jobs need.  Each pass rounds to 16 bits: 1/257 of an
 * 8-bit level, far below the rounding to 8 bits that follows.  Plain C:
 * 16-bit sources are the rare ones, and their decode (zlib, no
 * shrink-on-load) costs many times this pass. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define HALF16 (1 << (IMG_WEIGHT_BITS - 1))

static inline uint16_t
clip16(int64_t acc)
{
    acc >>= IMG_WEIGHT_BITS;
    return acc < 0 ? 0 : acc > 65535 ? 65535 : (uint16_t)acc;
}

/* 32-bit sums suffice for a row of taps whose weights' magnitudes add up
 * to less than 2 (2^15 in fixed point): 65535 * 2^15 < 2^31.  Lanczos3's
 * add up to about 1.3; the check keeps any other row exact too. */
static bool
fits_int32(const int16_t *k, int32_t count)
{
    int32_t sum = 0;
    for (int32_t j = 0; j < count; j++)
        sum += k[j] < 0 ? -k[j] : k[j];
    return sum < (1 << 15) - 1;
}

#ifdef __SSE2__
/* Samples [0, n - n % 8) of one row, 8 at a time: SSE2 multiplies signed
 * 16-bit numbers, so each sample goes in as v - 32768 and the sum gets
 * 32768 times the weights' sum back.  Two rows are interleaved so that
 * one pmaddwd does a pair of taps, as the 8-bit vertical pass does. */
static size_t
vertical16_sse2(const uint16_t *rows, size_t stride, const int16_t *k, int32_t count,
                size_t n, uint16_t *dst)
{
    int32_t ksum = 0;
    for (int32_t j = 0; j < count; j++)
        ksum += k[j];
    const __m128i flip = _mm_set1_epi16((short)0x8000);
    const __m128i base = _mm_set1_epi32(HALF16 + 32768 * ksum);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i lo = base, hi = base;
        for (int32_t j = 0; j < count; j += 2) {
            const uint16_t *r0 = rows + (size_t)j * stride + i;
            __m128i a = _mm_xor_si128(_mm_loadu_si128((const __m128i *)r0), flip);
            __m128i b = flip; /* an odd last tap pairs with 0 (weight 0 too) */
            int32_t pair = (uint16_t)k[j];
            if (j + 1 < count) {
                b = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(r0 + stride)), flip);
                pair |= (int32_t)((uint32_t)(uint16_t)k[j + 1] << 16);
            }
            __m128i kk = _mm_set1_epi32(pair);
            lo = _mm_add_epi32(lo, _mm_madd_epi16(_mm_unpacklo_epi16(a, b), kk));
            hi = _mm_add_epi32(hi, _mm_madd_epi16(_mm_unpackhi_epi16(a, b), kk));
        }
        int32_t out[8];
        _mm_storeu_si128((__m128i *)out, lo);
        _mm_storeu_si128((__m128i *)(out + 4), hi);
        for (int m = 0; m < 8; m++)
            dst[i + (size_t)m] = clip16(out[m]);
    }
    return i;
}
#endif

/* One row of the vertical pass in 32-bit sums (SSE2 where there is one):
 * the same integers as the 64-bit loop. */
static void
vertical16_row32(const uint16_t *rows, size_t stride, const int16_t *k, int32_t count,
                 size_t n, int32_t *acc, uint16_t *dst)
{
    size_t done = 0;
#ifdef __SSE2__
    done = vertical16_sse2(rows, stride, k, count, n, dst);
    rows += done, dst += done, n -= done;
#endif
    (void)done;
    for (size_t i = 0; i < n; i++)
        acc[i] = HALF16;
    for (int32_t j = 0; j < count; j++) {
        const uint16_t *r = rows + (size_t)j * stride;
        int32_t kj = k[j];
        for (size_t i = 0; i < n; i++)
            acc[i] += (int32_t)r[i] * kj;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = clip16(acc[i]);
}

/* mid row y = the taps of w over in's rows, samples [0, n). */
static void
vertical16(const struct img_weights *w, const img_deep *in, uint16_t *mid)
{
    size_t n = (size_t)in->width * in->channels;
    int32_t *acc32 = malloc(n * sizeof *acc32);
    int64_t *acc = malloc(n * sizeof *acc);
    for (uint32_t y = 0; y < w->out_size; y++) {
        const int16_t *k = w->k + (size_t)y * w->kstride;
        const uint16_t *rows = in->data + (size_t)w->bounds[2 * y] * in->stride;
        int32_t count = w->bounds[2 * y + 1];
        uint16_t *dst = mid + y * n;
        if (acc32 && fits_int32(k, count)) {
            vertical16_row32(rows, in->stride, k, count, n, acc32, dst);
            continue;
        }
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
    free(acc32);
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
