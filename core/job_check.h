/* job_check.h - what a complete job consists of, and whether it still is.
 *
 * At completion the core records in job.json a "manifest": every file of
 * the job's datasets (meta.json and each column file, also those linked
 * from a parent or previous dataset in another job), every registered
 * file, each with its size and modification time (ns), as paths relative
 * to the job folder; and which job each input came from.
 *
 * Before a job found in the index is reused it is checked, with stats
 * only (no file but job.json is read): its recorded identity is the key
 * it was found under; it is complete; none of its items was skipped for a
 * transient reason; its inputs are the jobs this run uses; every file of
 * the manifest is there with its recorded size and mtime.  Not noticed:
 * a file rewritten in place keeping both its size and its mtime (touch -r
 * after editing), since only reading the bytes would tell. */
#ifndef AXLE_JOB_CHECK_H
#define AXLE_JOB_CHECK_H

#include <jansson.h>

/* The manifest of the finished job in `jobdir`: `files` are the registered
 * files (JSON array of relative paths), `input_jobs` is {input name: job
 * id}.  NULL with the reason in err when a file cannot be found. */
json_t *job_manifest(const char *jobdir, json_t *files, json_t *input_jobs,
                     char *err, size_t errlen);

/* Why the job in `jobdir` (job.json `jobjson`, NULL when unreadable) may
 * not be reused for `identity` by a run whose inputs are `input_jobs`
 * ({name: job id}): a malloc'd reason ("output/x.jpg missing from
 * axle-work-7"), or NULL when it may. */
char *job_reuse_refusal(const char *jobdir, json_t *jobjson, const char *identity,
                        json_t *input_jobs);

#endif
