/* shapehist.c - how many images of each shape.
 *
 * Synthesis only: reads the `shape` column ("[w, h]") of the source over
 * all slices (the live rows of a chain), counts each WxH, stores {"WxH": count, ...} as the job's
 * result (most frequent first, then by width and height, largest first)
 * and prints the same as a table.  Shapes are counted as they come, in a
 * table of the distinct ones (a library of 100,000 photos has a few
 * hundred shapes): memory and sorting follow the distinct shapes, not
 * the rows, and a change run reading the chain's live rows pays a lookup
 * a row. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "a dataset with a shape column (import_images)"),
    AXLE_INPUT_END};

AXLE_METHOD(shapehist, "1.0", "histogram of image shapes (WxH: count), printed as a table",
            NULL, inputs);

struct shape {
    uint32_t w, h;
    uint64_t count;
};

static int
by_size(const void *a, const void *b)
{
    const struct shape *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    if (x->h != y->h)
        return x->h < y->h ? 1 : -1;
    return 0;
}

static int
by_count(const void *a, const void *b)
{
    const struct shape *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return by_size(a, b);
}

/* The distinct shapes counted so far: open addressing on (w, h). */
struct shape_table {
    struct shape *slot; /* count 0: empty */
    size_t cap, n;      /* cap a power of two, at most half full */
};

static size_t
slot_of(const struct shape_table *t, uint32_t w, uint32_t h)
{
    uint64_t k = ((uint64_t)w << 32 | h) * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(k >> 32) & (t->cap - 1);
    while (t->slot[i].count && (t->slot[i].w != w || t->slot[i].h != h))
        i = (i + 1) & (t->cap - 1);
    return i;
}

/* Counts one image of w x h; -1 out of memory. */
static int
count_shape(struct shape_table *t, uint32_t w, uint32_t h)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct shape_table g = {calloc(cap, sizeof *g.slot), cap, t->n};
        if (!g.slot)
            return -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].count)
                g.slot[slot_of(&g, t->slot[i].w, t->slot[i].h)] = t->slot[i];
        free(t->slot);
        *t = g;
    }
    struct shape *s = &t->slot[slot_of(t, w, h)];
    if (!s->count) {
        *s = (struct shape){w, h, 0};
        t->n++;
    }
    s->count++;
    return 0;
}

/* Digits at *p as a number below 10^9 (it fits in 32 bits); false when
 * there are none or more. */
static bool
small_number(const char **p, uint32_t *out)
{
    const char *s = *p;
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9' && s - *p < 9)
        v = v * 10 + (uint32_t)(*s++ - '0');
    if (s == *p || (*s >= '0' && *s <= '9'))
        return false;
    *p = s;
    *out = v;
    return true;
}

/* "[w, h]" as import_images writes it, read by hand (sscanf's cost
 * showed at 100,000 rows); anything else as sscanf reads " [ %u , %u ]".
 * False when it is not a shape. */
static bool
parse_shape(const char *text, unsigned *w, unsigned *h)
{
    const char *p = text;
    uint32_t a, b;
    if (p[0] == '[' && (++p, small_number(&p, &a)) && p[0] == ',' && p[1] == ' ' &&
        (p += 2, small_number(&p, &b)) && p[0] == ']' && p[1] == '\0') {
        *w = a;
        *h = b;
        return true;
    }
    return sscanf(text, " [ %u , %u ]", w, h) == 2;
}

/* Every non-null shape of the source, counted: the distinct shapes in
 * *out (*n of them), *total images; *bad counts unreadable ones. */
static int
read_shapes(axle_job *job, struct shape **out, size_t *n, uint64_t *total, uint64_t *bad)
{
    int more;
    struct shape_table t = {NULL, 0, 0};
    *out = NULL;
    *n = 0;
    *total = 0;
    *bad = 0;
    /* a chain's live rows: every image once, however it was imported */
    axle_rows *r = axle_rows_open_dataset(job, axle_input_dataset(job, "source"), -1,
                                          (const char *[]){"shape", NULL}, AXLE_ROWS_CHAIN);
    if (!r)
        return AXLE_EINVAL; /* the SDK has set the message */
    while ((more = axle_rows_next(r)) == 1) {
        const char *text = axle_rows_string(r, 0);
        unsigned w, h;
        if (!text)
            continue;
        if (!parse_shape(text, &w, &h)) {
            (*bad)++;
            continue;
        }
        if (count_shape(&t, w, h) < 0) {
            axle_rows_close(r);
            free(t.slot);
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        }
        (*total)++;
    }
    axle_rows_close(r);
    /* the distinct shapes, packed to the front */
    for (size_t i = 0; i < t.cap; i++)
        if (t.slot[i].count)
            t.slot[(*n)++] = t.slot[i];
    *out = t.slot;
    return more < 0 ? more : AXLE_OK;
}

static void
print_table(const struct shape *v, size_t n, uint64_t total)
{
    printf("%-13s %8s %7s\n", "shape", "images", "share");
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "%ux%u", v[i].w, v[i].h);
        printf("%-13s %8" PRIu64 " %6.1f%%\n", key, v[i].count,
               100.0 * (double)v[i].count / (double)total);
    }
    printf("%-13s %8" PRIu64 "\n", "total", total);
}

/* {"WxH": count, ...} in the order of v. */
static int
set_result(axle_job *job, const struct shape *v, size_t n)
{
    axle_json *j = axle_json_new();
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "%ux%u", v[i].w, v[i].h);
        axle_json_int(j, key, (int64_t)v[i].count);
    }
    return axle_json_set_result(job, j);
}

int
synthesis(axle_job *job)
{
    if (!axle_input_column(job, "source", "shape", AXLE_JSON))
        return AXLE_EINVAL; /* the SDK has set the message */
    struct shape *v;
    size_t n;
    uint64_t total, bad;
    int rc = read_shapes(job, &v, &n, &total, &bad);
    if (rc != AXLE_OK) {
        free(v);
        return rc;
    }
    if (n)
        qsort(v, n, sizeof *v, by_count); /* ties by size: one order */
    if (bad)
        axle_log(job, "%" PRIu64 " shape values were not [w, h] and were left out", bad);
    print_table(v, n, total);
    rc = set_result(job, v, n);
    free(v);
    return rc;
}
