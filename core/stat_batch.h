/* stat_batch.h - stat(2) of many files at once, over a few threads, with
 * the results read in the order the names were added.
 *
 * A no-op re-run at 100,000 photos stats every photo (its import's
 * identity) and every exported file (the export's reuse check): 200,000
 * system calls of 1.3-1.5 us each on a VM, most of the run.  They do not
 * depend on each other, so a batch of names is cut into contiguous parts,
 * one thread each, each part's files stat'ed through their folder (one
 * name looked up, not a whole path).  The caller reads every result in
 * the order of its names, so a digest over them, or the first refusal
 * among them, is the same whatever the thread count.  A batch holds at
 * most STAT_BATCH_CAP names: memory stays flat in the number of files. */
#ifndef AXLE_STAT_BATCH_H
#define AXLE_STAT_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#define STAT_BATCH_CAP 4096

/* What a reuse check or an identity needs of a file. */
typedef struct stat_fact {
    int err;            /* 0, or the errno of the stat */
    long long size;
    long long mtime_sec;
    long mtime_nsec;
} stat_fact;

typedef struct stat_batch stat_batch;

/* The threads batches use: the run's slice count, no more than the online
 * CPUs (more threads than cores only take turns).  Set once per run;
 * 1 until then. */
void stat_batch_set_threads(int slices);

/* A batch of names relative to the folder open as `basefd` (AT_FDCWD:
 * the working folder; absolute names ignore it).  NULL when out of
 * memory. */
stat_batch *stat_batch_new(int basefd);
void stat_batch_free(stat_batch *b);
/* Adds a name (copied).  False when out of memory.  Add while
 * !stat_batch_full, then run. */
bool stat_batch_add(stat_batch *b, const char *path);
bool stat_batch_full(const stat_batch *b);
size_t stat_batch_count(const stat_batch *b);
/* Stats every name added since the last clear. */
void stat_batch_run(stat_batch *b);
const char *stat_batch_path(const stat_batch *b, size_t i);
const stat_fact *stat_batch_fact(const stat_batch *b, size_t i);
/* Forgets the names, keeping the memory for the next ones. */
void stat_batch_clear(stat_batch *b);

#endif
