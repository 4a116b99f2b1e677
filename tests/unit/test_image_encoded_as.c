/* test_image_encoded_as.c - axle_image_encoded_as (issue 12, one encode
 * per thumbnail): a cell encoded by axle_image_encode_with is recognised
 * for the options it was encoded with, and for no others: another
 * quality, scans, chroma or codec, a turned cell, EXIF asked for; grey
 * has no chroma to differ; PNG is recognised by its recorded losslessness,
 * AVIF never. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"

/* px encoded with codec and o: *img probes it (data owned by *buf). */
static void
encode(const axle_pixels *px, axle_codec codec, const axle_encode_options *o,
       axle_image *img, void **buf)
{
    size_t len = 0;
    char err[256];
    if (axle_image_encode_with(px, codec, o, buf, &len, err, sizeof err) != AXLE_OK)
        fail_msg("encode %s: %s", axle_codec_name(codec), err);
    *img = ti_probe_ok(*buf, len);
}

static void
test_jpeg_options(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(96, 64, 3, 1);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(85), other;
    axle_image img;
    void *buf;
    encode(&px, AXLE_CODEC_JPEG, &o, &img, &buf); /* auto: 4:2:0 below 90 */
    assert_true(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &o));
    other = o;
    other.subsampling = 420; /* what auto gave: the same bitstream */
    assert_true(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &other));
    other.subsampling = 444;
    assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &other));
    other = o;
    other.progressive = true;
    assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &other));
    other = AXLE_ENCODE_OPTIONS(84);
    assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &other));
    assert_false(axle_image_encoded_as(&img, 0, AXLE_CODEC_JPEG, &o)); /* quality unknown */
    assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_WEBP, &o));
    other = o;
    other.exif = "II*\0\10\0\0\0";
    other.exif_len = 8;
    assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_JPEG, &other));
    axle_image turned = img;
    turned.orientation = 6;
    assert_false(axle_image_encoded_as(&turned, 85, AXLE_CODEC_JPEG, &o));
    free(buf);

    o = AXLE_ENCODE_OPTIONS(92); /* auto: 4:4:4 from 90 */
    o.progressive = true;
    encode(&px, AXLE_CODEC_JPEG, &o, &img, &buf);
    assert_true(axle_image_encoded_as(&img, 92, AXLE_CODEC_JPEG, &o));
    other = o;
    other.progressive = false;
    assert_false(axle_image_encoded_as(&img, 92, AXLE_CODEC_JPEG, &other));
    other = o;
    other.subsampling = 420;
    assert_false(axle_image_encoded_as(&img, 92, AXLE_CODEC_JPEG, &other));
    free(buf);
    axle_pixels_free(&px);
}

static void
test_grey_has_no_chroma(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(64, 48, 1, 2);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(80), other = o;
    axle_image img;
    void *buf;
    encode(&px, AXLE_CODEC_JPEG, &o, &img, &buf);
    other.subsampling = 444; /* ignored for grey: the same bitstream */
    assert_true(axle_image_encoded_as(&img, 80, AXLE_CODEC_JPEG, &other));
    free(buf);
    axle_pixels_free(&px);
}

static void
test_webp_png_avif(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(64, 48, 4, 3);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(85);
    axle_image img;
    void *buf;
    encode(&px, AXLE_CODEC_WEBP, &o, &img, &buf);
    assert_true(axle_image_encoded_as(&img, 85, AXLE_CODEC_WEBP, &o));
    assert_false(axle_image_encoded_as(&img, 90, AXLE_CODEC_WEBP, &o));
    assert_false(axle_image_encoded_as(&img, AXLE_QUALITY_LOSSLESS, AXLE_CODEC_WEBP, &o));
    free(buf);
    char why[256];
    if (axle_can_encode(AXLE_CODEC_PNG, why, sizeof why)) {
        encode(&px, AXLE_CODEC_PNG, &o, &img, &buf);
        assert_true(axle_image_encoded_as(&img, AXLE_QUALITY_LOSSLESS, AXLE_CODEC_PNG, &o));
        assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_PNG, &o)); /* not recorded */
        free(buf);
    }
    if (axle_can_encode(AXLE_CODEC_AVIF, why, sizeof why)) {
        encode(&px, AXLE_CODEC_AVIF, &o, &img, &buf);
        assert_false(axle_image_encoded_as(&img, 85, AXLE_CODEC_AVIF, &o));
        free(buf);
    }
    axle_pixels_free(&px);
}

static void
test_no_image(void **state)
{
    (void)state;
    axle_encode_options o = AXLE_ENCODE_OPTIONS(85);
    axle_image none = {0};
    none.codec = AXLE_CODEC_JPEG;
    assert_false(axle_image_encoded_as(NULL, 85, AXLE_CODEC_JPEG, &o));
    assert_false(axle_image_encoded_as(&none, 85, AXLE_CODEC_JPEG, &o));
    static const uint8_t junk[] = {0xFF, 0xD8, 0xFF, 0xD9};
    none.data = junk;
    none.size = sizeof junk; /* no frame header */
    assert_false(axle_image_encoded_as(&none, 85, AXLE_CODEC_JPEG, &o));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_options),
        cmocka_unit_test(test_grey_has_no_chroma),
        cmocka_unit_test(test_webp_png_avif),
        cmocka_unit_test(test_no_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
