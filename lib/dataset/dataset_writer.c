/* dataset_writer.c - creating a dataset and writing each process's part.
 *
 * Who writes what:
 *  - A writer made in prepare is inherited by every slice through fork;
 *    a writer may instead be made in each slice with the same name and
 *    columns.  Each process writes only its own part: the column files of
 *    its slice (I-NAME.S) and, when it closes the writer, part.S.json with
 *    its row count, null counts and min/max.  The core closes every open
 *    writer at the end of each stage (axle_internal_writers_close).
 *  - Rows written outside analysis (in prepare or synthesis) go to slice 0,
 *    and are only allowed when no slice writes rows to that dataset: a
 *    slice that tries finds slice 0's files taken (or, for other slices,
 *    finishing refuses the mix) and the job fails with a message saying
 *    so.  This lets a small dataset be made in synthesis without slices.
 *  - A slice that writes no rows leaves a part with 0 rows: an empty
 *    slice.  A slice with no part at all is empty too.
 *  - Making two writers of one name in one job is an error: in the same
 *    process it is caught at axle_writer_new; across stages (say analysis
 *    then synthesis) by the folder or part already on disk.
 *  - Nothing is visible to readers until axle_internal_datasets_finish
 *    merges the parts into meta.json (dataset_finish.c).
 *
 * Writers live until the end of synthesis (the core's last close), so a
 * pointer kept from prepare stays valid in every stage. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* This process's writers, newest first. */
static axle_writer *writers;

static axle_writer *
find_writer(const axle_job *job, const char *name)
{
    for (axle_writer *w = writers; w; w = w->next)
        if (w->job == job && strcmp(w->name, name) == 0)
            return w;
    return NULL;
}

static const char *
stage_of(const axle_job *job)
{
    if (job->sliceno >= 0)
        return "analysis";
    return job->stage ? job->stage : "main";
}

/* The part a process writes: its slice number in analysis, else its stage. */
static void
part_key(const axle_job *job, char *key, size_t keylen)
{
    if (job->sliceno >= 0)
        snprintf(key, keylen, "%d", job->sliceno);
    else
        snprintf(key, keylen, "%s", stage_of(job));
}

static int
mkdir_p1(const char *path)
{
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void
free_writer(axle_writer *w)
{
    for (int i = 0; i < w->ncols; i++) {
        free(w->cols[i].name);
        free(w->cols[i].file);
        free(w->cols[i].buf);
        free(w->cols[i].bitmap);
        if (w->cols[i].fd >= 0)
            close(w->cols[i].fd);
    }
    free(w->cols);
    free(w->name);
    free(w->dir);
    free(w->parent);
    free(w->previous);
    free(w->key);
    free(w->parent_rows);
    free(w);
}

/* Refuses a second writer of `name` in this job; see the top comment. */
static int
check_not_written(axle_job *job, const char *name, const char *dir)
{
    if (find_writer(job, name))
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s' is written twice in this job (a "
                          "writer of that name already exists)", name);
    struct stat st;
    if (job->sliceno < 0) {
        /* A worker rank's prepare (--mpi) finds what rank 0's made. */
        if (!job->replay && stat(dir, &st) == 0)
            return axle_error(job, AXLE_EINVAL,
                              "dataset '%s' is written twice in this job (an "
                              "earlier stage already wrote it)", name);
        return AXLE_OK;
    }
    char part[PATH_MAX];
    snprintf(part, sizeof part, "%s/part.%d.json", dir, job->sliceno);
    if (stat(part, &st) == 0)
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s' is written twice in slice %d", name,
                          job->sliceno);
    return AXLE_OK;
}

static int
set_links(axle_writer *w, axle_dataset *parent, axle_dataset *previous)
{
    axle_job *job = w->job;
    if (parent) {
        if (axle_dataset_slices(parent) != job->slices)
            return axle_error(job, AXLE_EINVAL,
                              "dataset '%s': parent %s has %d slices, this job %d",
                              w->name, axle_dataset_path(parent),
                              axle_dataset_slices(parent), job->slices);
        w->parent = strdup(axle_dataset_path(parent));
        w->parent_rows = calloc((size_t)job->slices, sizeof *w->parent_rows);
        if (!w->parent || !w->parent_rows)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        for (int s = 0; s < job->slices; s++)
            w->parent_rows[s] = axle_dataset_rows(parent, s);
    }
    if (previous && !(w->previous = strdup(axle_dataset_path(previous))))
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

axle_writer *
axle_writer_new(axle_job *job, const char *name, axle_dataset *parent,
                axle_dataset *previous)
{
    if (!job)
        job = axle_internal_current;
    if (!job)
        return NULL;
    if (!ds_name_ok(name)) {
        axle_error(job, AXLE_EINVAL,
                   "dataset name '%s' is not usable as a folder name (empty, "
                   "hidden, with '/' or control characters, or not UTF-8)",
                   name ? name : "(null)");
        return NULL;
    }
    char *dsroot = ds_join(job->dir, "ds");
    char *dir = dsroot ? ds_join(dsroot, name) : NULL;
    if (!dir) {
        free(dsroot);
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    int rc = check_not_written(job, name, dir);
    if (rc == AXLE_OK && (mkdir_p1(dsroot) < 0 || mkdir_p1(dir) < 0))
        rc = axle_error(job, AXLE_EIO, "%s: %s", dir, strerror(errno));
    free(dsroot);
    if (rc < 0) {
        free(dir);
        return NULL;
    }
    axle_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->name = strdup(name))) {
        free(w);
        free(dir);
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    w->job = job;
    w->dir = dir;
    if (set_links(w, parent, previous) < 0) {
        free_writer(w);
        return NULL;
    }
    w->next = writers;
    writers = w;
    return w;
}

/* "I-NAME" with NAME cut short and anything but [A-Za-z0-9_-] as '_':
 * readable in a listing, unique by I whatever the column is called. */
static char *
column_file(int index, const char *name)
{
    char safe[48];
    size_t n = 0;
    for (const char *p = name; *p && n < sizeof safe - 1; p++) {
        char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '_' || c == '-';
        safe[n++] = plain ? c : '_';
    }
    safe[n] = '\0';
    char *r = malloc(n + 16);
    if (r)
        snprintf(r, n + 16, "%d-%s", index, safe);
    return r;
}

int
axle_writer_add(axle_writer *w, const char *column, axle_type type)
{
    axle_job *job = w->job;
    if (!column || !*column || !ds_utf8_valid(column, strlen(column)))
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s': a column name must be non-empty UTF-8",
                          w->name);
    if (!ds_type_width(type) && (type < AXLE_STRING || type > AXLE_IMAGE))
        return axle_error(job, AXLE_EINVAL, "dataset '%s': column '%s' has no "
                          "valid type (%d)", w->name, column, (int)type);
    if (w->started)
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s': column '%s' added after the first row "
                          "(add every column before putting values)",
                          w->name, column);
    for (int i = 0; i < w->ncols; i++)
        if (strcmp(w->cols[i].name, column) == 0)
            return axle_error(job, AXLE_EINVAL,
                              "dataset '%s': duplicate column name '%s'",
                              w->name, column);
    if (w->ncols == w->capcols) {
        int cap = w->capcols ? w->capcols * 2 : 8;
        struct ds_wcol *nc = realloc(w->cols, (size_t)cap * sizeof *nc);
        if (!nc)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        w->cols = nc;
        w->capcols = cap;
    }
    struct ds_wcol *c = &w->cols[w->ncols];
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->type = type;
    c->width = ds_type_width(type);
    c->name = strdup(column);
    c->file = column_file(w->ncols, column);
    if (!c->name || !c->file) {
        free(c->name);
        free(c->file);
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    }
    return w->ncols++;
}

static void
list_columns(const axle_writer *w, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < w->ncols && n < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%s%s", i ? ", " : "",
                              w->cols[i].name);
    if (!w->ncols)
        snprintf(out, outlen, "none yet");
}

int
axle_writer_column(axle_writer *w, const char *column)
{
    for (int i = 0; i < w->ncols; i++)
        if (column && strcmp(w->cols[i].name, column) == 0)
            return i;
    char cols[512];
    list_columns(w, cols, sizeof cols);
    return axle_error(w->job, AXLE_EINVAL,
                      "dataset '%s' has no column '%s' (its columns: %s)",
                      w->name, column ? column : "(null)", cols);
}

/* ---- parts ---- */

int
ds_writer_flush(axle_writer *w, struct ds_wcol *c)
{
    if (c->len == 0)
        return AXLE_OK;
    if (ds_write_all(c->fd, c->buf, c->len) < 0) {
        w->failed = true;
        return axle_error(w->job, AXLE_EIO, "%s/%s.%d: %s", w->dir, c->file,
                          w->target, strerror(errno));
    }
    c->flushed += c->len;
    c->len = 0;
    return AXLE_OK;
}

/* Forgets a part this process did not open (inherited through fork): its
 * owner writes it out, so the copy here must not. */
static void
drop_part(axle_writer *w)
{
    for (int i = 0; i < w->ncols; i++) {
        struct ds_wcol *c = &w->cols[i];
        if (c->fd >= 0)
            close(c->fd);
        c->fd = -1;
        free(c->buf);
        free(c->bitmap);
        c->buf = c->bitmap = NULL;
        c->bitmap_cap = 0;
    }
    w->open = false;
}

static void
reset_column(struct ds_wcol *c)
{
    c->len = 0;
    c->flushed = c->row_start = 0;
    c->set = c->null = false;
    c->nulls = 0;
    c->have_minmax = false;
}

static int
open_column(axle_writer *w, struct ds_wcol *c)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.%d", w->dir, c->file, w->target);
    if (!c->buf && !(c->buf = malloc(DS_WRITE_BUFFER)))
        return axle_error(w->job, AXLE_ENOMEM, "out of memory");
    /* A worker rank's prepare (--mpi) writes nothing: rank 0's wrote it. */
    c->fd = w->job->replay ? open("/dev/null", O_WRONLY | O_CLOEXEC)
                           : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (c->fd < 0 && errno == EEXIST)
        return axle_error(w->job, AXLE_EINVAL,
                          "dataset '%s': slice %d is written twice (%s exists; "
                          "rows written outside analysis go to slice 0, and "
                          "then no slice may write the dataset)",
                          w->name, w->target, path);
    if (c->fd < 0)
        return axle_error(w->job, AXLE_EIO, "%s: %s", path, strerror(errno));
    reset_column(c);
    return AXLE_OK;
}

int
ds_writer_ensure_part(axle_writer *w)
{
    axle_job *job = w->job;
    if (w->open && w->open_slice == job->sliceno && w->open_stage == job->stage)
        return w->failed ? axle_error(job, AXLE_EIO, "dataset '%s': an earlier "
                                      "write failed", w->name) : AXLE_OK;
    if (w->open)
        drop_part(w);
    char key[32];
    part_key(job, key, sizeof key);
    if (strcmp(key, w->last_key) == 0)
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s': rows written after axle_writer_close "
                          "(in %s)", w->name, job->sliceno >= 0 ? "analysis" : key);
    if (w->ncols == 0)
        return axle_error(job, AXLE_EINVAL, "dataset '%s' has no columns "
                          "(axle_writer_add them first)", w->name);
    w->target = job->sliceno >= 0 ? job->sliceno : 0;
    w->open = true;
    w->open_slice = job->sliceno;
    w->open_stage = job->stage;
    w->rows = 0;
    w->nset = 0;
    w->failed = false;
    for (int i = 0; i < w->ncols; i++) {
        int rc = open_column(w, &w->cols[i]);
        if (rc < 0) {
            /* Leave nothing half made: the next put tries afresh. */
            for (int k = 0; k < i; k++) {
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s.%d", w->dir, w->cols[k].file,
                         w->target);
                if (!job->replay)
                    unlink(path);
            }
            drop_part(w);
            return rc;
        }
    }
    return AXLE_OK;
}

void
ds_writer_rollback_row(axle_writer *w)
{
    for (int i = 0; i < w->ncols; i++) {
        struct ds_wcol *c = &w->cols[i];
        if (c->set && !c->width) {
            if (c->row_start >= c->flushed) {
                c->len = (size_t)(c->row_start - c->flushed);
            } else if (ftruncate(c->fd, (off_t)c->row_start) == 0 &&
                       lseek(c->fd, (off_t)c->row_start, SEEK_SET) >= 0) {
                c->flushed = c->row_start;
                c->len = 0;
            } else {
                w->failed = true;
            }
        }
        c->set = false;
        c->null = false;
    }
    w->nset = 0;
}

static json_t *
minmax_json(const struct ds_wcol *c, bool max)
{
    if (!c->have_minmax)
        return json_null();
    const union ds_fixed *v = max ? &c->max : &c->min;
    switch (c->type) {
    case AXLE_INT64:
        return json_integer(v->i);
    case AXLE_FLOAT64:
        return ds_json_double(v->f);
    case AXLE_BOOL:
        return json_boolean(v->b);
    default:
        return json_null();
    }
}

static json_t *
part_json(const axle_writer *w, const char *stage)
{
    json_t *cols = json_array();
    for (int i = 0; i < w->ncols; i++) {
        const struct ds_wcol *c = &w->cols[i];
        json_t *col = json_pack("{s:s, s:s, s:s, s:I}", "name", c->name, "type",
                                axle_type_name(c->type), "file", c->file, "nulls",
                                (json_int_t)(w->open ? c->nulls : 0));
        if (col && c->width && w->open) {
            json_object_set_new(col, "min", minmax_json(c, false));
            json_object_set_new(col, "max", minmax_json(c, true));
        }
        json_array_append_new(cols, col);
    }
    json_t *part = json_pack("{s:i, s:s, s:i, s:I, s:o, s:o, s:o}", "version",
                     DS_FORMAT_VERSION, "stage", stage, "slice", w->target, "rows",
                     (json_int_t)(w->open ? w->rows : 0), "parent",
                     w->parent ? json_string(w->parent) : json_null(), "previous",
                     w->previous ? json_string(w->previous) : json_null(),
                     "columns", cols);
    if (part && w->key) /* chains: the key column (dataset_chain.c) */
        json_object_set_new(part, "key", json_string(w->key));
    return part;
}

/* Ends each column file: buffered bytes, then the null bitmap if any. */
static int
finish_columns(axle_writer *w)
{
    int rc = AXLE_OK;
    for (int i = 0; i < w->ncols; i++) {
        struct ds_wcol *c = &w->cols[i];
        if (rc == AXLE_OK)
            rc = ds_writer_flush(w, c);
        if (rc == AXLE_OK && c->width && c->nulls > 0 &&
            ds_write_all(c->fd, c->bitmap, (size_t)(w->rows + 7) / 8) < 0)
            rc = axle_error(w->job, AXLE_EIO, "%s/%s.%d: %s", w->dir, c->file,
                            w->target, strerror(errno));
        if (close(c->fd) < 0 && rc == AXLE_OK)
            rc = axle_error(w->job, AXLE_EIO, "%s/%s.%d: %s", w->dir, c->file,
                            w->target, strerror(errno));
        c->fd = -1;
        if (w->rows == 0 && !w->job->replay) { /* no rows: leave no file behind */
            char path[PATH_MAX];
            snprintf(path, sizeof path, "%s/%s.%d", w->dir, c->file, w->target);
            unlink(path);
        }
    }
    return rc;
}

static int
check_parent_rows(axle_writer *w)
{
    axle_job *job = w->job;
    if (!w->parent || job->sliceno < 0)
        return AXLE_OK; /* outside analysis: checked when finishing */
    int64_t want = w->parent_rows[job->sliceno];
    if (w->rows != want)
        return axle_error(job, AXLE_EINVAL,
                          "dataset '%s': slice %d has %lld rows but its parent "
                          "%s has %lld there (a dataset with a parent must have "
                          "the parent's rows per slice)",
                          w->name, job->sliceno, (long long)w->rows, w->parent,
                          (long long)want);
    return AXLE_OK;
}

int
axle_writer_close(axle_writer *w)
{
    axle_job *job = w->job;
    char key[32];
    part_key(job, key, sizeof key);
    bool mine = w->open && w->open_slice == job->sliceno &&
                w->open_stage == job->stage;
    if (w->open && !mine)
        drop_part(w);
    if (!mine && strcmp(key, w->last_key) == 0)
        return AXLE_OK; /* already closed here */
    int rc = AXLE_OK;
    if (mine && w->nset > 0) {
        ds_writer_rollback_row(w);
        rc = axle_error(job, AXLE_EINVAL, "dataset '%s': the last row was not "
                        "ended with axle_writer_end_row", w->name);
    }
    if (mine) {
        int frc = finish_columns(w);
        if (rc == AXLE_OK)
            rc = frc;
    } else { /* nothing written here: an empty part */
        w->target = job->sliceno >= 0 ? job->sliceno : 0;
        w->rows = 0;
    }
    if (rc == AXLE_OK && w->failed)
        rc = axle_error(job, AXLE_EIO, "dataset '%s': an earlier write failed",
                        w->name);
    if (rc == AXLE_OK)
        rc = check_parent_rows(w);
    if (rc == AXLE_OK) {
        json_t *part = part_json(w, stage_of(job));
        char *text = part ? json_dumps(part, JSON_INDENT(1)) : NULL;
        char path[PATH_MAX], err[PATH_MAX + 128];
        snprintf(path, sizeof path, "%s/part.%s.json", w->dir, key);
        if (!text)
            rc = axle_error(job, AXLE_ENOMEM, "out of memory");
        else if (job->replay)
            ; /* a worker rank's prepare (--mpi): rank 0's wrote the part */
        else if (ds_write_file_atomic(path, text, err, sizeof err) < 0)
            rc = axle_error(job, AXLE_EIO, "%s", err);
        free(text);
        json_decref(part);
    }
    if (mine)
        drop_part(w);
    snprintf(w->last_key, sizeof w->last_key, "%s", key);
    return rc;
}

int
axle_internal_writers_close(axle_job *job)
{
    int rc = AXLE_OK;
    for (axle_writer *w = writers; w; w = w->next) {
        if (w->job != job)
            continue;
        int r = axle_writer_close(w);
        if (rc == AXLE_OK)
            rc = r;
    }
    /* Synthesis is the last stage: nothing can use a writer after it. */
    if (job->sliceno < 0 && job->stage && strcmp(job->stage, "synthesis") == 0) {
        axle_writer **pp = &writers;
        while (*pp) {
            axle_writer *w = *pp;
            if (w->job == job) {
                *pp = w->next;
                free_writer(w);
            } else {
                pp = &w->next;
            }
        }
    }
    return rc;
}
