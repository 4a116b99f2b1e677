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

#include "clock.h"
#include "job_process.h"
#include "mpi_wire.h"

/* A job this rank runs slices of, as its core loop sees it. */
typedef struct worker_job {
    const wire_job *wj;
    double last_report; /* clock_now() of the last progress sent */
    int ended;          /* slices seen ended then */
} worker_job;

#define REPORT_INTERVAL 0.25 /* seconds; rank 0 publishes its status each 1 s */

/* Tells rank 0 how far this rank's slices are, for its status. */
static void
report_progress(worker_job *w, const job_shared *sh, int ended)
{
    char *text = wire_progress_text(w->wj->spec.id, sh, w->wj->mine, w->wj->spec.slices);
    if (text)
        wire_send(0, WIRE_PROGRESS, text);
    free(text);
    w->last_report = clock_now();
    w->ended = ended;
}

static int
ended_slices(const worker_job *w, const job_shared *sh)
{
    int n = 0;
    for (int s = 0; s < w->wj->spec.slices && s < SLICE_SHARE_MAX; s++)
        n += w->wj->mine[s] && sh->slice_ends[s].state != END_NONE;
    return n;
}

/* Each turn of the loop: progress now and then in analysis (at once when
 * a slice has ended), and whether rank 0 called the job off (a slice
 * failed elsewhere, or Ctrl-C). */
static bool
worker_tick(void *ctx, job_shared *sh)
{
    worker_job *w = ctx;
    if (sh->stage == STAGE_ANALYSIS) {
        int ended = ended_slices(w, sh);
        if (ended != w->ended || clock_now() - w->last_report >= REPORT_INTERVAL)
            report_progress(w, sh, ended);
    }
    int from, tag;
    char *text;
    if (!wire_take(0, WIRE_CANCEL, &from, &tag, &text))
        return false;
    free(text);
    return true;
}

/* The job process has ended: the slices' last state, before the answer. */
static void
worker_finish(void *ctx, job_outcome *out, job_shared *sh)
{
    (void)out;
    worker_job *w = ctx;
    report_progress(w, sh, ended_slices(w, sh));
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
    worker_job w = {&wj, -1e9, 0};
    job_remote here = {share, &w, worker_tick, worker_finish};
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
