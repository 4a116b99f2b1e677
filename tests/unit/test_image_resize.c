/* test_image_resize.c - the thumbnailer's own parts: PIL's thumbnail()
 * size rule, the Lanczos3 weights, the resampler against a plain
 * double-precision Lanczos3 written here, alpha handling, and thumb_make
 * (orientation, no upscaling, errors). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"
#include "../../plugins/thumbnailer/fit.h"
#include "../../plugins/thumbnailer/resample.h"
#include "../../plugins/thumbnailer/thumb.h"

/* Computed with Pillow 9.4: Image.new("1", (w, h)).thumbnail((bw, bh)). */
static const uint32_t fit_cases[][6] = {
    {3840, 2160, 640, 338, 601, 338},
    {2160, 3840, 640, 338, 190, 338},
    {4000, 3000, 256, 256, 256, 192},
    {3000, 4000, 256, 256, 192, 256},
    {1000, 1, 256, 256, 256, 1},
    {1, 1000, 256, 256, 1, 256},
    {5000, 3, 100, 100, 100, 1},
    {3, 5000, 100, 100, 1, 100},
    {1920, 1080, 1920, 1080, 1920, 1080},
    {1920, 1080, 1919, 1080, 1919, 1079},
    {1024, 683, 256, 256, 256, 171},
    {683, 1024, 256, 256, 171, 256},
    {100, 100, 99, 100, 99, 99},
    {333, 777, 65, 65, 28, 65},
    {720, 1440, 640, 338, 169, 338},
    {5120, 2880, 640, 338, 601, 338},
    {2880, 5120, 256, 256, 144, 256},
    {641, 339, 640, 338, 639, 338},
    {5104, 2094, 760, 368, 760, 312},
    {5658, 5343, 945, 543, 575, 543},
    {239, 3816, 795, 966, 61, 966},
    {2042, 5318, 54, 923, 54, 141},
    {1286, 929, 381, 481, 381, 275},
    {2021, 3121, 557, 105, 68, 105},
    {4703, 2044, 14, 749, 14, 6},
    {1777, 3345, 287, 187, 99, 187},
    {3192, 1309, 781, 817, 781, 320},
    {591, 1138, 633, 633, 329, 633},
    {3646, 1039, 136, 2, 7, 2},
    {45, 1717, 793, 221, 6, 221},
    {1360, 1365, 297, 322, 297, 298},
    {1631, 4419, 898, 695, 257, 695},
    {5127, 1679, 187, 964, 187, 61},
    {5659, 1614, 990, 989, 990, 282},
    {3141, 2449, 23, 370, 23, 18},
    {3400, 1361, 959, 150, 375, 150},
    {2163, 535, 340, 309, 340, 84},
    {4942, 4803, 4, 611, 4, 4},
    {5555, 5799, 347, 68, 65, 68},
    {2541, 2913, 839, 314, 274, 314},
    {3940, 5707, 324, 190, 131, 190},
    {3944, 3873, 722, 181, 184, 181},
    {468, 2100, 999, 962, 214, 962},
    {189, 2931, 866, 414, 27, 414},
    {150, 4499, 807, 429, 14, 429},
    {3001, 3085, 593, 862, 593, 610},
    {76, 3711, 48, 725, 15, 725},
    {1484, 5111, 979, 978, 284, 978},
};

static void
test_fit_like_pil(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fit_cases / sizeof fit_cases[0]; i++) {
        const uint32_t *c = fit_cases[i];
        uint32_t tw, th;
        thumb_fit(c[0], c[1], c[2], c[3], false, &tw, &th);
        if (tw != c[4] || th != c[5])
            fail_msg("%ux%u into %ux%u: got %ux%u, PIL gives %ux%u", c[0], c[1], c[2],
                     c[3], tw, th, c[4], c[5]);
    }
}

static void
test_fit_small_and_upscale(void **state)
{
    (void)state;
    uint32_t tw, th;
    thumb_fit(200, 150, 256, 256, false, &tw, &th); /* fits: kept */
    assert_int_equal(tw, 200);
    assert_int_equal(th, 150);
    thumb_fit(200, 150, 256, 256, true, &tw, &th); /* enlarged to fit */
    assert_int_equal(tw, 256);
    assert_int_equal(th, 192);
    thumb_fit(100, 1000, 640, 338, false, &tw, &th); /* only taller: shrunk */
    assert_int_equal(tw, 34);
    assert_int_equal(th, 338);
}

static void
test_weights(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {{1920, 601}, {960, 256}, {100, 99}, {50, 200},
                                        {7, 3}, {3, 1}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct rs_coeffs c;
        memset(&c, 0, sizeof c);
        assert_int_equal(rs_coeffs_make(&c, sizes[s][0], sizes[s][1]), AXLE_OK);
        for (uint32_t i = 0; i < c.out_size; i++) {
            int32_t first = c.bounds[2 * i], n = c.bounds[2 * i + 1], sum = 0;
            assert_true(first >= 0 && n > 0 && (uint32_t)(first + n) <= c.in_size);
            assert_true(n <= c.ksize && c.kstride > c.ksize);
            for (int32_t j = 0; j < c.kstride; j++) {
                int16_t k = c.k[(size_t)i * c.kstride + j];
                if (j >= n)
                    assert_int_equal(k, 0); /* padding the SIMD loops rely on */
                sum += k;
            }
            assert_int_equal(sum, 1 << 14); /* flat areas keep their level */
        }
        rs_coeffs_free(&c);
    }
}

/* Pillow's algorithm in doubles, both passes, rounding at the end. */
static double
lanczos(double x)
{
    if (x <= -3.0 || x >= 3.0)
        return 0.0;
    if (x == 0.0)
        return 1.0;
    double a = M_PI * x, b = a / 3.0;
    return sin(a) / a * sin(b) / b;
}

static void
ref_axis(uint32_t in, uint32_t out, uint32_t i, double *w, int *first, int *n)
{
    double scale = (double)in / out, fs = scale < 1 ? 1 : scale, support = 3 * fs;
    double center = (i + 0.5) * scale, total = 0;
    int lo = (int)(center - support + 0.5), hi = (int)(center + support + 0.5);
    if (lo < 0)
        lo = 0;
    if (hi > (int)in)
        hi = (int)in;
    for (int x = lo; x < hi; x++)
        total += w[x - lo] = lanczos((x - center + 0.5) / fs);
    for (int x = lo; x < hi; x++)
        w[x - lo] /= total;
    *first = lo;
    *n = hi - lo;
}

static axle_pixels
reference_resize(const axle_pixels *in, uint32_t ow, uint32_t oh)
{
    uint32_t c = in->channels;
    double *mid = calloc((size_t)ow * in->height * c, sizeof *mid);
    double w[1024];
    int first, n;
    for (uint32_t x = 0; x < ow; x++) {
        ref_axis(in->width, ow, x, w, &first, &n);
        for (uint32_t y = 0; y < in->height; y++)
            for (uint32_t k = 0; k < c; k++) {
                double s = 0;
                for (int j = 0; j < n; j++)
                    s += w[j] * in->data[y * in->stride + (size_t)(first + j) * c + k];
                mid[((size_t)y * ow + x) * c + k] = s;
            }
    }
    axle_pixels out;
    assert_int_equal(axle_pixels_alloc(&out, ow, oh, c), AXLE_OK);
    for (uint32_t y = 0; y < oh; y++) {
        ref_axis(in->height, oh, y, w, &first, &n);
        for (uint32_t x = 0; x < ow * c; x++) {
            double s = 0;
            for (int j = 0; j < n; j++)
                s += w[j] * mid[(size_t)(first + j) * ow * c + x];
            long v = lround(s);
            out.data[y * out.stride + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    free(mid);
    return out;
}

static void
test_against_reference(void **state)
{
    (void)state;
    static const uint32_t cases[][4] = {
        {333, 201, 100, 60},  /* down, odd widths: SIMD tails */
        {640, 480, 601, 338}, /* small factors */
        {97, 61, 250, 157},   /* up */
        {300, 40, 61, 40},    /* width only */
        {40, 300, 40, 61},    /* height only */
        {1000, 9, 17, 3},
    };
    struct resampler rs;
    memset(&rs, 0, sizeof rs);
    for (uint32_t ch = 1; ch <= 4; ch += (ch == 1 ? 2 : 1)) { /* 1, 3, 4 */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            axle_pixels in = ti_pattern(cases[i][0], cases[i][1], ch, (unsigned)i);
            if (ch == 4) /* opaque, so premultiplication changes nothing */
                for (size_t p = 0; p < (size_t)in.width * in.height; p++)
                    in.data[4 * p + 3] = 255;
            axle_pixels want = reference_resize(&in, cases[i][2], cases[i][3]), got;
            assert_int_equal(axle_pixels_alloc(&got, cases[i][2], cases[i][3], ch), AXLE_OK);
            assert_int_equal(resample_lanczos3(&rs, &in, &got), AXLE_OK);
            int worst = 0;
            for (size_t b = 0; b < got.stride * got.height; b++) {
                int d = abs((int)got.data[b] - (int)want.data[b]);
                worst = d > worst ? d : worst;
            }
            if (worst > 2)
                fail_msg("%ux%u -> %ux%u, %u channels: off by %d", cases[i][0],
                         cases[i][1], cases[i][2], cases[i][3], ch, worst);
            axle_pixels_free(&in);
            axle_pixels_free(&want);
            axle_pixels_free(&got);
        }
    }
    resampler_free(&rs);
}

static void
test_flat_stays_flat(void **state)
{
    (void)state;
    struct resampler rs;
    memset(&rs, 0, sizeof rs);
    for (uint32_t ch = 1; ch <= 4; ch++) {
        axle_pixels in, out;
        assert_int_equal(axle_pixels_alloc(&in, 123, 77, ch), AXLE_OK);
        memset(in.data, 200, in.stride * in.height);
        assert_int_equal(axle_pixels_alloc(&out, 31, 20, ch), AXLE_OK);
        assert_int_equal(resample_lanczos3(&rs, &in, &out), AXLE_OK);
        for (size_t b = 0; b < out.stride * out.height; b++)
            assert_int_equal(out.data[b], 200);
        axle_pixels_free(&in);
        axle_pixels_free(&out);
    }
    resampler_free(&rs);
}

/* Transparent pixels carry garbage colour (red); resized premultiplied,
 * none of it shows in the semi-transparent edge of a green area. */
static void
test_alpha_does_not_bleed(void **state)
{
    (void)state;
    struct resampler rs;
    memset(&rs, 0, sizeof rs);
    axle_pixels in, out;
    assert_int_equal(axle_pixels_alloc(&in, 64, 8, 4), AXLE_OK);
    for (uint32_t y = 0; y < 8; y++)
        for (uint32_t x = 0; x < 64; x++)
            memcpy(in.data + y * in.stride + 4 * x, x < 32 ? "\xff\0\0\0" : "\0\xff\0\xff", 4);
    assert_int_equal(axle_pixels_alloc(&out, 16, 2, 4), AXLE_OK);
    assert_int_equal(resample_lanczos3(&rs, &in, &out), AXLE_OK);
    for (uint32_t x = 0; x < 16; x++) {
        const uint8_t *p = out.data + 4 * x;
        if (p[3] > 8)
            assert_in_range(p[0], 0, 8);
    }
    axle_pixels_free(&in);
    axle_pixels_free(&out);
    resampler_free(&rs);
}

static void
test_thumb_make(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 400, 200, 3, 90, &len);
    uint8_t *x = ti_with_exif(j, len, 6, 0, &xlen);
    struct thumb_ctx t;
    memset(&t, 0, sizeof t);
    const axle_pixels *px;
    char err[256];
    axle_image img = ti_probe_ok(x, xlen);
    /* shown as 200x400: into 100x100 gives 50x100 */
    assert_int_equal(thumb_make(&t, &img, 100, 100, false, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px->width, 50);
    assert_int_equal(px->height, 100);
    /* fits already: kept at its size, oriented */
    assert_int_equal(thumb_make(&t, &img, 1000, 1000, false, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px->width, 200);
    assert_int_equal(px->height, 400);
    assert_int_equal(thumb_make(&t, &img, 1000, 1000, true, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px->width, 500);
    assert_int_equal(px->height, 1000);
    /* the pixel limit and a damaged file give errors with reasons */
    assert_int_equal(thumb_make(&t, &img, 10, 10, false, 1000, &px, err, sizeof err),
                     AXLE_ETOOBIG);
    img = ti_probe_ok(j, len);
    img.size = len / 2;
    assert_int_equal(thumb_make(&t, &img, 10, 10, false, 0, &px, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated"));
    thumb_ctx_free(&t);
    free(x);
    free(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_like_pil),
        cmocka_unit_test(test_fit_small_and_upscale),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_flat_stays_flat),
        cmocka_unit_test(test_alpha_does_not_bleed),
        cmocka_unit_test(test_thumb_make),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
