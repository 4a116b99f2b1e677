/* test_prepare_again.c - prepare run again, as a worker rank under --mpi
 * does (axle_job.replay): libaxle writes nothing there, yet the writer it
 * makes serves that rank's slices.  Rank 0 and the worker are forked
 * children here, each starting from the same clean process, as the two
 * ranks' job processes do. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_dataset_util.h"

static axle_writer *out; /* made in prepare, as methods keep it */

/* A prepare that writes each way libaxle lets it. */
static int
make_things(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "n", AXLE_INT64) < 0)
        return -1;
    if (axle_set_prepare_result(job, "abc", 3) != AXLE_OK ||
        axle_write_file(job, "notes/prepared.txt", "once\n", 5) != AXLE_OK)
        return -1;
    axle_skip(job, "broken.jpg", "a test item");
    return 0;
}

/* "PATH SIZE MTIME_NS\n" of every file below the job folder, in walk
 * order: equal listings mean nothing was written, moved or touched. */
static char listing[65536];
static size_t listed;

static int
list_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_F && listed < sizeof listing)
        listed += (size_t)snprintf(listing + listed, sizeof listing - listed,
                                   "%s %lld %lld.%09ld\n", path, (long long)st->st_size,
                                   (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
    return 0;
}

static char *
list_job(const axle_job *job)
{
    listed = 0;
    listing[0] = '\0';
    nftw(job->dir, list_one, 16, FTW_PHYS);
    return strdup(listing);
}

/* Slice s in a child of this process: rows s*10 .. s*10+9 through the
 * writer prepare made. */
static int
run_slice(axle_job *job, int s)
{
    pid_t pid = fork();
    if (pid == 0) {
        td_stage(job, "analysis", s);
        for (int i = 0; i < 10; i++)
            if (axle_put_int64(out, 0, s * 10 + i) < 0 || axle_writer_end_row(out) < 0)
                _exit(1);
        _exit(axle_internal_writers_close(job) == AXLE_OK ? 0 : 1);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

/* A child that runs prepare (again, when `again`), then slice s. */
static int
rank(axle_job *job, bool again, int s, const char *before)
{
    pid_t pid = fork();
    if (pid == 0) {
        job->replay = again;
        if (make_things(job) != 0 || axle_internal_writers_close(job) != AXLE_OK) {
            fprintf(stderr, "# prepare failed: %s\n", axle_errmsg(job));
            _exit(2);
        }
        if (axle_prepare_again(job) != again)
            _exit(3);
        char *after = list_job(job);
        if (before && strcmp(before, after) != 0) {
            fprintf(stderr, "# prepare again changed the job folder:\n%s---\n%s", before,
                    after);
            _exit(4);
        }
        free(after);
        job->replay = false;
        _exit(run_slice(job, s));
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

static void
test_prepare_again_writes_nothing(void **state)
{
    (void)state;
    axle_job job;
    td_job(&job, 1, 2);
    assert_int_equal(axle_prepare_again(&job), 0);
    assert_int_equal(rank(&job, false, 0, NULL), 0); /* rank 0: prepare, slice 0 */
    char *before = list_job(&job);
    assert_non_null(strstr(before, "notes/prepared.txt"));
    assert_int_equal(rank(&job, true, 1, before), 0); /* rank 1: again, slice 1 */
    free(before);
    td_finish_ok(&job);
    axle_dataset *ds = td_open(&job, "default");
    assert_int_equal(axle_dataset_rows(ds, 0), 10);
    assert_int_equal(axle_dataset_rows(ds, 1), 10);
    axle_cursor *c = axle_cursor_open(ds, "n", 1, NULL, 0);
    assert_int_equal(axle_cursor_next(c), 1);
    assert_int_equal(axle_cursor_int64(c), 10);
    axle_cursor_close(c);
    axle_dataset_close(ds);
    td_job_free(&job);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prepare_again_writes_nothing, td_setup,
                                        td_teardown),
    };
    return cmocka_run_group_tests_name("prepare again (--mpi)", tests, NULL, NULL);
}
