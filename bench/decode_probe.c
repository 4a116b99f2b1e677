/* decode_probe.c - the floor for a thumbnailer: decode each file at the
 * reduced scale axle would choose, and do nothing else (no resize, no
 * encode, no dataset).  bench/thumbs.sh runs it beside axle to get the
 * "decode-only limit" of issue 5.
 *
 * The scale rule mirrors lib/image/image_decode.c: the target box is first
 * fitted to the image with its aspect kept (as PIL's thumbnail() does),
 * then
 *   JPEG: the smallest TurboJPEG scaling factor of 1/1, 1/2, 1/4, 1/8
 *         (libaxle skips the other M/8, which have no SIMD IDCT) whose
 *         output still covers fitted size x margin;
 *   WebP: libwebp's scaled decode straight to fitted size x margin.
 * The margins are arguments, so thumbs.sh passes the ones compiled into
 * libaxle (AXLE_MARGIN_JPEG / AXLE_MARGIN_WEBP in lib/image/image_internal.h).
 *
 * Work is split like axle's slices: J forked processes, each taking a
 * contiguous run of the (sorted) file list.  Each process keeps one
 * decoder and one output buffer for all its files, so the figure is the
 * codec's own cost plus reading the file from the page cache.
 *
 * usage: decode_probe [-v] [-j J] [-m JPEG_MARGIN] [-M WEBP_MARGIN] W H FILE...
 * prints: images=N seconds=S rate=R/s maxrss_kb=K (largest process)
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <turbojpeg.h>
#include <webp/decode.h>

struct probe {
    unsigned want_w, want_h;
    double margin_jpeg, margin_webp;
    tjhandle tj;
    unsigned char *buf;     /* decoded pixels, grown as needed */
    size_t buf_size;
    unsigned char *file;    /* file bytes, grown as needed */
    size_t file_cap;
    unsigned long checksum; /* keeps the compiler from dropping work */
    int verbose;            /* -v: say which scale each file got */
};

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Of floor and ceil of v, the one whose aspect error is smaller (floor on
 * a tie), at least 1: PIL's round_aspect, as lib/image/image_fit.c. */
static unsigned
round_aspect(double v, double aspect, double other, int width)
{
    double lo = floor(v), hi = ceil(v);
    double elo = width ? fabs(aspect - lo / other) : (lo == 0 ? 0 : fabs(aspect - other / lo));
    double ehi = width ? fabs(aspect - hi / other) : (hi == 0 ? 0 : fabs(aspect - other / hi));
    double n = ehi < elo ? hi : lo;
    return n < 1 ? 1 : (unsigned)n;
}

/* The size PIL's thumbnail() of w x h into the box bw x bh gives. */
static void
fit(unsigned w, unsigned h, unsigned bw, unsigned bh, unsigned *fw, unsigned *fh)
{
    *fw = w;
    *fh = h;
    if (bw >= w && bh >= h)
        return;
    double aspect = (double)w / h, x = bw, y = bh;
    if (x / y >= aspect) {
        *fw = round_aspect(y * aspect, aspect, y, 1);
        *fh = bh;
    } else {
        *fw = bw;
        *fh = round_aspect(x / aspect, aspect, x, 0);
    }
}

static unsigned
need(unsigned want, unsigned full, double margin)
{
    double n = ceil(want * margin - 1e-9);
    return n >= full ? full : (unsigned)n;
}

static int
grow(unsigned char **p, size_t *cap, size_t want)
{
    if (*cap >= want)
        return 0;
    unsigned char *q = realloc(*p, want);
    if (!q)
        return -1;
    *p = q;
    *cap = want;
    return 0;
}

static long
read_file(struct probe *pr, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    long len = -1;
    if (fstat(fileno(f), &st) == 0 && grow(&pr->file, &pr->file_cap, (size_t)st.st_size + 1) == 0 &&
        fread(pr->file, 1, (size_t)st.st_size, f) == (size_t)st.st_size)
        len = (long)st.st_size;
    fclose(f);
    return len;
}

static int
probe_jpeg(struct probe *pr, const char *path, long len)
{
    int w, h, sub, cs;
    if (tjDecompressHeader3(pr->tj, pr->file, (unsigned long)len, &w, &h, &sub, &cs) < 0)
        return fprintf(stderr, "%s: %s\n", path, tjGetErrorStr2(pr->tj)), -1;
    unsigned fw, fh;
    fit((unsigned)w, (unsigned)h, pr->want_w, pr->want_h, &fw, &fh);
    unsigned nw = need(fw, (unsigned)w, pr->margin_jpeg);
    unsigned nh = need(fh, (unsigned)h, pr->margin_jpeg);
    int n = 0;
    tjscalingfactor *sf = tjGetScalingFactors(&n), best = {1, 1};
    unsigned long long best_area = (unsigned long long)w * h;
    for (int i = 0; i < n; i++) {
        /* As libaxle: only 1/1, 1/2, 1/4, 1/8, whose reduced IDCTs have SIMD. */
        int d = sf[i].denom;
        if (sf[i].num != 1 || (d != 1 && d != 2 && d != 4 && d != 8))
            continue;
        unsigned sw = (unsigned)TJSCALED(w, sf[i]), sh = (unsigned)TJSCALED(h, sf[i]);
        if (sw >= nw && sh >= nh && (unsigned long long)sw * sh < best_area) {
            best_area = (unsigned long long)sw * sh;
            best = sf[i];
        }
    }
    int sw = TJSCALED(w, best), sh = TJSCALED(h, best);
    if (pr->verbose)
        fprintf(stderr, "%s: %dx%d fit %ux%u -> scale %d/%d = %dx%d\n", path, w, h, fw, fh,
                best.num, best.denom, sw, sh);
    if (grow(&pr->buf, &pr->buf_size, (size_t)sw * sh * 3) < 0)
        return -1;
    if (tjDecompress2(pr->tj, pr->file, (unsigned long)len, pr->buf, sw, sw * 3, sh,
                      TJPF_RGB, 0) < 0 && tjGetErrorCode(pr->tj) != TJERR_WARNING)
        return fprintf(stderr, "%s: %s\n", path, tjGetErrorStr2(pr->tj)), -1;
    pr->checksum += pr->buf[(size_t)sw * sh * 3 / 2];
    return 0;
}

static int
probe_webp(struct probe *pr, const char *path, long len)
{
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg) ||
        WebPGetFeatures(pr->file, (size_t)len, &cfg.input) != VP8_STATUS_OK)
        return fprintf(stderr, "%s: not a WebP file\n", path), -1;
    unsigned w = (unsigned)cfg.input.width, h = (unsigned)cfg.input.height, fw, fh;
    fit(w, h, pr->want_w, pr->want_h, &fw, &fh);
    double f = fmax((double)need(fw, w, pr->margin_webp) / w,
                    (double)need(fh, h, pr->margin_webp) / h);
    unsigned sw = w, sh = h;
    if (f < 1.0) {
        sw = (unsigned)fmax(1.0, ceil(w * f - 1e-9));
        sh = (unsigned)fmax(1.0, ceil(h * f - 1e-9));
        cfg.options.use_scaling = 1;
        cfg.options.scaled_width = (int)sw;
        cfg.options.scaled_height = (int)sh;
    }
    if (pr->verbose)
        fprintf(stderr, "%s: %ux%u fit %ux%u -> scaled decode %ux%u\n", path, w, h, fw, fh, sw, sh);
    if (grow(&pr->buf, &pr->buf_size, (size_t)sw * sh * 3) < 0)
        return -1;
    cfg.output.colorspace = MODE_RGB;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = pr->buf;
    cfg.output.u.RGBA.stride = (int)sw * 3;
    cfg.output.u.RGBA.size = (size_t)sw * sh * 3;
    VP8StatusCode st = WebPDecode(pr->file, (size_t)len, &cfg);
    WebPFreeDecBuffer(&cfg.output);
    if (st != VP8_STATUS_OK)
        return fprintf(stderr, "%s: WebP decode failed (%d)\n", path, (int)st), -1;
    pr->checksum += pr->buf[(size_t)sw * sh * 3 / 2];
    return 0;
}

static int
probe_one(struct probe *pr, const char *path)
{
    long len = read_file(pr, path);
    if (len < 12)
        return fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno)), -1;
    if (memcmp(pr->file, "RIFF", 4) == 0 && memcmp(pr->file + 8, "WEBP", 4) == 0)
        return probe_webp(pr, path, len);
    return probe_jpeg(pr, path, len);
}

/* One worker: files [lo, hi). */
static int
worker(struct probe *pr, char **files, int lo, int hi)
{
    pr->tj = tjInitDecompress();
    if (!pr->tj)
        return 1;
    for (int i = lo; i < hi; i++)
        if (probe_one(pr, files[i]) < 0)
            return 1;
    /* Printed so the checksum is used; harmless noise on stderr is not. */
    return pr->checksum == 0xFFFFFFFFul ? 2 : 0;
}

static int
usage(void)
{
    fputs("usage: decode_probe [-v] [-j J] [-m JPEG_MARGIN] [-M WEBP_MARGIN] W H FILE...\n", stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    struct probe pr = {.margin_jpeg = 1.0, .margin_webp = 2.0};
    int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), opt;
    while ((opt = getopt(argc, argv, "j:m:M:v")) != -1) {
        switch (opt) {
        case 'j': jobs = atoi(optarg); break;
        case 'm': pr.margin_jpeg = atof(optarg); break;
        case 'M': pr.margin_webp = atof(optarg); break;
        case 'v': pr.verbose = 1; break;
        default: return usage();
        }
    }
    if (argc - optind < 3 || jobs < 1)
        return usage();
    pr.want_w = (unsigned)atoi(argv[optind]);
    pr.want_h = (unsigned)atoi(argv[optind + 1]);
    char **files = argv + optind + 2;
    int n = argc - optind - 2;
    if (jobs > n)
        jobs = n;

    double t0 = now();
    for (int j = 0; j < jobs; j++) {
        pid_t pid = fork();
        if (pid < 0)
            return perror("fork"), 1;
        if (pid == 0)
            _exit(worker(&pr, files, (int)((long)n * j / jobs), (int)((long)n * (j + 1) / jobs)));
    }
    int failed = 0, status;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    double t = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    if (failed)
        return fputs("decode_probe: a worker failed\n", stderr), 1;
    printf("images=%d seconds=%.4f rate=%.1f maxrss_kb=%ld\n", n, t, n / t, ru.ru_maxrss);
    return 0;
}
