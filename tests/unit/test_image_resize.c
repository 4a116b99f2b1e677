/* test_image_resize.c - the SDK's image helpers: axle_fit (PIL's
 * thumbnail() size rule, free sides, exact sizes, orientation), the
 * Lanczos3 weights, axle_pixels_resize against a plain double-precision
 * Lanczos3 written here (solid colours, gradients' means, alpha, strides)
 * and axle_image_to_size (exact sizes, orientation, limits, errors). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"
#include "image_resize.h"

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


static axle_geometry
box(uint32_t w, uint32_t h)
{
    axle_geometry g = {.width = w, .height = h};
    return g;
}

/* *w x *h of `g` applied to an image of iw x ih, asserting success. */
static void
fit_ok(uint32_t iw, uint32_t ih, axle_geometry g, uint32_t *w, uint32_t *h)
{
    int rc = axle_fit(iw, ih, &g, w, h);
    if (rc != AXLE_OK)
        fail_msg("%ux%u into %ux%u: status %d", iw, ih, g.width, g.height, rc);
}

static void
test_fit_like_pil(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fit_cases / sizeof fit_cases[0]; i++) {
        const uint32_t *c = fit_cases[i];
        uint32_t tw, th;
        fit_ok(c[0], c[1], box(c[2], c[3]), &tw, &th);
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
    fit_ok(200, 150, box(256, 256), &tw, &th); /* fits: kept */
    assert_int_equal(tw, 200);
    assert_int_equal(th, 150);
    axle_geometry up = box(256, 256);
    up.upscale = true;
    fit_ok(200, 150, up, &tw, &th); /* enlarged to fit */
    assert_int_equal(tw, 256);
    assert_int_equal(th, 192);
    fit_ok(100, 1000, box(640, 338), &tw, &th); /* only taller: shrunk */
    assert_int_equal(tw, 34);
    assert_int_equal(th, 338);
}

/* A 0 side of the box is free: only the other one limits. */
static void
test_fit_free_side(void **state)
{
    (void)state;
    uint32_t tw, th;
    fit_ok(3840, 2160, box(640, 0), &tw, &th); /* "640x": 640 x 360 */
    assert_int_equal(tw, 640);
    assert_int_equal(th, 360);
    fit_ok(3840, 2160, box(0, 338), &tw, &th); /* "x338": rounded as PIL, 601 */
    assert_int_equal(tw, 601);
    assert_int_equal(th, 338);
    fit_ok(100, 100000, box(50, 0), &tw, &th); /* a tall strip is never limited in height */
    assert_int_equal(tw, 50);
    assert_int_equal(th, 50000);
    fit_ok(300, 200, box(0, 500), &tw, &th); /* fits: kept without upscale */
    assert_int_equal(tw, 300);
    assert_int_equal(th, 200);
    axle_geometry up = box(0, 500);
    up.upscale = true;
    fit_ok(300, 200, up, &tw, &th);
    assert_int_equal(tw, 750);
    assert_int_equal(th, 500);
}

static void
test_fit_exact(void **state)
{
    (void)state;
    axle_geometry g = box(123, 45);
    g.mode = AXLE_FIT_EXACT;
    uint32_t tw, th;
    fit_ok(3840, 2160, g, &tw, &th); /* aspect not kept */
    assert_int_equal(tw, 123);
    assert_int_equal(th, 45);
    fit_ok(10, 10, g, &tw, &th); /* enlarged even without upscale: exact means exact */
    assert_int_equal(tw, 123);
    assert_int_equal(th, 45);
}

static void
test_fit_refuses(void **state)
{
    (void)state;
    uint32_t tw, th;
    axle_geometry g = box(0, 0);
    assert_int_equal(axle_fit(100, 100, &g, &tw, &th), AXLE_EINVAL); /* no side */
    g = box(100, 0);
    g.mode = AXLE_FIT_EXACT;
    assert_int_equal(axle_fit(100, 100, &g, &tw, &th), AXLE_EINVAL); /* exact, one side */
    g = box(100, 100);
    g.mode = (axle_fit_mode)7;
    assert_int_equal(axle_fit(100, 100, &g, &tw, &th), AXLE_EINVAL);
    g = box(100, 100);
    g.crop = (axle_crop)9;
    assert_int_equal(axle_fit(100, 100, &g, &tw, &th), AXLE_EINVAL); /* unknown crop */
    g = box(100, 100);
    g.crop = AXLE_CROP_CENTRE;
    g.mode = AXLE_FIT_EXACT;
    assert_int_equal(axle_fit(100, 100, &g, &tw, &th), AXLE_EINVAL); /* exact and crop */
    g = box(100, 100);
    assert_int_equal(axle_fit(0, 100, &g, &tw, &th), AXLE_EINVAL); /* no pixels */
    assert_int_equal(axle_fit(100, 100, NULL, &tw, &th), AXLE_EINVAL);
    g = box(0, 4000000000u); /* a 100000:1 strip 4e9 high would be 4e14 wide */
    g.upscale = true;
    assert_int_equal(axle_fit(100000, 1, &g, &tw, &th), AXLE_ETOOBIG);
}

/* As shown: orientations 5-8 swap the stored sides before fitting, so
 * the rounding falls on the shown aspect (2160x3840 stored, rotated, is
 * 3840x2160 and fits 640x338 as 601x338). */
static void
test_image_fit_orientation(void **state)
{
    (void)state;
    axle_image img;
    memset(&img, 0, sizeof img);
    img.width = 2160;
    img.height = 3840;
    axle_geometry g = box(640, 338);
    for (int o = 1; o <= 8; o++) {
        img.orientation = (uint8_t)o;
        uint32_t tw, th;
        assert_int_equal(axle_image_fit(&img, &g, &tw, &th), AXLE_OK);
        if (o >= 5) {
            assert_int_equal(tw, 601);
            assert_int_equal(th, 338);
        } else {
            assert_int_equal(tw, 190);
            assert_int_equal(th, 338);
        }
    }
    img.orientation = 0; /* out of range: as stored */
    uint32_t tw, th;
    assert_int_equal(axle_image_fit(&img, &g, &tw, &th), AXLE_OK);
    assert_int_equal(tw, 190);
}

static void
test_weights(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {{1920, 601}, {960, 256}, {100, 99}, {50, 200},
                                        {7, 3}, {3, 1}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        struct img_weights c;
        memset(&c, 0, sizeof c);
        assert_int_equal(img_weights_make(&c, sizes[s][0], sizes[s][1]), AXLE_OK);
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
            assert_int_equal(sum, 1 << IMG_WEIGHT_BITS); /* flat areas keep their level */
        }
        img_weights_free(&c);
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
    for (uint32_t ch = 1; ch <= 4; ch += (ch == 1 ? 2 : 1)) { /* 1, 3, 4 */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            axle_pixels in = ti_pattern(cases[i][0], cases[i][1], ch, (unsigned)i);
            if (ch == 4) /* opaque, so premultiplication changes nothing */
                for (size_t p = 0; p < (size_t)in.width * in.height; p++)
                    in.data[4 * p + 3] = 255;
            axle_pixels want = reference_resize(&in, cases[i][2], cases[i][3]), got;
            assert_int_equal(axle_pixels_resize(&in, cases[i][2], cases[i][3], &got), AXLE_OK);
            assert_int_equal(got.width, cases[i][2]);
            assert_int_equal(got.height, cases[i][3]);
            assert_int_equal(got.channels, ch);
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
}

/* A solid colour stays exactly that colour, down and up, every channel
 * count (alpha opaque). */
static void
test_solid_colour_stays(void **state)
{
    (void)state;
    static const uint8_t colour[4][4] = {{37}, {37, 255}, {37, 200, 91}, {37, 200, 91, 255}};
    static const uint32_t sizes[][2] = {{31, 20}, {500, 300}, {123, 1}, {1, 77}};
    for (uint32_t ch = 1; ch <= 4; ch++) {
        axle_pixels in, out;
        assert_int_equal(axle_pixels_alloc(&in, 123, 77, ch), AXLE_OK);
        for (size_t p = 0; p < (size_t)in.width * in.height; p++)
            memcpy(in.data + p * ch, colour[ch - 1], ch);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            assert_int_equal(axle_pixels_resize(&in, sizes[s][0], sizes[s][1], &out), AXLE_OK);
            for (size_t b = 0; b < out.stride * out.height; b++)
                if (out.data[b] != colour[ch - 1][b % ch])
                    fail_msg("%u channels to %ux%u: byte %zu is %u, not %u", ch, sizes[s][0],
                             sizes[s][1], b, out.data[b], colour[ch - 1][b % ch]);
            axle_pixels_free(&out);
        }
        axle_pixels_free(&in);
    }
}

static double
mean(const axle_pixels *px)
{
    double sum = 0;
    for (uint32_t y = 0; y < px->height; y++)
        for (size_t x = 0; x < (size_t)px->width * px->channels; x++)
            sum += px->data[y * px->stride + x];
    return sum / ((double)px->width * px->height * px->channels);
}

/* A gradient (diagonal, so both passes matter) keeps its mean within half
 * a level, shrunk and enlarged. */
static void
test_gradient_mean_kept(void **state)
{
    (void)state;
    axle_pixels in;
    assert_int_equal(axle_pixels_alloc(&in, 640, 480, 3), AXLE_OK);
    for (uint32_t y = 0; y < 480; y++)
        for (uint32_t x = 0; x < 640; x++)
            for (uint32_t k = 0; k < 3; k++)
                in.data[y * in.stride + 3 * x + k] = (uint8_t)((x * 255 / 639 + y * 255 / 479) / 2);
    static const uint32_t sizes[][2] = {{256, 192}, {100, 37}, {1000, 750}, {601, 338}};
    double m = mean(&in);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        axle_pixels out;
        assert_int_equal(axle_pixels_resize(&in, sizes[s][0], sizes[s][1], &out), AXLE_OK);
        double got = mean(&out);
        if (fabs(got - m) > 0.5)
            fail_msg("to %ux%u the mean is %.3f, was %.3f", sizes[s][0], sizes[s][1], got, m);
        axle_pixels_free(&out);
    }
    axle_pixels_free(&in);
}

/* Transparent pixels carry garbage colour (red); resized premultiplied,
 * none of it shows in the semi-transparent edge of a green area.  The
 * input is left as it was. */
static void
test_alpha_does_not_bleed(void **state)
{
    (void)state;
    axle_pixels in, out;
    assert_int_equal(axle_pixels_alloc(&in, 64, 8, 4), AXLE_OK);
    for (uint32_t y = 0; y < 8; y++)
        for (uint32_t x = 0; x < 64; x++)
            memcpy(in.data + y * in.stride + 4 * x, x < 32 ? "\xff\0\0\0" : "\0\xff\0\xff", 4);
    assert_int_equal(axle_pixels_resize(&in, 16, 2, &out), AXLE_OK);
    for (uint32_t x = 0; x < 16; x++) {
        const uint8_t *p = out.data + 4 * x;
        if (p[3] > 8)
            assert_in_range(p[0], 0, 8);
    }
    assert_memory_equal(in.data, "\xff\0\0\0", 4); /* not premultiplied in place */
    axle_pixels_free(&in);
    axle_pixels_free(&out);
}

/* Rows `stride` bytes apart, wider than the pixels: a view into a larger
 * buffer resizes as the packed copy does. */
static void
test_padded_stride(void **state)
{
    (void)state;
    axle_pixels packed = ti_pattern(90, 70, 3, 5), padded = packed, a, b;
    padded.stride = packed.stride + 13;
    padded.data = calloc(padded.stride * padded.height, 1);
    for (uint32_t y = 0; y < packed.height; y++)
        memcpy(padded.data + y * padded.stride, packed.data + y * packed.stride, packed.stride);
    assert_int_equal(axle_pixels_resize(&packed, 41, 33, &a), AXLE_OK);
    assert_int_equal(axle_pixels_resize(&padded, 41, 33, &b), AXLE_OK);
    assert_memory_equal(a.data, b.data, a.stride * a.height);
    axle_pixels_free(&a);
    axle_pixels_free(&b);
    axle_pixels_free(&padded);
    axle_pixels_free(&packed);
}

static void
test_resize_refuses(void **state)
{
    (void)state;
    axle_pixels in = ti_pattern(10, 10, 3, 1), out;
    assert_int_equal(axle_pixels_resize(&in, 0, 5, &out), AXLE_EINVAL);
    assert_null(out.data);
    axle_pixels bad = in;
    bad.channels = 5;
    assert_int_equal(axle_pixels_resize(&bad, 5, 5, &out), AXLE_EINVAL);
    bad = in;
    bad.data = NULL;
    assert_int_equal(axle_pixels_resize(&bad, 5, 5, &out), AXLE_EINVAL);
    assert_int_equal(axle_pixels_resize(NULL, 5, 5, &out), AXLE_EINVAL);
    assert_int_equal(axle_pixels_resize(&in, 5, 5, NULL), AXLE_EINVAL);
    axle_pixels_free(&in);
}

/* Largest difference of two images of one size and layout. */
static int
largest_difference(const axle_pixels *a, const axle_pixels *b)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    assert_int_equal(a->channels, b->channels);
    int most = 0;
    for (uint32_t y = 0; y < a->height; y++)
        for (size_t i = 0; i < (size_t)a->width * a->channels; i++) {
            int d = abs(a->data[y * a->stride + i] - b->data[y * b->stride + i]);
            most = d > most ? d : most;
        }
    return most;
}

/* A JPEG cell to the size asked, and the pixels of its steps done one by
 * one: decode at the reduced scale, resize, orient.  A YCbCr JPEG at a
 * reduced scale is resized as its planes and converted after
 * (image_jpeg_planes.c): a level or two apart from converting first; a
 * grey one is the same bytes. */
static void
test_to_size_jpeg(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 400, 200, 3, 90, &len);
    uint8_t *x = ti_with_exif(j, len, 6, 0, &xlen);
    axle_image img = ti_probe_ok(x, xlen);
    axle_pixels px, dec, sized, turned;
    char err[256];
    /* shown as 200x400: into 100x100 gives 50x100 */
    axle_geometry g = box(100, 100);
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px.width, 50);
    assert_int_equal(px.height, 100);
    assert_int_equal(axle_image_decode(&img, 100, 50, 0, &dec, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_pixels_resize(&dec, 100, 50, &sized), AXLE_OK);
    assert_int_equal(axle_pixels_orient(&sized, 6, &turned), AXLE_OK);
    assert_in_range(largest_difference(&px, &turned), 1, 4);
    axle_pixels_free(&px);
    axle_pixels_free(&dec);
    axle_pixels_free(&sized);
    axle_pixels_free(&turned);
    {
        size_t glen;
        uint8_t *grey = ti_encoded(AXLE_CODEC_JPEG, 400, 200, 1, 90, &glen);
        axle_image gimg = ti_probe_ok(grey, glen);
        assert_int_equal(axle_image_to_size(&gimg, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
        assert_int_equal(axle_image_decode(&gimg, 100, 50, 0, &dec, err, sizeof err), AXLE_OK);
        assert_int_equal(axle_pixels_resize(&dec, 100, 50, &sized), AXLE_OK);
        assert_int_equal(largest_difference(&px, &sized), 0);
        axle_pixels_free(&px);
        axle_pixels_free(&dec);
        axle_pixels_free(&sized);
        free(grey);
    }
    /* exactly the size asked, aspect not kept; the box is as shown */
    g = box(123, 45);
    g.mode = AXLE_FIT_EXACT;
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px.width, 123);
    assert_int_equal(px.height, 45);
    axle_pixels_free(&px);
    /* fits already: kept at its size, oriented; enlarged with upscale */
    g = box(1000, 1000);
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px.width, 200);
    assert_int_equal(px.height, 400);
    axle_pixels_free(&px);
    g.upscale = true;
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px.width, 500);
    assert_int_equal(px.height, 1000);
    axle_pixels_free(&px);
    free(x);
    free(j);
}

/* Every pair of sizes asked of a JPEG comes back exactly, RGB and grey. */
static void
test_to_size_exact_sizes(void **state)
{
    (void)state;
    static const uint32_t boxes[][2] = {{1, 1}, {7, 300}, {64, 64}, {150, 149},
                                        {299, 11}, {300, 200}};
    for (uint32_t ch = 1; ch <= 3; ch += 2) {
        size_t len;
        uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 300, 200, ch, 90, &len);
        axle_image img = ti_probe_ok(j, len);
        for (size_t b = 0; b < sizeof boxes / sizeof boxes[0]; b++) {
            axle_geometry g = box(boxes[b][0], boxes[b][1]);
            uint32_t fw, fh;
            assert_int_equal(axle_image_fit(&img, &g, &fw, &fh), AXLE_OK);
            axle_pixels px;
            char err[256];
            assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
            assert_int_equal(px.width, fw);
            assert_int_equal(px.height, fh);
            assert_int_equal(px.channels, ch);
            axle_pixels_free(&px);
            g.mode = AXLE_FIT_EXACT;
            assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
            assert_int_equal(px.width, boxes[b][0]);
            assert_int_equal(px.height, boxes[b][1]);
            axle_pixels_free(&px);
        }
        free(j);
    }
}

static void
test_to_size_errors(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 400, 200, 3, 90, &len);
    axle_image img = ti_probe_ok(j, len);
    axle_pixels px;
    char err[256];
    /* the pixel limit: on the image, and on an enlarged result */
    axle_geometry g = box(10, 10);
    assert_int_equal(axle_image_to_size(&img, &g, 1000, 0, &px, err, sizeof err),
                     AXLE_ETOOBIG);
    assert_null(px.data);
    g = box(4000, 4000);
    g.upscale = true;
    assert_int_equal(axle_image_to_size(&img, &g, 1000000, 0, &px, err, sizeof err),
                     AXLE_ETOOBIG);
    assert_non_null(strstr(err, "result 4000x2000"));
    /* geometry mistakes are named */
    g = box(0, 0);
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_EINVAL);
    assert_non_null(strstr(err, "geometry 0x0: give the box a width, a height or both"));
    g = box(10, 0);
    g.mode = AXLE_FIT_EXACT;
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_EINVAL);
    assert_non_null(strstr(err, "needs both sides"));
    /* unknown flags */
    g = box(10, 10);
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0x80, &px, err, sizeof err),
                     AXLE_EINVAL);
    /* a damaged file: an error with its reason, or with the flag, the
     * resized part and AXLE_PARTIAL */
    img.size = len / 2;
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(axle_image_to_size(&img, &g, 0, AXLE_DECODE_PARTIAL, &px, err, sizeof err),
                     AXLE_PARTIAL);
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(px.width, 10);
    assert_int_equal(px.height, 5);
    axle_pixels_free(&px);
    free(j);
}

/* AXLE_TO_RGB: the same pixels as without it, made RGB after the resize:
 * grey copied into R, G and B, alpha dropped. */
static void
test_to_size_rgb(void **state)
{
    (void)state;
    size_t len;
    uint8_t *grey = ti_encoded(AXLE_CODEC_JPEG, 300, 200, 1, 90, &len);
    axle_pixels rgba_src = ti_pattern(120, 80, 4, 7);
    axle_image imgs[] = {ti_probe_ok(grey, len), axle_image_from_pixels(&rgba_src)};
    axle_geometry g = box(64, 64);
    for (int k = 0; k < 2; k++) {
        axle_pixels plain, rgb;
        char err[256];
        assert_int_equal(axle_image_to_size(&imgs[k], &g, 0, 0, &plain, err, sizeof err),
                         AXLE_OK);
        assert_int_equal(axle_image_to_size(&imgs[k], &g, 0, AXLE_TO_RGB, &rgb, err,
                                            sizeof err), AXLE_OK);
        assert_int_equal(rgb.channels, 3);
        assert_int_equal(rgb.width, plain.width);
        assert_int_equal(rgb.height, plain.height);
        for (uint32_t y = 0; y < rgb.height; y++)
            for (uint32_t x = 0; x < rgb.width; x++)
                for (uint32_t c = 0; c < 3; c++)
                    assert_int_equal(rgb.data[y * rgb.stride + x * 3 + c],
                                     plain.data[y * plain.stride + x * plain.channels +
                                                (plain.channels < 3 ? 0 : c)]);
        axle_pixels_free(&plain);
        axle_pixels_free(&rgb);
    }
    axle_pixels_free(&rgba_src);
    free(grey);
}

/* Fill and crop: the box's size, or the box cut to the image. */
static void
test_fit_fill(void **state)
{
    (void)state;
    uint32_t tw, th;
    axle_geometry g = box(100, 100);
    g.crop = AXLE_CROP_CENTRE;
    fit_ok(400, 200, g, &tw, &th);
    assert_int_equal(tw, 100);
    assert_int_equal(th, 100);
    fit_ok(80, 300, g, &tw, &th); /* narrower than the box: cut, not enlarged */
    assert_int_equal(tw, 80);
    assert_int_equal(th, 100);
    g.upscale = true;
    fit_ok(80, 300, g, &tw, &th);
    assert_int_equal(tw, 100);
    assert_int_equal(th, 100);
    g = box(100, 0); /* a free side: nothing to cut, fits as without crop */
    g.crop = AXLE_CROP_ENTROPY;
    fit_ok(400, 200, g, &tw, &th);
    assert_int_equal(tw, 100);
    assert_int_equal(th, 50);
}

/* Several sizes from one decode: the count says one, and the largest is
 * its own axle_image_to_size (which resizes a YCbCr JPEG's planes: a
 * level or two apart). */
static void
test_sizes_one_decode(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 800, 600, 3, 90, &len);
    axle_image img = ti_probe_ok(j, len);
    axle_geometry g[3] = {box(200, 200), box(64, 0), box(50, 50)};
    g[2].crop = AXLE_CROP_CENTRE;
    axle_pixels px[3], one;
    char err[256];
    uint64_t before = axle_image_decode_count();
    assert_int_equal(axle_images_to_sizes(&img, g, 3, 0, 0, px, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_image_decode_count() - before, 1);
    assert_int_equal(px[0].width, 200);
    assert_int_equal(px[0].height, 150);
    assert_int_equal(px[1].width, 64);
    assert_int_equal(px[1].height, 48);
    assert_int_equal(px[2].width, 50);
    assert_int_equal(px[2].height, 50);
    assert_int_equal(axle_image_to_size(&img, &g[0], 0, 0, &one, err, sizeof err), AXLE_OK);
    assert_int_equal(one.width, 200);
    assert_in_range(largest_difference(&one, &px[0]), 0, 4);
    for (int i = 0; i < 3; i++)
        axle_pixels_free(&px[i]);
    axle_pixels_free(&one);
    free(j);
}

/* A centre crop of a left-to-right ramp keeps the middle values. */
static void
test_crop_centre_window(void **state)
{
    (void)state;
    axle_pixels ramp;
    assert_int_equal(axle_pixels_alloc(&ramp, 300, 100, 1), AXLE_OK);
    for (uint32_t y = 0; y < 100; y++)
        for (uint32_t x = 0; x < 300; x++)
            ramp.data[y * ramp.stride + x] = (uint8_t)(x * 255 / 299);
    axle_image img = axle_image_from_pixels(&ramp);
    axle_geometry g = box(100, 100);
    g.crop = AXLE_CROP_CENTRE;
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_to_size(&img, &g, 0, 0, &px, err, sizeof err), AXLE_OK);
    assert_int_equal(px.width, 100);
    /* columns 100..199 of the ramp: values 85..169 */
    int left = px.data[50 * px.stride], right = px.data[50 * px.stride + 99];
    assert_in_range(left, 83, 88);
    assert_in_range(right, 166, 171);
    axle_pixels_free(&px);
    axle_pixels_free(&ramp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_like_pil),
        cmocka_unit_test(test_to_size_rgb),
        cmocka_unit_test(test_fit_small_and_upscale),
        cmocka_unit_test(test_fit_free_side),
        cmocka_unit_test(test_fit_exact),
        cmocka_unit_test(test_fit_refuses),
        cmocka_unit_test(test_image_fit_orientation),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_solid_colour_stays),
        cmocka_unit_test(test_gradient_mean_kept),
        cmocka_unit_test(test_alpha_does_not_bleed),
        cmocka_unit_test(test_padded_stride),
        cmocka_unit_test(test_resize_refuses),
        cmocka_unit_test(test_to_size_jpeg),
        cmocka_unit_test(test_to_size_exact_sizes),
        cmocka_unit_test(test_to_size_errors),
        cmocka_unit_test(test_fit_fill),
        cmocka_unit_test(test_sizes_one_decode),
        cmocka_unit_test(test_crop_centre_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
