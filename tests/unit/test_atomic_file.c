/* test_atomic_file.c - the one atomic file writer of libaxle never follows
 * a symbolic link planted at a temporary name: not at the names axle 0.1
 * used (FILE.tmp.PID for job records, FILE.tmp for dataset metadata), and
 * not for the dataset files a slice and finish write. */
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

#define OUTSIDE_TEXT "precious\n"

/* A file outside the workdir that planted links point at. */
static char outside[4096];

static void
make_outside(const char *scratch)
{
    snprintf(outside, sizeof outside, "%s/outside.txt", scratch);
    FILE *f = fopen(outside, "w");
    assert_non_null(f);
    fputs(OUTSIDE_TEXT, f);
    fclose(f);
}

static void
plant(const char *path, const char *suffix)
{
    char link[4096 + 64]; /* room for any path of ours plus a suffix */
    snprintf(link, sizeof link, "%s%s", path, suffix);
    assert_int_equal(symlink(outside, link), 0);
}

static char *
slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static bool
is_plain_file(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
test_writer_ignores_planted_links(void **state)
{
    (void)state;
    const char *scratch = td_enter();
    make_outside(scratch);
    char path[4096], pid[32];
    snprintf(path, sizeof path, "%s/job.json", scratch);
    snprintf(pid, sizeof pid, ".tmp.%d", (int)getpid());
    plant(path, ".tmp");
    plant(path, pid);
    assert_int_equal(axle_internal_write_atomic(path, "{}\n", 3), 0);
    assert_string_equal(slurp(outside), OUTSIDE_TEXT);
    assert_true(is_plain_file(path));
    assert_string_equal(slurp(path), "{}\n");
    /* and again, over the file it made */
    assert_int_equal(axle_internal_write_atomic(path, "[]\n", 3), 0);
    assert_string_equal(slurp(path), "[]\n");
    assert_string_equal(slurp(outside), OUTSIDE_TEXT);
    td_leave();
}

/* Each slice writes one row with the writer prepare made. */
static int
one_row(axle_job *job, int sliceno, void *arg)
{
    (void)job;
    (void)sliceno;
    axle_writer *w = arg;
    if (axle_put_int64(w, 0, 7) != AXLE_OK)
        return AXLE_EIO;
    return axle_writer_end_row(w);
}

static void
test_dataset_files_ignore_planted_links(void **state)
{
    (void)state;
    const char *scratch = td_enter();
    make_outside(scratch);
    axle_job job;
    td_job(&job, 1, 1);
    char dsdir[4096], path[4096 + 32];
    snprintf(dsdir, sizeof dsdir, "%s/ds/default", job.dir);
    axle_writer *w = axle_writer_new(&job, "default", NULL, NULL);
    assert_non_null(w);
    assert_int_equal(axle_writer_add(w, "n", AXLE_INT64), 0);
    snprintf(path, sizeof path, "%s/part.0.json", dsdir);
    plant(path, ".tmp");
    snprintf(path, sizeof path, "%s/meta.json", dsdir);
    plant(path, ".tmp");
    assert_int_equal(td_fork_slices(&job, one_row, w), 0);
    td_end_stage(&job);
    td_finish_ok(&job);
    assert_string_equal(slurp(outside), OUTSIDE_TEXT);
    assert_true(is_plain_file(path));
    axle_dataset *ds = td_open(&job, "default");
    assert_int_equal(axle_dataset_rows(ds, 0), 1);
    axle_dataset_close(ds);
    td_job_free(&job);
    td_leave();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_ignores_planted_links),
        cmocka_unit_test(test_dataset_files_ignore_planted_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
