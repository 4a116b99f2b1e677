/* test_file_facts.c - the core's file facts as a method reads them
 * (axle_file_facts_open, lib/file_facts.c): the lines core/identity.c
 * hashes, "PATH\0\tSIZE\tSEC.NSEC\n" sorted, read back as files; a second
 * pass; none for an option the core kept nothing for; damage (a line that
 * does not parse, a list out of order) stops the reading and is an error,
 * never a short list taken as the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "axle_internal.h"

/* A job whose option "files" has the facts `bytes` (len of them). */
static axle_job *
job_with(const char *bytes, size_t len)
{
    static axle_job job;
    static int fd = -1;
    if (fd >= 0)
        close(fd);
    json_decref(job.file_facts);
    memset(&job, 0, sizeof job);
    fd = memfd_create("facts", 0);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    job.file_facts = json_pack("{s:i}", "files", fd);
    return &job;
}

#define LINES(s) s, sizeof s - 1

static void
test_reads_every_file_in_order_twice(void **state)
{
    (void)state;
    axle_job *job = job_with(LINES("/p/a.jpg\0\t12\t1700000000.000000001\n"
                                   "/p/a/b.jpg\0\t0\t5.999999999\n"
                                   "/p/b.jpg\0\t123456789012\t1700000001.500000000\n"));
    axle_file_facts *f = axle_file_facts_open(job, "files");
    assert_non_null(f);
    for (int pass = 0; pass < 2; pass++) {
        const axle_file_fact *x = axle_file_facts_next(f);
        assert_non_null(x);
        assert_string_equal(x->path, "/p/a.jpg");
        assert_int_equal(x->size, 12);
        assert_int_equal(x->mtime_sec, 1700000000);
        assert_int_equal(x->mtime_nsec, 1);
        x = axle_file_facts_next(f);
        assert_string_equal(x->path, "/p/a/b.jpg");
        assert_int_equal(x->mtime_nsec, 999999999);
        x = axle_file_facts_next(f);
        assert_string_equal(x->path, "/p/b.jpg");
        assert_int_equal(x->size, 123456789012LL);
        assert_int_equal(x->mtime_nsec, 500000000);
        assert_null(axle_file_facts_next(f));
        assert_null(axle_file_facts_next(f));
        axle_file_facts_rewind(f);
    }
    assert_int_equal(axle_file_facts_close(f), AXLE_OK);
}

static void
test_none_without_facts(void **state)
{
    (void)state;
    axle_job *job = job_with(LINES("/p/a.jpg\0\t1\t2.000000000\n"));
    assert_null(axle_file_facts_open(job, "other"));
    assert_null(axle_file_facts_open(NULL, "files"));
    json_decref(job->file_facts);
    job->file_facts = NULL;
    assert_null(axle_file_facts_open(job, "files"));
    assert_int_equal(axle_file_facts_close(NULL), AXLE_OK);
}

/* Reads all, then closes: the count read and close's answer. */
static int
read_all(axle_job *job, size_t *count)
{
    axle_file_facts *f = axle_file_facts_open(job, "files");
    assert_non_null(f);
    *count = 0;
    while (axle_file_facts_next(f))
        ++*count;
    return axle_file_facts_close(f);
}

static void
test_damage_is_an_error(void **state)
{
    (void)state;
    size_t n;
    /* out of order */
    axle_job *job = job_with(LINES("/p/b.jpg\0\t1\t2.000000000\n"
                                   "/p/a.jpg\0\t1\t2.000000000\n"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    assert_int_equal(n, 1);
    assert_non_null(strstr(job->errmsg, "option files is damaged"));
    /* twice */
    job = job_with(LINES("/p/a.jpg\0\t1\t2.000000000\n/p/a.jpg\0\t1\t2.000000000\n"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    /* a stamp that does not parse */
    job = job_with(LINES("/p/a.jpg\0\t1\t2.5\n/p/b.jpg\0\tx\t2.000000000\n"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    assert_int_equal(n, 1);
    /* no NUL after the path */
    job = job_with(LINES("/p/a.jpg\t1\t2.000000000\n"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    assert_int_equal(n, 0);
    /* cut off in the middle of a line */
    job = job_with(LINES("/p/a.jpg\0\t1\t2.000000000\n/p/b.jpg\0\t1"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    assert_int_equal(n, 1);
    /* nanoseconds past a second */
    job = job_with(LINES("/p/a.jpg\0\t1\t2.1000000000\n"));
    assert_int_equal(read_all(job, &n), AXLE_EFORMAT);
    /* none at all is no damage */
    job = job_with("", 0);
    assert_int_equal(read_all(job, &n), AXLE_OK);
    assert_int_equal(n, 0);
}

/* Many lines, over the reader's buffer: each once, none lost at a
 * buffer's edge. */
static void
test_many_files(void **state)
{
    (void)state;
    size_t want = 20000, len = 0;
    char *bytes = malloc(want * 64);
    assert_non_null(bytes);
    for (size_t i = 0; i < want; i++) {
        len += (size_t)sprintf(bytes + len, "/photos/d%03zu/img%06zu.jpg", i / 1000, i);
        len++; /* the NUL sprintf wrote */
        len += (size_t)sprintf(bytes + len, "\t%zu\t%zu.%09zu\n", i * 7, 1700000000 + i, i);
    }
    axle_job *job = job_with(bytes, len);
    free(bytes);
    size_t n;
    assert_int_equal(read_all(job, &n), AXLE_OK);
    assert_int_equal(n, want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_every_file_in_order_twice),
        cmocka_unit_test(test_none_without_facts),
        cmocka_unit_test(test_damage_is_an_error),
        cmocka_unit_test(test_many_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
