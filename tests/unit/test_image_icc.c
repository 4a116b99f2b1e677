/* test_image_icc.c - axle_image_icc: the ICC profile of a JPEG joined from
 * its APP2 segments in sequence order whatever their order in the file; a
 * WebP's ICCP chunk; none in raw pixels or files without one; segments
 * that do not add up (one missing, one twice, counts that disagree, a
 * number past the count) named in the error.  The containers are built
 * byte by byte here: only the headers are read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "axle/axle.h"

struct buf {
    uint8_t b[4096];
    size_t n;
};

static void
put(struct buf *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

/* An APP2 ICC_PROFILE segment: part `no` of `count`, holding `text`. */
static void
icc_segment(struct buf *o, int no, int count, const char *text)
{
    size_t len = 2 + 12 + 2 + strlen(text);
    uint8_t head[4] = {0xFF, 0xE2, (uint8_t)(len >> 8), (uint8_t)len};
    uint8_t seq[2] = {(uint8_t)no, (uint8_t)count};
    put(o, head, 4);
    put(o, "ICC_PROFILE", 12);
    put(o, seq, 2);
    put(o, text, strlen(text));
}

static void
jpeg_start(struct buf *o)
{
    static const uint8_t soi_app0[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 6, 'J', 'F', 'I', 'F'};
    o->n = 0;
    put(o, soi_app0, sizeof soi_app0);
}

static void
jpeg_end(struct buf *o)
{
    static const uint8_t sos[] = {0xFF, 0xDA, 0, 2};
    put(o, sos, sizeof sos);
}

static int
icc_of(const struct buf *o, axle_codec codec, void **icc, size_t *len, char *err)
{
    axle_image img = {.codec = codec, .width = 1, .height = 1, .channels = 3,
                      .orientation = 1, .data = o->b, .size = o->n};
    return axle_image_icc(&img, icc, len, err, 256);
}

static void
test_jpeg_parts_joined_in_order(void **state)
{
    struct buf o;
    jpeg_start(&o);
    icc_segment(&o, 2, 3, "-two-");
    icc_segment(&o, 3, 3, "three");
    icc_segment(&o, 1, 3, "one");
    jpeg_end(&o);
    void *icc = NULL;
    size_t len = 0;
    char err[256];
    assert_int_equal(icc_of(&o, AXLE_CODEC_JPEG, &icc, &len, err), AXLE_OK);
    assert_int_equal(len, 13);
    assert_memory_equal(icc, "one-two-three", 13);
    free(icc);
}

static void
test_jpeg_without_profile(void **state)
{
    struct buf o;
    jpeg_start(&o);
    jpeg_end(&o);
    void *icc = (void *)1;
    size_t len = 99;
    char err[256];
    assert_int_equal(icc_of(&o, AXLE_CODEC_JPEG, &icc, &len, err), AXLE_OK);
    assert_null(icc);
    assert_int_equal(len, 0);
}

static void
expect_broken(void (*build)(struct buf *), const char *why)
{
    struct buf o;
    jpeg_start(&o);
    build(&o);
    jpeg_end(&o);
    void *icc = NULL;
    size_t len = 0;
    char err[256] = "";
    assert_int_equal(icc_of(&o, AXLE_CODEC_JPEG, &icc, &len, err), AXLE_EFORMAT);
    assert_null(icc);
    if (!strstr(err, why))
        fail_msg("error '%s' does not say '%s'", err, why);
}

static void
missing(struct buf *o)
{
    icc_segment(o, 1, 3, "a");
    icc_segment(o, 3, 3, "c");
}

static void
twice(struct buf *o)
{
    icc_segment(o, 1, 2, "a");
    icc_segment(o, 1, 2, "a");
}

static void
counts_disagree(struct buf *o)
{
    icc_segment(o, 1, 2, "a");
    icc_segment(o, 2, 3, "b");
}

static void
past_count(struct buf *o)
{
    icc_segment(o, 3, 2, "a");
}

static void
test_jpeg_parts_that_do_not_add_up(void **state)
{
    expect_broken(missing, "segment 2 of 3 is missing");
    expect_broken(twice, "segment 1 of 2 appears twice");
    expect_broken(counts_disagree, "disagree on their count (2, then 3)");
    expect_broken(past_count, "numbered 3 of 2");
}

static void
test_webp_iccp(void **state)
{
    struct buf o = {.n = 0};
    static const uint8_t vp8x[18] = {'V', 'P', '8', 'X', 10, 0, 0, 0, 0x20};
    put(&o, "RIFF\0\0\0\0WEBP", 12);
    put(&o, vp8x, sizeof vp8x);
    put(&o, "ICCP\x05\0\0\0prof!\0", 14); /* odd size: padded */
    put(&o, "VP8 \0\0\0\0", 8);
    uint32_t riff = (uint32_t)o.n - 8;
    o.b[4] = (uint8_t)riff;
    o.b[5] = (uint8_t)(riff >> 8);
    void *icc = NULL;
    size_t len = 0;
    char err[256];
    assert_int_equal(icc_of(&o, AXLE_CODEC_WEBP, &icc, &len, err), AXLE_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(icc, "prof!", 5);
    free(icc);
}

static void
test_raw_has_none(void **state)
{
    struct buf o = {.n = 3, .b = {1, 2, 3}};
    void *icc = (void *)1;
    size_t len = 1;
    char err[256];
    assert_int_equal(icc_of(&o, AXLE_CODEC_RAW, &icc, &len, err), AXLE_OK);
    assert_null(icc);
    assert_int_equal(len, 0);
    axle_colour c;
    axle_image img = {.codec = AXLE_CODEC_RAW, .width = 1, .height = 1, .channels = 3,
                      .orientation = 1, .data = o.b, .size = 3};
    assert_int_equal(axle_image_colour(&img, &c), AXLE_OK);
    assert_int_equal(c.kind, AXLE_COLOUR_NONE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_parts_joined_in_order),
        cmocka_unit_test(test_jpeg_without_profile),
        cmocka_unit_test(test_jpeg_parts_that_do_not_add_up),
        cmocka_unit_test(test_webp_iccp),
        cmocka_unit_test(test_raw_has_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
