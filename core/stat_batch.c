/* stat_batch.c - stat(2) of batches of names over a few threads. */
#include "stat_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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

static bool
batch_add(stat_batch *b, const char *path, long long tag0, long long tag1)
{
    size_t len = strlen(path) + 1;
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
    b->fact[b->n].tag[0] = tag0;
    b->fact[b->n].tag[1] = tag1;
    b->offset[b->n++] = b->used;
    b->used += len;
    return true;
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
    if (fstatat(dirfd, name, &st, 0) != 0) { /* the tags stay */
        f->err = errno;
        f->size = f->mtime_sec = f->mtime_nsec = 0;
        return;
    }
    f->err = 0;
    f->size = (long long)st.st_size;
    f->mtime_sec = (long long)st.st_mtim.tv_sec;
    f->mtime_nsec = st.st_mtim.tv_nsec;
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

/* A batch being stat'ed: its threads, each with its part. */
struct flight {
    struct share shares[STAT_BATCH_MAX_THREADS];
    pthread_t tids[STAT_BATCH_MAX_THREADS];
    bool started[STAT_BATCH_MAX_THREADS];
    size_t nthreads;
    bool busy;
};

/* Starts the stats of b's names: by threads when there are enough names
 * and threads to share them, else here and now. */
static void
flight_start(struct flight *fl, stat_batch *b, int threads)
{
    size_t want = b->n / STAT_BATCH_MIN_SHARE;
    size_t n = want < (size_t)threads ? want : (size_t)threads;
    fl->nthreads = n;
    fl->busy = true;
    if (threads < 2 || n == 0) { /* one CPU, or a few names */
        fl->nthreads = 0;
        struct share all = {b, 0, b->n};
        run_share(&all);
        return;
    }
    /* the threads block every signal: SIGINT and the status signal reach
     * the core's own thread, whose handlers and checks expect them */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (size_t t = 0; t < n; t++) {
        fl->shares[t] = (struct share){b, b->n * t / n, b->n * (t + 1) / n};
        fl->started[t] =
            pthread_create(&fl->tids[t], NULL, run_share, &fl->shares[t]) == 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Waits for the threads; a part no thread could be started for is done
 * here. */
static void
flight_wait(struct flight *fl)
{
    for (size_t t = 0; t < fl->nthreads; t++) {
        if (fl->started[t])
            pthread_join(fl->tids[t], NULL);
        else
            run_share(&fl->shares[t]);
    }
    fl->nthreads = 0;
    fl->busy = false;
}

/* Two batches: one being filled while the other is stat'ed. */
struct stat_pipe {
    stat_batch batch[2];
    int filling;           /* index of the batch names go to */
    struct flight flight;  /* of the other batch, when busy */
    stat_batch_fn *fn;
    void *ctx;
    bool stopped;
    atomic_int *cap;       /* NULL, or at most this many threads */
};

stat_pipe *
stat_pipe_new(int basefd, stat_batch_fn *fn, void *ctx)
{
    stat_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->batch[0].basefd = p->batch[1].basefd = basefd;
    p->fn = fn;
    p->ctx = ctx;
    return p;
}

/* The batch in flight, when there is one, waited for and handed over. */
static void
land(stat_pipe *p)
{
    if (!p->flight.busy)
        return;
    flight_wait(&p->flight);
    stat_batch *done = &p->batch[1 - p->filling];
    if (!p->stopped && !p->fn(p->ctx, done))
        p->stopped = true;
    done->n = done->used = 0;
}

/* The batch being filled takes off; names go to the other, landed first. */
static void
take_off(stat_pipe *p)
{
    land(p);
    if (p->stopped)
        return;
    int threads = batch_threads;
    if (p->cap && atomic_load(p->cap) < threads)
        threads = atomic_load(p->cap);
    flight_start(&p->flight, &p->batch[p->filling], threads);
    p->filling = 1 - p->filling;
}

bool
stat_pipe_add(stat_pipe *p, const char *path, long long tag0, long long tag1)
{
    if (p->batch[p->filling].n == STAT_BATCH_CAP)
        take_off(p);
    if (p->stopped)
        return false;
    return batch_add(&p->batch[p->filling], path, tag0, tag1);
}

bool
stat_pipe_finish(stat_pipe *p)
{
    if (p->batch[p->filling].n && !p->stopped)
        take_off(p);
    land(p);
    return !p->stopped;
}

void
stat_pipe_free(stat_pipe *p)
{
    if (!p)
        return;
    if (p->flight.busy)
        flight_wait(&p->flight);
    free(p->batch[0].names);
    free(p->batch[1].names);
    free(p);
}

void
stat_pipe_cap(stat_pipe *p, atomic_int *cap)
{
    p->cap = cap;
}
