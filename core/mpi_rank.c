/* mpi_rank.c - `axle run --mpi`, every rank but 0: wait for a job, fork
 * its slices here with the job process's own code, say how they ended. */
#include "mpi_run.h"

#include <errno.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "job_process.h"
#include "mpi_wire.h"

/* Rank 0 called the job off (a slice failed elsewhere, or Ctrl-C). */
static bool
called_off(void *ctx)
{
    (void)ctx;
    int from, tag;
    char *text;
    if (!wire_take(0, WIRE_CANCEL, &from, &tag, &text))
        return false;
    free(text);
    return true;
}

static void
nothing_to_finish(void *ctx, job_outcome *out)
{
    (void)ctx;
    (void)out;
}

static void
answer(bool ok, const char *message)
{
    json_t *j = json_pack("{s:b, s:s}", "ok", ok, "message", message ? message : "");
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    wire_send(0, WIRE_DONE, text ? text : "{\"ok\": false, \"message\": \"out of memory\"}");
    free(text);
    json_decref(j);
}

/* dispatch's message without its "job ID (step S, method M): ", which
 * rank 0 adds again with the rank and host. */
static const char *
reason(const wire_job *wj, const char *message)
{
    char prefix[1024];
    snprintf(prefix, sizeof prefix, "job %s (step %s, method %s): ", wj->spec.id,
             wj->spec.step, wj->spec.m->desc->name);
    size_t n = strlen(prefix);
    return strncmp(message, prefix, n) == 0 ? message + n : message;
}

static void
serve_job(const char *text, slice_share *share, int rank)
{
    wire_job wj;
    char err[4096];
    if (wire_job_read(text, &wj, err, sizeof err) < 0) {
        answer(false, err);
        wire_job_free(&wj);
        return;
    }
    if (access(wj.spec.dir, W_OK) < 0) {
        snprintf(err, sizeof err, "job folder %s: %s here; the workdir must be on a "
                 "filesystem every host shares, at the same path", wj.spec.dir,
                 strerror(errno));
        answer(false, err);
        wire_job_free(&wj);
        return;
    }
    memset(share, 0, sizeof *share);
    share->rank = rank;
    memcpy(share->mine, wj.mine, sizeof share->mine);
    job_remote here = {share, NULL, called_off, nothing_to_finish};
    wj.spec.remote = &here;
    job_outcome *out = calloc(1, sizeof *out);
    if (!out) {
        answer(false, "out of memory");
    } else {
        dispatch_run(&wj.spec, out);
        if (dispatch_interrupted())
            ; /* the loop says TERM */
        else
            answer(out->ok, reason(&wj, out->message));
    }
    free(out);
    wire_job_free(&wj);
}

int
mpi_run_serve(void)
{
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    dispatch_install_signals();
    slice_share *share = mmap(NULL, sizeof *share, PROT_READ | PROT_WRITE,
                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (share == MAP_FAILED) {
        fprintf(stderr, "axle: error: --mpi: rank %d: cannot map shared memory\n", rank);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    bool said_term = false;
    for (;;) {
        int from, tag;
        char *text;
        if (dispatch_interrupted() && !said_term) {
            /* Rank 0 hears that this rank lives (a dead one cannot say
             * so); then we wait for the launcher's SIGKILL or rank 0's
             * quit: a rank that exits now would only hurry the launcher. */
            wire_send(0, WIRE_TERM, NULL);
            said_term = true;
        }
        if (!wire_take(0, MPI_ANY_TAG, &from, &tag, &text)) {
            usleep(2000); /* no busy wait: slices run beside us */
            continue;
        }
        bool quit = tag == WIRE_QUIT;
        if (tag == WIRE_WORK && said_term)
            wire_send(0, WIRE_TERM, NULL);
        else if (tag == WIRE_WORK)
            serve_job(text, share, rank);
        free(text); /* a CANCEL here came after its job ended: nothing to do */
        if (quit)
            break;
    }
    munmap(share, sizeof *share);
    MPI_Finalize();
    return 0;
}
