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
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "job_process.h"
#include "progress.h"

static volatile sig_atomic_t got_signal;
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

/* One stage stream: its pipe and its log file, opened on first output. */
typedef struct stream {
    int fd;
    int log;
    char name[32];
} stream;

static void
stream_relay(stream *s, const char *logdir)
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
        if (s->log < 0) {
            char path[4096];
            fs_mkdirs(logdir, 0755);
            snprintf(path, sizeof path, "%s/%s.txt", logdir, s->name);
            s->log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        }
        if (s->log >= 0 && write(s->log, buf, (size_t)n) < 0)
            (void)0; /* a full disk must not stop the job: the terminal shows it */
        if (shown_progress)
            progress_end(shown_progress);
        if (write(STDERR_FILENO, buf, (size_t)n) < 0)
            (void)0;
    }
}

static int
open_streams(const job_spec *spec, stream *streams, int *write_fd)
{
    int n = spec->slices + 2;
    for (int i = 0; i < n; i++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
            return -1;
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        fcntl(p[1], F_SETFD, 0); /* the job process inherits the write end */
        streams[i].fd = p[0];
        streams[i].log = -1;
        write_fd[i] = p[1];
        if (i == 0)
            snprintf(streams[i].name, sizeof streams[i].name, "prepare");
        else if (i == n - 1)
            snprintf(streams[i].name, sizeof streams[i].name, "synthesis");
        else
            snprintf(streams[i].name, sizeof streams[i].name, "analysis-%d", i - 1);
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
relay_all(stream *streams, int n, const char *logdir, int timeout_ms)
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
                stream_relay(&streams[i], logdir);
    free(pfd);
}

static void
read_failure(const job_spec *spec, char *out, size_t outlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/.failure", spec->dir);
    if (!fs_read_text(path, out, outlen))
        out[0] = '\0';
}

static void
describe_end(const job_spec *spec, const job_shared *sh, int status,
             job_outcome *out)
{
    char why[2100] = "";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        out->ok = true;
        return;
    }
    const char *stage = job_stage_names[sh->stage];
    if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "%s died: SIG%s", stage,
                 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
    else if (WEXITSTATUS(status) != 3)
        snprintf(why, sizeof why, "%s exited with status %d (methods must return, "
                 "not exit)", stage, WEXITSTATUS(status));
    else
        read_failure(spec, why, sizeof why);
    if (!why[0])
        snprintf(why, sizeof why, "%s failed; its message could not be saved in "
                 "%s (is the disk full?): see the stage output above", stage,
                 spec->dir);
    snprintf(out->message, sizeof out->message, "job %s (step %s, method %s): %s",
             spec->id, spec->step, spec->m->desc->name, why);
}

void
dispatch_run(const job_spec *spec, job_outcome *out)
{
    memset(out, 0, sizeof *out);
    int n = spec->slices + 2;
    size_t shsize = sizeof(job_shared) +
                    (size_t)(spec->slices + 1) * sizeof(struct axle_progress_slot);
    job_shared *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    stream *streams = calloc((size_t)n, sizeof *streams);
    int *write_fd = calloc((size_t)n, sizeof *write_fd);
    char logdir[4096];
    snprintf(logdir, sizeof logdir, "%s/log", spec->dir);
    if (sh == MAP_FAILED || !streams || !write_fd ||
        open_streams(spec, streams, write_fd) < 0) {
        snprintf(out->message, sizeof out->message, "job %s: cannot set up: %s",
                 spec->id, strerror(errno));
        return;
    }
    fflush(NULL);
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
        job_pipes pipes = {write_fd};
        job_process_main(spec, sh, &pipes);
    }
    for (int i = 0; i < n; i++)
        close(write_fd[i]);
    if (pid < 0) {
        snprintf(out->message, sizeof out->message, "job %s: cannot fork: %s",
                 spec->id, strerror(errno));
    } else {
        setpgid(pid, pid); /* both sides, so no race with an early kill */
        progress_view pv;
        progress_begin(&pv, spec->step, spec->slices);
        shown_progress = &pv;
        int status = 0;
        for (;;) {
            if (!streams_open(streams, n)) {
                /* Every stage has closed its output: the job is ending.
                 * Wait for it without polling (a signal interrupts this). */
                if (waitpid(pid, &status, 0) == pid)
                    break;
                if (errno != EINTR)
                    break;
            }
            relay_all(streams, n, logdir, 100);
            if (got_signal) {
                kill(-pid, SIGKILL);
                out->interrupted = true;
            }
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid || (r < 0 && errno != EINTR))
                break;
            progress_draw(&pv, sh, clock_now());
        }
        progress_end(&pv);
        shown_progress = NULL;
        kill(-pid, SIGKILL); /* nothing of the job may outlive it */
        relay_all(streams, n, logdir, 0);
        if (out->interrupted)
            snprintf(out->message, sizeof out->message,
                     "job %s (step %s, method %s): interrupted", spec->id,
                     spec->step, spec->m->desc->name);
        else
            describe_end(spec, sh, status, out);
        memcpy(out->seconds, (const void *)sh->seconds, sizeof out->seconds);
    }
    for (int i = 0; i < n; i++) {
        if (streams[i].fd >= 0)
            close(streams[i].fd);
        if (streams[i].log >= 0)
            close(streams[i].log);
    }
    free(streams);
    free(write_fd);
    munmap(sh, shsize);
}
