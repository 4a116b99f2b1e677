/* test_results.c - structured slice results and the JSON builder.
 *
 * Slices are forked as the core forks them (td_fork_slices), record
 * results with axle_result_*, and synthesis reads them per slice and
 * merged.  The builder's text is compared byte for byte: floats in their
 * shortest exact form, strings escaped. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static axle_job job;

static int
setup(void **state)
{
    td_setup(state);
    td_job(&job, 1, 3);
    return 0;
}

static int
teardown(void **state)
{
    td_stage(&job, "synthesis", -1);
    axle_internal_results_close(&job);
    td_job_free(&job);
    return td_teardown(state);
}

/* ---- slices to synthesis ---- */

/* Slice s: images += 1 per row (s + 1 rows), bytes += 1000 per row, a
 * float sum, its own name as a value, a list, the darkest of its rows. */
static int
record(axle_job *j, int s, void *arg)
{
    (void)arg;
    int rc = AXLE_OK;
    for (int i = 0; i <= s && rc == AXLE_OK; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%d-%d.jpg", s, i);
        rc = axle_result_add_int(j, "images", 1);
        if (rc == AXLE_OK)
            rc = axle_result_add_int(j, "bytes", 1000);
        if (rc == AXLE_OK)
            rc = axle_result_add_float(j, "sum_r", 0.1);
        if (rc == AXLE_OK)
            rc = axle_result_append_string(j, "names", name);
        /* brightness 0.5 everywhere but 0.25 in slice 1 row 0 and
         * slice 2 row 1: the tie goes to slice 1. */
        double b = (s == 1 && i == 0) || (s == 2 && i == 1) ? 0.25 : 0.5;
        if (rc == AXLE_OK)
            rc = axle_result_min(j, "darkest", b, name);
        if (rc == AXLE_OK)
            rc = axle_result_max(j, "brightest", b, name);
    }
    if (rc == AXLE_OK)
        rc = axle_result_set_int(j, "slice", s);
    if (rc == AXLE_OK)
        rc = axle_result_set_int(j, "slice", s * 10); /* replaces */
    if (rc == AXLE_OK && s != 1)
        rc = axle_result_set_string(j, "first", s == 0 ? "zero" : "two");
    return rc;
}

static void
test_merged_over_slices(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record, NULL), 0);
    const axle_results *m = axle_slice_results_merged(&job);
    if (!m)
        print_error("# %s\n", axle_errmsg(&job));
    assert_non_null(m);
    assert_int_equal(axle_results_int(m, "images"), 1 + 2 + 3);
    assert_int_equal(axle_results_int(m, "bytes"), 6000);
    assert_true(fabs(axle_results_float(m, "sum_r") - 0.6) < 1e-12);
    assert_true(axle_results_float(m, "images") == 6.0);  /* the float getter reads ints */
    assert_int_equal(axle_results_count(m, "names"), 6);
    assert_string_equal(axle_results_string_at(m, "names", 0), "s0-0.jpg");
    assert_string_equal(axle_results_string_at(m, "names", 5), "s2-2.jpg");
    assert_null(axle_results_string_at(m, "names", 6));
    assert_true(axle_results_float(m, "darkest") == 0.25);
    assert_string_equal(axle_results_label(m, "darkest"), "s1-0.jpg");
    assert_true(axle_results_float(m, "brightest") == 0.5);
    assert_string_equal(axle_results_label(m, "brightest"), "s0-0.jpg");
    /* Set values: one per slice that set it, in slice order. */
    assert_int_equal(axle_results_count(m, "slice"), 3);
    assert_int_equal(axle_results_int(m, "slice"), 0);
    assert_int_equal(axle_results_int_at(m, "slice", 2), 20);
    assert_int_equal(axle_results_count(m, "first"), 2);
    assert_string_equal(axle_results_string_at(m, "first", 1), "two");
    /* Missing keys: a sum nobody added to is 0. */
    assert_false(axle_results_has(m, "nothing"));
    assert_int_equal(axle_results_int(m, "nothing"), 0);
    assert_int_equal(axle_results_count(m, "nothing"), 0);
    assert_null(axle_results_string(m, "nothing"));
    assert_true(axle_results_has(m, "images"));
    assert_int_equal(axle_results_count(m, "images"), 1);
    /* The wrong getter gives nothing. */
    assert_null(axle_results_string(m, "images"));
    assert_int_equal(axle_results_int(m, "sum_r"), 0);

    const axle_results *s2 = axle_slice_results(&job, 2);
    assert_non_null(s2);
    assert_int_equal(axle_results_int(s2, "images"), 3);
    assert_int_equal(axle_results_int(s2, "slice"), 20);
    assert_true(axle_results_float(s2, "darkest") == 0.25);
    assert_string_equal(axle_results_label(s2, "darkest"), "s2-1.jpg");
    assert_null(axle_slice_results(&job, 3));
    assert_has(axle_errmsg(&job), "no slice 3 (the job has 3)");
}

/* Slice 1 records nothing: its results are empty, the merge goes on. */
static int
record_some(axle_job *j, int s, void *arg)
{
    (void)arg;
    return s == 1 ? AXLE_OK : axle_result_add_int(j, "images", 5);
}

static void
test_slice_without_results(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_some, NULL), 0);
    const axle_results *one = axle_slice_results(&job, 1);
    assert_non_null(one);
    assert_false(axle_results_has(one, "images"));
    assert_int_equal(axle_results_int(axle_slice_results_merged(&job), "images"), 10);
}

/* One key, two kinds. */
static int
record_mixed(axle_job *j, int s, void *arg)
{
    (void)arg;
    if (s == 2)
        return axle_result_add_float(j, "n", 1.5);
    return axle_result_add_int(j, "n", 1);
}

static void
test_kinds_differ_between_slices(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_mixed, NULL), 0);
    assert_null(axle_slice_results_merged(&job));
    assert_has(axle_errmsg(&job), "result 'n' is an integer sum (axle_result_add_int) "
                                  "in an earlier slice but a float sum "
                                  "(axle_result_add_float) in slice 2");
}

/* Mistakes in a slice are refused one by one; the slice goes on. */
static void
test_mistakes_in_a_slice(void **state)
{
    (void)state;
    axle_job *j = &job;
    td_stage(j, "analysis", 0);
    assert_int_equal(axle_result_add_int(j, "n", 1), AXLE_OK);
    assert_int_equal(axle_result_set_string(j, "n", "x"), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_set_string: result 'n' is an integer "
                               "sum (axle_result_add_int) in this slice");
    assert_int_equal(axle_result_add_float(j, "n", 1.0), AXLE_EINVAL);
    assert_int_equal(axle_result_set_float(j, "mean", NAN), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_set_float: result 'mean' is NaN");
    assert_int_equal(axle_result_add_float(j, "sum", -INFINITY), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "is -infinity");
    assert_int_equal(axle_result_min(j, "d", NAN, "a"), AXLE_EINVAL);
    assert_int_equal(axle_result_min(j, "d2", 1.0, "\xff"), AXLE_EINVAL);
    assert_int_equal(axle_result_set_string(j, "s", "\xff"), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "not UTF-8");
    assert_int_equal(axle_result_set_string(j, "s2", NULL), AXLE_EINVAL);
    assert_int_equal(axle_result_add_int(j, "big", INT64_MAX), AXLE_OK);
    assert_int_equal(axle_result_add_int(j, "big", 1), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "overflows int64");
    assert_int_equal(axle_result_add_int(j, "", 1), AXLE_EINVAL);
    assert_int_equal(axle_result_add_int(j, "n", 2), AXLE_OK);
    /* Refused values leave no key behind: the keys are free. */
    assert_int_equal(axle_result_set_float(j, "mean", 1.5), AXLE_OK);
    assert_int_equal(axle_result_add_float(j, "sum", 1.5), AXLE_OK);
    assert_int_equal(axle_result_min(j, "d", 1.0, "a"), AXLE_OK);
    assert_int_equal(axle_result_set_string(j, "s", "x"), AXLE_OK);
    /* A method that checked none of them still fails: the first refusal
     * ends the stage. */
    assert_int_equal(axle_internal_results_close(j), AXLE_EINVAL);
    assert_string_equal(axle_errmsg(j), "a result call was refused: "
                        "axle_result_set_string: result 'n' is an integer sum "
                        "(axle_result_add_int) in this slice; use another key");
}

static void
test_only_in_analysis(void **state)
{
    (void)state;
    td_stage(&job, "prepare", -1);
    assert_int_equal(axle_result_add_int(&job, "n", 1), AXLE_EINVAL);
    assert_has(axle_errmsg(&job), "axle_result_add_int called in prepare; slices "
                                  "record results in analysis");
    job.errmsg[0] = '\0';
    assert_int_equal(axle_internal_results_close(&job), AXLE_EINVAL);
    assert_has(axle_errmsg(&job), "a result call was refused: axle_result_add_int "
                                  "called in prepare");
}

/* A damaged results file fails synthesis naming it. */
static int
record_one(axle_job *j, int s, void *arg)
{
    (void)arg;
    return axle_result_add_int(j, "n", s);
}

static void
test_damaged_results_file(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_one, NULL), 0);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/slice-1.results.json", job.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"n\": {\"sum\": \"three\"}}", f);
    fclose(f);
    assert_null(axle_slice_results_merged(&job));
    assert_has(axle_errmsg(&job), "slice-1.results.json: result 'n' is not a sum, "
                                  "list, min, max or mean; the slice's results are damaged");
}

/* ---- means ---- */

/* Slice 0: 1 and 2; slice 1: none; slice 2: 0.1 three times. */
static int
record_means(axle_job *j, int s, void *arg)
{
    (void)arg;
    int rc = AXLE_OK;
    if (s == 0) {
        rc = axle_result_mean(j, "m", 1.0);
        if (rc == AXLE_OK)
            rc = axle_result_mean(j, "m", 2.0);
    }
    for (int i = 0; s == 2 && i < 3 && rc == AXLE_OK; i++)
        rc = axle_result_mean(j, "m", 0.1);
    return rc;
}

/* Merged: the mean of every value, each slice weighed by its count (not
 * the mean of the slices' means), the sum taken in slice order, so
 * exactly what a method summing and counting itself would compute. */
static void
test_mean_weighed_by_count(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_means, NULL), 0);
    const axle_results *m = axle_slice_results_merged(&job);
    if (!m)
        print_error("# %s\n", axle_errmsg(&job));
    assert_non_null(m);
    double want = ((1.0 + 2.0) + ((0.1 + 0.1) + 0.1)) / 5.0; /* slice 0 + slice 2 */
    assert_true(axle_results_float(m, "m") == want);
    assert_int_equal(axle_results_count(m, "m"), 5);
    const axle_results *s0 = axle_slice_results(&job, 0);
    assert_true(axle_results_float(s0, "m") == 1.5);
    assert_int_equal(axle_results_count(s0, "m"), 2);
    assert_false(axle_results_has(axle_slice_results(&job, 1), "m"));
    /* nobody recorded it: 0, of 0 values */
    assert_true(axle_results_float(m, "none") == 0.0);
    assert_int_equal(axle_results_count(m, "none"), 0);
}

/* A mean is a kind of its own: mixing it with another is named. */
static void
test_mean_mistakes(void **state)
{
    (void)state;
    axle_job *j = &job;
    td_stage(j, "analysis", 0);
    assert_int_equal(axle_result_mean(j, "m", NAN), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_mean: result 'm' is NaN");
    assert_int_equal(axle_result_mean(j, "m", 2.0), AXLE_OK);
    assert_int_equal(axle_result_add_float(j, "m", 1.0), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_add_float: result 'm' is a mean "
                               "(axle_result_mean) in this slice");
    assert_int_equal(axle_result_add_int(j, "n", 1), AXLE_OK);
    assert_int_equal(axle_result_mean(j, "n", 1.0), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_mean: result 'n' is an integer sum");
    assert_int_equal(axle_result_mean(j, "huge", 1e308), AXLE_OK);
    assert_int_equal(axle_result_mean(j, "huge", 1e308), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "result 'huge' is infinity");
    td_stage(j, "prepare", -1);
    assert_int_equal(axle_result_mean(j, "m", 1.0), AXLE_EINVAL);
    assert_has(axle_errmsg(j), "axle_result_mean called in prepare");
}

static int
record_mean_or_sum(axle_job *j, int s, void *arg)
{
    (void)arg;
    return s == 1 ? axle_result_add_float(j, "m", 1.0) : axle_result_mean(j, "m", 1.0);
}

static void
test_mean_kinds_differ_between_slices(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_mean_or_sum, NULL), 0);
    assert_null(axle_slice_results_merged(&job));
    assert_has(axle_errmsg(&job), "result 'm' is a mean (axle_result_mean) in an "
                                  "earlier slice but a float sum (axle_result_add_float) "
                                  "in slice 1");
}

/* A mean of no values in a slice's file is damage, not a division by 0. */
static void
test_mean_damaged(void **state)
{
    (void)state;
    assert_int_equal(td_fork_slices(&job, record_means, NULL), 0);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/slice-2.results.json", job.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"m\": {\"mean\": 1.0, \"total\": 1.0, \"count\": 0}}", f);
    fclose(f);
    assert_null(axle_slice_results_merged(&job));
    assert_has(axle_errmsg(&job), "slice-2.results.json: result 'm' is not a sum, "
                                  "list, min, max or mean");
}

static void
test_overflow_over_slices(void **state)
{
    (void)state;
    td_stage(&job, "analysis", 0);
    assert_int_equal(axle_result_add_int(&job, "n", INT64_MAX - 1), AXLE_OK);
    assert_int_equal(axle_internal_results_close(&job), AXLE_OK);
    td_stage(&job, "analysis", 1);
    assert_int_equal(axle_result_add_int(&job, "n", 2), AXLE_OK);
    assert_int_equal(axle_internal_results_close(&job), AXLE_OK);
    td_stage(&job, "synthesis", -1);
    assert_null(axle_slice_results_merged(&job));
    assert_has(axle_errmsg(&job), "result 'n': the sum over the slices overflows int64");
}

/* ---- the JSON builder ---- */

/* The text of a builder holding one float under "v". */
static void
assert_float_text(double v, const char *want)
{
    axle_json *j = axle_json_new();
    axle_json_float(j, "v", v);
    const char *text = axle_json_text(j);
    char expect[128];
    snprintf(expect, sizeof expect, "{\"v\": %s}", want);
    if (!text || strcmp(text, expect) != 0)
        print_error("# %.17g: got %s, want %s\n", v, text ? text : "NULL", expect);
    assert_non_null(text);
    assert_string_equal(text, expect);
    axle_json_free(j);
}

static void
test_floats_shortest(void **state)
{
    (void)state;
    assert_float_text(176.43, "176.43");
    assert_float_text(0.1, "0.1");
    assert_float_text(0.1 + 0.2, "0.30000000000000004"); /* needs all 17 */
    assert_float_text(1.0 / 3.0, "0.3333333333333333");   /* 16 */
    assert_float_text(1e300, "1e300");
    assert_float_text(-0.0, "-0.0");
    assert_float_text(0.0, "0.0");
    assert_float_text(2.0, "2.0");
    assert_float_text(-1.5e-7, "-1.5e-7");
    assert_float_text(5e-324, "5e-324");
    assert_float_text(1.7976931348623157e308, "1.7976931348623157e308");
    assert_float_text(123456789012345678.0, "1.2345678901234568e17");
}

/* Every text reads back to the very same double. */
static void
test_floats_round_trip(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (!isfinite(v))
            continue;
        char text[40];
        assert_int_equal(axle_internal_format_double(text, sizeof text, v), 0);
        double back = strtod(text, NULL);
        if (memcmp(&back, &v, sizeof v) != 0)
            print_error("# %a printed as %s\n", v, text);
        assert_memory_equal(&back, &v, sizeof v);
        assert_true(strlen(text) <= 24);
    }
}

static void
test_float_refusals(void **state)
{
    (void)state;
    axle_json *j = axle_json_new();
    axle_json_int(j, "images", 3);
    axle_json_float(j, "mean", NAN);
    axle_json_int(j, "later", 1); /* ignored after the mistake */
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "mean: NaN is not a JSON number");
    td_stage(&job, "synthesis", -1);
    assert_int_equal(axle_json_set_result(&job, j), AXLE_EINVAL);
    assert_string_equal(axle_errmsg(&job), "job result: mean: NaN is not a JSON number");

    j = axle_json_new();
    axle_json_float(j, "big", INFINITY);
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "big: infinity is not a JSON number");
    axle_json_free(j);
}

static void
test_strings_escaped(void **state)
{
    (void)state;
    axle_json *j = axle_json_new();
    axle_json_string(j, "name", "say \"hi\"\\ to\nthe\ttab\x01 and é");
    axle_json_string(j, "quote\"key", "ok");
    axle_json_string(j, "none", NULL);
    assert_string_equal(axle_json_text(j),
                        "{\"name\": \"say \\\"hi\\\"\\\\ to\\nthe\\ttab\\u0001 and é\", "
                        "\"quote\\\"key\": \"ok\", \"none\": null}");
    axle_json_string(j, "bad", "\xff\xfe");
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "bad: string is not UTF-8");
    axle_json_free(j);
}

static void
test_nesting_and_mistakes(void **state)
{
    (void)state;
    axle_json *j = axle_json_new();
    axle_json_int(j, "images", 2);
    axle_json_begin_list(j, "sizes");
    axle_json_int(j, NULL, 640);
    axle_json_float(j, NULL, 0.5);
    axle_json_begin_object(j, NULL);
    axle_json_bool(j, "ok", true);
    axle_json_null(j, "gone");
    axle_json_end(j);
    axle_json_end(j);
    axle_json_begin_object(j, "empty");
    axle_json_end(j);
    assert_string_equal(axle_json_text(j), "{\"images\": 2, \"sizes\": [640, 0.5, "
                                           "{\"ok\": true, \"gone\": null}], \"empty\": {}}");
    axle_json_free(j);

    j = axle_json_new();
    axle_json_int(j, "a", 1);
    axle_json_int(j, "a", 2);
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "a: key given twice");
    axle_json_free(j);

    j = axle_json_new();
    axle_json_begin_list(j, "l");
    axle_json_int(j, "k", 1);
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "k: a value in a list takes no key (NULL)");
    axle_json_free(j);

    j = axle_json_new();
    axle_json_int(j, NULL, 1);
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "a value in an object needs a key, got NULL");
    axle_json_free(j);

    j = axle_json_new();
    axle_json_begin_list(j, "open");
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "1 list or object still open: close "
                                            "with axle_json_end");
    axle_json_free(j);

    j = axle_json_new();
    axle_json_end(j);
    assert_null(axle_json_text(j));
    assert_string_equal(axle_json_error(j), "axle_json_end without an open list or object");
    axle_json_free(j);
}

/* The result file holds the builder's text as it is. */
static void
test_set_result(void **state)
{
    (void)state;
    td_stage(&job, "synthesis", -1);
    axle_json *j = axle_json_new();
    axle_json_int(j, "images", 3);
    axle_json_float(j, "mean_r", 176.43);
    axle_json_string(j, "darkest", "dark.jpg");
    assert_int_equal(axle_json_set_result(&job, j), AXLE_OK);
    char path[PATH_MAX], text[256] = "";
    snprintf(path, sizeof path, "%s/result.json", job.dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_string_equal(text, "{\"images\": 3, \"mean_r\": 176.43, \"darkest\": \"dark.jpg\"}");
}

/* The core's printing: jansson's layout, shortest reals. */
static void
test_dumps_like_jansson(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:i, s:[s, b, n, {}], s:{s:s}, s:[]}", "z", 1, "a", "t\"\n\x1f",
                          1, "m", "k", "v", "e");
    const size_t flags[] = {0, JSON_COMPACT, JSON_INDENT(2), JSON_INDENT(3) | JSON_COMPACT,
                            JSON_SORT_KEYS, JSON_COMPACT | JSON_SORT_KEYS};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        char *want = json_dumps(v, flags[i]), *got = axle_internal_json_dumps(v, flags[i]);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    json_decref(v);
    v = json_pack("{s:f, s:[f]}", "mean", 176.43, "l", 0.1);
    char *got = axle_internal_json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(got, "{\"l\":[0.1],\"mean\":176.43}");
    free(got);
    json_decref(v);
    v = json_real(1e300);
    got = axle_internal_json_dumps(v, 0);
    assert_string_equal(got, "1e300");
    free(got);
    json_decref(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merged_over_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slice_without_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinds_differ_between_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mistakes_in_a_slice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_in_analysis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_results_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overflow_over_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mean_weighed_by_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mean_mistakes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mean_kinds_differ_between_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mean_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_floats_shortest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_floats_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_float_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_escaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nesting_and_mistakes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dumps_like_jansson, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
