/* test_dataset_util.c - see test_dataset_util.h. */
#include "test_dataset_util.h"

#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static char scratch[PATH_MAX];

const char *
td_enter(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/axle-ds-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(scratch));
    char *real = realpath(scratch, NULL);
    assert_non_null(real);
    snprintf(scratch, sizeof scratch, "%s", real);
    free(real);
    return scratch;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    chmod(path, 0700);
    return remove(path);
}

void
td_leave(void)
{
    if (scratch[0])
        nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = '\0';
}

void
td_job(axle_job *job, int n, int slices)
{
    memset(job, 0, sizeof *job);
    char buf[PATH_MAX + 32];
    snprintf(buf, sizeof buf, "axle-work-%d", n);
    job->id = strdup(buf);
    snprintf(buf, sizeof buf, "%s/axle-work-%d", scratch, n);
    job->dir = strdup(buf);
    assert_int_equal(mkdir(job->dir, 0755), 0);
    job->method = strdup("test_dataset");
    job->slices = slices;
    td_stage(job, "prepare", -1);
    axle_internal_current = job;
}

void
td_job_free(axle_job *job)
{
    /* The end of synthesis releases the job's writers, as in the core. */
    td_stage(job, "synthesis", -1);
    axle_internal_writers_close(job);
    free(job->id);
    free(job->dir);
    free(job->method);
    if (axle_internal_current == job)
        axle_internal_current = NULL;
}

void
td_stage(axle_job *job, const char *stage, int sliceno)
{
    job->stage = stage;
    job->sliceno = sliceno;
    job->errmsg[0] = '\0';
}

void
td_end_stage(axle_job *job)
{
    int rc = axle_internal_writers_close(job);
    if (rc != AXLE_OK)
        print_error("# %s\n", axle_errmsg(job));
    assert_int_equal(rc, AXLE_OK);
}

int
td_finish(axle_job *job, char *err, size_t errlen)
{
    err[0] = '\0';
    return axle_internal_datasets_finish(job->dir, job->slices, err, errlen);
}

axle_dataset *
td_open(const axle_job *job, const char *name)
{
    char path[PATH_MAX], err[1024];
    snprintf(path, sizeof path, "%s/ds/%s", job->dir, name);
    axle_dataset *ds = axle_dataset_open(path, err, sizeof err);
    if (!ds)
        print_error("# %s\n", err);
    assert_non_null(ds);
    return ds;
}

int
td_fork_slices(axle_job *job, td_slice_fn fn, void *arg)
{
    fflush(NULL);
    pid_t pids[64];
    assert_true(job->slices <= 64);
    for (int s = 0; s < job->slices; s++) {
        pids[s] = fork();
        assert_true(pids[s] >= 0);
        if (pids[s] == 0) {
            td_stage(job, "analysis", s);
            int rc = fn(job, s, arg);
            if (rc >= 0)
                rc = axle_internal_writers_close(job);
            if (rc >= 0)
                rc = axle_internal_results_close(job);
            if (rc < 0)
                fprintf(stderr, "# slice %d: %s\n", s, axle_errmsg(job));
            fflush(NULL);
            _exit(rc < 0 ? 1 : 0);
        }
    }
    int failed = 0;
    for (int s = 0; s < job->slices; s++) {
        int status;
        assert_int_equal(waitpid(pids[s], &status, 0), pids[s]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    td_stage(job, "synthesis", -1);
    return failed;
}

static uint64_t du_bytes;
static int du_files;

static int
du_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)path;
    (void)f;
    if (flag == FTW_F) {
        du_bytes += (uint64_t)st->st_blocks * 512;
        du_files++;
    }
    return 0;
}

uint64_t
td_du(const char *path, int *nfiles)
{
    du_bytes = 0;
    du_files = 0;
    nftw(path, du_one, 16, FTW_PHYS);
    if (nfiles)
        *nfiles = du_files;
    return du_bytes;
}

json_t *
td_meta(const axle_job *job, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/ds/%s/meta.json", job->dir, name);
    json_error_t jerr;
    json_t *m = json_load_file(path, 0, &jerr);
    if (!m)
        print_error("# %s: %s\n", path, jerr.text);
    assert_non_null(m);
    return m;
}

void
td_finish_ok(axle_job *job)
{
    char err[1024];
    int rc = td_finish(job, err, sizeof err);
    if (rc)
        print_error("# %s\n", err);
    assert_int_equal(rc, 0);
}

int
td_setup(void **state)
{
    (void)state;
    td_enter();
    return 0;
}

int
td_teardown(void **state)
{
    (void)state;
    td_leave();
    return 0;
}
