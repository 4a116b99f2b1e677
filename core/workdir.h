/* workdir.h - a folder of jobs: its slice count, its lock, job ids, the
 * identity index and which job each step name last ran as.
 *
 * Layout:  WORKDIR/.axle-workdir    marks the folder as axle's (see below)
 *          WORKDIR/workdir.json     {"format": 1, "slices": N}
 *          WORKDIR/.lock            flock()ed for a whole run
 *          WORKDIR/.next            next job number
 *          WORKDIR/index/IDENTITY   the id of the complete job with it
 *          WORKDIR/steps.json       {step name: job id} as of the latest run
 *          WORKDIR/latest/STEP      a link to ../ID, the step's newest complete job
 *          WORKDIR/NAME-N/          one folder per job */
#ifndef AXLE_WORKDIR_H
#define AXLE_WORKDIR_H

#include <jansson.h>
#include <stdbool.h>

#include "axle_internal.h"

#define WORKDIR_FORMAT 1
/* WORKDIR_MARKER (axle_internal.h) is at the top of every workdir.  axle
 * writes only into a folder that is new, empty or carries it (a workdir of
 * axle 0.1, which had no marker, is recognised by its layout and gets
 * one), so pointing `workdir:` at a folder of the user's never overwrites
 * their files. */
/* Job numbers run from 1 to this; a counter or folder beyond it is not
 * axle's (and n + 1 can never overflow). */
#define WORKDIR_JOB_MAX 999999999L

typedef struct workdir {
    char *path;  /* absolute */
    char *name;  /* base name: job ids are NAME-N */
    int slices;
    int lock_fd;
    json_t *steps;    /* steps.json, loaded on first use */
    bool steps_dirty;
} workdir;

/* Opens or creates the workdir, refusing `/`, the home folder and any
 * folder that is neither empty nor marked.  `want_slices` 0 means: keep the existing
 * count, or use the online CPUs for a new one.  A different explicit count
 * for an existing workdir is an error naming both.  Takes the lock,
 * waiting (and saying so on stderr) while another run holds it.
 * NULL after printing an error. */
workdir *workdir_open(const char *path, int want_slices);
/* Opens an existing workdir read-only (no lock); NULL when absent. */
workdir *workdir_open_existing(const char *path);
void workdir_close(workdir *w);

/* A new, unique job id and its folder (created, empty). malloc'd id.
 * NULL with errno (EOVERFLOW when the job numbers are used up). */
char *workdir_new_job(workdir *w, char **dir_out);
/* Id of the complete job with this identity, or NULL. malloc'd. */
char *workdir_lookup(const workdir *w, const char *identity);
/* Records a complete job under its identity. 0 or -1. */
int workdir_index(workdir *w, const char *identity, const char *job_id);
/* Step name -> job id of the latest run.  Updates are kept in memory and
 * saved by workdir_save_steps (and workdir_close). */
char *workdir_step_job(const workdir *w, const char *step);
void workdir_set_step_job(workdir *w, const char *step, const char *job_id);
int workdir_save_steps(workdir *w);
/* Points WORKDIR/latest/STEP at job_id (a relative link, replaced
 * atomically).  A step name that is not a plain file name gets none.
 * 0 or -1 with errno. */
int workdir_link_latest(workdir *w, const char *step, const char *job_id);
/* The job id WORKDIR/latest/STEP names (malloc'd), or NULL when there is
 * no such link or it names nothing. */
char *workdir_latest_job(const workdir *w, const char *step);
/* After `axle gc` removed the jobs named by the keys of `gone`: drops the
 * index entries, latest/ links and steps.json entries that name them.
 * Returns how many index entries went. */
size_t workdir_forget_jobs(workdir *w, json_t *gone);
/* Absolute folder of a job id (malloc'd); does not check existence. */
char *workdir_job_dir(const workdir *w, const char *job_id);

#endif
