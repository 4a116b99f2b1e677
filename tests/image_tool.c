/* image_tool.c - the SDK's image functions (the thumbnailer's per-row
 * work is axle_image_to_size) from the command line, for the shell tests (which compare against PIL)
 * and for measuring speed.
 *
 *   image_tool probe FILE
 *   image_tool prefix FILE LEN                        (probe of the first LEN bytes)
 *   image_tool decode FILE WANT_W WANT_H OUT.axr [MAX_PIXELS]  (0 0: full size)
 *   image_tool orient FILE ORIENTATION OUT.axr        (full decode, then orient)
 *   image_tool thumb FILE BOX_W BOX_H OUT [upscale] [srgb | srgb-first | twostep] [fast] [rss]
 *                                          (OUT.axr raw, .jpg/.webp q95; srgb:
 *                                          AXLE_TO_SRGB; srgb-first: converted
 *                                          before the resize, to measure the order;
 *                                          twostep: decoded whole at the same scale,
 *                                          then resized, as before the fused path;
 *                                          fast: AXLE_DECODE_FAST; prints the
 *                                          progressive scans skipped, if any;
 *                                          rss: prints "peak N kB", the process's)
 *   image_tool colour FILE                            (what AXLE_TO_SRGB does with it)
 *   image_tool colour-bench BOX_W BOX_H ROUNDS FILE...  (its cost, CPU time)
 *   image_tool encode FILE jpeg|webp QUALITY OUT      (full decode, encode)
 *   image_tool expand [-n] PATTERN...                 (-n: not recursive)
 *   image_tool bench BOX_W BOX_H ROUNDS FILE...       (decode-only vs thumbnail, CPU time)
 *
 * .axr is a raw dump PIL reads easily: "AXR W H C\n" then W*H*C bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include "axle/axle.h"

static void *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    *len = buf && n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    return buf;
}

static int
write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        if (f)
            fclose(f);
        return 1;
    }
    return fclose(f) != 0;
}

static int
write_axr(const char *path, const axle_pixels *px)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    fprintf(f, "AXR %u %u %u\n", px->width, px->height, px->channels);
    for (uint32_t y = 0; y < px->height; y++)
        fwrite(px->data + y * px->stride, 1, (size_t)px->width * px->channels, f);
    return fclose(f) != 0;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* OUT.axr raw; OUT.jpg / OUT.webp encoded at quality 95. */
static int
write_out(const char *path, const axle_pixels *px)
{
    if (ends_with(path, ".axr"))
        return write_axr(path, px);
    axle_codec codec = ends_with(path, ".webp") ? AXLE_CODEC_WEBP : AXLE_CODEC_JPEG;
    void *enc;
    size_t n;
    char err[256];
    if (axle_image_encode(px, codec, 95, &enc, &n, err, sizeof err) != AXLE_OK) {
        fprintf(stderr, "encode: %s\n", err);
        return 1;
    }
    int rc = write_bytes(path, enc, n);
    free(enc);
    return rc;
}

/* Reads and probes FILE; prints the error and returns NULL on failure. */
static void *
load(const char *path, axle_image *img)
{
    size_t len = 0;
    char err[256];
    void *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "%s: cannot read\n", path);
        return NULL;
    }
    int rc = axle_image_probe(data, len, img, err, sizeof err);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        free(data);
        return NULL;
    }
    return data;
}

static int
cmd_probe(char **argv)
{
    axle_image img;
    void *data = load(argv[0], &img);
    if (!data)
        return 1;
    printf("%s %ux%u channels=%u orientation=%u\n", axle_codec_name(img.codec),
           img.width, img.height, img.channels, img.orientation);
    free(data);
    return 0;
}

/* The probe of FILE's first LEN bytes: the probe line, or "more NEED". */
static int
cmd_prefix(char **argv)
{
    size_t len = 0, need = 0;
    char err[256];
    uint8_t *data = slurp(argv[0], &len);
    if (!data)
        return 1;
    size_t n = (size_t)strtoull(argv[1], NULL, 10);
    axle_image img;
    int rc = axle_image_probe_prefix(data, n < len ? n : len, len, &need, &img, err,
                                     sizeof err);
    if (rc == AXLE_EMORE)
        printf("more %zu\n", need);
    else if (rc != AXLE_OK)
        printf("error %d: %s\n", rc, err);
    else
        printf("%s %ux%u channels=%u orientation=%u\n", axle_codec_name(img.codec),
               img.width, img.height, img.channels, img.orientation);
    free(data);
    return rc == AXLE_OK || rc == AXLE_EMORE ? 0 : 1;
}

static int
cmd_decode(char **argv)
{
    axle_image img;
    axle_pixels px;
    char err[256];
    void *data = load(argv[0], &img);
    if (!data)
        return 1;
    uint64_t max_pixels = argv[4] ? strtoull(argv[4], NULL, 10) : 200000000;
    int rc = axle_image_decode(&img, (uint32_t)atoi(argv[1]), (uint32_t)atoi(argv[2]),
                               max_pixels, &px, err, sizeof err);
    free(data);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    printf("%ux%u channels=%u\n", px.width, px.height, px.channels);
    rc = write_out(argv[3], &px);
    axle_pixels_free(&px);
    return rc;
}

static int
cmd_orient(char **argv)
{
    axle_image img;
    axle_pixels px, turned;
    char err[256];
    void *data = load(argv[0], &img);
    if (!data)
        return 1;
    int rc = axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err);
    free(data);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    rc = axle_pixels_orient(&px, atoi(argv[1]), &turned);
    axle_pixels_free(&px);
    if (rc != AXLE_OK) {
        printf("error %d\n", rc);
        return 1;
    }
    printf("%ux%u\n", turned.width, turned.height);
    rc = write_out(argv[2], &turned);
    axle_pixels_free(&turned);
    return rc;
}

static bool
has_word(int argc, char **argv, int from, const char *word)
{
    for (int i = from; i < argc; i++)
        if (strcmp(argv[i], word) == 0)
            return true;
    return false;
}

/* axle_image_to_size in steps: decode whole at the same scale, convert
 * to sRGB (srgb-first, what colour_order.sh compares; not for twostep,
 * what fused_resize.sh compares), then resize and orient. */
static int
in_steps(const axle_image *img, const axle_geometry *g, bool srgb, unsigned flags,
         axle_pixels *out, char *err, size_t errlen)
{
    uint32_t tw, th;
    int rc = axle_image_fit(img, g, &tw, &th);
    if (rc != AXLE_OK)
        return snprintf(err, errlen, "cannot fit"), rc;
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    uint32_t sw = o >= 5 ? th : tw, sh = o >= 5 ? tw : th;
    axle_pixels dec, sized;
    if ((rc = axle_image_decode_ex(img, sw, sh, 0, flags & AXLE_DECODE_FAST, &dec, err,
                                   errlen)) != AXLE_OK)
        return rc;
    if (!srgb || (rc = axle_pixels_to_srgb(&dec, img, err, errlen)) == AXLE_OK)
        rc = axle_pixels_resize(&dec, sw, sh, &sized);
    axle_pixels_free(&dec);
    if (rc != AXLE_OK)
        return rc;
    rc = axle_pixels_orient(&sized, o, out);
    axle_pixels_free(&sized);
    return rc;
}

static int
cmd_thumb(int argc, char **argv)
{
    axle_image img;
    axle_pixels px;
    char err[256] = "";
    void *data = load(argv[0], &img);
    if (!data)
        return 1;
    axle_geometry g = {.width = (uint32_t)atoi(argv[1]), .height = (uint32_t)atoi(argv[2]),
                       .upscale = has_word(argc, argv, 4, "upscale")};
    unsigned flags = has_word(argc, argv, 4, "srgb") ? AXLE_TO_SRGB : 0;
    flags |= has_word(argc, argv, 4, "fast") ? AXLE_DECODE_FAST : 0;
    uint64_t skipped = axle_image_scans_skipped();
    int rc = has_word(argc, argv, 4, "srgb-first")
        ? in_steps(&img, &g, true, flags, &px, err, sizeof err)
        : has_word(argc, argv, 4, "twostep") ? in_steps(&img, &g, false, flags, &px, err, sizeof err)
        : axle_image_to_size(&img, &g, 200000000, flags, &px, err, sizeof err);
    free(data);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    printf("%ux%u channels=%u\n", px.width, px.height, px.channels);
    skipped = axle_image_scans_skipped() - skipped;
    if (skipped)
        printf("skipped %llu progressive scans\n", (unsigned long long)skipped);
    struct rusage ru;
    if (has_word(argc, argv, 4, "rss") && getrusage(RUSAGE_SELF, &ru) == 0)
        printf("peak %ld kB\n", ru.ru_maxrss);
    rc = write_out(argv[3], &px);
    axle_pixels_free(&px);
    return rc;
}

static int
cmd_colour(char **argv)
{
    static const char *const kinds[] = {"none", "srgb", "convert", "unsupported", "broken"};
    axle_image img;
    axle_colour c;
    void *data = load(argv[0], &img);
    if (!data)
        return 1;
    int rc = axle_image_colour(&img, &c);
    free(data);
    if (rc != AXLE_OK)
        return printf("error %d\n", rc), 1;
    printf("%s '%s' %s\n", kinds[c.kind], c.profile, c.reason);
    return 0;
}

static int
cmd_encode(char **argv)
{
    axle_image img;
    axle_pixels px;
    char err[256];
    void *data = load(argv[0], &img), *enc;
    size_t n;
    if (!data)
        return 1;
    int rc = axle_image_decode(&img, 0, 0, 0, &px, err, sizeof err);
    free(data);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    axle_codec codec = strcmp(argv[1], "webp") == 0 ? AXLE_CODEC_WEBP : AXLE_CODEC_JPEG;
    rc = axle_image_encode(&px, codec, atoi(argv[2]), &enc, &n, err, sizeof err);
    axle_pixels_free(&px);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    rc = write_bytes(argv[3], enc, n);
    free(enc);
    return rc;
}

static int
cmd_expand(int argc, char **argv)
{
    bool recursive = true;
    if (argc > 0 && strcmp(argv[0], "-n") == 0) {
        recursive = false;
        argv++;
        argc--;
    }
    char **paths, err[512];
    size_t n;
    int rc = axle_expand_paths((const char *const *)argv, (size_t)argc, recursive,
                               &paths, &n, err, sizeof err);
    if (rc != AXLE_OK) {
        printf("error %d: %s\n", rc, err);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s\n", paths[i]);
    axle_free_paths(paths, n);
    return 0;
}

/* CPU time of this process: on a shared machine the comparison of the
 * two loops stays fair when other work steals the cores. */
static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Per round over all files: decode-only at the scale the thumbnail would
 * use, then the whole thumbnail; best round of each.  Files are read into
 * memory first, so only CPU work is timed. */
static int
cmd_bench(int argc, char **argv)
{
    uint32_t bw = (uint32_t)atoi(argv[0]), bh = (uint32_t)atoi(argv[1]);
    int rounds = atoi(argv[2]), n = argc - 3;
    axle_image *imgs = calloc((size_t)n, sizeof *imgs);
    void **bufs = calloc((size_t)n, sizeof *bufs);
    axle_geometry g = {.width = bw, .height = bh};
    char err[256];
    for (int i = 0; i < n; i++)
        if (!(bufs[i] = load(argv[3 + i], &imgs[i])))
            return 1;
    double best_dec = 1e9, best_thumb = 1e9;
    uint32_t dw = 0, dh = 0, tw = 0, th = 0;
    uint32_t *sizes = calloc(2 * (size_t)n, sizeof *sizes); /* each thumbnail's */
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < n; i++) {
            axle_pixels px;
            if (axle_image_to_size(&imgs[i], &g, 0, 0, &px, err, sizeof err) != AXLE_OK)
                return printf("error: %s\n", err), 1;
            sizes[2 * i] = tw = px.width;
            sizes[2 * i + 1] = th = px.height;
            axle_pixels_free(&px);
        }
        double t1 = now();
        for (int i = 0; i < n; i++) {
            axle_pixels px;
            int swap = imgs[i].orientation >= 5;
            uint32_t w = sizes[2 * i], h = sizes[2 * i + 1];
            if (axle_image_decode(&imgs[i], swap ? h : w, swap ? w : h, 0, &px,
                                  err, sizeof err) != AXLE_OK)
                return printf("error: %s\n", err), 1;
            dw = px.width;
            dh = px.height;
            axle_pixels_free(&px);
        }
        double t2 = now();
        if (t1 - t0 < best_thumb)
            best_thumb = t1 - t0;
        if (t2 - t1 < best_dec)
            best_dec = t2 - t1;
    }
    printf("decode-only %ux%u: %.2f ms/image (%.1f/s)\n", dw, dh, 1e3 * best_dec / n, n / best_dec);
    printf("thumbnail %ux%u: %.2f ms/image (%.1f/s)\n", tw, th, 1e3 * best_thumb / n, n / best_thumb);
    printf("ratio thumbnail/decode-only rate: %.3f\n", best_dec / best_thumb);
    for (int i = 0; i < n; i++)
        free(bufs[i]);
    free(bufs);
    free(imgs);
    free(sizes);
    return 0;
}

/* The price of colour management, per round over all files (best round):
 * thumbnails without conversion, with AXLE_TO_SRGB (converted after the
 * resize), and converted before the resize. */
static int
cmd_colour_bench(int argc, char **argv)
{
    axle_geometry g = {.width = (uint32_t)atoi(argv[0]), .height = (uint32_t)atoi(argv[1])};
    int rounds = atoi(argv[2]), n = argc - 3;
    axle_image *imgs = calloc((size_t)n, sizeof *imgs);
    void **bufs = calloc((size_t)n, sizeof *bufs);
    char err[256];
    for (int i = 0; i < n; i++)
        if (!(bufs[i] = load(argv[3 + i], &imgs[i])))
            return 1;
    static const char *const names[] = {"no conversion", "AXLE_TO_SRGB (after resize)",
                                        "converted before resize"};
    double best[3] = {1e9, 1e9, 1e9};
    for (int r = 0; r < rounds; r++)
        for (int mode = 0; mode < 3; mode++) {
            double t0 = now();
            for (int i = 0; i < n; i++) {
                axle_pixels px;
                int rc = mode == 2 ? in_steps(&imgs[i], &g, true, 0, &px, err, sizeof err)
                                   : axle_image_to_size(&imgs[i], &g, 0,
                                                        mode ? AXLE_TO_SRGB : 0, &px, err,
                                                        sizeof err);
                if (rc != AXLE_OK)
                    return printf("error: %s\n", err), 1;
                axle_pixels_free(&px);
            }
            double t = now() - t0;
            if (t < best[mode])
                best[mode] = t;
        }
    for (int mode = 0; mode < 3; mode++)
        printf("%s: %.2f ms/image (%.3f of no conversion)\n", names[mode],
               1e3 * best[mode] / n, best[mode] / best[0]);
    for (int i = 0; i < n; i++)
        free(bufs[i]);
    free(bufs);
    free(imgs);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        goto usage;
    const char *cmd = argv[1];
    int n = argc - 2;
    char **a = argv + 2;
    if (strcmp(cmd, "probe") == 0 && n == 1)
        return cmd_probe(a);
    if (strcmp(cmd, "prefix") == 0 && n == 2)
        return cmd_prefix(a);
    if (strcmp(cmd, "decode") == 0 && (n == 4 || n == 5))
        return cmd_decode(a);
    if (strcmp(cmd, "orient") == 0 && n == 3)
        return cmd_orient(a);
    if (strcmp(cmd, "colour") == 0 && n == 1)
        return cmd_colour(a);
    if (strcmp(cmd, "thumb") == 0 && n >= 4 && n <= 8)
        return cmd_thumb(n, a);
    if (strcmp(cmd, "encode") == 0 && n == 4)
        return cmd_encode(a);
    if (strcmp(cmd, "expand") == 0 && n >= 1)
        return cmd_expand(n, a);
    if (strcmp(cmd, "colour-bench") == 0 && n >= 4)
        return cmd_colour_bench(n, a);
    if (strcmp(cmd, "bench") == 0 && n >= 4)
        return cmd_bench(n, a);
usage:
    fprintf(stderr, "usage: image_tool probe|decode|orient|thumb|colour|colour-bench|encode|expand|bench ...\n");
    return 2;
}
