/* mpi_core.c - `axle run --mpi`, rank 0's side: joining the MPI job,
 * checking every rank runs the same libraries, sending each job's slices
 * to the other ranks and hearing how they ended (mpi_run.h). */
#include "mpi_run.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "clock.h"
#include "digest.h"
#include "job_process.h"
#include "libaxle_digest.h"
#include "mpi_wire.h"

/* What every rank says of itself when the run starts. */
typedef struct hello {
    char host[256];
    char libaxle[DIGEST_HEX_LEN]; /* its libaxle's SHA-256, "" if unknown */
    char libs[DIGEST_HEX_LEN];    /* SHA-256 of its library versions */
    int pid;
} hello;

/* Rank 0's view of the other ranks during one job. */
typedef struct core_side {
    job_remote remote;
    slice_share *share;   /* MAP_SHARED with the job process */
    const job_spec *spec;
    bool sent;            /* the job went out to the other ranks */
    bool *busy;           /* rank r has not said how its slices ended */
    int outstanding;      /* how many are busy */
    job_shared *sh;       /* the job's shared state: other ranks' progress goes in */
} core_side;

static int world_size = 1;
static hello *hellos;     /* rank 0: every rank's, by rank */
static core_side side;
static bool lost_rank;    /* a rank never answered: MPI_Abort at the end */

static void
say_hello(hello *h)
{
    memset(h, 0, sizeof *h);
    if (gethostname(h->host, sizeof h->host - 1) < 0)
        snprintf(h->host, sizeof h->host, "?");
    char err[256];
    const char *sha = libaxle_sha256(NULL, err, sizeof err);
    snprintf(h->libaxle, sizeof h->libaxle, "%s", sha ? sha : "");
    json_t *v = axle_internal_library_versions();
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (text)
        digest_bytes(text, strlen(text), h->libs);
    free(text);
    json_decref(v);
    h->pid = (int)getpid();
}

/* Rank 0: a rank with another libaxle or other codec libraries would make
 * other bytes under the same identities. */
static bool
same_libraries(void)
{
    bool ok = true;
    for (int r = 1; r < world_size; r++) {
        const hello *h = &hellos[r];
        const char *what = !h->libaxle[0] || strcmp(h->libaxle, hellos[0].libaxle) != 0
                               ? "libaxle"
                           : strcmp(h->libs, hellos[0].libs) != 0 ? "image libraries"
                                                                  : NULL;
        if (!what)
            continue;
        fprintf(stderr, "axle: error: --mpi: rank %d (host %s) runs other %s than rank 0 "
                "(host %s); every host must run the same axle build, or jobs would "
                "differ under the same identity\n", r, h->host, what, hellos[0].host);
        ok = false;
    }
    return ok;
}

int
mpi_run_begin(int *argc, char ***argv, int *rank)
{
    /* OpenMPI's handlers of SIGSEGV and the like would be inherited by
     * every slice and print their own report: a slice's death is told by
     * axle, as on one machine. */
    setenv("OMPI_MCA_opal_signal", "", 0);
    if (MPI_Init(argc, argv) != MPI_SUCCESS) {
        fprintf(stderr, "axle: error: --mpi: MPI_Init failed; start axle with "
                "mpirun -n P (or srun -n P)\n");
        return -1;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    hello mine;
    say_hello(&mine);
    if (*rank == 0 && !(hellos = calloc((size_t)world_size, sizeof *hellos))) {
        fprintf(stderr, "axle: error: --mpi: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, hellos, (int)sizeof mine, MPI_BYTE, 0,
               MPI_COMM_WORLD);
    int ok = *rank == 0 ? same_libraries() : 1;
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) {
        MPI_Finalize();
        return -1;
    }
    return 0;
}

/* The first failure of another rank reaches the job process, which
 * fails the job with it (the rest are called off in finish). */
static void
fail_remote(int r, const char *why)
{
    slice_share *sh = side.share;
    if (sh->remote != REMOTE_GO)
        return;
    snprintf(sh->message, sizeof sh->message, "rank %d (host %s): %s", r,
             hellos[r].host, why);
    __sync_synchronize(); /* the message before the state that says read it */
    sh->remote = REMOTE_FAILED;
}

static void
settled(int r)
{
    if (side.busy[r]) {
        side.busy[r] = false;
        side.outstanding--;
    }
}

static void
heard(int r, int tag, const char *text)
{
    if (r <= 0 || r >= world_size || !side.busy[r])
        return; /* an answer to a job already settled */
    settled(r);
    if (tag == WIRE_TERM) {
        fail_remote(r, "ended by the launcher (SIGTERM) before its slices were done");
        return;
    }
    json_t *j = json_loads(text, 0, NULL);
    if (!json_is_true(json_object_get(j, "ok"))) {
        const char *why = json_string_value(json_object_get(j, "message"));
        fail_remote(r, why ? why : "its slices failed, no reason given");
    }
    json_decref(j);
}

static void
take_messages(void)
{
    int from, tag;
    char *text;
    while (wire_take(MPI_ANY_SOURCE, MPI_ANY_TAG, &from, &tag, &text)) {
        if (tag == WIRE_DONE || tag == WIRE_TERM)
            heard(from, tag, text);
        else if (tag == WIRE_PROGRESS && side.sh)
            wire_progress_take(text, side.spec->id, side.sh, side.spec->slices, from,
                               world_size);
        free(text);
    }
}

static void
send_work(void)
{
    const job_spec *spec = side.spec;
    slice_share theirs;
    side.sent = true;
    for (int r = 1; r < world_size; r++) {
        bool any = false;
        memset(theirs.mine, 0, sizeof theirs.mine);
        for (int s = r; s < spec->slices; s += world_size)
            theirs.mine[s] = any = true;
        if (!any)
            continue; /* more ranks than slices */
        char *text = wire_job_text(spec, &theirs);
        if (!text || wire_send(r, WIRE_WORK, text) < 0) {
            fail_remote(r, "cannot send it its slices (MPI_Send failed)");
            free(text);
            continue;
        }
        free(text);
        side.busy[r] = true;
        side.outstanding++;
    }
}

static bool
core_tick(void *ctx, job_shared *sh)
{
    (void)ctx;
    side.sh = sh;
    if (!side.sent && side.share->remote == REMOTE_GO)
        send_work();
    if (side.sent)
        take_messages();
    if (side.sent && side.outstanding == 0 && side.share->remote == REMOTE_GO)
        side.share->remote = REMOTE_OK;
    return false;
}

/* "1, 4, 7": the slices of rank r. */
static void
slices_of(int r, int slices, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (int s = r; s < slices && n < outlen; s += world_size)
        n += (size_t)snprintf(out + n, outlen - n, "%s%d", n ? ", " : "", s);
}

/* Ranks still busy once the others have answered never will: a rank
 * that died, or a host lost.  The launcher ends the run (SIGTERM) when a
 * rank dies; each live rank says so at once (WIRE_TERM), so a short wait
 * then tells the dead from the living. */
static void
core_finish(void *ctx, job_outcome *out, job_shared *sh)
{
    (void)ctx;
    side.sh = sh; /* the ranks' last progress comes before their answers */
    if (side.sent) {
        for (int r = 1; r < world_size; r++)
            if (side.busy[r] && !dispatch_interrupted())
                wire_post(r, WIRE_CANCEL);
        /* The launcher kills what is left 1 s after its SIGTERM (OpenMPI's
         * odls_base_sigkill_timeout): the failure is recorded before. */
        double start = clock_now();
        while (side.outstanding > 0) {
            take_messages();
            double waited = clock_now() - start;
            if (waited > (dispatch_interrupted() ? 0.3 : 30.0))
                break;
            usleep(2000);
        }
    }
    for (int r = 1; r < world_size && side.outstanding > 0; r++) {
        if (!side.busy[r])
            continue;
        char list[256];
        slices_of(r, side.spec->slices, list, sizeof list);
        const job_spec *spec = side.spec;
        snprintf(out->message, sizeof out->message,
                 "job %s (step %s, method %s): rank %d (host %s, pid %d), running "
                 "slice %s, stopped answering: it died or lost its host", spec->id,
                 spec->step, spec->m->desc->name, r, hellos[r].host, hellos[r].pid, list);
        out->ok = false;
        out->interrupted = false;
        lost_rank = true;
        break; /* the first is named; the launcher ends them all */
    }
    side.sent = false;
    side.outstanding = 0;
    side.sh = NULL;
    side.share->remote = REMOTE_IDLE;
}

const job_remote *
mpi_run_remote(const job_spec *spec)
{
    if (world_size < 2)
        return NULL;
    if (!side.share) {
        side.share = mmap(NULL, sizeof *side.share, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        side.busy = calloc((size_t)world_size, sizeof *side.busy);
        if (side.share == MAP_FAILED || !side.busy) {
            side.share = NULL;
            return NULL; /* then the job runs here, all of it */
        }
        side.remote = (job_remote){side.share, &side, core_tick, core_finish};
    }
    memset(side.share, 0, sizeof *side.share);
    for (int s = 0; s < spec->slices && s < SLICE_SHARE_MAX; s += world_size)
        side.share->mine[s] = true;
    side.spec = spec;
    side.sent = false;
    side.outstanding = 0;
    memset(side.busy, 0, (size_t)world_size * sizeof *side.busy);
    return &side.remote;
}

void
mpi_run_end(int rc)
{
    fflush(NULL);
    if (lost_rank)
        MPI_Abort(MPI_COMM_WORLD, rc ? rc : 1);
    if (dispatch_interrupted())
        _exit(rc); /* the launcher is ending every rank already */
    for (int r = 1; r < world_size; r++)
        wire_send(r, WIRE_QUIT, NULL);
    MPI_Finalize();
    free(hellos);
    hellos = NULL;
}
