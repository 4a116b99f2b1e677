/* test_image_orient.c - axle_pixels_orient for the eight EXIF
 * orientations, checked against compositions of two plain operations
 * written out here (mirror left-right, rotate 90 degrees clockwise), the
 * way PIL's exif_transpose defines them: 2 mirror, 3 rotate 180, 4 flip
 * top-bottom, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate
 * 90 counter-clockwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"

static axle_pixels
mirror(const axle_pixels *in)
{
    axle_pixels o;
    assert_int_equal(axle_pixels_alloc(&o, in->width, in->height, in->channels), AXLE_OK);
    for (uint32_t y = 0; y < in->height; y++)
        for (uint32_t x = 0; x < in->width; x++)
            memcpy(o.data + y * o.stride + x * o.channels,
                   in->data + y * in->stride + (in->width - 1 - x) * in->channels,
                   in->channels);
    return o;
}

static axle_pixels
rot90cw(const axle_pixels *in)
{
    axle_pixels o;
    assert_int_equal(axle_pixels_alloc(&o, in->height, in->width, in->channels), AXLE_OK);
    /* the left column, read bottom to top, becomes the top row */
    for (uint32_t y = 0; y < o.height; y++)
        for (uint32_t x = 0; x < o.width; x++)
            memcpy(o.data + y * o.stride + x * o.channels,
                   in->data + (in->height - 1 - x) * in->stride + y * in->channels,
                   in->channels);
    return o;
}

/* Applies "m" (mirror) and "r" (rotate) in order; returns a new buffer. */
static axle_pixels
compose(const axle_pixels *in, const char *ops)
{
    axle_pixels cur;
    assert_int_equal(axle_pixels_alloc(&cur, in->width, in->height, in->channels), AXLE_OK);
    memcpy(cur.data, in->data, in->stride * in->height);
    for (const char *op = ops; *op; op++) {
        axle_pixels next = *op == 'm' ? mirror(&cur) : rot90cw(&cur);
        axle_pixels_free(&cur);
        cur = next;
    }
    return cur;
}

static void
test_all_orientations(void **state)
{
    (void)state;
    static const char *const ops[9] = {
        NULL, "", "m", "rr", "rrm", "rm", "r", "mr", "rrr",
    };
    for (uint32_t channels = 1; channels <= 4; channels++) {
        axle_pixels in = ti_pattern(7, 4, channels, channels);
        for (int o = 1; o <= 8; o++) {
            axle_pixels want = compose(&in, ops[o]), got;
            assert_int_equal(axle_pixels_orient(&in, o, &got), AXLE_OK);
            assert_int_equal(got.width, want.width);
            assert_int_equal(got.height, want.height);
            assert_int_equal(got.channels, channels);
            assert_memory_equal(got.data, want.data, want.stride * want.height);
            axle_pixels_free(&got);
            axle_pixels_free(&want);
        }
        axle_pixels_free(&in);
    }
}

/* The corner that ends up top-left, spelled out for a 2x2 image. */
static void
test_corners(void **state)
{
    (void)state;
    axle_pixels in;
    assert_int_equal(axle_pixels_alloc(&in, 2, 2, 1), AXLE_OK);
    memcpy(in.data, "\x01\x02\x03\x04", 4); /* 1 2 / 3 4 */
    static const char want[9][5] = {
        "", "\x01\x02\x03\x04", "\x02\x01\x04\x03", "\x04\x03\x02\x01",
        "\x03\x04\x01\x02", "\x01\x03\x02\x04", "\x03\x01\x04\x02",
        "\x04\x02\x03\x01", "\x02\x04\x01\x03",
    };
    for (int o = 1; o <= 8; o++) {
        axle_pixels got;
        assert_int_equal(axle_pixels_orient(&in, o, &got), AXLE_OK);
        assert_memory_equal(got.data, want[o], 4);
        axle_pixels_free(&got);
    }
    axle_pixels got;
    assert_int_equal(axle_pixels_orient(&in, 0, &got), AXLE_EINVAL);
    assert_int_equal(axle_pixels_orient(&in, 9, &got), AXLE_EINVAL);
    axle_pixels_free(&in);
}

static void
test_alloc_limits(void **state)
{
    (void)state;
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, 0, 5, 3), AXLE_EINVAL);
    assert_int_equal(axle_pixels_alloc(&px, 5, 5, 5), AXLE_EINVAL);
    assert_null(px.data);
    axle_pixels_free(&px); /* harmless on an empty struct */
    assert_int_equal(axle_pixels_alloc(&px, 3, 2, 2), AXLE_OK);
    assert_int_equal(px.stride, 6);
    px.stride = 8; /* padded rows cannot be a raw cell */
    assert_int_equal(axle_image_from_pixels(&px).codec, AXLE_CODEC_NONE);
    axle_pixels_free(&px);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_orientations),
        cmocka_unit_test(test_corners),
        cmocka_unit_test(test_alloc_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
