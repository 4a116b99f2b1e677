/* workdir.c - workdir creation, locking, job numbering and lookups. */
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
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
    json_int_t n = json_integer_value(json_object_get(j, "slices"));
    json_decref(j);
    w->slices = n > 0 && n <= INT_MAX ? (int)n : 0;
    return w->slices > 0 ? 0 : -1;
}

/* Waits for the lock; Ctrl-C or SIGTERM ends the wait with EINTR.  A
 * blocking flock would miss a signal that lands just before it is entered
 * (the core's handler only sets a flag), so the two stay blocked while
 * waiting and are taken with sigtimedwait between tries of the lock (every
 * 100 ms), then raised again once unblocked, for the handler (or the
 * default action) to see. */
static int
wait_for_lock(int fd, const sigset_t *stop)
{
    const struct timespec tick = {0, 100 * 1000 * 1000};
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno != EWOULDBLOCK)
            return -1;
        int sig = sigtimedwait(stop, NULL, &tick);
        if (sig > 0)
            return -sig;
    }
}

static int
wd_lock(workdir *w)
{
    char *lock = wd_file(w, ".lock");
    w->lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    free(lock);
    if (w->lock_fd < 0)
        return -1;
    if (flock(w->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return -1;
    sigset_t stop, before;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, &before);
    /* said once the signals are held: a Ctrl-C after it ends the wait */
    fprintf(stderr, "axle: workdir %s is in use by another run; waiting for it\n",
            w->path);
    int rc = wait_for_lock(w->lock_fd, &stop), saved = errno;
    if (rc < -1)
        raise(-rc); /* pending until the mask is restored */
    sigprocmask(SIG_SETMASK, &before, NULL);
    errno = rc < -1 ? EINTR : saved;
    if (rc < 0)
        return -1;
    fprintf(stderr, "axle: workdir %s is free; going on\n", w->path);
    return 0;
}

/* ---- whose folder it is ------------------------------------------------------ */

/* "the root folder" or "your home folder" when `path` is one of them
 * (through links too), else NULL. */
static const char *
forbidden_place(const char *path)
{
    char real[PATH_MAX], home_real[PATH_MAX];
    if (!realpath(path, real))
        return NULL; /* does not exist yet: cannot be either */
    if (strcmp(real, "/") == 0)
        return "the root folder";
    const char *home = getenv("HOME");
    struct passwd *pw = getpwuid(getuid());
    if ((home && *home && realpath(home, home_real) && strcmp(real, home_real) == 0) ||
        (pw && pw->pw_dir && realpath(pw->pw_dir, home_real) &&
         strcmp(real, home_real) == 0))
        return "your home folder";
    return NULL;
}

static bool
has_marker(const workdir *w)
{
    char *marker = wd_file(w, WORKDIR_MARKER);
    struct stat st;
    bool yes = marker && lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
    free(marker);
    return yes;
}

/* Writes the marker; one already there (a concurrent run) is as good. */
static int
write_marker(const workdir *w)
{
    static const char text[] =
        "This folder is an axle workdir: jobs and their results, made and "
        "managed by axle, which may rewrite anything in it.\n";
    char *marker = wd_file(w, WORKDIR_MARKER);
    int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(marker);
        return errno == EEXIST ? 0 : -1;
    }
    char line[sizeof text + 32];
    int len = snprintf(line, sizeof line, "%sformat %d\n", text, WORKDIR_FORMAT);
    errno = ENOSPC; /* what a short write means */
    bool ok = write(fd, line, (size_t)len) == len;
    int e = errno;
    if (close(fd) < 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok)
        unlink(marker);
    free(marker);
    errno = e;
    return ok ? 0 : -1;
}

/* A job folder's name: anything, '-', a job number (a wave-1 workdir
 * renamed since keeps its old job names). */
static bool
is_job_name(const char *name)
{
    const char *dash = strrchr(name, '-');
    if (!dash || dash == name || !dash[1] || strlen(dash + 1) > 9)
        return false;
    return strspn(dash + 1, "0123456789") == strlen(dash + 1);
}

/* workdir.json, steps.json and .next, or a temporary one of them left by
 * a run of axle 0.1 that was cut off ("steps.json.tmp.1234"). */
static bool
is_wave1_file(const char *name)
{
    static const char *const files[] = {"workdir.json", "steps.json", ".next", NULL};
    for (const char *const *f = files; *f; f++) {
        size_t n = strlen(*f);
        if (strncmp(name, *f, n) != 0)
            continue;
        if (!name[n])
            return true;
        if (strncmp(name + n, ".tmp.", 5) == 0 && name[n + 5] &&
            strspn(name + n + 5, "0123456789") == strlen(name + n + 5))
            return true;
    }
    return false;
}

/* What a folder holds: axle's marker, nothing, the layout of an axle 0.1
 * workdir (a valid workdir.json and nothing but axle's own names), or
 * something else. */
enum contents { MARKED, EMPTY, WAVE1_WORKDIR, FOREIGN };

static enum contents
folder_contents(workdir *w)
{
    if (has_marker(w))
        return MARKED;
    DIR *d = opendir(w->path);
    if (!d)
        return FOREIGN;
    size_t entries = 0;
    bool only_axle = true;
    for (struct dirent *e; (e = readdir(d));) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        entries++;
        only_axle = only_axle && (is_wave1_file(name) || strcmp(name, ".lock") == 0 ||
                                  strcmp(name, "index") == 0 ||
                                  strcmp(name, "latest") == 0 || is_job_name(name));
    }
    closedir(d);
    if (has_marker(w)) /* a run starting beside us has just made it */
        return MARKED;
    if (entries == 0)
        return EMPTY;
    return only_axle && wd_read_config(w) == 0 ? WAVE1_WORKDIR : FOREIGN;
}

/* Makes `w->path` a workdir we may write into, or says why not. */
static int
claim(workdir *w)
{
    const char *place = forbidden_place(w->path);
    if (place) {
        diag_error(NULL, 0, 0, "workdir %s is %s; choose another folder", w->path, place);
        return -1;
    }
    struct stat st;
    if (stat(w->path, &st) < 0) {
        if (errno != ENOENT || fs_mkdirs(w->path, 0755) < 0) {
            diag_error(NULL, 0, 0, "cannot create workdir %s: %s", w->path,
                       strerror(errno));
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        diag_error(NULL, 0, 0, "workdir %s is not a folder; choose another", w->path);
        return -1;
    } else {
        enum contents what = folder_contents(w);
        if (what == MARKED)
            return 0;
        if (what == FOREIGN) {
            diag_error(NULL, 0, 0, "workdir %s is not empty and is not an axle workdir "
                       "(no %s); choose another folder", w->path, WORKDIR_MARKER);
            return -1;
        }
    }
    if (write_marker(w) < 0) {
        diag_error(NULL, 0, 0, "cannot write %s/%s: %s", w->path, WORKDIR_MARKER,
                   strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- opening ------------------------------------------------------------------ */

workdir *
workdir_open(const char *path, int want_slices)
{
    workdir *w = wd_new(path);
    if (claim(w) < 0) {
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

/* ---- job numbers --------------------------------------------------------------- */

/* The job number `text` spells (digits only, 1..WORKDIR_JOB_MAX), or 0. */
static long
job_number(const char *text)
{
    size_t len = strlen(text);
    if (len == 0 || len > 9 || strspn(text, "0123456789") != len)
        return 0;
    long n = strtol(text, NULL, 10); /* at most 9 digits: cannot overflow */
    return n <= WORKDIR_JOB_MAX ? n : 0;
}

/* The highest number among the job folders NAME-N (0 when none); a name
 * with a number out of range is not one of ours and is passed over. */
static long
highest_job_folder(const workdir *w)
{
    DIR *d = opendir(w->path);
    size_t len = strlen(w->name);
    long highest = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, w->name, len) != 0 || e->d_name[len] != '-')
            continue;
        long n = job_number(e->d_name + len + 1);
        if (n > highest)
            highest = n;
    }
    if (d)
        closedir(d);
    return highest;
}

/* The number to try first: the counter, or, when it is missing or does
 * not hold a job number (cut off, tampered with), one past the highest
 * job folder. */
static long
first_number(const workdir *w, const char *counter)
{
    char text[64];
    if (fs_read_text(counter, text, sizeof text)) {
        text[strcspn(text, "\n")] = '\0';
        long n = job_number(text);
        if (n > 0)
            return n;
        for (char *c = text; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                *c = '?';
        if (strlen(text) > 24)
            strcpy(text + 21, "...");
        fprintf(stderr, "axle: workdir %s: the job counter %s holds '%s', not a job "
                "number from 1 to %ld; numbering on from the job folders\n", w->path,
                counter, text, WORKDIR_JOB_MAX);
    }
    return highest_job_folder(w) + 1;
}

char *
workdir_new_job(workdir *w, char **dir_out)
{
    char *counter = wd_file(w, ".next");
    errno = EOVERFLOW; /* when the numbers are used up */
    for (long n = first_number(w, counter); n <= WORKDIR_JOB_MAX; n++) {
        char *id;
        if (asprintf(&id, "%s-%ld", w->name, n) < 0)
            break;
        char *dir = workdir_job_dir(w, id);
        if (mkdir(dir, 0755) == 0) {
            char num[32];
            int len = snprintf(num, sizeof num, "%ld\n", n + 1);
            fs_write_atomic(counter, num, (size_t)len);
            free(counter);
            *dir_out = dir;
            return id;
        }
        int e = errno;
        free(dir);
        free(id);
        errno = e;
        if (e != EEXIST)
            break;
        errno = EOVERFLOW;
    }
    free(counter);
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
    if (fs_read_text(path, buf, sizeof buf)) {
        buf[strcspn(buf, "\n")] = '\0';
        id = buf[0] ? strdup(buf) : NULL;
    }
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

/* ---- latest/STEP ----------------------------------------------------------------- */

int
workdir_link_latest(workdir *w, const char *step, const char *job_id)
{
    /* a name that is not one plain file name gets no link */
    if (!step[0] || step[0] == '.' || strchr(step, '/') || strlen(step) > 200)
        return 0;
    char *dir = wd_file(w, "latest");
    char *tmp = NULL, *link = NULL, *target = NULL;
    int rc = -1;
    if (dir && (mkdir(dir, 0755) == 0 || errno == EEXIST) &&
        asprintf(&tmp, "%s/.%s.tmp-%ld", dir, step, (long)getpid()) >= 0 &&
        asprintf(&link, "%s/%s", dir, step) >= 0 &&
        asprintf(&target, "../%s", job_id) >= 0) {
        /* relative, so a workdir moved as a whole keeps its links; made
         * beside the old one and renamed over it, so it is never missing */
        unlink(tmp);
        rc = symlink(target, tmp) == 0 && rename(tmp, link) == 0 ? 0 : -1;
        if (rc < 0)
            unlink(tmp);
    }
    free(dir);
    free(tmp);
    free(link);
    free(target);
    return rc;
}

char *
workdir_latest_job(const workdir *w, const char *step)
{
    char link[PATH_MAX], target[PATH_MAX];
    if (snprintf(link, sizeof link, "%s/latest/%s", w->path, step) >= (int)sizeof link)
        return NULL;
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    const char *slash = strrchr(target, '/');
    const char *id = slash ? slash + 1 : target;
    return *id ? strdup(id) : NULL;
}

/* ---- forgetting removed jobs (axle gc) ------------------------------------------------ */

/* Removes the entries of folder `sub` whose text (index/ID files) or link
 * target (latest/STEP -> ../ID) names a job of `gone`. */
static size_t
forget_in(workdir *w, const char *sub, bool links, json_t *gone)
{
    char *dir = wd_file(w, sub);
    DIR *d = dir ? opendir(dir) : NULL;
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX], text[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        const char *id = NULL;
        if (links) {
            ssize_t len = readlink(path, text, sizeof text - 1);
            if (len > 3 && strncmp(text, "../", 3) == 0) {
                text[len] = '\0';
                id = text + 3;
            }
        } else if (fs_read_text(path, text, sizeof text)) {
            text[strcspn(text, "\n")] = '\0';
            id = text;
        }
        if (id && json_object_get(gone, id) && unlink(path) == 0)
            n++;
    }
    if (d)
        closedir(d);
    free(dir);
    return n;
}

size_t
workdir_forget_jobs(workdir *w, json_t *gone)
{
    size_t n = forget_in(w, "index", false, gone);
    forget_in(w, "latest", true, gone);
    json_t *steps = wd_steps(w);
    const char *step;
    json_t *id, *tmp;
    json_object_foreach_safe(steps, tmp, step, id) {
        if (json_object_get(gone, json_string_value(id) ? json_string_value(id) : "")) {
            json_object_del(steps, step);
            w->steps_dirty = true;
        }
    }
    return n;
}
