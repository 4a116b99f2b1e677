/* dataset_reader.c - opening a finished dataset: meta.json, columns,
 * rows per slice, and the parent and previous links.
 *
 * A chain of datasets (each made with `previous`) is walked newest to
 * oldest with axle_dataset_previous.  To go oldest first, collect the
 * pointers walking back, then iterate the array from its end:
 *
 *     axle_dataset *chain[64]; int n = 0;
 *     for (axle_dataset *d = ds; d && n < 64; d = axle_dataset_previous(d))
 *         chain[n++] = d;
 *     while (n-- > 0) use(chain[n]);
 *
 * Every dataset of a chain is owned by the one after it, so closing the
 * newest closes them all. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The absolute folder `rel` names, relative to the dataset's folder. */
static char *
resolve(const char *dspath, const char *rel)
{
    if (rel[0] == '/')
        return ds_realpath(rel);
    char *joined = ds_join(dspath, rel);
    if (!joined)
        return NULL;
    char *real = ds_realpath(joined);
    free(joined);
    return real;
}

static void
free_columns(axle_dataset *ds)
{
    for (int i = 0; i < ds->ncolumns; i++) {
        struct ds_column *c = &ds->columns[i];
        free(c->name);
        free(c->dir);
        if (c->files)
            for (int s = 0; s < ds->slices; s++)
                free(c->files[s]);
        free(c->files);
        free(c->nulls);
    }
    free(ds->columns);
}

void
axle_dataset_close(axle_dataset *ds)
{
    if (!ds)
        return;
    axle_dataset_close(ds->previous_ds);
    free_columns(ds);
    free(ds->path);
    free(ds->name);
    free(ds->rows);
    free(ds->parent);
    free(ds->previous);
    json_decref(ds->meta);
    free(ds);
}

static bool
int_array(json_t *a, int n, int64_t *out)
{
    if (!json_is_array(a) || json_array_size(a) != (size_t)n)
        return false;
    for (int i = 0; i < n; i++) {
        json_t *v = json_array_get(a, (size_t)i);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return false;
        out[i] = json_integer_value(v);
    }
    return true;
}

static int
load_column(axle_dataset *ds, json_t *j, struct ds_column *c, char *err,
            size_t errlen)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *loc = json_string_value(json_object_get(j, "location"));
    json_t *files = json_object_get(j, "files");
    c->type = ds_type_parse(json_string_value(json_object_get(j, "type")));
    c->files = calloc((size_t)ds->slices, sizeof *c->files);
    c->nulls = calloc((size_t)ds->slices, sizeof *c->nulls);
    if (!name || !loc || !c->type || !c->files || !c->nulls ||
        !json_is_array(files) || json_array_size(files) != (size_t)ds->slices ||
        !int_array(json_object_get(j, "nulls"), ds->slices, c->nulls)) {
        snprintf(err, errlen, "%s/%s: column %s is malformed", ds->path, DS_META,
                 name ? name : "(no name)");
        return -1;
    }
    c->name = strdup(name);
    c->dir = resolve(ds->path, loc);
    if (!c->dir) {
        snprintf(err, errlen, "%s: column '%s' is stored in %s, which is gone (%s)",
                 ds->path, name, loc, strerror(errno));
        return -1;
    }
    for (int s = 0; s < ds->slices; s++) {
        const char *f = json_string_value(json_array_get(files, (size_t)s));
        if (f && !strchr(f, '/') && !(c->files[s] = strdup(f))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int
load_meta(axle_dataset *ds, char *err, size_t errlen)
{
    json_t *m = ds->meta;
    json_t *version = json_object_get(m, "version");
    if (!json_is_integer(version) ||
        json_integer_value(version) > DS_FORMAT_VERSION) {
        snprintf(err, errlen, "%s/%s: format version %lld, this axle reads %d "
                 "(written by a newer axle?)", ds->path, DS_META,
                 (long long)json_integer_value(version), DS_FORMAT_VERSION);
        return -1;
    }
    const char *name = json_string_value(json_object_get(m, "name"));
    json_t *cols = json_object_get(m, "columns");
    ds->slices = (int)json_integer_value(json_object_get(m, "slices"));
    ds->rows = ds->slices > 0 ? calloc((size_t)ds->slices, sizeof *ds->rows) : NULL;
    if (!name || !json_is_array(cols) || !ds->rows ||
        !int_array(json_object_get(m, "rows"), ds->slices, ds->rows)) {
        snprintf(err, errlen, "%s/%s: not an axle dataset description", ds->path,
                 DS_META);
        return -1;
    }
    ds->name = strdup(name);
    const char *parent = json_string_value(json_object_get(m, "parent"));
    const char *previous = json_string_value(json_object_get(m, "previous"));
    /* A link whose target is gone stays as written: open reports it. */
    if (parent && !(ds->parent = resolve(ds->path, parent)))
        ds->parent = ds_join(ds->path, parent);
    if (previous && !(ds->previous = resolve(ds->path, previous)))
        ds->previous = ds_join(ds->path, previous);
    ds->columns = calloc(json_array_size(cols) + 1, sizeof *ds->columns);
    if (!ds->columns) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < json_array_size(cols); i++) {
        ds->ncolumns = (int)i + 1;
        if (load_column(ds, json_array_get(cols, i), &ds->columns[i], err,
                        errlen) < 0)
            return -1;
    }
    return 0;
}

axle_dataset *
axle_dataset_open(const char *path, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    axle_dataset *ds = calloc(1, sizeof *ds);
    if (!ds) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ds->path = path ? ds_realpath(path) : NULL;
    if (!ds->path) {
        snprintf(err, errlen, "no dataset at %s: %s", path ? path : "(null)",
                 strerror(errno));
        free(ds);
        return NULL;
    }
    char *meta = ds_join(ds->path, DS_META);
    struct stat st;
    if (meta && stat(meta, &st) < 0) {
        snprintf(err, errlen, "no dataset at %s (no %s: not a dataset folder, "
                 "or its job did not finish)", ds->path, DS_META);
    } else if (meta && (ds->meta = ds_load_json(meta, err, errlen)) &&
               load_meta(ds, err, errlen) == 0) {
        free(meta);
        return ds;
    }
    free(meta);
    axle_dataset_close(ds);
    return NULL;
}

const char *
axle_dataset_name(const axle_dataset *ds)
{
    return ds->name;
}

int
axle_dataset_slices(const axle_dataset *ds)
{
    return ds->slices;
}

int64_t
axle_dataset_rows(const axle_dataset *ds, int sliceno)
{
    if (sliceno >= 0)
        return sliceno < ds->slices ? ds->rows[sliceno] : 0;
    int64_t n = 0;
    for (int s = 0; s < ds->slices; s++)
        n += ds->rows[s];
    return n;
}

int
axle_dataset_ncolumns(const axle_dataset *ds)
{
    return ds->ncolumns;
}

const char *
axle_dataset_column_name(const axle_dataset *ds, int i)
{
    return i >= 0 && i < ds->ncolumns ? ds->columns[i].name : NULL;
}

axle_type
axle_dataset_column_type(const axle_dataset *ds, const char *column)
{
    for (int i = 0; i < ds->ncolumns; i++)
        if (column && strcmp(ds->columns[i].name, column) == 0)
            return ds->columns[i].type;
    return (axle_type)0;
}

axle_dataset *
axle_dataset_previous(axle_dataset *ds)
{
    if (!ds->previous)
        return NULL;
    if (!ds->previous_ds) {
        char err[512];
        ds->previous_ds = axle_dataset_open(ds->previous, err, sizeof err);
    }
    return ds->previous_ds;
}

const char *
axle_dataset_parent_path(const axle_dataset *ds)
{
    return ds->parent;
}

const char *
axle_dataset_path(const axle_dataset *ds)
{
    return ds->path;
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a),
                  json_string_value(*(json_t *const *)b));
}

json_t *
axle_internal_dataset_list(const char *jobdir)
{
    char *root = ds_join(jobdir, "ds");
    json_t *names = json_array();
    DIR *d = root ? opendir(root) : NULL;
    if (!root || !names) {
        free(root);
        json_decref(names);
        return NULL;
    }
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char meta[4096];
        struct stat st;
        snprintf(meta, sizeof meta, "%s/%s/%s", root, e->d_name, DS_META);
        if (stat(meta, &st) == 0)
            json_array_append_new(names, json_string(e->d_name));
    }
    if (d)
        closedir(d);
    free(root);
    /* Sorted, so every listing of a job reads the same. */
    size_t n = json_array_size(names);
    json_t **items = malloc((n + 1) * sizeof *items);
    if (!items) {
        json_decref(names);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(names, i));
    qsort(items, n, sizeof *items, compare_names);
    json_array_clear(names);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(names, items[i]);
    free(items);
    return names;
}
