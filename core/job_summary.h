/* job_summary.h - JOBDIR/summary.json: the few fields of job.json that
 * listings show (id, step, method, status, finished, seconds, error, how
 * many files and skipped items), written beside job.json when a job ends.
 *
 * job.json of a 100,000-image job is tens of MB (every file, the
 * manifest); the board's runs and jobs pages read this instead, and
 * job.json only for the one job a page is about.  A job folder without
 * one (a workdir from before it) is summarised from job.json. */
#ifndef AXLE_JOB_SUMMARY_H
#define AXLE_JOB_SUMMARY_H

#include <jansson.h>

#define JOB_SUMMARY_NAME "summary.json"

/* The summary of a job record (new reference). */
json_t *job_summary_of(json_t *jobjson);

/* Writes JOBDIR/summary.json atomically; 0 or -1 with errno. */
int job_summary_write(const char *jobdir, json_t *jobjson);

#endif
