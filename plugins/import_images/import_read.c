/* import_read.c - reading one input file of import_images.
 *
 * Three rules, each from a way a photo folder hurt a run:
 *   - only regular files are read: the file is opened with O_NONBLOCK (an
 *     open of a FIFO without a writer would wait for one) and checked with
 *     fstat on the open descriptor, so a photo replaced by a FIFO or a
 *     device between the listing and the read is refused, never waited on;
 *   - a file is read whole only once it proved to be an image, and only
 *     for `copy: true` (a reference needs the header alone): the probe
 *     sees the first IMPORT_PROBE_BYTES, more only while it says its
 *     header goes on (a 3 GB video in a camera folder costs 64 KiB);
 *   - a failure is told apart as the environment's (permission, I/O,
 *     limits: worth trying again next run) or the file's own. */
#include "import_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
failed(struct import_failure *why, int code, bool transient, const char *fmt, ...)
    AXLE_PRINTF(4, 5);

static int
failed(struct import_failure *why, int code, bool transient, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->reason, sizeof why->reason, fmt, ap);
    va_end(ap);
    why->transient = transient;
    return code;
}

bool
import_errno_is_transient(int errnum)
{
    switch (errnum) {
    case EACCES: case EPERM:           /* permissions can be fixed */
    case EIO: case ESTALE: case ETIMEDOUT: case EBUSY: case ENOLCK:
    case EMFILE: case ENFILE: case ENOMEM: case ENOBUFS:
    case EAGAIN: case EINTR:
    case ENOENT:                       /* gone since it was listed */
        return true;
    default:
        return false;
    }
}

static const char *
type_name(mode_t mode)
{
    return S_ISFIFO(mode) ? "FIFO" : S_ISSOCK(mode) ? "socket"
         : S_ISCHR(mode) ? "character device" : S_ISBLK(mode) ? "block device"
         : S_ISDIR(mode) ? "folder" : "unknown kind of file";
}

static int
reserve(struct import_buf *b, size_t want)
{
    if (want <= b->cap)
        return 0;
    uint8_t *d = realloc(b->data, want);
    if (!d)
        return -1;
    b->data = d;
    b->cap = want;
    return 0;
}

/* Reads until b holds `upto` bytes: 0 when it does, 1 when the file ended
 * first, -errno on an error. */
static int
read_upto(int fd, struct import_buf *b, size_t upto)
{
    if (reserve(b, upto) != 0)
        return -ENOMEM;
    while (b->len < upto) {
        ssize_t n = read(fd, b->data + b->len, upto - b->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return 1;
        b->len += (size_t)n;
    }
    return 0;
}

/* Reads the rest of the file, which fstat said holds `expected` bytes (it
 * may have grown or shrunk since). */
static int
read_to_end(int fd, struct import_buf *b, size_t expected)
{
    size_t upto = expected + 1; /* one byte more shows where it ends */
    for (;;) {
        if (upto <= b->len)
            upto = 2 * b->len;
        int r = read_upto(fd, b, upto);
        if (r != 0)
            return r < 0 ? r : 0;
        upto *= 2;
    }
}

/* Probes the first IMPORT_PROBE_BYTES, reading on while the probe says the
 * headers go on (AXLE_EMORE: only for a file it recognised, so a video
 * still costs one prefix). */
static int
probe_prefix(int fd, uint64_t file_size, struct import_buf *b, axle_image *img,
             struct import_failure *why)
{
    size_t want = IMPORT_PROBE_BYTES;
    for (;;) {
        int r = read_upto(fd, b, want);
        if (r < 0)
            return failed(why, AXLE_EIO, import_errno_is_transient(-r), "cannot read: %s",
                          strerror(-r));
        /* Ended early, the file is what was read; grown, at least that. */
        uint64_t size = r == 1 || file_size < b->len ? b->len : file_size;
        size_t need = 0;
        int rc = axle_image_probe_prefix(b->data, b->len, size, &need, img, why->reason,
                                         sizeof why->reason);
        if (rc != AXLE_EMORE) {
            why->transient = false;
            return rc;
        }
        want = need > 2 * want ? need : 2 * want;
    }
}

/* pread for axle_image_photo_meta: the bytes of the open file that lie
 * past the header read (a TIFF's EXIF directories, a HEIF's Exif item). */
struct read_at_ctx {
    int fd;
    int errnum; /* the first read error, 0 */
};

static int
read_at(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct read_at_ctx *c = ctx;
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(c->fd, (uint8_t *)buf + got, len - got, (off_t)(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0 && !c->errnum)
                c->errnum = errno;
            return AXLE_EIO; /* an error, or the file shrank */
        }
        got += (size_t)n;
    }
    return AXLE_OK;
}

/* The photo metadata of the probed image; an I/O error on the way is the
 * environment's, and the file is tried again next run. */
static int
read_meta(int fd, uint64_t file_size, const axle_image *img, axle_photo_meta *meta,
          struct import_failure *why)
{
    struct read_at_ctx c = {fd, 0};
    axle_image_photo_meta(img, file_size, read_at, &c, meta);
    if (c.errnum)
        return failed(why, AXLE_EIO, import_errno_is_transient(c.errnum),
                      "cannot read its metadata: %s", strerror(c.errnum));
    return AXLE_OK;
}

/* The open descriptor of `path`: checked, probed, then read whole (or
 * not: a reference needs only the header and the stat). */
static int
read_open_file(int fd, struct import_buf *b, uint64_t max_pixels, bool whole,
               axle_image *img, struct import_stat *out, axle_photo_meta *meta,
               struct import_failure *why)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return failed(why, AXLE_EIO, import_errno_is_transient(errno),
                      "cannot look at it: %s", strerror(errno));
    out->size = (uint64_t)st.st_size;
    out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (!S_ISREG(st.st_mode))
        return failed(why, AXLE_EFORMAT, false, "not a regular file: %s",
                      type_name(st.st_mode));
    int rc = probe_prefix(fd, (uint64_t)st.st_size, b, img, why);
    if (rc != AXLE_OK)
        return rc;
    uint64_t pixels = (uint64_t)img->width * img->height;
    if (max_pixels && pixels > max_pixels)
        return failed(why, AXLE_ETOOBIG, false,
                      "image is %ux%u = %llu pixels, over max_pixels %llu", img->width,
                      img->height, (unsigned long long)pixels,
                      (unsigned long long)max_pixels);
    if (meta && (rc = read_meta(fd, (uint64_t)st.st_size, img, meta, why)) != AXLE_OK)
        return rc;
    if (!whole)
        return AXLE_OK;
    int r = read_to_end(fd, b, (size_t)st.st_size);
    if (r < 0)
        return failed(why, AXLE_EIO, import_errno_is_transient(-r), "cannot read: %s",
                      strerror(-r));
    /* The whole file is what is stored: its probe is the one that counts. */
    rc = axle_image_probe(b->data, b->len, img, why->reason, sizeof why->reason);
    why->transient = false;
    return rc;
}

int
import_read_image(struct import_buf *b, const char *path, uint64_t max_pixels, bool whole,
                  axle_image *img, struct import_stat *st, struct import_failure *why)
{
    return import_read_photo(b, path, max_pixels, whole, img, st, NULL, why);
}

int
import_read_photo(struct import_buf *b, const char *path, uint64_t max_pixels, bool whole,
                  axle_image *img, struct import_stat *st, axle_photo_meta *meta,
                  struct import_failure *why)
{
    b->len = 0;
    why->reason[0] = '\0';
    why->transient = false;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return failed(why, AXLE_EIO, import_errno_is_transient(errno), "cannot open: %s",
                      strerror(errno));
    int rc = read_open_file(fd, b, max_pixels, whole, img, st, meta, why);
    close(fd);
    return rc;
}

void
import_buf_free(struct import_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
