/* export_chain.c - export_images over dataset chains.
 *
 * Built on the step's earlier export (axle_chain_base), the job writes the
 * files of the source's new link only: the other live items keep the
 * files the earlier jobs wrote, in dest (export_dest_keep_all_but) or,
 * without dest, in the base's output folder, which this job takes over
 * with one rename (axle_chain_take_folder).  That is exact only
 * when every name is the one the item would get alone (no two items
 * compete for a name, no `name` template): then no old item's name can
 * change; else, and when the earlier job's file count cannot be carried
 * over, the export is built cold.
 *
 * A cold export of a chain of several links reads the chain's live rows
 * and names them in name order, as a cold import of the same files would
 * list them, so its names are a cold run's too. */
#include "export_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_names.h"

#define CARRIED "carried.json"
/* dropped_names: the job called axle_chain_cold (not an AXLE_E code) */
#define WENT_COLD 1

/* The entry export_names gives `name` alone (malloc'd text of the entry). */
static char *
alone(const char *name, const char *ext, size_t max_len)
{
    size_t len;
    char *blob = export_names(&name, 1, ext, max_len, &len);
    char *e = blob ? strdup(blob) : NULL;
    free(blob);
    return e;
}

/* The live names of src's chain (its `filename` column): *v points into
 * *text, one block (a copy each cost 100,000 mallocs a change run). */
static int
live_names(axle_job *job, axle_dataset *src, char **text, const char ***v, size_t *n)
{
    *text = NULL;
    *v = NULL;
    *n = 0;
    axle_rows *r = axle_rows_open_dataset(job, src, -1, (const char *[]){"filename", NULL},
                                          AXLE_ROWS_CHAIN);
    if (!r)
        return AXLE_EINVAL; /* the SDK has set the message */
    size_t cap = 0, used = 0, size = 0, *at = NULL;
    int got;
    while ((got = axle_rows_next(r)) == 1) {
        const char *s = axle_rows_string(r, 0);
        size_t len = strlen(s ? s : "") + 1;
        if (*n == cap) {
            cap = cap ? 2 * cap : 4096;
            size_t *grown = realloc(at, cap * sizeof *at);
            if (!grown) {
                got = axle_error(job, AXLE_ENOMEM, "out of memory");
                break;
            }
            at = grown;
        }
        if (used + len > size) {
            size = 2 * (used + len) + 64 * 1024;
            char *grown = realloc(*text, size);
            if (!grown) {
                got = axle_error(job, AXLE_ENOMEM, "out of memory");
                break;
            }
            *text = grown;
        }
        memcpy(*text + used, s ? s : "", len);
        at[(*n)++] = used;
        used += len;
    }
    axle_rows_close(r);
    if (got >= 0 && !(*v = malloc((*n ? *n : 1) * sizeof **v)))
        got = axle_error(job, AXLE_ENOMEM, "out of memory");
    for (size_t i = 0; got >= 0 && i < *n; i++)
        (*v)[i] = *text + at[i];
    free(at);
    return got < 0 ? got : AXLE_OK;
}

/* Adds the output name of item `key` to `dropped`. */
static int
drop(json_t *dropped, const char *key, const char *ext, size_t max_len)
{
    char *own = alone(key, ext, max_len);
    if (own && own[0] != '/')
        json_object_set_new(dropped, own, json_true());
    free(own);
    return own ? 0 : -1;
}

/* Calls fn with each key a link holds or removes; stops on its error. */
static int
each_key(axle_job *job, axle_dataset *link, int (*fn)(axle_job *, const char *, void *),
         void *ctx)
{
    char err[512];
    axle_cursor *c = axle_cursor_open(link, "filename", -1, err, sizeof err);
    if (!c)
        return axle_error(job, AXLE_EIO, "%s", err);
    int got, rc = AXLE_OK;
    while (rc == AXLE_OK && (got = axle_cursor_next(c)) == 1) {
        size_t len;
        const char *s = axle_cursor_is_null(c) ? NULL : axle_cursor_bytes(c, &len);
        char *key = s ? strndup(s, len) : NULL;
        if (key)
            rc = fn(job, key, ctx);
        free(key);
    }
    axle_cursor_close(c);
    const char *const *gone = axle_dataset_removed(link);
    if (!gone)
        return AXLE_EIO; /* the SDK has set the message */
    for (; rc == AXLE_OK && *gone; gone++)
        rc = fn(job, *gone, ctx);
    return rc;
}

struct dropping {
    json_t *dropped;  /* {output name: true} */
    json_t *live;     /* {key: true} of the chain's live rows, or NULL */
    const char *ext;
    size_t max_len;
};

/* An item of the new link: its file goes. */
static int
drop_new(axle_job *job, const char *key, void *ctx)
{
    struct dropping *d = ctx;
    return drop(d->dropped, key, d->ext, d->max_len) < 0
               ? axle_error(job, AXLE_ENOMEM, "out of memory") : AXLE_OK;
}

/* An item of a link the step's newest job read beyond the base (a
 * compaction): its file there is of a version newer than the base's.  Gone
 * since, or in the new link, it goes; live but not in the new link (it
 * changed and came back as the base had it), only a cold build rewrites it. */
static int
drop_newer(axle_job *job, const char *key, void *ctx)
{
    struct dropping *d = ctx;
    char *own = alone(key, d->ext, d->max_len);
    bool have = own && json_object_get(d->dropped, own);
    free(own);
    if (have)
        return AXLE_OK;
    if (json_object_get(d->live, key)) {
        int rc = axle_chain_cold(job, "an item changed after the job built on and came "
                                 "back as it was");
        return rc == AXLE_OK ? WENT_COLD : rc;
    }
    return drop_new(job, key, ctx);
}

/* The names of the new link's items and of those it removes; with a base
 * older than the step's newest job, also those of the links that job read
 * beyond it.  WENT_COLD: built cold instead. */
static int
dropped_names(axle_job *job, axle_dataset *link, json_t *live, const char *ext,
              size_t max_len, json_t *dropped)
{
    struct dropping d = {dropped, live, ext, max_len};
    int rc = each_key(job, link, drop_new, &d);
    axle_dataset **newer;
    size_t n = 0;
    if (rc == AXLE_OK)
        rc = axle_chain_newer_links(job, "source", &newer, &n);
    for (size_t i = 0; rc == AXLE_OK && i < n; i++)
        rc = each_key(job, newer[i], drop_newer, &d);
    return rc;
}

static json_int_t
base_files(const char *base)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/result.json", base);
    json_t *r = json_load_file(path, 0, NULL);
    json_t *v = json_object_get(r, "files");
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
    json_decref(r);
    return n;
}

int
export_chain_plan(axle_job *job, axle_dataset *src, const char *ext, size_t max_len,
                  json_t **dropped)
{
    *dropped = NULL;
    const char *base = axle_chain_base(job);
    if (!base)
        return AXLE_OK;
    if (axle_opt_string(job, "name"))
        return axle_chain_cold(job, "names come from a template");
    const char *key = axle_dataset_key(src);
    if (!key || strcmp(key, "filename") != 0)
        return axle_chain_cold(job, "the source's items are not named by `filename`");
    axle_dataset **links;
    size_t nlinks;
    int64_t live = 0, gone = 0;
    int rc = axle_input_links(job, "source", &links, &nlinks);
    if (rc != AXLE_OK)
        return rc;
    if (nlinks != 1)
        return axle_chain_cold(job, "more than one source link is new");
    if ((rc = axle_chain_counts(job, "source", &live, &gone)) != AXLE_OK)
        return rc;
    json_int_t files = base_files(base);
    if (files != live)
        return axle_chain_cold(job, "the earlier export did not write a file for every "
                               "item, so its count cannot be carried over");
    char *text;
    const char **names;
    size_t n;
    if ((rc = live_names(job, src, &text, &names, &n)) != AXLE_OK) {
        free(text);
        return rc;
    }
    bool plain = export_names_plain(names, n, ext, max_len);
    axle_dataset **newer;
    size_t nnewer = 0;
    json_t *keys = NULL;
    rc = axle_chain_newer_links(job, "source", &newer, &nnewer);
    if (rc == AXLE_OK && nnewer && plain && !(keys = json_object()))
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    for (size_t i = 0; keys && i < n; i++)
        json_object_set_new(keys, names[i], json_true());
    free(names);
    free(text);
    if (rc != AXLE_OK || !plain) {
        json_decref(keys);
        return rc != AXLE_OK ? rc : axle_chain_cold(job, "two items compete for a file name");
    }
    *dropped = json_object();
    rc = dropped_names(job, links[0], keys, ext, max_len, *dropped);
    json_decref(keys);
    if (rc != AXLE_OK) {
        json_decref(*dropped);
        *dropped = NULL;
        return rc == WENT_COLD ? AXLE_OK : rc;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/" CARRIED, axle_job_dir(job));
    FILE *f = fopen(path, "w"); /* beside the outputs, not one of them */
    if (!f || fprintf(f, "{\"files\": %lld}\n", (long long)(files - gone)) < 0 ||
        fclose(f) != 0)
        return axle_error(job, AXLE_EIO, "%s: cannot write it", path);
    return AXLE_OK;
}

long long
export_chain_carried(axle_job *job)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/" CARRIED, axle_job_dir(job));
    json_t *c = json_load_file(path, 0, NULL);
    long long n = (long long)json_integer_value(json_object_get(c, "files"));
    json_decref(c);
    return n;
}

/* ---- the base's unchanged files, taken over ---- */

int
export_chain_take_unchanged(axle_job *job, const char *outdir, json_t *dropped)
{
    size_t n = json_object_size(dropped), i = 0;
    const char **names = calloc(n + 1, sizeof *names);
    if (!names)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    const char *name;
    json_t *v;
    json_object_foreach(dropped, name, v)
        names[i++] = name;
    int rc = axle_chain_take_folder(job, outdir, names);
    free(names);
    return rc;
}

/* ---- names of a whole chain's live rows ---- */

struct live_row {
    char *source;
    int slice;
    size_t order;
    struct export_row row;
    const char *entry; /* its entry in the names blob */
    size_t entry_len;
};

static int
by_source(const void *a, const void *b)
{
    const struct live_row *x = *(struct live_row *const *)a, *y = *(struct live_row *const *)b;
    int c = strcmp(x->source, y->source);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Every live row of every slice, in slice order (as the slices read them). */
static int
collect_rows(axle_job *job, axle_dataset *src, const char *key, const char *column,
             bool sizes, struct live_row **rows, size_t *n)
{
    size_t cap = 0;
    *rows = NULL;
    *n = 0;
    for (int s = 0; s < axle_slices(job); s++) {
        const char *cols[] = {key, column, NULL};
        axle_rows *r = axle_rows_open_dataset(job, src, s, cols, AXLE_ROWS_CHAIN);
        if (!r)
            return AXLE_EINVAL; /* the SDK has set the message */
        int got;
        while ((got = axle_rows_next(r)) == 1) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 256;
                struct live_row *grown = realloc(*rows, cap * sizeof **rows);
                if (!grown) {
                    axle_rows_close(r);
                    return axle_error(job, AXLE_ENOMEM, "out of memory");
                }
                *rows = grown;
            }
            struct live_row *lr = &(*rows)[*n];
            memset(lr, 0, sizeof *lr);
            const char *name = axle_rows_string(r, 0);
            lr->source = strdup(name ? name : "");
            lr->slice = s;
            lr->order = (*n)++;
            axle_image img;
            if (axle_rows_is_null(r, 1))
                lr->row.no_image = sizes;
            else if (sizes && axle_rows_image(r, 1, &img) == AXLE_OK)
                export_exported_size(&img, &lr->row.w, &lr->row.h);
            if (!lr->source) {
                axle_rows_close(r);
                return axle_error(job, AXLE_ENOMEM, "out of memory");
            }
        }
        axle_rows_close(r);
        if (got < 0)
            return got;
    }
    return AXLE_OK;
}

/* The blob: per-slice byte offsets, then the entries in reading order. */
static char *
lay_out(struct live_row *rows, size_t n, int slices, size_t *len)
{
    size_t head = (size_t)slices * sizeof(uint64_t), body = 0;
    for (size_t i = 0; i < n; i++)
        body += rows[i].entry_len;
    char *blob = malloc(head + body + 1);
    if (!blob)
        return NULL;
    char *p = blob + head;
    size_t i = 0;
    for (int s = 0; s < slices; s++) {
        uint64_t off = (uint64_t)(p - blob);
        memcpy(blob + (size_t)s * sizeof off, &off, sizeof off);
        for (; i < n && rows[i].slice == s; i++) {
            memcpy(p, rows[i].entry, rows[i].entry_len);
            p += rows[i].entry_len;
        }
    }
    *len = (size_t)(p - blob);
    return blob;
}

int
export_chain_live_names(axle_job *job, axle_dataset *src, const char *key,
                        const char *column, const char *tmpl, const char *ext,
                        size_t max_len, char **blob, size_t *len)
{
    struct live_row *rows = NULL, **sorted = NULL;
    size_t n = 0, nlen = 0;
    char *names = NULL;
    bool sizes = tmpl && (strstr(tmpl, "{w}") || strstr(tmpl, "{h}"));
    int rc = collect_rows(job, src, key, column, sizes, &rows, &n);
    if (rc == AXLE_OK && !(sorted = calloc(n ? n : 1, sizeof *sorted)))
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    struct export_row *er = rc == AXLE_OK ? calloc(n ? n : 1, sizeof *er) : NULL;
    const char **src_names = er ? calloc(n ? n : 1, sizeof *src_names) : NULL;
    if (rc == AXLE_OK && !src_names)
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    if (rc == AXLE_OK) {
        for (size_t i = 0; i < n; i++)
            sorted[i] = &rows[i];
        qsort(sorted, n, sizeof *sorted, by_source);
        for (size_t i = 0; i < n; i++) {
            er[i] = sorted[i]->row;
            er[i].source = src_names[i] = sorted[i]->source;
        }
        names = tmpl ? export_names_template(tmpl, er, n, column, ext, max_len, &nlen)
                     : export_names(src_names, n, ext, max_len, &nlen);
        if (!names)
            rc = axle_error(job, AXLE_ENOMEM, "out of memory naming %zu files", n);
    }
    const char *p = names, *end = names ? names + nlen : NULL;
    for (size_t i = 0; rc == AXLE_OK && i < n; i++) {
        struct export_name e;
        const char *at = p;
        if (!export_names_next(&p, end, &e))
            rc = axle_error(job, AXLE_EINTERNAL, "fewer names than rows");
        sorted[i]->entry = at;
        sorted[i]->entry_len = (size_t)(p - at);
    }
    if (rc == AXLE_OK && !(*blob = lay_out(rows, n, axle_slices(job), len)))
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        free(rows[i].source);
    free(rows);
    free(sorted);
    free(er);
    free(src_names);
    free(names);
    return rc;
}
