/* stat_batch.c - stat(2) of a batch of names over a few threads. */
#include "stat_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Below this many names a thread costs more than it saves (creating and
 * joining one is some tens of microseconds, a stat one or two). */
#define STAT_BATCH_MIN_SHARE 256
#define STAT_BATCH_MAX_THREADS 16

static int batch_threads = 1;

struct stat_batch {
    int basefd;
    char *names;      /* the names, each NUL-ended, one after another */
    size_t used, size;
    size_t offset[STAT_BATCH_CAP];
    stat_fact fact[STAT_BATCH_CAP];
    size_t n;
};

void
stat_batch_set_threads(int slices)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = slices < 1 ? 1 : slices;
    if (cpus > 0 && n > cpus)
        n = (int)cpus;
    batch_threads = n > STAT_BATCH_MAX_THREADS ? STAT_BATCH_MAX_THREADS : n;
}

stat_batch *
stat_batch_new(int basefd)
{
    stat_batch *b = calloc(1, sizeof *b);
    if (b)
        b->basefd = basefd;
    return b;
}

void
stat_batch_free(stat_batch *b)
{
    if (!b)
        return;
    free(b->names);
    free(b);
}

bool
stat_batch_add(stat_batch *b, const char *path)
{
    size_t len = strlen(path) + 1;
    if (b->n == STAT_BATCH_CAP)
        return false;
    if (b->used + len > b->size) {
        size_t size = b->size ? 2 * b->size : 64 * 1024;
        while (size < b->used + len)
            size *= 2;
        char *names = realloc(b->names, size);
        if (!names)
            return false;
        b->names = names;
        b->size = size;
    }
    memcpy(b->names + b->used, path, len);
    b->offset[b->n++] = b->used;
    b->used += len;
    return true;
}

bool
stat_batch_full(const stat_batch *b)
{
    return b->n == STAT_BATCH_CAP;
}

size_t
stat_batch_count(const stat_batch *b)
{
    return b->n;
}

const char *
stat_batch_path(const stat_batch *b, size_t i)
{
    return b->names + b->offset[i];
}

const stat_fact *
stat_batch_fact(const stat_batch *b, size_t i)
{
    return &b->fact[i];
}

void
stat_batch_clear(stat_batch *b)
{
    b->n = 0;
    b->used = 0;
}

/* One thread's part: names [lo, hi).  Names come folder by folder, so
 * the folder of the previous name is kept open and a name in it costs
 * the kernel the lookup of its last component only. */
struct share {
    stat_batch *b;
    size_t lo, hi;
};

static void
stat_one(stat_batch *b, size_t i, int *folderfd, const char **folder, size_t *folderlen)
{
    const char *path = stat_batch_path(b, i);
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;
    int dirfd = b->basefd;
    const char *name = path;
    if (len > 0) {
        if (!*folder || *folderlen != len || memcmp(*folder, path, len) != 0) {
            if (*folderfd >= 0)
                close(*folderfd);
            char *dir = strndup(path, len);
            *folderfd = dir ? openat(b->basefd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
            free(dir);
            *folder = path; /* stays in b->names while this part runs */
            *folderlen = len;
        }
        if (*folderfd >= 0) { /* else the whole path, for its own error */
            dirfd = *folderfd;
            name = slash + 1;
        }
    }
    struct stat st;
    stat_fact *f = &b->fact[i];
    if (fstatat(dirfd, name, &st, 0) != 0) {
        *f = (stat_fact){errno, 0, 0, 0};
        return;
    }
    *f = (stat_fact){0, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec};
}

static void *
run_share(void *arg)
{
    struct share *s = arg;
    int folderfd = -1;
    const char *folder = NULL;
    size_t folderlen = 0;
    for (size_t i = s->lo; i < s->hi; i++)
        stat_one(s->b, i, &folderfd, &folder, &folderlen);
    if (folderfd >= 0)
        close(folderfd);
    return NULL;
}

void
stat_batch_run(stat_batch *b)
{
    size_t want = b->n / STAT_BATCH_MIN_SHARE;
    size_t nthreads = want < (size_t)batch_threads ? want : (size_t)batch_threads;
    if (nthreads < 1)
        nthreads = 1;
    struct share shares[STAT_BATCH_MAX_THREADS];
    pthread_t tids[STAT_BATCH_MAX_THREADS];
    bool started[STAT_BATCH_MAX_THREADS] = {false};
    for (size_t t = 0; t < nthreads; t++)
        shares[t] = (struct share){b, b->n * t / nthreads, b->n * (t + 1) / nthreads};
    /* this thread takes the first part; a thread that cannot be started
     * leaves its part to this one, after */
    for (size_t t = 1; t < nthreads; t++)
        started[t] = pthread_create(&tids[t], NULL, run_share, &shares[t]) == 0;
    run_share(&shares[0]);
    for (size_t t = 1; t < nthreads; t++) {
        if (started[t])
            pthread_join(tids[t], NULL);
        else
            run_share(&shares[t]);
    }
}
