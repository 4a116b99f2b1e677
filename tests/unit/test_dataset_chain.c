/* test_dataset_chain.c - keys, removed items and live rows of chains.
 *
 * Job 1: "default" keyed by filename, slice 0: a, b; slice 1: c, d (n = 1
 * to 4).  Job 2: "default" chained after it: b again (changed, n = 20) in
 * slice 1, e (new, n = 5) in slice 0, and c removed.  Job 3 mirrors both
 * links row for row (a parent each, the second chained after the first),
 * naming no key nor removed item: it inherits them from its parents.  The
 * chain's live rows are a, d (job 1), e, b (job 2): what a cold build of
 * a, b (changed), d, e holds. */
#include <errno.h>
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

static axle_job job1, job2, job3;

static void
put(axle_writer *w, const char *name, int64_t n)
{
    assert_int_equal(axle_put_string(w, 0, name, strlen(name)), AXLE_OK);
    assert_int_equal(axle_put_int64(w, 1, n), AXLE_OK);
    assert_int_equal(axle_writer_end_row(w), AXLE_OK);
}

static axle_writer *
keyed_writer(axle_job *job, axle_dataset *previous)
{
    axle_writer *w = axle_writer_new(job, "default", NULL, previous);
    assert_non_null(w);
    assert_int_equal(axle_writer_add(w, "filename", AXLE_STRING), 0);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 1);
    assert_int_equal(axle_writer_key(w, "filename"), AXLE_OK);
    return w;
}

static void
make_jobs(void)
{
    td_job(&job1, 1, 2);
    axle_writer *w = keyed_writer(&job1, NULL);
    static const char *const names[2][2] = {{"a", "b"}, {"c", "d"}};
    for (int s = 0; s < 2; s++) {
        td_stage(&job1, "analysis", s);
        put(w, names[s][0], 2 * s + 1);
        put(w, names[s][1], 2 * s + 2);
        td_end_stage(&job1);
    }
    td_finish_ok(&job1);

    td_job(&job2, 2, 2);
    axle_dataset *old = td_open(&job1, "default");
    td_stage(&job2, "prepare", -1);
    w = keyed_writer(&job2, old);
    assert_int_equal(axle_writer_remove(w, "c"), AXLE_OK);
    td_end_stage(&job2);
    td_stage(&job2, "analysis", 0);
    put(w, "e", 5);
    td_end_stage(&job2);
    td_stage(&job2, "analysis", 1);
    put(w, "b", 20);
    td_end_stage(&job2);
    td_finish_ok(&job2);
    axle_dataset_close(old);

    td_job(&job3, 3, 2);
    axle_dataset *l0 = td_open(&job1, "default"), *l1 = td_open(&job2, "default");
    td_stage(&job3, "prepare", -1);
    axle_writer *m0 = axle_writer_new(&job3, "link-1", l0, NULL);
    axle_writer *m1 = axle_writer_new_after(&job3, "default", l1, m0);
    assert_non_null(m0);
    assert_non_null(m1);
    assert_int_equal(axle_writer_add(m0, "t", AXLE_INT64), 0);
    assert_int_equal(axle_writer_add(m1, "t", AXLE_INT64), 0);
    td_end_stage(&job3);
    for (int s = 0; s < 2; s++) {
        td_stage(&job3, "analysis", s);
        for (int i = 0; i < 2; i++) {
            assert_int_equal(axle_put_int64(m0, 0, 100 + 2 * s + i), AXLE_OK);
            assert_int_equal(axle_writer_end_row(m0), AXLE_OK);
        }
        assert_int_equal(axle_put_int64(m1, 0, 200 + s), AXLE_OK);
        assert_int_equal(axle_writer_end_row(m1), AXLE_OK);
        td_end_stage(&job3);
    }
    td_finish_ok(&job3);
    axle_dataset_close(l0);
    axle_dataset_close(l1);
}

static int
setup(void **state)
{
    td_setup(state);
    make_jobs();
    td_stage(&job3, "analysis", 0);
    axle_internal_current = &job3;
    return 0;
}

static int
teardown(void **state)
{
    td_job_free(&job3);
    td_job_free(&job2);
    td_job_free(&job1);
    return td_teardown(state);
}

/* "name=n name=n ..." of the live rows of ds's chain in slice sliceno. */
static char *
live(axle_dataset *ds, int sliceno, const char *numbers)
{
    static char out[256];
    out[0] = '\0';
    axle_rows *r = axle_rows_open_dataset(&job3, ds, sliceno,
                                          (const char *[]){"filename", numbers, NULL},
                                          AXLE_ROWS_CHAIN);
    if (!r)
        print_error("# %s\n", axle_errmsg(&job3));
    assert_non_null(r);
    int got;
    while ((got = axle_rows_next(r)) == 1) {
        char cell[64];
        snprintf(cell, sizeof cell, "%s%s=%lld", out[0] ? " " : "", axle_rows_string(r, 0),
                 (long long)axle_rows_int64(r, 1));
        strncat(out, cell, sizeof out - strlen(out) - 1);
    }
    assert_int_equal(got, 0);
    axle_rows_close(r);
    return out;
}

static void
test_live_rows_are_a_cold_builds(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "default");
    /* oldest link first, slice order within a link */
    assert_string_equal(live(ds, -1, "n"), "a=1 d=4 e=5 b=20");
    assert_string_equal(live(ds, 0, "n"), "a=1 e=5");
    assert_string_equal(live(ds, 1, "n"), "d=4 b=20");
    assert_int_equal(axle_dataset_live_rows(&job3, ds), 4);
    assert_int_equal(axle_dataset_rows(ds, -1), 2); /* the link itself */
    axle_dataset_close(ds);
}

static void
test_a_link_names_its_key_and_removed_items(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "default");
    assert_string_equal(axle_dataset_key(ds), "filename");
    const char *const *gone = axle_dataset_removed(ds);
    assert_non_null(gone);
    assert_string_equal(gone[0], "c");
    assert_null(gone[1]);
    axle_dataset *first = td_open(&job1, "default");
    gone = axle_dataset_removed(first);
    assert_non_null(gone);
    assert_null(gone[0]); /* the oldest link removes nothing */
    axle_dataset_close(first);
    axle_dataset_close(ds);
}

static void
test_a_mirror_inherits_key_and_removed_items(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job3, "default");
    assert_string_equal(axle_dataset_key(ds), "filename");
    const char *const *gone = axle_dataset_removed(ds);
    assert_non_null(gone);
    assert_string_equal(gone[0], "c");
    /* its own column, over the mirrored chain: the same live rows */
    assert_string_equal(live(ds, -1, "t"), "a=100 d=103 e=200 b=201");
    axle_dataset_close(ds);
}

static void
test_removing_needs_a_previous_dataset(void **state)
{
    (void)state;
    axle_job job4;
    td_job(&job4, 4, 2);
    td_stage(&job4, "prepare", -1);
    axle_writer *w = axle_writer_new(&job4, "default", NULL, NULL);
    assert_int_equal(axle_writer_add(w, "filename", AXLE_STRING), 0);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 1);
    assert_int_equal(axle_writer_remove(w, "a"), AXLE_EINVAL);
    assert_has(axle_errmsg(&job4), "needs a previous dataset");
    assert_int_equal(axle_writer_key(w, "n"), AXLE_EINVAL);
    assert_has(axle_errmsg(&job4), "a key is a string");
    assert_true(axle_writer_key(w, "nope") < 0);
    axle_internal_writers_close(&job4);
    td_job_free(&job4);
}

static void
test_a_chain_without_keys_is_read_whole(void **state)
{
    (void)state;
    axle_job job5;
    td_job(&job5, 5, 2);
    axle_dataset *old = td_open(&job1, "default");
    td_stage(&job5, "analysis", 0);
    axle_writer *w = axle_writer_new(&job5, "default", NULL, old);
    assert_int_equal(axle_writer_add(w, "filename", AXLE_STRING), 0);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 1);
    put(w, "a", 9); /* no key named: appended, not replacing */
    td_end_stage(&job5);
    td_finish_ok(&job5);
    axle_dataset_close(old);
    axle_dataset *ds = td_open(&job5, "default");
    assert_null(axle_dataset_key(ds));
    assert_string_equal(live(ds, -1, "n"), "a=1 b=2 c=3 d=4 a=9");
    axle_dataset_close(ds);
    td_job_free(&job5);
}

/* Progress over a chain counts its live rows: the total starts at every
 * row of its links and ends at the rows read (inc100k). */
static void
test_progress_counts_live_rows(void **state)
{
    (void)state;
    axle_dataset *ds = td_open(&job2, "default");
    axle_rows *r = axle_rows_open_dataset(&job3, ds, -1, (const char *[]){"filename", NULL},
                                          AXLE_ROWS_CHAIN);
    assert_non_null(r);
    int64_t most = axle_rows_total(r);
    assert_int_equal(most, 6); /* 4 + 2 rows in the two links */
    while (axle_rows_next(r) == 1)
        assert_true(axle_rows_done(r) <= axle_rows_total(r));
    assert_int_equal(axle_rows_done(r), 4);
    assert_int_equal(axle_rows_total(r), 4); /* b and c of the first link are dead */
    axle_rows_close(r);
    axle_dataset_close(ds);
}

/* Dataset paths resolve as realpath(3) does: "..", ".", symbolic links,
 * a missing name, a file taken for a folder (inc100k). */
static void
test_paths_resolve_as_realpath_does(void **state)
{
    (void)state;
    char base[PATH_MAX], p[PATH_MAX + 64];
    snprintf(base, sizeof base, "%s/paths", job1.dir);
    assert_int_equal(mkdir(base, 0755), 0);
    snprintf(p, sizeof p, "%s/a", base);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/a/b", base);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/a/f", base);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(p, sizeof p, "%s/l", base);
    assert_int_equal(symlink("a/b", p), 0);
    static const char *const tails[] = {"a/b", "a/./b/", "a/b/../b", "a//b/..", "l",
                                        "l/..", "l/../f", "a/b/../../a/f", "nope",
                                        "a/nope/..", "a/f/x", "a/f/.."};
    for (int pass = 0; pass < 2; pass++) /* the second finds folders remembered */
        for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
            snprintf(p, sizeof p, "%s/%s", base, tails[i]);
            errno = 0;
            char *want = realpath(p, NULL);
            int want_errno = errno;
            errno = 0;
            char *got = axle_internal_realpath(p);
            if (!want) {
                assert_null(got);
                assert_int_equal(errno, want_errno);
            } else {
                assert_non_null(got);
                assert_string_equal(got, want);
            }
            free(want);
            free(got);
        }
}

/* What a job built on job 2 with job 4's link as its source holds from
 * the SDK, released (the core's job lives as long as its process). */
static void
release_inputs(axle_job *job)
{
    const char *key;
    json_t *v;
    json_object_foreach(job->opened, key, v)
        axle_dataset_close((axle_dataset *)(uintptr_t)json_integer_value(v));
    json_object_foreach(job->chain_cache, key, v)
        free((void *)(uintptr_t)json_integer_value(v)); /* link lists */
    json_decref(job->opened);
    json_decref(job->chain_cache);
    json_decref(job->inputs);
    json_decref(job->chain_inputs);
    free(job->chain_base);
}

/* axle_chain_counts over a chain of three links, counted in one pass
 * (small11: it read every row of the chain and of its base).  A third
 * link after job 2 removes a, d (job 1) and e (job 2) and brings back c,
 * which job 2 removed, with f: live now b (job 2), c, f; before it a, d,
 * e, b, of which a, d and e are dropped. */
static void
test_chain_counts_of_a_chain_and_its_base(void **state)
{
    (void)state;
    axle_job job4, job5;
    td_job(&job4, 4, 2);
    axle_dataset *l1 = td_open(&job2, "default");
    td_stage(&job4, "prepare", -1);
    axle_writer *w = keyed_writer(&job4, l1);
    assert_int_equal(axle_writer_remove(w, "a"), AXLE_OK);
    assert_int_equal(axle_writer_remove(w, "d"), AXLE_OK);
    assert_int_equal(axle_writer_remove(w, "e"), AXLE_OK);
    td_end_stage(&job4);
    td_stage(&job4, "analysis", 0);
    put(w, "c", 30);
    td_end_stage(&job4);
    td_stage(&job4, "analysis", 1);
    put(w, "f", 6);
    td_end_stage(&job4);
    td_finish_ok(&job4);
    axle_dataset_close(l1);

    td_job(&job5, 5, 2);
    char now_path[4096], was_path[4096];
    snprintf(now_path, sizeof now_path, "%s/ds/default", job4.dir);
    snprintf(was_path, sizeof was_path, "%s/ds/default", job2.dir);
    job5.inputs = json_pack("{s:s}", "source", now_path);
    job5.chain_inputs = json_pack("{s:s}", "source", was_path);
    job5.chain_base = strdup(job2.dir);
    assert_string_equal(live(axle_input_dataset(&job5, "source"), -1, "n"),
                        "b=20 c=30 f=6");
    int64_t base_live = -1, dropped = -1;
    int rc = axle_chain_counts(&job5, "source", &base_live, &dropped);
    if (rc != AXLE_OK)
        print_error("# %s\n", axle_errmsg(&job5));
    assert_int_equal(rc, AXLE_OK);
    assert_int_equal(base_live, 4); /* a, d, e, b */
    assert_int_equal(dropped, 3);   /* a, d, e */

    /* built on job 1 instead, with job 2's link new: the oldest link's
     * rows are all live before it; b and c are dropped */
    release_inputs(&job5);
    snprintf(now_path, sizeof now_path, "%s/ds/default", job2.dir);
    snprintf(was_path, sizeof was_path, "%s/ds/default", job1.dir);
    job5.inputs = json_pack("{s:s}", "source", now_path);
    job5.chain_inputs = json_pack("{s:s}", "source", was_path);
    job5.chain_base = strdup(job1.dir);
    job5.opened = job5.chain_cache = NULL;
    assert_int_equal(axle_chain_counts(&job5, "source", &base_live, &dropped), AXLE_OK);
    assert_int_equal(base_live, 4);
    assert_int_equal(dropped, 2);
    release_inputs(&job5);
    td_job_free(&job5);
    td_job_free(&job4);
    axle_internal_current = &job3;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_live_rows_are_a_cold_builds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_link_names_its_key_and_removed_items, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_mirror_inherits_key_and_removed_items, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_removing_needs_a_previous_dataset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_chain_without_keys_is_read_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_progress_counts_live_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_counts_of_a_chain_and_its_base, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_paths_resolve_as_realpath_does, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
