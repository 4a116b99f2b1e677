/* export_dest.h - export_images' `dest`: a folder outside the workdir kept
 * as a mirror of the source tree (see export_dest.c). */
#ifndef EXPORT_DEST_H
#define EXPORT_DEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "axle/axle.h"

/* The manifest at the top of a dest folder: what axle wrote there. */
#define EXPORT_DEST_MANIFEST ".axle-export.json"

/* prepare: opens `dest` (made when missing), locks it for the job, checks
 * that no other export step keeps it and reads what earlier jobs wrote
 * there.  Inherited by the slices; synthesis runs in the same process. */
int export_dest_open(axle_job *job, const char *dest);
bool export_dest_on(void);
const char *export_dest_path(void);

/* A slice: puts the encoded file for output name `name` into dest.  A new
 * name or one whose file is still as axle wrote it is written atomically
 * (left as it is when it holds the same image already); a file axle did
 * not write, or one changed since, is left as it is and the item skipped
 * (that file is registered, so that the job is built again once it goes).  *written is the file's absolute
 * path (malloc'd), or NULL when skipped. */
int export_dest_put(axle_job *job, const char *name, const void *data, size_t len,
                    char **written);

/* synthesis: deletes what earlier jobs wrote for names this job did not
 * write (removed photos) when unchanged since, writes the manifest and
 * registers it.  The counts go into the job's result. */
typedef struct export_dest_counts {
    unsigned long long written, unchanged, removed, kept_changed;
} export_dest_counts;
int export_dest_finish(axle_job *job, export_dest_counts *counts);

/* prepare, for a job built on an earlier one that wrote only a chain's new
 * link: the files axle wrote earlier stay axle's (kept, registered,
 * counted unchanged) except those named in `dropped` (an object whose
 * keys are output names: removed or rewritten items).  Takes `dropped`. */
void export_dest_keep_all_but(json_t *dropped);

#endif
