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
 * come in separate scans (left to libjpeg's decoder); tables with codes
 * of every length to 16 and all 256 symbols, odd sampling; and files
 * edited or written byte by byte (fill bytes, restart markers wrong or
 * lost, invalid codes, data left over, DC overflow).  Each is decoded
 * with AXLE_JPEG_HUFFMAN unset (axle's) and "libjpeg" (libjpeg's); a
 * damaged file also with AXLE_DECODE_PARTIAL, where both must make the
 * same pixels of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
    int progressive;     /* libjpeg's standard progressive script */
};

static const struct layout layouts[] = {
    {"4:2:0 q90", 3, 2, 2, 90, 0, 0, 0, 0, 333, 250, 0},
    {"4:4:4 q95", 3, 1, 1, 95, 0, 0, 0, 0, 160, 120, 0},
    {"4:2:2 q85", 3, 2, 1, 85, 0, 0, 0, 0, 250, 170, 0},
    {"4:4:0 q85", 3, 1, 2, 85, 0, 0, 0, 0, 170, 250, 0},
    {"4:1:1 q80", 3, 4, 1, 80, 0, 0, 0, 0, 301, 97, 0},
    {"4:2:0 q100 optimised", 3, 2, 2, 100, 0, 0, 1, 0, 256, 200, 0},
    {"4:2:0 q40 optimised", 3, 2, 2, 40, 0, 0, 1, 0, 257, 199, 0},
    {"4:2:0 restart every row", 3, 2, 2, 90, 1, 0, 0, 0, 300, 211, 0},
    {"4:4:4 restart every 3 MCUs", 3, 1, 1, 92, 0, 3, 1, 0, 203, 101, 0},
    {"grey q90", 1, 1, 1, 90, 0, 0, 0, 0, 211, 150, 0},
    {"grey restart every MCU", 1, 1, 1, 97, 0, 1, 0, 0, 64, 40, 0},
    {"CMYK q90", 4, 1, 1, 90, 0, 0, 0, 0, 120, 90, 0},
    {"separate scans", 3, 2, 2, 90, 0, 0, 0, 1, 200, 150, 0},
    {"1x1", 3, 2, 2, 90, 0, 0, 0, 0, 1, 1, 0},
    {"grey 2x2 sampling", 1, 2, 2, 90, 0, 0, 0, 0, 133, 77, 0},
    {"4:2:2 restart every 2 MCUs optimised", 3, 2, 1, 90, 0, 2, 1, 0, 250, 170, 0},
    {"4:1:1 restart every row", 3, 4, 1, 85, 1, 0, 0, 0, 301, 97, 0},
    {"4:2:0 q100 restart every MCU optimised", 3, 2, 2, 100, 0, 1, 1, 0, 100, 75, 0},
    {"CMYK 2x2 restart every 5 MCUs", 4, 2, 2, 90, 0, 5, 0, 0, 120, 90, 0},
    {"4:2:0 q15", 3, 2, 2, 15, 0, 0, 0, 0, 190, 140, 0},
    /* a thumbnail of these stops after the first scans, decoded by axle's
     * decoder (the refinements by libjpeg's) */
    {"progressive 4:2:0 q90", 3, 2, 2, 90, 0, 0, 0, 0, 333, 250, 1},
    {"progressive 4:4:4 q98", 3, 1, 1, 98, 0, 0, 0, 0, 160, 120, 1},
    {"progressive 4:2:2 restart every row", 3, 2, 1, 90, 1, 0, 0, 0, 250, 170, 1},
    {"progressive grey restart every 2 MCUs", 1, 1, 1, 92, 0, 2, 0, 0, 211, 150, 1},
    {"progressive 4:2:0 q40", 3, 2, 2, 40, 0, 0, 0, 0, 301, 197, 1},
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

/* libjpeg's compressor with the layout `l`; `tweak` (if not NULL) may
 * change the compressor's settings (sampling, tables) before it starts. */
static unsigned char *
encode_with(const struct layout *l, void (*tweak)(j_compress_ptr), unsigned long *len)
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
    if (l->progressive)
        jpeg_simple_progression(&c);
    if (tweak)
        tweak(&c);
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

static unsigned char *
encode(const struct layout *l, unsigned long *len)
{
    return encode_with(l, NULL, len);
}

/* One decode with the decoder `which` (NULL: axle's), `flags` as
 * axle_image_decode_ex's. */
static int
decode_ex(const unsigned char *data, size_t len, uint32_t want_w, unsigned flags,
          const char *which, axle_pixels *px, char *err, size_t errlen)
{
    axle_image img;
    if (which)
        setenv("AXLE_JPEG_HUFFMAN", which, 1);
    else
        unsetenv("AXLE_JPEG_HUFFMAN");
    memset(px, 0, sizeof *px);
    int rc = axle_image_probe(data, len, &img, err, errlen);
    if (rc == AXLE_OK)
        rc = axle_image_decode_ex(&img, want_w, 0, 0, flags, px, err, errlen);
    unsetenv("AXLE_JPEG_HUFFMAN");
    return rc;
}

static int
decode(const unsigned char *data, size_t len, uint32_t want_w, const char *which,
       axle_pixels *px, char *err, size_t errlen)
{
    return decode_ex(data, len, want_w, 0, which, px, err, errlen);
}

/* axle's decoder on `data` gives the pixels libjpeg's gives on `other`. */
static void
assert_same_pixels_as(const unsigned char *data, size_t len, const unsigned char *other,
                      size_t other_len, uint32_t want_w, const char *what)
{
    axle_pixels a, b;
    char ea[256], eb[256];
    int ra = decode(data, len, want_w, NULL, &a, ea, sizeof ea);
    int rb = decode(other, other_len, want_w, "libjpeg", &b, eb, sizeof eb);
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

static void
assert_same_pixels(const unsigned char *data, size_t len, uint32_t want_w, const char *what)
{
    assert_same_pixels_as(data, len, data, len, want_w, what);
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

/* The damage oracle, for a damaged file decoded to width `want` by both
 * decoders: when libjpeg's refuses it, axle's must too; when both accept
 * it, the pixels must be the same; when axle's alone refuses it, the
 * reason must be one of `alone` (NULL-ended: damage libjpeg's misses).
 * True when axle's decoder refused the file. */
static bool
damage_refused(const unsigned char *bad, size_t len, uint32_t want, const char *const *alone,
               const char *what, unsigned seed)
{
    axle_pixels a, b;
    char ea[256] = "", eb[256] = "";
    int ra = decode(bad, len, want, NULL, &a, ea, sizeof ea);
    int rb = decode(bad, len, want, "libjpeg", &b, eb, sizeof eb);
    if (rb != AXLE_OK && ra == AXLE_OK)
        fail_msg("%s seed %u: libjpeg's decoder refuses (%s), axle's accepts", what, seed, eb);
    if (ra == AXLE_OK && rb == AXLE_OK)
        assert_memory_equal(a.data, b.data, a.stride * a.height);
    if (ra != AXLE_OK && rb == AXLE_OK) {
        const char *const *why = alone;
        while (*why && !strstr(ea, *why))
            why++;
        if (!*why)
            fail_msg("%s seed %u: axle's decoder refuses (%s), libjpeg's accepts", what, seed,
                     ea);
    }
    axle_pixels_free(&a);
    axle_pixels_free(&b);
    return ra != AXLE_OK;
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
            static const char *const alone[] = {"bad Huffman code",
                                                "extraneous bytes before marker", NULL};
            refused += damage_refused(bad, len, 0, alone, l->name, seed);
            free(bad);
        }
        free(j);
    }
    assert_true(refused > 0); /* the damage was seen at all */
}


/* ---- files edited or made by hand --------------------------------------- */

/* A copy of `j` with `cut` bytes at `at` replaced by `ins` (n bytes). */
static unsigned char *
splice(const unsigned char *j, size_t len, size_t at, size_t cut, const unsigned char *ins,
       size_t n, size_t *newlen)
{
    assert_true(at + cut <= len);
    unsigned char *out = malloc(len - cut + n);
    memcpy(out, j, at);
    if (n)
        memcpy(out + at, ins, n);
    memcpy(out + at + n, j + at + cut, len - at - cut);
    *newlen = len - cut + n;
    return out;
}

/* Where the entropy-coded data of `j`'s first scan starts. */
static size_t
scan_start(const unsigned char *j, size_t len)
{
    size_t i = 2;
    while (i + 4 <= len && !(j[i] == 0xFF && j[i + 1] == 0xDA))
        i += 2 + ((size_t)j[i + 2] << 8 | j[i + 3]); /* a segment */
    assert_true(i + 4 <= len);
    return i + 2 + ((size_t)j[i + 2] << 8 | j[i + 3]);
}

/* The offsets of the restart markers (their FF) in `j`'s scan. */
static size_t
find_restarts(const unsigned char *j, size_t len, size_t *at, size_t max)
{
    size_t n = 0;
    for (size_t i = scan_start(j, len); i + 1 < len && n < max; i++)
        if (j[i] == 0xFF && j[i + 1] >= 0xD0 && j[i + 1] <= 0xD7)
            at[n++] = i;
    return n;
}

/* With AXLE_DECODE_PARTIAL both decoders hand out what they made of a
 * damaged file: the same pixels, whatever each says of the damage (axle's
 * names some that libjpeg's fast path misses). */
static void
assert_same_partial(const unsigned char *data, size_t len, const char *what)
{
    axle_pixels a, b;
    char ea[256] = "", eb[256] = "";
    int ra = decode_ex(data, len, 0, AXLE_DECODE_PARTIAL, NULL, &a, ea, sizeof ea);
    int rb = decode_ex(data, len, 0, AXLE_DECODE_PARTIAL, "libjpeg", &b, eb, sizeof eb);
    if (ra < 0 || rb < 0)
        fail_msg("%s: axle's decoder %d (%s), libjpeg's %d (%s)", what, ra, ea, rb, eb);
    assert_int_equal(a.width, b.width);
    assert_int_equal(a.height, b.height);
    for (uint32_t y = 0; y < a.height; y++)
        if (memcmp(a.data + y * a.stride, b.data + y * b.stride, (size_t)a.width * a.channels))
            fail_msg("%s: row %u differs (axle's decoder: %s; libjpeg's: %s)", what, y,
                     ra ? ea : "ok", rb ? eb : "ok");
    axle_pixels_free(&a);
    axle_pixels_free(&b);
}

/* A JPEG written byte by byte: headers, then entropy-coded bits. */
struct writer {
    unsigned char *p;
    size_t len, cap;
    unsigned acc; /* bits not yet in a byte */
    int n;
};

static void
put_byte(struct writer *w, unsigned byte)
{
    if (w->len == w->cap)
        w->p = realloc(w->p, w->cap = w->cap ? 2 * w->cap : 4096);
    w->p[w->len++] = (unsigned char)byte;
}

static void
put_bytes(struct writer *w, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte(w, b[i]);
}

/* Entropy-coded bits given as '0' and '1' (anything else is ignored),
 * a 0xFF byte stuffed as FF 00. */
static void
put_bits(struct writer *w, const char *bits)
{
    for (; *bits; bits++) {
        if (*bits != '0' && *bits != '1')
            continue;
        w->acc = w->acc << 1 | (unsigned)(*bits == '1');
        if (++w->n == 8) {
            put_byte(w, w->acc);
            if (w->acc == 0xFF)
                put_byte(w, 0);
            w->acc = 0;
            w->n = 0;
        }
    }
}

/* The last byte padded with 1 bits, as encoders do. */
static void
flush_bits(struct writer *w)
{
    while (w->n)
        put_bits(w, "1");
}

static void
put_table(struct writer *w, unsigned class_id, const unsigned char counts[16],
          const unsigned char *symbols)
{
    size_t n = 0;
    for (int i = 0; i < 16; i++)
        n += counts[i];
    size_t seg = 2 + 1 + 16 + n;
    const unsigned char head[] = {0xFF, 0xC4, (unsigned char)(seg >> 8), (unsigned char)seg,
                                  (unsigned char)class_id};
    put_bytes(w, head, sizeof head);
    put_bytes(w, counts, 16);
    put_bytes(w, symbols, n);
}

/* A grey baseline JPEG's headers up to its scan: width x height,
 * quantisation 1, the DC and AC Huffman tables as counts of codes of each
 * length 1..16 and their symbols. */
static void
put_headers(struct writer *w, unsigned width, unsigned height, const unsigned char dc_counts[16],
            const unsigned char *dc_symbols, const unsigned char ac_counts[16],
            const unsigned char *ac_symbols)
{
    const unsigned char soi_dqt[] = {0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0};
    put_bytes(w, soi_dqt, sizeof soi_dqt);
    for (int i = 0; i < 64; i++)
        put_byte(w, 1);
    const unsigned char sof[] = {0xFF, 0xC0, 0, 11, 8, (unsigned char)(height >> 8),
                                 (unsigned char)height, (unsigned char)(width >> 8),
                                 (unsigned char)width, 1, 1, 0x11, 0};
    put_bytes(w, sof, sizeof sof);
    put_table(w, 0x00, dc_counts, dc_symbols);
    put_table(w, 0x10, ac_counts, ac_symbols);
    const unsigned char sos[] = {0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0};
    put_bytes(w, sos, sizeof sos);
}

static void
put_eoi(struct writer *w)
{
    flush_bits(w);
    put_byte(w, 0xFF);
    put_byte(w, 0xD9);
}

/* Tables that put the commonest symbols on the longest codes: every
 * block then has 16-bit codes (EOB), and the AC table holds all 256
 * symbols (sizes 11-15, which no 8-bit encoder writes, take the short
 * codes), the DC table sizes 12-15 too. */
static void
long_code_tables(j_compress_ptr c)
{
    static const unsigned char dc_counts[17] = {0, 0, 0, 4, 0, 0, 0, 0, 0, 0,
                                                0, 0, 0, 3, 3, 3, 3};
    static const unsigned char ac_counts[17] = {0, 0, 0, 0, 0, 0, 0, 94, 0, 0,
                                                0, 40, 40, 40, 20, 11, 11};
    unsigned char dc[16], ac[256];
    int n = 0;
    for (int s = 12; s <= 15; s++)
        dc[n++] = (unsigned char)s;
    for (int s = 11; s >= 0; s--)
        dc[n++] = (unsigned char)s;
    n = 0;
    for (int run = 0; run < 16; run++)
        for (int size = 11; size <= 15; size++)
            ac[n++] = (unsigned char)(run << 4 | size);
    for (int run = 1; run <= 14; run++)
        ac[n++] = (unsigned char)(run << 4);
    for (int run = 15; run >= 0; run--)
        for (int size = 10; size >= 1; size--)
            ac[n++] = (unsigned char)(run << 4 | size);
    ac[n++] = 0xF0;
    ac[n++] = 0x00; /* EOB: the last, a 16-bit code */
    for (int t = 0; t < 2; t++) {
        memcpy(c->dc_huff_tbl_ptrs[t]->bits, dc_counts, sizeof dc_counts);
        memcpy(c->dc_huff_tbl_ptrs[t]->huffval, dc, sizeof dc);
        memcpy(c->ac_huff_tbl_ptrs[t]->bits, ac_counts, sizeof ac_counts);
        memcpy(c->ac_huff_tbl_ptrs[t]->huffval, ac, sizeof ac);
    }
}

/* Sampling no camera writes: chroma finer than luma; 10 blocks an MCU
 * (libjpeg's most); each component its own. */
static void
chroma_finer(j_compress_ptr c)
{
    c->comp_info[0].h_samp_factor = c->comp_info[0].v_samp_factor = 1;
    c->comp_info[1].h_samp_factor = c->comp_info[1].v_samp_factor = 2;
    c->comp_info[2].h_samp_factor = c->comp_info[2].v_samp_factor = 2;
}

static void
ten_blocks(j_compress_ptr c)
{
    c->comp_info[0].h_samp_factor = 4;
    c->comp_info[0].v_samp_factor = 2;
}

static void
mixed_sampling(j_compress_ptr c)
{
    c->comp_info[0].h_samp_factor = c->comp_info[0].v_samp_factor = 2;
    c->comp_info[1].h_samp_factor = 1;
    c->comp_info[1].v_samp_factor = 2;
    c->comp_info[2].h_samp_factor = 2;
    c->comp_info[2].v_samp_factor = 1;
}

/* Codes of every length to 16 (decode_long's search, at its end) in
 * tables libjpeg accepts with 256 symbols, and odd sampling. */
static void
test_same_pixels_long_codes_odd_sampling(void **state)
{
    (void)state;
    static const struct {
        struct layout l;
        void (*tweak)(j_compress_ptr);
    } cases[] = {
        {{"long codes 4:2:0 q95", 3, 2, 2, 95, 0, 0, 0, 0, 200, 150, 0}, long_code_tables},
        {{"long codes grey q100 restarts", 1, 1, 1, 100, 0, 7, 0, 0, 150, 100, 0},
         long_code_tables},
        {{"chroma finer than luma", 3, 1, 1, 90, 0, 0, 0, 0, 170, 130, 0}, chroma_finer},
        {{"10 blocks an MCU, restarts", 3, 4, 2, 90, 0, 3, 0, 0, 270, 130, 0}, ten_blocks},
        {{"mixed sampling", 3, 2, 2, 90, 0, 0, 1, 0, 170, 130, 0}, mixed_sampling},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct layout *l = &cases[i].l;
        unsigned long len;
        unsigned char *j = encode_with(l, cases[i].tweak, &len);
        const uint32_t wants[] = {0, l->width / 3, l->width / 5, l->width / 9, 1};
        for (size_t k = 0; k < sizeof wants / sizeof wants[0]; k++)
            assert_same_pixels(j, len, wants[k], l->name);
        free(j);
    }
}

/* Valid bytes encoders rarely write: fill bytes (FF) before markers, a
 * restart marker after the last MCU, a DNL segment; and an FF data byte
 * stuffed as FF FF 00, which the standard does not allow but libjpeg
 * reads as FF.  (libjpeg-turbo 2.1's own fast path does not: it takes FF
 * FF for a marker, falls back to its slow path for the MCU, and leaves
 * there coefficients its first try wrote; so axle's decoder is compared
 * with the file stuffed right.) */
static void
test_same_pixels_marker_edits(void **state)
{
    (void)state;
    unsigned long len;
    unsigned char *j = encode(&layouts[10], &len); /* grey, restart every MCU */
    size_t rst[64], n = find_restarts(j, len, rst, 64), elen;
    assert_int_equal(n, 39); /* 40 MCUs */
    /* fill before every marker of the scan, from the last one back */
    static const unsigned char fill[] = {0xFF, 0xFF, 0xFF};
    unsigned char *e = splice(j, len, len - 2, 0, fill, 3, &elen);
    for (size_t i = n; i-- > 0;) {
        size_t l2;
        unsigned char *f = splice(e, elen, rst[i], 0, fill, 1 + i % 3, &l2);
        free(e);
        e = f, elen = l2;
    }
    assert_same_pixels(e, elen, 0, "fill bytes before markers");
    free(e);
    static const unsigned char rst7[] = {0xFF, 0xD7};
    e = splice(j, len, len - 2, 0, rst7, 2, &elen);
    assert_same_pixels(e, elen, 0, "a restart marker after the last MCU");
    free(e);
    static const unsigned char dnl[] = {0xFF, 0xDC, 0, 4, 0, 40};
    e = splice(j, len, len - 2, 0, dnl, sizeof dnl, &elen);
    assert_same_pixels(e, elen, 0, "a DNL segment after the scan");
    free(e);
    free(j);
    j = encode(&layouts[0], &len);
    size_t at = scan_start(j, len);
    while (at + 1 < len && !(j[at] == 0xFF && j[at + 1] == 0x00))
        at++;
    assert_true(at + 1 < len);
    e = splice(j, len, at, 0, fill, 1, &elen);
    assert_same_pixels_as(e, elen, j, len, 0, "FF FF 00 in the data");
    free(e);
    free(j);
}

/* Two restart intervals cut short (their second halves lost): the
 * MCUs after the data's end are grey in each, as libjpeg leaves them,
 * and the intervals between decode. */
static void
test_partial_two_short_intervals(void **state)
{
    (void)state;
    unsigned long len;
    unsigned char *j = encode(&layouts[7], &len); /* restart every MCU row */
    size_t rst[64], n = find_restarts(j, len, rst, 64), l1, l2;
    assert_true(n >= 6);
    size_t cut5 = (rst[5] - rst[4]) / 2, cut1 = (rst[1] - rst[0]) / 2;
    unsigned char *a = splice(j, len, rst[5] - cut5, cut5, NULL, 0, &l1);
    unsigned char *b = splice(a, l1, rst[1] - cut1, cut1, NULL, 0, &l2);
    assert_same_partial(b, l2, "intervals 1 and 5 cut short");
    free(a);
    free(b);
    free(j);
}

/* A restart marker damaged or lost: libjpeg's marker reader resyncs, and
 * may keep a marker for the next restart; the decoders agree on what
 * follows. */
static void
test_partial_restart_markers_damaged(void **state)
{
    (void)state;
    unsigned long len;
    unsigned char *j = encode(&layouts[7], &len);
    size_t rst[64], n = find_restarts(j, len, rst, 64), elen;
    assert_true(n >= 6);
    static const struct {
        unsigned code;
        const char *what;
    } wrong[] = {
        {0xD3, "RST2 reads RST3 (kept for the next restart)"},
        {0xD4, "RST2 reads RST4 (kept for two restarts)"},
        {0xD0, "RST2 reads RST0 (an old one, skipped)"},
        {0xD6, "RST2 reads RST6 (too far: taken as RST2)"},
        {0xD9, "RST2 reads EOI"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        unsigned char *e = splice(j, len, 0, 0, NULL, 0, &elen);
        e[rst[2] + 1] = (unsigned char)wrong[i].code;
        assert_same_partial(e, elen, wrong[i].what);
        free(e);
    }
    unsigned char *e = splice(j, len, rst[2], 2, NULL, 0, &elen);
    assert_same_partial(e, elen, "RST2 lost");
    free(e);
    e = splice(j, len, rst[3], 2, j + rst[2], 2, &elen);
    assert_same_partial(e, elen, "RST3 reads RST2 (twice the same)");
    free(e);
    free(j);
}

/* An invalid Huffman code: both of libjpeg's paths read it as 0 after 17
 * bits (its sentinel length); axle's reads on from the same bit, so a
 * partial image of such a file is libjpeg's. */
static void
test_partial_bad_code_same_bits(void **state)
{
    (void)state;
    /* DC: only "0" (difference 0); AC: "0" EOB, "10" run 0 size 8 */
    static const unsigned char dc_counts[16] = {1}, dc_symbols[] = {0};
    static const unsigned char ac_counts[16] = {1, 1}, ac_symbols[] = {0x00, 0x08};
    struct writer w = {0};
    put_headers(&w, 16, 8, dc_counts, dc_symbols, ac_counts, ac_symbols);
    put_bits(&w, "11111111 11111111 1"); /* block 1: no DC code starts with 1 */
    put_bits(&w, "10 11111111 0");       /* +255, EOB */
    put_bits(&w, "0 10 10000000 0");     /* block 2: DC 0, +128, EOB */
    put_eoi(&w);
    assert_same_partial(w.p, w.len, "an invalid DC code");
    axle_pixels a;
    char ea[256];
    assert_int_equal(decode(w.p, w.len, 0, NULL, &a, ea, sizeof ea), AXLE_EFORMAT);
    assert_non_null(strstr(ea, "bad Huffman code"));
    free(w.p);
}

/* Bytes after the last block are counted from the first one no block
 * read, an FF data byte with a fill byte before it (FF FF 00) too. */
static void
test_extraneous_bytes_counted_exactly(void **state)
{
    (void)state;
    static const unsigned char dc_counts[16] = {1}, dc_symbols[] = {0};
    static const unsigned char ac_counts[16] = {1}, ac_symbols[] = {0x00};
    struct writer w = {0};
    put_headers(&w, 8, 8, dc_counts, dc_symbols, ac_counts, ac_symbols);
    put_bits(&w, "0 0"); /* the one block: DC 0, EOB */
    flush_bits(&w);
    static const unsigned char left[] = {0x05, 0xFF, 0xFF, 0x00};
    put_bytes(&w, left, sizeof left);
    for (int i = 0; i < 20; i++)
        put_byte(&w, 0x01);
    put_eoi(&w);
    axle_pixels a;
    char ea[256];
    assert_int_equal(decode(w.p, w.len, 0, NULL, &a, ea, sizeof ea), AXLE_EFORMAT);
    /* libjpeg's marker reader counts FF FF 00 as 2 */
    assert_string_equal(ea, "corrupt JPEG: 23 extraneous bytes before marker 0xd9");
    free(w.p);
}

/* DC differences that add up past INT_MAX (size-15 differences, which
 * libjpeg accepts in a DC table): axle's decoder refuses the file, as
 * libjpeg-turbo's progressive decoder does (its sequential one, 2.1,
 * wraps around): never an overflow. */
static void
test_dc_prediction_overflow_refused(void **state)
{
    (void)state;
    static const unsigned char dc_counts[16] = {1}, dc_symbols[] = {15};
    static const unsigned char ac_counts[16] = {1}, ac_symbols[] = {0x00};
    struct writer w = {0};
    put_headers(&w, 2048, 2056, dc_counts, dc_symbols, ac_counts, ac_symbols);
    for (int i = 0; i < 256 * 257; i++)
        put_bits(&w, "0 111111111111111 0"); /* +32767, EOB */
    put_eoi(&w);
    axle_pixels a;
    char ea[256];
    assert_int_equal(decode(w.p, w.len, 0, NULL, &a, ea, sizeof ea), AXLE_EFORMAT);
    assert_string_equal(ea, "corrupt JPEG: DCT coefficient out of range");
    free(w.p);
}

/* Cut right after an FF of the scan (the first byte of a stuffed FF 00):
 * the reader asks the source for more, which says the file ended.  Each
 * cut file is a buffer of its own size, so that a read past its end
 * shows under the sanitizers. */
static void
test_truncated_after_ff(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        unsigned long len;
        unsigned char *j = encode(&layouts[i == 0 ? 0 : 7], &len);
        int cuts = 0;
        for (size_t at = scan_start(j, len); at + 2 < len && cuts < 5; at++) {
            if (j[at] != 0xFF || j[at + 1] != 0x00)
                continue;
            unsigned char *cut = malloc(at + 1);
            memcpy(cut, j, at + 1);
            axle_pixels a, b;
            char ea[256], eb[256];
            int ra = decode(cut, at + 1, 0, NULL, &a, ea, sizeof ea);
            int rb = decode(cut, at + 1, 0, "libjpeg", &b, eb, sizeof eb);
            free(cut);
            assert_int_equal(ra, AXLE_EFORMAT);
            assert_int_equal(rb, AXLE_EFORMAT);
            assert_string_equal(ea, eb);
            assert_non_null(strstr(ea, "truncated JPEG"));
            cuts++;
        }
        assert_true(cuts > 0);
        free(j);
    }
}

/* axle's decoder does decode every layout but separate scans: it counts
 * all 20 bytes of data left after the last block (libjpeg's own counts
 * them less the bytes its bit buffer had read ahead). */
static void
test_every_layout_taken(void **state)
{
    (void)state;
    unsigned char junk[20 + 2];
    memset(junk, 0x01, 20);
    junk[20] = 0xFF, junk[21] = 0xD9;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        if (layouts[i].separate_scans || layouts[i].progressive)
            continue; /* decoded whole, progressive files keep libjpeg's */
        unsigned long len;
        unsigned char *j = encode(&layouts[i], &len);
        size_t elen;
        unsigned char *e = splice(j, len, len - 2, 2, junk, sizeof junk, &elen);
        axle_pixels a;
        char ea[256];
        int ra = decode(e, elen, 0, NULL, &a, ea, sizeof ea);
        if (ra != AXLE_EFORMAT || strcmp(ea, "corrupt JPEG: 20 extraneous bytes before marker 0xd9"))
            fail_msg("%s: %d %s", layouts[i].name, ra, ra ? ea : "ok");
        free(e);
        free(j);
    }
}

/* Seeded bytes anywhere in the scan, markers too, in files with and
 * without restarts: with AXLE_DECODE_PARTIAL the two decoders give the
 * same pixels whenever both give any. */
static void
test_partial_damage_same_pixels(void **state)
{
    (void)state;
    static const size_t which[] = {0, 7, 8, 10, 15};
    for (size_t i = 0; i < sizeof which / sizeof which[0]; i++) {
        const struct layout *l = &layouts[which[i]];
        unsigned long len;
        unsigned char *j = encode(l, &len);
        size_t from = scan_start(j, len);
        for (unsigned seed = 1; seed <= 60; seed++) {
            unsigned char *bad = malloc(len);
            memcpy(bad, j, len);
            unsigned r = seed * 2654435761u;
            size_t at = from + (seed * 7919u) % (len - from - 2), n = 1 + seed % 9;
            for (size_t k = at; k < at + n && k < len - 2; k++)
                bad[k] = (unsigned char)((r = r * 1103515245u + 12345u) >> 16);
            char what[96];
            snprintf(what, sizeof what, "%s, seed %u", l->name, seed);
            axle_pixels a;
            char ea[256] = "";
            int ra = decode_ex(bad, len, 0, AXLE_DECODE_PARTIAL, NULL, &a, ea, sizeof ea);
            axle_pixels_free(&a);
            if (ra >= 0)
                assert_same_partial(bad, len, what);
            free(bad);
        }
        free(j);
    }
}

/* Seeded bytes anywhere after the first scan's header of progressive
 * files, decoded small (so the decode stops after the first scans, axle's
 * decoder taking those): when libjpeg's decoder accepts the result, axle's
 * gives the same pixels or names damage it alone sees; when libjpeg's
 * refuses, so does axle's. */
static void
test_progressive_damage_never_accepted_alone(void **state)
{
    (void)state;
    int refused = 0, same = 0;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const struct layout *l = &layouts[i];
        if (!l->progressive)
            continue;
        unsigned long len;
        unsigned char *j = encode(l, &len);
        size_t from = scan_start(j, len);
        for (unsigned seed = 1; seed <= 40; seed++) {
            unsigned char *bad = malloc(len);
            memcpy(bad, j, len);
            unsigned r = seed * 2654435761u;
            size_t at = from + (seed * 7919u) % (len - from - 2), n = 1 + seed % 9;
            for (size_t k = at; k < at + n && k < len - 2; k++)
                bad[k] = (unsigned char)((r = r * 1103515245u + 12345u) >> 16);
            static const char *const alone[] = {
                "bad Huffman code", "extraneous bytes before marker", "out of range", NULL};
            bool axle_refused = damage_refused(bad, len, l->width / 3, alone, l->name, seed);
            refused += axle_refused;
            same += !axle_refused;
            free(bad);
        }
        free(j);
    }
    assert_true(refused > 0 && same > 0); /* both kinds of outcome were met */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_pixels_every_layout),
        cmocka_unit_test(test_truncated_anywhere),
        cmocka_unit_test(test_damage_never_accepted_alone),
        cmocka_unit_test(test_same_pixels_long_codes_odd_sampling),
        cmocka_unit_test(test_same_pixels_marker_edits),
        cmocka_unit_test(test_partial_two_short_intervals),
        cmocka_unit_test(test_partial_restart_markers_damaged),
        cmocka_unit_test(test_partial_bad_code_same_bits),
        cmocka_unit_test(test_extraneous_bytes_counted_exactly),
        cmocka_unit_test(test_dc_prediction_overflow_refused),
        cmocka_unit_test(test_partial_damage_same_pixels),
        cmocka_unit_test(test_truncated_after_ff),
        cmocka_unit_test(test_every_layout_taken),
        cmocka_unit_test(test_progressive_damage_never_accepted_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
