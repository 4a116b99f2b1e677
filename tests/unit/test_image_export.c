/* test_image_export.c - what export writes, at the SDK: PNG keeps every
 * pixel of 1-4 channels and gives the same bytes twice; AVIF decodes back
 * close to its pixels; options a codec has no use for are refused naming
 * themselves; a profile is embedded (split over APP2 segments when large)
 * and read back equal in every format, and replaces an earlier one in a
 * stored thumbnail; EXIF for export loses IFD1 and its thumbnail (cut off
 * the end, or zeroed where other data follows) and gets orientation 1,
 * also read from an AVIF's Exif item;
 * XMP in PNG replaces an earlier packet and leaves the digest alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"

/* A made-up profile of `len` bytes whose header says RGB (or GRAY). */
static uint8_t *
fake_icc(size_t len, const char *space)
{
    uint8_t *p = malloc(len);
    assert_non_null(p);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(i * 7 + 3);
    p[0] = (uint8_t)(len >> 24), p[1] = (uint8_t)(len >> 16);
    p[2] = (uint8_t)(len >> 8), p[3] = (uint8_t)len;
    memcpy(p + 12, "mntr", 4);
    memcpy(p + 16, space, 4);
    memcpy(p + 36, "acsp", 4);
    return p;
}

static uint8_t *
encode(const axle_pixels *px, axle_codec codec, const axle_encode_options *o, size_t *len)
{
    void *out = NULL;
    char err[256];
    int rc = axle_image_encode_with(px, codec, o, &out, len, err, sizeof err);
    if (rc != AXLE_OK)
        fail_msg("encode %s: %s", axle_codec_name(codec), err);
    return out;
}

static axle_pixels
decode(const uint8_t *data, size_t len)
{
    axle_image img = ti_probe_ok(data, len);
    axle_pixels px;
    char err[256];
    if (axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err) != AXLE_OK)
        fail_msg("decode: %s", err);
    return px;
}

static void
test_png_lossless_and_deterministic(void **state)
{
    (void)state;
    for (uint32_t c = 1; c <= 4; c++) {
        axle_pixels px = ti_pattern(37, 23, c, c);
        axle_encode_options o = AXLE_ENCODE_OPTIONS(50);
        size_t a_len, b_len;
        uint8_t *a = encode(&px, AXLE_CODEC_PNG, &o, &a_len);
        uint8_t *b = encode(&px, AXLE_CODEC_PNG, &o, &b_len);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        axle_image img = ti_probe_ok(a, a_len);
        assert_int_equal(img.codec, AXLE_CODEC_PNG);
        axle_pixels back = decode(a, a_len);
        assert_int_equal(back.channels, c);
        assert_true(axle_pixels_psnr(&px, &back) > 1000); /* INFINITY: equal */
        axle_pixels_free(&back);
        axle_pixels_free(&px);
        free(a);
        free(b);
    }
}

static void
test_avif_round_trip(void **state)
{
    (void)state;
    char err[256];
    if (!axle_can_encode(AXLE_CODEC_AVIF, err, sizeof err)) {
        assert_non_null(strstr(err, "AVIF encoding needs libheif with an AV1 encoder"));
        skip();
    }
    axle_pixels px = ti_pattern(64, 48, 3, 5);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(90);
    size_t len;
    uint8_t *avif = encode(&px, AXLE_CODEC_AVIF, &o, &len);
    assert_int_equal(ti_probe_ok(avif, len).codec, AXLE_CODEC_AVIF);
    axle_pixels back = decode(avif, len);
    assert_int_equal(back.width, 64);
    assert_int_equal(back.height, 48);
    assert_true(axle_pixels_psnr(&px, &back) > 30);
    axle_pixels_free(&back);
    axle_pixels_free(&px);
    free(avif);
}

static void
refused(const axle_pixels *px, axle_codec codec, const axle_encode_options *o,
        const char *needle)
{
    void *out = (void *)1;
    size_t len = 1;
    char err[256];
    assert_int_equal(axle_image_encode_with(px, codec, o, &out, &len, err, sizeof err),
                     AXLE_EINVAL);
    assert_null(out);
    if (!strstr(err, needle))
        fail_msg("'%s' not in '%s'", needle, err);
}

static void
test_options_a_codec_has_no_use_for(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(16, 16, 3, 1);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(80);
    o.progressive = true;
    refused(&px, AXLE_CODEC_WEBP, &o, "progressive is a JPEG option");
    refused(&px, AXLE_CODEC_PNG, &o, "progressive is a JPEG option");
    o = AXLE_ENCODE_OPTIONS(80);
    o.subsampling = 444;
    refused(&px, AXLE_CODEC_WEBP, &o, "lossy WebP is always 4:2:0");
    o.subsampling = 422;
    refused(&px, AXLE_CODEC_JPEG, &o, "subsampling 422 is not 420 or 444");
    o = AXLE_ENCODE_OPTIONS(80);
    uint8_t *grey = fake_icc(200, "GRAY");
    o.icc = grey;
    o.icc_len = 200;
    refused(&px, AXLE_CODEC_JPEG, &o, "does not fit RGB pixels");
    o = AXLE_ENCODE_OPTIONS(80);
    o.exif = "not tiff";
    o.exif_len = 8;
    refused(&px, AXLE_CODEC_JPEG, &o, "not a TIFF structure");
    o.struct_size = 4;
    refused(&px, AXLE_CODEC_JPEG, &o, "AXLE_ENCODE_OPTIONS");
    free(grey);
    axle_pixels_free(&px);
}

static void
assert_icc(const uint8_t *data, size_t len, const uint8_t *want, size_t want_len)
{
    axle_image img = ti_probe_ok(data, len);
    void *icc = NULL;
    size_t n = 0;
    char err[256];
    assert_int_equal(axle_image_icc(&img, &icc, &n, err, sizeof err), AXLE_OK);
    assert_int_equal(n, want_len);
    assert_memory_equal(icc, want, n);
    free(icc);
}

static void
test_profile_embedded(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(40, 30, 3, 2);
    size_t big = 150000; /* three APP2 segments in JPEG */
    uint8_t *icc = fake_icc(big, "RGB ");
    axle_encode_options o = AXLE_ENCODE_OPTIONS(85);
    o.icc = icc;
    o.icc_len = big;
    size_t jlen, len;
    uint8_t *jpeg = encode(&px, AXLE_CODEC_JPEG, &o, &jlen);
    assert_icc(jpeg, jlen, icc, big);
    uint8_t *webp = encode(&px, AXLE_CODEC_WEBP, &o, &len);
    assert_icc(webp, len, icc, big);
    /* a stored thumbnail's profile replaced by another */
    size_t small_len = 600, with_len = 0;
    uint8_t *small = fake_icc(small_len, "RGB ");
    void *with = NULL;
    char err[256];
    assert_int_equal(axle_image_add_icc(jpeg, jlen, small, small_len, &with, &with_len, err,
                                        sizeof err), AXLE_OK);
    assert_icc(with, with_len, small, small_len);
    axle_pixels a = decode(jpeg, jlen), b = decode(with, with_len);
    assert_true(axle_pixels_psnr(&a, &b) > 1000); /* the coded data untouched */
    axle_pixels_free(&a);
    axle_pixels_free(&b);
    free(with);
    free(small);
    free(jpeg);
    free(webp);
    free(icc);
    axle_pixels_free(&px);
}

/* EXIF as a camera lays it out: IFD0 (orientation 6, Make), IFD1 with a
 * JPEG thumbnail, then the thumbnail's bytes; `tail` more bytes that IFD0
 * uses (a value placed last) when given. */
static size_t
camera_exif(uint8_t *b, bool tail)
{
    memset(b, 0, 200);
    memcpy(b, "II*\0\x08\0\0\0", 8);
    /* IFD0 at 8: three entries; next at 8 + 2 + 36 = 46 */
    b[8] = 3;
    uint8_t *e = b + 10;
    memcpy(e, "\x12\x01\x03\0\x01\0\0\0\x06\0\0\0", 12);      /* orientation 6 */
    memcpy(e + 12, "\x0f\x01\x02\0\x08\0\0\0\x32\0\0\0", 12); /* Make at 50 */
    size_t model_at = tail ? 130 : 58;
    memcpy(e + 24, "\x10\x01\x02\0\x08\0\0\0", 8); /* Model, its offset at 42 */
    b[42] = (uint8_t)model_at;
    b[46] = 66; /* IFD1 at 66 */
    memcpy(b + 50, "AxleCam", 8);
    memcpy(b + 58, "Model-1", 8);
    /* IFD1 at 66: two entries, thumbnail at 96, 20 bytes */
    b[66] = 2;
    memcpy(b + 68, "\x01\x02\x04\0\x01\0\0\0\x60\0\0\0", 12);
    memcpy(b + 80, "\x02\x02\x04\0\x01\0\0\0\x14\0\0\0", 12);
    memset(b + 96, 0xAB, 20); /* the "thumbnail" */
    if (!tail)
        return 116;
    memcpy(b + 130, "Model-1", 8);
    return 138;
}

static uint8_t *
jpeg_with(const uint8_t *tiff, size_t n, size_t *len)
{
    axle_pixels px = ti_pattern(16, 16, 3, 4);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(80);
    o.exif = tiff;
    o.exif_len = n;
    uint8_t *jpeg = encode(&px, AXLE_CODEC_JPEG, &o, len);
    axle_pixels_free(&px);
    return jpeg;
}

static void
test_exif_for_export(void **state)
{
    (void)state;
    uint8_t tiff[200];
    for (int tail = 0; tail <= 1; tail++) {
        size_t n = camera_exif(tiff, tail), len, out_len;
        uint8_t *jpeg = jpeg_with(tiff, n, &len);
        axle_image img = ti_probe_ok(jpeg, len);
        assert_int_equal(img.orientation, 6);
        void *out = NULL;
        char err[256];
        assert_int_equal(axle_image_exif_for_export(&img, &out, &out_len, err, sizeof err),
                         AXLE_OK);
        const uint8_t *x = out;
        assert_int_equal(x[46], 0);                /* IFD0 links to no IFD1 */
        assert_int_equal(x[18], 1);                /* orientation 1 */
        assert_memory_equal(x + 50, "AxleCam", 8); /* the rest as it was */
        if (!tail) {
            assert_int_equal(out_len, 66); /* IFD1 and thumbnail cut off */
        } else {
            assert_int_equal(out_len, n); /* Model lies after: zeroed in place */
            assert_memory_equal(x + 130, "Model-1", 8);
            for (size_t i = 66; i < 116; i++)
                assert_int_equal(x[i], 0);
        }
        /* and it goes into another file as it is */
        uint8_t *again = jpeg_with(out, out_len, &len);
        assert_int_equal(ti_probe_ok(again, len).orientation, 1);
        free(again);
        free(out);
        free(jpeg);
    }
}

/* HEIF and AVIF keep EXIF in an item, read through libheif. */
static void
test_exif_of_avif(void **state)
{
    (void)state;
    char err[256];
    if (!axle_can_encode(AXLE_CODEC_AVIF, err, sizeof err))
        skip();
    uint8_t tiff[200];
    size_t n = camera_exif(tiff, false), len, out_len;
    axle_pixels px = ti_pattern(16, 16, 3, 4);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(80);
    o.exif = tiff;
    o.exif_len = n;
    uint8_t *avif = encode(&px, AXLE_CODEC_AVIF, &o, &len);
    axle_image img = ti_probe_ok(avif, len);
    void *out = NULL;
    assert_int_equal(axle_image_exif_for_export(&img, &out, &out_len, err, sizeof err),
                     AXLE_OK);
    assert_non_null(out);
    assert_int_equal(out_len, 66);
    assert_int_equal(((uint8_t *)out)[18], 1);
    assert_memory_equal((uint8_t *)out + 50, "AxleCam", 8);
    free(out);
    free(avif);
    axle_pixels_free(&px);
}

static void
test_exif_absent_or_bad(void **state)
{
    (void)state;
    size_t len, n = 9;
    uint8_t *plain = ti_encoded(AXLE_CODEC_JPEG, 16, 16, 3, 80, &len);
    axle_image img = ti_probe_ok(plain, len);
    void *out = (void *)1;
    char err[256];
    assert_int_equal(axle_image_exif_for_export(&img, &out, &n, err, sizeof err), AXLE_OK);
    assert_null(out);
    assert_int_equal(n, 0);
    /* an IFD0 offset past the end */
    uint8_t tiff[16] = "II*\0\xf0\0\0\0";
    uint8_t *bad = jpeg_with(tiff, sizeof tiff, &len);
    img = ti_probe_ok(bad, len);
    assert_int_equal(axle_image_exif_for_export(&img, &out, &n, err, sizeof err),
                     AXLE_EFORMAT);
    assert_non_null(strstr(err, "IFD0"));
    free(bad);
    free(plain);
}

static void
test_png_xmp(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(20, 10, 4, 3);
    axle_encode_options o = AXLE_ENCODE_OPTIONS(80);
    size_t len, l1, l2, n;
    uint8_t *png = encode(&px, AXLE_CODEC_PNG, &o, &len);
    void *one = NULL, *two = NULL;
    char err[256], d0[AXLE_DIGEST_HEX], d2[AXLE_DIGEST_HEX];
    assert_null(axle_image_xmp(png, len, &n));
    assert_int_equal(axle_image_add_xmp(png, len, "<x>one</x>", 10, &one, &l1, err,
                                        sizeof err), AXLE_OK);
    assert_int_equal(axle_image_add_xmp(one, l1, "<x>second</x>", 13, &two, &l2, err,
                                        sizeof err), AXLE_OK);
    const char *got = axle_image_xmp(two, l2, &n);
    assert_non_null(got);
    assert_int_equal(n, 13);
    assert_memory_equal(got, "<x>second</x>", 13);
    assert_int_equal(l2, l1 + 3); /* replaced, not added */
    assert_int_equal(axle_image_digest(png, len, d0, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_image_digest(two, l2, d2, err, sizeof err), AXLE_OK);
    assert_string_equal(d0, d2);
    axle_pixels back = decode(two, l2);
    assert_true(axle_pixels_psnr(&px, &back) > 1000);
    axle_pixels_free(&back);
    axle_pixels_free(&px);
    free(one);
    free(two);
    free(png);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_lossless_and_deterministic),
        cmocka_unit_test(test_avif_round_trip),
        cmocka_unit_test(test_options_a_codec_has_no_use_for),
        cmocka_unit_test(test_profile_embedded),
        cmocka_unit_test(test_exif_for_export),
        cmocka_unit_test(test_exif_of_avif),
        cmocka_unit_test(test_exif_absent_or_bad),
        cmocka_unit_test(test_png_xmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
