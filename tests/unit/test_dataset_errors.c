/* test_dataset_errors.c - misuse of the writer and reader gets an error
 * whose text says what is wrong, and leaves the dataset intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test_dataset_util.h"

#define assert_msg(job, text)                                                  \
    do {                                                                       \
        if (!strstr(axle_errmsg(job), text))                                   \
            print_error("# message: %s\n", axle_errmsg(job));                  \
        assert_non_null(strstr(axle_errmsg(job), text));                       \
    } while (0)

/* A writer with columns thumb (image) and n (int64), in slice 0. */
static axle_writer *
two_columns(axle_job *job)
{
    td_job(job, 1, 2);
    axle_writer *w = axle_writer_new(job, "default", NULL, NULL);
    assert_non_null(w);
    assert_int_equal(axle_writer_add(w, "thumb", AXLE_IMAGE), 0);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 1);
    td_stage(job, "analysis", 0);
    return w;
}

static void
test_wrong_type(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_put_int64(w, 0, 5), AXLE_EINVAL);
    assert_msg(&job, "column 'thumb' is image, not int64");
    assert_int_equal(axle_put_string(w, 1, "x", 1), AXLE_EINVAL);
    assert_msg(&job, "column 'n' is int64, not string");
    assert_int_equal(axle_put_float64(w, 1, 1.0), AXLE_EINVAL);
    assert_msg(&job, "column 'n' is int64, not float64");
    td_job_free(&job);
}

/* A raw image whose width*height*channels wraps around 64 bits must not
 * pass for one of the (wrapped) size given. */
static void
test_raw_size_overflow(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    static const unsigned char data[4] = {1, 2, 3, 4};
    uint64_t wh = (uint64_t)UINT32_MAX * UINT32_MAX;
    axle_image img = {AXLE_CODEC_RAW, UINT32_MAX, UINT32_MAX, 4, 1, data, (size_t)(wh * 4)};
    assert_int_equal(axle_put_image(w, 0, &img), AXLE_EINVAL);
    assert_msg(&job, "dataset 'default': column 'thumb': image is raw but size is not "
                     "width*height*channels");
    td_job_free(&job);
}

static void
test_unknown_column(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_writer_column(w, "n"), 1);
    assert_true(axle_writer_column(w, "size") < 0);
    assert_msg(&job, "dataset 'default' has no column 'size' (its columns: thumb, n)");
    assert_int_equal(axle_put_int64(w, 7, 1), AXLE_EINVAL);
    assert_msg(&job, "unknown column index 7");
    assert_int_equal(axle_put_null(w, -1), AXLE_EINVAL);
    td_job_free(&job);
}

static void
test_short_row(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    static const unsigned char data[4] = {1, 2, 3, 4};
    axle_image img = {AXLE_CODEC_RAW, 2, 2, 1, 1, data, 4};
    assert_int_equal(axle_put_image(w, 0, &img), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_EINVAL);
    assert_msg(&job, "row 0 is short: column 'n' not set");
    /* The short row is dropped; the writer goes on. */
    assert_int_equal(axle_put_int64(w, 1, 11), AXLE_OK);
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    /* Set twice in one row. */
    assert_int_equal(axle_put_int64(w, 1, 12), AXLE_OK);
    assert_int_equal(axle_put_int64(w, 1, 13), AXLE_EINVAL);
    assert_msg(&job, "column 'n' set twice in row 1");
    assert_int_equal(axle_put_image(w, 0, &img), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    td_end_stage(&job);
    char err[1024];
    assert_int_equal(td_finish(&job, err, sizeof err), 0);
    axle_dataset *ds = td_open(&job, "default");
    assert_int_equal(axle_dataset_rows(ds, 0), 2);
    axle_cursor *c = axle_cursor_open(ds, "thumb", 0, NULL, 0);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_true(axle_cursor_is_null(c));
    assert_int_equal(axle_cursor_next(c), 1);
    axle_image got;
    assert_int_equal(axle_cursor_image(c, &got), AXLE_OK);
    assert_memory_equal(got.data, data, 4);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

/* A row left without end_row when the stage ends is an error too. */
static void
test_unended_row(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_put_int64(w, 1, 1), AXLE_OK);
    assert_int_equal(axle_internal_writers_close(&job), AXLE_EINVAL);
    assert_msg(&job, "the last row was not ended");
    td_job_free(&job);
}

static void
test_column_after_first_row(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_put_int64(w, 1, 1), AXLE_OK);
    assert_true(axle_writer_add(w, "late", AXLE_STRING) < 0);
    assert_msg(&job, "column 'late' added after the first row");
    td_job_free(&job);
}

static void
test_duplicate_column(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    axle_writer *w = axle_writer_new(&job, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(w, "a", AXLE_INT64), 0);
    assert_true(axle_writer_add(w, "a", AXLE_STRING) < 0);
    assert_msg(&job, "duplicate column name 'a'");
    assert_true(axle_writer_add(w, "", AXLE_STRING) < 0);
    assert_msg(&job, "column name must be non-empty");
    assert_true(axle_writer_add(w, "b", (axle_type)42) < 0);
    assert_msg(&job, "column 'b' has no valid type");
    td_job_free(&job);
}

static void
test_dataset_twice_same_process(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    assert_non_null(axle_writer_new(&job, "default", NULL, NULL));
    assert_null(axle_writer_new(&job, "default", NULL, NULL));
    assert_msg(&job, "dataset 'default' is written twice in this job");
    assert_null(axle_writer_new(&job, "../x", NULL, NULL));
    assert_msg(&job, "dataset name '../x' is not usable");
    assert_null(axle_writer_new(&job, ".hidden", NULL, NULL));
    td_job_free(&job);
}

/* A slice made "bad", then synthesis makes "bad" again. */
static int
write_bad(axle_job *job, int sliceno, void *arg)
{
    (void)arg;
    axle_writer *w = axle_writer_new(job, "bad", NULL, NULL);
    if (!w || axle_writer_add(w, "x", AXLE_INT64) < 0 ||
        axle_put_int64(w, 0, sliceno) < 0 || axle_writer_end_row(w) < 0)
        return -1;
    return 0;
}

static void
test_dataset_twice_across_stages(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    assert_int_equal(td_fork_slices(&job, write_bad, NULL), 0);
    assert_null(axle_writer_new(&job, "bad", NULL, NULL));
    assert_msg(&job, "dataset 'bad' is written twice in this job (an earlier stage");
    td_job_free(&job);
}

/* Datasets exist for readers only once finished. */
static void
test_not_visible_before_finish(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_put_int64(w, 1, 1), AXLE_OK);
    assert_int_equal(axle_put_null(w, 0), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    td_end_stage(&job);
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/ds/default", job.dir);
    assert_null(axle_dataset_open(path, err, sizeof err));
    assert_non_null(strstr(err, "did not finish"));
    assert_int_equal(td_finish(&job, err, sizeof err), 0);
    axle_dataset *ds = axle_dataset_open(path, err, sizeof err);
    assert_non_null(ds);
    /* The parts are gone, meta.json is there. */
    snprintf(path, sizeof path, "%s/ds/default/part.0.json", job.dir);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    /* Reader errors name the problem. */
    assert_null(axle_cursor_open(ds, "nope", -1, err, sizeof err));
    assert_non_null(strstr(err, "has no column 'nope' (its columns: thumb, n)"));
    assert_null(axle_cursor_open(ds, "n", 2, err, sizeof err));
    assert_non_null(strstr(err, "has no slice 2 (it has 2)"));
    assert_int_equal(axle_dataset_column_type(ds, "nope"), 0);
    axle_dataset_close(ds);
    assert_null(axle_dataset_open("/nonexistent/ds/x", err, sizeof err));
    assert_non_null(strstr(err, "no dataset at /nonexistent/ds/x"));
    td_job_free(&job);
}

static void
test_rows_after_close(void **state)
{
    (void)state;
    axle_job job;
    axle_writer *w = two_columns(&job);
    assert_int_equal(axle_writer_close(w), AXLE_OK);
    assert_int_equal(axle_put_int64(w, 1, 1), AXLE_EINVAL);
    assert_msg(&job, "rows written after axle_writer_close");
    td_job_free(&job);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wrong_type, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_column, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_raw_size_overflow, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_short_row, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_unended_row, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_column_after_first_row, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_column, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_dataset_twice_same_process, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_dataset_twice_across_stages, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_not_visible_before_finish, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_rows_after_close, td_setup, td_teardown),
    };
    return cmocka_run_group_tests_name("dataset errors", tests, NULL, NULL);
}
