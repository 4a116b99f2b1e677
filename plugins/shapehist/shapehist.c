/* shapehist.c - how many images of each shape.
 *
 * Synthesis only: reads the `shape` column ("[w, h]") of the source over
 * all slices, counts each WxH, stores {"WxH": count, ...} as the job's
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
read_shapes(axle_job *job, axle_dataset *src, struct shape **out, size_t *n,
            uint64_t *bad)
{
    char err[512];
    axle_cursor *c = axle_cursor_open(src, "shape", -1, err, sizeof err);
    if (!c)
        return axle_error(job, AXLE_EIO, "%s", err);
    size_t cap = 0;
    int more;
    *out = NULL;
    *n = 0;
    *bad = 0;
    while ((more = axle_cursor_next(c)) == 1) {
        if (axle_cursor_is_null(c))
            continue;
        size_t len;
        const char *s = axle_cursor_bytes(c, &len);
        char text[64];
        unsigned w, h;
        snprintf(text, sizeof text, "%.*s", (int)(len < 63 ? len : 63), s);
        if (sscanf(text, " [ %u , %u ]", &w, &h) != 2) {
            (*bad)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct shape *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                axle_cursor_close(c);
                return axle_error(job, AXLE_ENOMEM, "out of memory");
            }
            *out = grown;
        }
        (*out)[(*n)++] = (struct shape){w, h, 1};
    }
    if (more < 0)
        more = axle_error(job, AXLE_EIO, "%s", axle_cursor_error(c));
    axle_cursor_close(c);
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

static char *
to_json(const struct shape *v, size_t n)
{
    char *json = malloc(n * 48 + 3), *p = json;
    if (!json)
        return NULL;
    *p++ = '{';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s\"%ux%u\": %" PRIu64, i ? ", " : "", v[i].w, v[i].h,
                     v[i].count);
    strcpy(p, "}");
    return json;
}

int
synthesis(axle_job *job)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    if (!src)
        return axle_error(job, AXLE_EINVAL, "no source dataset: %s", axle_errmsg(job));
    if (axle_dataset_column_type(src, "shape") != AXLE_JSON)
        return axle_error(job, AXLE_EINVAL, "source %s has no json column 'shape'",
                          axle_dataset_path(src));
    struct shape *v;
    size_t n;
    uint64_t bad;
    int rc = read_shapes(job, src, &v, &n, &bad);
    if (rc != AXLE_OK)
        return rc;
    uint64_t total = n;
    n = histogram(v, n);
    if (bad)
        axle_log(job, "%" PRIu64 " shape values were not [w, h] and were left out", bad);
    print_table(v, n, total);
    char *json = to_json(v, n);
    rc = json ? axle_set_result_json(job, json) : axle_error(job, AXLE_ENOMEM, "out of memory");
    free(json);
    free(v);
    return rc;
}
