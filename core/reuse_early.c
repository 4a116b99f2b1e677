/* reuse_early.c - every step's likely job checked on a thread of its own
 * from the run's start (reuse_early.h). */
#include "reuse_early.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity.h"
#include "job_check.h"
#include "job_record.h"

/* One job checked early: its folder, the job.json the check read, and,
 * once done, the verdict. */
struct early_job {
    char *dir;
    json_t *jobjson;
    char *refusal;
    bool done;
};

/* The run's early checks.  `jobs` and each job's dir and jobjson are set
 * before the thread starts and only read after; `refusal` and `done` are
 * written by the thread under `lock`. */
static struct {
    struct early_job *jobs;
    size_t n;
    bool running;       /* the thread was started and not yet joined */
    bool settled;       /* joined after its last job: the verdicts stand */
    bool finished;      /* the thread has passed its last job */
    pthread_t tid;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    job_check_pace pace;
} early = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

/* The folder of the job WORKDIR/latest/STEP names, or NULL. */
static char *
latest_job_dir(const workdir *w, const char *stepname)
{
    char *id = workdir_latest_job(w, stepname);
    char *dir = id ? workdir_job_dir(w, id) : NULL;
    free(id);
    return dir;
}

static void *
check_all(void *arg)
{
    (void)arg;
    for (size_t i = 0; i < early.n && !atomic_load(&early.pace.stop); i++) {
        struct early_job *j = &early.jobs[i];
        char *r = job_intact_refusal(j->dir, j->jobjson, &early.pace);
        pthread_mutex_lock(&early.lock);
        if (atomic_load(&early.pace.stop)) { /* a stopped check is no verdict */
            free(r);
        } else {
            j->refusal = r;
            j->done = true;
        }
        pthread_cond_broadcast(&early.changed);
        pthread_mutex_unlock(&early.lock);
    }
    pthread_mutex_lock(&early.lock);
    early.finished = true;
    pthread_cond_broadcast(&early.changed);
    pthread_mutex_unlock(&early.lock);
    return NULL;
}

/* Whether the job of job.json `j` has the recipe `want`. */
static bool
same_recipe(json_t *j, const char *want)
{
    json_t *record = json_object_get(j, "identity_record");
    if (!json_is_object(record))
        return false;
    char hex[DIGEST_HEX_LEN];
    identity_recipe(record, hex);
    return strcmp(hex, want) == 0;
}

void
reuse_early_start(const workdir *w, const pipeline *p, char (*recipes)[DIGEST_HEX_LEN])
{
    early.jobs = calloc(p->nsteps ? p->nsteps : 1, sizeof *early.jobs);
    if (!early.jobs)
        return;
    for (size_t i = 0; i < p->nsteps; i++) {
        char *dir = latest_job_dir(w, p->steps[i].name);
        json_t *j = dir ? job_record_load(dir) : NULL;
        if (!j || !same_recipe(j, recipes[i])) { /* checked at use, if at all */
            json_decref(j);
            free(dir);
            continue;
        }
        early.jobs[early.n++] = (struct early_job){dir, j, NULL, false};
    }
    atomic_store(&early.pace.stop, false);
    /* one thread while the run computes identities beside it: a run whose
     * first step is not reused spends no more than that on checks it then
     * drops; all the stat threads once the run waits for a verdict */
    atomic_store(&early.pace.threads, 1);
    early.finished = false;
    if (early.n == 0)
        return;
    /* the thread blocks every signal: SIGINT and the status signal reach
     * the core's own thread, whose handlers and checks expect them */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    early.running = pthread_create(&early.tid, NULL, check_all, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!early.running) /* no verdicts: every job is checked at use */
        reuse_early_forget();
}

bool
reuse_early_verdict(const char *jobdir, json_t *jobjson, char **refusal)
{
    *refusal = NULL;
    if (!early.running && !early.settled)
        return false;
    struct early_job *j = NULL;
    for (size_t i = 0; i < early.n && !j; i++)
        if (strcmp(early.jobs[i].dir, jobdir) == 0)
            j = &early.jobs[i];
    /* the verdict is on the job as its job.json then was */
    if (!j || !jobjson || !json_equal(j->jobjson, jobjson))
        return false;
    pthread_mutex_lock(&early.lock);
    if (!j->done && !early.finished)
        atomic_store(&early.pace.threads, INT_MAX); /* the run waits: all of them */
    while (!j->done && !early.finished)
        pthread_cond_wait(&early.changed, &early.lock);
    bool have = j->done;
    if (have && j->refusal) {
        *refusal = strdup(j->refusal);
        have = *refusal != NULL; /* else checked again, at use */
    }
    pthread_mutex_unlock(&early.lock);
    return have;
}

void
reuse_early_settle(void)
{
    if (!early.running)
        return;
    atomic_store(&early.pace.threads, INT_MAX); /* the run waits: all of them */
    pthread_join(early.tid, NULL);
    early.running = false;
    early.settled = true;
}

void
reuse_early_forget(void)
{
    if (early.running) {
        atomic_store(&early.pace.stop, true);
        pthread_join(early.tid, NULL);
        early.running = false;
    }
    early.settled = false;
    for (size_t i = 0; i < early.n; i++) {
        free(early.jobs[i].dir);
        json_decref(early.jobs[i].jobjson);
        free(early.jobs[i].refusal);
    }
    free(early.jobs);
    early.jobs = NULL;
    early.n = 0;
}
