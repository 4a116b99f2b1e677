/* dest_manifest.h - reading the manifest export_images keeps in a `dest`
 * folder (DEST/.axle-export.json, written by
 * plugins/export_images/export_dest.c): {"workdir", "step", "job",
 * "files": {NAME relative to dest: {size, mtime_ns, image_sha256}}}.
 *
 * The core reads it for two things: `axle which` on a file in dest finds
 * the workdir there without --workdir, and the board serves a dest
 * export's files only when the manifest lists them. */
#ifndef AXLE_DEST_MANIFEST_H
#define AXLE_DEST_MANIFEST_H

#include <jansson.h>

/* The manifest's name in a dest folder (export_dest.h has the same). */
#define DEST_MANIFEST_NAME ".axle-export.json"

/* The manifest of the folder open as `dirfd`, when it is a regular file
 * (never through a link) holding a "files" object; else NULL. */
json_t *dest_manifest_read_at(int dirfd);

/* For a file lying in a dest folder (or below one): the workdir the
 * nearest manifest above it names, when that is still a workdir.  *dest
 * (when not NULL) gets that dest folder.  Both malloc'd; NULL when no
 * manifest above the file names a workdir that exists. */
char *dest_manifest_workdir_of(const char *file, char **dest);

#endif
