/* test_image_xmp.c - XMP in encoded JPEG and WebP files and the image
 * digest: a packet added is found again, replaces an earlier one, changes
 * no pixel and no digest; Exif stays first; what is not a JPEG or WebP,
 * or does not add up, is an error; axle's fields are read back as
 * elements or attributes with entities decoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "axle_internal.h"
#include "test_image_util.h"

static const char packet1[] = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">one</x:xmpmeta>";
static const char packet2[] = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">the second</x:xmpmeta>";

static uint8_t *
with_xmp(const uint8_t *data, size_t len, const char *xmp, size_t *outlen)
{
    void *out = NULL;
    char err[256];
    assert_int_equal(axle_image_add_xmp(data, len, xmp, strlen(xmp), &out, outlen, err,
                                        sizeof err), AXLE_OK);
    return out;
}

static void
assert_xmp(const uint8_t *data, size_t len, const char *want)
{
    size_t n = 0;
    const char *got = axle_image_xmp(data, len, &n);
    assert_non_null(got);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(got, want, n);
}

static void
assert_same_digest(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    char da[AXLE_DIGEST_HEX], db[AXLE_DIGEST_HEX], err[256];
    assert_int_equal(axle_image_digest(a, alen, da, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_image_digest(b, blen, db, err, sizeof err), AXLE_OK);
    assert_int_equal(strlen(da), 64);
    assert_string_equal(da, db);
}

static void
assert_same_pixels(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    axle_image ia = ti_probe_ok(a, alen), ib = ti_probe_ok(b, blen);
    axle_pixels pa, pb;
    char err[256];
    assert_int_equal(axle_image_decode(&ia, 0, 0, 0, &pa, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_image_decode(&ib, 0, 0, 0, &pb, err, sizeof err), AXLE_OK);
    assert_int_equal(pa.width, pb.width);
    assert_int_equal(pa.height, pb.height);
    assert_int_equal(pa.channels, pb.channels);
    for (uint32_t y = 0; y < pa.height; y++)
        assert_memory_equal(pa.data + y * pa.stride, pb.data + y * pb.stride,
                            (size_t)pa.width * pa.channels);
    axle_pixels_free(&pa);
    axle_pixels_free(&pb);
}

/* Adding, finding, replacing: the pixels and the digest never change. */
static void
round_trip(axle_codec codec, uint32_t channels)
{
    size_t len, l1, l2;
    uint8_t *plain = ti_encoded(codec, 64, 48, channels, 85, &len);
    assert_null(axle_image_xmp(plain, len, NULL));
    uint8_t *one = with_xmp(plain, len, packet1, &l1);
    assert_xmp(one, l1, packet1);
    assert_same_pixels(plain, len, one, l1);
    assert_same_digest(plain, len, one, l1);
    uint8_t *two = with_xmp(one, l1, packet2, &l2);
    assert_xmp(two, l2, packet2);
    assert_null(memmem(two, l2, packet1, strlen(packet1))); /* replaced, not added */
    assert_true(l2 - l1 <= strlen(packet2) - strlen(packet1) + 1); /* + a pad byte */
    assert_same_digest(plain, len, two, l2);
    free(plain);
    free(one);
    free(two);
}

static void
test_jpeg(void **state)
{
    (void)state;
    round_trip(AXLE_CODEC_JPEG, 3);
    round_trip(AXLE_CODEC_JPEG, 1);
}

static void
test_webp(void **state)
{
    (void)state;
    round_trip(AXLE_CODEC_WEBP, 3);
    round_trip(AXLE_CODEC_WEBP, 4);
}

/* A JPEG that cut its XMP segment out is byte for byte the plain file. */
static void
test_jpeg_segment_only(void **state)
{
    (void)state;
    size_t len, l1;
    uint8_t *plain = ti_encoded(AXLE_CODEC_JPEG, 32, 32, 3, 85, &len);
    uint8_t *one = with_xmp(plain, len, packet1, &l1);
    size_t seg = 4 + 29 + strlen(packet1);
    assert_int_equal(l1, len + seg);
    const uint8_t *at = (const uint8_t *)axle_image_xmp(one, l1, NULL) - 29 - 4;
    size_t off = (size_t)(at - one);
    assert_memory_equal(one, plain, off);
    assert_memory_equal(one + off + seg, plain + off, len - off);
    free(plain);
    free(one);
}

/* Exif stays ahead of the XMP, and its orientation is still read. */
static void
test_jpeg_after_exif(void **state)
{
    (void)state;
    size_t len, elen, l1;
    uint8_t *plain = ti_encoded(AXLE_CODEC_JPEG, 32, 24, 3, 85, &len);
    uint8_t *exif = ti_with_exif(plain, len, 6, 0, &elen);
    uint8_t *one = with_xmp(exif, elen, packet1, &l1);
    const uint8_t *xmp = (const uint8_t *)axle_image_xmp(one, l1, NULL);
    const uint8_t *ex = memmem(one, l1, "Exif\0\0", 6);
    assert_non_null(ex);
    assert_true(ex < xmp);
    assert_int_equal(ti_probe_ok(one, l1).orientation, 6);
    free(plain);
    free(exif);
    free(one);
}

static void
test_refused(void **state)
{
    (void)state;
    char err[256], hex[AXLE_DIGEST_HEX];
    void *out = NULL;
    size_t outlen = 0, len;
    const char *text = "not an image at all";
    assert_int_equal(axle_image_add_xmp(text, strlen(text), packet1, strlen(packet1), &out,
                                        &outlen, err, sizeof err), AXLE_EUNSUPPORTED);
    assert_null(out);
    assert_null(axle_image_xmp(text, strlen(text), NULL));
    assert_int_equal(axle_image_digest(text, strlen(text), hex, err, sizeof err),
                     AXLE_EFORMAT);

    uint8_t *plain = ti_encoded(AXLE_CODEC_JPEG, 16, 16, 3, 85, &len);
    char *big = malloc(70000);
    memset(big, 'x', 69999);
    big[69999] = '\0';
    assert_int_equal(axle_image_add_xmp(plain, len, big, strlen(big), &out, &outlen, err,
                                        sizeof err), AXLE_ETOOBIG);
    assert_non_null(strstr(err, "XMP packet of 69999 bytes"));
    /* A segment whose length runs past the end. */
    plain[4] = 0xFF;
    plain[5] = 0xFF;
    assert_int_equal(axle_image_add_xmp(plain, len, packet1, strlen(packet1), &out, &outlen,
                                        err, sizeof err), AXLE_EFORMAT);
    assert_int_equal(axle_image_digest(plain, len, hex, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "corrupt JPEG"));
    free(big);
    free(plain);
}

static void
test_digest_tells_images_apart(void **state)
{
    (void)state;
    size_t la, lb;
    char da[AXLE_DIGEST_HEX], db[AXLE_DIGEST_HEX], err[256];
    uint8_t *a = ti_encoded(AXLE_CODEC_WEBP, 32, 32, 3, 85, &la);
    uint8_t *b = ti_encoded(AXLE_CODEC_WEBP, 32, 32, 3, 60, &lb);
    assert_int_equal(axle_image_digest(a, la, da, err, sizeof err), AXLE_OK);
    assert_int_equal(axle_image_digest(b, lb, db, err, sizeof err), AXLE_OK);
    assert_string_not_equal(da, db);
    free(a);
    free(b);
}

static void
test_fields(void **state)
{
    (void)state;
    const char *el = "<rdf:Description xmlns:axle=\"https://axle.dev/ns/1.0/\">"
                     "<axle:job>w-3</axle:job><axle:source>a &amp; b &lt;c&gt;.jpg"
                     "</axle:source></rdf:Description>";
    char *v = axle_internal_xmp_field(el, strlen(el), "job");
    assert_string_equal(v, "w-3");
    free(v);
    v = axle_internal_xmp_field(el, strlen(el), "source");
    assert_string_equal(v, "a & b <c>.jpg");
    free(v);
    assert_null(axle_internal_xmp_field(el, strlen(el), "identity"));
    const char *attr = "<rdf:Description xmlns:axle='https://axle.dev/ns/1.0/' "
                       "axle:identity='abc' axle:job=\"w-&quot;4\"/>";
    v = axle_internal_xmp_field(attr, strlen(attr), "identity");
    assert_string_equal(v, "abc");
    free(v);
    v = axle_internal_xmp_field(attr, strlen(attr), "job");
    assert_string_equal(v, "w-\"4");
    free(v);
    const char *other = "<axle:job>w-3</axle:job>"; /* not axle's namespace */
    assert_null(axle_internal_xmp_field(other, strlen(other), "job"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_webp),
        cmocka_unit_test(test_jpeg_segment_only),
        cmocka_unit_test(test_jpeg_after_exif),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_digest_tells_images_apart),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
