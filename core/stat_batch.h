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
 * most STAT_BATCH_CAP names, and a stream of them (stat_pipe) two batches:
 * memory stays flat in the number of files. */
#ifndef AXLE_STAT_BATCH_H
#define AXLE_STAT_BATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define STAT_BATCH_CAP 4096

/* What a reuse check or an identity needs of a file, and the two numbers
 * the caller gave with its name (a manifest's size and time). */
typedef struct stat_fact {
    int err;            /* 0, or the errno of the stat */
    long long size;
    long long mtime_sec;
    long mtime_nsec;
    long long tag[2];
} stat_fact;

typedef struct stat_batch stat_batch;
size_t stat_batch_count(const stat_batch *b);
const char *stat_batch_path(const stat_batch *b, size_t i);
const stat_fact *stat_batch_fact(const stat_batch *b, size_t i);

/* The threads batches use: the run's slice count, no more than the online
 * CPUs (more threads than cores only take turns).  Set once per run;
 * 1 (no thread: stats in the caller's) until then. */
void stat_batch_set_threads(int slices);

/* Called with each batch, in the order the names were added, once their
 * stats are in; false to stop (no later name is handed over). */
typedef bool stat_batch_fn(void *ctx, const stat_batch *b);

/* The stream of names: a full batch is stat'ed by the threads while the
 * caller goes on adding names to the next one (its walk, its reading of
 * a manifest), so that work is not waited for either.  Names are
 * relative to the folder open as `basefd` (AT_FDCWD: the working folder;
 * absolute names ignore it).  NULL when out of memory. */
typedef struct stat_pipe stat_pipe;
stat_pipe *stat_pipe_new(int basefd, stat_batch_fn *fn, void *ctx);
/* Adds a name (copied) and the caller's two numbers.  False when out of
 * memory or stopped: add no more. */
bool stat_pipe_add(stat_pipe *p, const char *path, long long tag0, long long tag1);
/* Hands over what is left.  True when every name was handed over and fn
 * never stopped. */
bool stat_pipe_finish(stat_pipe *p);
/* Waits for a batch still being stat'ed, and frees. */
void stat_pipe_free(stat_pipe *p);

/* ---- overlap ---- */
/* At most *cap threads for this pipe's batches from the next one on (1:
 * the stats in the caller's thread), read as each batch takes off: a
 * check running beside other work takes one core's share, and all of
 * them once the run waits for it (reuse_early.h). */
void stat_pipe_cap(stat_pipe *p, atomic_int *cap);

#endif
