/* chain_carry.c - a job built on a base takes the base's output folder
 * over with one rename (axle_chain_take_folder).
 *
 * Why a rename: without `dest` an export's job folder holds every file of
 * the export, so that `latest/export` is complete.  Built on its base, the
 * export used to hard-link each unchanged file into its own folder and
 * register it: at 100,000 photos, 100,000 links, stats and list lines for
 * a change of one photo.  Moving the folder costs one rename whatever its
 * size; the files keep their inodes, sizes and times, so the core copies
 * their manifest entries from the base's manifest (which the base's reuse
 * check has just verified) instead of statting each (core/job_carried.c).
 *
 * The base is then *superseded*: its SUPERSEDED file names the job that
 * took its folder, its reuse check refuses it with that reason, and it is
 * rebuilt should a run ever need it again.  Its datasets stay, for the
 * chain that links to them. */
#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

/* Removes `name` (relative to the folder `dirfd`) and then the folders on
 * its way that it left empty; a name that is not there is no error. */
static int
remove_left_out(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", name);
    for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
        *slash = '\0';
        if (unlinkat(dirfd, path, AT_REMOVEDIR) < 0)
            break; /* not empty: a cold run has it too */
    }
    return 0;
}

/* True for a path that stays below the folder: relative, no ".." part. */
static bool
below(const char *name)
{
    if (!*name || name[0] == '/')
        return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n + (p[n] == '/');
    }
    return true;
}

/* Writes `value` to `path` atomically; 0 or -1 with errno. */
static int
write_json(const char *path, json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(1) | JSON_SORT_KEYS);
    size_t len = text ? strlen(text) : 0;
    int rc = text ? axle_internal_write_atomic(path, text, len) : -1;
    free(text);
    return rc;
}

/* Marks beyond this many jobs are a loop, not a chain's history. */
#define HOLDER_HOPS 64

char *
axle_internal_folder_holder(const char *base)
{
    char *at = strdup(base);
    for (int hop = 0; at && hop < HOLDER_HOPS; hop++) {
        char mark[PATH_MAX];
        snprintf(mark, sizeof mark, "%s/" AXLE_SUPERSEDED_FILE, at);
        json_t *m = json_load_file(mark, 0, NULL);
        if (!m)
            return at; /* unmarked: it holds what it wrote */
        const char *by = json_string_value(json_object_get(m, "by"));
        const char *slash = strrchr(at, '/');
        char *next = NULL;
        if (by && *by && !strchr(by, '/') && slash &&
            asprintf(&next, "%.*s/%s", (int)(slash - at), at, by) < 0)
            next = NULL;
        json_decref(m);
        free(at);
        at = next;
    }
    free(at);
    return NULL;
}

/* The marks: `holder` gave its folder to the job; so did `base`, when a
 * compaction built on it though a newer job held the folder (its old mark
 * named a job gc may remove since). */
static int
mark_superseded(const axle_job *job, const char *base, const char *holder,
                const char *folder)
{
    json_t *m = json_pack("{s:s, s:s}", "by", job->id ? job->id : "", "folder", folder);
    char mark[PATH_MAX];
    snprintf(mark, sizeof mark, "%s/" AXLE_SUPERSEDED_FILE, holder);
    int rc = m && write_json(mark, m) == 0 ? 0 : -1;
    snprintf(mark, sizeof mark, "%s/" AXLE_SUPERSEDED_FILE, base);
    if (rc == 0 && strcmp(base, holder) != 0)
        rc = write_json(mark, m);
    json_decref(m);
    return rc;
}

int
axle_chain_take_folder(axle_job *job, const char *folder, const char *const *left_out)
{
    if (!job || !folder || !*folder || strchr(folder, '/') || folder[0] == '.')
        return axle_error(job ? job : axle_internal_current, AXLE_EINVAL,
                          "axle_chain_take_folder: '%s' is not a folder name of the job "
                          "folder", folder ? folder : "(null)");
    const char *base = job->chain_base;
    if (!base)
        return axle_error(job, AXLE_EINVAL, "axle_chain_take_folder: the job is not "
                          "built on another (axle_chain_base is NULL)");
    for (const char *const *p = left_out; p && *p; p++)
        if (!below(*p))
            return axle_error(job, AXLE_EINVAL, "axle_chain_take_folder: '%s' is not a path "
                              "below the folder %s", *p, folder);
    if (job->replay)
        return AXLE_OK; /* --mpi: rank 0's prepare moved it */
    /* A compaction builds on an older job of the chain, whose folder a
     * newer one holds now (the core checked that holder as it checks a
     * base): take it from there. */
    char *holder = axle_internal_folder_holder(base);
    if (!holder)
        return axle_error(job, AXLE_EIO, "axle_chain_take_folder: %s gave its %s/ to a job "
                          "that is gone", base, folder);
    char from[PATH_MAX], to[PATH_MAX], note[PATH_MAX];
    snprintf(from, sizeof from, "%s/%s", holder, folder);
    snprintf(to, sizeof to, "%s/%s", job->dir, folder);
    snprintf(note, sizeof note, "%s/" AXLE_CARRIED_FILE, job->dir);
    struct stat st;
    if (lstat(from, &st) < 0 && errno == ENOENT) {
        free(holder);
        return AXLE_OK; /* the base wrote no file */
    }
    /* The note first: a job cut off after the rename still says where its
     * files came from.  The mark next, so the base is never checked
     * against files it no longer has without the reason. */
    json_t *gone = json_array();
    for (const char *const *p = left_out; p && *p; p++)
        json_array_append_new(gone, json_string(*p));
    json_t *n = json_pack("{s:s, s:s, s:s, s:o}", "base", holder, "base_id",
                          strrchr(holder, '/') ? strrchr(holder, '/') + 1 : holder, "folder",
                          folder, "left_out", gone);
    int rc = n && write_json(note, n) == 0 &&
             mark_superseded(job, base, holder, folder) == 0 ? 0 : -1;
    json_decref(n);
    free(holder);
    if (rc < 0)
        return axle_error(job, AXLE_EIO, "cannot record the files carried over from %s: %s",
                          base, strerror(errno));
    if (rename(from, to) < 0)
        return axle_error(job, AXLE_EIO, "cannot move %s to %s: %s", from, to,
                          strerror(errno));
    int dirfd = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return axle_error(job, AXLE_EIO, "%s: %s", to, strerror(errno));
    for (const char *const *p = left_out; rc == 0 && p && *p; p++)
        if ((rc = remove_left_out(dirfd, *p)) < 0)
            rc = axle_error(job, AXLE_EIO, "%s/%s: cannot remove it: %s", to, *p,
                            strerror(errno));
    close(dirfd);
    return rc;
}
