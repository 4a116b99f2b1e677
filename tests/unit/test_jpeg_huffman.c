/* test_jpeg_huffman.c - axle's Huffman decoder (image_jpeg_huffman.c)
 * gives the very pixels libjpeg's own gives, on every kind of sequential
 * JPEG an encoder writes, at every scale; and on damaged data it refuses
 * what libjpeg's refuses.
 *
 * The JPEGs are made here with libjpeg's compressor: textured photos-like
 * pixels (noise over gradients, so that coefficients are large and codes
 * long) in every chroma layout, with restart markers, optimised Huffman
 * tables (codes longer than the decoder's look-up), quality 100 (values
 * of up to 11 bits), grey, CMYK, odd sizes, and one file whose components
 * come in separate scans (left to libjpeg's decoder).  Each is decoded
 * with AXLE_JPEG_HUFFMAN unset (axle's) and "libjpeg" (libjpeg's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jpeglib.h>

#include "axle/axle.h"

struct layout {
    const char *name;
    int components;      /* 1 grey, 3 YCbCr, 4 CMYK */
    int h0, v0;          /* the first component's sampling factors */
    int quality;
    int restart_rows;    /* restart interval in MCU rows (0: none) */
    int restart_mcus;    /* or in MCUs */
    int optimize;        /* optimised Huffman tables */
    int separate_scans;  /* one scan per component */
    unsigned width, height;
};

static const struct layout layouts[] = {
    {"4:2:0 q90", 3, 2, 2, 90, 0, 0, 0, 0, 333, 250},
    {"4:4:4 q95", 3, 1, 1, 95, 0, 0, 0, 0, 160, 120},
    {"4:2:2 q85", 3, 2, 1, 85, 0, 0, 0, 0, 250, 170},
    {"4:4:0 q85", 3, 1, 2, 85, 0, 0, 0, 0, 170, 250},
    {"4:1:1 q80", 3, 4, 1, 80, 0, 0, 0, 0, 301, 97},
    {"4:2:0 q100 optimised", 3, 2, 2, 100, 0, 0, 1, 0, 256, 200},
    {"4:2:0 q40 optimised", 3, 2, 2, 40, 0, 0, 1, 0, 257, 199},
    {"4:2:0 restart every row", 3, 2, 2, 90, 1, 0, 0, 0, 300, 211},
    {"4:4:4 restart every 3 MCUs", 3, 1, 1, 92, 0, 3, 1, 0, 203, 101},
    {"grey q90", 1, 1, 1, 90, 0, 0, 0, 0, 211, 150},
    {"grey restart every MCU", 1, 1, 1, 97, 0, 1, 0, 0, 64, 40},
    {"CMYK q90", 4, 1, 1, 90, 0, 0, 0, 0, 120, 90},
    {"separate scans", 3, 2, 2, 90, 0, 0, 0, 1, 200, 150},
    {"1x1", 3, 2, 2, 90, 0, 0, 0, 0, 1, 1},
};

/* Pixels with detail at every frequency: gradients, a zone of fine
 * stripes and seeded noise. */
static unsigned char *
pixels(unsigned w, unsigned h, int channels, unsigned seed)
{
    unsigned char *p = malloc((size_t)w * h * (size_t)channels);
    unsigned r = seed;
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            for (int c = 0; c < channels; c++) {
                r = r * 1103515245u + 12345u;
                int v = (int)((x * 255) / (w + 1) + (y * 97) / (h + 1) * (c + 1)) % 256;
                if ((x / 3 + y / 5) % 2 && x > w / 2)
                    v = 255 - v;
                v += (int)((r >> 16) % 61) - 30;
                p[((size_t)y * w + x) * (size_t)channels + (size_t)c] =
                    (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    return p;
}

static unsigned char *
encode(const struct layout *l, unsigned long *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    *len = 0;
    jpeg_mem_dest(&c, &out, len);
    c.image_width = l->width;
    c.image_height = l->height;
    c.input_components = l->components;
    c.in_color_space = l->components == 1 ? JCS_GRAYSCALE : l->components == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, l->quality, TRUE);
    c.comp_info[0].h_samp_factor = l->h0;
    c.comp_info[0].v_samp_factor = l->v0;
    c.optimize_coding = l->optimize ? TRUE : FALSE;
    c.restart_in_rows = l->restart_rows;
    c.restart_interval = (unsigned)l->restart_mcus;
    static jpeg_scan_info scans[4];
    if (l->separate_scans) {
        for (int i = 0; i < l->components; i++) {
            scans[i].comps_in_scan = 1;
            scans[i].component_index[0] = i;
            scans[i].Ss = 0;
            scans[i].Se = 63;
            scans[i].Ah = scans[i].Al = 0;
        }
        c.scan_info = scans;
        c.num_scans = l->components;
    }
    jpeg_start_compress(&c, TRUE);
    unsigned char *px = pixels(l->width, l->height, l->components, l->width * 31 + l->height);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px + (size_t)c.next_scanline * l->width * (size_t)l->components;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(px);
    return out;
}

/* One decode with the decoder `which` (NULL: axle's). */
static int
decode(const unsigned char *data, size_t len, uint32_t want_w, const char *which,
       axle_pixels *px, char *err, size_t errlen)
{
    axle_image img;
    if (which)
        setenv("AXLE_JPEG_HUFFMAN", which, 1);
    else
        unsetenv("AXLE_JPEG_HUFFMAN");
    memset(px, 0, sizeof *px);
    int rc = axle_image_probe(data, len, &img, err, errlen);
    if (rc == AXLE_OK)
        rc = axle_image_decode(&img, want_w, 0, 0, px, err, errlen);
    unsetenv("AXLE_JPEG_HUFFMAN");
    return rc;
}

static void
assert_same_pixels(const unsigned char *data, size_t len, uint32_t want_w, const char *what)
{
    axle_pixels a, b;
    char ea[256], eb[256];
    int ra = decode(data, len, want_w, NULL, &a, ea, sizeof ea);
    int rb = decode(data, len, want_w, "libjpeg", &b, eb, sizeof eb);
    if (ra != AXLE_OK || rb != AXLE_OK)
        fail_msg("%s, width %u: axle's decoder %d (%s), libjpeg's %d (%s)", what, want_w, ra,
                 ra ? ea : "ok", rb, rb ? eb : "ok");
    assert_int_equal(a.width, b.width);
    assert_int_equal(a.height, b.height);
    assert_int_equal(a.channels, b.channels);
    for (uint32_t y = 0; y < a.height; y++)
        if (memcmp(a.data + y * a.stride, b.data + y * b.stride, (size_t)a.width * a.channels))
            fail_msg("%s, width %u: row %u differs", what, want_w, y);
    axle_pixels_free(&a);
    axle_pixels_free(&b);
}

/* Every layout at full size and at each DCT scale (1/2 .. 1/8). */
static void
test_same_pixels_every_layout(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        unsigned long len;
        unsigned char *j = encode(&layouts[i], &len);
        const uint32_t wants[] = {0, layouts[i].width / 3, layouts[i].width / 5,
                                  layouts[i].width / 9, 1};
        for (size_t k = 0; k < sizeof wants / sizeof wants[0]; k++)
            assert_same_pixels(j, len, wants[k], layouts[i].name);
        free(j);
    }
}

/* The data's end, cut anywhere in the scan: both decoders say the file is
 * truncated (never a silent grey bottom). */
static void
test_truncated_anywhere(void **state)
{
    (void)state;
    unsigned long len;
    unsigned char *j = encode(&layouts[7], &len); /* with restart markers */
    for (unsigned long cut = len / 3; cut < len - 2; cut += len / 17) {
        axle_pixels a, b;
        char ea[256], eb[256];
        int ra = decode(j, cut, 100, NULL, &a, ea, sizeof ea);
        int rb = decode(j, cut, 100, "libjpeg", &b, eb, sizeof eb);
        assert_int_equal(ra, AXLE_EFORMAT);
        assert_int_equal(rb, AXLE_EFORMAT);
        assert_string_equal(ea, eb);
        assert_non_null(strstr(ea, "truncated JPEG"));
    }
    free(j);
}

/* Seeded bytes over part of the scan (restart markers kept or not): when
 * libjpeg's decoder accepts the result, axle's gives the same pixels or
 * names the damage it alone sees; when libjpeg's refuses, so does axle's. */
static void
test_damage_never_accepted_alone(void **state)
{
    (void)state;
    int refused = 0;
    for (size_t i = 0; i < 3; i++) {
        const struct layout *l = &layouts[i == 2 ? 8 : i];
        unsigned long len;
        unsigned char *j = encode(l, &len);
        for (unsigned seed = 1; seed <= 40; seed++) {
            unsigned char *bad = malloc(len);
            memcpy(bad, j, len);
            unsigned r = seed;
            size_t at = len / 3 + (seed * 37) % (len / 2), n = 1 + seed % 24;
            for (size_t k = at; k < at + n && k < len - 2; k++)
                if (bad[k] != 0xFF && (k == 0 || bad[k - 1] != 0xFF))
                    bad[k] = (unsigned char)((r = r * 1103515245u + 12345u) >> 16 | 0x01);
            axle_pixels a, b;
            char ea[256], eb[256];
            int ra = decode(bad, len, 0, NULL, &a, ea, sizeof ea);
            int rb = decode(bad, len, 0, "libjpeg", &b, eb, sizeof eb);
            if (rb != AXLE_OK && ra == AXLE_OK)
                fail_msg("%s seed %u: libjpeg's decoder refuses (%s), axle's accepts", l->name,
                         seed, eb);
            if (ra == AXLE_OK && rb == AXLE_OK)
                assert_memory_equal(a.data, b.data, a.stride * a.height);
            if (ra != AXLE_OK && rb == AXLE_OK)
                assert_true(strstr(ea, "bad Huffman code") ||
                            strstr(ea, "extraneous bytes before marker"));
            refused += ra != AXLE_OK;
            axle_pixels_free(&a);
            axle_pixels_free(&b);
            free(bad);
        }
        free(j);
    }
    assert_true(refused > 0); /* the damage was seen at all */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_pixels_every_layout),
        cmocka_unit_test(test_truncated_anywhere),
        cmocka_unit_test(test_damage_never_accepted_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
