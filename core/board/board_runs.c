/* board_runs.c - what the board knows of runs and jobs: the run history
 * (WORKDIR/runs.jsonl, written by `axle run`), else the latest run as
 * steps.json tells it, and each job's job.json. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "board.h"
#include "job_summary.h"
#include "run_log.h"

/* Names of the entries of a workdir-relative folder that pass `keep`,
 * sorted by version (axle-work-2 before axle-work-10). */
static json_t *
list_folder(const board *b, const char *rel, bool (*keep)(const char *name))
{
    json_t *names = json_array();
    int fd = board_open(b, rel, true);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return names;
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (board_name_ok(e->d_name) && (!keep || keep(e->d_name)))
            json_array_append_new(names, json_string(e->d_name));
    closedir(d);
    size_t n = json_array_size(names);
    for (size_t i = 1; i < n; i++) /* insertion sort: folders are few */
        for (size_t k = i; k > 0; k--) {
            const char *x = json_string_value(json_array_get(names, k - 1));
            const char *y = json_string_value(json_array_get(names, k));
            if (strverscmp(x, y) <= 0)
                break;
            json_t *t = json_incref(json_array_get(names, k));
            json_array_set(names, k, json_array_get(names, k - 1));
            json_array_set_new(names, k - 1, t);
        }
    return names;
}

static bool
is_log(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

json_t *
board_job(const board *b, const char *id)
{
    if (!board_job_exists(b, id, false))
        return NULL;
    char rel[512];
    snprintf(rel, sizeof rel, "%s/job.json", id);
    json_t *j = board_read_json(b, rel);
    if (!json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    snprintf(rel, sizeof rel, "%s/ds", id);
    json_object_set_new(j, "datasets", list_folder(b, rel, NULL));
    snprintf(rel, sizeof rel, "%s/log", id);
    json_object_set_new(j, "logs", list_folder(b, rel, is_log));
    return j;
}

json_t *
board_job_datasets(const board *b, const char *id)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/ds", id);
    return board_job_exists(b, id, false) ? list_folder(b, rel, NULL) : json_array();
}

json_t *
board_job_summary(const board *b, const char *id)
{
    if (!board_job_exists(b, id, false))
        return NULL;
    char rel[512];
    snprintf(rel, sizeof rel, "%s/%s", id, JOB_SUMMARY_NAME);
    json_t *s = board_read_json(b, rel);
    if (json_is_object(s))
        return s;
    json_decref(s); /* a job from before summaries: job.json it is */
    snprintf(rel, sizeof rel, "%s/job.json", id);
    json_t *j = board_read_json(b, rel);
    s = json_is_object(j) ? job_summary_of(j) : NULL;
    json_decref(j);
    return s;
}

/* job.json's count of a list, replaced by the list from its file. */
static void
inline_list(const board *b, const char *id, json_t *j, const char *key)
{
    if (!json_is_object(json_object_get(j, key)))
        return;
    json_t *list = NULL;
    if (json_integer_value(json_object_get(json_object_get(j, key), "count")) > 0) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s/%s.json", id, key);
        list = board_read_json(b, rel);
    }
    json_object_set_new(j, key, json_is_array(list) ? list : json_array());
    if (list && !json_is_array(list))
        json_decref(list);
}

json_t *
board_job_full(const board *b, const char *id)
{
    json_t *j = board_job(b, id);
    if (j) {
        inline_list(b, id, j, "files");
        inline_list(b, id, j, "skipped");
    }
    return j;
}

/* ---- all jobs ---- */

json_t *
board_jobs(const board *b)
{
    json_t *out = json_array();
    json_t *names = list_folder(b, "", NULL);
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v) {
        const char *id = json_string_value(v);
        if (!board_job_exists(b, id, true))
            continue;
        json_t *j = board_job_summary(b, id);
        json_t *row;
        if (j) {
            json_t *sec = json_object_get(json_object_get(j, "seconds"), "total");
            row = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?}", "id", id, "step",
                            json_object_get(j, "step"), "method",
                            json_object_get(j, "method"), "status",
                            json_object_get(j, "status"), "finished",
                            json_object_get(j, "finished"), "seconds", sec);
        } else {
            row = json_pack("{s:s, s:s}", "id", id, "status", "cut off");
        }
        if (row)
            json_array_append_new(out, row);
        json_decref(j);
    }
    json_decref(names);
    /* A folder without job.json is the job running now when it is the
     * newest one and a run holds the workdir; else a run was cut off. */
    json_t *last = json_array_get(out, json_array_size(out) - 1);
    if (last && !json_object_get(last, "step") && board_run_in_progress(b))
        json_object_set_new(last, "status", json_string("running"));
    return out;
}

/* ---- runs ---- */

/* The run history as `axle run` keeps it (run_log.c reads it: one object
 * per run, damaged lines passed over with a warning), newest first, with
 * the times under the names the pages use.  NULL when there is none. */
static json_t *
runs_from_log(const board *b)
{
    int fd = board_open(b, RUN_LOG_NAME, false); /* inside, and no link */
    if (fd < 0)
        return NULL;
    close(fd);
    json_t *oldest_first = run_log_read(b->workdir);
    json_t *runs = json_array();
    for (size_t i = json_array_size(oldest_first); i-- > 0;) {
        json_t *r = json_array_get(oldest_first, i);
        json_object_set(r, "start", json_object_get(r, "started"));
        json_object_set(r, "end", json_object_get(r, "ended"));
        json_array_append(runs, r);
    }
    json_decref(oldest_first);
    return runs;
}

/* Without a history: the latest run as steps.json has it, steps in the
 * order their jobs were made. */
static json_t *
run_from_steps(const board *b)
{
    json_t *steps = board_read_json(b, "steps.json");
    json_t *list = json_array();
    const char *step;
    json_t *id;
    json_object_foreach(steps, step, id) {
        const char *jid = json_string_value(id);
        json_t *j = jid ? board_job_summary(b, jid) : NULL;
        json_t *sec = json_object_get(json_object_get(j, "seconds"), "total");
        json_t *row = json_pack("{s:s, s:s?, s:O?, s:O?, s:O?}", "step", step, "job",
                                jid, "state", json_object_get(j, "status"),
                                "seconds", sec, "finished", json_object_get(j, "finished"));
        size_t at = json_array_size(list); /* keep job-number order */
        while (at > 0 && jid &&
               strverscmp(json_string_value(json_object_get(json_array_get(list, at - 1),
                                                             "job")), jid) > 0)
            at--;
        if (row)
            json_array_insert_new(list, at, row);
        json_decref(j);
    }
    json_decref(steps);
    json_t *runs = json_array();
    if (json_array_size(list) > 0) {
        json_t *last = json_array_get(list, json_array_size(list) - 1);
        json_array_append_new(runs, json_pack("{s:s, s:O?, s:n, s:o, s:b}", "run", "latest",
                                              "end", json_object_get(last, "finished"),
                                              "pipeline", "steps", list,
                                              "from_steps_json", 1));
    } else {
        json_decref(list);
    }
    return runs;
}

json_t *
board_runs(const board *b)
{
    json_t *runs = runs_from_log(b);
    return runs ? runs : run_from_steps(b);
}

/* A run holds an flock on WORKDIR/.lock for its whole length.  Taking
 * the lock to test it would make a run starting that instant wait, so
 * the board looks it up in /proc/locks instead. */
bool
board_run_in_progress(const board *b)
{
    struct stat st;
    if (fstatat(b->wd_fd, ".lock", &st, AT_SYMLINK_NOFOLLOW) < 0)
        return false;
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return false;
    char line[256];
    bool held = false;
    while (!held && fgets(line, sizeof line, f)) {
        char kind[16];
        unsigned maj, min;
        unsigned long ino;
        if (sscanf(line, "%*d: %15s %*s %*s %*d %x:%x:%lu", kind, &maj, &min, &ino) == 4)
            held = strcmp(kind, "FLOCK") == 0 && ino == st.st_ino &&
                   maj == major(st.st_dev) && min == minor(st.st_dev);
    }
    fclose(f);
    return held;
}
