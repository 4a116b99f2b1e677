/* test_misbehave.c - a method whose chosen stage (`stage`, and `slice` in
 * analysis) misbehaves in the way `how` says, while every other stage and
 * slice does honest work: each slice writes 3 rows, each stage appends a
 * line to the `counter` file.
 *
 *   exit, _exit, quick_exit   end the process with status `code`
 *   return, error             return `code`, without / with a message
 *   fork, daemon              leave a process behind that writes
 *                             JOBDIR/late.txt after `delay` seconds
 *                             (daemon: double fork and setsid, so it leaves
 *                             the job's process group and is orphaned)
 *   flood                     print `bytes` bytes: lines "%09d\n" from 0
 *   wait                      wait for the file `wait_for`, then print */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("counter", NULL, "file each stage appends a line to"),
    AXLE_OPTION_ENUM("stage", "analysis", "prepare|analysis|synthesis",
                     "the stage that misbehaves"),
    AXLE_OPTION_INT("slice", "1", 0, 1024, "in analysis, the slice that does"),
    AXLE_OPTION_ENUM("how", "none",
                     "none|exit|_exit|quick_exit|return|error|fork|daemon|flood|wait",
                     "what it does"),
    AXLE_OPTION_INT("code", "0", -1000, 1000, "exit status or return value"),
    AXLE_OPTION_FLOAT("delay", "3", 0, 3600, "seconds a left-behind process waits"),
    AXLE_OPTION_INT("bytes", "0", 0, 1000000000, "bytes a flood prints"),
    AXLE_OPTION_STRING("wait_for", "", "file a waiting stage waits for"),
    AXLE_OPTION_END};

AXLE_METHOD(test_misbehave, "1.0", "misbehaves on purpose (test method)", options, NULL);

static axle_writer *out;

static void
sleep_seconds(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0)
        ;
}

static void
count(axle_job *job, const char *what)
{
    FILE *f = fopen(axle_opt_string(job, "counter"), "a");
    if (f) {
        fprintf(f, "%s %s\n", axle_job_id(job), what);
        fclose(f);
    }
}

static void __attribute__((noreturn))
write_late_file(axle_job *job)
{
    sleep_seconds(axle_opt_float(job, "delay"));
    char path[4096];
    snprintf(path, sizeof path, "%s/late.txt", axle_job_dir(job));
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("written after the job ended\n", f);
        fclose(f);
    }
    _exit(0);
}

static void
leave_process(axle_job *job, bool daemon)
{
    pid_t pid = fork();
    if (pid > 0 && daemon)
        waitpid(pid, NULL, 0); /* as a daemon's parent does */
    if (pid != 0)
        return;
    if (daemon) {
        setsid();
        if (fork() != 0)
            _exit(0); /* the grandchild is orphaned */
    }
    write_late_file(job);
}

static void
flood(long long bytes)
{
    char buf[65536];
    size_t used = 0;
    for (long long line = 0; line * 10 < bytes; line++) {
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%09lld\n", line);
        if (used + 16 > sizeof buf || (line + 1) * 10 >= bytes) {
            fflush(stdout);
            if (write(STDOUT_FILENO, buf, used) < 0)
                return;
            used = 0;
        }
    }
}

static void
wait_for(const char *path)
{
    while (access(path, F_OK) < 0)
        sleep_seconds(0.02);
    printf("saw %s\n", path);
    fflush(stdout);
}

/* Does what `how` says if this stage (and slice) is the chosen one.
 * True when the stage must return *rc at once. */
static bool
misbehave(axle_job *job, const char *stage, int sliceno, int *rc)
{
    if (strcmp(axle_opt_string(job, "stage"), stage) != 0 ||
        (sliceno >= 0 && sliceno != axle_opt_int(job, "slice")))
        return false;
    const char *how = axle_opt_string(job, "how");
    int code = (int)axle_opt_int(job, "code");
    if (strcmp(how, "exit") == 0)
        exit(code);
    if (strcmp(how, "_exit") == 0)
        _exit(code);
    if (strcmp(how, "quick_exit") == 0)
        quick_exit(code);
    if (strcmp(how, "return") == 0) {
        *rc = code;
        return true;
    }
    if (strcmp(how, "error") == 0) {
        *rc = axle_error(job, code, "%s gave up on purpose", stage);
        return true;
    }
    if (strcmp(how, "fork") == 0 || strcmp(how, "daemon") == 0)
        leave_process(job, how[0] == 'd');
    else if (strcmp(how, "flood") == 0)
        flood(axle_opt_int(job, "bytes"));
    else if (strcmp(how, "wait") == 0)
        wait_for(axle_opt_string(job, "wait_for"));
    return false;
}

int
prepare(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "n", AXLE_INT64) < 0)
        return AXLE_EINTERNAL;
    int rc;
    if (misbehave(job, "prepare", -1, &rc))
        return rc;
    count(job, "prepare");
    return AXLE_OK;
}

int
analysis(axle_job *job, int sliceno)
{
    int rc;
    if (misbehave(job, "analysis", sliceno, &rc))
        return rc;
    for (int i = 0; i < 3; i++)
        if (axle_put_int64(out, 0, sliceno * 1000 + i) < 0 || axle_writer_end_row(out) < 0)
            return AXLE_EINTERNAL;
    char what[32];
    snprintf(what, sizeof what, "analysis %d", sliceno);
    count(job, what);
    return AXLE_OK;
}

int
synthesis(axle_job *job)
{
    int rc;
    if (misbehave(job, "synthesis", -1, &rc))
        return rc;
    count(job, "synthesis");
    return axle_set_result_json(job, "{\"done\": true}");
}
