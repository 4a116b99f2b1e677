/* reuse_early.h - the reuse checks of every step's likely job, started
 * when the run starts, beside the first step's identity.
 *
 * A no-op re-run at 100,000 photos is two passes of 100,000 stats: the
 * photos (the import's identity) and the exported files (the export's
 * reuse check).  Run one after the other, each leaves the cores idle at
 * its serial parts (listing, sorting, hashing, reading the manifest).  The
 * job WORKDIR/latest/STEP names is the one a no-op reuses, and the one a
 * change run builds on, so it is checked at once, on a thread of its own,
 * while the run computes the first identities.
 *
 * The verdict (what job_check.h's checks of the job's own state and files
 * say; the identity and the inputs are judged at use, when they are known)
 * is kept per job folder, with the job.json it was made from, and used
 * only for that job folder and only when its job.json is still the same.
 * It is the job as the run found it: the run holds the workdir, and a file
 * damaged by hand while the run builds an earlier step is refused by the
 * next run's check (a reused or carried job's manifest keeps the recorded
 * size and mtime), not by this one.  Checking again after each build would
 * stat every exported file twice in a run that changes one photo (+0.15 s
 * at 100,000).  Before the run forks a job the thread finishes and is
 * joined (no thread of ours runs across a fork).  The verdict is never
 * written anywhere: the next run checks again.  The early thread prints
 * nothing; the first refusal's text and the order of messages are those
 * of the checks made in turn. */
#ifndef AXLE_REUSE_EARLY_H
#define AXLE_REUSE_EARLY_H

#include <stdbool.h>
#include <jansson.h>

#include "digest.h"
#include "pipeline.h"
#include "workdir.h"

/* Reads WORKDIR/latest/STEP and each job's job.json (here: a run's first
 * system calls after its workdir) and starts checking, on a thread, those
 * whose recipe (identity.h) is the step's now, recipes[i] for step i: a
 * job of other options, another .so or libaxle is not the one the run
 * will want.  Without memory or a thread nothing is checked early. */
void reuse_early_start(const workdir *w, const pipeline *p, char (*recipes)[DIGEST_HEX_LEN]);

/* The early verdict on the job in `jobdir` as job.json `jobjson` describes
 * it, waited for if its check is still running: true with *refusal set
 * (a malloc'd reason, or NULL for an intact job) when there is one; false
 * when that job was not checked early, or its job.json changed since. */
bool reuse_early_verdict(const char *jobdir, json_t *jobjson, char **refusal);

/* Lets the checks finish (on every stat thread) and joins the thread,
 * keeping the verdicts: before the run forks a job. */
void reuse_early_settle(void);

/* Stops the checks still running, waits for the thread and forgets every
 * verdict: at the run's end. */
void reuse_early_forget(void);

#endif
