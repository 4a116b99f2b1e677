/* job_lists.h - the lists a job's stages append to, one JSON value a line
 * in a file per process (JOBDIR/.files.N: registered files; .skipped.N:
 * skipped items), gathered into one file each when the job ends
 * (files.json, skipped.json).  Streamed: a list of 100,000 items is never
 * held in the core's memory, and job.json keeps only counts. */
#ifndef AXLE_JOB_LISTS_H
#define AXLE_JOB_LISTS_H

#include <jansson.h>
#include <stddef.h>

/* Called with each value gathered and its place among its process's
 * lines (0 for the first). */
typedef void (*job_list_fn)(json_t *value, size_t nth_in_process, void *ctx);

/* Gathers every line of JOBDIR/.PREFIX.* (files in version order, so
 * slice 10 after slice 9) into JOBDIR/LISTNAME as a JSON array with one
 * value a line, calls fn on each, and removes the per-process files.
 * Writes no file when there is no value.  The number of values goes to
 * *count.  0, or -1 with errno when the list cannot be written. */
int job_list_gather(const char *jobdir, const char *prefix, const char *listname,
                    job_list_fn fn, void *ctx, size_t *count);

#endif
