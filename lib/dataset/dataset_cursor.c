/* dataset_cursor.c - walking one column, one slice or all of them.
 *
 * Each slice's column file is mapped read-only (MADV_SEQUENTIAL: the
 * kernel reads ahead) and only that column's files are opened.  Stepping
 * to the next row is pointer arithmetic on the mapping: no copy, no
 * allocation, no syscall but a stat() per MiB read (see CHECK_STEP).
 *
 * Nothing in the file is trusted: its size must fit the rows meta.json
 * gives, every cell must fit in what is left of the file, and an image
 * cell's header must match its bytes, before the caller sees the cell.
 * What does not is an error naming the file and the offset. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
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
    dev_t dev;            /* the current slice's file, to check its size */
    ino_t ino;
    const uint8_t *map;   /* the current slice's file, or NULL */
    size_t maplen;
    const uint8_t *bitmap;/* nulls of a fixed column, or NULL */
    int64_t row, rows;    /* current row in the slice, rows in it */
    size_t pos;           /* variable width: offset of the next cell */
    size_t released;      /* pages before this offset were given back */
    size_t checked;       /* the file's size was last checked here */
    const uint8_t *val;   /* current cell */
    size_t len;
    bool null;
    bool done;
    char path[4096];      /* the current file, for messages */
    char err[4400];
    struct ds_ref_reader *ref; /* image columns: reads reference cells */
};

static int
fail(axle_cursor *c, const char *fmt, ...) AXLE_PRINTF(2, 3);

static int
fail(axle_cursor *c, const char *fmt, ...)
{
    int n = snprintf(c->err, sizeof c->err, "%s: ", c->path);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof c->err)
        vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
    va_end(ap);
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

/* Reading a mapped page past the end of a file that shrank raises SIGBUS.
 * Files of a finished job never change, but a user may truncate one (or
 * a disk may lose it): the size is checked again every CHECK_STEP bytes
 * read, so such a file ends the walk with a message.  The window left is
 * a truncation during the reading of those CHECK_STEP bytes.  The check
 * goes by path, so no descriptor stays open: a file replaced under that
 * path (another inode) leaves the mapped one intact. */
#define CHECK_STEP ((size_t)1 << 20)

static int
check_size(axle_cursor *c, size_t at)
{
    struct stat st;
    c->checked = at;
    if (stat(c->path, &st) < 0 || st.st_dev != c->dev || st.st_ino != c->ino)
        return 0;
    if ((uint64_t)st.st_size < c->maplen)
        return fail(c, "shrank from %zu to %lld bytes while being read "
                    "(truncated by someone else?)", c->maplen,
                    (long long)st.st_size);
    return 0;
}

/* The bytes slice s's file must hold for its rows, or why it cannot. */
static int
check_length(axle_cursor *c, int s, uint64_t size)
{
    uint64_t rows = (uint64_t)c->rows;
    const char *type = axle_type_name(c->col->type);
    if (!c->width) {
        if (size < rows) /* every cell takes at least one byte */
            return fail(c, "holds %" PRIu64 " bytes, too few for its %" PRIu64
                        " rows of %s (truncated or damaged)", size, rows, type);
        return 0;
    }
    uint64_t bitmap = c->col->nulls[s] > 0 ? rows / 8 + (rows % 8 != 0) : 0;
    if (rows > size / (uint64_t)c->width ||
        rows * (uint64_t)c->width + bitmap != size)
        return fail(c, "holds %" PRIu64 " bytes, but its %" PRIu64 " rows of %s"
                    "%s need %s (truncated or damaged)", size, rows, type,
                    bitmap ? " with nulls" : "",
                    rows > size / (uint64_t)c->width ? "more" : "another size");
    return 0;
}

/* Maps slice s of the column; its file must hold exactly what meta says. */
static int
map_slice(axle_cursor *c, int s)
{
    const struct ds_column *col = c->col;
    c->rows = c->ds->rows[s];
    c->row = -1;
    c->pos = c->released = c->checked = 0;
    if (c->rows == 0)
        return 0;
    snprintf(c->path, sizeof c->path, "%s/%s", col->dir, col->files[s]);
    /* O_NONBLOCK: a FIFO planted in place of a column must not hang us. */
    int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fail(c, "%s", strerror(e));
    }
    if (!S_ISREG(st.st_mode) || check_length(c, s, (uint64_t)st.st_size) < 0) {
        close(fd);
        return S_ISREG(st.st_mode) ? -1 : fail(c, "not a regular file");
    }
    c->dev = st.st_dev;
    c->ino = st.st_ino;
    c->maplen = (size_t)st.st_size;
    void *m = mmap(NULL, c->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        c->maplen = 0;
        return fail(c, "%s", strerror(errno));
    }
    c->map = m;
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
    if (col->type == AXLE_IMAGE && !(c->ref = calloc(1, sizeof *c->ref))) {
        free(c);
        if (err)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
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

/* A reference cell's fixed part and path, checked before anyone opens
 * the path: absolute, no NUL inside, not too long, of an encoded codec. */
static int
check_reference(axle_cursor *c, size_t at)
{
    const uint8_t *h = c->val;
    size_t pathlen = c->len > DS_IMAGE_HEADER + DS_IMAGE_REF_FIXED
        ? c->len - DS_IMAGE_HEADER - DS_IMAGE_REF_FIXED : 0;
    const uint8_t *path = h + DS_IMAGE_HEADER + DS_IMAGE_REF_FIXED;
    if ((h[0] & ~DS_IMAGE_REF) == AXLE_CODEC_RAW)
        return fail(c, "offset %zu: reference image cell of raw pixels", at);
    if (!pathlen || pathlen > DS_REF_PATH_MAX || path[0] != '/' ||
        memchr(path, '\0', pathlen))
        return fail(c, "offset %zu: reference image cell without an absolute path "
                    "(%zu bytes)", at, pathlen);
    return 0;
}

/* An image cell's 12-byte header, checked so that no reader of it goes
 * past the cell: a raw image must hold exactly its pixels, a reference
 * an absolute path. */
static int
check_image(axle_cursor *c, size_t at)
{
    const uint8_t *h = c->val;
    if (c->len < DS_IMAGE_HEADER)
        return fail(c, "offset %zu: image cell of %zu bytes, shorter than its "
                    "%d-byte header", at, c->len, DS_IMAGE_HEADER);
    unsigned codec = h[0] & ~DS_IMAGE_REF;
    if (codec < AXLE_CODEC_JPEG || codec > AXLE_CODEC_LAST)
        return fail(c, "offset %zu: image cell of unknown codec %u", at, h[0]);
    if (h[1] < 1 || h[1] > 4 || h[2] > 8)
        return fail(c, "offset %zu: image cell with %u channels and "
                    "orientation %u (1-4 and EXIF 1-8 expected)", at, h[1], h[2]);
    if (h[3] > 100 && h[3] != DS_QUALITY_LOSSLESS)
        return fail(c, "offset %zu: image cell of quality %u (1-100 or %u expected)",
                    at, h[3], DS_QUALITY_LOSSLESS);
    if (h[0] & DS_IMAGE_REF)
        return check_reference(c, at);
    if (h[0] != AXLE_CODEC_RAW)
        return 0;
    uint64_t w = ds_le32(h + 4), hh = ds_le32(h + 8), held = c->len - DS_IMAGE_HEADER;
    /* w * h fits 64 bits; times channels might not, hence the division. */
    if (w * hh > held / h[1] || w * hh * h[1] != held)
        return fail(c, "offset %zu: raw image cell claims %" PRIu64 "x%" PRIu64
                    "x%u pixels, holds %" PRIu64 " bytes", at, w, hh, h[1], held);
    return 0;
}

static int
next_var(axle_cursor *c)
{
    uint64_t n;
    size_t at = c->pos, left = c->maplen - c->pos;
    release_behind(c, at);
    if (at >= c->checked + CHECK_STEP && check_size(c, at) < 0)
        return -1;
    size_t used = ds_varint_get(c->map + at, left, &n);
    if (!used)
        return fail(c, "offset %zu: damaged cell length (%s)", at,
                    left < 10 ? "the file ends inside it" : "not a varint");
    left -= used;
    if (n && n - 1 > left)
        return fail(c, "offset %zu: cell claims %" PRIu64 " bytes, %zu left", at,
                    n - 1, left);
    c->null = n == 0;
    c->val = c->map + at + used;
    c->len = n ? (size_t)(n - 1) : 0;
    c->pos = at + used + c->len;
    if (c->col->type == AXLE_IMAGE && !c->null && check_image(c, at) < 0)
        return -1;
    return 1;
}

/* Fixed width: the file's size is checked again now and then (see
 * CHECK_STEP). */
static int
next_fixed(axle_cursor *c)
{
    size_t at = (size_t)c->row * (size_t)c->width;
    if (at >= c->checked + CHECK_STEP && check_size(c, at) < 0)
        return -1;
    c->val = c->map + at;
    c->len = (size_t)c->width;
    c->null = c->bitmap && (c->bitmap[c->row / 8] >> (c->row % 8)) & 1;
    return 1;
}

int
axle_cursor_next(axle_cursor *c)
{
    if (c->row + 1 < c->rows) { /* the common case: a row in this slice */
        c->row++;
        return c->width ? next_fixed(c) : next_var(c);
    }
    if (c->err[0])
        return -1;
    while (c->row + 1 >= c->rows) {
        if (!c->width && c->map && c->pos != c->maplen)
            return fail(c, "offset %zu: its %" PRId64 " rows end here, but the "
                        "file holds %zu bytes (damaged)", c->pos, c->rows,
                        c->maplen);
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
    return c->width ? next_fixed(c) : next_var(c);
}

const char *
axle_cursor_error(const axle_cursor *c)
{
    /* The walk's own error first; else why the last image cell failed. */
    return c->err[0] || !c->ref || !c->ref->err[0] ? c->err : c->ref->err;
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
    if (c->ref)
        c->ref->err[0] = '\0';
    if (c->col->type != AXLE_IMAGE || c->null || !c->val ||
        c->len < DS_IMAGE_HEADER)
        return AXLE_EINVAL;
    const uint8_t *h = c->val;
    if (h[0] & DS_IMAGE_REF)
        return ds_ref_load(c->ref, h, c->len, c->col->dir, out);
    out->codec = (axle_codec)h[0];
    out->channels = h[1];
    out->orientation = h[2];
    out->width = ds_le32(h + 4);
    out->height = ds_le32(h + 8);
    out->data = h + DS_IMAGE_HEADER;
    out->size = c->len - DS_IMAGE_HEADER;
    return AXLE_OK;
}

int
axle_cursor_image_exif(const axle_cursor *c, void **exif, size_t *len, char *err,
                       size_t errlen)
{
    if (!exif || !len)
        return AXLE_EINVAL;
    *exif = NULL;
    *len = 0;
    if (err && errlen)
        err[0] = '\0';
    if (c->ref)
        c->ref->err[0] = '\0';
    if (c->col->type != AXLE_IMAGE || c->null || !c->val || c->len < DS_IMAGE_HEADER)
        return AXLE_EINVAL;
    if (!(c->val[0] & DS_IMAGE_REF)) {
        axle_image img;
        int rc = axle_cursor_image(c, &img);
        return rc == AXLE_OK ? axle_image_exif_for_export(&img, exif, len, err, errlen) : rc;
    }
    int rc = ds_ref_exif(c->ref, c->val, c->len, c->col->dir, exif, len);
    if (rc != AXLE_OK && err && errlen)
        snprintf(err, errlen, "%s", c->ref->err);
    return rc;
}

int
axle_cursor_image_quality(const axle_cursor *c)
{
    if (c->col->type != AXLE_IMAGE || c->null || !c->val || c->len < DS_IMAGE_HEADER)
        return 0;
    return c->val[3];
}

const char *
axle_cursor_image_ref(const axle_cursor *c, uint64_t *size, int64_t *mtime_ns)
{
    if (c->col->type != AXLE_IMAGE || c->null || !c->val || c->len < DS_IMAGE_HEADER ||
        !(c->val[0] & DS_IMAGE_REF))
        return NULL;
    const char *path;
    size_t pathlen;
    uint64_t sz;
    int64_t mt;
    ds_ref_fields(c->val, c->len, &path, &pathlen, &sz, &mt);
    memcpy(c->ref->path, path, pathlen); /* checked: < sizeof path */
    c->ref->path[pathlen] = '\0';
    if (size)
        *size = sz;
    if (mtime_ns)
        *mtime_ns = mt;
    return c->ref->path;
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
    if (c->ref)
        free(c->ref->buf);
    free(c->ref);
    free(c);
}
