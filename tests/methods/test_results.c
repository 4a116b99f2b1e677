/* test_results.c - the row reader and structured results, end to end.
 *
 * Each slice reads the source's `size` and `format` columns with
 * axle_rows, counts its images, keeps the smallest file (labelled by
 * its file name) and records `value` as a float; synthesis merges the
 * slices and builds the job's result with axle_json:
 *     {"images": N, "jpeg": J, "smallest": NAME, "value": 176.43}
 * so a test can check the run line shows 176.43 as it was written.  With
 * nan: true a slice records a NaN without checking the call: the stage
 * must fail all the same. */
#include <math.h>
#include <string.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_FLOAT("value", "176.43", 1, 0, "a float for the result"),
    AXLE_OPTION_BOOL("nan", "false", "also record a NaN, not checking the call"),
    AXLE_OPTION_END};
static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "import_images' dataset"),
    AXLE_INPUT_END};
AXLE_METHOD(test_results, "1.0", "row reader and structured results (test method)",
            options, inputs);

int
analysis(axle_job *job, int sliceno)
{
    axle_rows *r = axle_rows_open(job, "source", sliceno,
                                  (const char *[]){"size", "format", NULL});
    if (!r)
        return AXLE_EINVAL;
    int more = 0, rc = axle_result_set_float(job, "value", axle_opt_float(job, "value"));
    while (rc == AXLE_OK && (more = axle_rows_next(r)) == 1) {
        rc = axle_result_add_int(job, "images", 1);
        if (rc == AXLE_OK)
            rc = axle_result_add_int(job, "jpeg",
                                     strcmp(axle_rows_string(r, 1), "jpeg") == 0);
        if (rc == AXLE_OK)
            rc = axle_result_min(job, "smallest", (double)axle_rows_int64(r, 0),
                                 axle_rows_label(r));
    }
    axle_rows_close(r);
    if (axle_opt_bool(job, "nan"))
        axle_result_set_float(job, "bad", NAN); /* refused, unchecked */
    return rc != AXLE_OK ? rc : more < 0 ? more : AXLE_OK;
}

int
synthesis(axle_job *job)
{
    const axle_results *m = axle_slice_results_merged(job);
    if (!m)
        return AXLE_EFORMAT;
    axle_json *j = axle_json_new();
    axle_json_int(j, "images", axle_results_int(m, "images"));
    axle_json_int(j, "jpeg", axle_results_int(m, "jpeg"));
    axle_json_string(j, "smallest", axle_results_label(m, "smallest"));
    axle_json_float(j, "value", axle_results_float(m, "value"));
    return axle_json_set_result(job, j);
}
