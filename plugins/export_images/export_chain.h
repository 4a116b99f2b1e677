/* export_chain.h - export_images over dataset chains: building on the
 * step's earlier export, and a cold export of a whole chain's live rows. */
#ifndef EXPORT_CHAIN_H
#define EXPORT_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "axle/axle.h"

/* What the file of a cell will measure (export_images.c). */
void export_exported_size(const axle_image *img, uint32_t *w, uint32_t *h);

/* prepare: with a base, decides whether this job builds on it (else
 * axle_chain_cold, saying why).  Built on it: *dropped holds the output
 * names of the items the new link replaces or removes (an object, names
 * as keys), and JOBDIR/carried.json the base's file count still live. */
int export_chain_plan(axle_job *job, axle_dataset *src, const char *ext, size_t max_len,
                      json_t **dropped);

/* The base's file count still live (carried.json), or 0 for a cold build. */
long long export_chain_carried(axle_job *job);

/* Without dest: takes the base's output folder over with one rename
 * (axle_chain_take_folder), those `dropped` names removed from it: the
 * job's folder holds every live file, with no pixel work and no work per
 * carried file; the base is superseded. */
int export_chain_take_unchanged(axle_job *job, const char *outdir, json_t *dropped);

/* The names of a chain's live rows, decided as a cold import's order
 * would (sorted by name), laid out for the slices: one uint64 byte offset
 * per slice, then each slice's entries in the order AXLE_ROWS_CHAIN reads
 * them.  `key` is the source's name column. */
int export_chain_live_names(axle_job *job, axle_dataset *src, const char *key,
                            const char *column, const char *tmpl, const char *ext,
                            size_t max_len, char **blob, size_t *len);

#endif
