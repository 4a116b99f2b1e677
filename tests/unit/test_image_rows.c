/* test_image_rows.c - the row kernels of the resize (issue 12): the SIMD
 * vertical pass, the RGB(A) horizontal pass and the YCbCr horizontal pass
 * with its conversion to RGB, against the plain integers they must equal
 * byte for byte (cached jobs rely on the same pixels on every machine).
 * The kernels are libaxle's own (not exported): their files are built in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image_resize.h"

/* A deterministic byte sequence (xorshift), for row contents. */
static uint8_t
next_byte(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return (uint8_t)(*x >> 11);
}

/* One pixel of libjpeg's YCbCr -> RGB (jdcolor.c, 16-bit fixed point). */
static void
ref_ycc(int y, int cb, int cr, uint8_t *o)
{
    const int32_t one_half = 1 << 15;
    int32_t r = (91881 * (cr - 128) + one_half) >> 16;  /* FIX(1.40200) */
    int32_t b = (116130 * (cb - 128) + one_half) >> 16; /* FIX(1.77200) */
    int32_t g = (-22554 * (cb - 128) + one_half - 46802 * (cr - 128)) >> 16;
    int32_t v[3] = {y + r, y + g, y + b};
    for (int k = 0; k < 3; k++)
        o[k] = (uint8_t)(v[k] < 0 ? 0 : v[k] > 255 ? 255 : v[k]);
}

/* The plain horizontal pass of one plane's row, output pixel x. */
static uint8_t
ref_tap(const struct img_weights *w, const uint8_t *src, uint32_t x)
{
    const int16_t *k = w->k + (size_t)x * w->kstride;
    int32_t first = w->bounds[2 * x], count = w->bounds[2 * x + 1];
    int32_t acc = 1 << (IMG_WEIGHT_BITS - 1);
    for (int32_t j = 0; j < count; j++)
        acc += src[first + j] * k[j];
    acc >>= IMG_WEIGHT_BITS;
    return (uint8_t)(acc < 0 ? 0 : acc > 255 ? 255 : acc);
}

/* img_ycc_horizontal_row (and img_ycc_rows_run) is each plane's
 * horizontal pass, then libjpeg's conversion: at every remainder of the output width by 4 (the AVX2 row
 * makes four pixels at a time), with 8 (an enlargement) to 32 taps (every
 * pixel then takes kstride of them) and with far more (each its own count), whatever lies
 * in the rows' slack. */
static void
ycc_row_exact(void)
{
    static const uint32_t sizes[][2] = {
        {1920, 601}, {960, 601}, {1920, 640}, {1000, 333}, {517, 173}, {1001, 250},
        {100, 99},   {64, 61},   {33, 30},    {9, 1},     {10, 2},    {11, 3},
        {4000, 101}, {2049, 62}, {640, 5},    {1280, 427}, {60, 100},  {61, 63}};
    uint32_t seed = 12345;
    bool kstrides[5] = {false}; /* 8, 16, 24, 32, larger */
    size_t blocks_made = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint32_t in = sizes[s][0], out = sizes[s][1];
        struct img_weights w;
        memset(&w, 0, sizeof w);
        assert_int_equal(img_weights_make(&w, in, out), AXLE_OK);
        kstrides[w.kstride <= 32 ? w.kstride / 8 - 1 : 4] = true;
        size_t len = in + IMG_RESIZE_SLACK;
        uint8_t *plane[3], *got = malloc(3 * (size_t)out), want[3];
        for (int p = 0; p < 3; p++) {
            plane[p] = malloc(len);
            for (size_t i = 0; i < len; i++) /* the slack too: it must not count */
                plane[p][i] = next_byte(&seed);
        }
        /* the rows, then (on a CPU with AVX2) the blocks of eight */
        struct img_ycc_rows *blocks = img_ycc_rows_new(&w);
        blocks_made += blocks != NULL;
        for (int pass = 0; pass < (blocks ? 2 : 1); pass++) {
            memset(got, 0xAA, 3 * (size_t)out);
            if (pass == 0)
                img_ycc_horizontal_row(&w, plane[0], plane[1], plane[2], got);
            else
                img_ycc_rows_run(blocks, plane[0], plane[1], plane[2], got);
            for (uint32_t x = 0; x < out; x++) {
                ref_ycc(ref_tap(&w, plane[0], x), ref_tap(&w, plane[1], x),
                        ref_tap(&w, plane[2], x), want);
                if (memcmp(got + 3 * x, want, 3) != 0)
                    fail_msg("%s: %u -> %u (kstride %d), pixel %u: %u %u %u, want %u %u %u",
                             pass ? "blocks" : "rows", in, out, w.kstride, x, got[3 * x],
                             got[3 * x + 1], got[3 * x + 2], want[0], want[1], want[2]);
            }
        }
        img_ycc_rows_free(blocks);
        for (int p = 0; p < 3; p++)
            free(plane[p]);
        free(got);
        img_weights_free(&w);
    }
    for (int i = 0; i < 5; i++)
        assert_true(kstrides[i]);
    /* the blocks take every size up to 32 taps where the CPU has AVX2 */
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2"))
        assert_true(blocks_made > sizeof sizes / sizeof sizes[0] / 2);
    else
#endif
        assert_int_equal(blocks_made, 0);
}

/* The YCbCr rows on this CPU: the blocks of eight (vips12) with VNNI
 * where it has AVX-512, and with AVX2's pmaddwd. */
static void
test_ycc_row_exact(void **state)
{
    (void)state;
    img_resize_avx512_off = false;
    ycc_row_exact();
    img_resize_avx512_off = true;
    ycc_row_exact();
    img_resize_avx512_off = false;
}

/* img_resize_horizontal_row of RGB and RGBA rows is each channel's plain
 * sum of taps, rounded: at every remainder of the output width by 4 (the
 * AVX2 row stores four pixels at a time), small and large reductions,
 * whatever lies in the row's slack. */
static void
test_rgb_row_exact(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {{1920, 601}, {1001, 250}, {517, 173}, {100, 99},
                                        {33, 30},    {11, 3},     {9, 1},     {2049, 62},
                                        {60, 100},   {1280, 427}};
    uint32_t seed = 4242;
    for (uint32_t C = 3; C <= 4; C++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            uint32_t in = sizes[s][0], out = sizes[s][1];
            struct img_weights w;
            memset(&w, 0, sizeof w);
            assert_int_equal(img_weights_make(&w, in, out), AXLE_OK);
            size_t len = (size_t)in * C + IMG_RESIZE_SLACK;
            uint8_t *row = malloc(len), *got = malloc((size_t)out * C), *one = malloc(in);
            for (size_t i = 0; i < len; i++) /* the slack too: it must not count */
                row[i] = next_byte(&seed);
            img_resize_horizontal_row(&w, row, got, C);
            for (uint32_t k = 0; k < C; k++) {
                for (uint32_t i = 0; i < in; i++)
                    one[i] = row[(size_t)i * C + k];
                for (uint32_t x = 0; x < out; x++) {
                    uint8_t want = ref_tap(&w, one, x);
                    if (got[(size_t)x * C + k] != want)
                        fail_msg("%u channels, %u -> %u, pixel %u channel %u: %u, want %u",
                                 C, in, out, x, k, got[(size_t)x * C + k], want);
                }
            }
            free(row);
            free(got);
            free(one);
            img_weights_free(&w);
        }
    }
}

/* img_resize_vertical_row is the plain sum of each byte's taps, rounded:
 * at widths around the SIMD steps (16, 32, 64 and, with AVX-512, 128
 * bytes), with an odd and an even number of taps. */
static void
vertical_row_exact(void)
{
    static const uint32_t sizes[][2] = {{1080, 338}, {540, 338}, {101, 33}, {50, 49},
                                        {2160, 100}};
    static const size_t widths[] = {1,   15,  16,  31,  32,  33,  63,  64,  65,  96,
                                    127, 128, 129, 191, 192, 200, 255, 256, 257, 383,
                                    1919, 1920};
    enum { WIDE = 1920 };
    uint32_t seed = 777;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct img_weights w;
        memset(&w, 0, sizeof w);
        assert_int_equal(img_weights_make(&w, sizes[s][0], sizes[s][1]), AXLE_OK);
        const uint8_t **rows = malloc((size_t)w.ksize * sizeof *rows);
        uint8_t *data = malloc((size_t)w.ksize * WIDE), got[WIDE];
        for (size_t i = 0; i < (size_t)w.ksize * WIDE; i++)
            data[i] = next_byte(&seed);
        for (int j = 0; j < w.ksize; j++)
            rows[j] = data + (size_t)j * WIDE;
        bool odd = false, even = false;
        for (uint32_t y = 0; y < w.out_size; y++) {
            const int16_t *k = w.k + (size_t)y * w.kstride;
            int32_t count = w.bounds[2 * y + 1];
            odd = odd || count % 2;
            even = even || !(count % 2);
            for (size_t n = 0; n < sizeof widths / sizeof widths[0]; n++) {
                img_resize_vertical_row(&w, y, rows, widths[n], got);
                for (size_t i = 0; i < widths[n]; i++) {
                    int32_t acc = 1 << (IMG_WEIGHT_BITS - 1);
                    for (int32_t j = 0; j < count; j++)
                        acc += rows[j][i] * k[j];
                    acc >>= IMG_WEIGHT_BITS;
                    acc = acc < 0 ? 0 : acc > 255 ? 255 : acc;
                    if (got[i] != acc)
                        fail_msg("%u -> %u row %u, width %zu, byte %zu: %u, want %d",
                                 sizes[s][0], sizes[s][1], y, widths[n], i, got[i], acc);
                }
            }
        }
        assert_true(odd && even);
        free(rows);
        free(data);
        img_weights_free(&w);
    }
}

/* The vertical pass's loops on this CPU: AVX-512 where it has them
 * (vips12), and its AVX2 ones either way. */
static void
test_vertical_row_exact(void **state)
{
    (void)state;
    img_resize_avx512_off = false;
    vertical_row_exact();
    img_resize_avx512_off = true;
    assert_false(img_have_avx512());
    vertical_row_exact();
    img_resize_avx512_off = false;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ycc_row_exact),
        cmocka_unit_test(test_rgb_row_exact),
        cmocka_unit_test(test_vertical_row_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
