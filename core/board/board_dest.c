/* board_dest.c - the files an export job wrote to its `dest` folder.
 *
 * Such files lie outside the workdir, so the board serves one only when
 * everything agrees: the job's job.json registered DEST/.axle-export.json;
 * that manifest names this workdir and this job (a later export of the
 * step rewrites it and takes dest over); it lists the name; and the file
 * is still the one it records (size and modification time), so a file the
 * user put in its place is not shown as axle's.  Below dest, names are
 * opened as in the workdir: plain names, never through a link.
 *
 * job.json and the manifest of a 100,000-photo export are tens of MB, and
 * a gallery asks for a hundred files at once: both are read once and kept
 * while their file is the same (inode, size and time).  The server runs
 * several threads; the cache is read and written under one lock, and what
 * it holds is never changed once stored. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle_internal.h"
#include "board.h"
#include "dest_manifest.h"

#define CACHE_SLOTS 8

typedef struct cached {
    char *key; /* "job ID" or "dest PATH" */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    json_t *value; /* a job's dest (string or null), or a manifest */
    unsigned long used;
} cached;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cached cache[CACHE_SLOTS];
static unsigned long cache_clock;

static bool
same_file(const cached *c, const struct stat *st)
{
    return c->dev == st->st_dev && c->ino == st->st_ino && c->size == st->st_size &&
           c->mtime.tv_sec == st->st_mtim.tv_sec && c->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The value kept for `key` while its file is `st`, or NULL; call with
 * the lock held. */
static json_t *
cache_get(const char *key, const struct stat *st)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].key && strcmp(cache[i].key, key) == 0 && same_file(&cache[i], st)) {
            cache[i].used = ++cache_clock;
            return cache[i].value;
        }
    return NULL;
}

/* Keeps `value` (taken) for `key`, in the slot of that key or the one
 * used longest ago; call with the lock held. */
static void
cache_put(const char *key, const struct stat *st, json_t *value)
{
    cached *slot = &cache[0];
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (cache[i].key && strcmp(cache[i].key, key) == 0) {
            slot = &cache[i];
            break;
        }
        if (cache[i].used < slot->used)
            slot = &cache[i];
    }
    char *k = strdup(key);
    if (!k) {
        json_decref(value);
        return;
    }
    free(slot->key);
    json_decref(slot->value);
    *slot = (cached){k, st->st_dev, st->st_ino, st->st_size, st->st_mtim, value,
                     ++cache_clock};
}

/* DEST of the "DEST/.axle-export.json" among a job's registered files:
 * the manifest export_images registers with the job that kept dest. */
static json_t *
dest_in_files(json_t *files)
{
    size_t i, mlen = strlen(DEST_MANIFEST_NAME);
    json_t *v;
    json_array_foreach(files, i, v) {
        const char *p = json_string_value(v);
        size_t n = p ? strlen(p) : 0;
        if (n > mlen + 1 && p[0] == '/' && p[n - mlen - 1] == '/' &&
            strcmp(p + n - mlen, DEST_MANIFEST_NAME) == 0)
            return json_stringn(p, n - mlen - 1);
    }
    return json_null();
}

/* The dest of job `id` as its job.json says (kept while job.json is the
 * same), malloc'd; NULL when it has none. */
static char *
job_dest(const board *b, const char *id)
{
    char rel[512], key[600];
    snprintf(rel, sizeof rel, "%s/job.json", id);
    snprintf(key, sizeof key, "job %s", id);
    int fd = board_open(b, rel, false);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    pthread_mutex_lock(&cache_lock);
    json_t *known = cache_get(key, &st);
    char *dest = known && json_is_string(known) ? strdup(json_string_value(known)) : NULL;
    pthread_mutex_unlock(&cache_lock);
    if (!known) {
        json_t *j = axle_internal_json_loadfd(fd, 0, NULL);
        /* the registered files: in files.json, or job.json's own list in a
         * job made before that file */
        json_t *files = json_object_get(j, "files");
        char frel[540];
        snprintf(frel, sizeof frel, "%s/files.json", id);
        files = json_is_array(files) ? json_incref(files) : board_read_json(b, frel);
        json_t *d = dest_in_files(files);
        json_decref(files);
        json_decref(j);
        dest = json_is_string(d) ? strdup(json_string_value(d)) : NULL;
        pthread_mutex_lock(&cache_lock);
        cache_put(key, &st, d);
        pthread_mutex_unlock(&cache_lock);
    }
    close(fd);
    return dest;
}

/* Whether the manifest in dest (open as dfd) names this workdir and job
 * `id`, and then, when `name` is given, the size and time it records for
 * that file (false when it lists none).  `why` says what is wrong. */
static bool
manifest_says(const board *b, const char *dest, int dfd, const char *id, const char *name,
              struct stat *want, char *why, size_t whylen)
{
    char key[4200];
    snprintf(key, sizeof key, "dest %s", dest);
    int fd = openat(dfd, DEST_MANIFEST_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s/%s is gone", dest, DEST_MANIFEST_NAME);
        if (fd >= 0)
            close(fd);
        return false;
    }
    pthread_mutex_lock(&cache_lock);
    bool known = cache_get(key, &st) != NULL;
    pthread_mutex_unlock(&cache_lock);
    json_t *fresh = NULL;
    if (!known) {
        fresh = axle_internal_json_loadfd(fd, 0, NULL);
        if (!json_is_object(json_object_get(fresh, "files"))) {
            json_decref(fresh);
            fresh = json_object(); /* names no job: nothing is served */
        }
    }
    close(fd);
    char wd[4096], job[256];
    bool listed = false;
    pthread_mutex_lock(&cache_lock);
    if (fresh)
        cache_put(key, &st, fresh);
    json_t *m = cache_get(key, &st);
    const char *mwd = json_string_value(json_object_get(m, "workdir"));
    const char *mjob = json_string_value(json_object_get(m, "job"));
    snprintf(wd, sizeof wd, "%s", mwd ? mwd : "");
    snprintf(job, sizeof job, "%s", mjob ? mjob : "");
    json_t *entry = name ? json_object_get(json_object_get(m, "files"), name) : NULL;
    if (entry) {
        listed = true;
        want->st_size = (off_t)json_integer_value(json_object_get(entry, "size"));
        long long ns = json_integer_value(json_object_get(entry, "mtime_ns"));
        want->st_mtim.tv_sec = (time_t)(ns / 1000000000LL);
        want->st_mtim.tv_nsec = (long)(ns % 1000000000LL);
    }
    pthread_mutex_unlock(&cache_lock);
    char *real = wd[0] ? realpath(wd, NULL) : NULL;
    bool ours = real && strcmp(real, b->workdir) == 0;
    free(real);
    if (!ours)
        snprintf(why, whylen, "%s is kept by another workdir (%s)", dest, wd[0] ? wd : "?");
    else if (strcmp(job, id) != 0)
        snprintf(why, whylen, "%s holds the export of job %s now", dest, job[0] ? job : "?");
    else if (name && !listed)
        snprintf(why, whylen, "%s/%s is not a file job %s wrote", dest, name, id);
    return ours && strcmp(job, id) == 0 && (!name || listed);
}

char *
board_dest_of(const board *b, const char *id, json_t *files, char *why, size_t whylen)
{
    char scratch[1];
    if (!why) {
        why = scratch;
        whylen = sizeof scratch;
    }
    why[0] = '\0';
    char *dest = NULL;
    if (files) {
        json_t *d = dest_in_files(files);
        dest = json_is_string(d) ? strdup(json_string_value(d)) : NULL;
        json_decref(d);
    } else if (board_job_exists(b, id, false)) {
        dest = job_dest(b, id);
    }
    int dfd = dest ? open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dest && dfd < 0)
        snprintf(why, whylen, "%s: %s", dest, strerror(errno));
    if (dfd < 0 || !manifest_says(b, dest, dfd, id, NULL, NULL, why, whylen)) {
        free(dest);
        dest = NULL;
    }
    if (dfd >= 0)
        close(dfd);
    return dest;
}

void
board_serve_dest(board *b, char **seg, int n, board_reply *out)
{
    char *dest = n >= 3 && board_job_exists(b, seg[1], false) ? job_dest(b, seg[1]) : NULL;
    if (!dest) {
        board_reply_error(out, 404, "no export job %s with a dest folder in this workdir",
                          n >= 2 ? seg[1] : "");
        return;
    }
    char rel[4096], why[4600] = "";
    size_t len = 0;
    for (int i = 2; i < n && len < sizeof rel; i++)
        len += (size_t)snprintf(rel + len, sizeof rel - len, "%s%s", i > 2 ? "/" : "", seg[i]);
    int dfd = len < sizeof rel ? open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    struct stat want, st;
    int fd = -1;
    if (dfd < 0)
        snprintf(why, sizeof why, "%s: %s", dest, len < sizeof rel ? strerror(errno)
                                                                   : "path too long");
    else if (manifest_says(b, dest, dfd, seg[1], rel, &want, why, sizeof why) &&
             (fd = board_open_at(dfd, rel, false)) < 0)
        snprintf(why, sizeof why, "%s/%s: %s", dest, rel,
                 errno == EACCES ? "refused (no links, only plain files)" : strerror(errno));
    if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_size != want.st_size ||
                    st.st_mtim.tv_sec != want.st_mtim.tv_sec ||
                    st.st_mtim.tv_nsec != want.st_mtim.tv_nsec)) {
        snprintf(why, sizeof why, "%s/%s changed since job %s wrote it: not shown", dest,
                 rel, seg[1]);
        close(fd);
        fd = -1;
    }
    if (dfd >= 0)
        close(dfd);
    free(dest);
    if (fd < 0) {
        board_reply_error(out, 404, "%s", why);
        return;
    }
    board_reply_file(out, fd, seg[n - 1]);
    out->cacheable = false; /* the next run may write it again */
}
