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
#include <inttypes.h>
#include <stdarg.h>
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
    free(ds->previous_err);
    ds_chain_free(ds);
    json_decref(ds->meta);
    free(ds);
}

/* meta.json is damaged: says where, and what. */
static int
bad_meta(const axle_dataset *ds, char *err, size_t errlen, const char *fmt, ...)
    AXLE_PRINTF(4, 5);

static int
bad_meta(const axle_dataset *ds, char *err, size_t errlen, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "%s/%s: ", ds->path, DS_META);
    if (n >= 0 && (size_t)n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* `key` as n counts from 0 to max each; NULL, or what is wrong with it. */
static const char *
count_array(json_t *a, int n, int64_t max, int64_t *out)
{
    if (!json_is_array(a))
        return "is not a list";
    if (json_array_size(a) != (size_t)n)
        return "does not have one entry per slice";
    for (int i = 0; i < n; i++) {
        json_t *v = json_array_get(a, (size_t)i);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > max)
            return "holds something other than a count in range";
        out[i] = json_integer_value(v);
    }
    return NULL;
}

/* A column file's name: a plain name in the column's folder. */
static bool
file_name_ok(const char *f)
{
    return f[0] && strcmp(f, ".") != 0 && strcmp(f, "..") != 0 && !strchr(f, '/');
}

static int
load_files(axle_dataset *ds, json_t *files, struct ds_column *c, char *err,
           size_t errlen)
{
    if (!json_is_array(files) || json_array_size(files) != (size_t)ds->slices)
        return bad_meta(ds, err, errlen, "column '%s': 'files' does not have "
                        "one entry per slice", c->name);
    for (int s = 0; s < ds->slices; s++) {
        json_t *v = json_array_get(files, (size_t)s);
        const char *f = json_string_value(v);
        if (!json_is_null(v) && (!f || !file_name_ok(f)))
            return bad_meta(ds, err, errlen, "column '%s': slice %d's file is "
                            "not a plain file name", c->name, s);
        if (!f && ds->rows[s] > 0)
            return bad_meta(ds, err, errlen, "column '%s': slice %d has %" PRId64
                            " rows but no file", c->name, s, ds->rows[s]);
        if (f && !(c->files[s] = strdup(f)))
            return bad_meta(ds, err, errlen, "out of memory");
    }
    return 0;
}

static int
load_column(axle_dataset *ds, json_t *j, struct ds_column *c, char *err,
            size_t errlen)
{
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *loc = json_string_value(json_object_get(j, "location"));
    c->type = ds_type_parse(json_string_value(json_object_get(j, "type")));
    if (!name || !name[0] || !loc || !c->type)
        return bad_meta(ds, err, errlen, "column %s has no name, type or location",
                        name ? name : "(no name)");
    for (struct ds_column *o = ds->columns; o < c; o++)
        if (strcmp(o->name, name) == 0)
            return bad_meta(ds, err, errlen, "column '%s' is listed twice", name);
    c->name = strdup(name);
    c->files = calloc((size_t)ds->slices, sizeof *c->files);
    c->nulls = calloc((size_t)ds->slices, sizeof *c->nulls);
    if (!c->name || !c->files || !c->nulls)
        return bad_meta(ds, err, errlen, "out of memory");
    const char *why = count_array(json_object_get(j, "nulls"), ds->slices,
                                  INT64_MAX, c->nulls);
    for (int s = 0; !why && s < ds->slices; s++)
        if (c->nulls[s] > ds->rows[s])
            why = "counts more nulls than rows in a slice";
    if (why)
        return bad_meta(ds, err, errlen, "column '%s': 'nulls' %s", name, why);
    if (load_files(ds, json_object_get(j, "files"), c, err, errlen) < 0)
        return -1;
    c->dir = resolve(ds->path, loc);
    if (!c->dir) {
        snprintf(err, errlen, "%s: column '%s' is stored in %s, which is gone (%s)",
                 ds->path, name, loc, strerror(errno));
        return -1;
    }
    return 0;
}

/* Rows per slice: counts whose total fits an int64 (axle_dataset_rows). */
static int
load_rows(axle_dataset *ds, char *err, size_t errlen)
{
    json_t *rows = json_object_get(ds->meta, "rows");
    json_t *slices = json_object_get(ds->meta, "slices");
    json_int_t n = json_integer_value(slices);
    if (!json_is_integer(slices) || n < 1 || n > DS_MAX_SLICES)
        return bad_meta(ds, err, errlen, "'slices' is not a count from 1 to %d",
                        DS_MAX_SLICES);
    ds->slices = (int)n;
    ds->rows = calloc((size_t)ds->slices, sizeof *ds->rows);
    if (!ds->rows)
        return bad_meta(ds, err, errlen, "out of memory");
    const char *why = count_array(rows, ds->slices, INT64_MAX, ds->rows);
    int64_t total = 0;
    for (int s = 0; !why && s < ds->slices; s++)
        if (__builtin_add_overflow(total, ds->rows[s], &total))
            why = "adds up to more rows than a dataset can hold";
    return why ? bad_meta(ds, err, errlen, "'rows' %s", why) : 0;
}

/* "parent" or "previous": absent, null, or a path. */
static int
load_link(axle_dataset *ds, const char *key, char **out, char *err, size_t errlen)
{
    json_t *v = json_object_get(ds->meta, key);
    if (!v || json_is_null(v))
        return 0;
    const char *rel = json_string_value(v);
    if (!rel || !rel[0])
        return bad_meta(ds, err, errlen, "'%s' is not a path", key);
    /* A link whose target is gone stays as written: open reports it. */
    if (!(*out = resolve(ds->path, rel)))
        *out = ds_join(ds->path, rel);
    return *out ? 0 : bad_meta(ds, err, errlen, "out of memory");
}

static int
load_meta(axle_dataset *ds, char *err, size_t errlen)
{
    json_t *m = ds->meta;
    const char *format = json_string_value(json_object_get(m, "format"));
    if (!format || strcmp(format, DS_FORMAT_NAME) != 0)
        return bad_meta(ds, err, errlen, "not an axle dataset description");
    json_t *version = json_object_get(m, "version");
    if (!json_is_integer(version) || json_integer_value(version) < 1 ||
        json_integer_value(version) > DS_FORMAT_VERSION)
        return bad_meta(ds, err, errlen, "format version %lld, this axle reads "
                        "1 to %d%s", (long long)json_integer_value(version),
                        DS_FORMAT_VERSION,
                        json_integer_value(version) > DS_FORMAT_VERSION
                            ? " (written by a newer axle?)" : "");
    const char *name = json_string_value(json_object_get(m, "name"));
    json_t *cols = json_object_get(m, "columns");
    if (!name || !json_is_array(cols))
        return bad_meta(ds, err, errlen, "not an axle dataset description");
    if (load_rows(ds, err, errlen) < 0)
        return -1;
    ds->name = strdup(name);
    ds->columns = calloc(json_array_size(cols) + 1, sizeof *ds->columns);
    if (!ds->name || !ds->columns)
        return bad_meta(ds, err, errlen, "out of memory");
    if (load_link(ds, "parent", &ds->parent, err, errlen) < 0 ||
        load_link(ds, "previous", &ds->previous, err, errlen) < 0 ||
        ds_chain_load_meta(ds, err, errlen) < 0)
        return -1;
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

/* Why `ds->previous` may not be opened (a loop, too long a chain), or
 * NULL.  Walking the newer datasets costs a chain's length per link, which
 * is why chains are bounded. */
static const char *
chain_problem(const axle_dataset *ds)
{
    int depth = 0;
    for (const axle_dataset *d = ds; d; d = d->newer)
        if (strcmp(d->path, ds->previous) == 0)
            return "the chain of previous datasets loops back to itself";
        else if (++depth >= DS_MAX_CHAIN)
            return "the chain of previous datasets is too long (a loop?)";
    return NULL;
}

axle_dataset *
axle_dataset_previous(axle_dataset *ds)
{
    if (!ds->previous || ds->previous_ds || ds->previous_err)
        return ds->previous_ds;
    char err[4400];
    const char *why = chain_problem(ds);
    if (why)
        snprintf(err, sizeof err, "%s/%s: 'previous' %s: %s", ds->path, DS_META,
                 ds->previous, why);
    else if ((ds->previous_ds = axle_dataset_open(ds->previous, err, sizeof err)))
        ds->previous_ds->newer = ds;
    if (!ds->previous_ds) {
        ds->previous_err = strdup(err);
        /* The API has only NULL to say it; a method can read why. */
        axle_error(axle_internal_current, AXLE_EFORMAT, "%s", err);
    }
    return ds->previous_ds;
}

const char *
axle_internal_dataset_previous_error(const axle_dataset *ds)
{
    return ds->previous_err;
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
