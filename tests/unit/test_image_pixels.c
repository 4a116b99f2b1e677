/* test_image_pixels.c - pixel buffers: axle_pixels_alloc says why it
 * refused (the running job's message), and axle_pixels_to_rgb makes RGB
 * of every channel count as Pillow's convert("RGB") does, padded rows
 * included; axle_pixels_psnr is exact. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_dataset_util.h"

#include "axle_internal.h"

static axle_job job;

static int
setup(void **state)
{
    (void)state;
    memset(&job, 0, sizeof job);
    axle_internal_current = &job;
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    axle_internal_current = NULL;
    return 0;
}

static void
test_alloc_says_why(void **state)
{
    (void)state;
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, 0, 5, 3), AXLE_EINVAL);
    assert_null(px.data);
    assert_has(axle_errmsg(&job), "axle_pixels_alloc: 0x5 pixels of 3 channels: a side is 0");
    assert_int_equal(axle_pixels_alloc(&px, 4, 4, 5), AXLE_EINVAL);
    assert_has(axle_errmsg(&job), "channels are 1 to 4");
    assert_int_equal(axle_pixels_alloc(&px, UINT32_MAX, UINT32_MAX, 4), AXLE_ETOOBIG);
    assert_has(axle_errmsg(&job), "more bytes than memory holds");
    assert_int_equal(axle_pixels_alloc(NULL, 4, 4, 3), AXLE_EINVAL);
    assert_has(axle_errmsg(&job), "no axle_pixels to fill");
    /* a good one leaves the message alone */
    job.errmsg[0] = '\0';
    assert_int_equal(axle_pixels_alloc(&px, 4, 3, 2), AXLE_OK);
    assert_int_equal(px.stride, 8);
    assert_string_equal(axle_errmsg(&job), "");
    axle_pixels_free(&px);
    /* outside a job: the code alone, no crash */
    axle_internal_current = NULL;
    assert_int_equal(axle_pixels_alloc(&px, 0, 0, 1), AXLE_EINVAL);
}

/* 3 x 2 pixels of `channels`, rows padded by 5 bytes, value 10*c + i. */
static axle_pixels
padded(uint32_t channels)
{
    axle_pixels px = {3, 2, channels, 3 * channels + 5, NULL};
    px.data = calloc(px.stride * px.height, 1);
    assert_non_null(px.data);
    for (uint32_t y = 0; y < 2; y++)
        for (uint32_t i = 0; i < 3 * channels; i++)
            px.data[y * px.stride + i] = (uint8_t)(100 * y + 10 * (i % channels) + i / channels);
    return px;
}

static void
test_to_rgb_every_channel_count(void **state)
{
    (void)state;
    for (uint32_t ch = 1; ch <= 4; ch++) {
        axle_pixels in = padded(ch), out;
        assert_int_equal(axle_pixels_to_rgb(&in, &out), AXLE_OK);
        assert_int_equal(out.width, 3);
        assert_int_equal(out.height, 2);
        assert_int_equal(out.channels, 3);
        assert_int_equal(out.stride, 9);
        for (uint32_t y = 0; y < 2; y++)
            for (uint32_t x = 0; x < 3; x++)
                for (uint32_t c = 0; c < 3; c++) {
                    /* grey (and grey+alpha): channel 0 in all three; else c */
                    uint32_t from = ch < 3 ? 0 : c;
                    assert_int_equal(out.data[y * out.stride + x * 3 + c],
                                     in.data[y * in.stride + x * ch + from]);
                }
        free(in.data);
        axle_pixels_free(&out);
    }
    axle_pixels none = {0}, out;
    assert_int_equal(axle_pixels_to_rgb(&none, &out), AXLE_EINVAL);
    assert_null(out.data);
    assert_has(axle_errmsg(&job), "axle_pixels_to_rgb: no pixels");
}

/* axle_pixels_psnr is the plain sum of squared differences however it is
 * computed (issue 12: 16 bytes at a time): rows of every length mod 16,
 * padded strides, the largest differences, and equal images. */
static void
test_psnr_exact(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (uint32_t w = 1; w <= 40; w += 3) {
        axle_pixels a, b;
        uint32_t h = 7, c = 3;
        assert_int_equal(axle_pixels_alloc(&a, w, h, c), AXLE_OK);
        assert_int_equal(axle_pixels_alloc(&b, w, h, c), AXLE_OK);
        uint64_t se = 0;
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w * c; x++) {
                seed = seed * 1103515245u + 12345u;
                uint8_t p = (uint8_t)(seed >> 16), q = (uint8_t)(seed >> 24);
                if (x % 7 == 0) /* the largest differences */
                    p = 255, q = 0;
                a.data[y * a.stride + x] = p;
                b.data[y * b.stride + x] = q;
                se += (uint64_t)((p - q) * (p - q));
            }
        double want = 10 * log10(255.0 * 255.0 / ((double)se / ((double)w * c * h)));
        assert_true(fabs(axle_pixels_psnr(&a, &b) - want) < 1e-9);
        /* the same rows in wider buffers: only the row's bytes count */
        axle_pixels wa = a, wb = b;
        uint8_t *pa = calloc((size_t)h, a.stride + 17), *pb = malloc((size_t)h * (a.stride + 17));
        memset(pb, 0xAA, (size_t)h * (a.stride + 17));
        for (uint32_t y = 0; y < h; y++) {
            memcpy(pa + y * (a.stride + 17), a.data + y * a.stride, a.stride);
            memcpy(pb + y * (a.stride + 17), b.data + y * b.stride, b.stride);
        }
        wa.data = pa, wb.data = pb, wa.stride = wb.stride = a.stride + 17;
        assert_true(fabs(axle_pixels_psnr(&wa, &wb) - want) < 1e-9);
        assert_true(isinf(axle_pixels_psnr(&a, &a)));
        free(pa);
        free(pb);
        axle_pixels_free(&a);
        axle_pixels_free(&b);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alloc_says_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_to_rgb_every_channel_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_psnr_exact, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
