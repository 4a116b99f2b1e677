/* export_names.c - deciding every output file name before any is written.
 *
 * The names depend on the whole list (a later file that would collide
 * with an earlier one keeps its old extension), so they are decided once,
 * in prepare, from all rows in dataset order, and handed to the slices:
 * the result never depends on how rows are spread over slices.  Rows that
 * turn out to be null still reserve their name, since prepare does not
 * read the pixels.  A name that cannot be written (it is a folder other
 * outputs need, or too long for the file system) is decided here too: the
 * row is skipped with the reason, rather than failing the whole export
 * when its slice tries to write it.
 *
 * With a `name` template, each row's name is the template filled in and
 * made safe; a name an earlier row has taken gets "-2", "-3", ... before
 * its extension, so that every photo still gets a file. */
#include "export_names.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"
#include "export_template.h"

/* A set of strings: open addressing over slots of eight bytes (100,000
 * names' slots stay near in cache), the strings' copies in one block of
 * text; a slot keeps its hash's high half, so a probe compares text only
 * when the hashes match.  Never shrinks. */
struct name_slot {
    uint32_t tag; /* the hash's high half */
    uint32_t at;  /* offset + 1 into the text; 0: empty */
};

struct name_set {
    struct name_slot *slot;
    size_t cap, n;
    char *text;
    size_t used, size;
};

static struct name_slot *
set_find(const struct name_set *set, const char *s, size_t len, uint64_t h)
{
    size_t j = h & (set->cap - 1);
    for (;; j = (j + 1) & (set->cap - 1)) {
        struct name_slot *sl = &set->slot[j];
        if (!sl->at)
            return sl;
        const char *t = set->text + sl->at - 1;
        if (sl->tag == (uint32_t)(h >> 32) && strncmp(t, s, len) == 0 && t[len] == '\0')
            return sl;
    }
}

/* A slot's full hash, from its text, when the table grows. */
static uint64_t
rehash(const struct name_set *set, const struct name_slot *sl)
{
    const char *t = set->text + sl->at - 1;
    return axle_hash_bytes(t, strlen(t));
}

static int
set_grow(struct name_set *set, size_t want)
{
    size_t cap = set->cap ? set->cap : 256;
    while (cap < 2 * want)
        cap *= 2;
    if (cap == set->cap)
        return 0;
    struct name_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < set->cap; i++) {
        if (!set->slot[i].at)
            continue;
        size_t j = rehash(set, &set->slot[i]) & (cap - 1);
        while (slot[j].at)
            j = (j + 1) & (cap - 1);
        slot[j] = set->slot[i];
    }
    free(set->slot);
    set->slot = slot;
    set->cap = cap;
    return 0;
}

/* 1 when s[0..len) was added, 0 when it was there, -1 out of memory. */
static int
set_add_len(struct name_set *set, const char *s, size_t len, uint64_t h)
{
    if (set_grow(set, set->n + 1) < 0)
        return -1;
    struct name_slot *sl = set_find(set, s, len, h);
    if (sl->at)
        return 0;
    if (set->used + len + 1 > UINT32_MAX - 1)
        return -1; /* 4 GiB of names: as out of memory (not plain: a cold export) */
    if (set->used + len + 1 > set->size) {
        size_t size = set->size ? 2 * set->size : 64 * 1024;
        while (size < set->used + len + 1)
            size *= 2;
        char *text = realloc(set->text, size);
        if (!text)
            return -1;
        set->text = text;
        set->size = size;
    }
    memcpy(set->text + set->used, s, len);
    set->text[set->used + len] = '\0';
    *sl = (struct name_slot){(uint32_t)(h >> 32), (uint32_t)(set->used + 1)};
    set->used += len + 1;
    set->n++;
    return 1;
}

static bool
set_has_len(const struct name_set *set, const char *s, size_t len, uint64_t h)
{
    return set->cap && set_find(set, s, len, h)->at;
}

static void
set_free(struct name_set *set)
{
    free(set->slot);
    free(set->text);
}

/* The same for a NUL-terminated string: 1 added, 0 there, -1 out of
 * memory. */
static int
set_add(struct name_set *set, const char *s)
{
    size_t len = strlen(s);
    return set_add_len(set, s, len, axle_hash_bytes(s, len));
}

static bool
set_has(const struct name_set *set, const char *s)
{
    size_t len = strlen(s);
    return set_has_len(set, s, len, axle_hash_bytes(s, len));
}

/* The source name made safe to use below the output folder: no leading
 * '/', no "." or ".." components, no empty name. */
static char *
safe_name(const char *src)
{
    size_t len = strlen(src);
    char *out = malloc(len + 2), *o = out;
    if (!out)
        return NULL;
    for (const char *p = src; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* empty or "." component: dropped */
        } else {
            if (o > out)
                *o++ = '/';
            if (n == 2 && p[0] == '.' && p[1] == '.')
                *o++ = '_';
            else
                o = (char *)memcpy(o, p, n) + n;
        }
        p += n + (end ? 1 : 0);
    }
    if (o == out)
        *o++ = '_';
    *o = '\0';
    return out;
}

/* Length of `name` without its extension (the last ".xyz" of the last
 * component, not a leading dot). */
static size_t
stem_len(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot && dot > base ? (size_t)(dot - name) : strlen(name);
}

/* The first free candidate for one source name, added to `taken`. */
static char *
pick(struct name_set *taken, const char *name, const char *ext)
{
    size_t cap = strlen(name) + strlen(ext) + 32;
    char *cand = malloc(cap);
    if (!cand)
        return NULL;
    snprintf(cand, cap, "%.*s%s", (int)stem_len(name), name, ext);
    int rc = set_add(taken, cand);
    if (rc == 0) { /* taken: keep the old extension too */
        snprintf(cand, cap, "%s%s", name, ext);
        rc = set_add(taken, cand);
    }
    for (unsigned i = 2; rc == 0; i++) {
        snprintf(cand, cap, "%s-%u%s", name, i, ext);
        rc = set_add(taken, cand);
    }
    if (rc < 0) {
        free(cand);
        return NULL;
    }
    return cand;
}

/* Every folder the outputs will need: each proper prefix of each name
 * that ends before a '/'. */
static int
collect_folders(struct name_set *folders, char *const *safe, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (char *slash = strchr(safe[i], '/'); slash; slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            int rc = set_add(folders, safe[i]);
            *slash = '/';
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

/* Why `name` cannot be written, or NULL when it can: it is a folder other
 * outputs need, or a component or the whole path is too long for the
 * file system. */
static const char *
unwritable(const struct name_set *folders, const char *name, size_t max_len, char *why,
           size_t whylen)
{
    if (set_has(folders, name)) {
        snprintf(why, whylen, "its output %s is also a folder of other outputs", name);
        return why;
    }
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX) {
            snprintf(why, whylen, "its output name is too long: a part of %zu bytes, over %d",
                     n, NAME_MAX);
            return why;
        }
        p += n + (p[n] == '/');
    }
    if (strlen(name) > max_len) {
        snprintf(why, whylen, "its output path is too long: %zu bytes, over the %zu left",
                 strlen(name), max_len);
        return why;
    }
    return NULL;
}

/* Appends one NUL-terminated string to the blob. */
static int
put(char **blob, size_t *len, size_t *cap, const char *s)
{
    size_t sl = strlen(s) + 1;
    if (*len + sl > *cap) {
        size_t nc = 2 * (*len + sl) + 4096;
        char *b = realloc(*blob, nc);
        if (!b)
            return -1;
        *blob = b;
        *cap = nc;
    }
    memcpy(*blob + *len, s, sl);
    *len += sl;
    return 0;
}

/* The entry of a source that gets no file: "/" + the source, then why. */
static int
put_skip(char **blob, size_t *len, size_t *cap, const char *source, const char *reason)
{
    char *marked = malloc(strlen(source) + 2);
    if (!marked)
        return -1;
    marked[0] = '/';
    strcpy(marked + 1, source);
    int rc = put(blob, len, cap, marked) || put(blob, len, cap, reason) ? -1 : 0;
    free(marked);
    return rc;
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* The blob to hand back (an empty, valid one for no rows), or NULL when
 * rc says something failed. */
static char *
finish_blob(char *blob, size_t len, int rc, size_t *blob_len)
{
    if (rc != 0) {
        free(blob);
        return NULL;
    }
    if (!blob)
        blob = calloc(1, 1);
    *blob_len = len;
    return blob;
}

/* The entry of one source: its output `name`, or "/" + the source and
 * the reason it gets no file. */
static int
put_entry(char **blob, size_t *len, size_t *cap, const struct name_set *folders,
          const char *source, const char *name, size_t max_len)
{
    char why[256];
    const char *reason = unwritable(folders, name, max_len, why, sizeof why);
    return reason ? put_skip(blob, len, cap, source, reason) : put(blob, len, cap, name);
}

char *
export_names(const char *const *sources, size_t n, const char *ext, size_t max_len,
             size_t *blob_len)
{
    struct name_set taken = {0}, folders = {0};
    char **safe = calloc(n ? n : 1, sizeof *safe), *blob = NULL;
    size_t len = 0, cap = 0;
    int rc = safe ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = (safe[i] = safe_name(sources[i])) ? 0 : -1;
    if (rc == 0)
        rc = collect_folders(&folders, safe, n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *name = pick(&taken, safe[i], ext);
        rc = name ? put_entry(&blob, &len, &cap, &folders, sources[i], name, max_len) : -1;
        free(name);
    }
    free_names(safe, n);
    set_free(&taken);
    set_free(&folders);
    return finish_blob(blob, len, rc, blob_len);
}

/* ---- export_names_plain: one pass, no copy of a name ----
 *
 * An export built on its base asks this of every live item (100,000 at
 * 100,000 photos) in each change run, so it avoids what export_names does
 * per name: a name already safe is used as it is, candidates are made in
 * one buffer, hashed once, and a folder is added once per run of names
 * that share it. */

/* True when safe_name(src) is src itself: not empty, no empty, "." or
 * ".." component (the usual source name, a relative path). */
static bool
already_safe(const char *src)
{
    const char *p = src;
    do {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += n;
    } while (*p++ == '/');
    return true;
}

/* Adds every folder of `name` (each proper prefix ending before a '/') to
 * `folders`, unless the previous name had the same folder (*last, its
 * length *last_len: then they are in already). */
static int
plain_folders(struct name_set *folders, const char *name, const char **last,
              size_t *last_len)
{
    const char *slash = strrchr(name, '/');
    size_t dir_len = slash ? (size_t)(slash - name) : 0;
    if (!dir_len || (*last && *last_len == dir_len && memcmp(*last, name, dir_len) == 0))
        return 0;
    for (const char *p = strchr(name, '/'); p; p = strchr(p + 1, '/')) {
        size_t len = (size_t)(p - name);
        if (set_add_len(folders, name, len, axle_hash_bytes(name, len)) < 0)
            return -1;
    }
    return 0;
}

/* export_names' unwritable() for a candidate whose hash is known. */
static bool
plain_writable(const struct name_set *folders, const char *cand, size_t len, uint64_t h,
               size_t max_len)
{
    if (set_has_len(folders, cand, len, h) || len > max_len)
        return false;
    for (const char *p = cand; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX)
            return false;
        p += n + (p[n] == '/');
    }
    return true;
}

bool
export_names_plain(const char *const *sources, size_t n, const char *ext, size_t max_len)
{
    struct name_set taken = {0}, folders = {0};
    char **safe = calloc(n ? n : 1, sizeof *safe); /* only those made safe */
    bool plain = safe && set_grow(&taken, n) == 0;
    const char *last = NULL;
    size_t last_len = 0;
    for (size_t i = 0; plain && i < n; i++) {
        const char *name = sources[i];
        if (!already_safe(name))
            plain = (name = safe[i] = safe_name(name)) != NULL;
        plain = plain && plain_folders(&folders, name, &last, &last_len) == 0;
        const char *slash = strrchr(name, '/');
        last = name;
        last_len = slash ? (size_t)(slash - name) : 0;
    }
    size_t ext_len = strlen(ext), cap = 0;
    char *cand = NULL;
    for (size_t i = 0; plain && i < n; i++) {
        /* the first candidate pick() tries, which a name alone gets */
        const char *name = safe[i] ? safe[i] : sources[i];
        size_t stem = stem_len(name);
        if (stem + ext_len + 1 > cap) {
            cap = 2 * (stem + ext_len + 1);
            char *grown = realloc(cand, cap);
            if (!grown) {
                plain = false;
                break;
            }
            cand = grown;
        }
        memcpy(cand, name, stem);
        memcpy(cand + stem, ext, ext_len + 1);
        size_t len = stem + ext_len;
        uint64_t h = axle_hash_bytes(cand, len);
        plain = set_add_len(&taken, cand, len, h) == 1 &&
                plain_writable(&folders, cand, len, h, max_len);
    }
    free(cand);
    free_names(safe, n);
    set_free(&taken);
    set_free(&folders);
    return plain;
}

/* ---- names from a template ------------------------------------------- */

/* The name `tmpl` gives one row, made safe like a source name; `safe` is
 * the row's source made safe. */
static char *
render_row(const char *tmpl, const char *safe, const struct export_row *row,
           const char *column, const char *ext)
{
    const char *slash = strrchr(safe, '/');
    const char *base = slash ? slash + 1 : safe;
    char *dir = strndup(safe, slash ? (size_t)(slash - safe) : 0);
    char *stem = strndup(base, stem_len(base));
    char *rendered = NULL, *name = NULL;
    if (dir && stem) {
        struct export_fields f = {dir, stem, ext[0] == '.' ? ext + 1 : ext, column,
                                  row->w, row->h};
        rendered = export_template_render(tmpl, &f);
    }
    if (rendered)
        name = safe_name(rendered);
    free(rendered);
    free(dir);
    free(stem);
    return name;
}

/* The first free candidate for a rendered name, added to `taken`: the
 * name, else the name with "-2", "-3", ... before its extension `ext`
 * (or at its end when it does not end with `ext`). */
static char *
pick_numbered(struct name_set *taken, const char *name, const char *ext)
{
    size_t nl = strlen(name), el = strlen(ext);
    size_t at = nl > el && strcmp(name + nl - el, ext) == 0 ? nl - el : nl;
    char *cand = malloc(nl + 32);
    if (!cand)
        return NULL;
    strcpy(cand, name);
    int rc = set_add(taken, cand);
    for (unsigned i = 2; rc == 0; i++) {
        snprintf(cand, nl + 32, "%.*s-%u%s", (int)at, name, i, name + at);
        rc = set_add(taken, cand);
    }
    if (rc < 0) {
        free(cand);
        return NULL;
    }
    return cand;
}

char *
export_names_template(const char *tmpl, const struct export_row *rows, size_t n,
                      const char *column, const char *ext, size_t max_len, size_t *blob_len)
{
    struct name_set taken = {0}, folders = {0};
    char **named = calloc(n ? n : 1, sizeof *named), *blob = NULL;
    size_t len = 0, cap = 0;
    int rc = named ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (rows[i].no_image)
            continue; /* no file: it takes no name */
        char *safe = safe_name(rows[i].source);
        named[i] = safe ? render_row(tmpl, safe, &rows[i], column, ext) : NULL;
        rc = named[i] ? 0 : -1;
        free(safe);
    }
    /* every rendered name, including those the counter will change:
     * the counter only changes the last component */
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = named[i] ? collect_folders(&folders, &named[i], 1) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!named[i]) {
            rc = put_skip(&blob, &len, &cap, rows[i].source, "no image");
            continue;
        }
        char *name = pick_numbered(&taken, named[i], ext);
        rc = name ? put_entry(&blob, &len, &cap, &folders, rows[i].source, name, max_len)
                  : -1;
        free(name);
    }
    free_names(named, n);
    set_free(&taken);
    set_free(&folders);
    return finish_blob(blob, len, rc, blob_len);
}

bool
export_names_next(const char **p, const char *end, struct export_name *e)
{
    memset(e, 0, sizeof *e);
    if (!*p || *p >= end)
        return false;
    const char *s = *p;
    *p += strnlen(s, (size_t)(end - s)) + 1;
    if (s[0] != '/') {
        e->name = s;
        return *p <= end;
    }
    e->skip_item = s + 1;
    e->skip_reason = *p;
    if (*p >= end)
        return false;
    *p += strnlen(*p, (size_t)(end - *p)) + 1;
    return *p <= end;
}
