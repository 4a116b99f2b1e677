/* job_check.c - recording what a complete job consists of, and checking
 * it before the job is reused. */
#include "job_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "job_carried.h"
#include "manifest_file.h"
#include "reuse_early.h"
#include "stat_batch.h"

/* ---- the manifest, made at completion ---- */

struct job_manifest {
    const char *jobdir;
    char *workdir;          /* the folder holding jobdir: links to other jobs */
    manifest_writer *out;   /* JOBDIR/manifest.txt */
    json_t *visited;        /* dataset folders and their files already listed */
    json_t *links;          /* {job id: true}: jobs holding listed files */
    fs_folder_cursor folder; /* registered files come folder by folder */
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
relative_to_job(const job_manifest *mf, const char *abs)
{
    size_t jl = strlen(mf->jobdir), wl = strlen(mf->workdir);
    char *rel = NULL;
    if (strncmp(abs, mf->jobdir, jl) == 0 && abs[jl] == '/')
        return strdup(abs + jl + 1);
    if (strncmp(abs, mf->workdir, wl) == 0 && abs[wl] == '/')
        return asprintf(&rel, "../%s", abs + wl + 1) < 0 ? NULL : rel;
    return strdup(abs);
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

/* Lists one file with its size and time: 0, -1 when it cannot be found
 * (errno), -2 when the manifest cannot be written.  Dataset files are listed once
 * (a parent's column is reached through the child too); registered files
 * as they come, since remembering 100,000 names would cost what the
 * manifest file saves, and a file listed twice is checked twice alike. */
static int
add_file(job_manifest *mf, const char *abs, bool once)
{
    if (once && json_object_get(mf->visited, abs))
        return 0;
    if (once)
        json_object_set_new(mf->visited, abs, json_true());
    struct stat st;
    if (fs_stat_in_folder(&mf->folder, abs, &st) < 0) {
        int e = errno;
        snprintf(mf->err, mf->errlen, "%s: %s", abs, strerror(e));
        errno = e;
        return -1;
    }
    char *rel = relative_to_job(mf, abs);
    char owner[256];
    split_owner(rel ? rel : abs, owner, sizeof owner);
    if (*owner)
        json_object_set_new(mf->links, owner, json_true());
    int rc = manifest_writer_add(mf->out, rel ? rel : abs, (long long)st.st_size,
                                 (long long)mtime_ns(&st));
    if (rc < 0) {
        snprintf(mf->err, mf->errlen, "%s/%s: %s", mf->jobdir, MANIFEST_FILE,
                 strerror(errno));
        rc = -2; /* not the file's fault */
    }
    free(rel);
    return rc;
}

static int add_dataset(job_manifest *mf, const char *dsdir);

static int
add_columns(job_manifest *mf, const char *dsdir, json_t *meta)
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
            int rc = add_file(mf, path, true);
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
add_dataset(job_manifest *mf, const char *dsdir)
{
    if (json_object_get(mf->visited, dsdir))
        return 0;
    json_object_set_new(mf->visited, dsdir, json_true());
    char *metapath = fs_absolute("meta.json", dsdir);
    json_t *meta = fs_read_json(metapath);
    int rc = add_file(mf, metapath, true);
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
        rc = add_file(mf, path, true);
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
add_datasets(job_manifest *mf)
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

void
job_manifest_abort(job_manifest *mf)
{
    if (!mf)
        return;
    manifest_writer_abort(mf->out);
    fs_folder_cursor_close(&mf->folder);
    free(mf->workdir);
    json_decref(mf->visited);
    json_decref(mf->links);
    free(mf);
}

job_manifest *
job_manifest_begin(const char *jobdir, char *err, size_t errlen)
{
    job_manifest *mf = calloc(1, sizeof *mf);
    if (!mf) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *mf = (job_manifest){jobdir, fs_absolute("..", jobdir), manifest_writer_open(jobdir),
                         json_object(), json_object(), FS_FOLDER_CURSOR_INIT, err, errlen};
    if (!mf->out) {
        snprintf(err, errlen, "%s/%s: %s", jobdir, MANIFEST_FILE, strerror(errno));
        job_manifest_abort(mf);
        return NULL;
    }
    if (add_datasets(mf) < 0) {
        job_manifest_abort(mf);
        return NULL;
    }
    return mf;
}

int
job_manifest_add(job_manifest *mf, const char *registered)
{
    char *path = fs_absolute(registered, mf->jobdir);
    int rc = add_file(mf, path, false);
    if (rc == -1)
        snprintf(mf->err, mf->errlen, "registered file %s %s", registered,
                 errno == ENOENT ? "does not exist" : strerror(errno));
    free(path);
    return rc;
}

int
job_manifest_add_recorded(job_manifest *mf, const char *rel, long long size,
                          long long mtime_ns)
{
    if (manifest_writer_add(mf->out, rel, size, mtime_ns) < 0) {
        snprintf(mf->err, mf->errlen, "%s/%s: %s", mf->jobdir, MANIFEST_FILE,
                 strerror(errno));
        return -1;
    }
    return 0;
}

json_t *
job_manifest_end(job_manifest *mf, json_t *input_jobs)
{
    char sha[DIGEST_HEX_LEN];
    size_t entries = 0;
    manifest_writer *out = mf->out;
    mf->out = NULL;
    json_t *links = json_array();
    const char *id;
    json_t *v;
    json_object_foreach(mf->links, id, v)
        json_array_append_new(links, json_string(id));
    json_t *m = NULL;
    if (manifest_writer_commit(out, sha, &entries) < 0) {
        snprintf(mf->err, mf->errlen, "%s/%s: %s", mf->jobdir, MANIFEST_FILE,
                 strerror(errno));
        json_decref(links);
    } else {
        m = json_pack("{s:s, s:s, s:I, s:o, s:O}", "list", MANIFEST_FILE, "sha256", sha,
                      "entries", (json_int_t)entries, "links", links, "input_jobs",
                      input_jobs);
    }
    job_manifest_abort(mf);
    return m;
}

/* ---- the checks made before reuse ---- */


static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
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

/* What a check of manifest entries needs: the job folder, open, the
 * entries read but not yet judged (stat'ed over threads while the
 * manifest is read on, stat_batch.h, with the size and time the manifest
 * gives each), and the first refusal. */
struct entry_check {
    const char *jobdir;
    const char *id;
    int jobfd;
    stat_pipe *pipe;
    char *refusal;
    job_check_pace *pace; /* NULL, or how a check beside other work runs */
};

/* One manifest entry against what its stat found. */
static char *
judge_file(struct entry_check *ec, const char *rel, long long size, long long mtime,
           const stat_fact *f)
{
    if (f->err == 0 && f->size == size &&
        f->mtime_sec * 1000000000 + f->mtime_nsec == mtime)
        return NULL; /* the usual case: no words to make */
    const char *id = ec->id;
    char owner[256];
    const char *shown = split_owner(rel, owner, sizeof owner);
    int e = f->err;
    if (e == ENOENT && *owner && !job_folder_exists(ec->jobdir, owner))
        return refusal_reason("%s, which %s links to, is gone", owner, id);
    char where[600];
    if (*owner)
        snprintf(where, sizeof where, "%s (linked from %s)", owner, id);
    else
        snprintf(where, sizeof where, "%s", id);
    if (e == ENOENT)
        return refusal_reason("%s missing from %s", shown, where);
    if (e)
        return refusal_reason("%s in %s cannot be checked: %s", shown, where, strerror(e));
    if (f->size != size)
        return refusal_reason("%s in %s changed size (%lld bytes, was %lld)", shown, where,
                              f->size, size);
    if (f->mtime_sec * 1000000000 + f->mtime_nsec != mtime)
        return refusal_reason("%s in %s was modified after the job finished", shown, where);
    return NULL;
}

/* A batch of entries, stat'ed, judged in the order of the manifest: the
 * first refusal is the same whatever the threads. */
static bool
judge_batch(void *ctx, const stat_batch *b)
{
    struct entry_check *ec = ctx;
    if (ec->pace && atomic_load(&ec->pace->stop) && !ec->refusal)
        ec->refusal = refusal_reason("the check of %s was stopped", ec->id);
    for (size_t i = 0; !ec->refusal && i < stat_batch_count(b); i++) {
        const stat_fact *f = stat_batch_fact(b, i);
        ec->refusal = judge_file(ec, stat_batch_path(b, i), f->tag[0], f->tag[1], f);
    }
    return !ec->refusal;
}

/* One manifest entry: queued for its stat.  A refusal found in an earlier
 * batch stops the checks. */
static char *
check_file(const char *rel, long long size, long long mtime, void *ctx)
{
    struct entry_check *ec = ctx;
    if (!stat_pipe_add(ec->pipe, rel, size, mtime) && !ec->refusal)
        ec->refusal = refusal_reason("%s could not be checked (out of memory)", ec->id);
    char *r = ec->refusal; /* the pipe has stopped; manifest_check stops too */
    ec->refusal = NULL;    /* and owns it */
    return r;
}

/* A job.json made before manifest.txt holds its entries itself:
 * [[path, size, mtime_ns], ...], checked the same way. */
static char *
check_inline_entries(json_t *files, struct entry_check *ec)
{
    size_t i;
    json_t *entry;
    json_array_foreach(files, i, entry) {
        const char *rel = json_string_value(json_array_get(entry, 0));
        if (!rel)
            return refusal_reason("the record of %s's files is damaged", ec->id);
        char *r = check_file(rel, (long long)json_integer_value(json_array_get(entry, 1)),
                             (long long)json_integer_value(json_array_get(entry, 2)), ec);
        if (r)
            return r;
    }
    return NULL;
}

/* Every file the manifest lists, as it was when the job finished. */
static char *
check_files(const char *jobdir, const char *id, json_t *manifest, job_check_pace *pace)
{
    struct entry_check ec = {jobdir, id, open(jobdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                             NULL, NULL, pace};
    if (ec.jobfd < 0)
        return refusal_reason("%s cannot be checked: %s", id, strerror(errno));
    ec.pipe = stat_pipe_new(ec.jobfd, judge_batch, &ec);
    if (ec.pipe && pace)
        stat_pipe_cap(ec.pipe, &pace->threads);
    char *r;
    json_t *inline_files = json_object_get(manifest, "files");
    if (!ec.pipe)
        r = refusal_reason("%s could not be checked (out of memory)", id);
    else if (json_is_array(inline_files))
        r = check_inline_entries(inline_files, &ec);
    else
        r = manifest_check(jobdir, id, json_string_value(json_object_get(manifest, "sha256")),
                           (size_t)json_integer_value(json_object_get(manifest, "entries")),
                           check_file, &ec);
    if (!r && ec.pipe && !stat_pipe_finish(ec.pipe)) /* the last batches */
        r = ec.refusal;
    stat_pipe_free(ec.pipe);
    close(ec.jobfd);
    return r;
}

/* Items skipped for a transient reason: counted in job.json, or (made
 * before skipped.json held the list) each marked in job.json's list. */
static size_t
transient_skips(json_t *jobjson)
{
    json_t *skipped = json_object_get(jobjson, "skipped");
    if (json_is_object(skipped))
        return (size_t)json_integer_value(json_object_get(skipped, "transient"));
    size_t i, n = 0;
    json_t *s;
    json_array_foreach(skipped, i, s)
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
            return refusal_reason("input '%s' was rebuilt as %s (%s read %s)", name,
                          json_string_value(v), id,
                          was ? json_string_value(was) : "another job");
    }
    return NULL;
}

char *
job_intact_refusal(const char *jobdir, json_t *jobjson, job_check_pace *pace)
{
    const char *id = base_name(jobdir);
    const char *status = json_string_value(json_object_get(jobjson, "status"));
    if (!status || strcmp(status, "complete") != 0)
        return refusal_reason("%s did not complete (status %s)", id, status ? status : "unknown");
    size_t transient = transient_skips(jobjson);
    if (transient)
        return refusal_reason("%zu item%s skipped for a transient reason in %s", transient,
                      transient == 1 ? " was" : "s were", id);
    char *moved = job_carried_refusal(jobdir, id); /* its folder went to a newer job */
    if (moved)
        return moved;
    json_t *manifest = json_object_get(jobjson, "manifest");
    if (!json_is_object(manifest))
        return refusal_reason("%s has no record of its files (made by an older axle)", id);
    return check_files(jobdir, id, manifest, pace);
}

char *
job_reuse_refusal(const char *jobdir, json_t *jobjson, const char *identity,
                  json_t *input_jobs)
{
    const char *id = base_name(jobdir);
    if (!jobjson)
        return fs_exists(jobdir)
                   ? refusal_reason("%s, which the index names, has no readable job.json", id)
                   : refusal_reason("%s, which the index names, is gone", id);
    const char *recorded = json_string_value(json_object_get(jobjson, "identity"));
    if (!recorded || strcmp(recorded, identity) != 0)
        return refusal_reason("the index names %s, which is a job of another identity", id);
    char *r;
    if (!reuse_early_verdict(jobdir, jobjson, &r)) /* checked early in this run? */
        r = job_intact_refusal(jobdir, jobjson, NULL);
    /* Damage is named first: it says more than "an input was rebuilt". */
    if (r)
        return r;
    json_t *manifest = json_object_get(jobjson, "manifest");
    return check_inputs(id, json_object_get(manifest, "input_jobs"), input_jobs);
}
