/* test_dataset_slices.c - datasets written by forked slices, as the core
 * runs a job: a writer made in prepare and inherited, writers made in
 * each slice, empty slices, rows written outside analysis, and reading
 * one column without touching the others. */
#include <dirent.h>
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

/* Slice s writes 1000 * s rows (slice 0 writes none): columns id, who. */
static int
write_rows(axle_writer *w, int sliceno)
{
    for (int i = 0; i < 1000 * sliceno; i++) {
        char who[32];
        int len = snprintf(who, sizeof who, "slice %d", sliceno);
        if (axle_put_int64(w, 0, (int64_t)sliceno * 1000000 + i) < 0 ||
            axle_put_string(w, 1, who, (size_t)len) < 0 || axle_writer_end_row(w) < 0)
            return -1;
    }
    return 0;
}

static axle_writer *inherited;

static int
slice_inherited(axle_job *job, int sliceno, void *arg)
{
    (void)job;
    (void)arg;
    return write_rows(inherited, sliceno);
}

static int
slice_own_writer(axle_job *job, int sliceno, void *arg)
{
    (void)arg;
    axle_writer *w = axle_writer_new(job, "default", NULL, NULL);
    if (!w || axle_writer_add(w, "id", AXLE_INT64) < 0 ||
        axle_writer_add(w, "who", AXLE_STRING) < 0)
        return -1;
    return write_rows(w, sliceno);
}

static void
check_sliced(const axle_job *job)
{
    axle_dataset *ds = td_open(job, "default");
    assert_int_equal(axle_dataset_slices(ds), 4);
    assert_int_equal(axle_dataset_rows(ds, 0), 0); /* wrote nothing: empty */
    for (int s = 1; s < 4; s++)
        assert_int_equal(axle_dataset_rows(ds, s), 1000 * s);
    /* All slices in order, each row telling its slice. */
    axle_cursor *c = axle_cursor_open(ds, "id", -1, NULL, 0);
    int64_t n = 0, bad = 0, last_slice = 0;
    while (axle_cursor_next(c) == 1) {
        int s = axle_cursor_slice(c);
        int64_t v = axle_cursor_int64(c);
        bad += v / 1000000 != s || s < last_slice;
        last_slice = s;
        n++;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(n, 6000);
    axle_cursor_close(c);
    /* One slice alone. */
    c = axle_cursor_open(ds, "who", 2, NULL, 0);
    n = 0;
    while (axle_cursor_next(c) == 1) {
        size_t len;
        const char *p = axle_cursor_bytes(c, &len);
        bad += len != 7 || memcmp(p, "slice 2", 7) != 0;
        n++;
    }
    assert_int_equal(bad, 0);
    assert_int_equal(n, 2000);
    axle_cursor_close(c);
    /* The empty slice reads as empty. */
    c = axle_cursor_open(ds, "who", 0, NULL, 0);
    assert_int_equal(axle_cursor_next(c), 0);
    axle_cursor_close(c);
    axle_dataset_close(ds);
}

static void
test_writer_from_prepare(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 4);
    inherited = axle_writer_new(&job, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(inherited, "id", AXLE_INT64), 0);
    assert_int_equal(axle_writer_add(inherited, "who", AXLE_STRING), 1);
    td_end_stage(&job); /* end of prepare */
    assert_int_equal(td_fork_slices(&job, slice_inherited, NULL), 0);
    td_end_stage(&job); /* end of synthesis */
    td_finish_ok(&job);
    check_sliced(&job);
    td_job_free(&job);
}

static void
test_writer_per_slice(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 4);
    assert_int_equal(td_fork_slices(&job, slice_own_writer, NULL), 0);
    td_finish_ok(&job);
    check_sliced(&job);
    td_job_free(&job);
}

/* A slice process that never touches the dataset leaves no part; its
 * slice is empty all the same. */
static int
only_slice_1(axle_job *job, int sliceno, void *arg)
{
    return sliceno == 1 ? slice_own_writer(job, sliceno, arg) : 0;
}

static void
test_slice_without_part(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 3);
    assert_int_equal(td_fork_slices(&job, only_slice_1, NULL), 0);
    td_finish_ok(&job);
    axle_dataset *ds = td_open(&job, "default");
    assert_int_equal(axle_dataset_rows(ds, 0), 0);
    assert_int_equal(axle_dataset_rows(ds, 1), 1000);
    assert_int_equal(axle_dataset_rows(ds, 2), 0);
    axle_dataset_close(ds);
    td_job_free(&job);
}

/* Rows written in synthesis land in slice 0. */
static void
test_rows_in_synthesis(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 3);
    td_stage(&job, "synthesis", -1);
    axle_writer *w = axle_writer_new(&job, "summary", NULL, NULL);
    assert_int_equal(axle_writer_add(w, "total", AXLE_INT64), 0);
    assert_int_equal(axle_put_int64(w, 0, 99), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    td_end_stage(&job);
    td_finish_ok(&job);
    axle_dataset *ds = td_open(&job, "summary");
    assert_int_equal(axle_dataset_rows(ds, 0), 1);
    assert_int_equal(axle_dataset_rows(ds, -1), 1);
    axle_dataset_close(ds);
    json_t *list = axle_internal_dataset_list(job.dir);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_array_get(list, 0)), "summary");
    json_decref(list);
    td_job_free(&job);
}

/* Rows in prepare and in slices do not mix: slice 0 is refused at once,
 * the others when finishing. */
static void
test_rows_in_prepare_and_slices(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 3);
    inherited = axle_writer_new(&job, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(inherited, "id", AXLE_INT64), 0);
    assert_int_equal(axle_writer_add(inherited, "who", AXLE_STRING), 1);
    assert_int_equal(write_rows(inherited, 1), 0);
    td_end_stage(&job);
    /* Slice 0 writes nothing here, so make it try: */
    td_stage(&job, "analysis", 0);
    assert_int_equal(axle_put_int64(inherited, 0, 1), AXLE_EINVAL);
    assert_non_null(strstr(axle_errmsg(&job), "slice 0 is written twice"));
    td_stage(&job, "prepare", -1);
    assert_int_equal(td_fork_slices(&job, slice_inherited, NULL), 0);
    char err[1024];
    assert_int_equal(td_finish(&job, err, sizeof err), -1);
    assert_non_null(strstr(err, "dataset 'default': "));
    assert_non_null(strstr(err, "rows were written both outside analysis "
                                "(part.prepare.json) and by slices"));
    td_job_free(&job);
}

/* Slices that disagree on columns are refused when finishing. */
static int
odd_columns(axle_job *job, int sliceno, void *arg)
{
    (void)arg;
    axle_writer *w = axle_writer_new(job, "default", NULL, NULL);
    return w && axle_writer_add(w, sliceno ? "a" : "b", AXLE_INT64) >= 0 ? 0 : -1;
}

static void
test_slices_disagree(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    assert_int_equal(td_fork_slices(&job, odd_columns, NULL), 0);
    char err[1024];
    assert_int_equal(td_finish(&job, err, sizeof err), -1);
    assert_non_null(strstr(err, "part.0.json and part.1.json declare different "
                                "columns"));
    td_job_free(&job);
}

static int
count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Reading one column opens only that column's files: with every other
 * column's files removed, it still reads; and one file at a time. */
static void
test_one_column_alone(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 4);
    assert_int_equal(td_fork_slices(&job, slice_own_writer, NULL), 0);
    td_finish_ok(&job);
    axle_dataset *ds = td_open(&job, "default");
    char path[PATH_MAX];
    for (int s = 1; s < 4; s++) {
        snprintf(path, sizeof path, "%s/ds/default/1-who.%d", job.dir, s);
        assert_int_equal(unlink(path), 0);
    }
    int fds = count_fds();
    axle_cursor *c = axle_cursor_open(ds, "id", -1, NULL, 0);
    int64_t n = 0;
    int most = 0;
    while (axle_cursor_next(c) == 1) {
        if (n++ % 500 == 0) {
            int now = count_fds() - fds;
            most = now > most ? now : most;
        }
    }
    assert_int_equal(n, 6000);
    assert_int_equal(most, 0); /* mapped, so not even its own fd stays open */
    axle_cursor_close(c);
    /* The removed column fails with a message naming its file. */
    c = axle_cursor_open(ds, "who", -1, NULL, 0);
    assert_int_equal(axle_cursor_next(c), -1);
    assert_non_null(strstr(axle_cursor_error(c), "1-who.1: No such file"));
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writer_from_prepare, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_writer_per_slice, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_slice_without_part, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_rows_in_synthesis, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_rows_in_prepare_and_slices, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_slices_disagree, td_setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_one_column_alone, td_setup, td_teardown),
    };
    return cmocka_run_group_tests_name("dataset slices", tests, NULL, NULL);
}
