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

/* This run's files in sorted order with their stamps: the core's facts
 * (axle_file_facts_open) when it handed them over, else the import's own
 * expansion, stat'ed (import_list_stamp_all). */
struct import_source {
    axle_file_facts *facts;
    const struct import_list *list; /* when facts is NULL */
    size_t next;
};
bool import_source_next(struct import_source *s, const char **path,
                        struct import_stamp *t);
void import_source_rewind(struct import_source *s);

/* Merges `src` (names relative to `folder`) with the base job's
 * inputs.txt, writing this job's inputs.txt as it goes.  AXLE_OK and c
 * filled when the import can build on the base; else the job is made
 * cold (axle_chain_cold, saying why), c is empty and inputs.txt is for the
 * caller to write.  < 0 on a real error. */
int import_chain_plan(axle_job *job, struct import_source *src, const char *folder,
                      struct import_chain *c);

/* Records the removed keys in `out` and the delta in JOBDIR/delta.json. */
int import_chain_record(axle_job *job, axle_writer *out, const struct import_chain *c);

/* For synthesis: the base's images and bytes still live, from
 * JOBDIR/delta.json; false for a cold build. */
bool import_chain_carried(axle_job *job, int64_t *images, int64_t *bytes);

void import_chain_free(struct import_chain *c);

#endif
