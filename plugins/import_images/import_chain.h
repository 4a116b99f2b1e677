/* import_chain.h - an incremental import: the files added, changed and
 * removed since the job it builds on (axle_chain_base). */
#ifndef IMPORT_CHAIN_H
#define IMPORT_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "axle/axle.h"
#include "import_list.h"

struct import_chain {
    struct import_list delta; /* the added and changed files, sorted */
    char **removed;           /* names (keys) of the removed files */
    size_t nremoved, added, changed;
    int64_t images, bytes;    /* the base's, less what was changed or removed */
};

/* Diffs `l` with the base job's inputs.txt.  AXLE_OK and c filled when the
 * import can build on the base; else the job is made cold
 * (axle_chain_cold, saying why) and c is empty.  < 0 on a real error. */
int import_chain_plan(axle_job *job, const struct import_list *l, struct import_chain *c);

/* Records the removed keys in `out` and the delta in JOBDIR/delta.json. */
int import_chain_record(axle_job *job, axle_writer *out, const struct import_chain *c);

/* For synthesis: the base's images and bytes still live, from
 * JOBDIR/delta.json; false for a cold build. */
bool import_chain_carried(axle_job *job, int64_t *images, int64_t *bytes);

void import_chain_free(struct import_chain *c);

#endif
