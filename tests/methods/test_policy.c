/* test_policy.c - the on_error policy as a method applies it: each slice
 * writes `rows` rows of three columns (n, label, half); every row whose n
 * is a multiple of `bad` fails after its first column is set, and goes to
 * axle_item_failed.  With skip the row must come out with n set and the
 * rest null, the item listed as skipped with its reason; with fail the
 * job must fail naming the item. */
#include <stdio.h>
#include <string.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_ON_ERROR("skip"),
    AXLE_OPTION_INT("rows", "6", 0, 1000, "rows each slice writes"),
    AXLE_OPTION_INT("bad", "3", 1, 1000, "rows whose n is a multiple of this fail"),
    AXLE_OPTION_END};

AXLE_METHOD(test_policy, "1.0", "fails some items on purpose (test method)", options, NULL);

static axle_writer *out;

int
prepare(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "n", AXLE_INT64) < 0 ||
        axle_writer_add(out, "label", AXLE_STRING) < 0 ||
        axle_writer_add(out, "half", AXLE_FLOAT64) < 0)
        return AXLE_EINTERNAL;
    return AXLE_OK;
}

static int
one_row(axle_job *job, int64_t n)
{
    char label[32];
    snprintf(label, sizeof label, "item-%lld", (long long)n);
    int rc = axle_put_int64(out, 0, n);
    if (rc != AXLE_OK)
        return rc;
    if (n % axle_opt_int(job, "bad") == 0)
        return axle_item_failed(job, out, label,
                                axle_error(job, AXLE_EFORMAT, "%s is bad on purpose", label));
    if ((rc = axle_put_string(out, 1, label, strlen(label))) != AXLE_OK ||
        (rc = axle_put_float64(out, 2, (double)n / 2)) != AXLE_OK)
        return rc;
    return axle_writer_end_row(out);
}

int
analysis(axle_job *job, int sliceno)
{
    int64_t rows = axle_opt_int(job, "rows");
    for (int64_t i = 1; i <= rows; i++) {
        int rc = one_row(job, sliceno * 100 + i);
        if (rc != AXLE_OK)
            return rc;
    }
    return AXLE_OK;
}
