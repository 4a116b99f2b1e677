/* export_names.c - deciding every output file name before any is written.
 *
 * The names depend on the whole list (a later file that would collide
 * with an earlier one keeps its old extension), so they are decided once,
 * in prepare, from all rows in dataset order, and handed to the slices:
 * the result never depends on how rows are spread over slices.  Rows that
 * turn out to be null still reserve their name, since prepare does not
 * read the pixels. */
#include "export_names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A set of strings: open addressing, FNV-1a, never shrinks. */
struct strset {
    char **slot;
    size_t cap, n;
};

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int
set_grow(struct strset *set)
{
    size_t cap = set->cap ? 2 * set->cap : 256;
    char **slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < set->cap; i++) {
        if (!set->slot[i])
            continue;
        size_t j = fnv1a(set->slot[i]) & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = set->slot[i];
    }
    free(set->slot);
    set->slot = slot;
    set->cap = cap;
    return 0;
}

/* 1 when `s` was added, 0 when it was there already, -1 out of memory.
 * The set keeps its own copy. */
static int
set_add(struct strset *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap && set_grow(set) < 0)
        return -1;
    size_t j = fnv1a(s) & (set->cap - 1);
    for (; set->slot[j]; j = (j + 1) & (set->cap - 1))
        if (strcmp(set->slot[j], s) == 0)
            return 0;
    if (!(set->slot[j] = strdup(s)))
        return -1;
    set->n++;
    return 1;
}

static void
set_free(struct strset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slot[i]);
    free(set->slot);
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
pick(struct strset *taken, const char *name, const char *ext)
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

char *
export_names(const char *const *sources, size_t n, const char *ext, size_t *blob_len)
{
    struct strset taken = {NULL, 0, 0};
    char *blob = NULL;
    size_t len = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        char *safe = safe_name(sources[i]);
        char *name = safe ? pick(&taken, safe, ext) : NULL;
        free(safe);
        size_t nl = name ? strlen(name) + 1 : 0;
        if (name && len + nl > cap) {
            cap = 2 * (len + nl) + 4096;
            char *b = realloc(blob, cap);
            if (!b) {
                free(name);
                name = NULL;
            } else {
                blob = b;
            }
        }
        if (!name) {
            free(blob);
            set_free(&taken);
            return NULL;
        }
        memcpy(blob + len, name, nl);
        len += nl;
        free(name);
    }
    set_free(&taken);
    if (!blob)
        blob = calloc(1, 1); /* no rows: an empty, valid list */
    *blob_len = len;
    return blob;
}
