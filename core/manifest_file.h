/* manifest_file.h - JOBDIR/manifest.txt: the files a complete job consists
 * of, one line each, written as a stream and checked as a stream.
 *
 * A job of 100,000 exported files lists 100,000 files; kept in job.json
 * they made every reuse check parse megabytes of JSON into a tree (0.7 s
 * and 80 MB at 100k).  Here each line is read, checked and forgotten, so
 * the core's memory stays flat in the number of files.
 *
 *   axle-manifest 1
 *   SIZE MTIME_NS PATH
 *   ...
 *
 * SIZE in bytes, MTIME_NS the modification time in nanoseconds, PATH as
 * job_check.c records it (relative to the job folder, "../OTHER/..." for a
 * file of a linked job, absolute for a file outside the workdir), with
 * "\" written "\\" and a newline "\n".  job.json holds the file's SHA-256
 * and line count, so it is trusted exactly as far as job.json is. */
#ifndef AXLE_MANIFEST_FILE_H
#define AXLE_MANIFEST_FILE_H

#include <stddef.h>

#include "axle/axle.h" /* AXLE_PRINTF */
#include "digest.h"

#define MANIFEST_FILE "manifest.txt"

typedef struct manifest_writer manifest_writer;

/* Starts JOBDIR/manifest.txt (under a temporary name until committed).
 * NULL with errno. */
manifest_writer *manifest_writer_open(const char *jobdir);
/* Appends one entry.  0, or -1 with errno (the writer is then failed and
 * commit says so). */
int manifest_writer_add(manifest_writer *w, const char *path, long long size,
                        long long mtime_ns);
/* Renames the file into place and frees the writer; its digest and entry
 * count go to sha and *entries.  0, or -1 with errno. */
int manifest_writer_commit(manifest_writer *w, char sha[DIGEST_HEX_LEN], size_t *entries);
/* Removes the temporary and frees the writer. */
void manifest_writer_abort(manifest_writer *w);

/* Called with each entry in order; returns NULL to go on, else a malloc'd
 * reason that stops the checks (the file is still read to its end, for
 * the digest). */
typedef char *(*manifest_entry_fn)(const char *path, long long size, long long mtime_ns,
                                   void *ctx);

/* Streams JOBDIR/manifest.txt through fn.  Returns the first reason fn
 * gave, unless the file is not the one job.json describes (digest, count
 * or a line that does not parse): then a reason saying so ("manifest.txt
 * of axle-work-7 was changed after the job finished"), which says more.
 * `id` names the job in reasons.  NULL when every entry passed. */
char *manifest_check(const char *jobdir, const char *id, const char *sha,
                     size_t entries, manifest_entry_fn fn, void *ctx);

/* A reason a job is not reused, formatted and malloc'd (the reuse checks
 * here and in job_check.c); never NULL but when out of memory twice. */
char *refusal_reason(const char *fmt, ...) AXLE_PRINTF(1, 2);

#endif
