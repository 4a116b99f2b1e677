/* image_jpeg_planes.c - the horizontal pass of YCbCr planes, converted to
 * RGB as it goes (issue 12: decode to resize, fused).
 *
 * A JPEG holds Y, Cb and Cr.  Decoded the usual way, libjpeg converts
 * every pixel of the decode to RGB, and the resize then reads three
 * interleaved channels; decoded raw (jpeg_read_raw_data) the three planes
 * come straight from the IDCT into the rings of image_resize_stream.c,
 * each is resized on its own, and only the thumbnail's pixels are
 * converted, here, as the horizontal pass makes them.  One pass over the
 * three planes shares each group of weights between them and sums the
 * three at once.  Each plane's value is what the grey resize gives
 * (image_resize.c: the same weights, sums and rounding); the conversion
 * is libjpeg's (jdcolor.c: JFIF's full-range BT.601 in 16-bit fixed
 * point, rounded the same way).  The result differs from
 * convert-then-resize only by the 8-bit rounding of each plane
 * (tests/image/fused_resize.sh holds it within 0.1 dB after export). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_resize.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define HALF (1 << (IMG_WEIGHT_BITS - 1))

#define SCALEBITS 16
#define ONE_HALF ((int32_t)1 << (SCALEBITS - 1))
#define FIX(x) ((int32_t)((x) * (1L << SCALEBITS) + 0.5))

/* libjpeg's tables (jdcolor.c build_ycc_rgb_table), and its range limit:
 * clamp[v + CLAMP_OFFSET] is v cut to 0..255 for every sum they make. */
#define CLAMP_OFFSET 384
static struct {
    int32_t cr_r[256], cb_b[256], cr_g[256], cb_g[256];
    uint8_t clamp[1024];
} t;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void
tables_make(void)
{
    for (int32_t i = 0; i < 256; i++) {
        int32_t x = i - 128;
        t.cr_r[i] = (FIX(1.40200) * x + ONE_HALF) >> SCALEBITS;
        t.cb_b[i] = (FIX(1.77200) * x + ONE_HALF) >> SCALEBITS;
        t.cr_g[i] = -FIX(0.71414) * x;
        t.cb_g[i] = -FIX(0.34414) * x + ONE_HALF;
    }
    for (int32_t v = 0; v < 1024; v++) {
        int32_t c = v - CLAMP_OFFSET;
        t.clamp[v] = (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
    }
}

/* libjpeg's ycc_rgb_convert for one pixel. */
static inline void
ycc_to_rgb(uint32_t y, uint32_t cb, uint32_t cr, uint8_t *o)
{
    const uint8_t *clamp = t.clamp + CLAMP_OFFSET + y;
    o[0] = clamp[t.cr_r[cr]];
    o[1] = clamp[(t.cb_g[cb] + t.cr_g[cr]) >> SCALEBITS];
    o[2] = clamp[t.cb_b[cb]];
}

/* The grey resize's rounding of a sum (image_resize.c's clip8); the SIMD
 * rows round the same way. */
static inline __attribute__((unused)) uint32_t
to8(int32_t acc)
{
    acc >>= IMG_WEIGHT_BITS;
    return acc < 0 ? 0 : acc > 255 ? 255 : (uint32_t)acc;
}

#ifdef __SSE2__
/* Eight taps per step from each plane, the weights loaded once for the
 * three; reads up to 7 bytes past a window (the caller's slack). */
static void
row_sse2(const struct img_weights *c, const uint8_t *py, const uint8_t *pb,
         const uint8_t *pr, uint8_t *dst)
{
    const __m128i zero = _mm_setzero_si128();
    for (uint32_t x = 0; x < c->out_size; x++, dst += 3) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        int32_t first = c->bounds[2 * x], count = c->bounds[2 * x + 1];
        const uint8_t *sy = py + first, *sb = pb + first, *sr = pr + first;
        __m128i ay = zero, ab = zero, ar = zero;
        for (int32_t j = 0; j < count; j += 8) {
            __m128i kk = _mm_loadu_si128((const __m128i *)(k + j));
            __m128i vy = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(sy + j)), zero);
            __m128i vb = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(sb + j)), zero);
            __m128i vr = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(sr + j)), zero);
            ay = _mm_add_epi32(ay, _mm_madd_epi16(vy, kk));
            ab = _mm_add_epi32(ab, _mm_madd_epi16(vb, kk));
            ar = _mm_add_epi32(ar, _mm_madd_epi16(vr, kk));
        }
        /* The three sums side by side: (Y, Cb, Cr, 0). */
        __m128i s0 = _mm_add_epi32(_mm_unpacklo_epi32(ay, ab), _mm_unpackhi_epi32(ay, ab));
        __m128i s1 = _mm_add_epi32(_mm_unpacklo_epi32(ar, zero), _mm_unpackhi_epi32(ar, zero));
        __m128i sum = _mm_add_epi32(_mm_unpacklo_epi64(s0, s1), _mm_unpackhi_epi64(s0, s1));
        sum = _mm_srai_epi32(_mm_add_epi32(sum, _mm_set1_epi32(HALF)), IMG_WEIGHT_BITS);
        sum = _mm_packs_epi32(sum, sum); /* clamps as to8 does */
        uint32_t v = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(sum, sum));
        ycc_to_rgb(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, dst);
    }
}
#endif

#ifndef __SSE2__
/* The same integers, one tap at a time. */
static void
row_plain(const struct img_weights *c, const uint8_t *py, const uint8_t *pb,
          const uint8_t *pr, uint8_t *dst)
{
    for (uint32_t x = 0; x < c->out_size; x++, dst += 3) {
        const int16_t *k = c->k + (size_t)x * c->kstride;
        int32_t first = c->bounds[2 * x], count = c->bounds[2 * x + 1];
        int32_t ay = HALF, ab = HALF, ar = HALF;
        for (int32_t j = 0; j < count; j++) {
            ay += py[first + j] * k[j];
            ab += pb[first + j] * k[j];
            ar += pr[first + j] * k[j];
        }
        ycc_to_rgb(to8(ay), to8(ab), to8(ar), dst);
    }
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_CLONE 1

/* The three planes' sums for one output pixel, 16 taps a step (one
 * AVX2 pmaddwd each), then the last 8 when n asks: n is a multiple of 8
 * no larger than kstride, so the weights read are the pixel's own or its
 * zero padding.  Four lanes each, added up by four_to8.  Inlined with n a
 * constant (row_fixed), the loop unrolls. */
__attribute__((target("avx2"), always_inline)) static inline void
pixel_sums_avx2(const int16_t *k, const uint8_t *sy, const uint8_t *sb, const uint8_t *sr,
                int32_t n, __m128i *ay, __m128i *ab, __m128i *ar)
{
    __m256i y = _mm256_setzero_si256(), b = y, r = y;
    int32_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m256i kk = _mm256_loadu_si256((const __m256i *)(k + j));
        y = _mm256_add_epi32(y, _mm256_madd_epi16(
            _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(sy + j))), kk));
        b = _mm256_add_epi32(b, _mm256_madd_epi16(
            _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(sb + j))), kk));
        r = _mm256_add_epi32(r, _mm256_madd_epi16(
            _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(sr + j))), kk));
    }
    *ay = _mm_add_epi32(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
    *ab = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
    *ar = _mm_add_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    if (j < n) {
        __m128i kk = _mm_loadu_si128((const __m128i *)(k + j));
        *ay = _mm_add_epi32(*ay, _mm_madd_epi16(
            _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(sy + j))), kk));
        *ab = _mm_add_epi32(*ab, _mm_madd_epi16(
            _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(sb + j))), kk));
        *ar = _mm_add_epi32(*ar, _mm_madd_epi16(
            _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(sr + j))), kk));
    }
}

/* Four pixels' lanes (a0..a3: each pixel's four partial sums) to their
 * four 8-bit values as to8 rounds them, one per 32-bit lane. */
__attribute__((target("avx2"), always_inline)) static inline __m128i
four_to8(__m128i a0, __m128i a1, __m128i a2, __m128i a3)
{
    __m128i s = _mm_hadd_epi32(_mm_hadd_epi32(a0, a1), _mm_hadd_epi32(a2, a3));
    s = _mm_srai_epi32(_mm_add_epi32(s, _mm_set1_epi32(HALF)), IMG_WEIGHT_BITS);
    return _mm_min_epi32(_mm_max_epi32(s, _mm_setzero_si128()), _mm_set1_epi32(255));
}

/* Four pixels of 8-bit Y, Cb, Cr (one per 32-bit lane) to 12 bytes of
 * RGB: libjpeg's tables computed rather than looked up (the same
 * products, offsets and arithmetic shifts), and its clamp by saturating
 * packs. */
__attribute__((target("avx2"), always_inline)) static inline __m128i
four_to_rgb(__m128i y, __m128i cb, __m128i cr)
{
    const __m128i centre = _mm_set1_epi32(128), half = _mm_set1_epi32(ONE_HALF);
    cb = _mm_sub_epi32(cb, centre);
    cr = _mm_sub_epi32(cr, centre);
    __m128i r = _mm_mullo_epi32(cr, _mm_set1_epi32(FIX(1.40200)));
    __m128i b = _mm_mullo_epi32(cb, _mm_set1_epi32(FIX(1.77200)));
    __m128i g = _mm_add_epi32(_mm_mullo_epi32(cb, _mm_set1_epi32(-FIX(0.34414))),
                              _mm_mullo_epi32(cr, _mm_set1_epi32(-FIX(0.71414))));
    r = _mm_add_epi32(y, _mm_srai_epi32(_mm_add_epi32(r, half), SCALEBITS));
    g = _mm_add_epi32(y, _mm_srai_epi32(_mm_add_epi32(g, half), SCALEBITS));
    b = _mm_add_epi32(y, _mm_srai_epi32(_mm_add_epi32(b, half), SCALEBITS));
    /* R0-3 G0-3 B0-3 as bytes, then in pixel order */
    __m128i bytes = _mm_packus_epi16(_mm_packs_epi32(r, g), _mm_packs_epi32(b, b));
    return _mm_shuffle_epi8(bytes, _mm_setr_epi8(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11,
                                                 -1, -1, -1, -1));
}

/* Output pixels x .. x+3 (each index cut to the row's last pixel) as 12
 * bytes of RGB; n as for pixel_sums_avx2, or 0: each pixel's own count
 * rounded up to 8. */
__attribute__((target("avx2"), always_inline)) static inline __m128i
four_pixels(const struct img_weights *c, const uint8_t *py, const uint8_t *pb,
            const uint8_t *pr, uint32_t x, int32_t n)
{
    __m128i ay[4], ab[4], ar[4];
    uint32_t last = c->out_size - 1;
#pragma GCC unroll 4
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t at = x + i < last ? x + i : last;
        int32_t first = c->bounds[2 * at];
        int32_t taps = n ? n : (c->bounds[2 * at + 1] + 7) & ~7;
        pixel_sums_avx2(c->k + (size_t)at * c->kstride, py + first, pb + first, pr + first,
                        taps, &ay[i], &ab[i], &ar[i]);
    }
    return four_to_rgb(four_to8(ay[0], ay[1], ay[2], ay[3]),
                       four_to8(ab[0], ab[1], ab[2], ab[3]),
                       four_to8(ar[0], ar[1], ar[2], ar[3]));
}

/* The row four output pixels at a time: their sums are added up, rounded
 * and converted together, which costs about what one pixel's does alone.
 * With n (a constant here) every pixel takes kstride taps, the zero
 * padding included, so the loops unroll; the same integers either way,
 * and as row_sse2's. */
__attribute__((target("avx2"), always_inline)) static inline void
row_fixed(const struct img_weights *c, const uint8_t *py, const uint8_t *pb,
          const uint8_t *pr, uint8_t *dst, int32_t n)
{
    uint32_t x = 0;
    for (; x + 4 <= c->out_size; x += 4, dst += 12) {
        __m128i rgb = four_pixels(c, py, pb, pr, x, n);
        _mm_storel_epi64((__m128i *)dst, rgb);
        uint32_t tail = (uint32_t)_mm_extract_epi32(rgb, 2);
        memcpy(dst + 8, &tail, 4);
    }
    if (x < c->out_size) {
        uint8_t tmp[16];
        _mm_storeu_si128((__m128i *)tmp, four_pixels(c, py, pb, pr, x, n));
        memcpy(dst, tmp, 3 * (size_t)(c->out_size - x));
    }
}

/* Every pixel takes kstride taps when that is one of the usual 8 to 32
 * (a window ends at the row's end at the latest, so its reads stay
 * within IMG_RESIZE_SLACK past it); larger reductions take each pixel's
 * own count. */
__attribute__((target("avx2"))) static void
row_avx2(const struct img_weights *c, const uint8_t *py, const uint8_t *pb,
         const uint8_t *pr, uint8_t *dst)
{
    switch (c->kstride) {
    case 8: row_fixed(c, py, pb, pr, dst, 8); break;
    case 16: row_fixed(c, py, pb, pr, dst, 16); break;
    case 24: row_fixed(c, py, pb, pr, dst, 24); break;
    case 32: row_fixed(c, py, pb, pr, dst, 32); break;
    default: row_fixed(c, py, pb, pr, dst, 0); break;
    }
}
#endif

/* ---- eight output pixels at a time, no horizontal sums (vips12) ----
 * The rows above make each output pixel's sums in vector lanes and then
 * add the lanes up: the additions, shuffles and conversions of those sums
 * cost more than the multiplies.  Here the eight pixels of a block are
 * the eight lanes: each input pair (2i, 2i + 1) of the block's window,
 * as two 16-bit words broadcast, is multiplied by the eight pixels'
 * weights of those two inputs (0 outside a pixel's own taps) and added
 * into the lanes: pmaddwd and paddd, or one vpdpwssd with AVX-512 VNNI.
 * That is about twice the multiplies (a block's window is about twice a
 * pixel's), but no sums to add up: the lanes come out as the eight pixels, rounded and
 * converted together.  The same products are added, so the same integers
 * as the other rows. */
#define BLOCK 8

struct img_ycc_rows {
    uint32_t out_size, nblocks;
    int32_t *start;   /* per block: its first input, even */
    uint32_t *pairs;  /* per block: its input pairs */
    size_t *at;       /* per block: where its weights start in k2 */
    int16_t *k2;      /* per block, pair and pixel: the pixel's weights of
                       * the pair's two inputs (a 32-bit lane) */
    uint16_t *wide;   /* the three planes' rows as 16-bit words */
    size_t wide_len;  /* words of a plane's row */
    bool vnni;        /* vpdpwssd for pmaddwd and paddd (AVX-512 VNNI) */
};

void
img_ycc_rows_free(struct img_ycc_rows *r)
{
    if (!r)
        return;
    free(r->start);
    free(r->pairs);
    free(r->at);
    free(r->k2);
    free(r->wide);
    free(r);
}

/* Block b's window: *start (even) and its input pairs. */
static void
block_window(const struct img_weights *w, uint32_t b, int32_t *start, uint32_t *pairs)
{
    uint32_t o0 = b * BLOCK, o1 = o0 + BLOCK < w->out_size ? o0 + BLOCK : w->out_size;
    int32_t end = 0;
    for (uint32_t o = o0; o < o1; o++) {
        int32_t e = w->bounds[2 * o] + w->bounds[2 * o + 1];
        end = e > end ? e : end;
    }
    *start = w->bounds[2 * o0] & ~1;
    *pairs = (uint32_t)(end - *start + 1) / 2;
}

/* The blocks' windows and weights: each pixel's taps put in its lane,
 * the rest of the table zero (one pass over the taps, a few hundred
 * microseconds less a photo than asking each lane for each input). */
static int
rows_fill(struct img_ycc_rows *r, const struct img_weights *w)
{
    size_t total = 0;
    for (uint32_t b = 0; b < r->nblocks; b++) {
        block_window(w, b, &r->start[b], &r->pairs[b]);
        r->at[b] = total;
        total += (size_t)r->pairs[b] * BLOCK * 2;
    }
    /* 32-byte aligned: each pair's eight lanes are one aligned load */
    size_t bytes = (total * sizeof *r->k2 + 31) & ~(size_t)31;
    if (!(r->k2 = aligned_alloc(32, bytes)))
        return -1;
    memset(r->k2, 0, bytes);
    for (uint32_t o = 0; o < w->out_size; o++) {
        uint32_t b = o / BLOCK;
        int32_t first = w->bounds[2 * o], count = w->bounds[2 * o + 1];
        const int16_t *k = w->k + (size_t)o * w->kstride;
        for (int32_t tap = 0; tap < count; tap++) {
            int32_t d = first + tap - r->start[b]; /* pair d / 2, its word d % 2 */
            r->k2[r->at[b] + ((size_t)(d / 2) * BLOCK + o % BLOCK) * 2 + d % 2] = k[tap];
        }
    }
    return 0;
}

struct img_ycc_rows *
img_ycc_rows_new(const struct img_weights *w)
{
    /* wider windows: the blocks' windows multiply more than they save
     * (measured at 48 taps: no faster) */
#ifdef HAVE_AVX2_CLONE
    bool avx2 = __builtin_cpu_supports("avx2");
#else
    bool avx2 = false;
#endif
    if (!avx2 || !w || !w->out_size || w->kstride > 32)
        return NULL;
    struct img_ycc_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->vnni = img_have_avx512();
    r->out_size = w->out_size;
    r->nblocks = (w->out_size + BLOCK - 1) / BLOCK;
    /* whole 32-pixel steps of the widening, and the pair past the last
     * input a window of odd length reads (weight 0) */
    r->wide_len = ((size_t)w->in_size + 31) / 32 * 32 + 32;
    r->start = calloc(r->nblocks, sizeof *r->start);
    r->pairs = calloc(r->nblocks, sizeof *r->pairs);
    r->at = calloc(r->nblocks, sizeof *r->at);
    r->wide = calloc(3 * r->wide_len, sizeof *r->wide);
    if (!r->start || !r->pairs || !r->at || !r->wide || rows_fill(r, w) != 0) {
        img_ycc_rows_free(r);
        return NULL;
    }
    return r;
}

#ifdef HAVE_AVX2_CLONE
#define VNNI_TARGET "avx512f,avx512bw,avx512vl,avx512vnni"

/* A plane's row as 16-bit words, 16 a step (into the row's slack, which
 * only weights of 0 meet). */
__attribute__((target("avx2"))) static void
widen_avx2(const uint8_t *src, uint16_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i += 16)
        _mm256_storeu_si256((__m256i *)(dst + i),
                            _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(src + i))));
}

/* Input words x and x + 1 in every 32-bit lane. */
__attribute__((target("avx2"), always_inline)) static inline __m256i
broadcast_pair(const uint16_t *x)
{
    int32_t pair;
    memcpy(&pair, x, 4);
    return _mm256_set1_epi32(pair);
}

/* The sums of a block: p[0..2] its first Y, Cb, Cr words, k its pairs'
 * weights; s[0..2] the eight pixels' sums of each plane, the rounding half
 * in.  Two sets of sums, even and odd pairs, so that each multiply-add
 * waits on the one before the last, not the last (the latency of one
 * chain, not the multiplies, bounded it).  With AVX2, pmaddwd and paddd;
 * with VNNI, vpdpwssd, the two in one. */
__attribute__((target("avx2"), always_inline)) static inline void
block_sums_avx2(const __m256i *k, uint32_t pairs, const uint16_t *const p[3], __m256i s[3])
{
    __m256i ey = _mm256_set1_epi32(HALF), eb = ey, er = ey;
    __m256i oy = _mm256_setzero_si256(), ob = oy, orr = oy;
    uint32_t i = 0;
    for (; i + 2 <= pairs; i += 2) {
        ey = _mm256_add_epi32(ey, _mm256_madd_epi16(k[i], broadcast_pair(p[0] + 2 * i)));
        eb = _mm256_add_epi32(eb, _mm256_madd_epi16(k[i], broadcast_pair(p[1] + 2 * i)));
        er = _mm256_add_epi32(er, _mm256_madd_epi16(k[i], broadcast_pair(p[2] + 2 * i)));
        oy = _mm256_add_epi32(oy, _mm256_madd_epi16(k[i + 1], broadcast_pair(p[0] + 2 * i + 2)));
        ob = _mm256_add_epi32(ob, _mm256_madd_epi16(k[i + 1], broadcast_pair(p[1] + 2 * i + 2)));
        orr = _mm256_add_epi32(orr, _mm256_madd_epi16(k[i + 1], broadcast_pair(p[2] + 2 * i + 2)));
    }
    if (i < pairs) {
        ey = _mm256_add_epi32(ey, _mm256_madd_epi16(k[i], broadcast_pair(p[0] + 2 * i)));
        eb = _mm256_add_epi32(eb, _mm256_madd_epi16(k[i], broadcast_pair(p[1] + 2 * i)));
        er = _mm256_add_epi32(er, _mm256_madd_epi16(k[i], broadcast_pair(p[2] + 2 * i)));
    }
    s[0] = _mm256_add_epi32(ey, oy);
    s[1] = _mm256_add_epi32(eb, ob);
    s[2] = _mm256_add_epi32(er, orr);
}

__attribute__((target(VNNI_TARGET), always_inline)) static inline void
block_sums_vnni(const __m256i *k, uint32_t pairs, const uint16_t *const p[3], __m256i s[3])
{
    __m256i ey = _mm256_set1_epi32(HALF), eb = ey, er = ey;
    __m256i oy = _mm256_setzero_si256(), ob = oy, orr = oy;
    uint32_t i = 0;
    for (; i + 2 <= pairs; i += 2) {
        ey = _mm256_dpwssd_epi32(ey, k[i], broadcast_pair(p[0] + 2 * i));
        eb = _mm256_dpwssd_epi32(eb, k[i], broadcast_pair(p[1] + 2 * i));
        er = _mm256_dpwssd_epi32(er, k[i], broadcast_pair(p[2] + 2 * i));
        oy = _mm256_dpwssd_epi32(oy, k[i + 1], broadcast_pair(p[0] + 2 * i + 2));
        ob = _mm256_dpwssd_epi32(ob, k[i + 1], broadcast_pair(p[1] + 2 * i + 2));
        orr = _mm256_dpwssd_epi32(orr, k[i + 1], broadcast_pair(p[2] + 2 * i + 2));
    }
    if (i < pairs) {
        ey = _mm256_dpwssd_epi32(ey, k[i], broadcast_pair(p[0] + 2 * i));
        eb = _mm256_dpwssd_epi32(eb, k[i], broadcast_pair(p[1] + 2 * i));
        er = _mm256_dpwssd_epi32(er, k[i], broadcast_pair(p[2] + 2 * i));
    }
    s[0] = _mm256_add_epi32(ey, oy);
    s[1] = _mm256_add_epi32(eb, ob);
    s[2] = _mm256_add_epi32(er, orr);
}

/* Eight sums, rounded and clamped as to8 does. */
__attribute__((target("avx2"), always_inline)) static inline __m256i
eight_to8(__m256i a)
{
    a = _mm256_srai_epi32(a, IMG_WEIGHT_BITS);
    return _mm256_min_epi32(_mm256_max_epi32(a, _mm256_setzero_si256()),
                            _mm256_set1_epi32(255));
}

/* Block b's eight pixels (fewer at the row's end) as RGB into dst. */
__attribute__((target("avx2"), always_inline)) static inline void
block_store(const struct img_ycc_rows *r, uint32_t b, const __m256i s[3], uint8_t *dst)
{
    __m256i y = eight_to8(s[0]), cb = eight_to8(s[1]), cr = eight_to8(s[2]);
    __m128i lo = four_to_rgb(_mm256_castsi256_si128(y), _mm256_castsi256_si128(cb),
                             _mm256_castsi256_si128(cr));
    __m128i hi = four_to_rgb(_mm256_extracti128_si256(y, 1), _mm256_extracti128_si256(cb, 1),
                             _mm256_extracti128_si256(cr, 1));
    uint32_t left = r->out_size - b * BLOCK;
    uint8_t *o = dst + (size_t)b * BLOCK * 3;
    if (left >= BLOCK) {
        _mm_storel_epi64((__m128i *)o, lo);
        uint32_t tail = (uint32_t)_mm_extract_epi32(lo, 2);
        memcpy(o + 8, &tail, 4);
        _mm_storel_epi64((__m128i *)(o + 12), hi);
        tail = (uint32_t)_mm_extract_epi32(hi, 2);
        memcpy(o + 20, &tail, 4);
    } else {
        uint8_t tmp[32];
        _mm_storeu_si128((__m128i *)tmp, lo);
        _mm_storeu_si128((__m128i *)(tmp + 12), hi);
        memcpy(dst + (size_t)b * BLOCK * 3, tmp, 3 * (size_t)left);
    }
}

/* The three rows widened; *p the planes' words. */
__attribute__((target("avx2"))) static void
widen_rows(struct img_ycc_rows *r, const uint8_t *y, const uint8_t *cb, const uint8_t *cr,
           uint16_t *p[3])
{
    size_t n = r->wide_len - 32; /* what the windows read, in whole steps */
    p[0] = r->wide;
    p[1] = p[0] + r->wide_len;
    p[2] = p[1] + r->wide_len;
    widen_avx2(y, p[0], n);
    widen_avx2(cb, p[1], n);
    widen_avx2(cr, p[2], n);
}

#define BLOCK_PLANES(p, start) {(p)[0] + (start), (p)[1] + (start), (p)[2] + (start)}

/* The rows of a batch, block by block, for one CPU target: the same loop
 * around each target's own block sums, each compiled (and the sums
 * inlined) for its own instructions. */
#define ROWS_RUN(name, isa, block_sums)                                               \
    __attribute__((target(isa))) static void name(                                    \
        struct img_ycc_rows *r, const uint8_t *y, const uint8_t *cb, const uint8_t *cr, \
        uint8_t *dst)                                                                 \
    {                                                                                 \
        uint16_t *p[3];                                                               \
        widen_rows(r, y, cb, cr, p);                                                  \
        for (uint32_t b = 0; b < r->nblocks; b++) {                                   \
            const uint16_t *const at[3] = BLOCK_PLANES(p, r->start[b]);               \
            __m256i s[3];                                                             \
            block_sums((const __m256i *)(r->k2 + r->at[b]), r->pairs[b], at, s);      \
            block_store(r, b, s, dst);                                                \
        }                                                                             \
    }

ROWS_RUN(rows_run_avx2, "avx2", block_sums_avx2)
ROWS_RUN(rows_run_vnni, VNNI_TARGET, block_sums_vnni)
#endif

void
img_ycc_rows_run(struct img_ycc_rows *r, const uint8_t *y, const uint8_t *cb,
                 const uint8_t *cr, uint8_t *dst)
{
#ifdef HAVE_AVX2_CLONE
    if (r->vnni)
        rows_run_vnni(r, y, cb, cr, dst);
    else
        rows_run_avx2(r, y, cb, cr, dst);
#else
    (void)r; (void)y; (void)cb; (void)cr; (void)dst; /* img_ycc_rows_new gave NULL */
#endif
}

void
img_ycc_horizontal_row(const struct img_weights *w, const uint8_t *y, const uint8_t *cb,
                       const uint8_t *cr, uint8_t *dst)
{
#ifdef HAVE_AVX2_CLONE
    if (__builtin_cpu_supports("avx2")) {
        row_avx2(w, y, cb, cr, dst);
        return;
    }
#endif
    pthread_once(&tables_once, tables_make);
#ifdef __SSE2__
    row_sse2(w, y, cb, cr, dst);
#else
    row_plain(w, y, cb, cr, dst);
#endif
}
