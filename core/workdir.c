/* workdir.c - workdir creation, locking, job numbering and lookups. */
#include "workdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"

static char *
wd_file(const workdir *w, const char *name)
{
    char *p;
    return asprintf(&p, "%s/%s", w->path, name) < 0 ? NULL : p;
}

static workdir *
wd_new(const char *path)
{
    workdir *w = calloc(1, sizeof *w);
    w->path = fs_absolute(path, NULL);
    const char *base = strrchr(w->path, '/');
    w->name = strdup(base && base[1] ? base + 1 : "work");
    w->lock_fd = -1;
    return w;
}

static int
wd_read_config(workdir *w)
{
    char *cfg = wd_file(w, "workdir.json");
    json_t *j = fs_read_json(cfg);
    free(cfg);
    if (!j)
        return -1;
    w->slices = (int)json_integer_value(json_object_get(j, "slices"));
    json_decref(j);
    return w->slices > 0 ? 0 : -1;
}

static int
wd_lock(workdir *w)
{
    char *lock = wd_file(w, ".lock");
    w->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(lock);
    if (w->lock_fd < 0)
        return -1;
    if (flock(w->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return -1;
    fprintf(stderr, "axle: workdir %s is in use by another run; waiting for it\n",
            w->path);
    /* The core's SIGINT/SIGTERM handlers do not restart calls, so Ctrl-C
     * while waiting ends the wait (EINTR) instead of being swallowed. */
    if (flock(w->lock_fd, LOCK_EX) < 0)
        return -1;
    fprintf(stderr, "axle: workdir %s is free; going on\n", w->path);
    return 0;
}

workdir *
workdir_open(const char *path, int want_slices)
{
    workdir *w = wd_new(path);
    if (fs_mkdirs(w->path, 0755) < 0) {
        diag_error(NULL, 0, 0, "cannot create workdir %s: %s", w->path,
                   strerror(errno));
        workdir_close(w);
        return NULL;
    }
    if (wd_lock(w) < 0) {
        if (errno == EINTR)
            diag_error(NULL, 0, 0, "interrupted while waiting for workdir %s",
                       w->path);
        else
            diag_error(NULL, 0, 0, "cannot lock workdir %s: %s", w->path,
                       strerror(errno));
        workdir_close(w);
        return NULL;
    }
    if (wd_read_config(w) == 0) {
        if (want_slices > 0 && want_slices != w->slices) {
            diag_error(NULL, 0, 0,
                       "workdir %s has %d slices; %d were asked for (the "
                       "count is fixed when a workdir is created: use "
                       "another workdir)", w->path, w->slices, want_slices);
            workdir_close(w);
            return NULL;
        }
        return w;
    }
    w->slices = want_slices > 0 ? want_slices : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (w->slices < 1)
        w->slices = 1;
    json_t *cfg = json_pack("{s:i, s:i}", "format", WORKDIR_FORMAT, "slices",
                            w->slices);
    char *cfgpath = wd_file(w, "workdir.json");
    int rc = fs_write_json(cfgpath, cfg);
    json_decref(cfg);
    free(cfgpath);
    if (rc < 0) {
        diag_error(NULL, 0, 0, "cannot write %s/workdir.json: %s", w->path,
                   strerror(errno));
        workdir_close(w);
        return NULL;
    }
    return w;
}

workdir *
workdir_open_existing(const char *path)
{
    workdir *w = wd_new(path);
    if (wd_read_config(w) < 0) {
        workdir_close(w);
        return NULL;
    }
    return w;
}

void
workdir_close(workdir *w)
{
    if (!w)
        return;
    workdir_save_steps(w);
    json_decref(w->steps);
    if (w->lock_fd >= 0)
        close(w->lock_fd);
    free(w->path);
    free(w->name);
    free(w);
}

char *
workdir_job_dir(const workdir *w, const char *job_id)
{
    return wd_file(w, job_id);
}

char *
workdir_new_job(workdir *w, char **dir_out)
{
    char *next = wd_file(w, ".next");
    long n = 1;
    FILE *f = fopen(next, "r");
    if (f) {
        if (fscanf(f, "%ld", &n) != 1 || n < 1)
            n = 1;
        fclose(f);
    }
    for (;; n++) {
        char *id;
        if (asprintf(&id, "%s-%ld", w->name, n) < 0)
            break;
        char *dir = workdir_job_dir(w, id);
        if (mkdir(dir, 0755) == 0) {
            char num[32];
            int len = snprintf(num, sizeof num, "%ld\n", n + 1);
            fs_write_atomic(next, num, (size_t)len);
            free(next);
            *dir_out = dir;
            return id;
        }
        int e = errno;
        free(dir);
        free(id);
        if (e != EEXIST) {
            errno = e;
            break;
        }
    }
    free(next);
    return NULL;
}

char *
workdir_lookup(const workdir *w, const char *identity)
{
    char *path;
    if (asprintf(&path, "%s/index/%s", w->path, identity) < 0)
        return NULL;
    char buf[256];
    char *id = NULL;
    FILE *f = fopen(path, "r");
    if (f && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        id = strdup(buf);
    }
    if (f)
        fclose(f);
    free(path);
    return id;
}

int
workdir_index(workdir *w, const char *identity, const char *job_id)
{
    char *dir = wd_file(w, "index");
    char *path;
    fs_mkdirs(dir, 0755);
    if (asprintf(&path, "%s/%s", dir, identity) < 0) {
        free(dir);
        return -1;
    }
    char line[256];
    int len = snprintf(line, sizeof line, "%s\n", job_id);
    int rc = fs_write_atomic(path, line, (size_t)len);
    free(path);
    free(dir);
    return rc;
}

static json_t *
wd_steps(const workdir *w)
{
    workdir *mw = (workdir *)w;
    if (!mw->steps) {
        char *path = wd_file(w, "steps.json");
        mw->steps = fs_read_json(path);
        free(path);
        if (!json_is_object(mw->steps)) {
            json_decref(mw->steps);
            mw->steps = json_object();
        }
    }
    return mw->steps;
}

char *
workdir_step_job(const workdir *w, const char *step)
{
    const char *id = json_string_value(json_object_get(wd_steps(w), step));
    return id ? strdup(id) : NULL;
}

void
workdir_set_step_job(workdir *w, const char *step, const char *job_id)
{
    json_object_set_new(wd_steps(w), step, json_string(job_id));
    w->steps_dirty = true;
}

int
workdir_save_steps(workdir *w)
{
    if (!w->steps_dirty)
        return 0;
    char *path = wd_file(w, "steps.json");
    int rc = fs_write_json(path, w->steps);
    free(path);
    w->steps_dirty = rc < 0;
    return rc;
}
