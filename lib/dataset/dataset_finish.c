/* dataset_finish.c - merging the parts the processes of a job wrote into
 * each dataset's meta.json.  This is the one place meta.json is made, so
 * a dataset exists for readers only once its job got this far.
 *
 * Checks made here, each with a message naming the dataset: every part
 * declares the same columns, parent and previous; no slice is written
 * twice; rows written outside analysis (slice 0) do not mix with rows
 * from slices; a dataset with a parent has the parent's rows per slice;
 * every column file holds what its part says. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct part {
    char *file;   /* "part.1.json" */
    json_t *j;
    int slice;
    int64_t rows;
    bool analysis;
};

struct finish {
    const char *name;
    char *dir;         /* canonical dataset folder */
    int slices;
    struct part *parts;
    size_t nparts;
    int64_t *rows;     /* per slice */
    struct part **by;  /* per slice: the part holding its rows */
    char *err;
    size_t errlen;
};

static int AXLE_PRINTF(2, 3)
ferr(struct finish *f, const char *fmt, ...)
{
    size_t n = (size_t)snprintf(f->err, f->errlen, "dataset '%s': ", f->name);
    if (n < f->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->err + n, f->errlen - n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int
compare_parts(const void *a, const void *b)
{
    const struct part *x = a, *y = b;
    if (x->analysis != y->analysis)
        return x->analysis ? -1 : 1;
    if (x->slice != y->slice)
        return x->slice < y->slice ? -1 : 1;
    return strcmp(x->file, y->file);
}

static int
load_parts(struct finish *f)
{
    DIR *d = opendir(f->dir);
    if (!d)
        return ferr(f, "%s: %s", f->dir, strerror(errno));
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "part.", 5) != 0 || len < 11 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        struct part *np = realloc(f->parts, (f->nparts + 1) * sizeof *np);
        if (!np) {
            rc = ferr(f, "out of memory");
            break;
        }
        f->parts = np;
        struct part *p = &f->parts[f->nparts++];
        memset(p, 0, sizeof *p);
        p->file = strdup(e->d_name);
        char *path = ds_join(f->dir, e->d_name);
        p->j = path && p->file ? ds_load_json(path, f->err, f->errlen) : NULL;
        free(path);
        if (!p->j) {
            rc = -1;
            break;
        }
        p->slice = (int)json_integer_value(json_object_get(p->j, "slice"));
        p->rows = json_integer_value(json_object_get(p->j, "rows"));
        p->analysis = strcmp(json_string_value(json_object_get(p->j, "stage"))
                                 ? json_string_value(json_object_get(p->j, "stage"))
                                 : "", "analysis") == 0;
    }
    closedir(d);
    if (rc == 0 && f->nparts == 0)
        rc = ferr(f, "no writer of it was closed (no part files in %s)", f->dir);
    if (rc == 0)
        qsort(f->parts, f->nparts, sizeof *f->parts, compare_parts);
    return rc;
}

/* Every part must describe the same dataset. */
static int
check_same_shape(struct finish *f)
{
    const struct part *ref = &f->parts[0];
    static const char *const keys[] = {"parent", "previous"};
    for (size_t i = 1; i < f->nparts; i++) {
        const struct part *p = &f->parts[i];
        for (size_t k = 0; k < 2; k++)
            if (!json_equal(json_object_get(ref->j, keys[k]),
                            json_object_get(p->j, keys[k])) &&
                !(json_is_null(json_object_get(ref->j, keys[k])) &&
                  json_is_null(json_object_get(p->j, keys[k]))))
                return ferr(f, "%s and %s name a different %s", ref->file,
                            p->file, keys[k]);
        json_t *a = json_object_get(ref->j, "columns");
        json_t *b = json_object_get(p->j, "columns");
        bool same = json_array_size(a) == json_array_size(b);
        for (size_t c = 0; same && c < json_array_size(a); c++) {
            json_t *x = json_array_get(a, c), *y = json_array_get(b, c);
            same = json_equal(json_object_get(x, "name"), json_object_get(y, "name")) &&
                   json_equal(json_object_get(x, "type"), json_object_get(y, "type"));
        }
        if (!same)
            return ferr(f, "%s and %s declare different columns (every process "
                        "must add the same columns, in the same order)",
                        ref->file, p->file);
    }
    return 0;
}

/* Which part holds each slice's rows. */
static int
assign_slices(struct finish *f)
{
    const struct part *outside = NULL, *inside = NULL;
    for (size_t i = 0; i < f->nparts; i++) {
        struct part *p = &f->parts[i];
        if (p->rows <= 0)
            continue;
        if (p->slice < 0 || p->slice >= f->slices)
            return ferr(f, "%s writes slice %d, but the job has %d slices",
                        p->file, p->slice, f->slices);
        if (f->by[p->slice])
            return ferr(f, "slice %d is written twice (%s and %s)", p->slice,
                        f->by[p->slice]->file, p->file);
        f->by[p->slice] = p;
        f->rows[p->slice] = p->rows;
        *(p->analysis ? &inside : &outside) = p;
    }
    if (inside && outside)
        return ferr(f, "rows were written both outside analysis (%s) and by "
                    "slices (%s); rows written in prepare or synthesis go to "
                    "slice 0, so then no slice may write the dataset",
                    outside->file, inside->file);
    return 0;
}

/* The part's column file exists and has the size its rows say. */
static int
check_file(struct finish *f, json_t *col, int s, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", f->dir, file);
    struct stat st;
    if (stat(path, &st) < 0)
        return ferr(f, "%s: %s", path, strerror(errno));
    int width = ds_type_width(ds_type_parse(json_string_value(json_object_get(col, "type"))));
    int64_t nulls = json_integer_value(json_object_get(col, "nulls"));
    int64_t want = f->rows[s] * width + (width && nulls ? (f->rows[s] + 7) / 8 : 0);
    if (width ? st.st_size != want : st.st_size < f->rows[s])
        return ferr(f, "%s has %lld bytes, its %lld rows want %s%lld", path,
                    (long long)st.st_size, (long long)f->rows[s],
                    width ? "" : "at least ", (long long)want);
    return 0;
}

static double
num(json_t *v)
{
    const char *s = json_string_value(v);
    if (s)
        return strcmp(s, "-inf") == 0 ? -INFINITY : INFINITY;
    return json_number_value(v);
}

/* Keeps in *acc the smaller (or larger) of *acc and v. */
static void
merge_minmax(json_t **acc, json_t *v, bool max)
{
    if (!v || json_is_null(v))
        return;
    bool take = !*acc;
    if (!take) {
        if (json_is_boolean(v))
            take = max ? json_is_true(v) && !json_is_true(*acc)
                       : !json_is_true(v) && json_is_true(*acc);
        else if (json_is_integer(v) && json_is_integer(*acc))
            take = max ? json_integer_value(v) > json_integer_value(*acc)
                       : json_integer_value(v) < json_integer_value(*acc);
        else
            take = max ? num(v) > num(*acc) : num(v) < num(*acc);
    }
    if (take) {
        json_decref(*acc);
        *acc = json_incref(v);
    }
}

/* One own column of meta.json, from the parts. */
static json_t *
own_column(struct finish *f, size_t index)
{
    json_t *ref = json_array_get(json_object_get(f->parts[0].j, "columns"), index);
    json_t *files = json_array(), *nulls = json_array();
    json_t *min = NULL, *max = NULL;
    const char *base = json_string_value(json_object_get(ref, "file"));
    for (int s = 0; s < f->slices; s++) {
        json_t *col = f->by[s] ? json_array_get(json_object_get(f->by[s]->j,
                                                                "columns"), index)
                               : NULL;
        if (!col) {
            json_array_append_new(files, json_null());
            json_array_append_new(nulls, json_integer(0));
            continue;
        }
        char file[512];
        snprintf(file, sizeof file, "%s.%d", base, s);
        if (check_file(f, col, s, file) < 0) {
            json_decref(files);
            json_decref(nulls);
            json_decref(min);
            json_decref(max);
            return NULL;
        }
        json_array_append_new(files, json_string(file));
        json_array_append(nulls, json_object_get(col, "nulls"));
        merge_minmax(&min, json_object_get(col, "min"), false);
        merge_minmax(&max, json_object_get(col, "max"), true);
    }
    json_t *out = json_pack("{s:O, s:O, s:s, s:o, s:o}", "name",
                            json_object_get(ref, "name"), "type",
                            json_object_get(ref, "type"), "location", ".",
                            "files", files, "nulls", nulls);
    if (ds_type_width(ds_type_parse(json_string_value(json_object_get(ref, "type"))))) {
        json_object_set_new(out, "min", min ? min : json_null());
        json_object_set_new(out, "max", max ? max : json_null());
    }
    return out;
}

/* A parent's column as linked into this dataset: same files, new place. */
static json_t *
linked_column(struct finish *f, const axle_dataset *parent, int i)
{
    const struct ds_column *pc = &parent->columns[i];
    json_t *pj = json_array_get(json_object_get(parent->meta, "columns"), (size_t)i);
    char *loc = ds_relative(f->dir, pc->dir);
    json_t *out = json_deep_copy(pj);
    if (!loc || !out) {
        free(loc);
        json_decref(out);
        return NULL;
    }
    json_object_set_new(out, "location", json_string(loc));
    free(loc);
    return out;
}

static int
check_parent(struct finish *f, const axle_dataset *parent)
{
    if (parent->slices != f->slices)
        return ferr(f, "its parent %s has %d slices, this job %d", parent->path,
                    parent->slices, f->slices);
    for (int s = 0; s < f->slices; s++)
        if (parent->rows[s] != f->rows[s])
            return ferr(f, "slice %d has %lld rows but its parent %s has %lld "
                        "there (a dataset with a parent must have the parent's "
                        "rows per slice)", s, (long long)f->rows[s], parent->path,
                        (long long)parent->rows[s]);
    return 0;
}

/* Parent columns first, in the parent's order, an own column of the same
 * name in its place; then the other own columns in the writer's order. */
static json_t *
all_columns(struct finish *f, const axle_dataset *parent)
{
    json_t *own = json_object_get(f->parts[0].j, "columns");
    size_t nown = json_array_size(own);
    json_t *cols = json_array();
    bool *used = calloc(nown + 1, 1);
    int rc = cols && used ? 0 : ferr(f, "out of memory");
    for (int i = 0; rc == 0 && parent && i < parent->ncolumns; i++) {
        json_t *c = NULL;
        for (size_t k = 0; k < nown && !c; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(own, k),
                                                         "name")),
                       parent->columns[i].name) == 0) {
                used[k] = true;
                if (!(c = own_column(f, k)))
                    rc = -1;
            }
        if (rc == 0 && !c && !(c = linked_column(f, parent, i)))
            rc = ferr(f, "out of memory");
        if (c)
            json_array_append_new(cols, c);
    }
    for (size_t k = 0; rc == 0 && k < nown; k++) {
        json_t *c = used[k] ? NULL : own_column(f, k);
        if (!used[k] && !c)
            rc = -1;
        if (c)
            json_array_append_new(cols, c);
    }
    free(used);
    if (rc < 0) {
        json_decref(cols);
        return NULL;
    }
    return cols;
}

/* The relative form of an absolute link kept in the parts, or null. */
static json_t *
link_json(struct finish *f, const char *key)
{
    const char *abs = json_string_value(json_object_get(f->parts[0].j, key));
    if (!abs)
        return json_null();
    char *real = ds_realpath(abs);
    char *rel = real ? ds_relative(f->dir, real) : NULL;
    json_t *r = rel ? json_string(rel) : NULL;
    if (!r)
        ferr(f, "its %s %s: %s", key, abs, real ? "out of memory" : strerror(errno));
    free(real);
    free(rel);
    return r;
}

static json_t *
build_meta(struct finish *f)
{
    const char *parent_path = json_string_value(json_object_get(f->parts[0].j, "parent"));
    axle_dataset *parent = NULL;
    if (parent_path) {
        char perr[1024];
        if (!(parent = axle_dataset_open(parent_path, perr, sizeof perr))) {
            ferr(f, "its parent: %s", perr);
            return NULL;
        }
        if (check_parent(f, parent) < 0) {
            axle_dataset_close(parent);
            return NULL;
        }
    }
    json_t *rows = json_array();
    for (int s = 0; s < f->slices; s++)
        json_array_append_new(rows, json_integer(f->rows[s]));
    json_t *cols = all_columns(f, parent);
    json_t *pj = cols ? link_json(f, "parent") : NULL;
    json_t *prj = pj ? link_json(f, "previous") : NULL;
    json_t *key = ds_chain_meta_key(f->parts[0].j, parent);
    json_t *removed = ds_chain_meta_removed(f->dir, f->parts[0].j, parent);
    axle_dataset_close(parent);
    if (!prj) {
        json_decref(rows);
        json_decref(cols);
        json_decref(pj);
        json_decref(key);
        json_decref(removed);
        return NULL;
    }
    return json_pack("{s:s, s:i, s:i, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "format",
                     DS_FORMAT_NAME, "version", DS_FORMAT_VERSION, "minor",
                     DS_FORMAT_MINOR, "name", f->name,
                     "slices", f->slices, "rows", rows, "parent", pj, "previous",
                     prj, "columns", cols, "key", key, "removed", removed);
}

static int
finish_one(const char *root, const char *name, int slices, char *err, size_t errlen)
{
    struct finish f = {.name = name, .slices = slices, .err = err, .errlen = errlen};
    char *path = ds_join(root, name);
    f.dir = path ? ds_realpath(path) : NULL;
    free(path);
    f.rows = calloc((size_t)slices, sizeof *f.rows);
    f.by = calloc((size_t)slices, sizeof *f.by);
    int rc = f.dir && f.rows && f.by ? 0 : ferr(&f, "out of memory");
    if (rc == 0)
        rc = load_parts(&f);
    if (rc == 0)
        rc = check_same_shape(&f);
    if (rc == 0)
        rc = assign_slices(&f);
    json_t *meta = rc == 0 ? build_meta(&f) : NULL;
    char *text = meta ? json_dumps(meta, JSON_INDENT(2)) : NULL;
    if (rc == 0 && !text)
        rc = -1;
    if (rc == 0) {
        char *mpath = ds_join(f.dir, DS_META);
        rc = mpath ? ds_write_file_atomic(mpath, text, err, errlen) : -1;
        free(mpath);
    }
    for (size_t i = 0; i < f.nparts; i++) {
        if (rc == 0) {
            char *p = ds_join(f.dir, f.parts[i].file);
            if (p)
                unlink(p);
            free(p);
        }
        free(f.parts[i].file);
        json_decref(f.parts[i].j);
    }
    free(text);
    json_decref(meta);
    free(f.parts);
    free(f.rows);
    free(f.by);
    free(f.dir);
    return rc;
}

int
axle_internal_datasets_finish(const char *jobdir, int slices, char *err,
                              size_t errlen)
{
    char *root = ds_join(jobdir, "ds");
    DIR *d = root ? opendir(root) : NULL;
    if (!d) {
        int e = errno;
        free(root);
        if (e == ENOENT)
            return 0; /* the job made no dataset */
        snprintf(err, errlen, "%s/ds: %s", jobdir, strerror(e));
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char meta[4096];
        struct stat st;
        snprintf(meta, sizeof meta, "%s/%s/%s", root, e->d_name, DS_META);
        if (stat(meta, &st) == 0)
            continue; /* finished already */
        rc = finish_one(root, e->d_name, slices, err, errlen);
    }
    closedir(d);
    free(root);
    return rc;
}
