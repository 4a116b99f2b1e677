/* test_rows.c - axle_rows: several columns read together, row by row.
 *
 * The fixture is a finished dataset over 2 slices (job 1) with columns
 * filename (string), n (int64), x (float64), ok (bool), meta (json) and
 * img (raw images): 3 rows in slice 0, 2 in slice 1, with nulls.  Job 2
 * holds a dataset chained after it (previous) and one without a
 * filename column. */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static axle_job job, job2;

/* Slice 0: a.jpg, (null name), abc.jpg; slice 1: "dir/b c.jpg", "ab".
 * Names of different lengths side by side: a reader that did not end a
 * string with a NUL would show the next cell's bytes after a short one. */
static const char *const names[2][3] = {{"a.jpg", NULL, "abc.jpg"}, {"dir/b c.jpg", "ab", NULL}};
static const int rows_in[2] = {3, 2};
static const unsigned char px[2 * 1 * 3] = {10, 20, 30, 40, 50, 60};

static void
write_row(axle_writer *w, int s, int i)
{
    const char *name = names[s][i];
    int64_t n = s * 100 + i;
    if (name)
        assert_int_equal(axle_put_string(w, 0, name, strlen(name)), AXLE_OK);
    else
        assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    if (i == 1)
        assert_int_equal(axle_put_null(w, 1), AXLE_OK); /* every row 1: n null */
    else
        assert_int_equal(axle_put_int64(w, 1, n), AXLE_OK);
    assert_int_equal(axle_put_float64(w, 2, (double)n + 0.5), AXLE_OK);
    assert_int_equal(axle_put_bool(w, 3, i % 2 == 0), AXLE_OK);
    assert_int_equal(axle_put_json(w, 4, i == 0 ? "[2, 1]" : "{}"), AXLE_OK);
    axle_image img = {AXLE_CODEC_RAW, 2, 1, 3, 1, px, sizeof px};
    assert_int_equal(axle_put_image(w, 5, &img), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
}

static void
make_source(void)
{
    td_job(&job, 1, 2);
    axle_writer *w = axle_writer_new(&job, "default", NULL, NULL);
    static const char *const cols[] = {"filename", "n", "x", "ok", "meta", "img"};
    static const axle_type types[] = {AXLE_STRING, AXLE_INT64, AXLE_FLOAT64,
                                      AXLE_BOOL, AXLE_JSON, AXLE_IMAGE};
    for (int c = 0; c < 6; c++)
        assert_int_equal(axle_writer_add(w, cols[c], types[c]), c);
    for (int s = 0; s < 2; s++) {
        td_stage(&job, "analysis", s);
        for (int i = 0; i < rows_in[s]; i++)
            write_row(w, s, i);
        td_end_stage(&job);
    }
    td_finish_ok(&job);
}

/* Job 2: "newer" chained after job 1's default (one row per slice, n =
 * 7 and 8), and "plain" with only an int64 column v (one row in slice 1). */
static void
make_chain(void)
{
    td_job(&job2, 2, 2);
    axle_dataset *old = td_open(&job, "default");
    axle_writer *w = axle_writer_new(&job2, "newer", NULL, old);
    assert_non_null(w);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 0);
    axle_writer *p = axle_writer_new(&job2, "plain", NULL, NULL);
    assert_int_equal(axle_writer_add(p, "v", AXLE_INT64), 0);
    for (int s = 0; s < 2; s++) {
        td_stage(&job2, "analysis", s);
        assert_int_equal(axle_put_int64(w, 0, 7 + s), AXLE_OK);
        assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        if (s == 1) {
            assert_int_equal(axle_put_int64(p, 0, 42), AXLE_OK);
            assert_int_equal(axle_writer_end_row(p), AXLE_OK);
        }
        td_end_stage(&job2);
    }
    td_finish_ok(&job2);
    axle_dataset_close(old);
}

static int
setup(void **state)
{
    td_setup(state);
    make_source();
    make_chain();
    td_stage(&job2, "analysis", 0);
    axle_internal_current = &job2;
    return 0;
}

static int
teardown(void **state)
{
    td_job_free(&job2);
    td_job_free(&job);
    return td_teardown(state);
}

static axle_rows *
open_rows(axle_dataset *ds, int sliceno, const char *const *cols, unsigned flags)
{
    axle_rows *r = axle_rows_open_dataset(&job2, ds, sliceno, cols, flags);
    if (!r)
        print_error("# %s\n", axle_errmsg(&job2));
    assert_non_null(r);
    return r;
}

/* ---- several columns ---- */

static void
test_columns_of_one_slice(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, 0, (const char *[]){"n", "x", "ok", "meta", "img", NULL}, 0);
    assert_int_equal(axle_rows_total(r), 3);
    int64_t want_n[] = {0, 0, 2};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(axle_rows_next(r), 1);
        assert_int_equal(axle_rows_slice(r), 0);
        assert_int_equal(axle_rows_index(r), i);
        assert_int_equal(axle_rows_done(r), i + 1);
        assert_int_equal(axle_rows_int64(r, 0), want_n[i]);
        assert_true(axle_rows_float64(r, 1) == (double)i + 0.5);
        assert_int_equal(axle_rows_bool(r, 2), i % 2 == 0);
        assert_string_equal(axle_rows_string(r, 3), i == 0 ? "[2, 1]" : "{}");
        axle_image img;
        assert_int_equal(axle_rows_image(r, 4, &img), AXLE_OK);
        assert_int_equal(img.codec, AXLE_CODEC_RAW);
        assert_int_equal(img.width, 2);
        assert_int_equal(img.size, sizeof px);
        assert_memory_equal(img.data, px, sizeof px);
    }
    assert_int_equal(axle_rows_next(r), 0);
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* Strings come NUL-terminated, each exactly its cell, across slices. */
static void
test_strings_are_terminated(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, -1, (const char *[]){"filename", "meta", NULL}, 0);
    assert_int_equal(axle_rows_total(r), 5);
    for (int s = 0; s < 2; s++) {
        for (int i = 0; i < rows_in[s]; i++) {
            assert_int_equal(axle_rows_next(r), 1);
            assert_int_equal(axle_rows_slice(r), s);
            assert_int_equal(axle_rows_index(r), i);
            const char *want = names[s][i];
            const char *got = axle_rows_string(r, 0);
            if (want) {
                assert_non_null(got);
                assert_int_equal(strlen(got), strlen(want));
                assert_string_equal(got, want);
                size_t len;
                const char *raw = axle_rows_bytes(r, 0, &len);
                assert_int_equal(len, strlen(want));
                assert_memory_equal(raw, want, len);
            } else {
                assert_null(got);
                assert_true(axle_rows_is_null(r, 0));
            }
            /* Asked twice: the same text. */
            assert_true(axle_rows_string(r, 0) == got);
        }
    }
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

static void
test_nulls_are_visible(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, 1, (const char *[]){"n", "filename", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    assert_false(axle_rows_is_null(r, 0));
    assert_int_equal(axle_rows_int64(r, 0), 100);
    assert_int_equal(axle_rows_next(r), 1);
    assert_true(axle_rows_is_null(r, 0)); /* row 1: n null */
    assert_int_equal(axle_rows_int64(r, 0), 0);
    assert_false(axle_rows_is_null(r, 1));
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* ---- labels ---- */

static void
test_label_is_the_file_name(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    /* filename not asked for: read for the label all the same. */
    axle_rows *r = open_rows(ds, -1, (const char *[]){"n", NULL}, 0);
    const char *want[] = {"a.jpg", "row 2 of slice 0", "abc.jpg", "dir/b c.jpg", "ab"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(axle_rows_next(r), 1);
        assert_string_equal(axle_rows_label(r), want[i]);
    }
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

static void
test_label_without_file_names(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "plain");
    axle_rows *r = open_rows(ds, -1, (const char *[]){"v", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    assert_string_equal(axle_rows_label(r), "row 1 of slice 1");
    assert_int_equal(axle_rows_int64(r, 0), 42);
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* ---- chains ---- */

static void
test_chain_oldest_first(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "newer");
    axle_rows *r = open_rows(ds, 1, (const char *[]){"n", NULL}, AXLE_ROWS_CHAIN);
    assert_int_equal(axle_rows_total(r), 3);
    /* job 1's slice 1 (n 100, null), then job 2's (n 8). */
    assert_int_equal(axle_rows_next(r), 1);
    assert_int_equal(axle_rows_int64(r, 0), 100);
    assert_string_equal(axle_rows_label(r), "dir/b c.jpg");
    assert_int_equal(axle_rows_next(r), 1);
    assert_true(axle_rows_is_null(r, 0));
    assert_int_equal(axle_rows_next(r), 1);
    assert_int_equal(axle_rows_int64(r, 0), 8);
    assert_int_equal(axle_rows_index(r), 0);
    assert_string_equal(axle_rows_label(r), "row 1 of slice 1");
    assert_int_equal(axle_rows_next(r), 0);
    axle_rows_close(r);

    /* Without the flag: the dataset alone. */
    r = open_rows(ds, -1, (const char *[]){"n", NULL}, 0);
    assert_int_equal(axle_rows_total(r), 2);
    assert_int_equal(axle_rows_next(r), 1);
    assert_int_equal(axle_rows_int64(r, 0), 7);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* A row of an earlier dataset without a file name says which dataset. */
static void
test_chain_label_names_the_dataset(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "newer");
    axle_rows *r = open_rows(ds, 0, (const char *[]){"x", NULL}, AXLE_ROWS_CHAIN);
    assert_int_equal(axle_rows_next(r), 1);
    assert_int_equal(axle_rows_next(r), 1); /* job 1's row 2 of slice 0: no name */
    assert_string_equal(axle_rows_label(r), "row 2 of slice 0 of axle-work-1/ds/default");
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* ---- mistakes and damage ---- */

static void
test_missing_column(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    assert_null(axle_rows_open_dataset(&job2, ds, 0, (const char *[]){"n", "name", NULL}, 0));
    assert_has(axle_errmsg(&job2), "has no column 'name' (its columns: filename, n, x");
    assert_null(axle_rows_open_dataset(&job2, ds, 0, (const char *[]){NULL}, 0));
    assert_has(axle_errmsg(&job2), "no columns asked for");
    assert_null(axle_rows_open_dataset(&job2, ds, 5, (const char *[]){"n", NULL}, 0));
    assert_has(axle_errmsg(&job2), "has no slice 5 (it has 2)");
    axle_dataset_close(ds);
}

/* A getter of another type gives 0 and fails the next step, naming the
 * getter that fits. */
static void
test_wrong_getter_fails_next(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, 0, (const char *[]){"n", "filename", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    assert_null(axle_rows_string(r, 0));
    assert_int_equal(axle_rows_int64(r, 1), 0);
    assert_int_equal(axle_rows_next(r), AXLE_EINVAL);
    assert_has(axle_errmsg(&job2), "axle_rows_string on column 'n', which is int64: "
                                   "read it with axle_rows_int64");
    axle_rows_close(r);

    r = open_rows(ds, 0, (const char *[]){"n", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    assert_int_equal(axle_rows_int64(r, 3), 0);
    assert_int_equal(axle_rows_next(r), AXLE_EINVAL);
    assert_has(axle_errmsg(&job2), "axle_rows_int64: column 3 out of range (1 asked for");
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* A string cell whose length claims 2 MB in a file of a few bytes: the
 * error names the column file and the offset. */
static void
test_damaged_column(void **state)
{
    (void)state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/ds/default/0-filename.0", job.dir);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    const uint8_t big[3] = {0x81, 0x89, 0x7a};
    assert_int_equal(pwrite(fd, big, 3, 6), 3); /* row 1 starts at 6 */
    close(fd);
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, 0, (const char *[]){"n", "filename", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    assert_string_equal(axle_rows_string(r, 1), "a.jpg");
    assert_int_equal(axle_rows_next(r), AXLE_EIO);
    assert_has(axle_errmsg(&job2), "/ds/default/0-filename.0: offset 6: cell claims "
                                   "2000000 bytes");
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* ---- an input of the job ---- */

static void
test_open_by_input(void **state)
{
    (void)state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/ds/default", job.dir);
    job2.inputs = json_pack("{s:s}", "source", path);
    axle_rows *r = axle_rows_open(&job2, "source", 1, (const char *[]){"filename", NULL});
    assert_non_null(r);
    assert_int_equal(axle_rows_next(r), 1);
    assert_string_equal(axle_rows_string(r, 0), "dir/b c.jpg");
    axle_rows_close(r);
    assert_null(axle_rows_open(&job2, "other", 1, (const char *[]){"filename", NULL}));
    assert_has(axle_errmsg(&job2), "no dataset bound to input 'other'");
    assert_null(axle_rows_open(&job2, "source", 1, (const char *[]){"size", NULL}));
    assert_has(axle_errmsg(&job2), "input 'source': dataset ");
    assert_has(axle_errmsg(&job2), "has no column 'size'");
    /* job2.opened keeps the input open for the job's life, as in a job. */
    json_decref(job2.inputs);
    job2.inputs = NULL;
}

/* ---- an image cell to a size ---- */

/* The cell's pixels in one call; the reason of a refusal is the job's
 * message, for axle_item_failed; the wrong column is a misuse. */
static void
test_image_to_size(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job, "default");
    axle_rows *r = open_rows(ds, 0, (const char *[]){"img", "filename", NULL}, 0);
    assert_int_equal(axle_rows_next(r), 1);
    axle_geometry box = {.width = 4, .height = 4}; /* 2x1 fits: kept as it is */
    axle_pixels out;
    assert_int_equal(axle_rows_image_to_size(r, 0, &box, 0, 0, &out), AXLE_OK);
    assert_int_equal(out.width, 2);
    assert_int_equal(out.height, 1);
    assert_int_equal(out.channels, 3);
    assert_memory_equal(out.data, px, sizeof px);
    axle_pixels_free(&out);
    axle_geometry exact = {.width = 3, .height = 2, .mode = AXLE_FIT_EXACT};
    assert_int_equal(axle_rows_image_to_size(r, 0, &exact, 0, AXLE_TO_RGB, &out), AXLE_OK);
    assert_int_equal(out.width, 3);
    assert_int_equal(out.height, 2);
    axle_pixels_free(&out);
    /* over the pixel limit: refused, the reason set for the job */
    assert_int_equal(axle_rows_image_to_size(r, 0, &exact, 5, 0, &out), AXLE_ETOOBIG);
    assert_null(out.data);
    assert_has(axle_errmsg(&job2), "over the limit of 5");
    /* a geometry that cannot be met: named */
    axle_geometry none = {0};
    assert_int_equal(axle_rows_image_to_size(r, 0, &none, 0, 0, &out), AXLE_EINVAL);
    assert_has(axle_errmsg(&job2), "give the box a width, a height or both");
    /* not an image column: refused, and the next row fails saying so */
    assert_int_equal(axle_rows_image_to_size(r, 1, &box, 0, 0, &out), AXLE_EINVAL);
    assert_null(out.data);
    assert_has(axle_errmsg(&job2), "axle_rows_image on column 'filename', which is string");
    assert_int_equal(axle_rows_next(r), AXLE_EINVAL);
    axle_rows_close(r);
    axle_dataset_close(ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_columns_of_one_slice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_are_terminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nulls_are_visible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_is_the_file_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_label_without_file_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_label_names_the_dataset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_getter_fails_next, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_by_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_to_size, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
