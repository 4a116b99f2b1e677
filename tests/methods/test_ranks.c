/* test_ranks.c - which MPI rank ran each slice (a test method for --mpi).
 *
 * prepare makes the dataset, a prepare result and a file, and says hello
 * on stdout: under --mpi every other rank runs prepare again, and none of
 * that may happen twice.  Each slice writes one row, the rank that forked
 * it (OMPI_COMM_WORLD_RANK, -1 outside mpirun) and the bytes of the
 * prepare result it sees; appends "slice S PID HOST" to the file `ready` and
 * waits for the file `gate`, when they are set.  synthesis: {"ranks":
 * "R0 R1 ..."}, the rank of each slice in slice order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("ready", "", "file each slice appends to when it starts"),
    AXLE_OPTION_STRING("gate", "", "file each slice waits for before it ends"),
    AXLE_OPTION_END};

AXLE_METHOD(test_ranks, "1.0", "the MPI rank of each slice (test method)", options, NULL);

static axle_writer *out; /* made in prepare: a remote slice needs it too */

int
prepare(axle_job *job)
{
    printf("prepare says hello\n");
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "rank", AXLE_INT64) < 0 ||
        axle_writer_add(out, "prepared", AXLE_INT64) < 0)
        return AXLE_EINTERNAL;
    int rc = axle_set_prepare_result(job, "prepared", 8);
    return rc == AXLE_OK ? axle_write_file(job, "prepare.txt", "made once\n", 10) : rc;
}

static void
say_ready(const char *path, int sliceno)
{
    FILE *f = path && *path ? fopen(path, "a") : NULL;
    char host[256] = "?";
    gethostname(host, sizeof host - 1);
    if (f) {
        fprintf(f, "slice %d %d %s\n", sliceno, (int)getpid(), host);
        fclose(f);
    }
}

static void
wait_for(const char *path)
{
    struct timespec nap = {0, 20000000};
    while (path && *path && access(path, F_OK) < 0)
        nanosleep(&nap, NULL);
}

int
analysis(axle_job *job, int sliceno)
{
    const char *env = getenv("OMPI_COMM_WORLD_RANK");
    int rank = env ? atoi(env) : -1;
    size_t len = 0;
    axle_prepare_result(job, &len);
    say_ready(axle_opt_string(job, "ready"), sliceno);
    wait_for(axle_opt_string(job, "gate"));
    if (axle_put_int64(out, 0, rank) < 0 || axle_put_int64(out, 1, (int64_t)len) < 0 ||
        axle_writer_end_row(out) < 0)
        return AXLE_EINTERNAL;
    char text[16];
    int n = snprintf(text, sizeof text, "%d", rank);
    return axle_set_slice_result(job, text, (size_t)n);
}

int
synthesis(axle_job *job)
{
    char ranks[1024] = "";
    size_t used = 0;
    for (int s = 0; s < axle_slices(job) && used < sizeof ranks - 16; s++) {
        size_t len;
        const char *r = axle_slice_result(job, s, &len);
        used += (size_t)snprintf(ranks + used, sizeof ranks - used, "%s%.*s", s ? " " : "",
                                 r ? (int)len : 1, r ? r : "?");
    }
    char json[1100];
    snprintf(json, sizeof json, "{\"ranks\": \"%s\"}", ranks);
    return axle_set_result_json(job, json);
}
