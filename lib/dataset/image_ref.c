/* image_ref.c - reading an image that a dataset holds by reference.
 *
 * import_images records each photo by absolute path, size and
 * modification time (ns) instead of copying its bytes.  Reading such a
 * cell opens the file, checks on the open descriptor that it is the file
 * recorded (regular, same size, same mtime), reads it whole and checks
 * again, so that a photo edited, replaced or deleted since the import
 * (even while it is read) is an error naming it and the import job,
 * never other pixels.  read(2), not mmap: a photo truncated while mapped
 * would kill the reader with SIGBUS.  Not noticed, as for every check by
 * stat: a file rewritten keeping its size and mtime. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t
get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

void
ds_ref_fields(const uint8_t *cell, size_t len, const char **path, size_t *pathlen,
              uint64_t *size, int64_t *mtime_ns)
{
    const uint8_t *fixed = cell + DS_IMAGE_HEADER;
    *size = get_le64(fixed);
    *mtime_ns = (int64_t)get_le64(fixed + 8);
    *path = (const char *)fixed + DS_IMAGE_REF_FIXED;
    *pathlen = len - DS_IMAGE_HEADER - DS_IMAGE_REF_FIXED;
}

/* "axle-work-1" of the column folder ".../axle-work-1/ds/default". */
static void
job_of(const char *coldir, char *out, size_t outlen)
{
    const char *end = coldir + strlen(coldir), *p = end;
    int slashes = 0;
    while (p > coldir && slashes < 2)
        if (*--p == '/')
            slashes++;
    const char *start = p;
    while (start > coldir && start[-1] != '/')
        start--;
    snprintf(out, outlen, "%.*s", (int)(p - start), start);
}

struct ref {
    struct ds_ref_reader *r;
    char path[4096];
    char job[256];
};

static int
stale(struct ref *f, const char *fmt, ...) AXLE_PRINTF(2, 3);

/* "PATH: WHAT since import JOB: run the pipeline again" */
static int
stale(struct ref *f, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *shown = axle_internal_escape(f->path);
    /* A name of up to 4 KiB escaped may not fit: cut the message, not fail. */
    int n = snprintf(f->r->err, sizeof f->r->err, "%.3800s: ", shown ? shown : f->path);
    free(shown);
    if (n > 0 && (size_t)n < sizeof f->r->err)
        snprintf(f->r->err + n, sizeof f->r->err - (size_t)n,
                 "%.512s: run the pipeline again", what);
    return AXLE_ESTALE;
}

static int64_t
mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* The open file against what the import recorded. */
static int
check_same(struct ref *f, const struct stat *st, uint64_t size, int64_t mtime)
{
    if (!S_ISREG(st->st_mode))
        return stale(f, "no longer a regular file since import %s", f->job);
    if ((uint64_t)st->st_size != size)
        return stale(f, "changed since import %s (%" PRIu64 " bytes then, %lld now)",
                     f->job, size, (long long)st->st_size);
    if (mtime_ns(st) != mtime)
        return stale(f, "changed since import %s (modified after it was imported)",
                     f->job);
    return AXLE_OK;
}

static int
read_all(int fd, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : 1; /* 1: ended early */
        got += (size_t)n;
    }
    return 0;
}

static int
load_open(struct ref *f, int fd, uint64_t size, int64_t mtime)
{
    struct ds_ref_reader *r = f->r;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(r->err, sizeof r->err, "%s: cannot look at it: %s", f->path,
                 strerror(errno));
        return AXLE_EIO;
    }
    int rc = check_same(f, &st, size, mtime);
    if (rc != AXLE_OK)
        return rc;
    if (size > SIZE_MAX / 2) {
        snprintf(r->err, sizeof r->err, "%s: too large to read", f->path);
        return AXLE_ETOOBIG;
    }
    if (size > r->cap) {
        uint8_t *b = realloc(r->buf, (size_t)size);
        if (!b) {
            snprintf(r->err, sizeof r->err, "%s: out of memory for %" PRIu64 " bytes",
                     f->path, size);
            return AXLE_ENOMEM;
        }
        r->buf = b;
        r->cap = (size_t)size;
    }
    int e = read_all(fd, r->buf, (size_t)size);
    if (e < 0) {
        snprintf(r->err, sizeof r->err, "%s: cannot read: %s", f->path, strerror(-e));
        return AXLE_EIO;
    }
    /* Changed while read: shorter than it said, or stat differs now. */
    if (e > 0 || fstat(fd, &st) != 0 || (uint64_t)st.st_size != size ||
        mtime_ns(&st) != mtime)
        return stale(f, "changed since import %s (while being read)", f->job);
    return AXLE_OK;
}

/* Opens the photo a reference cell names, recording in *f its path and
 * the import job (for the messages) and in *size, *mtime what the import
 * saw: *fd, or an error (missing: AXLE_ESTALE) with r->err set. */
static int
open_ref(struct ds_ref_reader *r, const uint8_t *cell, size_t len, const char *coldir,
         struct ref *f, int *fd, uint64_t *size, int64_t *mtime)
{
    const char *path;
    size_t pathlen;
    ds_ref_fields(cell, len, &path, &pathlen, size, mtime);
    snprintf(f->path, sizeof f->path, "%.*s", (int)pathlen, path);
    job_of(coldir, f->job, sizeof f->job);
    r->err[0] = '\0';
    /* O_NONBLOCK: a FIFO put in the photo's place must not hang us. */
    *fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd >= 0)
        return AXLE_OK;
    if (errno == ENOENT || errno == ENOTDIR)
        return stale(f, "missing since import %s", f->job);
    snprintf(r->err, sizeof r->err, "%s: cannot open: %s", f->path, strerror(errno));
    return AXLE_EIO;
}

int
ds_ref_load(struct ds_ref_reader *r, const uint8_t *cell, size_t len, const char *coldir,
            axle_image *out)
{
    struct ref f = {.r = r};
    uint64_t size;
    int64_t mtime;
    int fd;
    int rc = open_ref(r, cell, len, coldir, &f, &fd, &size, &mtime);
    if (rc != AXLE_OK)
        return rc;
    rc = load_open(&f, fd, size, mtime);
    close(fd);
    if (rc != AXLE_OK)
        return rc;
    out->codec = (axle_codec)(cell[0] & ~DS_IMAGE_REF);
    out->channels = cell[1];
    out->orientation = cell[2];
    out->width = ds_le32(cell + 4);
    out->height = ds_le32(cell + 8);
    out->data = r->buf;
    out->size = (size_t)size;
    return AXLE_OK;
}

/* ---- EXIF from the headers only (axle_cursor_image_exif, issue 13) ---- */

/* What is read in one go before the EXIF walk asks for more: the headers
 * of nearly every JPEG, PNG and HEIF, one read. */
#define EXIF_HEAD (64u << 10)

static int
pread_at(void *ctx, uint64_t off, void *buf, size_t len)
{
    int fd = *(const int *)ctx;
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, (uint8_t *)buf + got, len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return AXLE_EIO;
        got += (size_t)n;
    }
    return AXLE_OK;
}

/* ds_ref_load's checks, then the EXIF through its headers. */
static int
exif_open(struct ref *f, int fd, uint64_t size, int64_t mtime, void **exif, size_t *len)
{
    struct ds_ref_reader *r = f->r;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(r->err, sizeof r->err, "%s: cannot look at it: %s", f->path,
                 strerror(errno));
        return AXLE_EIO;
    }
    int rc = check_same(f, &st, size, mtime);
    if (rc != AXLE_OK)
        return rc;
    size_t head = size < EXIF_HEAD ? (size_t)size : EXIF_HEAD;
    if (head > r->cap) {
        uint8_t *b = realloc(r->buf, head);
        if (!b) {
            snprintf(r->err, sizeof r->err, "%s: out of memory", f->path);
            return AXLE_ENOMEM;
        }
        r->buf = b;
        r->cap = head;
    }
    if (pread_at(&fd, 0, r->buf, head) != AXLE_OK)
        return stale(f, "changed since import %s (while being read)", f->job);
    char err[256];
    rc = axle_image_exif_for_export_at(r->buf, head, size, pread_at, &fd, exif, len, err,
                                       sizeof err);
    if (rc != AXLE_OK)
        snprintf(r->err, sizeof r->err, "%s: %s", f->path, err);
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != size || mtime_ns(&st) != mtime) {
        free(*exif);
        *exif = NULL;
        *len = 0;
        return stale(f, "changed since import %s (while being read)", f->job);
    }
    return rc;
}

int
ds_ref_exif(struct ds_ref_reader *r, const uint8_t *cell, size_t len, const char *coldir,
            void **exif, size_t *exif_len)
{
    struct ref f = {.r = r};
    uint64_t size;
    int64_t mtime;
    int fd;
    int rc = open_ref(r, cell, len, coldir, &f, &fd, &size, &mtime);
    if (rc != AXLE_OK)
        return rc;
    rc = exif_open(&f, fd, size, mtime, exif, exif_len);
    close(fd);
    return rc;
}
