/* image_resize.c - axle_pixels_resize: separable Lanczos3 in fixed point.
 *
 * The weights (image_resize_weights.c) are Pillow's, kept as 16-bit
 * integers: 8-bit pixels times 16-bit weights is what SSE2's pmaddwd
 * multiplies, two taps per instruction, which is what makes the resize
 * cost a small fraction of the decode.  The SIMD loops and the portable
 * ones compute the very same integers, so the result is the same on every
 * machine, which cached jobs rely on.
 *
 * The vertical pass runs first: it shrinks the number of rows before the
 * horizontal pass and works on whole rows, 16 bytes at a time.  Each pass
 * rounds to 8 bits as Pillow's do.  Measured against Pillow's LANCZOS on
 * the same input: about 54 dB, differences of at most 2 levels. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image_resize.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 14 bits keep the largest Lanczos weight (about 1.0) inside int16, and
 * sums of 8-bit pixels times weights far inside int32. */
#define PRECISION IMG_WEIGHT_BITS
#define HALF (1 << (PRECISION - 1))

/* Bytes past a window the SIMD horizontal loops may read (at most 28:
 * the AVX2 RGBA loop's last 16-byte load, 3 pixels of zero weight past
 * the window); rows read that way need this much buffer after them. */
#define MID_SLACK IMG_RESIZE_SLACK

static inline uint8_t
clip8(int32_t v)
{
    v >>= PRECISION;
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

/* ---- vertical pass: out row y = sum over taps j of k[j] * in row ---- */

/* The kernels take the input rows as pointers, rows[j] for tap j, so that
 * the rows may lie anywhere: in a whole image (vertical, below) or in the
 * ring of a resize fed row by row (image_resize_stream.c).  Each does bytes
 * [from, n) of one output row, or as many of them as its width allows, and
 * returns where it stopped. */

/* Bytes [from, n) of one output row, one byte at a time. */
static void
vertical_tail(const uint8_t *const *rows, const int16_t *k, int32_t count, size_t from,
              size_t n, uint8_t *dst)
{
    for (size_t i = from; i < n; i++) {
        int32_t acc = HALF;
        for (int32_t j = 0; j < count; j++)
            acc += rows[j][i] * k[j];
        dst[i] = clip8(acc);
    }
}

#ifdef __SSE2__
/* 16 bytes at a time; two input rows are interleaved so that one pmaddwd
 * does a tap pair.  An odd last tap pairs with weight 0 on the same row. */
static size_t
vertical_sse2(const uint8_t *const *rows, const int16_t *k, int32_t count, size_t from,
              size_t n, uint8_t *dst)
{
    const __m128i zero = _mm_setzero_si128();
    size_t i = from;
    for (; i + 16 <= n; i += 16) {
        __m128i a0 = _mm_set1_epi32(HALF), a1 = a0, a2 = a0, a3 = a0;
        for (int32_t j = 0; j < count; j += 2) {
            const uint8_t *r0 = rows[j] + i;
            const uint8_t *r1 = j + 1 < count ? rows[j + 1] + i : r0;
            int32_t pair;
            memcpy(&pair, k + j, 4); /* k[j] low, k[j + 1] high */
            __m128i kk = _mm_set1_epi32(pair);
            __m128i p0 = _mm_loadu_si128((const __m128i *)r0);
            __m128i p1 = _mm_loadu_si128((const __m128i *)r1);
            __m128i lo = _mm_unpacklo_epi8(p0, p1), hi = _mm_unpackhi_epi8(p0, p1);
            a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_unpacklo_epi8(lo, zero), kk));
            a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_unpackhi_epi8(lo, zero), kk));
            a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_unpacklo_epi8(hi, zero), kk));
            a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_unpackhi_epi8(hi, zero), kk));
        }
        a0 = _mm_packs_epi32(_mm_srai_epi32(a0, PRECISION), _mm_srai_epi32(a1, PRECISION));
        a2 = _mm_packs_epi32(_mm_srai_epi32(a2, PRECISION), _mm_srai_epi32(a3, PRECISION));
        _mm_storeu_si128((__m128i *)(dst + i), _mm_packus_epi16(a0, a2));
    }
    return i;
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_CLONE 1

/* One tap pair on 32 bytes: rows p0 and p1 interleaved, so that one
 * pmaddwd does both taps of 8 bytes, into four sums of 8 bytes each.
 * AVX2 unpacks and packs work within 128-bit lanes; doing both keeps the
 * bytes in order. */
__attribute__((target("avx2"), always_inline)) static inline void
pair_avx2(__m256i p0, __m256i p1, __m256i kk, __m256i *a0, __m256i *a1, __m256i *a2,
          __m256i *a3)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i lo = _mm256_unpacklo_epi8(p0, p1), hi = _mm256_unpackhi_epi8(p0, p1);
    *a0 = _mm256_add_epi32(*a0, _mm256_madd_epi16(_mm256_unpacklo_epi8(lo, zero), kk));
    *a1 = _mm256_add_epi32(*a1, _mm256_madd_epi16(_mm256_unpackhi_epi8(lo, zero), kk));
    *a2 = _mm256_add_epi32(*a2, _mm256_madd_epi16(_mm256_unpacklo_epi8(hi, zero), kk));
    *a3 = _mm256_add_epi32(*a3, _mm256_madd_epi16(_mm256_unpackhi_epi8(hi, zero), kk));
}

/* The four sums of 32 bytes rounded into them. */
__attribute__((target("avx2"), always_inline)) static inline void
store32_avx2(__m256i a0, __m256i a1, __m256i a2, __m256i a3, uint8_t *dst)
{
    a0 = _mm256_packs_epi32(_mm256_srai_epi32(a0, PRECISION), _mm256_srai_epi32(a1, PRECISION));
    a2 = _mm256_packs_epi32(_mm256_srai_epi32(a2, PRECISION), _mm256_srai_epi32(a3, PRECISION));
    _mm256_storeu_si256((__m256i *)dst, _mm256_packus_epi16(a0, a2));
}

/* Tap pair j's weights, k[j] low and k[j + 1] high, in every lane (an odd
 * last tap pairs with the zero padding after it). */
__attribute__((target("avx2"), always_inline)) static inline __m256i
weights_avx2(const int16_t *k, int32_t j)
{
    int32_t pair;
    memcpy(&pair, k + j, 4);
    return _mm256_set1_epi32(pair);
}

/* 64 bytes a step: each tap pair's weights and row pointers, loaded once,
 * serve two 32-byte halves (half the loop's bookkeeping per byte, which
 * the front end, not the multiplies, was spending its time on). */
__attribute__((target("avx2"))) static size_t
vertical64_avx2(const uint8_t *const *rows, const int16_t *k, int32_t count, size_t from,
                size_t n, uint8_t *dst)
{
    size_t i = from;
    for (; i + 64 <= n; i += 64) {
        __m256i a0 = _mm256_set1_epi32(HALF), a1 = a0, a2 = a0, a3 = a0;
        __m256i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int32_t j = 0;
        for (; j + 1 < count; j += 2) {
            const uint8_t *r0 = rows[j] + i, *r1 = rows[j + 1] + i;
            __m256i kk = weights_avx2(k, j);
            pair_avx2(_mm256_loadu_si256((const __m256i *)r0),
                      _mm256_loadu_si256((const __m256i *)r1), kk, &a0, &a1, &a2, &a3);
            pair_avx2(_mm256_loadu_si256((const __m256i *)(r0 + 32)),
                      _mm256_loadu_si256((const __m256i *)(r1 + 32)), kk, &b0, &b1, &b2,
                      &b3);
        }
        if (j < count) { /* the odd last tap, with itself at weight 0 */
            const uint8_t *r0 = rows[j] + i;
            __m256i kk = weights_avx2(k, j);
            __m256i p = _mm256_loadu_si256((const __m256i *)r0);
            pair_avx2(p, p, kk, &a0, &a1, &a2, &a3);
            p = _mm256_loadu_si256((const __m256i *)(r0 + 32));
            pair_avx2(p, p, kk, &b0, &b1, &b2, &b3);
        }
        store32_avx2(a0, a1, a2, a3, dst + i);
        store32_avx2(b0, b1, b2, b3, dst + i + 32);
    }
    return i;
}

/* The same 32 bytes at a time, for CPUs with AVX2 (checked at run time,
 * so libaxle still runs on any x86-64), after vertical64_avx2. */
__attribute__((target("avx2"))) static size_t
vertical_avx2(const uint8_t *const *rows, const int16_t *k, int32_t count, size_t from,
              size_t n, uint8_t *dst)
{
    const __m256i zero = _mm256_setzero_si256();
    size_t i = vertical64_avx2(rows, k, count, from, n, dst);
    for (; i + 32 <= n; i += 32) {
        __m256i a0 = _mm256_set1_epi32(HALF), a1 = a0, a2 = a0, a3 = a0;
        for (int32_t j = 0; j < count; j += 2) {
            const uint8_t *r0 = rows[j] + i;
            const uint8_t *r1 = j + 1 < count ? rows[j + 1] + i : r0;
            int32_t pair;
            memcpy(&pair, k + j, 4);
            __m256i kk = _mm256_set1_epi32(pair);
            __m256i p0 = _mm256_loadu_si256((const __m256i *)r0);
            __m256i p1 = _mm256_loadu_si256((const __m256i *)r1);
            __m256i lo = _mm256_unpacklo_epi8(p0, p1), hi = _mm256_unpackhi_epi8(p0, p1);
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_unpacklo_epi8(lo, zero), kk));
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_unpackhi_epi8(lo, zero), kk));
            a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(_mm256_unpacklo_epi8(hi, zero), kk));
            a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(_mm256_unpackhi_epi8(hi, zero), kk));
        }
        a0 = _mm256_packs_epi32(_mm256_srai_epi32(a0, PRECISION), _mm256_srai_epi32(a1, PRECISION));
        a2 = _mm256_packs_epi32(_mm256_srai_epi32(a2, PRECISION), _mm256_srai_epi32(a3, PRECISION));
        _mm256_storeu_si256((__m256i *)(dst + i), _mm256_packus_epi16(a0, a2));
    }
    return i;
}

/* ---- the vertical pass with AVX-512 (BW and VNNI; issue 12, vips12) ----
 * pair_avx2's tap pair on 64 bytes: the same unpacks and packs, which
 * work within each 128-bit lane, so the bytes stay in order as there, and
 * vpdpwssd, which is pmaddwd and the add in one instruction (the same
 * integers: a pixel word is at most 255, so pmaddwd's one saturating case
 * cannot arise, and the int32 sums wrap alike).  Half the instructions of
 * the AVX2 loop a byte, which were what it spent its time on: the
 * multiplies' throughput is the same on a CPU that splits 512-bit
 * operations in two (Zen 4). */
#define AVX512_TARGET "avx512f,avx512bw,avx512vnni"
#define HAVE_AVX512_CLONE 1

__attribute__((target(AVX512_TARGET), always_inline)) static inline void
pair_avx512(__m512i p0, __m512i p1, __m512i kk, __m512i *a0, __m512i *a1, __m512i *a2,
            __m512i *a3)
{
    const __m512i zero = _mm512_setzero_si512();
    __m512i lo = _mm512_unpacklo_epi8(p0, p1), hi = _mm512_unpackhi_epi8(p0, p1);
    *a0 = _mm512_dpwssd_epi32(*a0, _mm512_unpacklo_epi8(lo, zero), kk);
    *a1 = _mm512_dpwssd_epi32(*a1, _mm512_unpackhi_epi8(lo, zero), kk);
    *a2 = _mm512_dpwssd_epi32(*a2, _mm512_unpacklo_epi8(hi, zero), kk);
    *a3 = _mm512_dpwssd_epi32(*a3, _mm512_unpackhi_epi8(hi, zero), kk);
}

/* store32_avx2 on 64 bytes. */
__attribute__((target(AVX512_TARGET), always_inline)) static inline void
store64_avx512(__m512i a0, __m512i a1, __m512i a2, __m512i a3, uint8_t *dst)
{
    a0 = _mm512_packs_epi32(_mm512_srai_epi32(a0, PRECISION), _mm512_srai_epi32(a1, PRECISION));
    a2 = _mm512_packs_epi32(_mm512_srai_epi32(a2, PRECISION), _mm512_srai_epi32(a3, PRECISION));
    _mm512_storeu_si512((void *)dst, _mm512_packus_epi16(a0, a2));
}

/* 128 bytes a step, as vertical64_avx2 does 64: each tap pair's weights
 * and row pointers loaded once for two 64-byte halves.  Returns where it
 * stopped (the AVX2 loops do the rest). */
__attribute__((target(AVX512_TARGET))) static size_t
vertical_avx512(const uint8_t *const *rows, const int16_t *k, int32_t count, size_t n,
                uint8_t *dst)
{
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        __m512i a0 = _mm512_set1_epi32(HALF), a1 = a0, a2 = a0, a3 = a0;
        __m512i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int32_t j = 0;
        for (; j + 1 < count; j += 2) {
            const uint8_t *r0 = rows[j] + i, *r1 = rows[j + 1] + i;
            int32_t pair;
            memcpy(&pair, k + j, 4); /* k[j] low, k[j + 1] high */
            __m512i kk = _mm512_set1_epi32(pair);
            pair_avx512(_mm512_loadu_si512((const void *)r0),
                        _mm512_loadu_si512((const void *)r1), kk, &a0, &a1, &a2, &a3);
            pair_avx512(_mm512_loadu_si512((const void *)(r0 + 64)),
                        _mm512_loadu_si512((const void *)(r1 + 64)), kk, &b0, &b1, &b2,
                        &b3);
        }
        if (j < count) { /* the odd last tap, with itself at weight 0 */
            const uint8_t *r0 = rows[j] + i;
            int32_t pair;
            memcpy(&pair, k + j, 4); /* k[j + 1] is the zero padding */
            __m512i kk = _mm512_set1_epi32(pair);
            __m512i p = _mm512_loadu_si512((const void *)r0);
            pair_avx512(p, p, kk, &a0, &a1, &a2, &a3);
            p = _mm512_loadu_si512((const void *)(r0 + 64));
            pair_avx512(p, p, kk, &b0, &b1, &b2, &b3);
        }
        store64_avx512(a0, a1, a2, a3, dst + i);
        store64_avx512(b0, b1, b2, b3, dst + i + 64);
    }
    return i;
}
#endif

bool img_resize_avx512_off;

bool
img_have_avx512(void)
{
#ifdef HAVE_AVX512_CLONE
    return !img_resize_avx512_off && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
    return false;
#endif
}

void
img_resize_vertical_row(const struct img_weights *c, uint32_t y, const uint8_t *const *rows,
                        size_t n, uint8_t *dst)
{
    const int16_t *k = c->k + (size_t)y * c->kstride;
    int32_t count = c->bounds[2 * y + 1];
    size_t done = 0;
#ifdef HAVE_AVX512_CLONE
    if (img_have_avx512())
        done = vertical_avx512(rows, k, count, n, dst);
#endif
#ifdef HAVE_AVX2_CLONE
    if (__builtin_cpu_supports("avx2"))
        done = vertical_avx2(rows, k, count, done, n, dst);
#endif
#ifdef __SSE2__
    done = vertical_sse2(rows, k, count, done, n, dst);
#endif
    vertical_tail(rows, k, count, done, n, dst);
}

/* The whole vertical pass over an image in memory. */
static int
vertical(const struct img_weights *c, const axle_pixels *in, uint8_t *mid)
{
    size_t n = (size_t)in->width * in->channels;
    const uint8_t **rows = malloc((size_t)(c->ksize > 0 ? c->ksize : 1) * sizeof *rows);
    if (!rows)
        return AXLE_ENOMEM;
    for (uint32_t y = 0; y < c->out_size; y++) {
        const uint8_t *first = in->data + (size_t)c->bounds[2 * y] * in->stride;
        for (int32_t j = 0; j < c->bounds[2 * y + 1]; j++)
            rows[j] = first + (size_t)j * in->stride;
        img_resize_vertical_row(c, y, rows, n, mid + y * n);
    }
    free(rows);
    return AXLE_OK;
}

/* ---- horizontal pass: a dot product per output pixel ---- */

/* One row, `C` channels (a constant in each call, so the loop is
 * specialised per channel count). */
static inline void
horizontal_row(const struct img_weights *c, const uint8_t *src, uint8_t *dst, int C)
{
    for (uint32_t x = 0; x < c->out_size; x++) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        const uint8_t *s = src + (size_t)c->bounds[2 * x] * C;
        int32_t count = c->bounds[2 * x + 1];
        int32_t a0 = HALF, a1 = HALF, a2 = HALF, a3 = HALF;
        for (int32_t j = 0; j < count; j++, s += C) {
            a0 += s[0] * k[j];
            if (C > 1) a1 += s[1] * k[j];
            if (C > 2) a2 += s[2] * k[j];
            if (C > 3) a3 += s[3] * k[j];
        }
        dst[0] = clip8(a0);
        if (C > 1) dst[1] = clip8(a1);
        if (C > 2) dst[2] = clip8(a2);
        if (C > 3) dst[3] = clip8(a3);
        dst += C;
    }
}

#ifdef __SSE2__
/* RGB or RGBA: each pixel is loaded as 4 bytes (for RGB the 4th belongs to
 * the next pixel and lands in a lane that is thrown away), two taps are
 * interleaved and multiplied with one pmaddwd.  Reads up to 2 pixels plus
 * 4 bytes past the window: the caller guarantees that much slack. */
static void
horizontal_row_sse2(const struct img_weights *c, const uint8_t *src, uint8_t *dst, int C)
{
    const __m128i zero = _mm_setzero_si128();
    for (uint32_t x = 0; x < c->out_size; x++, dst += C) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        const uint8_t *s = src + (size_t)c->bounds[2 * x] * C;
        int32_t count = c->bounds[2 * x + 1];
        __m128i acc = _mm_set1_epi32(HALF);
        for (int32_t j = 0; j < count; j += 2, s += 2 * C) {
            int32_t p0, p1, pair;
            memcpy(&p0, s, 4);
            memcpy(&p1, s + C, 4);
            memcpy(&pair, k + j, 4); /* k[j], k[j + 1] (0 past the window) */
            __m128i px = _mm_unpacklo_epi8(
                _mm_unpacklo_epi8(_mm_cvtsi32_si128(p0), _mm_cvtsi32_si128(p1)), zero);
            acc = _mm_add_epi32(acc, _mm_madd_epi16(px, _mm_set1_epi32(pair)));
        }
        acc = _mm_srai_epi32(acc, PRECISION);
        acc = _mm_packs_epi32(acc, acc); /* clamps as clip8 does */
        acc = _mm_packus_epi16(acc, acc);
        uint32_t v = (uint32_t)_mm_cvtsi128_si32(acc);
        dst[0] = (uint8_t)v;
        dst[1] = (uint8_t)(v >> 8);
        dst[2] = (uint8_t)(v >> 16);
        if (C == 4)
            dst[3] = (uint8_t)(v >> 24);
    }
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
/* RGB or RGBA with SSSE3: four taps per step.  One 16-byte load holds four
 * pixels; two pshufb spread them into 16-bit lanes as (R0 R1 G0 G1 B0 B1
 * A0 A1) and (R2 R3 ...), zero-extending at the same time, and two pmaddwd
 * apply the weight pairs.  Same integers as the other loops. */
__attribute__((target("ssse3"))) static void
horizontal_row_ssse3(const struct img_weights *c, const uint8_t *src, uint8_t *dst, int C)
{
    const __m128i lo3 = _mm_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1);
    const __m128i hi3 = _mm_setr_epi8(6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
    const __m128i lo4 = _mm_setr_epi8(0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1);
    const __m128i hi4 = _mm_setr_epi8(8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1);
    const __m128i lo = C == 4 ? lo4 : lo3, hi = C == 4 ? hi4 : hi3;
    for (uint32_t x = 0; x < c->out_size; x++, dst += C) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        const uint8_t *s = src + (size_t)c->bounds[2 * x] * C;
        int32_t count = c->bounds[2 * x + 1];
        __m128i acc = _mm_set1_epi32(HALF);
        for (int32_t j = 0; j < count; j += 4, s += 4 * C) {
            int32_t k01, k23;
            memcpy(&k01, k + j, 4);
            memcpy(&k23, k + j + 2, 4);
            __m128i px = _mm_loadu_si128((const __m128i *)s);
            acc = _mm_add_epi32(acc, _mm_madd_epi16(_mm_shuffle_epi8(px, lo),
                                                    _mm_set1_epi32(k01)));
            acc = _mm_add_epi32(acc, _mm_madd_epi16(_mm_shuffle_epi8(px, hi),
                                                    _mm_set1_epi32(k23)));
        }
        acc = _mm_srai_epi32(acc, PRECISION);
        acc = _mm_packs_epi32(acc, acc);
        acc = _mm_packus_epi16(acc, acc);
        uint32_t v = (uint32_t)_mm_cvtsi128_si32(acc);
        dst[0] = (uint8_t)v;
        dst[1] = (uint8_t)(v >> 8);
        dst[2] = (uint8_t)(v >> 16);
        if (C == 4)
            dst[3] = (uint8_t)(v >> 24);
    }
}
#define HAVE_SSSE3_CLONE 1
#endif

#ifdef HAVE_AVX2_CLONE
/* One RGB(A) output pixel's sums with AVX2, eight taps a step: pixels
 * 0-3 of the step in the low 128-bit lane and 4-7 in the high one, the
 * same two pshufb as horizontal_row_ssse3 in each lane, and the weight
 * pairs spread to match (k01 | k45, then k23 | k67).  n: the count rounded
 * up to 8 (never past kstride; the weights after the count are 0), so the
 * reads end at most 3 * C + 16 bytes past the window.  Returns the sums
 * (R, G, B, A or unused) without the rounding half. */
__attribute__((target("avx2"), always_inline)) static inline __m128i
rgb_sums_avx2(const int16_t *k, const uint8_t *s, int32_t n, int C, __m256i lo, __m256i hi)
{
    const __m256i pairs_a = _mm256_setr_epi32(0, 0, 0, 0, 2, 2, 2, 2);
    const __m256i pairs_b = _mm256_setr_epi32(1, 1, 1, 1, 3, 3, 3, 3);
    __m256i acc = _mm256_setzero_si256();
    for (int32_t j = 0; j < n; j += 8, s += 8 * C) {
        __m256i px = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)s)),
            _mm_loadu_si128((const __m128i *)(s + 4 * C)), 1);
        __m256i kw = _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(k + j)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_shuffle_epi8(px, lo),
                                                      _mm256_permutevar8x32_epi32(kw, pairs_a)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_shuffle_epi8(px, hi),
                                                      _mm256_permutevar8x32_epi32(kw, pairs_b)));
    }
    return _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
}

/* Output pixels x .. x+3 (each index cut to the row's last pixel) as 16
 * bytes, each pixel's four channels rounded as clip8 does (the fourth
 * unused for RGB). */
__attribute__((target("avx2"), always_inline)) static inline __m128i
rgb_four_avx2(const struct img_weights *c, const uint8_t *src, uint32_t x, int C, __m256i lo,
              __m256i hi)
{
    const __m128i half = _mm_set1_epi32(HALF);
    __m128i a[4];
    uint32_t last = c->out_size - 1;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t at = x + i < last ? x + i : last;
        int32_t n = (c->bounds[2 * at + 1] + 7) & ~7;
        a[i] = rgb_sums_avx2(c->k + (size_t)at * c->kstride,
                             src + (size_t)c->bounds[2 * at] * C, n, C, lo, hi);
        a[i] = _mm_srai_epi32(_mm_add_epi32(a[i], half), PRECISION);
    }
    return _mm_packus_epi16(_mm_packs_epi32(a[0], a[1]), _mm_packs_epi32(a[2], a[3]));
}

/* RGB or RGBA with AVX2: eight taps per step, four output pixels rounded
 * and stored together.  Same integers as the other loops.  Inlined into
 * one function per channel count (horizontal_rgb_avx2, _rgba_). */
__attribute__((target("avx2"), always_inline)) static inline void
horizontal_row_avx2(const struct img_weights *c, const uint8_t *src, uint8_t *dst, int C)
{
    const __m128i lo3 = _mm_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1);
    const __m128i hi3 = _mm_setr_epi8(6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
    const __m128i lo4 = _mm_setr_epi8(0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1);
    const __m128i hi4 = _mm_setr_epi8(8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1);
    /* the four pixels' RGB without their unused fourth bytes */
    const __m128i drop4th = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14,
                                          -1, -1, -1, -1);
    __m256i lo = _mm256_broadcastsi128_si256(C == 4 ? lo4 : lo3);
    __m256i hi = _mm256_broadcastsi128_si256(C == 4 ? hi4 : hi3);
    uint32_t x = 0;
    for (; x < c->out_size; x += 4, dst += 4 * C) {
        __m128i v = rgb_four_avx2(c, src, x, C, lo, hi);
        uint8_t tmp[16];
        bool whole = x + 4 <= c->out_size;
        uint8_t *to = whole ? dst : tmp;
        if (C == 4) {
            _mm_storeu_si128((__m128i *)to, v);
        } else {
            v = _mm_shuffle_epi8(v, drop4th);
            _mm_storel_epi64((__m128i *)to, v);
            uint32_t rest = (uint32_t)_mm_extract_epi32(v, 2);
            memcpy(to + 8, &rest, 4);
        }
        if (!whole)
            memcpy(dst, tmp, (size_t)(c->out_size - x) * C);
    }
}

__attribute__((target("avx2"))) static void
horizontal_rgb_avx2(const struct img_weights *c, const uint8_t *src, uint8_t *dst)
{
    horizontal_row_avx2(c, src, dst, 3);
}

__attribute__((target("avx2"))) static void
horizontal_rgba_avx2(const struct img_weights *c, const uint8_t *src, uint8_t *dst)
{
    horizontal_row_avx2(c, src, dst, 4);
}
#endif

#ifdef __SSE2__
/* Grey: eight taps per step, the weights used as they lie in memory. */
static void
horizontal_row_grey_sse2(const struct img_weights *c, const uint8_t *src, uint8_t *dst)
{
    const __m128i zero = _mm_setzero_si128();
    for (uint32_t x = 0; x < c->out_size; x++) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        const uint8_t *s = src + c->bounds[2 * x];
        int32_t count = c->bounds[2 * x + 1];
        __m128i acc = _mm_setzero_si128();
        for (int32_t j = 0; j < count; j += 8) {
            __m128i px = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(s + j)), zero);
            acc = _mm_add_epi32(acc, _mm_madd_epi16(px, _mm_loadu_si128((const __m128i *)(k + j))));
        }
        acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4e)); /* lanes 0+2, 1+3 */
        acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xb1)); /* all four */
        dst[x] = clip8(_mm_cvtsi128_si32(acc) + HALF);
    }
}
#endif

/* One row of the horizontal pass; `simd`: src has MID_SLACK bytes of
 * buffer after the row, which the SIMD loops may read. */
static void
horizontal_one(const struct img_weights *c, const uint8_t *src, uint8_t *dst,
               uint32_t channels, bool simd)
{
#ifdef HAVE_AVX2_CLONE
    if (simd && channels >= 3 && __builtin_cpu_supports("avx2")) {
        if (channels == 3)
            horizontal_rgb_avx2(c, src, dst);
        else
            horizontal_rgba_avx2(c, src, dst);
        return;
    }
#endif
#ifdef HAVE_SSSE3_CLONE
    if (simd && channels >= 3 && __builtin_cpu_supports("ssse3")) {
        horizontal_row_ssse3(c, src, dst, (int)channels);
        return;
    }
#endif
#ifdef __SSE2__
    if (simd && channels >= 3) {
        horizontal_row_sse2(c, src, dst, (int)channels);
        return;
    }
    if (simd && channels == 1) {
        horizontal_row_grey_sse2(c, src, dst);
        return;
    }
#endif
    (void)simd;
    switch (channels) {
    case 1: horizontal_row(c, src, dst, 1); break;
    case 2: horizontal_row(c, src, dst, 2); break;
    case 3: horizontal_row(c, src, dst, 3); break;
    default: horizontal_row(c, src, dst, 4); break;
    }
}

void
img_resize_horizontal_row(const struct img_weights *c, const uint8_t *src, uint8_t *dst,
                          uint32_t channels)
{
    horizontal_one(c, src, dst, channels, true);
}

/* `slack`: the buffer has MID_SLACK bytes after its last row, so SIMD
 * may read past any window; otherwise only rows with that much data after
 * them take the SIMD loops. */
static void
horizontal(const struct img_weights *c, const uint8_t *src0, size_t stride,
           uint32_t rows, axle_pixels *out, bool slack)
{
    for (uint32_t y = 0; y < rows; y++) {
        size_t after = (size_t)(rows - 1 - y) * stride + (slack ? MID_SLACK : 0);
        horizontal_one(c, src0 + y * stride, out->data + y * out->stride, out->channels,
                       after >= MID_SLACK);
    }
}

/* ---- alpha ---- */

/* Pillow resizes RGBA as premultiplied RGBa (and LA as La), so that
 * transparent pixels do not bleed their colour into the edges. */
static void
premultiply(axle_pixels *px)
{
    uint32_t c = px->channels, a = c - 1;
    for (uint32_t y = 0; y < px->height; y++) {
        uint8_t *p = px->data + y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, p += c)
            for (uint32_t k = 0; k < a; k++) {
                uint32_t t = p[k] * p[a] + 128;
                p[k] = (uint8_t)(((t >> 8) + t) >> 8);
            }
    }
}

static void
unpremultiply(axle_pixels *px)
{
    uint32_t c = px->channels, a = c - 1;
    for (uint32_t y = 0; y < px->height; y++) {
        uint8_t *p = px->data + y * px->stride;
        for (uint32_t x = 0; x < px->width; x++, p += c) {
            uint32_t alpha = p[a];
            if (alpha == 0 || alpha == 255)
                continue;
            for (uint32_t k = 0; k < a; k++) {
                uint32_t v = 255 * p[k] / alpha;
                p[k] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
    }
}

/* ---- the weights kept between calls ---- */

/* The weights depend only on the two sizes, and a batch of photos from one
 * camera asks for the same ones again and again: each thread keeps the
 * last vertical and horizontal ones (a few KB), freed when it ends.
 * Computing them costs about 2 % of a thumbnail. */
struct weight_cache {
    struct img_weights vert, horiz;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_usable;

static void
cache_free(void *p)
{
    struct weight_cache *c = p;
    img_weights_free(&c->vert);
    img_weights_free(&c->horiz);
    free(c);
}

static void
cache_init(void)
{
    cache_usable = pthread_key_create(&cache_key, cache_free) == 0;
}

/* This thread's cache, or NULL (then the weights are made for one call). */
static struct weight_cache *
cache_get(void)
{
    pthread_once(&cache_once, cache_init);
    if (!cache_usable)
        return NULL;
    struct weight_cache *c = pthread_getspecific(cache_key);
    if (!c && (c = calloc(1, sizeof *c)) && pthread_setspecific(cache_key, c) != 0) {
        free(c);
        c = NULL;
    }
    return c;
}

/* A resize fed row by row (image_resize_stream.c) uses the same kept
 * weights as a whole-image resize of the same sizes. */
int
img_resize_weights(uint32_t in_w, uint32_t in_h, uint32_t out_w, uint32_t out_h,
                   struct img_weights own[2], const struct img_weights **vert,
                   const struct img_weights **horiz)
{
    struct weight_cache *w = cache_get();
    struct img_weights *v = w ? &w->vert : &own[0], *h = w ? &w->horiz : &own[1];
    if (img_weights_make(v, in_h, out_h) != AXLE_OK ||
        img_weights_make(h, in_w, out_w) != AXLE_OK)
        return AXLE_ENOMEM;
    *vert = v;
    *horiz = h;
    return AXLE_OK;
}

/* ---- the resize ---- */

/* A pass over the whole of a side that keeps its size is the identity. */
static bool
pass_needed(const struct img_weights *w)
{
    return w->in_size != w->out_size || w->from != 0 || w->to != w->in_size;
}

static int
run_passes(const struct weight_cache *w, const axle_pixels *in, axle_pixels *out)
{
    size_t row = (size_t)in->width * in->channels;
    uint8_t *mid = NULL;
    const uint8_t *src = in->data;
    size_t src_stride = in->stride;
    if (pass_needed(&w->vert)) {
        mid = malloc(row * out->height + MID_SLACK);
        if (!mid)
            return AXLE_ENOMEM;
        if (vertical(&w->vert, in, mid) != AXLE_OK) {
            free(mid);
            return AXLE_ENOMEM;
        }
        src = mid;
        src_stride = row;
    }
    if (pass_needed(&w->horiz))
        horizontal(&w->horiz, src, src_stride, out->height, out, mid != NULL);
    else
        for (uint32_t y = 0; y < out->height; y++)
            memcpy(out->data + y * out->stride, src + y * src_stride, row);
    free(mid);
    return AXLE_OK;
}

int
img_resize_owned(axle_pixels *in, axle_pixels *out)
{
    struct img_box all = {0, 0, in->width, in->height};
    return img_resize_box_owned(in, &all, out);
}

int
img_resize_box_owned(axle_pixels *in, const struct img_box *box, axle_pixels *out)
{
    if (!in->data || !out->data || in->channels != out->channels ||
        in->channels < 1 || in->channels > 4 || !in->width || !in->height ||
        !out->width || !out->height || box->x0 < 0 || box->y0 < 0 ||
        box->x1 > in->width || box->y1 > in->height || box->x1 <= box->x0 ||
        box->y1 <= box->y0)
        return AXLE_EINVAL;
    struct weight_cache once, *w = cache_get();
    if (!w) {
        memset(&once, 0, sizeof once);
        w = &once;
    }
    int rc = AXLE_ENOMEM;
    if (img_weights_make_box(&w->vert, in->height, box->y0, box->y1, out->height) == AXLE_OK &&
        img_weights_make_box(&w->horiz, in->width, box->x0, box->x1, out->width) == AXLE_OK) {
        bool alpha = in->channels == 2 || in->channels == 4;
        if (alpha)
            premultiply(in);
        rc = run_passes(w, in, out);
        if (alpha && rc == AXLE_OK)
            unpremultiply(out);
    }
    if (w == &once) {
        img_weights_free(&once.vert);
        img_weights_free(&once.horiz);
    }
    return rc;
}

/* A copy of `in` the resize may premultiply. */
static int
copy_pixels(const axle_pixels *in, axle_pixels *copy)
{
    int rc = axle_pixels_alloc(copy, in->width, in->height, in->channels);
    if (rc != AXLE_OK)
        return rc;
    for (uint32_t y = 0; y < in->height; y++)
        memcpy(copy->data + y * copy->stride, in->data + y * in->stride, copy->stride);
    return AXLE_OK;
}

int
axle_pixels_resize(const axle_pixels *in, uint32_t width, uint32_t height,
                   axle_pixels *out)
{
    if (!out)
        return AXLE_EINVAL;
    memset(out, 0, sizeof *out);
    if (!in || !in->data || !in->width || !in->height || in->channels < 1 ||
        in->channels > 4 || in->stride < (size_t)in->width * in->channels)
        return AXLE_EINVAL;
    int rc = axle_pixels_alloc(out, width, height, in->channels);
    if (rc != AXLE_OK)
        return rc;
    axle_pixels copy = *in; /* read only, unless it has alpha */
    bool alpha = in->channels == 2 || in->channels == 4;
    if (alpha)
        rc = copy_pixels(in, &copy);
    if (rc == AXLE_OK)
        rc = img_resize_owned(&copy, out);
    if (alpha)
        axle_pixels_free(&copy);
    if (rc != AXLE_OK)
        axle_pixels_free(out);
    return rc;
}
