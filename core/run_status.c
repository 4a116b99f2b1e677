/* run_status.c - a run's live state: kept, published, read back, printed
 * (run_status.h). */
#include "run_status.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "job_process.h"
#include "run_log.h"

#define STATUS_NAME ".status"
#define PUBLISH_INTERVAL 1.0

/* The start time of process `pid` in clock ticks since boot (field 22 of
 * /proc/PID/stat), or 0: with the pid it names one process for good, so a
 * pid reused after a killed run is not taken for it. */
static unsigned long long
process_start(long pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!fs_read_text(path, text, sizeof text))
        return 0;
    const char *p = strrchr(text, ')'); /* the command name may hold spaces */
    unsigned long long start = 0;
    /* after ")": state is field 3, starttime field 22 */
    for (int field = 3; p && field <= 22; field++) {
        p = strchr(p + 1, ' ');
        if (p && field == 22)
            start = strtoull(p + 1, NULL, 10);
    }
    return start;
}

void
run_status_begin(run_status *rs, const char *workdir, const char *pipeline,
                 long run, const char *const *names, size_t nsteps)
{
    memset(rs, 0, sizeof *rs);
    if (asprintf(&rs->path, "%s/%s", workdir, STATUS_NAME) < 0)
        rs->path = NULL;
    rs->workdir = strdup(workdir);
    rs->pipeline = strdup(pipeline);
    rs->run = run;
    rs->wall_started = run_log_wall_now();
    rs->started = clock_now();
    rs->steps = calloc(nsteps + 1, sizeof *rs->steps);
    rs->nsteps = rs->current = nsteps;
    for (size_t i = 0; i < nsteps; i++) {
        rs->steps[i].name = names[i];
        rs->steps[i].state = "waiting";
    }
    rs->last_publish = -1e9;
    run_status_tick(rs);
}

void
run_status_step_begin(run_status *rs, size_t idx)
{
    rs->current = idx;
    rs->steps[idx].state = "running";
}

void
run_status_step_end(run_status *rs, size_t idx, const char *state,
                    const char *job, double seconds)
{
    status_step *s = &rs->steps[idx];
    s->state = state;
    free(s->job);
    s->job = job ? strdup(job) : NULL;
    s->seconds = seconds;
    rs->current = rs->nsteps;
}

void
run_status_job(run_status *rs, const char *job, const job_shared *sh, int slices)
{
    rs->sh = sh;
    rs->slices = slices;
    rs->job_started = clock_now();
    if (rs->current < rs->nsteps && job) {
        free(rs->steps[rs->current].job);
        rs->steps[rs->current].job = strdup(job);
    }
    if (sh) /* a job starting is news worth publishing at once */
        rs->last_publish = -1e9;
    run_status_tick(rs);
}

/* {"done", "total", "elapsed"} of one progress slot. */
static json_t *
slot_json(const struct axle_progress_slot *slot, double elapsed)
{
    return json_pack("{s:I, s:I, s:f}", "done", (json_int_t)slot->done, "total",
                     (json_int_t)slot->total, "elapsed", elapsed);
}

/* The running job: its stage, items done of total over the stage's slots
 * and, in analysis, one entry per slice. */
static void
add_job_progress(const run_status *rs, json_t *step, double now)
{
    const job_shared *sh = rs->sh;
    int stage = sh->stage;
    if (stage < 0 || stage > STAGE_FINISH) /* the job's memory: trust nothing */
        stage = STAGE_FINISH;
    double stage_started = sh->stage_started > 0 ? sh->stage_started : rs->job_started;
    double elapsed = now - stage_started;
    json_object_set_new(step, "stage", json_string(job_stage_names[stage]));
    json_object_set_new(step, "elapsed", json_real(now - rs->job_started));
    uint64_t done = 0, total = 0;
    if (stage == STAGE_ANALYSIS) {
        json_t *slices = json_array();
        for (int i = 0; i < rs->slices; i++) {
            const stage_end *end = &sh->slice_ends[i];
            bool ended = end->state != END_NONE;
            json_t *s = slot_json(&sh->slots[i], ended ? end->seconds : elapsed);
            json_object_set_new(s, "slice", json_integer(i));
            json_object_set_new(s, "ended", json_boolean(ended));
            json_array_append_new(slices, s);
            done += sh->slots[i].done;
            total += sh->slots[i].total;
        }
        json_object_set_new(step, "slices", slices);
    } else if (stage < STAGE_COUNT) {
        done = sh->slots[rs->slices].done;
        total = sh->slots[rs->slices].total;
    }
    json_object_set_new(step, "done", json_integer((json_int_t)done));
    json_object_set_new(step, "total", json_integer((json_int_t)total));
    json_object_set_new(step, "stage_elapsed", json_real(elapsed));
}

json_t *
run_status_json(const run_status *rs)
{
    double now = clock_now();
    json_t *steps = json_array();
    for (size_t i = 0; i < rs->nsteps; i++) {
        const status_step *s = &rs->steps[i];
        json_t *j = json_pack("{s:s, s:s, s:s?}", "step", s->name, "state", s->state,
                              "job", s->job);
        if (strcmp(s->state, "running") == 0 && i == rs->current && rs->sh)
            add_job_progress(rs, j, now);
        else if (strcmp(s->state, "running") == 0)
            json_object_set_new(j, "elapsed", json_real(0));
        else if (strcmp(s->state, "waiting") != 0)
            json_object_set_new(j, "seconds", json_real(s->seconds));
        json_array_append_new(steps, j);
    }
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:f, s:f, s:f, s:o}", "pid",
                     (json_int_t)getpid(), "pid_start",
                     (json_int_t)process_start(getpid()), "run",
                     (json_int_t)rs->run, "pipeline", rs->pipeline, "workdir",
                     rs->workdir, "time", rs->wall_started, "updated",
                     run_log_wall_now(), "elapsed", now - rs->started, "steps",
                     steps);
}

void
run_status_tick(run_status *rs)
{
    double now = clock_now();
    if (!rs || !rs->path || now - rs->last_publish < PUBLISH_INTERVAL)
        return;
    rs->last_publish = now;
    json_t *j = run_status_json(rs);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    /* A status that cannot be written harms no job: `axle status` then
     * shows an older one, or none. */
    if (text)
        (void)fs_write_atomic(rs->path, text, strlen(text));
    free(text);
}

void
run_status_end(run_status *rs)
{
    if (rs->path)
        unlink(rs->path);
    for (size_t i = 0; i < rs->nsteps; i++)
        free(rs->steps[i].job);
    free(rs->steps);
    free(rs->path);
    free(rs->workdir);
    free(rs->pipeline);
    memset(rs, 0, sizeof *rs);
}

/* ---- reading and printing -------------------------------------------------- */

json_t *
run_status_read(const char *workdir, long *stale_run)
{
    *stale_run = 0;
    char *path;
    if (asprintf(&path, "%s/%s", workdir, STATUS_NAME) < 0)
        return NULL;
    json_t *st = fs_read_json(path);
    free(path);
    if (!st)
        return NULL;
    json_int_t pid = json_integer_value(json_object_get(st, "pid"));
    json_int_t start = json_integer_value(json_object_get(st, "pid_start"));
    bool alive = pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) &&
                 (json_int_t)process_start((long)pid) == start;
    if (!alive) {
        *stale_run = (long)json_integer_value(json_object_get(st, "run"));
        json_decref(st);
        return NULL;
    }
    return st;
}

static double
num(json_t *obj, const char *key)
{
    return json_number_value(json_object_get(obj, key));
}

/* A string of the published state, or "?" (the file may be damaged). */
static const char *
text(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "?";
}

/* "600/2500 items, 42/s, 12 s" (or "12 s" when no progress was reported). */
static void
print_items(FILE *f, json_t *o, double elapsed)
{
    double done = num(o, "done"), total = num(o, "total");
    if (total <= 0 && done <= 0) {
        fprintf(f, "%.0f s, no progress reported", elapsed);
        return;
    }
    fprintf(f, "%.0f/%.0f items, %.0f/s, %.0f s", done, total,
            elapsed > 0 ? done / elapsed : 0, elapsed);
}

static void
print_running(FILE *f, json_t *s, double late)
{
    const char *stage = json_string_value(json_object_get(s, "stage"));
    if (!json_object_get(s, "elapsed") || !stage) {
        fprintf(f, "starting\n");
        return;
    }
    fprintf(f, "%s: ", stage);
    print_items(f, s, num(s, "stage_elapsed") + late);
    fprintf(f, " (job %.0f s)\n", num(s, "elapsed") + late);
    size_t i;
    json_t *sl;
    json_array_foreach(json_object_get(s, "slices"), i, sl) {
        bool ended = json_is_true(json_object_get(sl, "ended"));
        fprintf(f, "      slice %lld: ", (long long)num(sl, "slice"));
        print_items(f, sl, num(sl, "elapsed") + (ended ? 0 : late));
        fputs(ended ? ", ended\n" : "\n", f);
    }
}

void
run_status_print(FILE *f, json_t *st)
{
    /* The state was written up to a second ago: running clocks go on. */
    double late = run_log_wall_now() - num(st, "updated");
    late = late > 0 ? late : 0;
    json_t *steps = json_object_get(st, "steps");
    fprintf(f, "run %lld of %s: running for %.0f s (pid %lld, workdir %s)\n",
            (long long)num(st, "run"), text(st, "pipeline"), num(st, "elapsed") + late,
            (long long)num(st, "pid"), text(st, "workdir"));
    int namew = 4, idw = 1;
    size_t i, n = json_array_size(steps);
    json_t *s;
    json_array_foreach(steps, i, s) {
        const char *name = json_string_value(json_object_get(s, "step"));
        const char *job = json_string_value(json_object_get(s, "job"));
        namew = name && (int)strlen(name) > namew ? (int)strlen(name) : namew;
        idw = job && (int)strlen(job) > idw ? (int)strlen(job) : idw;
    }
    json_array_foreach(steps, i, s) {
        const char *state = json_string_value(json_object_get(s, "state"));
        const char *job = json_string_value(json_object_get(s, "job"));
        char place[48];
        snprintf(place, sizeof place, "%zu/%zu", i + 1, n);
        fprintf(f, "  %-*s  %5s  %-*s  ", namew, text(s, "step"), place, idw,
                job ? job : "-");
        if (state && strcmp(state, "running") == 0)
            print_running(f, s, late);
        else if (state && strcmp(state, "waiting") != 0 && strcmp(state, "not run") != 0)
            fprintf(f, "%s  %.2fs\n", state, num(s, "seconds"));
        else
            fprintf(f, "%s\n", state ? state : "?");
    }
}
