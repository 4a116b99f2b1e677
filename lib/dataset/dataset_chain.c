/* dataset_chain.c - chains of datasets: keys, removed items, live rows.
 *
 * A dataset made with `previous` is a *link*: it holds the rows that are
 * new or changed since the dataset it chains to, and the keys of items
 * that are gone.  Which item a row is, is its value in the chain's *key
 * column* (import's `filename`), named once with axle_writer_key; a
 * dataset with a parent inherits its parent's key, and, when it chains
 * too, its parent's removed keys, so a method that extends each link of a
 * chain row for row (thumbnailer, export) says nothing about keys.
 *
 * Live rows: a row of link i is live unless a newer link holds a row with
 * its key or removes its key.  To tell, ds_live keeps every key of the
 * links newer than the oldest with the newest link that claims it; the
 * oldest (largest) link is only read, never kept, so memory is bounded by
 * what changed, not by the collection.
 *
 * A chain whose links do not all name a key (made before keys, or by a
 * method that appends rather than replaces) is read whole: every row of
 * every link is live, as before.
 *
 * On disk: meta.json "key" (a column name or null) and "removed" (the
 * path of a file of JSON strings, one per line, relative to the dataset,
 * or null). */
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

/* ---- writing ---- */

int
axle_writer_key(axle_writer *w, const char *column)
{
    if (!w || !column)
        return axle_error(w ? w->job : axle_internal_current, AXLE_EINVAL,
                          "axle_writer_key: no writer or no column");
    int col = axle_writer_column(w, column);
    if (col < 0)
        return col; /* the SDK has set the message */
    if (w->cols[col].type != AXLE_STRING)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': key column '%s' is %s; a "
                          "key is a string", w->name, column,
                          axle_type_name(w->cols[col].type));
    free(w->key);
    w->key = strdup(column);
    return w->key ? AXLE_OK : axle_error(w->job, AXLE_ENOMEM, "out of memory");
}

int
axle_writer_remove(axle_writer *w, const char *key)
{
    if (!w || !key)
        return axle_error(w ? w->job : axle_internal_current, AXLE_EINVAL,
                          "axle_writer_remove: no writer or no key");
    if (!w->previous)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': removing '%s' needs a "
                          "previous dataset to remove it from", w->name, key);
    json_t *s = json_string(key);
    char *text = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    json_decref(s);
    char *line = NULL;
    int n = text ? asprintf(&line, "%s\n", text) : -1;
    free(text);
    if (n < 0)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': key '%s' is not UTF-8 text",
                          w->name, key);
    char *path = ds_join(w->dir, DS_REMOVED);
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    /* one write per line: processes appending at once never interleave */
    bool ok = fd >= 0 && write(fd, line, (size_t)n) == n;
    int e = errno;
    if (fd >= 0 && close(fd) < 0 && ok) {
        ok = false;
        e = errno;
    }
    free(line);
    int rc = ok ? AXLE_OK
                : axle_error(w->job, AXLE_EIO, "%s: %s", path ? path : w->dir,
                             strerror(e));
    free(path);
    return rc;
}

/* ---- finishing ---- */

json_t *
ds_chain_meta_key(json_t *part, const axle_dataset *parent)
{
    const char *key = json_string_value(json_object_get(part, "key"));
    if (!key && parent)
        key = parent->key;
    return key ? json_string(key) : json_null();
}

json_t *
ds_chain_meta_removed(const char *dir, json_t *part, const axle_dataset *parent)
{
    if (json_is_null(json_object_get(part, "previous")) ||
        !json_object_get(part, "previous"))
        return json_null(); /* nothing older to remove from */
    char *own = ds_join(dir, DS_REMOVED);
    struct stat st;
    bool has_own = own && stat(own, &st) == 0;
    free(own);
    if (has_own)
        return json_string(DS_REMOVED);
    if (!parent || !parent->removed_path)
        return json_null();
    char *rel = ds_relative(dir, parent->removed_path);
    json_t *r = rel ? json_string(rel) : json_null();
    free(rel);
    return r;
}

/* ---- reading ---- */

int
ds_chain_load_meta(axle_dataset *ds, char *err, size_t errlen)
{
    json_t *key = json_object_get(ds->meta, "key");
    json_t *removed = json_object_get(ds->meta, "removed");
    if (key && !json_is_null(key) && !json_is_string(key))
        snprintf(err, errlen, "%s/%s: 'key' is not a column name", ds->path, DS_META);
    else if (removed && !json_is_null(removed) && !json_is_string(removed))
        snprintf(err, errlen, "%s/%s: 'removed' is not a path", ds->path, DS_META);
    else {
        if (json_is_string(key) && !(ds->key = strdup(json_string_value(key))))
            return -1;
        if (json_is_string(removed)) {
            char *joined = ds_join(ds->path, json_string_value(removed));
            ds->removed_path = joined ? ds_realpath(joined) : NULL;
            if (!ds->removed_path) /* gone: said when it is read */
                ds->removed_path = joined;
            else
                free(joined);
        }
        return 0;
    }
    return -1;
}

void
ds_chain_free(axle_dataset *ds)
{
    for (size_t i = 0; ds->removed && ds->removed[i]; i++)
        free(ds->removed[i]);
    free(ds->removed);
    free(ds->removed_err);
    free(ds->removed_path);
    free(ds->key);
}

const char *
axle_dataset_key(const axle_dataset *ds)
{
    return ds ? ds->key : NULL;
}

/* Loads the removed keys of ds; -1 with ds->removed_err set. */
static int
load_removed(axle_dataset *ds)
{
    if (ds->removed || ds->removed_err)
        return ds->removed ? 0 : -1;
    size_t n = 0, cap = 16;
    ds->removed = calloc(cap, sizeof *ds->removed);
    FILE *f = ds->removed_path ? fopen(ds->removed_path, "r") : NULL;
    char *line = NULL, why[PATH_MAX + 128] = "";
    size_t linecap = 0;
    if (ds->removed_path && !f)
        snprintf(why, sizeof why, "%s: %s", ds->removed_path, strerror(errno));
    while (f && ds->removed && !why[0] && getline(&line, &linecap, f) > 0) {
        json_t *v = json_loads(line, JSON_DECODE_ANY, NULL);
        if (!json_is_string(v))
            snprintf(why, sizeof why, "%s: line %zu is not a JSON string (damaged)",
                     ds->removed_path, n + 1);
        else if (n + 1 >= cap) {
            char **grown = realloc(ds->removed, 2 * cap * sizeof *grown);
            if (grown) {
                ds->removed = grown;
                cap *= 2;
            }
        }
        if (!why[0] && n + 1 < cap)
            ds->removed[n++] = strdup(json_string_value(v));
        ds->removed[n] = NULL;
        json_decref(v);
    }
    free(line);
    if (f)
        fclose(f);
    if (!ds->removed)
        snprintf(why, sizeof why, "out of memory");
    if (!why[0])
        return 0;
    for (size_t i = 0; ds->removed && i < n; i++)
        free(ds->removed[i]);
    free(ds->removed);
    ds->removed = NULL;
    ds->removed_err = strdup(why);
    return -1;
}

const char *const *
axle_dataset_removed(axle_dataset *ds)
{
    if (!ds)
        return NULL;
    if (load_removed(ds) < 0) {
        axle_error(axle_internal_current, AXLE_EIO, "dataset %s: its removed keys "
                   "cannot be read: %s", ds->path, ds->removed_err);
        return NULL;
    }
    return (const char *const *)ds->removed;
}

/* ---- live rows ---- */

struct claim {
    char *key;
    size_t len;
    int link;  /* the newest link holding or removing it */
    int below; /* the newest before `link` (-1: none), for ds_live_counts */
};

struct ds_live {
    struct claim *slot;
    size_t cap, n; /* cap a power of two */
};

static struct claim *
find(const ds_live *l, const char *key, size_t len)
{
    size_t i = axle_hash_bytes(key, len) & (l->cap - 1);
    while (l->slot[i].key &&
           !(l->slot[i].len == len && memcmp(l->slot[i].key, key, len) == 0))
        i = (i + 1) & (l->cap - 1);
    return &l->slot[i];
}

static int
grow(ds_live *l)
{
    size_t cap = l->cap ? 2 * l->cap : 1024;
    struct claim *old = l->slot;
    size_t oldcap = l->cap;
    l->slot = calloc(cap, sizeof *l->slot);
    if (!l->slot) {
        l->slot = old;
        return -1;
    }
    l->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(l, old[i].key, old[i].len) = old[i];
    free(old);
    return 0;
}

/* Link `link` claims `key`: newer links are met later and win. */
static int
claim(ds_live *l, const char *key, size_t len, int link)
{
    if ((l->n + 1) * 2 > l->cap && grow(l) < 0)
        return -1;
    struct claim *c = find(l, key, len);
    if (!c->key) {
        if (!(c->key = malloc(len ? len : 1)))
            return -1;
        memcpy(c->key, key, len);
        c->len = len;
        c->link = c->below = -1;
        l->n++;
    }
    if (c->link != link)
        c->below = c->link;
    c->link = link;
    return 0;
}

/* Calls fn(ctx, key, len) for each row of slice `sliceno` (-1: every
 * slice) of ds's key column, key NULL for a null, until fn returns other
 * than AXLE_OK; the cursor's errors set the job's message. */
static int
each_key(axle_job *job, axle_dataset *ds, int sliceno,
         int (*fn)(void *ctx, const char *key, size_t len), void *ctx)
{
    char err[4400];
    axle_cursor *c = axle_cursor_open(ds, ds->key, sliceno, err, sizeof err);
    if (!c)
        return axle_error(job, AXLE_EFORMAT, "%s", err);
    int rc = AXLE_OK, got = 0;
    while (rc == AXLE_OK && (got = axle_cursor_next(c)) == 1) {
        size_t len = 0;
        const char *k = axle_cursor_is_null(c) ? NULL : axle_cursor_bytes(c, &len);
        rc = fn(ctx, k, len);
    }
    if (rc == AXLE_OK && got < 0)
        rc = axle_error(job, AXLE_EIO, "%s", axle_cursor_error(c));
    axle_cursor_close(c);
    return rc;
}

struct claiming {
    axle_job *job;
    ds_live *l;
    int link;
};

static int
claim_key(void *ctx, const char *key, size_t len)
{
    struct claiming *cl = ctx;
    if (key && claim(cl->l, key, len, cl->link) < 0)
        return axle_error(cl->job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

/* Claims the keys of link `link`'s rows and removed list. */
static int
claim_link(axle_job *job, ds_live *l, axle_dataset *ds, int link)
{
    struct claiming cl = {job, l, link};
    int rc = each_key(job, ds, -1, claim_key, &cl);
    if (rc != AXLE_OK)
        return rc;
    const char *const *gone = axle_dataset_removed(ds);
    if (!gone)
        return axle_error(job, AXLE_EIO, "dataset %s: its removed keys cannot be read: "
                          "%s", ds->path, ds->removed_err);
    for (; *gone; gone++)
        if (claim(l, *gone, strlen(*gone), link) < 0)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

bool
ds_chain_keyed(axle_dataset **chain, int n)
{
    for (int i = 0; i < n; i++)
        if (!chain[i]->key)
            return false;
    return n > 1;
}

ds_live *
ds_live_build(axle_job *job, axle_dataset **chain, int n)
{
    ds_live *l = calloc(1, sizeof *l);
    if (!l || grow(l) < 0) {
        free(l);
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!chain[i]->key) {
            axle_error(job, AXLE_EFORMAT, "dataset %s is a link of a chain but names no "
                       "key column (meta.json \"key\"), so its live rows are unknown",
                       chain[i]->path);
            ds_live_free(l);
            return NULL;
        }
    for (int i = 1; i < n; i++)
        if (claim_link(job, l, chain[i], i) != AXLE_OK) {
            ds_live_free(l);
            return NULL;
        }
    return l;
}

bool
ds_live_row(const ds_live *l, int link, const char *key, size_t len)
{
    if (!key)
        return true; /* a row without a key cannot be replaced */
    const struct claim *c = find(l, key, len);
    return !c->key || c->link == link;
}

struct counting {
    const ds_live *l;
    int at, top;
    int64_t *live, *live_before;
};

/* One row of link `at`: live in the whole chain unless a newer link
 * claims its key; live in the chain without its newest link `top` unless
 * a link between it and `top` does. */
static int
count_key(void *ctx, const char *key, size_t len)
{
    struct counting *n = ctx;
    const struct claim *cl = key ? find(n->l, key, len) : NULL;
    if (!cl || !cl->key) { /* no newer link has its key */
        ++*n->live;
        ++*n->live_before;
        return AXLE_OK;
    }
    int before = cl->link == n->top ? cl->below : cl->link;
    *n->live += cl->link == n->at;
    *n->live_before += before < 0 || before == n->at;
    return AXLE_OK;
}

int
ds_live_counts(axle_job *job, axle_dataset **chain, int n, int64_t *live,
               int64_t *live_before)
{
    *live = *live_before = 0;
    ds_live *l = ds_live_build(job, chain, n);
    if (!l)
        return AXLE_EFORMAT; /* the message is set */
    int rc = AXLE_OK;
    for (int i = 0; rc == AXLE_OK && i < n - 1; i++) {
        struct counting count = {l, i, n - 1, live, live_before};
        rc = each_key(job, chain[i], -1, count_key, &count);
    }
    *live += axle_dataset_rows(chain[n - 1], -1); /* the newest link's rows are all live */
    ds_live_free(l);
    return rc;
}

void
ds_live_free(ds_live *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->cap; i++)
        free(l->slot[i].key);
    free(l->slot);
    free(l);
}

int64_t
axle_dataset_live_rows(axle_job *job, axle_dataset *ds)
{
    if (!job)
        job = axle_internal_current;
    if (!ds || !ds->key)
        return ds ? axle_dataset_rows(ds, -1) : -1;
    const char *cols[] = {ds->key, NULL};
    axle_rows *r = axle_rows_open_dataset(job, ds, -1, cols, AXLE_ROWS_CHAIN);
    if (!r)
        return -1;
    int64_t n = 0;
    int got;
    while ((got = axle_rows_next(r)) == 1)
        n++;
    axle_rows_close(r);
    return got < 0 ? -1 : n;
}

axle_writer *
axle_writer_new_after(axle_job *job, const char *name, axle_dataset *parent,
                      axle_writer *previous)
{
    axle_writer *w = axle_writer_new(job, name, parent, NULL);
    if (w && previous && !(w->previous = strdup(previous->dir))) {
        axle_error(w->job, AXLE_ENOMEM, "out of memory");
        return NULL; /* the writer stays in this process's list, closed at the end */
    }
    return w;
}

struct marking {
    const ds_live *l;
    int at;
    bool *live;     /* a flag a row of the slice */
    int64_t n, row; /* its rows, the row the next key is of */
};

static int
mark_key(void *ctx, const char *key, size_t len)
{
    struct marking *m = ctx;
    if (m->row < m->n)
        m->live[m->row] = ds_live_row(m->l, m->at, key, len);
    m->row++;
    return AXLE_OK;
}

int
axle_link_live(axle_job *job, const char *input, size_t link, int sliceno, bool **live,
               int64_t *n)
{
    *live = NULL;
    *n = 0;
    axle_dataset **links;
    size_t nlinks;
    int rc = axle_input_links(job, input, &links, &nlinks);
    if (rc != AXLE_OK)
        return rc;
    if (link >= nlinks)
        return axle_error(job, AXLE_EINVAL, "input '%s' has %zu links to process, not %zu",
                          input, nlinks, link + 1);
    axle_dataset *ds = links[link];
    *n = axle_dataset_rows(ds, sliceno);
    if (!(*live = malloc(*n ? (size_t)*n : 1)))
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    memset(*live, 1, *n ? (size_t)*n : 1);
    /* the whole chain, oldest first: where `ds` is, and what is newer */
    axle_dataset *newest = axle_input_dataset(job, input), *chain[DS_MAX_CHAIN];
    int len = 0, at = -1;
    for (axle_dataset *d = newest; d && len < DS_MAX_CHAIN; d = axle_dataset_previous(d))
        chain[len++] = d;
    for (int i = 0; i < len / 2; i++) {
        axle_dataset *t = chain[i];
        chain[i] = chain[len - 1 - i];
        chain[len - 1 - i] = t;
    }
    for (int i = 0; i < len; i++)
        if (chain[i] == ds)
            at = i;
    if (at < 0 || at == len - 1 || !ds_chain_keyed(chain, len))
        return AXLE_OK; /* the newest link, or no keys: every row is live */
    ds_live *l = ds_live_build(job, chain, len);
    if (!l)
        return AXLE_EFORMAT; /* the message is set */
    struct marking mark = {l, at, *live, *n, 0};
    rc = each_key(job, ds, sliceno, mark_key, &mark);
    ds_live_free(l);
    return rc;
}
