/* job_check.h - what a complete job consists of, and whether it still is.
 *
 * At completion the core lists in JOBDIR/manifest.txt (manifest_file.h)
 * every file of the job's datasets (meta.json and each column file, also
 * those linked from a parent or previous dataset in another job) and every
 * registered file, each with its size and modification time (ns), as
 * paths relative to the job folder.  job.json's "manifest" holds the
 * file's digest and entry count, the jobs it links to ("links") and which
 * job each input came from ("input_jobs").  Jobs made before kept the
 * entries in job.json itself ("files"); they are checked as they are.
 *
 * Before a job found in the index is reused it is checked, with stats
 * only (job.json is parsed, manifest.txt streamed line by line): its
 * recorded identity is the key it was found under; it is complete; none
 * of its items was skipped for a transient reason; its inputs are the
 * jobs this run uses; every file of the manifest is there with its
 * recorded size and mtime.  Not noticed: a file rewritten in place keeping
 * both its size and its mtime (touch -r after editing), since only
 * reading the bytes would tell. */
#ifndef AXLE_JOB_CHECK_H
#define AXLE_JOB_CHECK_H

#include <jansson.h>
#include <stdatomic.h>

/* The manifest of the finished job in `jobdir`, written as it is made:
 * begin lists the job's dataset files, add one registered file (a path
 * relative to the job folder, or absolute), end writes manifest.txt and
 * returns what job.json keeps of it ({"list", "sha256", "entries",
 * "links", "input_jobs"}; `input_jobs` is {input name: job id}).  On an
 * error (a file that cannot be found: "registered file output/x.jpg does
 * not exist") begin returns NULL, add -1, end NULL, with the reason in
 * the err given to begin; abort drops the manifest. */
typedef struct job_manifest job_manifest;
job_manifest *job_manifest_begin(const char *jobdir, char *err, size_t errlen);
int job_manifest_add(job_manifest *mf, const char *registered);
json_t *job_manifest_end(job_manifest *mf, json_t *input_jobs);
/* A file listed as already recorded (`rel` relative to the job folder),
 * without a stat: the files a job took over from its base
 * (job_carried.h).  0, or -1 with the reason in begin's err. */
int job_manifest_add_recorded(job_manifest *mf, const char *rel, long long size,
                              long long mtime_ns);
void job_manifest_abort(job_manifest *mf);

/* Why the job in `jobdir` (job.json `jobjson`, NULL when unreadable) may
 * not be reused for `identity` by a run whose inputs are `input_jobs`
 * ({name: job id}): a malloc'd reason ("output/x.jpg missing from
 * axle-work-7"), or NULL when it may. */
char *job_reuse_refusal(const char *jobdir, json_t *jobjson, const char *identity,
                        json_t *input_jobs);

/* ---- overlap: the part of the check that needs no identity ---- */

/* How a check made beside other work runs (reuse_early.h): `stop` set
 * makes it stop soon, with a refusal saying so that is no verdict on the
 * job; `threads` caps its stat threads, read at each batch
 * (stat_pipe_cap). */
typedef struct job_check_pace {
    atomic_bool stop;
    atomic_int threads;
} job_check_pace;

/* Why the job in `jobdir` (job.json `jobjson`, not NULL) is not intact:
 * not complete, with transient skips, its folder carried away, no record
 * of its files, or a file of its manifest missing or changed; NULL when
 * intact.  job_reuse_refusal is the identity's check, this, and the
 * inputs'; it takes this part from reuse_early.h when the run checked the
 * job early.  `pace`: NULL for a check the run waits for. */
char *job_intact_refusal(const char *jobdir, json_t *jobjson, job_check_pace *pace);

#endif
