/* thumbnailer_store.h - how the thumbnailer stores a thumbnail column:
 * encoded within 45 dB of its pixels, raw, or already in the format
 * export_images will write (one encode per thumbnail, issue 12). */
#ifndef THUMBNAILER_STORE_H
#define THUMBNAILER_STORE_H

#include <stdbool.h>

#include "axle/axle.h"

/* The options of this section, for the method's option table.  The
 * store_* ones mirror export_images' format options. */
#define THUMB_STORE_OPTIONS                                                               \
    AXLE_OPTION_ENUM("store", "encoded", "encoded|raw|jpeg|webp|png",                      \
                     "thumbnails in the dataset: encoded (JPEG within 45 dB PSNR, else "   \
                     "lossless WebP), raw pixels, or as export_images writes this "        \
                     "format with store_quality, store_subsampling, store_progressive "    \
                     "(then an export with the same options writes them as they are)"),    \
    AXLE_OPTION_INT("store_quality", "85", 1, 100,                                         \
                    "store: jpeg|webp: the encoder quality (export's 'quality'); png "     \
                    "is lossless"),                                                        \
    AXLE_OPTION_ENUM("store_subsampling", "auto", "auto|420|444",                          \
                     "store: jpeg: chroma 4:2:0, 4:4:4, or auto (4:4:4 from quality 90)"), \
    AXLE_OPTION_BOOL("store_progressive", "false", "store: jpeg: progressive scans")

struct thumb_store {
    bool raw;                 /* store: raw */
    axle_codec codec;         /* an export format, or AXLE_CODEC_NONE (encoded, raw) */
    axle_encode_options enc;  /* its quality, progressive, subsampling */
};

/* The options read into *st and checked: an option the store has no use
 * for, a format this libaxle cannot write, are errors naming the option. */
int thumb_store_read(axle_job *job, struct thumb_store *st);

/* A size the store cannot hold any thumbnail of (WebP's 16383 pixels a
 * side): an error naming `option` and the fix.  Before any work. */
int thumb_store_check_size(axle_job *job, const struct thumb_store *st,
                           const axle_geometry *g, const char *option);

/* Whether the store holds each of a photo's `n` thumbnails; else
 * AXLE_ETOOBIG and in `why` the reason, to skip the photo by. */
int thumb_store_fits(const struct thumb_store *st, const axle_pixels *px, size_t n, char *why,
                     size_t whylen);

/* Stores `px` in column `col` of the current row of `out`, carrying the
 * photo's profile `icc` (NULL: none), as *st says; `name` names the row
 * in messages. */
int thumb_store_put(axle_job *job, const struct thumb_store *st, axle_writer *out, int col,
                    const axle_pixels *px, const char *name, const void *icc,
                    size_t icclen);

#endif
