/* job_process.c - prepare, N slices, synthesis, inside the job process.
 *
 * Exit status of the job process: 0 done; 3 a stage failed and
 * JOBDIR/.failure says why.  Anything else (a signal, another status) is
 * reported by the core from the wait status and the stage in `shared`. */
#include "job_process.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"

const char *const job_stage_names[STAGE_COUNT] = {"prepare", "analysis", "synthesis"};

#define FAILED_STATUS 3

/* The method's analysis, for the forked slices. */
static method_analysis_fn analysis_fn;

static int
write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fs_write_atomic(path, text, strlen(text));
}

static void __attribute__((noreturn))
fail(axle_job *job, const char *fmt, ...)
{
    char msg[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (write_text(job->dir, ".failure", msg) < 0) {
        /* The folder is unwritable (a full disk, say): the message still
         * reaches the user through the stage output the core relays. */
        fprintf(stderr, "axle: %s\n", msg);
    }
    fflush(NULL);
    _exit(FAILED_STATUS);
}

static void
route_output(int fd)
{
    fflush(NULL);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static const char *
errmsg_or(const axle_job *job, const char *fallback)
{
    return job->errmsg[0] ? job->errmsg : fallback;
}

static void
run_single(axle_job *job, job_shared *sh, int stage, int fd, int slices,
           method_prepare_fn fn)
{
    if (!fn)
        return;
    sh->stage = stage;
    job->stage = job_stage_names[stage];
    job->sliceno = -1;
    job->progress = &sh->slots[slices];
    job->errmsg[0] = '\0';
    route_output(fd);
    double t0 = clock_now();
    int rc = fn(job);
    if (rc >= 0)
        rc = axle_internal_writers_close(job);
    sh->seconds[stage] = clock_now() - t0;
    if (rc < 0)
        fail(job, "%s failed: %s", job->stage, errmsg_or(job, "returned an error"));
}

static void __attribute__((noreturn))
slice_main(axle_job *job, job_shared *sh, int sliceno, int fd)
{
    job->stage = "analysis";
    job->sliceno = sliceno;
    job->progress = &sh->slots[sliceno];
    job->errmsg[0] = '\0';
    route_output(fd);
    int rc = analysis_fn(job, sliceno);
    if (rc >= 0)
        rc = axle_internal_writers_close(job);
    if (rc < 0) {
        char name[32];
        snprintf(name, sizeof name, ".error.%d", sliceno);
        if (write_text(job->dir, name, errmsg_or(job, "returned an error")) < 0)
            fprintf(stderr, "axle: slice %d of %s failed: %s\n", sliceno,
                    job->method, errmsg_or(job, "returned an error"));
        fflush(NULL);
        _exit(FAILED_STATUS);
    }
    fflush(NULL);
    _exit(0);
}

static void
describe_slice_end(const axle_job *job, int sliceno, int status, char *out,
                   size_t outlen)
{
    if (WIFSIGNALED(status)) {
        snprintf(out, outlen, "slice %d died: SIG%s", sliceno,
                 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status))
                                                : "?");
    } else if (WEXITSTATUS(status) == FAILED_STATUS) {
        char path[4096], msg[2048] = "returned an error (its message is in the output above)";
        snprintf(path, sizeof path, "%s/.error.%d", job->dir, sliceno);
        fs_read_text(path, msg, sizeof msg);
        snprintf(out, outlen, "slice %d failed: %s", sliceno, msg);
    } else {
        snprintf(out, outlen, "slice %d exited with status %d (methods must "
                 "return, not exit)", sliceno, WEXITSTATUS(status));
    }
}

static void
run_slices(axle_job *job, job_shared *sh, const job_pipes *pipes, int slices)
{
    if (!analysis_fn) {
        for (int i = 0; i < slices; i++)
            close(pipes->write_fd[i + 1]);
        return;
    }
    sh->stage = STAGE_ANALYSIS;
    double t0 = clock_now();
    pid_t *pids = calloc((size_t)slices, sizeof *pids);
    pid_t job_pid = getpid();
    for (int i = 0; i < slices; i++) {
        pids[i] = fork();
        if (pids[i] < 0)
            fail(job, "analysis: cannot fork slice %d: %s", i, strerror(errno));
        if (pids[i] == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL); /* no slice outlives its job */
            if (getppid() != job_pid)
                _exit(9);
            for (int k = 0; k < slices + 2; k++)
                if (k != i + 1)
                    close(pipes->write_fd[k]);
            slice_main(job, sh, i, pipes->write_fd[i + 1]);
        }
    }
    for (int i = 0; i < slices; i++)
        close(pipes->write_fd[i + 1]);
    int running = slices;
    while (running > 0) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break;
        int which = -1;
        for (int i = 0; i < slices; i++)
            if (pids[i] == pid)
                which = i;
        if (which < 0)
            continue;
        pids[which] = 0;
        running--;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            continue;
        char why[2300];
        describe_slice_end(job, which, status, why, sizeof why);
        for (int i = 0; i < slices; i++)
            if (pids[i] > 0)
                kill(pids[i], SIGKILL);
        while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
            ;
        fail(job, "%s", why);
    }
    free(pids);
    sh->seconds[STAGE_ANALYSIS] = clock_now() - t0;
}

static void
build_job(axle_job *job, const job_spec *spec)
{
    memset(job, 0, sizeof *job);
    job->id = (char *)spec->id;
    job->dir = (char *)spec->dir;
    job->method = (char *)spec->m->desc->name;
    job->slices = spec->slices;
    job->sliceno = -1;
    job->options = spec->options;
    job->base_dir = (char *)spec->base_dir;
    job->inputs = spec->inputs;
    job->job_inputs = spec->job_inputs;
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

    run_single(&job, sh, STAGE_PREPARE, pipes->write_fd[0], slices,
               spec->m->prepare);
    close(pipes->write_fd[0]);
    run_slices(&job, sh, pipes, slices);
    run_single(&job, sh, STAGE_SYNTHESIS, pipes->write_fd[slices + 1], slices,
               spec->m->synthesis);
    char err[1024] = "";
    if (axle_internal_datasets_finish(job.dir, slices, err, sizeof err) < 0)
        fail(&job, "finishing datasets: %s", err);
    fflush(NULL);
    _exit(0);
}
