/* test_dataset_cli.c - `axle ds` (core/cli_ds.c) on hand-made jobs: the
 * summary a new user reads, --column values, and exit status 2 with a
 * message for what is not there.  REF resolution (core/ref.c) is stubbed
 * here: a REF is a job folder's name in the workdir. */
#include <fcntl.h>
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

#include "cli.h"
#include "ref.h"
#include "test_dataset_util.h"

static const char *workdir;

/* ---- stubs of core/ref.c ---- */

char *
ref_workdir_from_args(int *argc, char **argv)
{
    char *wd = NULL;
    for (int i = 1; i + 1 < *argc; i++)
        if (strcmp(argv[i], "--workdir") == 0) {
            wd = strdup(argv[i + 1]);
            for (int k = i; k + 2 <= *argc; k++)
                argv[k] = argv[k + 2];
            *argc -= 2;
            break;
        }
    return wd ? wd : strdup(workdir);
}

char *
ref_resolve(const char *wd, const char *ref)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", wd, ref);
    if (stat(path, &st) == 0)
        return strdup(path);
    fprintf(stderr, "axle: error: no job '%s' in %s\n", ref, wd);
    return NULL;
}

/* ---- running the command ---- */

struct run {
    int rc;
    char out[1 << 16];
    char err[8192];
};

static void
slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, len - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Runs `axle ds ARGS...` in this process with stdout/stderr captured. */
static void
run_ds(struct run *r, const char *a1, const char *a2, const char *a3)
{
    char *argv[8] = {"ds"};
    int argc = 1;
    const char *args[] = {a1, a2, a3};
    for (int i = 0; i < 3; i++)
        if (args[i])
            argv[argc++] = (char *)args[i];
    char outp[PATH_MAX], errp[PATH_MAX];
    snprintf(outp, sizeof outp, "%s/.out", workdir);
    snprintf(errp, sizeof errp, "%s/.err", workdir);
    fflush(NULL);
    int o = dup(1), e = dup(2);
    int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fo, 1);
    dup2(fe, 2);
    r->rc = cli_ds(argc, argv);
    fflush(NULL);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
    close(fo);
    close(fe);
    slurp(outp, r->out, sizeof r->out);
    slurp(errp, r->err, sizeof r->err);
}

/* ---- fixtures ---- */

static axle_job job1, job2;

/* axle-work-1: "default" (image, name with a null) over 2 slices; axle-work-2:
 * "default" with parent axle-work-1 adding n (int64 with a null) and
 * x (float64), plus a second dataset "other". */
static int
setup(void **state)
{
    (void)state;
    workdir = td_enter();
    td_job(&job1, 1, 2);
    axle_writer *w = axle_writer_new(&job1, "default", NULL, NULL);
    axle_writer_add(w, "image", AXLE_IMAGE);
    axle_writer_add(w, "name", AXLE_STRING);
    static const unsigned char px[2 * 3 * 3];
    for (int s = 0; s < 2; s++) {
        td_stage(&job1, "analysis", s);
        for (int i = 0; i < s + 1; i++) {
            axle_image img = {AXLE_CODEC_RAW, 2, 3, 3, 1, px, sizeof px};
            axle_put_image(w, 0, &img);
            if (s == 1 && i == 1)
                axle_put_null(w, 1); /* nulls of a string column are counted too */
            else
                axle_put_string(w, 1, "a\nb", 3);
            axle_writer_end_row(w);
        }
        td_end_stage(&job1);
    }
    char err[1024];
    assert_int_equal(td_finish(&job1, err, sizeof err), 0);
    axle_dataset *parent = td_open(&job1, "default");
    td_job(&job2, 2, 2);
    w = axle_writer_new(&job2, "default", parent, NULL);
    axle_writer_add(w, "n", AXLE_INT64);
    axle_writer_add(w, "x", AXLE_FLOAT64);
    axle_writer *o = axle_writer_new(&job2, "other", NULL, NULL);
    axle_writer_add(o, "b", AXLE_BYTES);
    for (int s = 0; s < 2; s++) {
        td_stage(&job2, "analysis", s);
        for (int i = 0; i < s + 1; i++) {
            if (s == 1 && i == 0)
                axle_put_null(w, 0);
            else
                axle_put_int64(w, 0, -5 + 10 * s + i);
            axle_put_float64(w, 1, 0.1 * (s + 1));
            axle_writer_end_row(w);
        }
        axle_put_bytes(o, 0, "\x01\xff", 2);
        axle_writer_end_row(o);
        td_end_stage(&job2);
    }
    assert_int_equal(td_finish(&job2, err, sizeof err), 0);
    axle_dataset_close(parent);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    td_job_free(&job2);
    td_job_free(&job1);
    td_leave();
    return 0;
}

/* ---- tests ---- */

static void
test_summary(void **state)
{
    (void)state;
    struct run *r = malloc(sizeof *r);
    run_ds(r, "axle-work-2", NULL, NULL);
    assert_int_equal(r->rc, 0);
    assert_has(r->out, "dataset   axle-work-2/default\n");
    assert_has(r->out, "parent    axle-work-1/default\n");
    assert_has(r->out, "previous  none\n");
    assert_has(r->out, "rows      3 in 2 slices\n");
    /* An aligned table: header and rows line up. */
    assert_has(r->out, "column  type     nulls  min  max  stored\n");
    assert_has(r->out, "image   image        0    -    -  axle-work-1/default (linked)\n");
    assert_has(r->out, "name    string       1    -    -  axle-work-1/default (linked)\n");
    assert_has(r->out, "n       int64        1   -5    6  here\n");
    assert_has(r->out, "x       float64      0  0.1  0.2  here\n");
    assert_has(r->out, "slice  rows\n    0     1\n    1     2\ntotal     3\n");
    assert_has(r->out, "this job's datasets: default (this one), other\n");
    free(r);
}

static void
test_column_values(void **state)
{
    (void)state;
    struct run *r = malloc(sizeof *r);
    run_ds(r, "axle-work-2/default", "--column", "n");
    assert_int_equal(r->rc, 0);
    assert_string_equal(r->out, "-5\nnull\n6\n");
    run_ds(r, "axle-work-2", "--column=image", NULL);
    assert_string_equal(r->out, "2x3 raw 18\n2x3 raw 18\n2x3 raw 18\n");
    run_ds(r, "axle-work-2", "--column", "name");
    assert_string_equal(r->out, "a\\nb\na\\nb\nnull\n");
    run_ds(r, "axle-work-2", "--column", "x");
    assert_string_equal(r->out, "0.1\n0.2\n0.2\n");
    run_ds(r, "axle-work-2/other", "--column", "b");
    assert_string_equal(r->out, "0x01ff\n0x01ff\n");
    free(r);
}

static void
test_not_found(void **state)
{
    (void)state;
    struct run *r = malloc(sizeof *r);
    run_ds(r, "axle-work-9", NULL, NULL);
    assert_int_equal(r->rc, 2);
    assert_has(r->err, "no job 'axle-work-9'");
    run_ds(r, "axle-work-2/nope", NULL, NULL);
    assert_int_equal(r->rc, 2);
    assert_has(r->err, "axle: error: job axle-work-2 has no dataset 'nope' "
                       "(it has: default, other)");
    run_ds(r, "axle-work-2", "--column", "zz");
    assert_int_equal(r->rc, 2);
    assert_has(r->err, "has no column 'zz' (its columns: image, name, n, x)");
    run_ds(r, NULL, NULL, NULL);
    assert_int_equal(r->rc, 2);
    assert_has(r->err, "which dataset?");
    run_ds(r, "axle-work-2", "--bogus", NULL);
    assert_int_equal(r->rc, 2);
    assert_has(r->err, "unknown option '--bogus'");
    free(r);
}

static void
test_help(void **state)
{
    (void)state;
    struct run *r = malloc(sizeof *r);
    run_ds(r, "--help", NULL, NULL);
    assert_int_equal(r->rc, 0);
    assert_has(r->out, "usage: axle ds REF[/NAME] [--column C]");
    free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help, setup, teardown),
    };
    return cmocka_run_group_tests_name("axle ds", tests, NULL, NULL);
}
