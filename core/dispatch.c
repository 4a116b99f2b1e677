/* dispatch.c - the core's side of running a job: fork the job process,
 * relay its output, draw progress, notice failure or Ctrl-C, and report. */
#include "dispatch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "job_process.h"
#include "progress.h"
#include "reap.h"
#include "run_status.h"
#include "stage_log.h"

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t status_wanted;
/* The progress line on screen, cleared before relayed output is written. */
static progress_view *shown_progress;

static void
on_signal(int sig)
{
    got_signal = sig;
}

void
dispatch_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool
dispatch_interrupted(void)
{
    return got_signal != 0;
}

static void
on_status_signal(int sig)
{
    (void)sig;
    status_wanted = 1;
}

void
dispatch_install_status_signal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_status_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
}

bool
dispatch_status_requested(void)
{
    if (!status_wanted)
        return false;
    status_wanted = 0;
    return true;
}

void
dispatch_answer_status(run_status *rs)
{
    if (!rs || !dispatch_status_requested())
        return;
    if (shown_progress)
        progress_end(shown_progress);
    json_t *st = run_status_json(rs);
    run_status_print(stderr, st);
    json_decref(st);
    fflush(stderr);
}

/* One stage stream: its pipe and its log. */
typedef struct stream {
    int fd;
    stage_log log;
} stream;

static void
stream_relay(stream *s)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0 || errno != EAGAIN) {
                close(s->fd);
                s->fd = -1;
            }
            return;
        }
        stage_log_write(&s->log, buf, (size_t)n);
        if (shown_progress)
            progress_end(shown_progress);
        if (write(STDERR_FILENO, buf, (size_t)n) < 0)
            (void)0;
    }
}

static int
open_streams(const job_spec *spec, const char *logdir, stream *streams,
             int *write_fd)
{
    int n = spec->slices + 2;
    for (int i = 0; i < n; i++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
            return -1;
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        fcntl(p[1], F_SETFD, 0); /* the job process inherits the write end */
        streams[i].fd = p[0];
        write_fd[i] = p[1];
        char name[32];
        if (i == 0)
            snprintf(name, sizeof name, "prepare");
        else if (i == n - 1)
            snprintf(name, sizeof name, "synthesis");
        else
            snprintf(name, sizeof name, "analysis-%d", i - 1);
        stage_log_init(&streams[i].log, logdir, name);
    }
    return 0;
}

static bool
streams_open(const stream *streams, int n)
{
    for (int i = 0; i < n; i++)
        if (streams[i].fd >= 0)
            return true;
    return false;
}

static void
relay_all(stream *streams, int n, int timeout_ms)
{
    struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (streams[i].fd >= 0) {
            pfd[k].fd = streams[i].fd;
            pfd[k].events = POLLIN;
            k++;
        }
    if (k == 0) {
        free(pfd);
        return;
    }
    if (poll(pfd, (nfds_t)k, timeout_ms) > 0)
        for (int i = 0; i < n; i++)
            if (streams[i].fd >= 0)
                stream_relay(&streams[i]);
    free(pfd);
}

/* The job is done only if its process said so after the last stage: its
 * exit status alone proves nothing (a method may call exit(0)). */
static void
describe_end(const job_spec *spec, const job_shared *sh, int status,
             job_outcome *out)
{
    char why[sizeof sh->job.message];
    if (sh->job.state == END_RETURNED && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0) {
        out->ok = true;
        return;
    }
    if (sh->job.state == END_FAILED)
        snprintf(why, sizeof why, "%s", sh->job.message);
    else
        stage_describe_death(sh->stage, -1, status, why, sizeof why);
    snprintf(out->message, sizeof out->message, "job %s (step %s, method %s): %s",
             spec->id, spec->step, spec->m->desc->name, why);
}

/* The workdir and the job folder as they were when the job started, held
 * open: while we hold them their inodes cannot be reused, so a folder
 * removed and made again under the same name is told apart. */
typedef struct job_folders {
    char workdir[4096];
    int workdir_fd, job_fd;
} job_folders;

static int
note_folders(const job_spec *spec, job_folders *f)
{
    snprintf(f->workdir, sizeof f->workdir, "%s", spec->dir);
    char *slash = strrchr(f->workdir, '/');
    if (slash && slash != f->workdir)
        *slash = '\0'; /* a job folder sits right in its workdir */
    f->workdir_fd = open(f->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    f->job_fd = open(spec->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return f->workdir_fd < 0 || f->job_fd < 0 ? -1 : 0;
}

static void
forget_folders(job_folders *f)
{
    if (f->workdir_fd >= 0)
        close(f->workdir_fd);
    if (f->job_fd >= 0)
        close(f->job_fd);
}

static bool
same_folder(const char *path, int fd)
{
    struct stat now, then;
    return stat(path, &now) == 0 && fstat(fd, &then) == 0 &&
           now.st_dev == then.st_dev && now.st_ino == then.st_ino;
}

/* A folder removed (or replaced) under a running job may have lost part
 * of what the job wrote: the job fails, and nothing recreates the folder. */
static void
check_folders(const job_spec *spec, const job_folders *f, job_outcome *out)
{
    const char *what = !same_folder(f->workdir, f->workdir_fd) ? "workdir"
                       : !same_folder(spec->dir, f->job_fd)    ? "job folder"
                                                               : NULL;
    if (!what)
        return;
    out->ok = false;
    snprintf(out->message, sizeof out->message,
             "job %s (step %s, method %s): %s %s vanished during the run",
             spec->id, spec->step, spec->m->desc->name, what,
             what[0] == 'w' ? f->workdir : spec->dir);
}

/* The core's end of the job: relay, draw, publish, wait, and on Ctrl-C
 * kill.  It wakes at least every 100 ms (poll), also once every stage has
 * closed its output, so the status is kept fresh to the very end. */
static int
watch_job(const job_spec *spec, job_shared *sh, pid_t pid,
          stream *streams, int n, job_outcome *out)
{
    progress_view pv;
    char label[512];
    if (spec->nsteps > 0)
        snprintf(label, sizeof label, "%s %zu/%zu", spec->step, spec->step_no,
                 spec->nsteps);
    else
        snprintf(label, sizeof label, "%s", spec->step);
    progress_begin(&pv, label, spec->slices);
    shown_progress = &pv;
    int status = 0;
    /* Readable once the job process has ended, for the last moments when
     * its output is closed; without it (old kernels) we just wait. */
#ifdef SYS_pidfd_open
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#else
    int pidfd = -1;
#endif
    /* Under --mpi the loop also moves the messages of other ranks. */
    const job_remote *remote = spec->remote;
    int nap_ms = remote ? 2 : 100;
    for (;;) {
        if (streams_open(streams, n)) {
            relay_all(streams, n, nap_ms);
        } else if (pidfd >= 0) {
            struct pollfd p = {pidfd, POLLIN, 0};
            poll(&p, 1, nap_ms);
        } else if (remote) {
            usleep((useconds_t)nap_ms * 1000);
        } else if (waitpid(pid, &status, 0) == pid || errno != EINTR) {
            break;
        }
        if (got_signal) {
            kill(-pid, SIGKILL);
            out->interrupted = true;
        }
        if (remote && remote->tick(remote->ctx, sh))
            kill(-pid, SIGKILL); /* called off by rank 0 */
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            break;
        dispatch_answer_status(spec->status);
        run_status_tick(spec->status);
        progress_draw(&pv, sh, clock_now());
    }
    if (pidfd >= 0)
        close(pidfd);
    progress_end(&pv);
    shown_progress = NULL;
    return status;
}

/* Each stage's seconds, and each slice's: a slice that never returned
 * (its job failed first) is null; a method without analysis has none. */
static json_t *
stage_times(const job_spec *spec, const job_shared *sh)
{
    json_t *slices = json_array();
    for (int i = 0; spec->m->analysis && i < spec->slices; i++) {
        const stage_end *end = &sh->slice_ends[i];
        json_array_append_new(slices, end->state == END_NONE ? json_null()
                                                              : json_real(end->seconds));
    }
    return json_pack("{s:f, s:o, s:f}", "prepare", sh->seconds[STAGE_PREPARE], "analysis",
                     slices, "synthesis", sh->seconds[STAGE_SYNTHESIS]);
}

static void
run_job_process(const job_spec *spec, job_shared *sh, stream *streams,
                int *write_fd, job_folders *folders, job_outcome *out)
{
    int n = spec->slices + 2;
    pid_t core_pid = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        /* If the core is killed (even by SIGKILL), the job goes with it:
         * nothing may go on writing into the workdir, or hold its lock. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != core_pid)
            _exit(9);
        for (int i = 0; i < n; i++)
            close(streams[i].fd);
        forget_folders(folders);
        job_pipes pipes = {write_fd};
        job_process_main(spec, sh, &pipes);
    }
    for (int i = 0; i < n; i++)
        close(write_fd[i]);
    if (pid < 0) {
        snprintf(out->message, sizeof out->message, "job %s: cannot fork: %s",
                 spec->id, strerror(errno));
        return;
    }
    setpgid(pid, pid); /* both sides, so no race with an early kill */
    int status = watch_job(spec, sh, pid, streams, n, out);
    /* Nothing of the job may outlive it: its orphans are our children now
     * (we are their subreaper), even those that left its process group. */
    reap_children();
    relay_all(streams, n, 0);
    if (out->interrupted)
        snprintf(out->message, sizeof out->message,
                 "job %s (step %s, method %s): interrupted", spec->id,
                 spec->step, spec->m->desc->name);
    else
        describe_end(spec, sh, status, out);
    if (spec->remote)
        spec->remote->finish(spec->remote->ctx, out, sh);
    memcpy(out->seconds, (const void *)sh->seconds, sizeof out->seconds);
    out->stages = stage_times(spec, sh);
}

void
dispatch_run(const job_spec *spec, job_outcome *out)
{
    memset(out, 0, sizeof *out);
    int n = spec->slices + 2;
    size_t shsize = job_shared_size(spec->slices);
    job_shared *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    stream *streams = calloc((size_t)n, sizeof *streams);
    int *write_fd = calloc((size_t)n, sizeof *write_fd);
    char logdir[4096];
    snprintf(logdir, sizeof logdir, "%s/log", spec->dir);
    job_folders folders = {"", -1, -1};
    if (sh == MAP_FAILED || !streams || !write_fd || note_folders(spec, &folders) < 0 ||
        reap_become_subreaper() < 0 || open_streams(spec, logdir, streams, write_fd) < 0) {
        snprintf(out->message, sizeof out->message, "job %s: cannot set up: %s",
                 spec->id, strerror(errno));
        forget_folders(&folders);
        if (sh != MAP_FAILED)
            munmap(sh, shsize);
        free(streams);
        free(write_fd);
        return;
    }
    job_shared_init(sh, spec->slices);
    if (spec->status)
        run_status_job(spec->status, spec->id, sh, spec->slices);
    fflush(NULL);
    run_job_process(spec, sh, streams, write_fd, &folders, out);
    if (spec->status)
        run_status_job(spec->status, NULL, NULL, 0);
    if (!out->interrupted)
        check_folders(spec, &folders, out);
    forget_folders(&folders);
    for (int i = 0; i < n; i++) {
        if (streams[i].fd >= 0)
            close(streams[i].fd);
        stage_log_close(&streams[i].log);
    }
    free(streams);
    free(write_fd);
    munmap(sh, shsize);
}
