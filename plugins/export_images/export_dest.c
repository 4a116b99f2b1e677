/* export_dest.c - export_images' `dest`: a folder kept as a mirror.
 *
 * With `dest`, the export writes its files there instead of into the job
 * folder, and the folder's manifest (DEST/.axle-export.json) says which
 * files axle wrote, each with its size, modification time (ns) and image
 * digest.  A file is axle's only while its size and time are those the
 * manifest recorded; anything else in dest is the user's and is never
 * overwritten or deleted:
 *   - a name whose file is absent, or axle's, is written (atomically: a
 *     temporary in the same folder, then a rename that, for a new name,
 *     never replaces a file that appeared meanwhile); an axle file that
 *     already holds the same image is left as it is;
 *   - a name taken by a file axle did not write, or changed since, is
 *     left as it is and the item skipped; that file is registered with
 *     the job (never touched), so reuse notices when the user moves or
 *     changes it and the next run builds the export again to fill the gap
 *     (a folder or link in the way is a transient skip: tried every run);
 *   - synthesis deletes the files earlier jobs wrote for names this job
 *     did not (removed photos) when they are unchanged since, and the
 *     folders that leaves empty.
 * Each written or kept file is registered with the job (absolute path),
 * so reuse checks them: a job whose dest file was deleted or edited is
 * built again and puts dest right.
 *
 * Crash safety: before a file is renamed into place, its slice appends
 * its name, size and time to a journal in dest
 * (.axle-export.journal-HOST-PID.jsonl: under --mpi slices on two hosts
 * may have the same pid, and one must not truncate the other's); the
 * next job folds the journals of a job cut off into the manifest, so
 * files it wrote stay axle's.
 *
 * One export step keeps one dest: the manifest names its workdir and
 * step, and another step (or workdir) using the same dest is refused
 * while that workdir exists.  The folder is flock()ed for the job. */
#include "export_dest.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define JOURNAL_PREFIX ".axle-export.journal-"
#define JOURNAL_SUFFIX ".jsonl"

static char *dest;      /* absolute, no trailing slash; NULL without `dest` */
static int dest_fd = -1; /* the folder, flock()ed for the job */
static json_t *owned;   /* name -> {size, mtime_ns, image_sha256}: axle's files */
static int journal_fd = -1; /* this slice's journal */
static json_t *keep_but;  /* export_dest_keep_all_but's names, or NULL */

void
export_dest_keep_all_but(json_t *dropped)
{
    json_decref(keep_but);
    keep_but = dropped;
}

bool
export_dest_on(void)
{
    return dest != NULL;
}

const char *
export_dest_path(void)
{
    return dest;
}

static long long
mtime_ns(const struct stat *st)
{
    return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* True when the file `st` is still the one `entry` records. */
static bool
still_axles(const json_t *entry, const struct stat *st)
{
    return entry && S_ISREG(st->st_mode) &&
           json_integer_value(json_object_get(entry, "size")) == (json_int_t)st->st_size &&
           json_integer_value(json_object_get(entry, "mtime_ns")) == mtime_ns(st);
}

static json_t *
entry_of(const struct stat *st, const char *image_sha256)
{
    return json_pack("{s:I, s:I, s:s}", "size", (json_int_t)st->st_size, "mtime_ns",
                     (json_int_t)mtime_ns(st), "image_sha256", image_sha256);
}

/* ---- folders below dest, never through a link ---- */

/* The folder of `name` (its components but the last) below dest, opened
 * without following links; made when `make`.  -1 with errno: ENOTDIR or
 * ELOOP when a file or a link is in the way. */
static int
open_parent(const char *name, bool make, const char **base)
{
    int fd = dup(dest_fd);
    const char *p = name;
    for (const char *slash; fd >= 0 && (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        char comp[NAME_MAX + 1];
        size_t n = (size_t)(slash - p);
        if (n == 0 || n > NAME_MAX) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        /* opened first, made only when missing: no mkdir per file */
        int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && make) {
            if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
                int e = errno;
                close(fd);
                errno = e;
                return -1;
            }
            next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        int e = errno;
        close(fd);
        errno = e;
        fd = next;
    }
    *base = p;
    return fd;
}

/* Removes the folders of `name` that are empty now, deepest first; stops
 * at the first that is not (rmdir never removes a folder with files). */
static void
remove_empty_folders(const char *name)
{
    char *dir = strdup(name);
    for (char *slash; dir && (slash = strrchr(dir, '/')) != NULL;) {
        *slash = '\0';
        if (unlinkat(dest_fd, dir, AT_REMOVEDIR) < 0)
            break;
    }
    free(dir);
}

/* ---- the manifest and the journals ---- */

static char *
dest_file(const char *name)
{
    char *p = NULL;
    return asprintf(&p, "%s/%s", dest, name) < 0 ? NULL : p;
}

/* Writes `text` to `name` at the top of dest: a temporary, then a rename. */
static int
write_top_file(axle_job *job, const char *name, const char *text)
{
    unsigned char rnd[8] = {0};
    if (getrandom(rnd, sizeof rnd, 0) < 0)
        memset(rnd, 0, sizeof rnd);
    char tmp[64];
    snprintf(tmp, sizeof tmp, ".axle-export.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    int fd = openat(dest_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    size_t len = strlen(text), done = 0;
    while (fd >= 0 && done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int e = errno;
    if (fd >= 0 && (close(fd) < 0 || done < len || renameat(dest_fd, tmp, dest_fd, name) < 0)) {
        e = errno ? errno : EIO;
        unlinkat(dest_fd, tmp, 0);
        fd = -1;
    }
    if (fd < 0)
        return axle_error(job, AXLE_EIO, "dest %s: cannot write %s: %s", dest, name,
                          strerror(e));
    return AXLE_OK;
}

static int
write_manifest(axle_job *job, json_t *files)
{
    char wd[PATH_MAX];
    snprintf(wd, sizeof wd, "%s", axle_job_dir(job));
    char *slash = strrchr(wd, '/');
    if (slash)
        *slash = '\0';
    json_t *m = json_pack("{s:i, s:s, s:s, s:s, s:O}", "format", 1, "workdir", wd, "step",
                          axle_job_step(job), "job", axle_job_id(job), "files", files);
    char *text = m ? json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
    json_decref(m);
    if (!text)
        return axle_error(job, AXLE_ENOMEM, "out of memory writing the dest manifest");
    int rc = write_top_file(job, EXPORT_DEST_MANIFEST, text);
    free(text);
    return rc;
}

static bool
is_journal(const char *name)
{
    size_t n = strlen(name), p = strlen(JOURNAL_PREFIX), s = strlen(JOURNAL_SUFFIX);
    return n > p + s && strncmp(name, JOURNAL_PREFIX, p) == 0 &&
           strcmp(name + n - s, JOURNAL_SUFFIX) == 0;
}

/* Calls fn (unless NULL) for every line of every journal in dest, then,
 * when `remove`, deletes the journals. */
static void
each_journal_line(void (*fn)(json_t *line, void *ctx), void *ctx, bool remove)
{
    int fd = dup(dest_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    rewinddir(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_journal(e->d_name))
            continue;
        int jfd = openat(dest_fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        FILE *f = fn && jfd >= 0 ? fdopen(jfd, "r") : NULL;
        char *line = NULL;
        size_t cap = 0;
        while (f && getline(&line, &cap, f) > 0) {
            json_t *v = json_loads(line, 0, NULL);
            if (json_is_object(v))
                fn(v, ctx);
            json_decref(v);
        }
        free(line);
        if (f)
            fclose(f);
        else if (jfd >= 0)
            close(jfd);
        if (remove)
            unlinkat(dest_fd, e->d_name, 0);
    }
    closedir(d);
}

/* A journal line of a job cut off: its file is axle's when it is there
 * as the line says. */
static void
adopt_line(json_t *line, void *ctx)
{
    bool *changed = ctx;
    const char *name = json_string_value(json_object_get(line, "name"));
    const char *base;
    int dfd = name ? open_parent(name, false, &base) : -1;
    struct stat st;
    if (dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && still_axles(line, &st)) {
        json_object_set_new(owned, name,
                            entry_of(&st, json_string_value(json_object_get(line, "image_sha256"))));
        *changed = true;
    }
    if (dfd >= 0)
        close(dfd);
}

/* ---- prepare ---- */

static bool
is_workdir(const char *path)
{
    char marker[PATH_MAX + 32];
    snprintf(marker, sizeof marker, "%s/.axle-workdir", path);
    return access(marker, F_OK) == 0;
}

/* Refuses a dest kept by another export step, unless its workdir is gone. */
static int
check_owner(axle_job *job, json_t *manifest)
{
    const char *wd = json_string_value(json_object_get(manifest, "workdir"));
    const char *step = json_string_value(json_object_get(manifest, "step"));
    char mine[PATH_MAX];
    snprintf(mine, sizeof mine, "%s", axle_job_dir(job));
    char *slash = strrchr(mine, '/');
    if (slash)
        *slash = '\0';
    if (!wd || !step || (strcmp(wd, mine) == 0 && strcmp(step, axle_job_step(job)) == 0))
        return AXLE_OK;
    if (!is_workdir(wd)) {
        fprintf(stderr, "export: dest %s was kept by step %s of workdir %s, which is gone; "
                "this step keeps it now\n", dest, step, wd);
        return AXLE_OK;
    }
    return axle_error(job, AXLE_EINVAL,
                      "dest %s is kept by step '%s' of workdir %s (see %s/%s); give each "
                      "export step its own dest", dest, step, wd, dest, EXPORT_DEST_MANIFEST);
}

static int
read_manifest(axle_job *job)
{
    char *path = dest_file(EXPORT_DEST_MANIFEST);
    json_error_t jerr;
    struct stat st;
    int rc = AXLE_OK;
    if (!path)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            owned = json_object();
        else
            rc = axle_error(job, AXLE_EIO, "dest: %s: %s", path, strerror(errno));
    } else {
        json_t *m = S_ISREG(st.st_mode) ? json_load_file(path, 0, &jerr) : NULL;
        json_t *files = json_object_get(m, "files");
        if (!json_is_object(files))
            rc = axle_error(job, AXLE_EFORMAT,
                            "dest: %s is not a manifest axle wrote (%s); move it away to "
                            "use this folder as dest", path,
                            m ? "no \"files\" object" : jerr.text);
        if (rc == AXLE_OK)
            rc = check_owner(job, m);
        if (rc == AXLE_OK)
            owned = json_incref(files);
        json_decref(m);
    }
    free(path);
    return rc;
}

/* dest must not lie in the workdir: the workdir is axle's own. */
static int
check_place(axle_job *job)
{
    char real[PATH_MAX], wd[PATH_MAX];
    snprintf(wd, sizeof wd, "%s", axle_job_dir(job));
    char *slash = strrchr(wd, '/');
    if (slash)
        *slash = '\0';
    char wdreal[PATH_MAX];
    if (!realpath(dest, real) || !realpath(wd, wdreal))
        return axle_error(job, AXLE_EIO, "dest %s: %s", dest, strerror(errno));
    size_t n = strlen(wdreal);
    if (strncmp(real, wdreal, n) == 0 && (real[n] == '\0' || real[n] == '/'))
        return axle_error(job, AXLE_EINVAL, "dest %s is inside the workdir %s; choose a "
                          "folder outside it", dest, wd);
    return AXLE_OK;
}

static int
make_dest(axle_job *job)
{
    /* each missing folder on the way, as mkdir -p */
    for (char *p = dest + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char keep = *p;
        *p = '\0';
        int rc = mkdir(dest, 0755);
        int e = errno;
        *p = keep;
        if (rc < 0 && e != EEXIST)
            return axle_error(job, AXLE_EIO, "dest %s: cannot make it: %s", dest,
                              strerror(e));
        if (!keep)
            break;
    }
    dest_fd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dest_fd < 0)
        return axle_error(job, AXLE_EIO, "dest %s: %s", dest,
                          errno == ENOTDIR ? "not a folder" : strerror(errno));
    return AXLE_OK;
}

int
export_dest_open(axle_job *job, const char *path)
{
    dest = strdup(path);
    if (!dest)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    size_t n = strlen(dest);
    while (n > 1 && dest[n - 1] == '/')
        dest[--n] = '\0';
    int rc = make_dest(job);
    if (rc == AXLE_OK)
        rc = check_place(job);
    if (rc == AXLE_OK && axle_prepare_again(job))
        return AXLE_OK; /* --mpi, another rank: rank 0 holds the lock, keeps the manifest */
    if (rc == AXLE_OK && flock(dest_fd, LOCK_EX | LOCK_NB) < 0)
        rc = axle_error(job, AXLE_EIO, "dest %s is being written by another export now; "
                        "run again when it is done", dest);
    if (rc == AXLE_OK)
        rc = read_manifest(job);
    bool adopted = false;
    if (rc == AXLE_OK)
        each_journal_line(adopt_line, &adopted, false);
    if (rc == AXLE_OK && adopted)
        rc = write_manifest(job, owned);
    if (rc == AXLE_OK) /* folded in: the journals of jobs cut off go */
        each_journal_line(NULL, NULL, true);
    return rc;
}

/* ---- a slice: one file ---- */

/* This slice's journal: host and pid name one process among every host
 * sharing dest.  A host name is kept to what a file name may safely
 * hold (letters, digits, '.', '-', '_'; anything else becomes '_'). */
static void
journal_name(char *out, size_t outlen)
{
    char host[65] = "";
    if (gethostname(host, sizeof host - 1) < 0 || !host[0])
        snprintf(host, sizeof host, "unknown-host");
    for (char *c = host; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '.' || *c == '-' || *c == '_'))
            *c = '_';
    snprintf(out, outlen, JOURNAL_PREFIX "%s-%ld" JOURNAL_SUFFIX, host, (long)getpid());
}

static int
journal(axle_job *job, const char *name, const struct stat *st, const char *sha, bool written)
{
    if (journal_fd < 0) {
        char jname[160];
        journal_name(jname, sizeof jname);
        journal_fd = openat(dest_fd, jname,
                            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
                            0644);
        if (journal_fd < 0)
            return axle_error(job, AXLE_EIO, "dest %s: cannot write %s: %s", dest, jname,
                              strerror(errno));
    }
    json_t *line = entry_of(st, sha);
    json_object_set_new(line, "name", json_string(name));
    json_object_set_new(line, "written", json_boolean(written));
    char *text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    char *out = NULL;
    int n = text ? asprintf(&out, "%s\n", text) : -1;
    free(text);
    /* One write per line: a line is whole or missing if the slice dies. */
    bool ok = n > 0 && write(journal_fd, out, (size_t)n) == n;
    free(out);
    if (!ok)
        return axle_error(job, AXLE_EIO, "dest %s: cannot write its journal: %s", dest,
                          strerror(errno ? errno : EIO));
    return AXLE_OK;
}

/* Writes `data` to a temporary beside `base` in folder dfd; its stat in *st.
 * The name of the temporary in tmp. */
static int
write_temporary(int dfd, const void *data, size_t len, char tmp[64], struct stat *st)
{
    unsigned char rnd[8] = {0};
    if (getrandom(rnd, sizeof rnd, 0) < 0)
        memset(rnd, 0, sizeof rnd);
    snprintf(tmp, 64, ".axle-export.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int e = done < len ? (errno ? errno : EIO) : 0;
    if (fstat(fd, st) < 0 && !e)
        e = errno;
    if (close(fd) < 0 && !e)
        e = errno;
    if (e) {
        unlinkat(dfd, tmp, 0);
        errno = e;
        return -1;
    }
    return 0;
}

/* Moves the temporary into place; a new name never replaces a file that
 * appeared meanwhile (EEXIST). */
static int
place(int dfd, const char *tmp, const char *base, bool is_new)
{
    if (!is_new)
        return renameat(dfd, tmp, dfd, base);
    if (renameat2(dfd, tmp, dfd, base, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* a file system without RENAME_NOREPLACE: link() never replaces either */
    if (linkat(dfd, tmp, dfd, base, 0) < 0)
        return -1;
    unlinkat(dfd, tmp, 0);
    return 0;
}

/* The item is left for the user's file in its place.  A regular file in
 * the way is registered with the job, so reuse notices when it is moved
 * or changed and the export is built again to put the item there; a
 * folder or link in the way makes a transient skip (built again next run). */
static int
in_the_way(axle_job *job, const char *name, const char *why, bool regular_file)
{
    char *shown = dest_file(name);
    if (!shown)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    int rc = AXLE_OK;
    if (regular_file) {
        axle_skip(job, shown, "%s; left as it is (move it away and the next run exports "
                  "this item)", why);
        rc = axle_register_outside(job, shown);
    } else {
        axle_skip_transient(job, shown, "%s; left as it is (move it away and run again to "
                            "export this item)", why);
    }
    free(shown);
    return rc;
}

int
export_dest_put(axle_job *job, const char *name, const void *data, size_t len,
                char **written)
{
    *written = NULL;
    char sha[AXLE_DIGEST_HEX], err[512];
    int rc = axle_image_digest(data, len, sha, err, sizeof err);
    if (rc != AXLE_OK)
        return axle_error(job, rc, "%s: %s", name, err);
    const char *base;
    int dfd = open_parent(name, true, &base);
    if (dfd < 0 && (errno == ENOTDIR || errno == ELOOP || errno == EEXIST))
        return in_the_way(job, name, "a file or link is in the way of its folder", false);
    if (dfd < 0)
        return axle_error(job, AXLE_EIO, "dest %s: cannot make the folder of %s: %s", dest,
                          name, strerror(errno));
    struct stat st;
    json_t *entry = json_object_get(owned, name);
    bool is_new = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0;
    if (is_new && errno != ENOENT) {
        rc = axle_error(job, AXLE_EIO, "dest %s: %s: %s", dest, name, strerror(errno));
    } else if (!is_new && !still_axles(entry, &st)) {
        rc = in_the_way(job, name, !S_ISREG(st.st_mode) ? "not a regular file"
                                   : entry ? "changed since axle wrote it"
                                           : "a file axle did not write (or changed since)",
                        S_ISREG(st.st_mode));
        close(dfd);
        return rc;
    } else if (!is_new && json_string_value(json_object_get(entry, "image_sha256")) &&
               strcmp(json_string_value(json_object_get(entry, "image_sha256")), sha) == 0) {
        rc = journal(job, name, &st, sha, false); /* the same image: left as it is */
    } else {
        char tmp[64];
        if (write_temporary(dfd, data, len, tmp, &st) < 0) {
            rc = axle_error(job, AXLE_EIO, "dest %s: cannot write %s: %s", dest, name,
                            strerror(errno));
        } else if ((rc = journal(job, name, &st, sha, true)) != AXLE_OK) {
            unlinkat(dfd, tmp, 0);
        } else if (place(dfd, tmp, base, is_new) < 0) {
            int e = errno;
            unlinkat(dfd, tmp, 0);
            close(dfd);
            if (e == EEXIST)
                return in_the_way(job, name, "a file appeared there while axle wrote it",
                                  false);
            return axle_error(job, AXLE_EIO, "dest %s: cannot write %s: %s", dest, name,
                              strerror(e));
        }
    }
    close(dfd);
    if (rc != AXLE_OK)
        return rc;
    *written = dest_file(name);
    if (!*written)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    return axle_register_outside(job, *written);
}

/* ---- synthesis: the removed, the manifest ---- */

struct gather {
    json_t *files;
    export_dest_counts *counts;
};

static void
gather_line(json_t *line, void *ctx)
{
    struct gather *g = ctx;
    const char *name = json_string_value(json_object_get(line, "name"));
    const char *sha = json_string_value(json_object_get(line, "image_sha256"));
    if (!name || !sha)
        return;
    struct stat st = {0};
    st.st_size = (off_t)json_integer_value(json_object_get(line, "size"));
    long long ns = json_integer_value(json_object_get(line, "mtime_ns"));
    st.st_mtim.tv_sec = (time_t)(ns / 1000000000LL);
    st.st_mtim.tv_nsec = (long)(ns % 1000000000LL);
    json_object_set_new(g->files, name, entry_of(&st, sha));
    if (json_is_true(json_object_get(line, "written")))
        g->counts->written++;
    else
        g->counts->unchanged++;
}

/* A file an earlier job wrote for a name this job has not: deleted when
 * it is still as axle wrote it. */
static void
remove_stale(const char *name, json_t *entry, export_dest_counts *counts)
{
    const char *base;
    int dfd = open_parent(name, false, &base);
    struct stat st;
    if (dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (still_axles(entry, &st) && unlinkat(dfd, base, 0) == 0) {
            counts->removed++;
            remove_empty_folders(name);
        } else if (!still_axles(entry, &st)) {
            counts->kept_changed++;
            fprintf(stderr, "export: %s/%s changed since axle wrote it: left as it is, "
                    "and no longer axle's\n", dest, name);
        }
    }
    if (dfd >= 0)
        close(dfd);
}

/* An earlier job's file for a live item this job did not write (a chain's
 * older link): still axle's when unchanged, and registered with the job. */
static int
keep_earlier(axle_job *job, const char *name, json_t *entry, struct gather *g)
{
    const char *base;
    int dfd = open_parent(name, false, &base);
    struct stat st;
    bool there = dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                 still_axles(entry, &st);
    if (dfd >= 0)
        close(dfd);
    if (!there) {
        fprintf(stderr, "export: %s/%s is gone or changed since axle wrote it: it is "
                "no longer axle's (run again with the step rebuilt to write it)\n",
                dest, name);
        return AXLE_OK;
    }
    json_object_set(g->files, name, entry);
    g->counts->unchanged++;
    char *path = dest_file(name);
    int rc = path ? axle_register_outside(job, path)
                  : axle_error(job, AXLE_ENOMEM, "out of memory");
    free(path);
    return rc;
}

int
export_dest_finish(axle_job *job, export_dest_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    struct gather g = {json_object(), counts};
    each_journal_line(gather_line, &g, false);
    const char *name;
    json_t *entry;
    int rc = AXLE_OK;
    json_object_foreach(owned, name, entry) {
        if (json_object_get(g.files, name))
            continue;
        if (keep_but && !json_object_get(keep_but, name))
            rc = rc == AXLE_OK ? keep_earlier(job, name, entry, &g) : rc;
        else
            remove_stale(name, entry, counts);
    }
    if (rc != AXLE_OK) {
        json_decref(g.files);
        return rc;
    }
    rc = write_manifest(job, g.files);
    json_decref(g.files);
    if (rc == AXLE_OK)
        each_journal_line(NULL, NULL, true);
    char *path = rc == AXLE_OK ? dest_file(EXPORT_DEST_MANIFEST) : NULL;
    if (rc == AXLE_OK)
        rc = path ? axle_register_outside(job, path)
                  : axle_error(job, AXLE_ENOMEM, "out of memory");
    free(path);
    return rc;
}
