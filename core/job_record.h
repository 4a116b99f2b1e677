/* job_record.h - JOBDIR/job.json: what a job was made of and what it did.
 *
 * Written once, atomically, when the job ends.  A job is complete (and may
 * be reused) only when job.json says "complete" and the workdir's index
 * points at it; a folder without job.json is a job that was cut off. */
#ifndef AXLE_JOB_RECORD_H
#define AXLE_JOB_RECORD_H

#include <jansson.h>

#include "dispatch.h"

/* Gathers the per-process lists (.files.*, .skipped.*: job_lists.h) into
 * files.json and skipped.json, and result.json into a record, and writes
 * job.json, which keeps the lists' counts ("files": {"count", "list",
 * "folder"}, "skipped": {"count", "transient", "list"}).  `record` is the
 * identity record, `why` the reasons it was built, `input_jobs` {input
 * name: job id}.  A job that succeeded gets its manifest (job_check.h) and
 * status "complete", unless its files cannot all be found: then `out` is
 * turned into a failure.  Returns the record written (new reference) or
 * NULL. */
json_t *job_record_write(const job_spec *spec, const char *identity,
                         json_t *record, json_t *why, json_t *input_jobs,
                         job_outcome *out, double total_seconds);

/* job.json of a job folder, or NULL. */
json_t *job_record_load(const char *jobdir);

/* Where a job's results are, for the run line: the folder holding its
 * registered files, else its result if short, else the job folder. */
char *job_record_output(const char *jobdir, json_t *jobjson);

/* How many registered files ("files") or skipped items ("skipped") the
 * job has, from its job.json (either format). */
size_t job_record_count(json_t *jobjson, const char *key);

/* The list itself (new reference): read from JOBDIR/files.json or
 * skipped.json, or job.json's own list in a job made before those files;
 * an empty array when there is none; NULL when the file cannot be read. */
json_t *job_record_list(const char *jobdir, json_t *jobjson, const char *key);

#endif
