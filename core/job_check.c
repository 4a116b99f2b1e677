/* job_check.c - recording what a complete job consists of, and checking
 * it before the job is reused. */
#include "job_check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "axle_internal.h"
#include "fsutil.h"

/* ---- the manifest, made at completion ---- */

struct manifest {
    const char *jobdir;
    char *workdir;     /* the folder holding jobdir: links to other jobs */
    json_t *entries;   /* [[path, size, mtime_ns], ...] */
    json_t *visited;   /* files and dataset folders already listed */
    char *err;
    size_t errlen;
};

static json_int_t
mtime_ns(const struct stat *st)
{
    return (json_int_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Paths are kept relative to the job folder ("output/x.jpg", or
 * "../axle-work-1/ds/default/0-image.0" for a link), so a workdir moved
 * as a whole keeps its jobs. */
static char *
relative_to_job(const struct manifest *mf, const char *abs)
{
    size_t jl = strlen(mf->jobdir), wl = strlen(mf->workdir);
    char *rel = NULL;
    if (strncmp(abs, mf->jobdir, jl) == 0 && abs[jl] == '/')
        return strdup(abs + jl + 1);
    if (strncmp(abs, mf->workdir, wl) == 0 && abs[wl] == '/')
        return asprintf(&rel, "../%s", abs + wl + 1) < 0 ? NULL : rel;
    return strdup(abs);
}

static int
add_file(struct manifest *mf, const char *abs)
{
    if (json_object_get(mf->visited, abs))
        return 0; /* a parent's column, listed by the child too */
    json_object_set_new(mf->visited, abs, json_true());
    struct stat st;
    if (stat(abs, &st) < 0) {
        int e = errno;
        snprintf(mf->err, mf->errlen, "%s: %s", abs, strerror(e));
        errno = e;
        return -1;
    }
    char *rel = relative_to_job(mf, abs);
    json_array_append_new(mf->entries, json_pack("[s, I, I]", rel ? rel : abs,
                                                 (json_int_t)st.st_size,
                                                 mtime_ns(&st)));
    free(rel);
    return 0;
}

static int add_dataset(struct manifest *mf, const char *dsdir);

static int
add_columns(struct manifest *mf, const char *dsdir, json_t *meta)
{
    size_t i, s;
    json_t *col, *file;
    json_array_foreach(json_object_get(meta, "columns"), i, col) {
        const char *loc = json_string_value(json_object_get(col, "location"));
        char *coldir = fs_absolute(loc ? loc : ".", dsdir);
        json_array_foreach(json_object_get(col, "files"), s, file) {
            if (!json_is_string(file))
                continue; /* an empty slice has no file */
            char *path = fs_absolute(json_string_value(file), coldir);
            int rc = add_file(mf, path);
            free(path);
            if (rc < 0) {
                free(coldir);
                return -1;
            }
        }
        free(coldir);
    }
    return 0;
}

/* A dataset's meta.json and column files, then those of its parent and
 * previous datasets: reading it reads them. */
static int
add_dataset(struct manifest *mf, const char *dsdir)
{
    if (json_object_get(mf->visited, dsdir))
        return 0;
    json_object_set_new(mf->visited, dsdir, json_true());
    char *metapath = fs_absolute("meta.json", dsdir);
    json_t *meta = fs_read_json(metapath);
    int rc = add_file(mf, metapath);
    if (rc == 0 && !meta) {
        snprintf(mf->err, mf->errlen, "%s: not readable JSON", metapath);
        rc = -1;
    }
    free(metapath);
    if (rc == 0)
        rc = add_columns(mf, dsdir, meta);
    /* a link's removed keys decide its chain's live rows */
    const char *removed = json_string_value(json_object_get(meta, "removed"));
    if (rc == 0 && removed) {
        char *path = fs_absolute(removed, dsdir);
        rc = add_file(mf, path);
        free(path);
    }
    static const char *const links[] = {"parent", "previous"};
    for (size_t k = 0; rc == 0 && k < 2; k++) {
        const char *link = json_string_value(json_object_get(meta, links[k]));
        if (!link)
            continue;
        char *linked = fs_absolute(link, dsdir);
        rc = add_dataset(mf, linked);
        free(linked);
    }
    json_decref(meta);
    return rc;
}

static int
add_datasets(struct manifest *mf)
{
    json_t *names = axle_internal_dataset_list(mf->jobdir);
    size_t i;
    json_t *name;
    int rc = 0;
    json_array_foreach(names, i, name) {
        char *dsdir;
        if (asprintf(&dsdir, "%s/ds/%s", mf->jobdir, json_string_value(name)) < 0)
            return -1;
        rc = add_dataset(mf, dsdir);
        free(dsdir);
        if (rc < 0)
            break;
    }
    json_decref(names);
    return rc;
}

json_t *
job_manifest(const char *jobdir, json_t *files, json_t *input_jobs, char *err,
             size_t errlen)
{
    struct manifest mf = {jobdir, fs_absolute("..", jobdir), json_array(),
                          json_object(), err, errlen};
    int rc = add_datasets(&mf);
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        if (rc < 0)
            break;
        char *path = fs_absolute(json_string_value(f), jobdir);
        rc = add_file(&mf, path);
        if (rc < 0)
            snprintf(err, errlen, "registered file %s %s", json_string_value(f),
                     errno == ENOENT ? "does not exist" : strerror(errno));
        free(path);
    }
    free(mf.workdir);
    json_decref(mf.visited);
    if (rc < 0) {
        json_decref(mf.entries);
        return NULL;
    }
    return json_pack("{s:o, s:O}", "files", mf.entries, "input_jobs", input_jobs);
}

/* ---- the checks made before reuse ---- */

static char *AXLE_PRINTF(1, 2)
reason(const char *fmt, ...)
{
    char *out = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&out, fmt, ap) < 0)
        out = strdup("the job could not be checked (out of memory)");
    va_end(ap);
    return out;
}

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* For a linked file ("../OTHER/ds/..."), the job holding it goes into
 * `owner` and the path inside that job is returned; else "" and rel. */
static const char *
split_owner(const char *rel, char *owner, size_t size)
{
    owner[0] = '\0';
    const char *slash = strncmp(rel, "../", 3) == 0 ? strchr(rel + 3, '/') : NULL;
    if (!slash || (size_t)(slash - rel - 3) >= size)
        return rel;
    memcpy(owner, rel + 3, (size_t)(slash - rel - 3));
    owner[slash - rel - 3] = '\0';
    return slash + 1;
}

static bool
job_folder_exists(const char *jobdir, const char *other)
{
    char rel[300];
    snprintf(rel, sizeof rel, "../%s", other);
    char *dir = fs_absolute(rel, jobdir);
    bool there = fs_exists(dir);
    free(dir);
    return there;
}

/* One manifest entry against the file now there. */
static char *
check_entry(const char *jobdir, const char *id, json_t *entry)
{
    const char *rel = json_string_value(json_array_get(entry, 0));
    json_int_t size = json_integer_value(json_array_get(entry, 1));
    json_int_t mtime = json_integer_value(json_array_get(entry, 2));
    if (!rel)
        return reason("the record of %s's files is damaged", id);
    char owner[256];
    const char *shown = split_owner(rel, owner, sizeof owner);
    char *path = fs_absolute(rel, jobdir);
    struct stat st;
    int rc = stat(path, &st), e = errno;
    free(path);
    if (rc < 0 && e == ENOENT && *owner && !job_folder_exists(jobdir, owner))
        return reason("%s, which %s links to, is gone", owner, id);
    char where[600];
    if (*owner)
        snprintf(where, sizeof where, "%s (linked from %s)", owner, id);
    else
        snprintf(where, sizeof where, "%s", id);
    if (rc < 0 && e == ENOENT)
        return reason("%s missing from %s", shown, where);
    if (rc < 0)
        return reason("%s in %s cannot be checked: %s", shown, where, strerror(e));
    if ((json_int_t)st.st_size != size)
        return reason("%s in %s changed size (%lld bytes, was %lld)", shown, where,
                      (long long)st.st_size, (long long)size);
    if (mtime_ns(&st) != mtime)
        return reason("%s in %s was modified after the job finished", shown, where);
    return NULL;
}

static size_t
transient_skips(json_t *jobjson)
{
    size_t i, n = 0;
    json_t *s;
    json_array_foreach(json_object_get(jobjson, "skipped"), i, s)
        n += json_is_true(json_object_get(s, "transient"));
    return n;
}

/* The job's inputs must be the jobs this run uses: an input rebuilt under
 * the same identity (it was damaged, or had transient skips) may hold
 * rows this job never saw. */
static char *
check_inputs(const char *id, json_t *recorded, json_t *now)
{
    const char *name;
    json_t *v;
    json_object_foreach(now, name, v) {
        json_t *was = json_object_get(recorded, name);
        if (!json_equal(was, v))
            return reason("input '%s' was rebuilt as %s (%s read %s)", name,
                          json_string_value(v), id,
                          was ? json_string_value(was) : "another job");
    }
    return NULL;
}

char *
job_reuse_refusal(const char *jobdir, json_t *jobjson, const char *identity,
                  json_t *input_jobs)
{
    const char *id = base_name(jobdir);
    if (!jobjson)
        return fs_exists(jobdir)
                   ? reason("%s, which the index names, has no readable job.json", id)
                   : reason("%s, which the index names, is gone", id);
    const char *recorded = json_string_value(json_object_get(jobjson, "identity"));
    if (!recorded || strcmp(recorded, identity) != 0)
        return reason("the index names %s, which is a job of another identity", id);
    const char *status = json_string_value(json_object_get(jobjson, "status"));
    if (!status || strcmp(status, "complete") != 0)
        return reason("%s did not complete (status %s)", id, status ? status : "unknown");
    size_t transient = transient_skips(jobjson);
    if (transient)
        return reason("%zu item%s skipped for a transient reason in %s", transient,
                      transient == 1 ? " was" : "s were", id);
    json_t *manifest = json_object_get(jobjson, "manifest");
    if (!json_is_object(manifest))
        return reason("%s has no record of its files (made by an older axle)", id);
    /* Damage is named first: it says more than "an input was rebuilt". */
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(manifest, "files"), i, entry) {
        char *r = check_entry(jobdir, id, entry);
        if (r)
            return r;
    }
    return check_inputs(id, json_object_get(manifest, "input_jobs"), input_jobs);
}
