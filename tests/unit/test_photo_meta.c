/* test_photo_meta.c - axle_image_photo_meta's contract, on a TIFF made
 * here byte by byte: fields read from a whole file; from a prefix with
 * the rest through a reader (only the bytes needed); absent without a
 * reader or when the reader fails; SRATIONAL and other wrong types are
 * no values; NULL arguments and raw pixels.  The columns and real files
 * are tests/image/photo_meta.sh's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "axle/axle.h"

/* A little-endian TIFF: IFD0 at 8 {Make -> "Canon", ExifIFD -> 64},
 * Exif IFD at 64 {ISO 400 (SHORT), ExposureTime 1/250 at 128, FNumber as
 * SRATIONAL (wrong type) at 136}.  Make's text at 40. */
static uint8_t tiff[160];

static void
put16(size_t at, unsigned v)
{
    tiff[at] = (uint8_t)v;
    tiff[at + 1] = (uint8_t)(v >> 8);
}

static void
put32(size_t at, uint32_t v)
{
    put16(at, v & 0xFFFF);
    put16(at + 2, v >> 16);
}

static void
entry(size_t at, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    put16(at, tag);
    put16(at + 2, type);
    put32(at + 4, count);
    put32(at + 8, value);
}

static void
make_tiff(void)
{
    memset(tiff, 0, sizeof tiff);
    memcpy(tiff, "II*\0", 4);
    put32(4, 8);
    put16(8, 2);
    entry(10, 0x010F, 2, 6, 40);    /* Make */
    entry(22, 0x8769, 4, 1, 64);    /* Exif IFD */
    memcpy(tiff + 40, "Canon", 6);
    put16(64, 3);
    entry(66, 0x8827, 3, 1, 400);   /* ISO, in the entry */
    entry(78, 0x829A, 5, 1, 128);   /* ExposureTime */
    entry(90, 0x829D, 10, 1, 136);  /* FNumber as SRATIONAL: not a value */
    put32(128, 1);
    put32(132, 250);
    put32(136, 28);
    put32(140, 10);
}

/* The reader of the rest: what it was asked for, or a failure. */
struct reads {
    int calls;
    size_t bytes;
    int fail;
};

static int
read_at(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct reads *r = ctx;
    r->calls++;
    r->bytes += len;
    if (r->fail || offset > sizeof tiff || len > sizeof tiff - offset)
        return AXLE_EIO;
    memcpy(buf, tiff + offset, len);
    return AXLE_OK;
}

static axle_image
tiff_image(size_t len)
{
    axle_image img = {AXLE_CODEC_TIFF, 1, 1, 3, 1, tiff, len};
    return img;
}

static void
assert_fields(const axle_photo_meta *m)
{
    assert_string_equal(m->make, "Canon");
    assert_int_equal(m->iso, 400);
    assert_string_equal(m->exposure, "1/250");
    assert_true(fabs(m->exposure_time - 0.004) < 1e-12);
    assert_true(isnan(m->f_number)); /* SRATIONAL is not FNumber's type */
    assert_string_equal(m->model, "");
    assert_string_equal(m->taken, "");
    assert_true(isnan(m->latitude) && isnan(m->longitude));
}

static void
whole_file(void **state)
{
    (void)state;
    make_tiff();
    axle_image img = tiff_image(sizeof tiff);
    axle_photo_meta m;
    assert_int_equal(axle_image_photo_meta(&img, sizeof tiff, NULL, NULL, &m), AXLE_OK);
    assert_fields(&m);
}

static void
prefix_and_reader(void **state)
{
    (void)state;
    make_tiff();
    axle_image img = tiff_image(36); /* IFD0 only: Make and the Exif IFD past it */
    struct reads r = {0, 0, 0};
    axle_photo_meta m;
    assert_int_equal(axle_image_photo_meta(&img, sizeof tiff, read_at, &r, &m), AXLE_OK);
    assert_fields(&m);
    assert_true(r.calls > 0);
    assert_true(r.bytes < sizeof tiff); /* only what was needed */
}

static void
prefix_without_reader(void **state)
{
    (void)state;
    make_tiff();
    axle_image img = tiff_image(36);
    axle_photo_meta m;
    assert_int_equal(axle_image_photo_meta(&img, sizeof tiff, NULL, NULL, &m), AXLE_OK);
    assert_string_equal(m.make, "");
    assert_int_equal(m.iso, 0);
    assert_true(isnan(m.exposure_time));
}

static void
failing_reader(void **state)
{
    (void)state;
    make_tiff();
    axle_image img = tiff_image(36);
    struct reads r = {0, 0, 1};
    axle_photo_meta m;
    assert_int_equal(axle_image_photo_meta(&img, sizeof tiff, read_at, &r, &m), AXLE_OK);
    assert_true(r.calls > 0);
    assert_string_equal(m.make, "");
    assert_true(isnan(m.exposure_time));
}

static void
bad_arguments(void **state)
{
    (void)state;
    make_tiff();
    axle_image img = tiff_image(sizeof tiff);
    axle_photo_meta m;
    assert_int_equal(axle_image_photo_meta(NULL, 0, NULL, NULL, &m), AXLE_EINVAL);
    assert_int_equal(axle_image_photo_meta(&img, sizeof tiff, NULL, NULL, NULL), AXLE_EINVAL);
    uint8_t px[3] = {1, 2, 3};
    axle_pixels p = {1, 1, 3, 3, px};
    axle_image raw = axle_image_from_pixels(&p);
    assert_int_equal(axle_image_photo_meta(&raw, raw.size, NULL, NULL, &m), AXLE_OK);
    assert_string_equal(m.make, "");
    assert_int_equal(m.iso, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_file),           cmocka_unit_test(prefix_and_reader),
        cmocka_unit_test(prefix_without_reader), cmocka_unit_test(failing_reader),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
