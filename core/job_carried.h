/* job_carried.h - files a job took over from its base with one rename
 * (axle_chain_take_folder, lib/chain_carry.c): recorded without a stat
 * each, and the base they left refused for reuse. */
#ifndef AXLE_JOB_CARRIED_H
#define AXLE_JOB_CARRIED_H

#include <stddef.h>

#include "job_check.h"

/* For a job whose JOBDIR/carried-files.json says it took its base's
 * folder over: every entry of the base's manifest.txt below that folder,
 * but the names left out, goes into `mf` as the base recorded it (a
 * rename keeps size and mtime, and the base passed its reuse check when
 * the run chose it), and into JOBDIR/files.json before the job's own
 * registered files; *count grows by their number, and *one gets the
 * folder with a slash ("output/", malloc'd; NULL when nothing was
 * carried) for the job's common folder.  0 (also
 * for a job that carried nothing), or -1 with the reason in err. */
int job_carried_merge(const char *jobdir, job_manifest *mf, size_t *count, char **one,
                      char *err, size_t errlen);

/* For a job whose folder another job took over (BASEDIR/superseded.json):
 * why it is not reused ("its output/ moved to axle-work-9, which was
 * built on it"), malloc'd; NULL for any other job. */
char *job_carried_refusal(const char *jobdir, const char *id);

#endif
