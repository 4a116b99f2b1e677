/* dataset_bench.c - write and read throughput of datasets, as a job does
 * it: a writer made in prepare, N forked slices each writing its part,
 * the finish step, then N forked slices each reading its slice.
 *
 *   dataset_bench DIR int64|blob [ROWS [BLOB_BYTES [SLICES]]]
 *
 * ROWS per slice (default 10 million int64, or 1 million blobs of 2048
 * bytes), 2 slices.  Prints "NAME_write BYTES SECONDS" and
 * "NAME_read BYTES SECONDS" for bench/dataset_bench.sh to put beside
 * dd's figures; the dataset is left in DIR/axle-work-1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "axle_internal.h"

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench {
    axle_job job;
    axle_writer *w;
    long long rows;
    size_t blob;  /* 0: the int64 column */
};

static int
write_slice(struct bench *b, int s)
{
    unsigned char *buf = b->blob ? calloc(1, b->blob) : NULL;
    if (b->blob && !buf)
        return -1;
    for (long long i = 0; i < b->rows; i++) {
        int rc;
        if (b->blob) {
            memcpy(buf, &i, sizeof i); /* not all alike */
            rc = axle_put_bytes(b->w, 0, buf, b->blob);
        } else {
            rc = axle_put_int64(b->w, 0, i * 7 + s);
        }
        if (rc < 0 || axle_writer_end_row(b->w) < 0)
            return -1;
    }
    free(buf);
    return 0;
}

static int
read_slice(struct bench *b, int s)
{
    char err[1024];
    axle_dataset *ds = axle_dataset_open(b->job.dir, err, sizeof err);
    if (!ds) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    axle_cursor *c = axle_cursor_open(ds, "v", s, err, sizeof err);
    long long n = 0;
    unsigned long long sum = 0;
    while (c && axle_cursor_next(c) == 1) {
        if (b->blob) {
            size_t len;
            const unsigned char *p = axle_cursor_bytes(c, &len);
            sum += p[0] + p[len - 1] + len;
        } else {
            sum += (unsigned long long)axle_cursor_int64(c);
        }
        n++;
    }
    axle_cursor_close(c);
    axle_dataset_close(ds);
    /* Keeps the loop from being optimised away and checks the count. */
    if (n != b->rows || sum == 42) {
        fprintf(stderr, "slice %d read %lld rows of %lld\n", s, n, b->rows);
        return -1;
    }
    return 0;
}

/* Runs fn in one forked process per slice; seconds until all are done. */
static double
in_slices(struct bench *b, int (*fn)(struct bench *, int), const char *stage)
{
    double t0 = now();
    pid_t pids[256];
    for (int s = 0; s < b->job.slices; s++) {
        if ((pids[s] = fork()) == 0) {
            b->job.stage = stage;
            b->job.sliceno = s;
            int rc = fn(b, s);
            if (rc == 0 && b->w)
                rc = axle_internal_writers_close(&b->job);
            if (rc < 0)
                fprintf(stderr, "slice %d: %s\n", s, axle_errmsg(&b->job));
            _exit(rc < 0);
        }
    }
    int bad = 0;
    for (int s = 0; s < b->job.slices; s++) {
        int st;
        waitpid(pids[s], &st, 0);
        bad |= !WIFEXITED(st) || WEXITSTATUS(st);
    }
    if (bad) {
        fprintf(stderr, "dataset_bench: a slice failed\n");
        exit(1);
    }
    return now() - t0;
}

static void
run(const char *dir, int n, long long rows, size_t blob, int slices,
    const char *name)
{
    struct bench b = {.rows = rows, .blob = blob};
    char jobdir[4096], dsdir[4200], err[1024];
    snprintf(jobdir, sizeof jobdir, "%s/axle-work-%d", dir, n);
    mkdir(jobdir, 0755);
    b.job.dir = jobdir;
    b.job.id = jobdir;
    b.job.method = (char *)"dataset_bench";
    b.job.slices = slices;
    b.job.sliceno = -1;
    b.job.stage = "prepare";
    axle_internal_current = &b.job;
    b.w = axle_writer_new(&b.job, "default", NULL, NULL);
    if (!b.w || axle_writer_add(b.w, "v", blob ? AXLE_BYTES : AXLE_INT64) < 0 ||
        axle_internal_writers_close(&b.job) < 0) {
        fprintf(stderr, "dataset_bench: %s\n", axle_errmsg(&b.job));
        exit(1);
    }
    double tw = in_slices(&b, write_slice, "analysis");
    double t0 = now();
    b.job.stage = "synthesis"; /* its end releases the writer, as in the core */
    axle_internal_writers_close(&b.job);
    if (axle_internal_datasets_finish(jobdir, slices, err, sizeof err) < 0) {
        fprintf(stderr, "dataset_bench: %s\n", err);
        exit(1);
    }
    tw += now() - t0;
    b.w = NULL;
    snprintf(dsdir, sizeof dsdir, "%s/ds/default", jobdir);
    b.job.dir = dsdir;
    double tr = in_slices(&b, read_slice, "analysis");
    /* Stored bytes: 8 per int64; a blob's payload plus its length. */
    unsigned long long bytes = (unsigned long long)rows * slices *
                               (blob ? blob : 8);
    printf("%s_write %llu %.4f\n%s_read %llu %.4f\n", name, bytes, tw, name,
           bytes, tr);
    fflush(stdout);
}

int
main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[2], "int64") != 0 && strcmp(argv[2], "blob") != 0)) {
        fprintf(stderr, "usage: dataset_bench DIR int64|blob [ROWS [BLOB_BYTES "
                        "[SLICES]]]\n");
        return 2;
    }
    bool blobs = strcmp(argv[2], "blob") == 0;
    long long rows = argc > 3 ? atoll(argv[3]) : blobs ? 1000000 : 10000000;
    size_t blob = blobs ? (argc > 4 ? (size_t)atoll(argv[4]) : 2048) : 0;
    int slices = argc > 5 ? atoi(argv[5]) : 2;
    if (slices < 1 || slices > 256 || rows < 1 || (blobs && blob == 0)) {
        fprintf(stderr, "dataset_bench: 1 to 256 slices, 1 row or more, blobs "
                        "of 1 byte or more\n");
        return 2;
    }
    run(argv[1], 1, rows, blob, slices, argv[2]);
    return 0;
}
