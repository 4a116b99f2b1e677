/* test_counter.c - a method that leaves a trace of every stage it runs,
 * so tests can prove that a reused job runs no method code at all.
 * Each stage appends a line to the file named by `counter`; each slice
 * writes `value` rows into the dataset "default". */
#include <stdio.h>

#include "axle/axle.h"

static const axle_option options[] = {
    /* A string, not a path option: the files of path options are inputs
     * and enter identity, and this file changes on every run. */
    AXLE_OPTION_STRING("counter", NULL, "file each stage appends a line to"),
    AXLE_OPTION_INT("value", "5", 0, 1000, "rows each slice writes"),
    AXLE_OPTION_STRING("label", "x", "free text, part of identity"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", false, "optional upstream dataset"),
    AXLE_INPUT_END};

AXLE_METHOD(test_counter, "1.0", "counts its own runs (test method)", options, inputs);

static int
bump(axle_job *job, const char *what)
{
    FILE *f = fopen(axle_opt_string(job, "counter"), "a");
    if (!f)
        return axle_error(job, AXLE_EIO, "cannot open %s", axle_opt_string(job, "counter"));
    fprintf(f, "%s %s\n", axle_job_id(job), what);
    fclose(f);
    return AXLE_OK;
}

static axle_writer *out;

int
prepare(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "n", AXLE_INT64) < 0)
        return AXLE_EINTERNAL;
    printf("prepare says hello\n");
    return bump(job, "prepare");
}

int
analysis(axle_job *job, int sliceno)
{
    int64_t value = axle_opt_int(job, "value");
    for (int64_t i = 0; i < value; i++) {
        if (axle_put_int64(out, 0, sliceno * 1000 + i) < 0 || axle_writer_end_row(out) < 0)
            return AXLE_EINTERNAL;
        axle_progress(job, (uint64_t)i + 1, (uint64_t)value);
    }
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%d", sliceno);
    axle_set_slice_result(job, buf, (size_t)len);
    char what[32];
    snprintf(what, sizeof what, "analysis %d", sliceno);
    return bump(job, what);
}

int
synthesis(axle_job *job)
{
    char json[256];
    int sum = 0;
    for (int s = 0; s < axle_slices(job); s++) {
        size_t len;
        const char *r = axle_slice_result(job, s, &len);
        if (r)
            sum += s;
    }
    axle_dataset *src = axle_input_dataset(job, "source");
    snprintf(json, sizeof json, "{\"value\": %lld, \"slice_sum\": %d, \"source_rows\": %lld}",
             (long long)axle_opt_int(job, "value"), sum,
             src ? (long long)axle_dataset_rows(src, -1) : -1LL);
    axle_set_result_json(job, json);
    return bump(job, "synthesis");
}
