/* box_resize.c - a thumbnailer that resamples differently: a drop-in for
 * the built-in `thumbnailer`, written against the installed SDK only.
 *
 * Same input (dataset `source`, image column `column`), same output (a new
 * raw-pixel column `output` on a dataset "default" whose parent is
 * `source`), same size rule (PIL's Image.thumbnail(): fit inside `size`,
 * aspect kept, never larger unless `upscale`), same `on_error` policy.
 * What differs is the resampling:
 *
 *   1. axle_image_decode() shrinks on load (JPEG DCT scaling, WebP scaled
 *      decode) to the smallest scale still covering twice the thumbnail,
 *      so the box filter below always averages at least about 2x2 pixels;
 *   2. axle_pixels_orient() applies the EXIF orientation;
 *   3. a box filter (exact area average: each output pixel is the mean of
 *      the source area it covers, partial pixels weighted by coverage);
 *   4. an unsharp mask (Gaussian blur of `radius` output pixels; the
 *      difference to the blur is added back `sharpen` times) to win back
 *      the crispness a box filter loses.
 *
 * Build:   make            (pkg-config finds the installed SDK)
 * Use:     AXLE_METHOD_PATH=$PWD axle run pipeline.yaml
 *          with `method: box_resize` in place of `method: thumbnailer`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <axle/axle.h>

static const axle_option options[] = {
    AXLE_OPTION_SIZE("size", NULL, 1, 65535,
                     "fit inside [w, h] (or n for [n, n]), aspect kept"),
    AXLE_OPTION_STRING("column", "image", "image column of the source dataset"),
    AXLE_OPTION_STRING("output", "thumb", "name of the new column"),
    AXLE_OPTION_BOOL("upscale", "false", "enlarge images smaller than size"),
    AXLE_OPTION_ENUM("on_error", "skip", "skip|fail",
                     "an undecodable image: skip it (null row) or fail the job"),
    AXLE_OPTION_FLOAT("sharpen", "0.5", 0, 5,
                      "unsharp mask amount after the box filter (0: none)"),
    AXLE_OPTION_FLOAT("radius", "0.7", 0.1, 10,
                      "unsharp mask Gaussian sigma, in thumbnail pixels"),
    AXLE_OPTION_INT("max_pixels", "200000000", 0, 1e12,
                    "refuse images with more pixels (0: no limit)"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "dataset with the image column"),
    AXLE_INPUT_END};

AXLE_METHOD(box_resize, "1.0", "thumbnails by box filter and unsharp mask",
            options, inputs);

/* Made in prepare, inherited by every slice through fork. */
static axle_writer *out;
static int out_col;

/* Slice -> synthesis: how many rows were made and skipped, sent as text
 * ("12 1") so a slice run on another machine could send it too. */
struct counts {
    uint64_t made, skipped;
};

/* ---- the output size, as PIL's Image.thumbnail() rounds it -------------- */

/* Of floor(v) and ceil(v), the one whose aspect is closer (floor on a
 * tie), at least 1: PIL's round_aspect(). */
static uint32_t
round_aspect_w(double v, double aspect, uint32_t box_h)
{
    double lo = floor(v), hi = ceil(v);
    double n = fabs(aspect - lo / box_h) <= fabs(aspect - hi / box_h) ? lo : hi;
    return n < 1 ? 1 : (uint32_t)n;
}

static uint32_t
round_aspect_h(double v, double aspect, uint32_t box_w)
{
    double lo = floor(v), hi = ceil(v);
    double klo = lo == 0 ? 0 : fabs(aspect - box_w / lo);
    double khi = hi == 0 ? 0 : fabs(aspect - box_w / hi);
    double n = klo <= khi ? lo : hi;
    return n < 1 ? 1 : (uint32_t)n;
}

/* Fits w x h inside box_w x box_h.  Returns false when the image stays as
 * it is (it fits and upscaling is off). */
static bool
fit_size(uint32_t w, uint32_t h, uint32_t box_w, uint32_t box_h, bool upscale,
         uint32_t *ow, uint32_t *oh)
{
    *ow = w;
    *oh = h;
    if (!upscale && box_w >= w && box_h >= h)
        return false;
    double aspect = (double)w / h;
    *ow = box_w;
    *oh = box_h;
    if ((double)box_w / box_h >= aspect)
        *ow = round_aspect_w((double)box_h * aspect, aspect, box_h);
    else
        *oh = round_aspect_h((double)box_w / aspect, aspect, box_w);
    return *ow != w || *oh != h;
}

/* ---- the box filter ------------------------------------------------------ */

/* One pass of an exact area average along one axis: `n_out` output samples
 * from `n_in` input samples, `count` lines of them.  Sample i of line l
 * is at in[l * line + i * step]; float in, float out, `ch` channels. */
static void
box_pass(const float *in, float *dst, uint32_t n_in, uint32_t n_out,
         size_t count, size_t in_line, size_t in_step, size_t out_line,
         size_t out_step, uint32_t ch)
{
    double scale = (double)n_in / n_out;
    for (uint32_t o = 0; o < n_out; o++) {
        double a = o * scale, b = (o + 1) * scale;
        uint32_t first = (uint32_t)a;
        uint32_t last = (uint32_t)ceil(b);
        if (last > n_in)
            last = n_in;
        for (size_t l = 0; l < count; l++) {
            float acc[4] = {0, 0, 0, 0};
            for (uint32_t i = first; i < last; i++) {
                /* coverage of input sample [i, i+1) by [a, b) */
                double cover = fmin(b, i + 1.0) - fmax(a, (double)i);
                const float *s = in + l * in_line + i * in_step;
                for (uint32_t k = 0; k < ch; k++)
                    acc[k] += (float)cover * s[k];
            }
            float *d = dst + l * out_line + o * out_step;
            for (uint32_t k = 0; k < ch; k++)
                d[k] = acc[k] / (float)scale;
        }
    }
}

/* w x h x ch floats, rows packed. */
static float *
to_float(const axle_pixels *px)
{
    size_t n = (size_t)px->width * px->height * px->channels;
    float *f = malloc(n * sizeof *f);
    if (!f)
        return NULL;
    size_t row = (size_t)px->width * px->channels;
    for (uint32_t y = 0; y < px->height; y++)
        for (size_t x = 0; x < row; x++)
            f[y * row + x] = px->data[y * px->stride + x];
    return f;
}

static float *
box_resize(const axle_pixels *px, uint32_t ow, uint32_t oh)
{
    uint32_t w = px->width, h = px->height, c = px->channels;
    float *src = to_float(px);
    float *mid = malloc((size_t)ow * h * c * sizeof *mid);
    float *dst = malloc((size_t)ow * oh * c * sizeof *dst);
    if (src && mid && dst) {
        /* across: h lines of w samples -> h lines of ow samples */
        box_pass(src, mid, w, ow, h, (size_t)w * c, c, (size_t)ow * c, c, c);
        /* down: ow columns of h samples -> ow columns of oh samples */
        box_pass(mid, dst, h, oh, ow, c, (size_t)ow * c, c, (size_t)ow * c, c);
    } else {
        free(dst);
        dst = NULL;
    }
    free(src);
    free(mid);
    return dst;
}

/* ---- the unsharp mask ---------------------------------------------------- */

/* Normalised Gaussian taps for sigma, 2 * *half + 1 of them. */
static float *
gaussian(double sigma, int *half)
{
    *half = (int)ceil(3 * sigma);
    float *k = malloc((size_t)(2 * *half + 1) * sizeof *k);
    if (!k)
        return NULL;
    double sum = 0;
    for (int i = -*half; i <= *half; i++)
        sum += k[i + *half] = (float)exp(-(double)i * i / (2 * sigma * sigma));
    for (int i = 0; i < 2 * *half + 1; i++)
        k[i] = (float)(k[i] / sum);
    return k;
}

static size_t
clampi(long i, uint32_t n)
{
    return i < 0 ? 0 : i >= (long)n ? n - 1 : (size_t)i;
}

/* One blur pass along x (dx = 1) or y (dx = 0), edges repeated. */
static void
blur_pass(const float *in, float *dst, uint32_t w, uint32_t h, uint32_t c,
          const float *k, int half, bool along_x)
{
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (uint32_t ch = 0; ch < c; ch++) {
                float acc = 0;
                for (int t = -half; t <= half; t++) {
                    size_t sx = along_x ? clampi((long)x + t, w) : x;
                    size_t sy = along_x ? y : clampi((long)y + t, h);
                    acc += k[t + half] * in[(sy * w + sx) * c + ch];
                }
                dst[((size_t)y * w + x) * c + ch] = acc;
            }
}

/* img += amount * (img - blur(img)), on colour channels only: alpha (the
 * last channel of grey+alpha and RGBA) is left as averaged. */
static int
unsharp(float *img, uint32_t w, uint32_t h, uint32_t c, double amount,
        double sigma)
{
    if (amount <= 0)
        return AXLE_OK;
    int half;
    size_t n = (size_t)w * h * c;
    float *k = gaussian(sigma, &half);
    float *tmp = malloc(n * sizeof *tmp);
    float *blur = malloc(n * sizeof *blur);
    if (!k || !tmp || !blur) {
        free(k);
        free(tmp);
        free(blur);
        return AXLE_ENOMEM;
    }
    blur_pass(img, tmp, w, h, c, k, half, true);
    blur_pass(tmp, blur, w, h, c, k, half, false);
    uint32_t colour = (c == 2 || c == 4) ? c - 1 : c;
    for (size_t i = 0; i < n; i++)
        if (i % c < colour)
            img[i] += (float)amount * (img[i] - blur[i]);
    free(k);
    free(tmp);
    free(blur);
    return AXLE_OK;
}

static void
to_bytes(const float *f, axle_pixels *px)
{
    size_t n = (size_t)px->width * px->height * px->channels;
    for (size_t i = 0; i < n; i++) {
        float v = roundf(f[i]);
        px->data[i] = v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
    }
}

/* ---- one image ----------------------------------------------------------- */

/* Makes the thumbnail of `img` into *thumb.  < 0 with a reason in err. */
static int
thumbnail(axle_job *job, const axle_image *img, axle_pixels *thumb, char *err,
          size_t errlen)
{
    int orient = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    bool swap = orient >= 5; /* stored sideways: width and height trade places */
    uint32_t w = swap ? img->height : img->width;
    uint32_t h = swap ? img->width : img->height;
    uint32_t tw, th;
    bool resize = fit_size(w, h, (uint32_t)axle_opt_int_at(job, "size", 0),
                           (uint32_t)axle_opt_int_at(job, "size", 1),
                           axle_opt_bool(job, "upscale"), &tw, &th);

    /* Shrink on load to about twice the thumbnail, asked in stored
     * orientation; full size when enlarging or keeping the size. */
    uint32_t want_w = resize && tw < w ? 2 * (swap ? th : tw) : 0;
    uint32_t want_h = resize && th < h ? 2 * (swap ? tw : th) : 0;
    axle_pixels dec, up;
    int rc = axle_image_decode(img, want_w, want_h,
                               (uint64_t)axle_opt_int(job, "max_pixels"), &dec,
                               err, errlen);
    if (rc < 0)
        return rc;
    rc = axle_pixels_orient(&dec, orient, &up);
    axle_pixels_free(&dec);
    if (rc < 0) {
        snprintf(err, errlen, "cannot apply orientation %d", orient);
        return rc;
    }
    if (!resize) {
        *thumb = up; /* fits already: kept as it is, like PIL */
        return AXLE_OK;
    }
    float *f = box_resize(&up, tw, th);
    uint32_t c = up.channels;
    axle_pixels_free(&up);
    if (!f || unsharp(f, tw, th, c, axle_opt_float(job, "sharpen"),
                      axle_opt_float(job, "radius")) < 0 ||
        axle_pixels_alloc(thumb, tw, th, c) < 0) {
        free(f);
        snprintf(err, errlen, "out of memory for a %ux%u thumbnail", tw, th);
        return AXLE_ENOMEM;
    }
    to_bytes(f, thumb);
    free(f);
    return AXLE_OK;
}

/* ---- the three stages ---------------------------------------------------- */

int
prepare(axle_job *job)
{
    axle_dataset *src = axle_input_column(job, "source", axle_opt_string(job, "column"),
                                          AXLE_IMAGE);
    if (!src)
        return AXLE_EINVAL; /* the SDK has set the message */
    out = axle_writer_new(job, "default", src, NULL);
    if (!out)
        return AXLE_EINTERNAL; /* the SDK has set the message */
    out_col = axle_writer_add(out, axle_opt_string(job, "output"), AXLE_IMAGE);
    return out_col < 0 ? out_col : AXLE_OK;
}

/* A row whose image cannot be made: null, or the end of the job. */
static int
bad_row(axle_job *job, const char *name, int code, const char *why,
        struct counts *n)
{
    if (strcmp(axle_opt_string(job, "on_error"), "fail") == 0)
        return axle_error(job, code, "%s: %s", name, why);
    axle_skip(job, name, "%s", why);
    n->skipped++;
    return axle_put_null(out, out_col);
}

static int
one_row(axle_job *job, axle_cursor *images, axle_cursor *names, struct counts *n)
{
    char name[512] = "(unnamed)", err[512] = "";
    if (names && !axle_cursor_is_null(names)) {
        size_t len;
        const char *s = axle_cursor_bytes(names, &len);
        snprintf(name, sizeof name, "%.*s", (int)len, s);
    }
    if (axle_cursor_is_null(images))
        return axle_put_null(out, out_col); /* skipped upstream already */
    axle_image img;
    axle_pixels thumb;
    int rc = axle_cursor_image(images, &img);
    if (rc < 0)
        return bad_row(job, name, rc, "unreadable image cell", n);
    rc = thumbnail(job, &img, &thumb, err, sizeof err);
    if (rc < 0)
        return bad_row(job, name, rc, err, n);
    axle_image raw = axle_image_from_pixels(&thumb);
    rc = axle_put_image(out, out_col, &raw);
    axle_pixels_free(&thumb);
    n->made += rc == AXLE_OK;
    return rc;
}

int
analysis(axle_job *job, int sliceno)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    char err[512];
    axle_cursor *images = axle_cursor_open(src, axle_opt_string(job, "column"),
                                           sliceno, err, sizeof err);
    if (!images)
        return axle_error(job, AXLE_EIO, "%s", err);
    /* File names only for messages; a source without them still works. */
    axle_cursor *names = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", sliceno, err, sizeof err) : NULL;
    uint64_t total = (uint64_t)axle_dataset_rows(src, sliceno), done = 0;
    struct counts n = {0, 0};
    int rc = AXLE_OK, more = 0;
    while (rc == AXLE_OK && (more = axle_cursor_next(images)) == 1) {
        if (names && axle_cursor_next(names) != 1)
            rc = axle_error(job, AXLE_EFORMAT, "filename column ends early");
        if (rc == AXLE_OK)
            rc = one_row(job, images, names, &n);
        if (rc == AXLE_OK)
            rc = axle_writer_end_row(out);
        axle_progress(job, ++done, total);
    }
    if (rc == AXLE_OK && more < 0)
        rc = axle_error(job, AXLE_EIO, "%s", axle_cursor_error(images));
    axle_cursor_close(images);
    axle_cursor_close(names);
    if (rc == AXLE_OK) {
        char text[64];
        int len = snprintf(text, sizeof text, "%llu %llu",
                           (unsigned long long)n.made, (unsigned long long)n.skipped);
        rc = axle_set_slice_result(job, text, (size_t)len);
    }
    return rc;
}

int
synthesis(axle_job *job)
{
    struct counts all = {0, 0};
    for (int s = 0; s < axle_slices(job); s++) {
        size_t len;
        const char *r = axle_slice_result(job, s, &len);
        char text[64];
        unsigned long long made, skipped;
        if (!r || len >= sizeof text)
            continue; /* a slice that set nothing had no rows */
        memcpy(text, r, len);
        text[len] = '\0';
        if (sscanf(text, "%llu %llu", &made, &skipped) == 2) {
            all.made += made;
            all.skipped += skipped;
        }
    }
    char json[128];
    snprintf(json, sizeof json, "{\"thumbnails\": %llu, \"skipped\": %llu}",
             (unsigned long long)all.made, (unsigned long long)all.skipped);
    return axle_set_result_json(job, json);
}
