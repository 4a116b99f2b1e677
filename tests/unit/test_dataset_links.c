/* test_dataset_links.c - parent datasets (columns linked, never copied)
 * and previous chains, as a user of incremental runs relies on them. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static const char *workdir;

static int
setup(void **state)
{
    (void)state;
    workdir = td_enter();
    return 0;
}

/* Job n: dataset "default" with image (1 MB blobs) and name columns,
 * rows[s] rows in slice s, optionally chained after `previous`. */
static void
make_import(axle_job *job, int n, const int *rows, axle_dataset *previous)
{
    td_job(job, n, 2);
    axle_writer *w = axle_writer_new(job, "default", NULL, previous);
    assert_non_null(w);
    int ci = axle_writer_add(w, "image", AXLE_IMAGE);
    int cn = axle_writer_add(w, "name", AXLE_STRING);
    size_t size = 1u << 20;
    unsigned char *px = calloc(1, size);
    for (int s = 0; s < 2; s++) {
        td_stage(job, "analysis", s);
        for (int i = 0; i < rows[s]; i++) {
            char name[64];
            int len = snprintf(name, sizeof name, "job%d-s%d-%d", n, s, i);
            px[0] = (unsigned char)i;
            axle_image img = {AXLE_CODEC_RAW, 512, 512, 4, 1, px, size};
            assert_int_equal(axle_put_image(w, ci, &img), AXLE_OK);
            assert_int_equal(axle_put_string(w, cn, name, (size_t)len), AXLE_OK);
            assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        }
        td_end_stage(job);
    }
    free(px);
    td_finish_ok(job);
}

/* Job n: dataset "default" with parent `parent`, adding int64 column
 * `col` (value = row number) to `rows[s]` rows per slice. */
static int
make_child(axle_job *job, int n, axle_dataset *parent, const char *col,
           const int *rows, char *err, size_t errlen)
{
    td_job(job, n, 2);
    axle_writer *w = axle_writer_new(job, "default", parent, NULL);
    assert_non_null(w);
    int c = axle_writer_add(w, col, AXLE_INT64);
    for (int s = 0; s < 2; s++) {
        td_stage(job, "analysis", s);
        for (int i = 0; i < rows[s]; i++) {
            assert_int_equal(axle_put_int64(w, c, i), AXLE_OK);
            assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        }
        td_end_stage(job);
    }
    return td_finish(job, err, errlen);
}

static void
test_parent_links_columns(void **state)
{
    (void)state;
    static const int rows[2] = {5, 3};
    axle_job j1, j2;
    make_import(&j1, 1, rows, NULL);
    uint64_t before = td_du(workdir, NULL);
    axle_dataset *import = td_open(&j1, "default");
    char err[1024];
    assert_int_equal(make_child(&j2, 2, import, "n", rows, err, sizeof err), 0);
    /* Linked, not copied: the new job holds only its own small column. */
    int nfiles;
    uint64_t job2 = td_du(j2.dir, &nfiles);
    assert_true(before > 8u << 20); /* 8 images of 1 MB */
    assert_true(job2 < 64u << 10);
    assert_int_equal(nfiles, 3); /* meta.json, 0-n.0, 0-n.1 */
    axle_dataset *ds = td_open(&j2, "default");
    assert_int_equal(axle_dataset_ncolumns(ds), 3);
    assert_string_equal(axle_dataset_column_name(ds, 0), "image");
    assert_string_equal(axle_dataset_column_name(ds, 1), "name");
    assert_string_equal(axle_dataset_column_name(ds, 2), "n");
    assert_string_equal(axle_dataset_parent_path(ds), axle_dataset_path(import));
    /* The link is relative, so a workdir can move. */
    json_t *m = td_meta(&j2, "default");
    assert_string_equal(json_string_value(json_object_get(m, "parent")),
                        "../../../axle-work-1/ds/default");
    json_t *c0 = json_array_get(json_object_get(m, "columns"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "location")),
                        "../../../axle-work-1/ds/default");
    json_decref(m);
    /* Linked columns read the parent's data. */
    axle_cursor *c = axle_cursor_open(ds, "name", 1, NULL, 0);
    assert_int_equal(axle_cursor_next(c), 1);
    size_t len;
    const char *p = axle_cursor_bytes(c, &len);
    assert_int_equal(len, strlen("job1-s1-0"));
    assert_memory_equal(p, "job1-s1-0", len);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    axle_dataset_close(import);
    td_job_free(&j2);
    td_job_free(&j1);
}

static void
test_parent_rows_must_match(void **state)
{
    (void)state;
    static const int rows[2] = {5, 3}, other[2] = {5, 2};
    axle_job j1, j2;
    make_import(&j1, 1, rows, NULL);
    axle_dataset *import = td_open(&j1, "default");
    td_job(&j2, 2, 2);
    axle_writer *w = axle_writer_new(&j2, "default", import, NULL);
    int c = axle_writer_add(w, "n", AXLE_INT64);
    for (int s = 0; s < 2; s++) {
        td_stage(&j2, "analysis", s);
        for (int i = 0; i < other[s]; i++) {
            assert_int_equal(axle_put_int64(w, c, i), AXLE_OK);
            assert_int_equal(axle_writer_end_row(w), AXLE_OK);
        }
        int rc = axle_internal_writers_close(&j2);
        if (s == 0) {
            assert_int_equal(rc, AXLE_OK);
        } else {
            /* Caught when the slice ends, naming both counts. */
            assert_int_equal(rc, AXLE_EINVAL);
            assert_non_null(strstr(axle_errmsg(&j2), "slice 1 has 2 rows but "
                                   "its parent"));
            assert_non_null(strstr(axle_errmsg(&j2), "has 3 there"));
        }
    }
    axle_dataset_close(import);
    td_job_free(&j2);
    td_job_free(&j1);
}

/* A slice that writes nothing where the parent has rows is refused. */
static void
test_parent_rows_empty_slice(void **state)
{
    (void)state;
    static const int rows[2] = {1, 1};
    axle_job j1, j2;
    make_import(&j1, 1, rows, NULL);
    axle_dataset *import = td_open(&j1, "default");
    td_job(&j2, 2, 2);
    axle_writer *w = axle_writer_new(&j2, "default", import, NULL);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 0);
    td_end_stage(&j2);
    td_stage(&j2, "analysis", 0);
    assert_int_equal(axle_put_int64(w, 0, 1), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    td_end_stage(&j2);
    td_stage(&j2, "analysis", 1);
    assert_int_equal(axle_internal_writers_close(&j2), AXLE_EINVAL);
    assert_non_null(strstr(axle_errmsg(&j2), "slice 1 has 0 rows but its parent"));
    axle_dataset_close(import);
    td_job_free(&j2);
    td_job_free(&j1);
}

/* Rows written in synthesis (slice 0) are checked when finishing. */
static void
test_parent_rows_checked_at_finish(void **state)
{
    (void)state;
    static const int rows[2] = {2, 1};
    axle_job j1, j2;
    make_import(&j1, 1, rows, NULL);
    axle_dataset *import = td_open(&j1, "default");
    td_job(&j2, 2, 2);
    td_stage(&j2, "synthesis", -1);
    axle_writer *w = axle_writer_new(&j2, "default", import, NULL);
    int c = axle_writer_add(w, "n", AXLE_INT64);
    assert_int_equal(axle_put_int64(w, c, 1), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
    assert_int_equal(axle_writer_close(w), AXLE_OK);
    char err[1024];
    assert_int_equal(td_finish(&j2, err, sizeof err), -1);
    assert_non_null(strstr(err, "dataset 'default': slice 0 has 1 rows but its "
                           "parent"));
    axle_dataset_close(import);
    td_job_free(&j2);
    td_job_free(&j1);
}

/* A column named like a parent's replaces it, in its place. */
static void
test_parent_column_replaced(void **state)
{
    (void)state;
    static const int rows[2] = {2, 2};
    axle_job j1, j2;
    make_import(&j1, 1, rows, NULL);
    axle_dataset *import = td_open(&j1, "default");
    char err[1024];
    assert_int_equal(make_child(&j2, 2, import, "name", rows, err, sizeof err), 0);
    axle_dataset *ds = td_open(&j2, "default");
    assert_int_equal(axle_dataset_ncolumns(ds), 2);
    assert_string_equal(axle_dataset_column_name(ds, 1), "name");
    assert_int_equal(axle_dataset_column_type(ds, "name"), AXLE_INT64);
    axle_cursor *c = axle_cursor_open(ds, "name", -1, NULL, 0);
    int64_t sum = 0;
    while (axle_cursor_next(c) == 1)
        sum += axle_cursor_int64(c);
    assert_int_equal(sum, 2); /* 0 + 1 in each slice */
    axle_cursor_close(c);
    axle_dataset_close(ds);
    axle_dataset_close(import);
    td_job_free(&j2);
    td_job_free(&j1);
}

/* A grandchild links straight to where the data is, and the whole
 * workdir can be moved. */
static void
test_grandparent_and_moved_workdir(void **state)
{
    (void)state;
    static const int rows[2] = {2, 2};
    axle_job j1, j2, j3;
    char err[1024];
    make_import(&j1, 1, rows, NULL);
    axle_dataset *d1 = td_open(&j1, "default");
    assert_int_equal(make_child(&j2, 2, d1, "a", rows, err, sizeof err), 0);
    axle_dataset *d2 = td_open(&j2, "default");
    assert_int_equal(make_child(&j3, 3, d2, "b", rows, err, sizeof err), 0);
    json_t *m = td_meta(&j3, "default");
    json_t *cols = json_object_get(m, "columns");
    assert_int_equal(json_array_size(cols), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 0), "location")),
                        "../../../axle-work-1/ds/default");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 2), "location")),
                        "../../../axle-work-2/ds/default");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 3), "location")),
                        ".");
    json_decref(m);
    axle_dataset_close(d2);
    axle_dataset_close(d1);
    char moved[PATH_MAX], path[PATH_MAX + 64];
    snprintf(moved, sizeof moved, "%s/elsewhere", workdir);
    char *jobs[] = {"axle-work-1", "axle-work-2", "axle-work-3"};
    assert_int_equal(mkdir(moved, 0755), 0);
    for (int i = 0; i < 3; i++) {
        char from[PATH_MAX + 64], to[PATH_MAX + 64];
        snprintf(from, sizeof from, "%s/%s", workdir, jobs[i]);
        snprintf(to, sizeof to, "%s/%s", moved, jobs[i]);
        assert_int_equal(rename(from, to), 0);
    }
    snprintf(path, sizeof path, "%s/axle-work-3/ds/default", moved);
    axle_dataset *d3 = axle_dataset_open(path, err, sizeof err);
    assert_non_null(d3);
    axle_cursor *c = axle_cursor_open(d3, "image", -1, err, sizeof err);
    assert_non_null(c);
    int n = 0;
    while (axle_cursor_next(c) == 1)
        n++;
    assert_int_equal(n, 4);
    axle_cursor_close(c);
    axle_dataset_close(d3);
    td_job_free(&j3);
    td_job_free(&j2);
    td_job_free(&j1);
}

/* Three imports chained; walking back gives newest first, the idiom in
 * dataset_reader.c gives oldest first. */
static void
test_chain_order(void **state)
{
    (void)state;
    static const int r1[2] = {1, 1}, r2[2] = {2, 0}, r3[2] = {0, 3};
    axle_job j1, j2, j3;
    make_import(&j1, 1, r1, NULL);
    axle_dataset *d1 = td_open(&j1, "default");
    make_import(&j2, 2, r2, d1);
    axle_dataset *d2 = td_open(&j2, "default");
    make_import(&j3, 3, r3, d2);
    axle_dataset *d3 = td_open(&j3, "default");
    json_t *m = td_meta(&j3, "default");
    assert_string_equal(json_string_value(json_object_get(m, "previous")),
                        "../../../axle-work-2/ds/default");
    json_decref(m);
    axle_dataset *chain[8];
    int n = 0;
    for (axle_dataset *d = d3; d && n < 8; d = axle_dataset_previous(d))
        chain[n++] = d;
    assert_int_equal(n, 3);
    assert_string_equal(axle_dataset_path(chain[2]), axle_dataset_path(d1));
    assert_null(axle_dataset_previous(chain[2]));
    char got[512] = "";
    while (n-- > 0) {
        axle_cursor *c = axle_cursor_open(chain[n], "name", -1, NULL, 0);
        while (axle_cursor_next(c) == 1) {
            size_t len;
            const char *p = axle_cursor_bytes(c, &len);
            strncat(got, p, len);
            strcat(got, " ");
        }
        axle_cursor_close(c);
    }
    assert_string_equal(got, "job1-s0-0 job1-s1-0 job2-s0-0 job2-s0-1 "
                             "job3-s1-0 job3-s1-1 job3-s1-2 ");
    axle_dataset_close(d3);
    axle_dataset_close(d2);
    axle_dataset_close(d1);
    td_job_free(&j3);
    td_job_free(&j2);
    td_job_free(&j1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parent_links_columns, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_parent_rows_must_match, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_parent_rows_empty_slice, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_parent_rows_checked_at_finish, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_parent_column_replaced, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_grandparent_and_moved_workdir, setup, td_teardown),
        cmocka_unit_test_setup_teardown(test_chain_order, setup, td_teardown),
    };
    return cmocka_run_group_tests_name("dataset links", tests, NULL, NULL);
}
