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

/* The grey resize's rounding of a sum (image_resize.c's clip8). */
static inline uint32_t
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

void
img_ycc_horizontal_row(const struct img_weights *w, const uint8_t *y, const uint8_t *cb,
                       const uint8_t *cr, uint8_t *dst)
{
    pthread_once(&tables_once, tables_make);
#ifdef __SSE2__
    row_sse2(w, y, cb, cr, dst);
#else
    row_plain(w, y, cb, cr, dst);
#endif
}
