/* job_process.c - prepare, N slices, synthesis, inside the job process.
 *
 * A stage counts as done only when its entry point returned through the
 * code here: the process then writes its token (job_shared) and the
 * parent trusts nothing else.  An exit() or _exit() inside a method,
 * whatever its status, leaves the token unset and fails the job.  The job
 * process writes its own token last, after every stage and the datasets'
 * finishing succeeded, or with the reason when one failed. */
#include "job_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "reap.h"

const char *const job_stage_names[STAGE_COUNT + 1] = {
    "prepare", "analysis", "synthesis", "finishing datasets"};

/* The method's analysis, for the forked slices. */
static method_analysis_fn analysis_fn;
/* The core's stderr, kept for the job process's own notices. */
static int notice_fd = -1;

size_t
job_shared_size(int slices)
{
    return sizeof(job_shared) +
           (size_t)(slices + 1) * sizeof(struct axle_progress_slot) +
           (size_t)slices * sizeof(stage_end);
}

void
job_shared_init(job_shared *sh, int slices)
{
    memset(sh, 0, job_shared_size(slices));
    sh->slice_ends = (stage_end *)(void *)&sh->slots[slices + 1];
}

/* "prepare()", "analysis() in slice 3", "finishing datasets". */
static void
entry_name(int stage, int sliceno, char *out, size_t outlen)
{
    if (stage == STAGE_FINISH)
        snprintf(out, outlen, "%s", job_stage_names[stage]);
    else if (sliceno >= 0)
        snprintf(out, outlen, "%s() in slice %d", job_stage_names[stage], sliceno);
    else
        snprintf(out, outlen, "%s()", job_stage_names[stage]);
}

void
stage_describe_death(int stage, int sliceno, int wait_status, char *out,
                     size_t outlen)
{
    char entry[64];
    entry_name(stage, sliceno, entry, sizeof entry);
    if (WIFSIGNALED(wait_status)) {
        const char *sig = sigabbrev_np(WTERMSIG(wait_status));
        snprintf(out, outlen, "%s died: SIG%s", entry, sig ? sig : "?");
    } else {
        snprintf(out, outlen, "%s called exit(%d); entry points must return, "
                 "never exit", entry, WEXITSTATUS(wait_status));
    }
}

static const char *
code_name(int code)
{
    static const char *const names[] = {
        "AXLE_OK", "AXLE_EINVAL", "AXLE_ENOMEM", "AXLE_EIO", "AXLE_EFORMAT",
        "AXLE_EUNSUPPORTED", "AXLE_ETOOBIG", "AXLE_EINTERNAL"};
    return code <= 0 && -code < (int)(sizeof names / sizeof *names) ? names[-code] : NULL;
}

/* Writes the stage's token from what its entry point returned: a positive
 * value, or a failure without a message, is a failure of its own. */
static void
settle_stage(axle_job *job, stage_end *end, int stage, int rc)
{
    char entry[64];
    entry_name(stage, job->sliceno, entry, sizeof entry);
    if (job->opt_misuse[0]) { /* whatever it returned, it read a wrong option */
        snprintf(end->message, sizeof end->message, "%s failed: %s", entry,
                 job->opt_misuse);
    } else if (rc > 0) {
        snprintf(end->message, sizeof end->message, "%s returned %d; entry "
                 "points return AXLE_OK or a negative AXLE_E* code", entry, rc);
    } else if (rc < 0 && job->errmsg[0]) {
        snprintf(end->message, sizeof end->message, "%s failed: %s", entry,
                 job->errmsg);
    } else if (rc < 0) {
        const char *name = code_name(rc);
        char number[32];
        snprintf(number, sizeof number, "%d", rc);
        snprintf(end->message, sizeof end->message, "%s returned %s without a "
                 "message; set one with axle_error()", entry, name ? name : number);
    } else if (axle_internal_writers_close(job) < 0) {
        snprintf(end->message, sizeof end->message, "%s returned, but closing "
                 "its datasets failed: %s", entry,
                 job->errmsg[0] ? job->errmsg : "no reason given");
    } else if (axle_internal_results_close(job) < 0) {
        snprintf(end->message, sizeof end->message, "%s returned, but its "
                 "results failed: %s", entry, job->errmsg);
    } else {
        end->state = END_RETURNED;
        return;
    }
    end->state = END_FAILED;
}

static void __attribute__((noreturn))
fail(job_shared *sh, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sh->job.message, sizeof sh->job.message, fmt, ap);
    va_end(ap);
    sh->job.state = END_FAILED;
    fflush(NULL);
    _exit(1);
}

/* Line buffering with a buffer of our own: the core has written its step
 * lines to this stdout already, and glibc keeps a used stream's buffer
 * fully buffered unless it is given a new one (a method's puts() would
 * then wait in the buffer, and be printed again by every forked slice). */
static char stdout_buffer[BUFSIZ];

static void
route_output(int fd)
{
    fflush(NULL);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    setvbuf(stdout, stdout_buffer, _IOLBF, sizeof stdout_buffer);
}

/* Nothing a stage started may outlive it: kill its leftovers, and say so. */
static void
end_leftovers(const char *stage)
{
    int left = reap_children();
    if (left > 0 && notice_fd >= 0)
        dprintf(notice_fd, "axle: %s left %d process%s running; killed\n", stage,
                left, left == 1 ? "" : "es");
}

static void
run_single(axle_job *job, job_shared *sh, int stage, int fd, int slices,
           method_prepare_fn fn)
{
    if (!fn)
        return;
    sh->stage_started = clock_now();
    sh->stage = stage;
    job->stage = job_stage_names[stage];
    job->sliceno = -1;
    job->progress = &sh->slots[slices];
    job->errmsg[0] = '\0';
    job->opt_misuse[0] = '\0';
    route_output(fd);
    double t0 = clock_now();
    stage_end end = {END_NONE, 0, ""};
    settle_stage(job, &end, stage, fn(job));
    sh->seconds[stage] = clock_now() - t0;
    end_leftovers(job->stage);
    if (end.state != END_RETURNED)
        fail(sh, "%s", end.message);
}

static void __attribute__((noreturn))
slice_main(axle_job *job, job_shared *sh, int sliceno, int fd)
{
    job->stage = "analysis";
    job->sliceno = sliceno;
    job->progress = &sh->slots[sliceno];
    job->errmsg[0] = '\0';
    job->opt_misuse[0] = '\0';
    route_output(fd);
    int rc = analysis_fn(job, sliceno);
    sh->slice_ends[sliceno].seconds = clock_now() - sh->stage_started;
    settle_stage(job, &sh->slice_ends[sliceno], STAGE_ANALYSIS, rc);
    fflush(NULL);
    _exit(0);
}

/* Why slice `sliceno` did not succeed, or "" when it did. */
static void
judge_slice(const job_shared *sh, int sliceno, int status, char *out,
            size_t outlen)
{
    const stage_end *end = &sh->slice_ends[sliceno];
    out[0] = '\0';
    if (end->state == END_FAILED)
        snprintf(out, outlen, "%s", end->message);
    else if (end->state != END_RETURNED || !WIFEXITED(status) ||
             WEXITSTATUS(status) != 0)
        stage_describe_death(STAGE_ANALYSIS, sliceno, status, out, outlen);
}

static void
start_slice(axle_job *job, job_shared *sh, const job_pipes *pipes, int slices,
            int i, pid_t *pid)
{
    pid_t job_pid = getpid();
    *pid = fork();
    if (*pid < 0)
        fail(sh, "analysis: cannot fork slice %d: %s", i, strerror(errno));
    if (*pid > 0)
        return;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* no slice outlives its job */
    if (getppid() != job_pid)
        _exit(9);
    if (notice_fd >= 0)
        close(notice_fd);
    for (int k = 0; k < slices + 2; k++)
        if (k != i + 1)
            close(pipes->write_fd[k]);
    slice_main(job, sh, i, pipes->write_fd[i + 1]);
}

/* Rank 0 under --mpi: the other ranks' slices, as the core heard of them.
 * Waits in short naps (the core moves the messages); a failure elsewhere
 * fails the job like a slice of its own. */
static void
await_other_ranks(job_shared *sh, slice_share *share)
{
    while (share->remote == REMOTE_GO)
        usleep(2000);
    if (share->remote == REMOTE_FAILED)
        fail(sh, "%s", share->message);
}

/* Forks the slices this rank owns (all of them on one machine: share is
 * NULL), waits for each, and fails the job at the first that fails. */
static void
run_slices(axle_job *job, job_shared *sh, const job_pipes *pipes, int slices,
           slice_share *share)
{
    if (!analysis_fn) {
        for (int i = 0; i < slices; i++)
            close(pipes->write_fd[i + 1]);
        return;
    }
    double t0 = clock_now();
    sh->stage_started = t0;
    sh->stage = STAGE_ANALYSIS;
    pid_t *pids = calloc((size_t)slices, sizeof *pids);
    if (!pids)
        fail(sh, "analysis: out of memory");
    int running = 0;
    for (int i = 0; i < slices; i++)
        if (!share || share->mine[i]) {
            start_slice(job, sh, pipes, slices, i, &pids[i]);
            running++;
        }
    for (int i = 0; i < slices; i++)
        close(pipes->write_fd[i + 1]);
    /* Rank 0 under --mpi also watches the other ranks while it waits: a
     * slice failing there ends the slices here at once, as a sibling's. */
    bool watch = share && share->rank == 0;
    while (running > 0) {
        int status;
        if (watch && share->remote == REMOTE_FAILED) {
            reap_children();
            fail(sh, "%s", share->message);
        }
        pid_t pid = waitpid(-1, &status, watch ? WNOHANG : 0);
        if (pid == 0) {
            usleep(2000);
            continue;
        }
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break;
        int which = -1;
        for (int i = 0; i < slices; i++)
            if (pids[i] == pid)
                which = i;
        if (which < 0)
            continue; /* a slice's orphan, reparented to us and ended */
        pids[which] = 0;
        running--;
        char why[sizeof sh->job.message];
        judge_slice(sh, which, status, why, sizeof why);
        if (!why[0])
            continue;
        /* A failing slice ends its siblings (and everything else) at once. */
        reap_children();
        fail(sh, "%s", why);
    }
    free(pids);
    if (share && share->rank == 0)
        await_other_ranks(sh, share);
    sh->seconds[STAGE_ANALYSIS] = clock_now() - t0;
    end_leftovers("analysis");
}

/* A worker rank under --mpi: prepare again, its writes held back and its
 * output dropped (rank 0's prepare printed and wrote it all), so that the
 * slices forked here inherit what the slices on rank 0 inherit. */
static void __attribute__((noreturn))
rank_main(axle_job *job, const job_spec *spec, job_shared *sh,
          const job_pipes *pipes, slice_share *share)
{
    int slices = spec->slices;
    close(pipes->write_fd[0]);
    close(pipes->write_fd[slices + 1]);
    int quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (quiet < 0)
        fail(sh, "prepare: cannot open /dev/null: %s", strerror(errno));
    if (analysis_fn) {
        job->replay = true;
        run_single(job, sh, STAGE_PREPARE, quiet, slices, spec->m->prepare);
        job->replay = false;
    }
    route_output(quiet); /* nothing of this process goes to prepare's log */
    run_slices(job, sh, pipes, slices, share);
    fflush(NULL);
    sh->job.state = END_RETURNED;
    _exit(0);
}

static void
build_job(axle_job *job, const job_spec *spec)
{
    memset(job, 0, sizeof *job);
    job->id = (char *)spec->id;
    job->dir = (char *)spec->dir;
    job->method = (char *)spec->m->desc->name;
    job->desc = spec->m->desc;
    job->slices = spec->slices;
    job->sliceno = -1;
    job->options = spec->options;
    job->base_dir = (char *)spec->base_dir;
    job->inputs = spec->inputs;
    job->job_inputs = spec->job_inputs;
    job->identity = (char *)spec->identity;
    job->step = (char *)spec->step;
    job->chain_base = (char *)spec->chain_base;
    job->chain_inputs = spec->chain_inputs;
    job->recipe = (char *)spec->recipe;
    job->file_facts = spec->file_facts;
}

void
job_process_main(const job_spec *spec, job_shared *sh, const job_pipes *pipes)
{
    static axle_job job;
    int slices = spec->slices;
    build_job(&job, spec);
    axle_internal_current = &job;
    analysis_fn = spec->m->analysis;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    /* SIGUSR1 asks the core for its status tree: a job or slice that gets
     * it too (kill -USR1 on the process group, pkill axle) carries on.
     * The slices inherit this through fork. */
    signal(SIGUSR1, SIG_IGN);
    /* Orphans of the slices come to us, so analysis can end them all. */
    reap_become_subreaper();
    notice_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    slice_share *share = spec->remote ? spec->remote->share : NULL;
    if (share && share->rank > 0)
        rank_main(&job, spec, sh, pipes, share);

    run_single(&job, sh, STAGE_PREPARE, pipes->write_fd[0], slices,
               spec->m->prepare);
    close(pipes->write_fd[0]);
    if (share && analysis_fn)
        share->remote = REMOTE_GO; /* the core sends the other ranks their slices */
    run_slices(&job, sh, pipes, slices, share);
    run_single(&job, sh, STAGE_SYNTHESIS, pipes->write_fd[slices + 1], slices,
               spec->m->synthesis);
    sh->stage_started = clock_now();
    sh->stage = STAGE_FINISH;
    char err[1024] = "";
    if (axle_internal_datasets_finish(job.dir, slices, err, sizeof err) < 0)
        fail(sh, "finishing datasets: %s", err);
    fflush(NULL);
    sh->job.state = END_RETURNED;
    _exit(0);
}
