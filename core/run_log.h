/* run_log.h - the workdir's run history, WORKDIR/runs.jsonl.
 *
 * Append-only, one JSON object per line, each line written by one
 * write(2) on an O_APPEND descriptor while the run holds the workdir's
 * lock.  A run writes three kinds of record:
 *
 *   {"event":"start","run":3,"pid":..,"started":"2024-05-01T12:03:04Z",
 *    "time":1714565000.1,"pipeline":"/abs/p.yaml","digest":"<sha256>",
 *    "params":{"size":"[640,338]"},"steps":["import","thumbs",...]}
 *   {"event":"step","run":3,"step":"thumbs","job":"axle-work-7",
 *    "state":"built","seconds":1.25}           one as each step ends
 *   {"event":"end","run":3,"ended":"...","time":..,"seconds":12.5,"exit":0}
 *
 * so a run cut off (SIGKILL, power loss) still shows, with the steps it
 * finished.  Readers skip a line that is not such a record with a warning
 * naming the file and line, and go on. */
#ifndef AXLE_RUN_LOG_H
#define AXLE_RUN_LOG_H

#include <jansson.h>
#include <stddef.h>

#define RUN_LOG_NAME "runs.jsonl"

/* Appends the start record of a new run: number one past the highest in
 * the log, "event", "run", "pid", "started" and "time" added to `fields`
 * (pipeline, digest, params, steps), which is consumed.  Returns the run
 * number; on failure warns and still returns the number it would have had
 * (the run goes on: its jobs matter more than its history). */
long run_log_begin(const char *workdir, json_t *fields);
void run_log_step(const char *workdir, long run, const char *step,
                  const char *job, const char *state, double seconds);
void run_log_end(const char *workdir, long run, int exit_status,
                 double seconds);

/* Every run in the log, oldest first, each record merged into one object:
 * the start record's keys; "steps" as [{"step","job","state","seconds"}]
 * in the pipeline's order (a step without a record is "not run"); from the
 * end record "ended", "end_time" (its "time"), "seconds", "exit" (absent
 * while running or when the run was cut off); "built", "reused", "failed" counts.  Never NULL. */
json_t *run_log_read(const char *workdir);
/* The run numbered n in what run_log_read returned (borrowed), or NULL. */
json_t *run_log_find(json_t *runs, long n);

/* The job id step `step` ran as in run n (malloc'd), or NULL with the
 * reason in err. */
char *run_log_step_job(const char *workdir, const char *step, long n,
                       char *err, size_t errlen);

/* Wall-clock time now, as seconds since the epoch and as ISO 8601 UTC. */
double run_log_wall_now(void);
void run_log_iso_time(double t, char *out, size_t outlen);

#endif
