/* method_template.c - copy me: a complete axle method in one file.
 *
 * What it does: for every image of a source dataset, the mean brightness
 * (0-255) of a small preview, as a new float64 column on that dataset, and
 * the overall mean as the job's result.  Small, but it has every part a
 * real method has: options, an input, a column written on a parent
 * dataset, parallel work over slices, bad items skipped, a result.
 *
 * To start your own method:
 *   1. cp method_template.c my_method.c; in the Makefile, replace
 *      method_template by my_method;
 *   2. write AXLE_METHOD(my_method, ...) below: the name must be the file
 *      name without ".so", or axle refuses to load it;
 *   3. make; then in a pipeline `method: my_method` with
 *      AXLE_METHOD_PATH=$PWD, or `method: ./path/to/my_method.so`;
 *      `axle methods my_method` shows what axle sees.
 *
 * The lifecycle (sdk/README.md says more):
 *   prepare(job)            once, in the job process, before the slices;
 *   analysis(job, sliceno)  in N forked processes at once, one per slice,
 *                           each a copy of the job process after prepare;
 *   synthesis(job)          once, after every slice has succeeded.
 * Each returns AXLE_OK or a negative AXLE_E* code with a message set by
 * axle_error().  Never exit(), abort() or longjmp() out of them. */
#include <stdio.h>
#include <string.h>

#include <axle/axle.h>

/* Options: the core checks the pipeline's values against these before any
 * job runs (type, range, choices) and fills in the defaults, which are
 * written as YAML text.  A NULL default makes the option required. */
static const axle_option options[] = {
    AXLE_OPTION_STRING("column", "image", "image column to read"),
    AXLE_OPTION_STRING("output", "brightness", "name of the new column"),
    AXLE_OPTION_INT("preview", "64", 8, 4096,
                    "decode at least this many pixels across (smaller is faster)"),
    AXLE_OPTION_ENUM("on_error", "skip", "skip|fail",
                     "an image that cannot be decoded: skip it or fail the job"),
    AXLE_OPTION_END};

/* Inputs: a pipeline binds them with `datasets: {source: STEP}`. */
static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "dataset with an image column"),
    AXLE_INPUT_END};

/* The descriptor: name (= file name), your version, a one-line summary. */
AXLE_METHOD(method_template, "1.0", "mean brightness of each image (template)",
            options, inputs);

/* State made in prepare is inherited by every slice through fork: the
 * writer below is created once and each slice writes its own part. */
static axle_writer *out;
static int out_col;

int
prepare(axle_job *job)
{
    /* The input dataset, checked to hold the image column we read. */
    axle_dataset *src = axle_input_column(job, "source", axle_opt_string(job, "column"),
                                          AXLE_IMAGE);
    if (!src)
        return AXLE_EINVAL; /* axle_input_column has set the message */

    /* A dataset of this job named "default" (what `datasets: {x: STEP}`
     * binds) whose parent is the source: it has the source's columns,
     * linked, not copied, plus the ones added here.  It must have the
     * same rows per slice, so every source row gets a value or a null. */
    out = axle_writer_new(job, "default", src, NULL);
    if (!out)
        return AXLE_EINVAL; /* the SDK has set the message */
    out_col = axle_writer_add(out, axle_opt_string(job, "output"), AXLE_FLOAT64);
    return out_col < 0 ? out_col : AXLE_OK;
}

/* Mean of the colour channels over all pixels (alpha ignored). */
static double
mean_brightness(const axle_pixels *px)
{
    uint32_t colour = px->channels == 2 || px->channels == 4 ? px->channels - 1
                                                             : px->channels;
    double sum = 0;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint8_t *row = px->data + y * px->stride;
        for (uint32_t x = 0; x < px->width; x++)
            for (uint32_t c = 0; c < colour; c++)
                sum += row[x * px->channels + c];
    }
    return sum / ((double)px->width * px->height * colour);
}

/* One row: a value, or a null for an image that cannot be decoded.
 * `name` says which file the row came from, for messages. */
static int
one_row(axle_job *job, axle_cursor *cur, const char *name, double *sum, long *made)
{
    if (axle_cursor_is_null(cur)) /* a row an earlier method skipped */
        return axle_put_null(out, out_col);
    axle_image img;
    axle_pixels px;
    char err[256];
    int rc = axle_cursor_image(cur, &img);
    if (rc == AXLE_OK) {
        /* Shrink-on-load: the decoder picks the smallest reduced scale
         * that still covers the size asked for. */
        uint32_t want = (uint32_t)axle_opt_int(job, "preview");
        rc = axle_image_decode(&img, want, want, 0, &px, err, sizeof err);
    } else {
        snprintf(err, sizeof err, "not an image cell");
    }
    if (rc < 0) {
        if (strcmp(axle_opt_string(job, "on_error"), "fail") == 0)
            return axle_error(job, rc, "%s: %s", name, err);
        axle_skip(job, name, "%s", err); /* listed in the job's result */
        return axle_put_null(out, out_col);
    }
    double b = mean_brightness(&px);
    axle_pixels_free(&px);
    *sum += b;
    (*made)++;
    return axle_put_float64(out, out_col, b);
}

/* The current row's file name, or "row N of slice S" without one. */
static void
row_name(axle_cursor *names, uint64_t row, int sliceno, char *buf, size_t len)
{
    size_t n;
    const char *s = names && !axle_cursor_is_null(names) ? axle_cursor_bytes(names, &n) : NULL;
    if (s)
        snprintf(buf, len, "%.*s", (int)n, s);
    else
        snprintf(buf, len, "row %llu of slice %d", (unsigned long long)row, sliceno);
}

int
analysis(axle_job *job, int sliceno)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    char err[256];
    /* A cursor reads one column of this slice; two cursors walk two
     * columns of the same rows in step. */
    axle_cursor *cur = axle_cursor_open(src, axle_opt_string(job, "column"),
                                        sliceno, err, sizeof err);
    if (!cur)
        return axle_error(job, AXLE_EIO, "%s", err);
    axle_cursor *names = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", sliceno, err, sizeof err) : NULL;
    uint64_t total = (uint64_t)axle_dataset_rows(src, sliceno), done = 0;
    double sum = 0;
    long made = 0;
    int rc = AXLE_OK, more = 0;
    while (rc == AXLE_OK && (more = axle_cursor_next(cur)) == 1) {
        char name[512];
        if (names && axle_cursor_next(names) != 1)
            rc = axle_error(job, AXLE_EFORMAT, "filename column ends early");
        row_name(names, done, sliceno, name, sizeof name);
        if (rc == AXLE_OK)
            rc = one_row(job, cur, name, &sum, &made);
        if (rc == AXLE_OK)
            rc = axle_writer_end_row(out); /* every column set: next row */
        axle_progress(job, ++done, total); /* cheap; call it per item */
    }
    if (rc == AXLE_OK && more < 0)
        rc = axle_error(job, AXLE_EIO, "%s", axle_cursor_error(cur));
    axle_cursor_close(cur);
    axle_cursor_close(names);
    if (rc < 0)
        return rc;

    /* To synthesis: bytes, never pointers (a slice may run elsewhere). */
    char res[64];
    int len = snprintf(res, sizeof res, "%ld %.17g", made, sum);
    return axle_set_slice_result(job, res, (size_t)len);
}

int
synthesis(axle_job *job)
{
    long images = 0;
    double sum = 0;
    for (int s = 0; s < axle_slices(job); s++) {
        size_t len;
        const char *r = axle_slice_result(job, s, &len);
        char text[64];
        long n;
        double x;
        if (!r || len >= sizeof text)
            continue;
        memcpy(text, r, len);
        text[len] = '\0';
        if (sscanf(text, "%ld %lf", &n, &x) != 2)
            return axle_error(job, AXLE_EFORMAT, "slice %d sent '%s'", s, text);
        images += n;
        sum += x;
    }
    char json[128];
    snprintf(json, sizeof json, "{\"images\": %ld, \"mean_brightness\": %.1f}",
             images, images ? sum / (double)images : 0.0);
    axle_log(job, "%ld images", images); /* a line on stderr, kept in log/ */
    return axle_set_result_json(job, json); /* `axle job` prints it */
}
