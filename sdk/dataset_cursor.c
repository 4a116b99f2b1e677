/* dataset_cursor.c - walking one column, one slice or all of them.
 *
 * Each slice's column file is mapped read-only (MADV_SEQUENTIAL: the
 * kernel reads ahead) and only that column's files are opened.  Stepping
 * to the next row is pointer arithmetic on the mapping: no copy, no
 * allocation, no syscall except between slices. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct axle_cursor {
    axle_dataset *ds;
    const struct ds_column *col;
    int width;            /* 0: variable width */
    int slice, last;      /* current slice, last slice to visit */
    const uint8_t *map;   /* the current slice's file, or NULL */
    size_t maplen;
    const uint8_t *bitmap;/* nulls of a fixed column, or NULL */
    int64_t row, rows;    /* current row in the slice, rows in it */
    size_t pos;           /* variable width: offset of the next cell */
    size_t released;      /* pages before this offset were given back */
    const uint8_t *val;   /* current cell */
    size_t len;
    bool null;
    bool done;
    char path[4096];      /* the current file, for messages */
    char err[4400];
};

static int
fail(axle_cursor *c, const char *why)
{
    snprintf(c->err, sizeof c->err, "%s: %s", c->path, why);
    c->row = c->rows = 0; /* next() takes the slow path, which reports it */
    return -1;
}

static void
unmap(axle_cursor *c)
{
    if (c->map)
        munmap((void *)c->map, c->maplen);
    c->map = c->bitmap = NULL;
    c->maplen = 0;
}

/* Maps slice s of the column; its file must hold exactly what meta says. */
static int
map_slice(axle_cursor *c, int s)
{
    const struct ds_column *col = c->col;
    c->rows = c->ds->rows[s];
    c->row = -1;
    c->pos = 0;
    c->released = 0;
    if (c->rows == 0)
        return 0;
    if (!col->files[s]) {
        snprintf(c->path, sizeof c->path, "%s", col->dir);
        return fail(c, "a slice with rows has no file (damaged meta.json)");
    }
    snprintf(c->path, sizeof c->path, "%s/%s", col->dir, col->files[s]);
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        return fail(c, strerror(errno));
    }
    size_t want = (size_t)c->rows * (size_t)c->width;
    if (c->width && col->nulls[s] > 0)
        want += ((size_t)c->rows + 7) / 8;
    if (c->width && (size_t)st.st_size != want) {
        close(fd);
        return fail(c, "wrong size for its rows (truncated or damaged)");
    }
    if (!c->width && (size_t)st.st_size < (size_t)c->rows) {
        close(fd);
        return fail(c, "too short for its rows (truncated or damaged)");
    }
    c->maplen = (size_t)st.st_size;
    void *m = c->maplen ? mmap(NULL, c->maplen, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (m == MAP_FAILED) {
        c->maplen = 0;
        return fail(c, strerror(errno));
    }
    c->map = m;
    if (m)
        madvise(m, c->maplen, MADV_SEQUENTIAL);
    if (c->width && col->nulls[s] > 0)
        c->bitmap = c->map + (size_t)c->rows * (size_t)c->width;
    return 0;
}

axle_cursor *
axle_cursor_open(axle_dataset *ds, const char *column, int sliceno, char *err,
                 size_t errlen)
{
    const struct ds_column *col = NULL;
    for (int i = 0; i < ds->ncolumns && !col; i++)
        if (column && strcmp(ds->columns[i].name, column) == 0)
            col = &ds->columns[i];
    if (!col || sliceno < -1 || sliceno >= ds->slices) {
        if (!err)
            return NULL;
        if (!col) {
            size_t n = (size_t)snprintf(err, errlen, "dataset %s has no column "
                                        "'%s' (its columns:", ds->path,
                                        column ? column : "(null)");
            for (int i = 0; i < ds->ncolumns && n < errlen; i++)
                n += (size_t)snprintf(err + n, errlen - n, "%s %s", i ? "," : "",
                                      ds->columns[i].name);
            if (n < errlen)
                snprintf(err + n, errlen - n, ")");
        } else {
            snprintf(err, errlen, "dataset %s has no slice %d (it has %d)",
                     ds->path, sliceno, ds->slices);
        }
        return NULL;
    }
    axle_cursor *c = calloc(1, sizeof *c);
    if (!c) {
        if (err)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->ds = ds;
    c->col = col;
    c->width = ds_type_width(col->type);
    c->len = (size_t)c->width;
    c->slice = sliceno < 0 ? 0 : sliceno;
    c->last = sliceno < 0 ? ds->slices - 1 : sliceno;
    c->rows = 0;
    c->row = 0;
    c->slice--; /* next() steps into the first slice */
    return c;
}

/* Gives back the mapped pages wholly behind the current cell, so a walk
 * over gigabytes of images keeps a flat resident size: the borrowed cell
 * stays valid, earlier ones (documented as invalid by now) are dropped. */
#define RELEASE_STEP ((size_t)4 << 20)

static void
release_behind(axle_cursor *c, size_t upto)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t end = upto / page * page;
    if (end < c->released + RELEASE_STEP)
        return;
    madvise((void *)(c->map + c->released), end - c->released, MADV_DONTNEED);
    c->released = end;
}

static int
next_var(axle_cursor *c)
{
    uint64_t n;
    release_behind(c, c->pos);
    size_t used = ds_varint_get(c->map + c->pos, c->maplen - c->pos, &n);
    if (!used || (n && n - 1 > c->maplen - c->pos - used))
        return fail(c, "damaged: a cell runs past the end of the file");
    c->pos += used;
    c->null = n == 0;
    c->val = c->map + c->pos;
    c->len = n ? (size_t)(n - 1) : 0;
    c->pos += c->len;
    return 1;
}

int
axle_cursor_next(axle_cursor *c)
{
    if (c->row + 1 < c->rows) { /* the common case: a row in this slice */
        c->row++;
        if (!c->width)
            return next_var(c);
        c->val = c->map + (size_t)c->row * (size_t)c->width;
        c->null = c->bitmap && (c->bitmap[c->row / 8] >> (c->row % 8)) & 1;
        return 1;
    }
    if (c->err[0])
        return -1;
    while (c->row + 1 >= c->rows) {
        if (!c->width && c->map && c->pos != c->maplen)
            return fail(c, "damaged: more data than its rows");
        if (c->done || c->slice >= c->last) {
            c->done = true;
            unmap(c);
            return 0;
        }
        unmap(c);
        if (map_slice(c, ++c->slice) < 0)
            return -1;
    }
    c->row++;
    if (!c->width)
        return next_var(c);
    c->val = c->map + (size_t)c->row * (size_t)c->width;
    c->len = (size_t)c->width;
    c->null = c->bitmap && (c->bitmap[c->row / 8] >> (c->row % 8)) & 1;
    return 1;
}

const char *
axle_cursor_error(const axle_cursor *c)
{
    return c->err;
}

bool
axle_cursor_is_null(const axle_cursor *c)
{
    return c->null;
}

int64_t
axle_cursor_int64(const axle_cursor *c)
{
    int64_t v = 0;
    if (c->col->type == AXLE_INT64 && c->val)
        memcpy(&v, c->val, 8);
    return v;
}

double
axle_cursor_float64(const axle_cursor *c)
{
    double v = 0;
    if (c->col->type == AXLE_FLOAT64 && c->val)
        memcpy(&v, c->val, 8);
    return v;
}

bool
axle_cursor_bool(const axle_cursor *c)
{
    return c->col->type == AXLE_BOOL && c->val && c->val[0];
}

const void *
axle_cursor_bytes(const axle_cursor *c, size_t *len)
{
    if (c->null || c->width || !c->val) {
        if (len)
            *len = 0;
        return NULL;
    }
    size_t skip = c->col->type == AXLE_IMAGE ? DS_IMAGE_HEADER : 0;
    if (len)
        *len = c->len >= skip ? c->len - skip : 0;
    return c->val + skip;
}

int
axle_cursor_image(const axle_cursor *c, axle_image *out)
{
    memset(out, 0, sizeof *out);
    if (c->col->type != AXLE_IMAGE || c->null || !c->val ||
        c->len < DS_IMAGE_HEADER)
        return AXLE_EINVAL;
    const uint8_t *h = c->val;
    out->codec = (axle_codec)h[0];
    out->channels = h[1];
    out->orientation = h[2];
    out->width = (uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 |
                 (uint32_t)h[7] << 24;
    out->height = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 |
                  (uint32_t)h[11] << 24;
    out->data = h + DS_IMAGE_HEADER;
    out->size = c->len - DS_IMAGE_HEADER;
    return AXLE_OK;
}

int
axle_cursor_slice(const axle_cursor *c)
{
    return c->slice;
}

void
axle_cursor_close(axle_cursor *c)
{
    if (!c)
        return;
    unmap(c);
    free(c);
}
