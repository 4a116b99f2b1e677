/* shapehist.c - how many images of each shape.
 *
 * Synthesis only: reads the `shape` column ("[w, h]") of the source over
 * all slices (the live rows of a chain), counts each WxH, stores {"WxH": count, ...} as the job's
 * result (most frequent first, then by width and height, largest first)
 * and prints the same as a table.  Sorting all shapes keeps it
 * O(n log n) however many distinct shapes there are. */
#include <inttypes.h>
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

/* Every non-null shape of the source; *bad counts unreadable ones. */
static int
read_shapes(axle_job *job, struct shape **out, size_t *n, uint64_t *bad)
{
    size_t cap = 0;
    int more;
    *out = NULL;
    *n = 0;
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
        if (sscanf(text, " [ %u , %u ]", &w, &h) != 2) {
            (*bad)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct shape *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                axle_rows_close(r);
                return axle_error(job, AXLE_ENOMEM, "out of memory");
            }
            *out = grown;
        }
        (*out)[(*n)++] = (struct shape){w, h, 1};
    }
    axle_rows_close(r);
    return more < 0 ? more : AXLE_OK;
}

/* Sorts, merges equal shapes, sorts by count; returns the distinct count. */
static size_t
histogram(struct shape *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, by_size);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (v[i].w == v[k].w && v[i].h == v[k].h)
            v[k].count++;
        else
            v[++k] = v[i];
    }
    qsort(v, k + 1, sizeof *v, by_count);
    return k + 1;
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
    uint64_t bad;
    int rc = read_shapes(job, &v, &n, &bad);
    if (rc != AXLE_OK) {
        free(v);
        return rc;
    }
    uint64_t total = n;
    n = histogram(v, n);
    if (bad)
        axle_log(job, "%" PRIu64 " shape values were not [w, h] and were left out", bad);
    print_table(v, n, total);
    rc = set_result(job, v, n);
    free(v);
    return rc;
}
