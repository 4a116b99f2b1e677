/* import_read.h - reading one input file of import_images: only regular
 * files, only a bounded header until it proves to be an image. */
#ifndef IMPORT_READ_H
#define IMPORT_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* The first read of every file, and so the most a file that is not an
 * image costs. */
#define IMPORT_PROBE_BYTES (64u * 1024)

/* A buffer reused from file to file. */
struct import_buf {
    uint8_t *data;
    size_t len, cap;
};

/* Why a file gave no image. */
struct import_failure {
    char reason[512];
    bool transient; /* the environment's doing (permission, I/O, limits),
                       not the file's content: worth trying again */
};

/* The file as it was read: what a reference to it records. */
struct import_stat {
    uint64_t size;
    int64_t mtime_ns;
};

/* Reads `path` into b when it is a usable image of at most max_pixels
 * (0: any): AXLE_OK with *img pointing into b and *st filled, or an
 * AXLE_E* code with the reason.  `whole`: the whole file is read (and
 * probed again), else only the header the probe needed (*img's data then
 * is that prefix).  A FIFO, device or socket is refused without being
 * read, so it can never block the import. */
int import_read_image(struct import_buf *b, const char *path, uint64_t max_pixels,
                      bool whole, axle_image *img, struct import_stat *st,
                      struct import_failure *why);

/* import_read_image that also reads the photo metadata (the EXIF and
 * colour profile, axle_image_photo_meta) into *meta when meta is not
 * NULL: from the header read, and where a TIFF or HEIF keeps it further
 * on, only those bytes (pread). */
int import_read_photo(struct import_buf *b, const char *path, uint64_t max_pixels,
                      bool whole, axle_image *img, struct import_stat *st,
                      axle_photo_meta *meta, struct import_failure *why);

/* True for an errno the environment caused: permission, I/O, descriptor
 * or memory limits, a file gone or busy for a moment. */
bool import_errno_is_transient(int errnum);

void import_buf_free(struct import_buf *b);

#endif
