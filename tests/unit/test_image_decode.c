/* test_image_decode.c - axle_image_decode (shrink-on-load scale choice,
 * channels kept or converted, limits, bad data) and axle_image_encode
 * (alpha flattened on white, grey kept, chroma subsampling, quality). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <turbojpeg.h>

#include "test_image_util.h"

static axle_pixels
decode_ok(const axle_image *img, uint32_t ww, uint32_t wh)
{
    axle_pixels px;
    char err[256];
    int rc = axle_image_decode(img, ww, wh, 0, &px, err, sizeof err);
    if (rc != AXLE_OK)
        fail_msg("decode: %d %s", rc, err);
    return px;
}

/* The DCT scale is the smallest power-of-two reduction still at least
 * twice the wanted size in each direction asked for. */
static void
test_jpeg_scale_choice(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 1024, 768, 3, 85, &len);
    axle_image img = ti_probe_ok(j, len);
    static const struct {
        uint32_t ww, wh, w, h;
    } cases[] = {
        {0, 0, 1024, 768},   /* full size */
        {256, 192, 512, 384}, /* needs 512x384: 1/2 */
        {250, 180, 512, 384},
        {100, 75, 256, 192}, /* needs 200x150: 1/4 (1/8 is 128x96) */
        {1, 1, 128, 96},     /* 1/8 is the smallest */
        {600, 0, 1024, 768}, /* width only: needs 1200 > 1024 */
        {0, 96, 256, 192},   /* height only: needs 192 */
        {2000, 2000, 1024, 768},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        axle_pixels px = decode_ok(&img, cases[i].ww, cases[i].wh);
        assert_int_equal(px.width, cases[i].w);
        assert_int_equal(px.height, cases[i].h);
        assert_int_equal(px.channels, 3);
        assert_int_equal(px.stride, px.width * 3);
        axle_pixels_free(&px);
    }
    free(j);
}

static void
test_webp_scaled(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 900, 600, 3, 85, &len);
    axle_image img = ti_probe_ok(w, len);
    axle_pixels px = decode_ok(&img, 100, 66);
    /* scaled to three times the wish, aspect kept */
    assert_int_equal(px.width, 300);
    assert_int_equal(px.height, 200);
    axle_pixels_free(&px);
    px = decode_ok(&img, 0, 0);
    assert_int_equal(px.width, 900);
    axle_pixels_free(&px);
    free(w);
}

static void
test_grey_stays_grey(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 64, 64, 1, 90, &len);
    axle_image img = ti_probe_ok(j, len);
    axle_pixels px = decode_ok(&img, 0, 0);
    assert_int_equal(px.channels, 1);
    /* and a grey encode stays a one-component JPEG */
    void *enc;
    size_t elen;
    char err[256];
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 85, &enc, &elen, err, sizeof err),
                     AXLE_OK);
    assert_int_equal(ti_probe_ok(enc, elen).channels, 1);
    free(enc);
    axle_pixels_free(&px);
    free(j);
}

/* CMYK made by TurboJPEG (which, like Photoshop and Pillow, writes the
 * Adobe marker and inverted values): patches of known colour come back as
 * RGB with Pillow's conversion. */
static void
test_cmyk_to_rgb(void **state)
{
    (void)state;
    const uint32_t w = 48, h = 16;
    uint8_t cmyk[48 * 16 * 4];
    /* inverted CMYK: 255 means no ink */
    static const uint8_t patch[3][4] = {
        {255, 255, 255, 255}, /* white */
        {255, 0, 0, 255},     /* cyan none, magenta+yellow full: red */
        {255, 255, 255, 0},   /* full black */
    };
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            memcpy(cmyk + 4 * (y * w + x), patch[x / 16], 4);
    tjhandle t = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    assert_int_equal(tjCompress2(t, cmyk, (int)w, 0, (int)h, TJPF_CMYK, &jpeg, &jlen,
                                 TJSAMP_444, 100, 0), 0);
    tjDestroy(t);
    axle_image img = ti_probe_ok(jpeg, jlen);
    assert_int_equal(img.channels, 4);
    axle_pixels px = decode_ok(&img, 0, 0);
    assert_int_equal(px.channels, 3);
    static const uint8_t want[3][3] = {{255, 255, 255}, {255, 0, 0}, {0, 0, 0}};
    for (int p = 0; p < 3; p++) {
        const uint8_t *got = px.data + 8 * px.stride + (p * 16 + 8) * 3;
        for (int c = 0; c < 3; c++)
            assert_in_range(got[c], want[p][c] > 3 ? want[p][c] - 3 : 0, want[p][c] + 3);
    }
    axle_pixels_free(&px);
    tjFree(jpeg);
}

static void
test_webp_alpha_kept(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 64, 32, 4, 90, &len);
    axle_image img = ti_probe_ok(w, len);
    axle_pixels px = decode_ok(&img, 0, 0);
    assert_int_equal(px.channels, 4);
    /* the pattern's alpha rises from 0 at the left to 255 at the right */
    assert_in_range(px.data[3], 0, 10);
    assert_in_range(px.data[63 * 4 + 3], 245, 255);
    axle_pixels_free(&px);
    free(w);
}

static void
test_raw_roundtrip(void **state)
{
    (void)state;
    axle_pixels a = ti_pattern(17, 9, 4, 3);
    axle_image img = axle_image_from_pixels(&a);
    assert_int_equal(img.codec, AXLE_CODEC_RAW);
    assert_int_equal(img.size, 17 * 9 * 4);
    axle_pixels b = decode_ok(&img, 5, 5);
    assert_int_equal(b.width, 17);
    assert_memory_equal(a.data, b.data, img.size);
    axle_pixels_free(&a);
    axle_pixels_free(&b);
}

static void
test_pixel_limit(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = ti_encoded(AXLE_CODEC_JPEG, 200, 100, 3, 85, &len);
    axle_image img = ti_probe_ok(j, len);
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_decode(&img, 0, 0, 19999, &px, err, sizeof err), AXLE_ETOOBIG);
    assert_non_null(strstr(err, "200x100 = 20000 pixels"));
    assert_non_null(strstr(err, "19999"));
    assert_null(px.data);
    assert_int_equal(axle_image_decode(&img, 0, 0, 20000, &px, err, sizeof err), AXLE_OK);
    axle_pixels_free(&px);
    free(j);
}

/* Cut in its entropy-coded data, a JPEG decodes to grey padding with a
 * libjpeg warning; that is an error here, saying the file is truncated. */
static void
test_truncated_data(void **state)
{
    (void)state;
    for (int progressive = 0; progressive <= 1; progressive++) {
        size_t len;
        axle_pixels src = ti_pattern(256, 256, 3, 9);
        unsigned char *jpeg = NULL;
        unsigned long jlen = 0;
        tjhandle t = tjInitCompress();
        assert_int_equal(tjCompress2(t, src.data, 256, 0, 256, TJPF_RGB, &jpeg, &jlen,
                                     TJSAMP_420, 90, progressive ? TJFLAG_PROGRESSIVE : 0), 0);
        tjDestroy(t);
        axle_pixels_free(&src);
        len = jlen * 2 / 3;
        axle_image img = ti_probe_ok(jpeg, len); /* the headers are whole */
        axle_pixels px;
        char err[256];
        assert_int_equal(axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err), AXLE_EFORMAT);
        assert_non_null(strstr(err, "truncated"));
        assert_null(px.data);
        tjFree(jpeg);
    }
    size_t len;
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 256, 256, 3, 90, &len);
    axle_image img = ti_probe_ok(w, len);
    img.size = len * 2 / 3; /* as if the probe had not checked the RIFF size */
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err), AXLE_EFORMAT);
    assert_non_null(strstr(err, "truncated"));
    free(w);
}

/* A 256x256 pattern as JPEG through TurboJPEG; tjFree() the result. */
static uint8_t *
jpeg_of_pattern(int progressive, size_t *len)
{
    axle_pixels src = ti_pattern(256, 256, 3, 9);
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    tjhandle t = tjInitCompress();
    assert_int_equal(tjCompress2(t, src.data, 256, 0, 256, TJPF_RGB, &jpeg, &jlen,
                                 TJSAMP_420, 90, progressive ? TJFLAG_PROGRESSIVE : 0), 0);
    tjDestroy(t);
    axle_pixels_free(&src);
    *len = jlen;
    return jpeg;
}

/* Where the entropy-coded data of scan `n` (0 first) starts and ends. */
static void
scan_data(const uint8_t *j, size_t len, int n, size_t *start, size_t *end)
{
    size_t i = 2;
    for (;;) {
        assert_true(i + 4 <= len);
        int marker = j[i + 1];
        i += 2 + ((size_t)j[i + 2] << 8 | j[i + 3]);
        if (marker != 0xDA)
            continue;
        *start = i;
        while (i + 1 < len && !(j[i] == 0xFF && j[i + 1] != 0 && (j[i + 1] < 0xD0 || j[i + 1] > 0xD7)))
            i++;
        *end = i;
        if (n-- == 0)
            return;
    }
}

/* The decode fails with `code` and a message starting with `reason`, and
 * hands back no pixels. */
static void
decode_fails(const uint8_t *data, size_t len, int code, const char *reason)
{
    axle_image img = ti_probe_ok(data, len);
    axle_pixels px;
    char err[256];
    int rc = axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err);
    if (rc != code || strncmp(err, reason, strlen(reason)) != 0)
        fail_msg("decode gave %d '%s', want %d '%s...'", rc, err, code, reason);
    assert_null(px.data);
    rc = axle_image_decode(&img, 32, 32, 0, &px, err, sizeof err); /* scaled too */
    assert_int_equal(rc, code);
    assert_null(px.data);
}

/* A progressive JPEG with an undefined marker (FF 02) inside the data of
 * a scan: libjpeg warns ("premature end of data segment") and then stops
 * with a fatal error; TurboJPEG reported that as a warning, so the decode
 * returned a buffer it had never written. */
static void
test_marker_in_progressive_scan(void **state)
{
    (void)state;
    size_t len, start, end;
    uint8_t *j = jpeg_of_pattern(1, &len);
    scan_data(j, len, 2, &start, &end);
    size_t mid = (start + end) / 2;
    if (j[mid - 1] == 0xFF)
        mid++;
    uint8_t *bad = malloc(len + 2);
    memcpy(bad, j, mid);
    memcpy(bad + mid, "\xff\x02", 2);
    memcpy(bad + mid + 2, j + mid, len - mid);
    decode_fails(bad, len + 2, AXLE_EFORMAT, "corrupt JPEG: Unsupported marker type 0x02");
    /* Nothing was decoded: even a partial decode has nothing to give. */
    axle_image img = ti_probe_ok(bad, len + 2);
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_decode_ex(&img, 0, 0, 0, AXLE_DECODE_PARTIAL, &px, err,
                                          sizeof err), AXLE_EFORMAT);
    assert_null(px.data);
    free(bad);
    tjFree(j);
}

/* Seeded random bytes over the middle of a baseline scan's data: the
 * decode runs out of step with the data and says it is corrupt. */
static void
test_garbage_in_entropy_data(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 8; seed++) {
        size_t len, start, end;
        uint8_t *j = jpeg_of_pattern(0, &len);
        scan_data(j, len, 0, &start, &end);
        unsigned r = seed;
        for (size_t i = (start + end) / 2; i < (start + end) / 2 + 200; i++)
            j[i] = (uint8_t)((r = r * 1103515245u + 12345u) >> 16);
        decode_fails(j, len, AXLE_EFORMAT, "corrupt JPEG: ");
        tjFree(j);
    }
}

/* Opting in to partial images: a truncated baseline JPEG gives its top
 * rows as decoded and mid-grey below, AXLE_PARTIAL and the reason. */
static void
test_partial_opt_in(void **state)
{
    (void)state;
    size_t len;
    uint8_t *j = jpeg_of_pattern(0, &len);
    axle_image whole = ti_probe_ok(j, len);
    axle_pixels full = decode_ok(&whole, 0, 0);
    axle_image cut = ti_probe_ok(j, len / 2);
    axle_pixels px;
    char err[256];
    assert_int_equal(axle_image_decode_ex(&cut, 0, 0, 0, AXLE_DECODE_PARTIAL, &px, err,
                                          sizeof err), AXLE_PARTIAL);
    assert_non_null(strstr(err, "truncated JPEG"));
    assert_int_equal(px.width, 256);
    assert_int_equal(px.height, 256);
    assert_memory_equal(px.data, full.data, 16 * px.stride); /* the top is the photo */
    for (size_t i = 0; i < px.stride; i++) /* the bottom row is libjpeg's grey */
        assert_int_equal(px.data[255 * px.stride + i], 128);
    axle_pixels_free(&px);
    axle_pixels_free(&full);
    /* Unknown flags are refused. */
    assert_int_equal(axle_image_decode_ex(&whole, 0, 0, 0, 0x80, &px, err, sizeof err),
                     AXLE_EINVAL);
    tjFree(j);
    /* WebP: the rows libwebp finished, grey below (alpha opaque). */
    uint8_t *w = ti_encoded(AXLE_CODEC_WEBP, 256, 256, 3, 90, &len);
    axle_image img = ti_probe_ok(w, len);
    img.size = len * 2 / 3;
    assert_int_equal(axle_image_decode_ex(&img, 0, 0, 0, AXLE_DECODE_PARTIAL, &px, err,
                                          sizeof err), AXLE_PARTIAL);
    assert_non_null(strstr(err, "truncated WebP"));
    assert_int_equal(px.height, 256);
    for (size_t i = 0; i < px.stride; i++)
        assert_int_equal(px.data[255 * px.stride + i], 128);
    axle_pixels_free(&px);
    free(w);
}

/* A copy of a JPEG without its segments of one marker (before SOS). */
static uint8_t *
without_segments(const uint8_t *j, size_t len, int marker, size_t *outlen)
{
    uint8_t *o = malloc(len);
    size_t i = 2, n = 2;
    memcpy(o, j, 2);
    while (i + 4 <= len && j[i + 1] != 0xDA) {
        size_t seg = 2 + ((size_t)j[i + 2] << 8 | j[i + 3]);
        if (j[i + 1] != marker) {
            memcpy(o + n, j + i, seg);
            n += seg;
        }
        i += seg;
    }
    memcpy(o + n, j + i, len - i);
    *outlen = n + len - i;
    return o;
}

/* A JPEG without quantisation tables cannot be decoded, even right after
 * one that had them: a kept decompressor used the previous photo's
 * tables, so the pixels depended on what the slice decoded before (found
 * by fuzz_image). */
static void
test_no_tables_from_the_last_image(void **state)
{
    (void)state;
    size_t len, blen;
    uint8_t *j = jpeg_of_pattern(0, &len);
    uint8_t *bare = without_segments(j, len, 0xDB, &blen);
    assert_true(blen < len);
    axle_image img = ti_probe_ok(j, len);
    axle_pixels px = decode_ok(&img, 0, 0);
    axle_pixels_free(&px);
    decode_fails(bare, blen, AXLE_EFORMAT, "corrupt JPEG: Quantization table 0x00 was not defined");
    free(bare);
    tjFree(j);
}

static void
test_encode_flattens_alpha(void **state)
{
    (void)state;
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, 16, 16, 4), AXLE_OK);
    for (size_t i = 0; i < 16 * 16; i++)
        memcpy(px.data + 4 * i, i < 128 ? "\xff\x00\x00\x00" : "\x00\x00\xff\xff", 4);
    void *enc;
    size_t len;
    char err[256];
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 95, &enc, &len, err, sizeof err),
                     AXLE_OK);
    axle_image img = ti_probe_ok(enc, len);
    assert_int_equal(img.channels, 3);
    axle_pixels out = decode_ok(&img, 0, 0);
    const uint8_t *top = out.data + 2 * out.stride + 8 * 3;    /* transparent red */
    const uint8_t *bottom = out.data + 13 * out.stride + 8 * 3; /* opaque blue */
    assert_in_range(top[0], 245, 255);
    assert_in_range(top[1], 245, 255);
    assert_in_range(top[2], 245, 255);
    assert_in_range(bottom[0], 0, 10);
    assert_in_range(bottom[2], 245, 255);
    axle_pixels_free(&out);
    free(enc);
    /* WebP keeps alpha */
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_WEBP, 90, &enc, &len, err, sizeof err),
                     AXLE_OK);
    assert_int_equal(ti_probe_ok(enc, len).channels, 4);
    free(enc);
    axle_pixels_free(&px);
}

/* Sampling factors of the first component in the SOF segment. */
static int
luma_sampling(const uint8_t *j, size_t len)
{
    size_t sof = ti_sof_offset(j, len);
    return j[sof + 11];
}

static void
test_encode_chroma_and_quality(void **state)
{
    (void)state;
    axle_pixels px = ti_pattern(64, 64, 3, 4);
    void *enc;
    size_t len;
    char err[256];
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 85, &enc, &len, err, sizeof err),
                     AXLE_OK);
    assert_int_equal(luma_sampling(enc, len), 0x22); /* 4:2:0 */
    free(enc);
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 95, &enc, &len, err, sizeof err),
                     AXLE_OK);
    assert_int_equal(luma_sampling(enc, len), 0x11); /* 4:4:4 from 90 up */
    free(enc);
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 0, &enc, &len, err, sizeof err),
                     AXLE_EINVAL);
    assert_non_null(strstr(err, "quality 0"));
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_WEBP, 101, &enc, &len, err, sizeof err),
                     AXLE_EINVAL);
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_RAW, 90, &enc, &len, err, sizeof err),
                     AXLE_EUNSUPPORTED);
    axle_pixels_free(&px);
    /* libjpeg writes at most 65500 per side: the encoder says so */
    assert_int_equal(axle_pixels_alloc(&px, 65501, 1, 1), AXLE_OK);
    memset(px.data, 100, px.stride);
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 90, &enc, &len, err, sizeof err),
                     AXLE_EUNSUPPORTED);
    assert_non_null(strstr(err, "JPEG cannot hold 65501x1 pixels (65500 at most per side)"));
    px.width = 65500;
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_JPEG, 90, &enc, &len, err, sizeof err),
                     AXLE_OK);
    free(enc);
    axle_pixels_free(&px);
    /* grey to WebP: decoded back as RGB with equal channels */
    px = ti_pattern(32, 32, 1, 4);
    assert_int_equal(axle_image_encode(&px, AXLE_CODEC_WEBP, 100, &enc, &len, err, sizeof err),
                     AXLE_OK);
    axle_image img = ti_probe_ok(enc, len);
    axle_pixels out = decode_ok(&img, 0, 0);
    assert_int_equal(out.channels, 3);
    assert_in_range(abs((int)out.data[0] - (int)out.data[1]), 0, 3);
    axle_pixels_free(&out);
    axle_pixels_free(&px);
    free(enc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_scale_choice),
        cmocka_unit_test(test_webp_scaled),
        cmocka_unit_test(test_grey_stays_grey),
        cmocka_unit_test(test_cmyk_to_rgb),
        cmocka_unit_test(test_webp_alpha_kept),
        cmocka_unit_test(test_raw_roundtrip),
        cmocka_unit_test(test_pixel_limit),
        cmocka_unit_test(test_truncated_data),
        cmocka_unit_test(test_marker_in_progressive_scan),
        cmocka_unit_test(test_garbage_in_entropy_data),
        cmocka_unit_test(test_partial_opt_in),
        cmocka_unit_test(test_no_tables_from_the_last_image),
        cmocka_unit_test(test_encode_flattens_alpha),
        cmocka_unit_test(test_encode_chroma_and_quality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
