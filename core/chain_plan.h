/* chain_plan.h - which earlier job a step builds on (incremental chains).
 *
 * A row-wise method's job may build on the step's newest complete job
 * (WORKDIR/latest/STEP, the *base*) when the base is intact, its identity
 * record equals this job's but for its inputs and input files (same
 * method, .so, libaxle, libraries, options, slices: the *family*), and
 * every dataset input of the new job is a chain holding the dataset the
 * base read, strictly older and at most CHAIN_MAX_LINKS links back.  At
 * that bound the step builds on an older job of latest's chain instead
 * (compaction, README "Compaction without a cold build"): a step without
 * dataset inputs on the one that costs least per run, or cold; a step with
 * them on the newest whose input its input's chain holds.  The method
 * decides the rest (axle_chain_cold). */
#ifndef AXLE_CHAIN_PLAN_H
#define AXLE_CHAIN_PLAN_H

#include <jansson.h>
#include <stdbool.h>

#include "loader.h"
#include "workdir.h"

/* Links a chain may have; the build that would make it longer compacts. */
#define CHAIN_MAX_LINKS 16
/* Names of items a step's "why" shows at most. */
#define CHAIN_NAMES_SHOWN 5

typedef struct chain_plan {
    char *base_id;    /* "axle-work-7", or NULL: a cold build */
    char *base_dir;
    json_t *inputs;   /* name -> the dataset folder the base read */
    char *refused;    /* when the base found was refused: "axle-work-7: why" */
} chain_plan;

/* Fills cp for the step about to be built (record: its identity record;
 * ds_dirs: its dataset inputs, name -> folder; has_job_inputs: it also
 * takes job folders, which chains do not cover). */
void chain_plan_find(workdir *w, const char *step, const method *m, json_t *record,
                     json_t *ds_dirs, bool has_job_inputs, chain_plan *cp);

/* "built cold, not on axle-work-7: why" (malloc'd), or NULL when no base
 * was refused (a cold build then has its identity's reasons). */
char *chain_refusal_text(const chain_plan *cp);

/* After a successful build on cp: what changed, for job.json and the step
 * line ({"base", "added", "changed", "removed", "names"}), kept in
 * JOBDIR/delta.json (import writes its own; others add up their input
 * links').  NULL when the job was built cold after all. */
json_t *chain_delta(const char *jobdir, const chain_plan *cp, json_t *ds_dirs);

/* "built incrementally on axle-work-7: 3 added, 1 changed, 2 removed
 * (a.jpg, b.jpg, ...)", malloc'd. */
char *chain_delta_text(json_t *delta);

void chain_plan_free(chain_plan *cp);

#endif
