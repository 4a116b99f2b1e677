/* fuzz_image.c - libFuzzer harness for the image probe and every decoder.
 *
 * Each input is probed whole and on prefixes, then decoded by every codec
 * of the table (JPEG, WebP, PNG, GIF, TIFF, HEIF, AVIF, JPEG XL, camera
 * RAW: those built in)
 * and as raw pixels, at full size and at two reduced scales, with and
 * without AXLE_DECODE_PARTIAL; the 16-bit decoders (PNG, TIFF, JPEG XL)
 * and resize too, and the EXIF of `metadata: keep` read from headers.  Besides the sanitizers, two oracles:
 *
 * - determinism: every decode runs twice, into buffers pre-filled with two
 *   different bytes (through the allocator hook of img_decode, the code
 *   the public calls run).  Both runs must give the same result and the
 *   same pixels; a pixel the decoder did not write differs between them.
 *   This is what caught corrupt JPEGs "decoded" into uninitialised memory.
 * - prefixes: a probe of a prefix either asks for more bytes
 *   (AXLE_EMORE) or says exactly what the probe of the whole file says.
 *
 * Built with every libaxle source (from the top folder, LIB_SOURCES being
 * lib/ *.c lib/ * / *.c without the spaces):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *       -DAXLE_VERSION='"fuzz"' -Isdk -Ilib -Ilib/image $LIB_SOURCES \
 *       tests/fuzz/fuzz_image.c \
 *       -DAXLE_HAVE_PNG -DAXLE_HAVE_GIF -DAXLE_HAVE_TIFF -DAXLE_HAVE_HEIF \
 *       -DAXLE_HAVE_RAW -DAXLE_HAVE_JXL \
 *       $(pkg-config --libs libturbojpeg libjpeg libwebp libwebpdemux \
 *         libwebpmux jansson libpng libgif libtiff-4 libheif libraw_r \
 *         libjxl) -lm -o fuzz_image
 *   ./fuzz_image -jobs=1 tests/fuzz/seeds/image
 * Seeds: tests/fuzz/seeds/image/ (JPEG baseline, progressive, grey, CMYK,
 * with EXIF; WebP lossy, lossless, alpha, with EXIF; PNG, GIF, TIFF, HEIF
 * and AVIF of each layout; damaged ones; DNGs with and without a preview,
 * JPEG XL lossless, lossy, turned, with a P3 profile, a bomb header; ICC
 * profiles in PNG, TIFF and a CMYK JPEG, an nclx Display P3 AVIF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"
#include "image_internal.h"

/* Small enough that a run never waits on a huge allocation; large enough
 * for every seed. */
#define FUZZ_MAX_PIXELS (4u * 1024 * 1024)

static int
prefilled(axle_pixels *px, uint32_t w, uint32_t h, uint32_t channels, void *ctx)
{
    int rc = axle_pixels_alloc(px, w, h, channels);
    if (rc == AXLE_OK)
        memset(px->data, *(const uint8_t *)ctx, px->stride * h);
    return rc;
}

static void
oracle_failed(const char *what, const axle_image *img, uint32_t ww, uint32_t wh,
              unsigned flags)
{
    fprintf(stderr, "fuzz_image: %s (codec %s, want %ux%u, flags %u)\n", what,
            axle_codec_name(img->codec), ww, wh, flags);
    abort();
}

static int
same_pixels(const axle_pixels *a, const axle_pixels *b)
{
    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return 0;
    size_t row = (size_t)a->width * a->channels;
    for (uint32_t y = 0; y < a->height; y++)
        if (memcmp(a->data + y * a->stride, b->data + y * b->stride, row) != 0)
            return 0;
    return 1;
}

static void
decode_twice(const axle_image *img, uint32_t ww, uint32_t wh, unsigned flags)
{
    uint8_t fill_a = 0x00, fill_b = 0xFF; /* every bit differs */
    struct img_decode_req ra = {ww, wh, FUZZ_MAX_PIXELS, flags, prefilled, &fill_a};
    struct img_decode_req rb = {ww, wh, FUZZ_MAX_PIXELS, flags, prefilled, &fill_b};
    axle_pixels a, b;
    char ea[256], eb[256];
    int rca = img_decode(img, &ra, &a, ea, sizeof ea);
    int rcb = img_decode(img, &rb, &b, eb, sizeof eb);
    if (rca != rcb || strcmp(ea, eb) != 0)
        oracle_failed("two decodes of the same data disagree", img, ww, wh, flags);
    if (rca < 0 && (a.data || b.data))
        oracle_failed("a failed decode returned pixels", img, ww, wh, flags);
    if (rca < 0 && ea[0] == '\0')
        oracle_failed("a failed decode without a message", img, ww, wh, flags);
    if (rca == AXLE_PARTIAL && (!(flags & AXLE_DECODE_PARTIAL) || ea[0] == '\0'))
        oracle_failed("a partial image not asked for, or without its reason", img, ww, wh,
                      flags);
    if (rca == AXLE_OK && ea[0] != '\0')
        oracle_failed("a whole image with an error message", img, ww, wh, flags);
    if (rca >= 0 && (!a.data || a.width == 0 || a.height == 0))
        oracle_failed("a decode succeeded without pixels", img, ww, wh, flags);
    if (rca >= 0 && !same_pixels(&a, &b))
        oracle_failed("pixels depend on the buffer's old contents", img, ww, wh, flags);
    axle_pixels_free(&a);
    axle_pixels_free(&b);
}

/* The 16-bit decode axle_images_to_sizes tries first (image_deep.h),
 * and its 16-bit resize into a small size. */
static void
deep_decode(const axle_image *img, uint32_t want_w, uint32_t want_h)
{
    struct img_decode_req req = {want_w, want_h, FUZZ_MAX_PIXELS, 0, NULL, NULL};
    img_deep px, small;
    if (img_deep_decode(img, &req, &px) != AXLE_OK)
        return;
    struct img_box all = {0, 0, px.width, px.height};
    img_deep_premultiply(&px);
    if (img_deep_alloc(&small, 7, 5, px.channels) == AXLE_OK &&
        img_resize16_box(&px, &all, &small) != AXLE_OK)
        abort();
    img_deep_free(&small);
    img_deep_free(&px);
}

/* Every codec at full size and two reduced scales, whole and partial. */
static void
decode_all(const uint8_t *data, size_t size, const axle_image *probed)
{
    static const axle_codec codecs[] = {AXLE_CODEC_JPEG, AXLE_CODEC_WEBP, AXLE_CODEC_PNG,
                                        AXLE_CODEC_GIF,  AXLE_CODEC_TIFF, AXLE_CODEC_HEIF,
                                        AXLE_CODEC_AVIF, AXLE_CODEC_JXL,  AXLE_CODEC_CAMRAW};
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        axle_image img = {codecs[c], 0, 0, 0, 1, data, size};
        if (probed && probed->codec == codecs[c])
            img = *probed;
        uint32_t w = img.width ? img.width : 256, h = img.height ? img.height : 256;
        const uint32_t wants[3][2] = {{0, 0}, {w / 3 + 1, h / 3 + 1}, {16, 16}};
        /* Only JPEG and WebP have a partial mode; the others ignore the
         * flag, and HEIF decodes are slow enough to count. */
        int partial = codecs[c] == AXLE_CODEC_JPEG || codecs[c] == AXLE_CODEC_WEBP;
        for (int i = 0; i < 3; i++) {
            decode_twice(&img, wants[i][0], wants[i][1], 0);
            deep_decode(&img, wants[i][0], wants[i][1]);
            if (partial)
                decode_twice(&img, wants[i][0], wants[i][1], AXLE_DECODE_PARTIAL);
        }
    }
    /* Raw pixels whose shape the first bytes give, checked against size. */
    if (size >= 3) {
        axle_image raw = {AXLE_CODEC_RAW, data[0] + 1u, data[1] + 1u,
                          (uint8_t)(data[2] % 5), 1, data, size};
        decode_twice(&raw, 0, 0, 0);
    }
}

/* A prefix's probe asks for more or agrees with the whole file's. */
static void
probe_prefixes(const uint8_t *data, size_t size, int whole_rc, const axle_image *whole)
{
    const size_t cuts[] = {1, 2, 11, 12, 30, 64, 200, 1024, 4096, size / 2, size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        size_t len = cuts[i];
        if (len == 0 || len >= size)
            continue;
        axle_image img;
        char err[256];
        size_t need = 0;
        int rc = axle_image_probe_prefix(data, len, size, &need, &img, err, sizeof err);
        if (rc == AXLE_EMORE) {
            if (need <= len || need > size) {
                fprintf(stderr, "fuzz_image: prefix %zu of %zu needs %zu\n", len, size, need);
                abort();
            }
            continue;
        }
        int agree = rc == whole_rc &&
                    (rc != AXLE_OK ||
                     (img.codec == whole->codec && img.width == whole->width &&
                      img.height == whole->height && img.channels == whole->channels &&
                      img.orientation == whole->orientation));
        /* A prefix may find a fault the whole file has too, before the
         * whole file's probe meets another: both must be errors then. */
        if (!agree && !(rc < 0 && whole_rc < 0)) {
            fprintf(stderr, "fuzz_image: prefix %zu of %zu says %d (%s), the whole file %d\n",
                    len, size, rc, err, whole_rc);
            abort();
        }
    }
}

/* What `axle which` does with any file: find XMP, take the image digest;
 * and an XMP packet added to what was accepted is found again, leaving the
 * image digest as it was. */
static void
provenance(const uint8_t *data, size_t size)
{
    char err[256], before[AXLE_DIGEST_HEX], after[AXLE_DIGEST_HEX];
    size_t xl;
    (void)axle_image_xmp(data, size, &xl);
    int rc = axle_image_digest(data, size, before, err, sizeof err);
    void *out = NULL;
    size_t outlen = 0;
    static const char xmp[] = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
    if (axle_image_add_xmp(data, size, xmp, sizeof xmp - 1, &out, &outlen, err,
                           sizeof err) != AXLE_OK)
        return;
    const char *found = axle_image_xmp(out, outlen, &xl);
    if (!found || xl != sizeof xmp - 1 || memcmp(found, xmp, xl) != 0)
        abort(); /* added, so found */
    if (rc == AXLE_OK && (axle_image_digest(out, outlen, after, err, sizeof err) != AXLE_OK ||
                          strcmp(before, after) != 0))
        abort(); /* metadata never changes the image digest */
    free(out);
}

/* Colour: the embedded profile is read from every container that carries
 * one alike (any bytes, whatever the probe said; an AVIF's nclx box made
 * a profile), judged by lcms2, and a small decode converted with it; a
 * profile seen converts the same way twice. */
static void
colour(const uint8_t *data, size_t size)
{
    static const axle_codec codecs[] = {AXLE_CODEC_JPEG, AXLE_CODEC_WEBP, AXLE_CODEC_PNG,
                                        AXLE_CODEC_TIFF, AXLE_CODEC_AVIF, AXLE_CODEC_JXL};
    char err[256];
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        axle_image img = {.codec = codecs[i], .width = 8, .height = 8, .channels = 3,
                          .orientation = 1, .data = data, .size = size};
        void *icc = NULL;
        size_t len = 0;
        if (axle_image_icc(&img, &icc, &len, err, sizeof err) == AXLE_OK && !icc != !len)
            abort(); /* a profile has bytes; none has none */
        free(icc);
        axle_colour a, b;
        if (axle_image_colour(&img, &a) != AXLE_OK || axle_image_colour(&img, &b) != AXLE_OK ||
            memcmp(&a, &b, sizeof a) != 0)
            abort(); /* the cache answers as the first reading did */
        axle_pixels px;
        if (axle_pixels_alloc(&px, 8, 8, 3) != AXLE_OK)
            return;
        memset(px.data, 0x80, px.stride * 8);
        (void)axle_pixels_to_srgb(&px, &img, err, sizeof err);
        axle_pixels_free(&px);
    }
}

/* Export's EXIF (metadata: keep): any bytes as each container that holds
 * EXIF; what comes back is no longer than what went in (IFD1 is only ever
 * cut or zeroed). */
/* The file in memory, served past a prefix as a reader would. */
struct mem {
    const uint8_t *p;
    size_t n;
};

static int
mem_read_at(void *ctx, uint64_t offset, void *buf, size_t len)
{
    const struct mem *m = ctx;
    if (offset > m->n || len > m->n - offset)
        return AXLE_EIO;
    memcpy(buf, m->p + offset, len);
    return AXLE_OK;
}

/* axle_image_exif_for_export_at (metadata: keep from the headers): the
 * file whole in memory and its first bytes with the rest through a reader
 * give the same bytes; a TIFF's EXIF laid out anew is a TIFF structure. */
static void
exif_from_headers(const uint8_t *data, size_t size)
{
    struct mem m = {data, size};
    void *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    char err[256];
    int ra = axle_image_exif_for_export_at(data, size, size, NULL, NULL, &a, &alen, err,
                                           sizeof err);
    int rb = axle_image_exif_for_export_at(data, size / 3, size, mem_read_at, &m, &b, &blen,
                                           err, sizeof err);
    if (ra != rb || alen != blen || (alen && memcmp(a, b, alen) != 0) || !a != !alen)
        abort();
    free(a);
    free(b);
    size_t tlen = 0;
    uint8_t *t = img_tiff_exif(data, size, &tlen);
    if (t && (tlen < 8 || (memcmp(t, "II*\0", 4) != 0 && memcmp(t, "MM\0*", 4) != 0)))
        abort();
    free(t);
}

static void
exif_export(const uint8_t *data, size_t size)
{
    static const axle_codec codecs[] = {AXLE_CODEC_JPEG, AXLE_CODEC_WEBP, AXLE_CODEC_PNG};
    char err[256];
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        axle_image img = {.codec = codecs[i], .width = 8, .height = 8, .channels = 3,
                          .orientation = 1, .data = data, .size = size};
        void *exif = NULL;
        size_t len = 0;
        if (axle_image_exif_for_export(&img, &exif, &len, err, sizeof err) == AXLE_OK &&
            (len > size || !exif != !len))
            abort();
        free(exif);
    }
    exif_from_headers(data, size);
}

/* Photo metadata (photometa; fuzz_exif has the EXIF reader's oracles):
 * each container's walk to its EXIF, on the probed image and on the data
 * taken as every codec. */
static void
photo_meta(const uint8_t *data, size_t size, const axle_image *probed)
{
    axle_photo_meta m;
    if (probed)
        axle_image_photo_meta(probed, size, NULL, NULL, &m);
    for (int c = AXLE_CODEC_JPEG; c <= AXLE_CODEC_LAST; c++) {
        axle_image img = {(axle_codec)c, 1, 1, 3, 1, data, size};
        axle_image_photo_meta(&img, size, NULL, NULL, &m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    axle_image whole;
    char err[256];
    int rc = axle_image_probe_prefix(data, size, size, NULL, &whole, err, sizeof err);
    if (rc == AXLE_EMORE)
        abort(); /* never for the whole file */
    axle_image old;
    int rc_old = axle_image_probe(data, size, &old, err, sizeof err);
    if (rc == AXLE_OK && (rc_old != AXLE_OK || memcmp(&old, &whole, sizeof old) != 0))
        abort(); /* the two probes agree on a whole file */
    probe_prefixes(data, size, rc, &whole);
    decode_all(data, size, rc == AXLE_OK ? &whole : NULL);
    provenance(data, size);
    colour(data, size);
    exif_export(data, size);
    photo_meta(data, size, rc == AXLE_OK ? &whole : NULL);
    return 0;
}
