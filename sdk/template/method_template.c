/* method_template.c - copy me: a complete axle method in one file.
 *
 * What it does: for every image of a source dataset, the mean brightness
 * (0-255, colour channels, alpha ignored) of a small copy, as a new
 * float64 column on that dataset, and the mean over all images as the
 * job's result.  Small, but it has every part a real method has: options,
 * an input, a column on a parent dataset, slices, bad items handled by
 * the on_error policy, results merged over the slices, a JSON result.
 *
 * `axle new my_method` copies this folder with the name replaced: `make`
 * builds my_method.so, `make run` runs my_method.yaml on sample images,
 * `axle methods ./my_method.so` shows what axle sees.  The name in
 * AXLE_METHOD() must be the file name without ".so".
 *
 * The lifecycle (sdk/README.md says more):
 *   prepare(job)            once, in the job process, before the slices;
 *   analysis(job, sliceno)  in N forked processes at once, one per slice,
 *                           each a copy of the job process after prepare;
 *   synthesis(job)          once, after every slice has succeeded.
 * Each returns AXLE_OK or a negative AXLE_E* code with its message set
 * (by axle_error, or by the SDK call that failed).  Never exit(). */
#include <axle/axle.h>

/* Checked against the pipeline before any job runs; defaults are YAML
 * text.  AXLE_OPTION_ON_ERROR is the standard `on_error: skip|fail`. */
static const axle_option options[] = {
    AXLE_OPTION_INT("preview", "64", 8, 4096, "measure a copy this many pixels across at most"),
    AXLE_OPTION_ON_ERROR("skip"), AXLE_OPTION_END};

/* A pipeline binds it with `datasets: {source: STEP}`. */
static const axle_input inputs[] = {AXLE_INPUT_DATASET("source", true, "images"), AXLE_INPUT_END};

AXLE_METHOD(method_template, "1.0", "mean brightness of each image (template)", options, inputs);

/* Made in prepare, inherited by every slice through fork. */
static axle_writer *out;       /* each slice writes its own part */
static axle_geometry size;     /* the copy measured: fits in preview x preview */

int
prepare(axle_job *job)
{
    size.width = size.height = (uint32_t)axle_opt_int(job, "preview");
    /* "default" extends the source: its columns linked, plus ours (column
     * 0); so it needs a row for every source row, null where none fits. */
    axle_dataset *src = axle_input_column(job, "source", "image", AXLE_IMAGE);
    out = src ? axle_writer_new(job, "default", src, NULL) : NULL;
    if (!out || axle_writer_add(out, "brightness", AXLE_FLOAT64) < 0)
        return AXLE_EINVAL; /* the SDK has set the message */
    return AXLE_OK;
}

/* One row: the mean of the colour channels of a small RGB copy (decoded
 * small, resized, EXIF orientation applied, grey made R = G = B, alpha
 * dropped), or what on_error says for an image that cannot be decoded
 * (skip: listed, its row null; fail: the job fails naming the file). */
static int
one_row(axle_job *job, axle_rows *r)
{
    axle_pixels px;
    if (axle_rows_is_null(r, 0))
        return axle_writer_null_row(out); /* skipped by an earlier step */
    int rc = axle_rows_image_to_size(r, 0, &size, 0, AXLE_TO_RGB, &px);
    if (rc != AXLE_OK) /* the SDK has set the reason; on_error decides */
        return axle_item_failed(job, out, axle_rows_label(r), rc);
    double sum = 0;
    for (uint32_t y = 0; y < px.height; y++)
        for (uint32_t x = 0; x < px.width * 3; x++)
            sum += px.data[y * px.stride + x];
    double brightness = sum / ((double)px.width * px.height * 3);
    axle_pixels_free(&px);
    axle_result_mean(job, "brightness", brightness); /* merged over the slices */
    axle_put_float64(out, 0, brightness);
    return axle_writer_end_row(out); /* fails, saying so, if a column is not set */
}

int
analysis(axle_job *job, int sliceno)
{
    axle_rows *r = axle_rows_open(job, "source", sliceno, (const char *[]){"image", NULL});
    int rc = r ? AXLE_OK : AXLE_EINVAL; /* NULL: the SDK has set the message */
    /* axle_rows_next: 1 a row, 0 the end, < 0 an error with its message set */
    while (rc == AXLE_OK && (rc = axle_rows_next(r)) == 1 && (rc = one_row(job, r)) == AXLE_OK)
        axle_progress(job, (uint64_t)axle_rows_done(r), (uint64_t)axle_rows_total(r));
    axle_rows_close(r);
    return rc;
}

int
synthesis(axle_job *job)
{
    const axle_results *all = axle_slice_results_merged(job);
    if (!all)
        return AXLE_EFORMAT; /* the SDK has set the message */
    axle_json *j = axle_json_new();
    /* a mean's count: how many values it averages (none: 0, and mean 0) */
    axle_json_int(j, "images", (int64_t)axle_results_count(all, "brightness"));
    axle_json_float(j, "mean_brightness", axle_results_float(all, "brightness"));
    return axle_json_set_result(job, j); /* `axle job` prints it */
}
