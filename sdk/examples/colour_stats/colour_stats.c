/* colour_stats.c - the mean colour of each image, and the darkest image.
 *
 * On a dataset from import_images, adds four float64 columns: mean_r,
 * mean_g, mean_b (0-255; a grey image has R = G = B; alpha is left out)
 * and brightness, their luma as Pillow's convert("L") weighs it (ITU-R
 * 601: 0.299 R + 0.587 G + 0.114 B).  They are measured on a copy that
 * fits in 64 x 64 pixels: decoded small, resized, EXIF orientation
 * applied, as Pillow's thumbnail((64, 64)) makes it.  The job's result
 * names the darkest image: {"darkest": "night.jpg", "brightness": 12.5}.
 *
 *   make run      imports axle's sample images and measures them
 *   axle ds colour_stats --column brightness
 *
 * Each slice measures its own rows; the darkest is an axle_result_min,
 * which the SDK merges over the slices for synthesis. */
#include <axle/axle.h>

/* on_error: an image that cannot be decoded is skipped (its row null) or fails the job. */
static const axle_option options[] = {AXLE_OPTION_ON_ERROR("skip"), AXLE_OPTION_END};
static const axle_input inputs[] = {AXLE_INPUT_DATASET("source", true, "images"), AXLE_INPUT_END};
AXLE_METHOD(colour_stats, "1.0", "mean colour of each image, and the darkest", options, inputs);

static const axle_geometry size = {.width = 64, .height = 64}; /* fit inside, aspect kept */
static axle_writer *out; /* made in prepare, inherited by every slice */

int
prepare(axle_job *job)
{
    const char *columns[] = {"mean_r", "mean_g", "mean_b", "brightness"};
    axle_dataset *src = axle_input_column(job, "source", "image", AXLE_IMAGE);
    out = src ? axle_writer_new(job, "default", src, NULL) : NULL; /* adds to src */
    for (int c = 0; out && c < 4; c++)
        if (axle_writer_add(out, columns[c], AXLE_FLOAT64) < 0)
            return AXLE_EINVAL;
    return out ? AXLE_OK : AXLE_EINVAL; /* the SDK has set the message */
}

/* One row: its four values, or what on_error says for an image that
 * cannot be decoded (skip: listed, its row null; fail: the job fails). */
static int
measure(axle_job *job, axle_rows *r)
{
    axle_pixels px;
    double sum[3] = {0, 0, 0};
    if (axle_rows_is_null(r, 0))
        return axle_writer_null_row(out); /* skipped by an earlier step */
    /* RGB whatever the image: grey as R = G = B, alpha dropped */
    int rc = axle_rows_image_to_size(r, 0, &size, 0, AXLE_TO_RGB, &px);
    if (rc != AXLE_OK) /* the SDK has set the reason; on_error decides */
        return axle_item_failed(job, out, axle_rows_label(r), rc);
    for (uint32_t y = 0; y < px.height; y++)
        for (uint32_t x = 0; x < px.width * 3; x++)
            sum[x % 3] += px.data[y * px.stride + x];
    double n = (double)px.width * px.height;
    double luma = (0.299 * sum[0] + 0.587 * sum[1] + 0.114 * sum[2]) / n; /* of the means */
    axle_pixels_free(&px);
    for (int c = 0; c < 4; c++)
        axle_put_float64(out, c, c < 3 ? sum[c] / n : luma);
    axle_result_min(job, "darkest", luma, axle_rows_label(r)); /* the label: its file name */
    return axle_writer_end_row(out); /* fails, saying so, if a column was not set */
}

int
analysis(axle_job *job, int sliceno)
{
    axle_rows *r = axle_rows_open(job, "source", sliceno, (const char *[]){"image", NULL});
    int rc = r ? AXLE_OK : AXLE_EINVAL; /* NULL: the SDK has set the message */
    /* axle_rows_next: 1 a row, 0 the end, < 0 an error with its message set */
    while (rc == AXLE_OK && (rc = axle_rows_next(r)) == 1 && (rc = measure(job, r)) == AXLE_OK)
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
    axle_json_string(j, "darkest", axle_results_label(all, "darkest")); /* none: null */
    axle_json_float(j, "brightness", axle_results_float(all, "darkest"));
    return axle_json_set_result(job, j);
}
