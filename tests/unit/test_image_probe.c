/* test_image_probe.c - axle_image_probe: formats recognised by content,
 * EXIF orientation from JPEG and WebP, and every kind of bad input turned
 * into an error with a reason (never a crash: the mutation test runs
 * under ASan in the sanitizer build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"

static int
probe(const void *data, size_t len, axle_image *img, char *err, size_t errlen)
{
    return axle_image_probe(data, len, img, err, errlen);
}

static void
test_codec_names(void **state)
{
    (void)state;
    assert_string_equal(axle_codec_name(AXLE_CODEC_JPEG), "jpeg");
    assert_string_equal(axle_codec_name(AXLE_CODEC_WEBP), "webp");
    assert_string_equal(axle_codec_name(AXLE_CODEC_RAW), "raw");
}

static void
test_not_images(void **state)
{
    (void)state;
    axle_image img;
    char err[256];
    assert_int_equal(probe("", 0, &img, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "empty"));
    const char *text = "This is not an image.\nJust text.\n";
    assert_int_equal(probe(text, strlen(text), &img, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "text"));
    uint8_t noise[4000];
    unsigned r = 7;
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (uint8_t)((r = r * 1103515245u + 12345u) >> 16);
    noise[0] = 0x13; /* not FF D8, not RIFF */
    assert_int_equal(probe(noise, sizeof noise, &img, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "not a JPEG"));
    assert_int_equal(probe("BM\x3a\0\0\0\0\0\0\0\x36\0", 12, &img, err, sizeof err),
                     AXLE_EUNSUPPORTED);
    assert_non_null(strstr(err, "BMP images are not supported"));
    assert_int_equal(probe("RIFF\x10\0\0\0WAVEfmt ", 16, &img, err, sizeof err),
                     AXLE_EUNSUPPORTED);
    assert_non_null(strstr(err, "WAVE"));
}

static void
test_jpeg_rgb_and_grey(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 120, 80, 3, 90, &len);
    axle_image img = ti_probe_ok(j, len);
    assert_int_equal(img.codec, AXLE_CODEC_JPEG);
    assert_int_equal(img.width, 120);
    assert_int_equal(img.height, 80);
    assert_int_equal(img.channels, 3);
    assert_int_equal(img.orientation, 1);
    assert_ptr_equal(img.data, j);
    assert_int_equal(img.size, len);
    free(j);
    j = ti_encoded(AXLE_CODEC_JPEG, 33, 17, 1, 80, &len);
    img = ti_probe_ok(j, len);
    assert_int_equal(img.channels, 1);
    assert_int_equal(img.width, 33);
    free(j);
}

static void
test_jpeg_exif_orientation(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 40, 30, 3, 80, &len);
    for (int o = 1; o <= 8; o++)
        for (int be = 0; be <= 1; be++) {
            uint8_t *x = ti_with_exif(j, len, o, be, &xlen);
            axle_image img = ti_probe_ok(x, xlen);
            assert_int_equal(img.orientation, o);
            assert_int_equal(img.width, 40); /* as stored */
            free(x);
        }
    /* Out of range values and broken IFDs read as 1, never as an error. */
    uint8_t *x = ti_with_exif(j, len, 9, 0, &xlen);
    assert_int_equal(ti_probe_ok(x, xlen).orientation, 1);
    x[12 + 4] = 0xF0; /* IFD0 offset far past the segment */
    assert_int_equal(ti_probe_ok(x, xlen).orientation, 1);
    x[12 + 4] = 0x08;
    x[12 + 8] = 0xFF; /* entry count 255: entries run past the end */
    assert_int_equal(ti_probe_ok(x, xlen).orientation, 1);
    free(x);
    free(j);
}

static void
test_jpeg_truncated_header(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 64, 48, 3, 85, &len);
    axle_image img;
    char err[256];
    /* Every cut inside the headers is AXLE_EMORE naming truncation (the
     * data may be a prefix), or an error saying what else is wrong; none
     * crashes.  Told the data is the whole file, it is truncated. */
    size_t sof = ti_sof_offset(j, len);
    assert_true(sof > 0);
    for (size_t cut = 1; cut < sof + 20; cut++) {
        int rc = probe(j, cut, &img, err, sizeof err);
        if (rc == AXLE_EMORE)
            assert_non_null(strstr(err, "truncated JPEG"));
        else
            assert_true(rc == AXLE_EFORMAT && strstr(err, "not a JPEG"));
        rc = axle_image_probe_prefix(j, cut, cut, NULL, &img, err, sizeof err);
        assert_int_equal(rc, AXLE_EFORMAT);
        assert_true(strstr(err, "truncated JPEG") || strstr(err, "not a JPEG"));
    }
    free(j);
}

static void
test_jpeg_unsupported(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 64, 48, 3, 85, &len);
    size_t sof = ti_sof_offset(j, len);
    axle_image img;
    char err[256];
    j[sof + 1] = 0xC3; /* lossless */
    assert_int_equal(probe(j, len, &img, err, sizeof err), AXLE_EUNSUPPORTED);
    assert_non_null(strstr(err, "lossless"));
    j[sof + 1] = 0xC0;
    j[sof + 4] = 12; /* 12-bit samples */
    assert_int_equal(probe(j, len, &img, err, sizeof err), AXLE_EUNSUPPORTED);
    assert_non_null(strstr(err, "12-bit"));
    free(j);
}

static void
test_jpeg_bomb_header(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 64, 48, 3, 85, &len);
    size_t sof = ti_sof_offset(j, len);
    /* SOF: FF C0 len(2) precision(1) height(2) width(2) */
    j[sof + 5] = 0xFF; j[sof + 6] = 0xDC; /* 65500 */
    j[sof + 7] = 0xFF; j[sof + 8] = 0xDC;
    axle_image img = ti_probe_ok(j, len); /* the header itself is valid */
    assert_int_equal(img.width, 65500);
    assert_int_equal(img.height, 65500);
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_decode(&img, 256, 256, 200000000, &px, err, sizeof err),
                     AXLE_ETOOBIG);
    assert_non_null(strstr(err, "4290250000"));
    assert_non_null(strstr(err, "200000000"));
    assert_null(px.data);
    free(j);
}

static void
test_webp(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 90, 60, 3, 80, &len);
    axle_image img = ti_probe_ok(w, len);
    assert_int_equal(img.codec, AXLE_CODEC_WEBP);
    assert_int_equal(img.width, 90);
    assert_int_equal(img.height, 60);
    assert_int_equal(img.channels, 3);
    char err[256];
    assert_int_equal(probe(w, len / 2, &img, err, sizeof err), AXLE_EMORE);
    assert_non_null(strstr(err, "truncated WebP: its RIFF header says"));
    assert_int_equal(axle_image_probe_prefix(w, len / 2, len / 2, NULL, &img, err, sizeof err),
                     AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated WebP: its RIFF header says"));
    for (size_t cut = 1; cut < 40; cut++)
        assert_true(probe(w, cut, &img, err, sizeof err) < 0);
    free(w);
    w = ti_encoded(AXLE_CODEC_WEBP, 50, 40, 4, 80, &len);
    img = ti_probe_ok(w, len);
    assert_int_equal(img.channels, 4);
    free(w);
}

/* An extended WebP (VP8X) around a simple one, with an EXIF chunk. */
static uint8_t *
webp_with_exif(const uint8_t *simple, size_t len, int orientation, size_t *outlen)
{
    const uint8_t *vp8 = simple + 12; /* "VP8 " chunk of the simple file */
    size_t vp8len = len - 12;
    uint8_t tiff[26];
    memcpy(tiff, "II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0", 18);
    tiff[18] = (uint8_t)orientation;
    memset(tiff + 19, 0, 7);
    size_t total = 12 + 18 + vp8len + 8 + sizeof tiff;
    uint8_t *o = calloc(1, total), *p = o;
    axle_image img = ti_probe_ok(simple, len);
    memcpy(p, "RIFF", 4);
    uint32_t riff = (uint32_t)(total - 8);
    for (int i = 0; i < 4; i++)
        p[4 + i] = (uint8_t)(riff >> (8 * i));
    memcpy(p + 8, "WEBPVP8X\x0a\0\0\0", 12);
    p[20] = 0x08; /* EXIF flag */
    uint32_t cw = img.width - 1, ch = img.height - 1;
    for (int i = 0; i < 3; i++) {
        p[24 + i] = (uint8_t)(cw >> (8 * i));
        p[27 + i] = (uint8_t)(ch >> (8 * i));
    }
    p += 30;
    memcpy(p, vp8, vp8len);
    p += vp8len;
    memcpy(p, "EXIF\x1a\0\0\0", 8);
    memcpy(p + 8, tiff, sizeof tiff);
    *outlen = total;
    return o;
}

static void
test_webp_exif_orientation(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 30, 20, 3, 80, &len);
    for (int o = 1; o <= 8; o++) {
        uint8_t *x = webp_with_exif(w, len, o, &xlen);
        axle_image img = ti_probe_ok(x, xlen);
        assert_int_equal(img.orientation, o);
        assert_int_equal(img.width, 30);
        /* and it still decodes */
        axle_pixels px;
        char err[256];
        assert_int_equal(axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err), AXLE_OK);
        axle_pixels_free(&px);
        free(x);
    }
    free(w);
}

/* Probes every prefix of `data` as axle_image_probe_prefix, following its
 * *need: each either asks for more bytes (and then gets the answer with
 * them) or gives exactly the whole file's answer; never another one. */
static void
check_prefixes(const uint8_t *data, size_t len, size_t step)
{
    axle_image whole = ti_probe_ok(data, len), img;
    char err[256];
    for (size_t cut = 1; cut <= len; cut += step) {
        size_t have = cut, need = 0;
        int rc, rounds = 0;
        while ((rc = axle_image_probe_prefix(data, have, len, &need, &img, err,
                                             sizeof err)) == AXLE_EMORE) {
            if (need <= have || need > len)
                fail_msg("prefix %zu of %zu: need %zu (%s)", have, len, need, err);
            have = need;
            assert_true(++rounds < 100);
        }
        if (rc != AXLE_OK)
            fail_msg("prefix %zu of %zu: %d %s", cut, len, rc, err);
        assert_int_equal(img.codec, whole.codec);
        assert_int_equal(img.width, whole.width);
        assert_int_equal(img.height, whole.height);
        assert_int_equal(img.channels, whole.channels);
        assert_int_equal(img.orientation, whole.orientation);
        assert_ptr_equal(img.data, data);
        assert_int_equal(img.size, have);
    }
}

/* A JPEG with a 60 KB EXIF segment (a camera's thumbnail): its frame
 * header is past a 16 KiB prefix, and the probe asks for the bytes. */
static void
test_prefix_jpeg(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 64, 48, 3, 85, &len);
    uint8_t *x = ti_with_exif(j, len, 6, 0, &xlen);
    check_prefixes(x, xlen, 7);
    /* grow the EXIF segment to 60000 bytes of padding after the TIFF */
    size_t seg = (size_t)x[4] << 8 | x[5], seg_end = 4 + seg, pad = 60000 - seg;
    uint8_t *big = malloc(xlen + pad);
    memcpy(big, x, seg_end);
    memset(big + seg_end, 0, pad);
    memcpy(big + seg_end + pad, x + seg_end, xlen - seg_end);
    big[4] = 60000 >> 8;
    big[5] = 60000 & 0xff;
    axle_image img;
    char err[256];
    size_t need;
    assert_int_equal(axle_image_probe_prefix(big, 16384, xlen + pad, &need, &img, err,
                                             sizeof err), AXLE_EMORE);
    assert_true(need > 60000 && need < 60100);
    assert_int_equal(axle_image_probe(big, 16384, &img, err, sizeof err), AXLE_EMORE);
    check_prefixes(big, xlen + pad, 4999);
    assert_int_equal(ti_probe_ok(big, xlen + pad).orientation, 6);
    /* cut inside the big segment, the file itself is truncated */
    assert_int_equal(axle_image_probe_prefix(big, 16384, 30000, &need, &img, err, sizeof err),
                     AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated JPEG"));
    free(big);
    free(x);
    free(j);
}

/* WebPs: simple, with alpha, and extended with EXIF after the image data
 * (the prefix must reach it to know the orientation). */
static void
test_prefix_webp(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 90, 60, 3, 80, &len);
    check_prefixes(w, len, 3);
    uint8_t *x = webp_with_exif(w, len, 8, &xlen);
    check_prefixes(x, xlen, 3);
    axle_image img;
    char err[256];
    size_t need;
    assert_int_equal(axle_image_probe_prefix(x, 64, xlen, &need, &img, err, sizeof err),
                     AXLE_EMORE);
    assert_true(need > 64 && need <= xlen);
    free(x);
    free(w);
    w = ti_encoded(AXLE_CODEC_WEBP, 50, 40, 4, 80, &len);
    check_prefixes(w, len, 3);
    /* the RIFF size past the file's end: truncated, whatever the prefix */
    assert_int_equal(axle_image_probe_prefix(w, 30, len - 1, &need, &img, err, sizeof err),
                     AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated WebP"));
    free(w);
}

/* An extended WebP whose VP8 frame header is damaged: libwebp reads the
 * canvas size from VP8X alone when the data stops there, so a 30-byte
 * prefix was "fine" while the whole file is not (found by fuzz_image). */
static void
test_prefix_webp_damaged(void **state)
{
    (void)state;
    size_t len, xlen;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 90, 60, 3, 80, &len);
    uint8_t *x = webp_with_exif(w, len, 1, &xlen);
    x[20] = 0;             /* no EXIF flag: nothing to look for after VP8X */
    x[30 + 8 + 3] ^= 0xFF; /* the frame's start code 9d 01 2a */
    axle_image img;
    char err[256];
    int whole = axle_image_probe(x, xlen, &img, err, sizeof err);
    assert_int_equal(whole, AXLE_EFORMAT);
    for (size_t cut = 1; cut < xlen; cut++) {
        size_t need = 0;
        int rc = axle_image_probe_prefix(x, cut, xlen, &need, &img, err, sizeof err);
        if (rc != AXLE_EMORE && rc != whole)
            fail_msg("prefix %zu of %zu: %d (%s), the whole file %d", cut, xlen, rc, err, whole);
    }
    free(x);
    free(w);
}

/* Random byte changes in the first bytes of valid files: probe and
 * decode must return (any code) without crashing or reading out of
 * bounds. */
static void
test_mutations(void **state)
{
    (void)state;
    size_t jl, wl;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 48, 32, 3, 80, &jl);
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 48, 32, 3, 80, &wl);
    unsigned r = 12345;
    for (int round = 0; round < 1500; round++) {
        int use_jpeg = round % 2 == 0;
        size_t len = use_jpeg ? jl : wl;
        uint8_t *copy = malloc(len);
        memcpy(copy, use_jpeg ? j : w, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            r = r * 1103515245u + 12345u;
            size_t at = (r >> 8) % (len < 700 ? len : 700);
            copy[at] = (uint8_t)(r >> 20);
        }
        r = r * 1103515245u + 12345u;
        size_t cut = round % 3 == 0 ? (r >> 8) % len : len; /* sometimes truncated */
        axle_image img;
        axle_pixels px;
        char err[256];
        if (axle_image_probe(copy, cut, &img, err, sizeof err) == AXLE_OK &&
            axle_image_decode(&img, 16, 16, 1000000, &px, err, sizeof err) == AXLE_OK)
            axle_pixels_free(&px);
        free(copy);
    }
    free(j);
    free(w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codec_names),
        cmocka_unit_test(test_not_images),
        cmocka_unit_test(test_jpeg_rgb_and_grey),
        cmocka_unit_test(test_jpeg_exif_orientation),
        cmocka_unit_test(test_jpeg_truncated_header),
        cmocka_unit_test(test_jpeg_unsupported),
        cmocka_unit_test(test_jpeg_bomb_header),
        cmocka_unit_test(test_webp),
        cmocka_unit_test(test_webp_exif_orientation),
        cmocka_unit_test(test_prefix_jpeg),
        cmocka_unit_test(test_prefix_webp),
        cmocka_unit_test(test_prefix_webp_damaged),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
