/* run_status.h - what a running run is doing, for `axle status` (another
 * process) and SIGUSR1 (this one).
 *
 * The core keeps the state of its steps here and, while a job runs, reads
 * the job's shared progress page.  It publishes the state as JSON in
 * WORKDIR/.status, rewritten through a temporary and rename (readers see
 * a whole file) when the run starts, when a job starts, and then at most
 * once a second; the file goes when the run ends.  It names the run's pid
 * and that process's start time, so a file left by a run that was killed
 * is recognised as stale.
 *
 *   {"pid":..,"pid_start":..,"run":3,"pipeline":..,"workdir":..,
 *    "time":<start, epoch s>,"updated":<epoch s>,
 *    "steps":[{"step":"import","state":"reused","job":"w-1","seconds":0.01},
 *             {"step":"thumbs","state":"running","job":"w-2",
 *              "stage":"analysis","elapsed":12.5,"done":600,"total":5000,
 *              "slices":[{"slice":0,"done":300,"total":2500,
 *                         "elapsed":12.5,"ended":false}, ...]},
 *             {"step":"export","state":"waiting"}]} */
#ifndef AXLE_RUN_STATUS_H
#define AXLE_RUN_STATUS_H

#include <jansson.h>
#include <stdio.h>

struct job_shared;

typedef struct status_step {
    const char *name;
    const char *state;  /* waiting, running, built, reused, failed, not run */
    char *job;
    double seconds;
} status_step;

typedef struct run_status {
    char *path;          /* WORKDIR/.status */
    char *workdir;
    char *pipeline;
    long run;
    double wall_started, started;  /* epoch and monotonic seconds */
    status_step *steps;
    size_t nsteps, current;        /* current: the step running, or nsteps */
    /* The job running now: its shared page, slice count, start. */
    const struct job_shared *sh;
    int slices;
    double job_started, last_publish;
} run_status;

void run_status_begin(run_status *rs, const char *workdir, const char *pipeline,
                      long run, const char *const *names, size_t nsteps);
void run_status_step_begin(run_status *rs, size_t idx);
void run_status_step_end(run_status *rs, size_t idx, const char *state,
                         const char *job, double seconds);
/* The step's job process is running with this shared page (NULL: ended). */
void run_status_job(run_status *rs, const char *job,
                    const struct job_shared *sh, int slices);
/* Publishes the state if a second has passed since it last did. */
void run_status_tick(run_status *rs);
/* Removes WORKDIR/.status and frees. */
void run_status_end(run_status *rs);

/* The state now, as published. */
json_t *run_status_json(const run_status *rs);
/* Prints a published state as a tree: the run, every step, and for the
 * running step its slices, with items done, rate and elapsed time. */
void run_status_print(FILE *f, json_t *st);

/* The state the run in `workdir` published, when that run is alive; NULL
 * (no run in progress) otherwise.  *stale_run is set to the number of a
 * run whose file was left behind (it was killed), else 0. */
json_t *run_status_read(const char *workdir, long *stale_run);

#endif
