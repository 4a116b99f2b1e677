/* run_log.c - appending to and reading the run history (run_log.h). */
#include "run_log.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

double
run_log_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000000) / 1e3;
}

/* Seconds to the millisecond: the history keeps no false precision. */
static double
ms(double seconds)
{
    return round(seconds * 1000) / 1000;
}

void
run_log_iso_time(double t, char *out, size_t outlen)
{
    time_t secs = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&secs, &tm) || !strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, outlen, "?");
}

static char *
log_path(const char *workdir)
{
    char *p;
    return asprintf(&p, "%s/%s", workdir, RUN_LOG_NAME) < 0 ? NULL : p;
}

/* True when the file is empty or its last byte ends a line: a record cut
 * off by a full disk must not swallow the next one. */
static bool
ends_a_line(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END);
    char last = '\n';
    return size <= 0 || (pread(fd, &last, 1, size - 1) == 1 && last == '\n');
}

/* One record, one write: readers never see half of it beside another. */
static void
append_record(const char *workdir, json_t *record)
{
    char *path = log_path(workdir);
    /* 15 digits: epoch seconds to the millisecond, durations readable */
    char *text = json_dumps(record, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(record);
    int fd = path ? open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                         0644)
                  : -1;
    bool written = false;
    errno = 0;
    if (fd >= 0 && text) {
        char *line;
        int len = asprintf(&line, "%s%s\n", ends_a_line(fd) ? "" : "\n", text);
        if (len > 0) {
            written = write(fd, line, (size_t)len) == len;
            free(line);
        }
    }
    if (!written)
        diag_warning(NULL, 0, 0, "cannot add to the run history %s/%s: %s",
                     workdir, RUN_LOG_NAME, errno ? strerror(errno) : "short write");
    if (fd >= 0)
        close(fd);
    free(text);
    free(path);
}

/* The run number of `line` when it is a start record (what run_log_read
 * makes a run of), else 0. */
static long
started_run(const char *line, size_t len)
{
    json_error_t jerr;
    json_t *rec = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *event = json_string_value(json_object_get(rec, "event"));
    json_t *run = json_object_get(rec, "run");
    long n = 0;
    if (event && strcmp(event, "start") == 0 && json_is_integer(run) &&
        json_integer_value(run) >= 1 && json_is_array(json_object_get(rec, "steps")))
        n = (long)json_integer_value(run);
    json_decref(rec);
    return n;
}

/* The number of the last run the history holds (the run of its last
 * start record, as run_log_read lists it last), 0 for none.  Read from
 * the file's end, a block at a time, up to that record: a run adds a few
 * lines, and parsing the whole history made every run slower than the
 * one before (a no-op at 20 photos took 17 ms after one run, 69 ms after
 * 600). */
static long
last_run(const char *workdir)
{
    char *path = log_path(workdir);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    free(path);
    if (fd < 0)
        return 0;
    off_t pos = lseek(fd, 0, SEEK_END);
    char *buf = NULL; /* the file's bytes [pos, pos + len), not yet judged */
    size_t len = 0;
    long found = 0;
    while (!found && pos >= 0) {
        /* the whole lines at buf's end, the last first; a line is whole
         * when a newline comes before it, or it starts the file */
        while (len > 0 && !found) {
            if (buf[len - 1] == '\n') {
                len--;
                continue;
            }
            const char *nl = memrchr(buf, '\n', len);
            if (!nl && pos > 0)
                break; /* its start is in the block before */
            size_t start = nl ? (size_t)(nl - buf) + 1 : 0;
            found = started_run(buf + start, len - start);
            len = start;
        }
        if (found || pos == 0)
            break;
        size_t block = pos < 65536 ? (size_t)pos : 65536;
        char *grown = malloc(len + block);
        if (!grown || pread(fd, grown, block, pos - (off_t)block) != (ssize_t)block) {
            free(grown);
            break; /* unreadable: numbered as if the history were empty */
        }
        pos -= (off_t)block;
        if (len)
            memcpy(grown + block, buf, len);
        free(buf);
        buf = grown;
        len += block;
    }
    free(buf);
    close(fd);
    return found;
}

long
run_log_begin(const char *workdir, json_t *fields)
{
    long n = last_run(workdir) + 1;
    double now = run_log_wall_now();
    char iso[32];
    run_log_iso_time(now, iso, sizeof iso);
    json_t *rec = json_pack("{s:s, s:I, s:I, s:s, s:f}", "event", "start", "run",
                            (json_int_t)n, "pid", (json_int_t)getpid(), "started",
                            iso, "time", now);
    json_object_update(rec, fields);
    json_decref(fields);
    append_record(workdir, rec);
    return n;
}

void
run_log_step(const char *workdir, long run, const char *step, const char *job,
             const char *state, double seconds)
{
    append_record(workdir, json_pack("{s:s, s:I, s:s, s:s?, s:s, s:f}", "event",
                                     "step", "run", (json_int_t)run, "step", step,
                                     "job", job, "state", state, "seconds",
                                     ms(seconds)));
}

void
run_log_end(const char *workdir, long run, int exit_status, double seconds)
{
    double now = run_log_wall_now();
    char iso[32];
    run_log_iso_time(now, iso, sizeof iso);
    append_record(workdir, json_pack("{s:s, s:I, s:s, s:f, s:f, s:i}", "event",
                                     "end", "run", (json_int_t)run, "ended", iso,
                                     "time", now, "seconds", ms(seconds), "exit",
                                     exit_status));
}

/* ---- reading --------------------------------------------------------------- */

json_t *
run_log_find(json_t *runs, long n)
{
    size_t i;
    json_t *r;
    json_array_foreach(runs, i, r)
        if (json_integer_value(json_object_get(r, "run")) == n)
            return r;
    return NULL;
}

/* Why a parsed line is not a record we know, or NULL when it is one. */
static const char *
record_problem(json_t *rec, json_t *runs)
{
    if (!json_is_object(rec))
        return "not a JSON object";
    const char *event = json_string_value(json_object_get(rec, "event"));
    json_t *run = json_object_get(rec, "run");
    if (!event || !json_is_integer(run) || json_integer_value(run) < 1)
        return "no \"event\" or no run number";
    if (strcmp(event, "start") == 0)
        return json_is_array(json_object_get(rec, "steps")) ? NULL : "no step list";
    if (strcmp(event, "step") != 0 && strcmp(event, "end") != 0)
        return "unknown event";
    if (!run_log_find(runs, (long)json_integer_value(run)))
        return "a run without its start record";
    if (strcmp(event, "step") == 0 &&
        (!json_is_string(json_object_get(rec, "step")) ||
         !json_is_string(json_object_get(rec, "state"))))
        return "a step record without step or state";
    return NULL;
}

/* A start record becomes a run: every step "not run" until its record. */
static json_t *
new_run(json_t *start)
{
    json_t *run = json_deep_copy(start);
    json_object_del(run, "event");
    json_t *steps = json_array();
    size_t i;
    json_t *name;
    json_array_foreach(json_object_get(start, "steps"), i, name)
        if (json_is_string(name))
            json_array_append_new(steps, json_pack("{s:O, s:n, s:s, s:f}", "step",
                                                   name, "job", "state", "not run",
                                                   "seconds", 0.0));
    json_object_set_new(run, "steps", steps);
    return run;
}

static void
merge_step(json_t *run, json_t *rec)
{
    json_t *steps = json_object_get(run, "steps");
    const char *name = json_string_value(json_object_get(rec, "step"));
    json_t *slot = NULL, *s;
    size_t i;
    json_array_foreach(steps, i, s)
        if (strcmp(json_string_value(json_object_get(s, "step")), name) == 0)
            slot = s;
    if (!slot) { /* not in the start record's list: keep it all the same */
        slot = json_object();
        json_array_append_new(steps, slot);
    }
    json_object_update(slot, rec);
    json_object_del(slot, "event");
    json_object_del(slot, "run");
}

static void
merge_end(json_t *run, json_t *rec)
{
    const char *keys[] = {"ended", "seconds", "exit"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(rec, keys[i]);
        if (v)
            json_object_set(run, keys[i], v);
    }
    json_t *t = json_object_get(rec, "time");
    if (t)
        json_object_set(run, "end_time", t);
}

static void
add_record(json_t *runs, json_t *rec)
{
    const char *event = json_string_value(json_object_get(rec, "event"));
    long n = (long)json_integer_value(json_object_get(rec, "run"));
    if (strcmp(event, "start") == 0) {
        json_array_append_new(runs, new_run(rec));
        return;
    }
    json_t *run = run_log_find(runs, n);
    if (strcmp(event, "step") == 0)
        merge_step(run, rec);
    else
        merge_end(run, rec);
}

static void
count_states(json_t *run)
{
    json_int_t built = 0, reused = 0, failed = 0;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(run, "steps"), i, s) {
        const char *state = json_string_value(json_object_get(s, "state"));
        built += state && strcmp(state, "built") == 0;
        reused += state && strcmp(state, "reused") == 0;
        failed += state && strcmp(state, "failed") == 0;
    }
    json_object_set_new(run, "built", json_integer(built));
    json_object_set_new(run, "reused", json_integer(reused));
    json_object_set_new(run, "failed", json_integer(failed));
}

json_t *
run_log_read(const char *workdir)
{
    json_t *runs = json_array();
    char *path = log_path(workdir);
    FILE *f = path ? fopen(path, "re") : NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    for (long lineno = 1; f && (len = getline(&line, &cap, f)) >= 0; lineno++) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0)
            continue;
        json_error_t jerr;
        json_t *rec = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
        const char *problem = rec ? record_problem(rec, runs) : "not JSON";
        if (problem)
            diag_warning(path, (int)lineno, 1, "damaged run record skipped (%s)",
                         problem);
        else
            add_record(runs, rec);
        json_decref(rec);
    }
    if (f)
        fclose(f);
    free(line);
    free(path);
    size_t i;
    json_t *run;
    json_array_foreach(runs, i, run)
        count_states(run);
    return runs;
}

char *
run_log_step_job(const char *workdir, const char *step, long n, char *err,
                 size_t errlen)
{
    json_t *runs = run_log_read(workdir);
    json_t *run = run_log_find(runs, n);
    char *job = NULL;
    if (!run) {
        snprintf(err, errlen, "there is no run %ld in the history of %s "
                 "(axle runs lists them)", n, workdir);
        json_decref(runs);
        return NULL;
    }
    bool in_run = false;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(run, "steps"), i, s) {
        if (strcmp(json_string_value(json_object_get(s, "step")), step) != 0)
            continue;
        in_run = true;
        const char *id = json_string_value(json_object_get(s, "job"));
        job = id ? strdup(id) : NULL;
    }
    if (!job && in_run)
        snprintf(err, errlen, "step '%s' did not run in run %ld (axle runs %ld "
                 "lists its steps)", step, n, n);
    else if (!job)
        snprintf(err, errlen, "run %ld has no step '%s' (axle runs %ld lists "
                 "its steps)", n, step, n);
    json_decref(runs);
    return job;
}
