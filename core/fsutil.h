/* fsutil.h - small file helpers the core uses everywhere. */
#ifndef AXLE_FSUTIL_H
#define AXLE_FSUTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* mkdir -p; 0 or -1 with errno. */
int fs_mkdirs(const char *path, int mode);
/* Writes text to path through a temporary file and rename: readers see
 * the old or the new file, never half of one.  0 or -1 with errno. */
int fs_write_atomic(const char *path, const char *text, size_t len);
/* Opens `path` for reading without ever blocking on it (a FIFO with no
 * writer, a terminal) and keeps it only when it is a regular file, or also
 * a pipe or FIFO when `pipe_ok`: reading a device or a FIFO whole would
 * hang or never end.  The descriptor is blocking again when returned.
 * -1 otherwise, with the reason ("No such file or directory", "a
 * character device, not a regular file") in why. */
int fs_open_file(const char *path, bool pipe_ok, char *why, size_t whylen);
/* A file written as a stream yet replaced atomically: begin opens a
 * temporary beside `path` (unpredictable name, O_EXCL|O_NOFOLLOW) for
 * writing; commit flushes, closes and renames it onto path (0, or -1 with
 * errno, the temporary removed); abort closes and removes it.  Both free
 * the stream. */
typedef struct fs_stream {
    FILE *f;
    char *path;
    char *tmp;
} fs_stream;
fs_stream *fs_stream_begin(const char *path);
int fs_stream_commit(fs_stream *s);
void fs_stream_abort(fs_stream *s);
/* JSON helpers: pretty, sorted keys, atomic; reading takes regular files
 * only (NULL otherwise). */
int fs_write_json(const char *path, json_t *value);
json_t *fs_read_json(const char *path);
/* Absolute form of `path` against `base` (or the cwd when base is NULL),
 * lexically normalised.  malloc'd. */
char *fs_absolute(const char *path, const char *base);
bool fs_exists(const char *path);
/* Reads a small text file into buf (NUL-terminated, cut to size - 1).
 * False, with buf untouched, when it cannot be opened or is not a
 * regular file. */
bool fs_read_text(const char *path, char *buf, size_t size);
/* rm -rf. */
int fs_remove_tree(const char *path);
/* stat(2) of many paths that come folder by folder (a sorted list, a
 * walk's output): the folder of the last one is kept open, and a path in
 * the same folder costs the kernel a lookup of its last name only,
 * instead of a walk of the whole path.  Start with FS_FOLDER_CURSOR_INIT;
 * fs_folder_cursor_close when done. */
typedef struct fs_folder_cursor {
    char *folder;
    int fd;
} fs_folder_cursor;
#define FS_FOLDER_CURSOR_INIT {NULL, -1}
int fs_stat_in_folder(fs_folder_cursor *c, const char *path, struct stat *st);
void fs_folder_cursor_close(fs_folder_cursor *c);

#endif
