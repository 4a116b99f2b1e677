/* dataset_put.c - setting the cells of a row and ending it (or nulling
 * what is left of it).
 *
 * Fixed-width values (int64, float64, bool) are staged in the column and
 * appended at axle_writer_end_row, so a short row leaves nothing behind.
 * Variable-width values go straight into the column's 1 MiB buffer (big
 * ones straight to the file) so a 20 MB blob is copied at most once; a
 * short row rolls them back by offset.  No syscall per value: a column
 * reaches the disk a buffer at a time. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <errno.h>
#include <string.h>

static int
type_error(axle_writer *w, const struct ds_wcol *c, axle_type want)
{
    return axle_error(w->job, AXLE_EINVAL, "dataset '%s': column '%s' is %s, not %s",
                      w->name, c->name, axle_type_name(c->type),
                      axle_type_name(want));
}

/* cell() when its quick checks failed: the same checks, with messages. */
static __attribute__((noinline)) struct ds_wcol *
cell_slow(axle_writer *w, int col, axle_type want, int *rc)
{
    if (col < 0 || col >= w->ncols) {
        *rc = axle_error(w->job, AXLE_EINVAL,
                         "dataset '%s': unknown column index %d (it has %d columns)",
                         w->name, col, w->ncols);
        return NULL;
    }
    struct ds_wcol *c = &w->cols[col];
    if (want && c->type != want) {
        *rc = type_error(w, c, want);
        return NULL;
    }
    if (!ds_writer_part_ready(w) && (*rc = ds_writer_ensure_part(w)) < 0)
        return NULL;
    if (c->set) {
        *rc = axle_error(w->job, AXLE_EINVAL,
                         "dataset '%s': column '%s' set twice in row %lld",
                         w->name, c->name, (long long)w->rows);
        return NULL;
    }
    w->started = true;
    return c;
}

/* The column `col` ready to take a value of type `want` (0: any). */
static inline struct ds_wcol *
cell(axle_writer *w, int col, axle_type want, int *rc)
{
    if (col >= 0 && col < w->ncols) {
        struct ds_wcol *c = &w->cols[col];
        if ((!want || c->type == want) && !c->set && ds_writer_part_ready(w)) {
            w->started = true;
            return c;
        }
    }
    return cell_slow(w, col, want, rc);
}

static int
stage_fixed(axle_writer *w, int col, axle_type t, union ds_fixed v)
{
    int rc;
    struct ds_wcol *c = cell(w, col, t, &rc);
    if (!c)
        return rc;
    c->v = v;
    c->null = false;
    c->set = true;
    w->nset++;
    return AXLE_OK;
}

int
axle_put_int64(axle_writer *w, int col, int64_t v)
{
    return stage_fixed(w, col, AXLE_INT64, (union ds_fixed){.i = v});
}

int
axle_put_float64(axle_writer *w, int col, double v)
{
    return stage_fixed(w, col, AXLE_FLOAT64, (union ds_fixed){.f = v});
}

int
axle_put_bool(axle_writer *w, int col, bool v)
{
    return stage_fixed(w, col, AXLE_BOOL, (union ds_fixed){.b = v ? 1 : 0});
}

/* Appends one variable-width cell: varint(n), then head, then data. */
static int
append_var(axle_writer *w, struct ds_wcol *c, uint64_t n, const void *head,
           size_t headlen, const void *data, size_t len)
{
    int rc;
    if (DS_WRITE_BUFFER - c->len < 10 + DS_IMAGE_HEADER + DS_IMAGE_REF_FIXED &&
        (rc = ds_writer_flush(w, c)) < 0)
        return rc;
    c->len += ds_varint_put(c->buf + c->len, n);
    if (headlen)
        memcpy(c->buf + c->len, head, headlen);
    c->len += headlen;
    if (len > DS_WRITE_BUFFER - c->len) {
        if ((rc = ds_writer_flush(w, c)) < 0)
            return rc;
        if (len >= DS_WRITE_BUFFER / 2) { /* big: no copy at all */
            if (ds_write_all(c->fd, data, len) < 0) {
                w->failed = true;
                return axle_error(w->job, AXLE_EIO, "%s/%s.%d: %s", w->dir,
                                  c->file, w->target, strerror(errno));
            }
            c->flushed += len;
            len = 0;
        }
    }
    if (len)
        memcpy(c->buf + c->len, data, len);
    c->len += len;
    return AXLE_OK;
}

static int
put_var(axle_writer *w, int col, axle_type t, const void *head, size_t headlen,
        const void *p, size_t len)
{
    int rc;
    struct ds_wcol *c = cell(w, col, t, &rc);
    if (!c)
        return rc;
    c->row_start = c->flushed + c->len;
    rc = append_var(w, c, (uint64_t)headlen + len + 1, head, headlen, p, len);
    if (rc < 0)
        return rc;
    c->set = true;
    w->nset++;
    return AXLE_OK;
}

int
axle_put_string(axle_writer *w, int col, const char *s, size_t len)
{
    if (!s && len)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': NULL string with "
                          "length %zu (use axle_put_null)", w->name, len);
    if (!ds_utf8_valid(s ? s : "", len)) {
        const char *name = col >= 0 && col < w->ncols ? w->cols[col].name : "?";
        return axle_error(w->job, AXLE_EINVAL,
                          "dataset '%s': column '%s': string is not valid UTF-8 "
                          "(use a bytes column for binary data)", w->name, name);
    }
    return put_var(w, col, AXLE_STRING, NULL, 0, s ? s : "", len);
}

int
axle_put_bytes(axle_writer *w, int col, const void *p, size_t len)
{
    if (!p && len)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': NULL data with "
                          "length %zu (use axle_put_null)", w->name, len);
    return put_var(w, col, AXLE_BYTES, NULL, 0, p ? p : "", len);
}

int
axle_put_json(axle_writer *w, int col, const char *json)
{
    if (!json)
        return axle_error(w->job, AXLE_EINVAL, "dataset '%s': NULL JSON text "
                          "(use axle_put_null)", w->name);
    size_t len = strlen(json);
    json_error_t jerr;
    json_t *v = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
    if (!v) {
        const char *name = col >= 0 && col < w->ncols ? w->cols[col].name : "?";
        return axle_error(w->job, AXLE_EINVAL,
                          "dataset '%s': column '%s': not JSON: %s (at character %d)",
                          w->name, name, jerr.text, jerr.position);
    }
    json_decref(v);
    return put_var(w, col, AXLE_JSON, NULL, 0, json, len);
}

static int
image_error(axle_writer *w, int col, const char *why)
{
    const char *name = col >= 0 && col < w->ncols ? w->cols[col].name : "?";
    return axle_error(w->job, AXLE_EINVAL, "dataset '%s': column '%s': image %s",
                      w->name, name, why);
}

/* The checks every image cell passes, then its cell: the header with
 * `flags` on the codec byte and `quality`, `fixed` (nfixed bytes) after
 * it, then `data`. */
static int
put_image_cell(axle_writer *w, int col, const axle_image *img, uint8_t flags,
               uint8_t quality, const uint8_t *fixed, size_t nfixed, const void *data,
               size_t len)
{
    if (!img)
        return image_error(w, col, "is NULL (use axle_put_null)");
    if (img->codec < AXLE_CODEC_JPEG || img->codec > AXLE_CODEC_LAST)
        return image_error(w, col, "has no known codec");
    if (img->channels < 1 || img->channels > 4)
        return image_error(w, col, "has not 1 to 4 channels");
    if (img->orientation > 8)
        return image_error(w, col, "orientation is not EXIF 1-8");
    if (!(flags & DS_IMAGE_REF) && !img->data && img->size)
        return image_error(w, col, "data is NULL");
    uint64_t raw_size;
    if (img->codec == AXLE_CODEC_RAW &&
        (__builtin_mul_overflow((uint64_t)img->width * img->height, img->channels,
                                &raw_size) ||
         raw_size != img->size))
        return image_error(w, col, "is raw but size is not width*height*channels");
    uint8_t h[DS_IMAGE_HEADER + DS_IMAGE_REF_FIXED] = {
        (uint8_t)(img->codec | flags), img->channels,
        img->orientation ? img->orientation : 1, quality,
        (uint8_t)img->width, (uint8_t)(img->width >> 8),
        (uint8_t)(img->width >> 16), (uint8_t)(img->width >> 24),
        (uint8_t)img->height, (uint8_t)(img->height >> 8),
        (uint8_t)(img->height >> 16), (uint8_t)(img->height >> 24)};
    if (nfixed)
        memcpy(h + DS_IMAGE_HEADER, fixed, nfixed);
    return put_var(w, col, AXLE_IMAGE, h, DS_IMAGE_HEADER + nfixed, data ? data : "", len);
}

int
axle_put_image(axle_writer *w, int col, const axle_image *img)
{
    return put_image_cell(w, col, img, 0, 0, NULL, 0, img ? img->data : NULL,
                          img ? img->size : 0);
}

int
axle_put_image_quality(axle_writer *w, int col, const axle_image *img, int quality)
{
    if ((quality < 1 || quality > 100) && quality != AXLE_QUALITY_LOSSLESS)
        return image_error(w, col, "quality is not 1-100 or AXLE_QUALITY_LOSSLESS");
    if (img && img->codec == AXLE_CODEC_RAW)
        return image_error(w, col, "is raw pixels, which have no quality");
    return put_image_cell(w, col, img, 0, (uint8_t)quality, NULL, 0,
                          img ? img->data : NULL, img ? img->size : 0);
}

/* v as 8 little-endian bytes at p. */
static void
le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int
axle_put_image_ref(axle_writer *w, int col, const axle_image *img, const char *path,
                   uint64_t size, int64_t mtime_ns)
{
    if (!path || path[0] != '/')
        return image_error(w, col, "reference needs an absolute path");
    if (img && (img->codec == AXLE_CODEC_RAW || img->codec == AXLE_CODEC_NONE))
        return image_error(w, col, "reference must name an encoded file (JPEG, WebP)");
    uint8_t fixed[DS_IMAGE_REF_FIXED];
    le64(fixed, size);
    le64(fixed + 8, (uint64_t)mtime_ns);
    return put_image_cell(w, col, img, DS_IMAGE_REF, 0, fixed, sizeof fixed, path,
                          strlen(path));
}

int
axle_put_null(axle_writer *w, int col)
{
    int rc;
    struct ds_wcol *c = cell(w, col, 0, &rc);
    if (!c)
        return rc;
    if (c->width) {
        c->v.i = 0;
        c->null = true;
    } else {
        c->row_start = c->flushed + c->len;
        if ((rc = append_var(w, c, 0, NULL, 0, NULL, 0)) < 0)
            return rc;
        c->null = true;
    }
    c->set = true;
    w->nset++;
    return AXLE_OK;
}

/* ---- ending the row ---- */

static int
mark_null(axle_writer *w, struct ds_wcol *c)
{
    size_t need = (size_t)w->rows / 8 + 1;
    if (need > c->bitmap_cap) {
        size_t cap = c->bitmap_cap ? c->bitmap_cap : 4096;
        while (cap < need)
            cap *= 2;
        uint8_t *nb = realloc(c->bitmap, cap);
        if (!nb)
            return axle_error(w->job, AXLE_ENOMEM, "out of memory");
        memset(nb + c->bitmap_cap, 0, cap - c->bitmap_cap);
        c->bitmap = nb;
        c->bitmap_cap = cap;
    }
    c->bitmap[w->rows / 8] |= (uint8_t)(1u << (w->rows % 8));
    c->nulls++;
    return AXLE_OK;
}

static inline void
update_minmax(struct ds_wcol *c)
{
    union ds_fixed v = c->v;
    if (c->type == AXLE_FLOAT64 && v.f != v.f)
        return; /* NaN has no place in an order */
    if (__builtin_expect(!c->have_minmax, 0)) {
        c->min = c->max = v;
        c->have_minmax = true;
        return;
    }
    switch (c->type) {
    case AXLE_INT64:
        if (v.i < c->min.i) c->min.i = v.i;
        if (v.i > c->max.i) c->max.i = v.i;
        break;
    case AXLE_FLOAT64:
        if (v.f < c->min.f) c->min.f = v.f;
        if (v.f > c->max.f) c->max.f = v.f;
        break;
    default:
        if (v.b < c->min.b) c->min.b = v.b;
        if (v.b > c->max.b) c->max.b = v.b;
        break;
    }
}

static inline int
append_fixed(axle_writer *w, struct ds_wcol *c)
{
    int rc;
    if (DS_WRITE_BUFFER - c->len < 8 && (rc = ds_writer_flush(w, c)) < 0)
        return rc;
    if (c->null) {
        if ((rc = mark_null(w, c)) < 0)
            return rc;
    } else {
        update_minmax(c);
    }
    if (c->width == 8)
        memcpy(c->buf + c->len, &c->v, 8);
    else
        c->buf[c->len] = c->v.b;
    c->len += (size_t)c->width;
    return AXLE_OK;
}

int
axle_writer_end_row(axle_writer *w)
{
    int rc;
    if (!ds_writer_part_ready(w) && (rc = ds_writer_ensure_part(w)) < 0)
        return rc;
    if (w->nset < w->ncols) {
        const char *missing = "?";
        for (int i = 0; i < w->ncols; i++)
            if (!w->cols[i].set) {
                missing = w->cols[i].name;
                break;
            }
        rc = axle_error(w->job, AXLE_EINVAL,
                        "dataset '%s': row %lld is short: column '%s' not set "
                        "(use axle_put_null for a missing value)",
                        w->name, (long long)w->rows, missing);
        ds_writer_rollback_row(w);
        return rc;
    }
    for (int i = 0; i < w->ncols; i++) {
        struct ds_wcol *c = &w->cols[i];
        if (c->width && (rc = append_fixed(w, c)) < 0)
            return rc;
        if (!c->width && c->null) /* var-width nulls are counted, not mapped */
            c->nulls++;
        c->set = c->null = false;
    }
    w->nset = 0;
    w->rows++;
    return AXLE_OK;
}

/* A row that has nothing more to say (an item skipped part way): what is
 * not set yet becomes null, so that a column added to a parent still has
 * one row per parent row. */
int
axle_writer_null_row(axle_writer *w)
{
    if (!w)
        return AXLE_EINVAL; /* no job to put a message on */
    for (int i = 0; i < w->ncols; i++) {
        if (w->cols[i].set)
            continue;
        int rc = axle_put_null(w, i);
        if (rc != AXLE_OK)
            return rc;
    }
    return axle_writer_end_row(w);
}
