/* export_format.h - what export_images writes: the format, the encoder's
 * options, and the metadata each file carries. */
#ifndef EXPORT_FORMAT_H
#define EXPORT_FORMAT_H

#include <stdbool.h>

#include "axle/axle.h"

/* The options of this section, for the method's option table. */
#define EXPORT_FORMAT_OPTIONS                                                           \
    AXLE_OPTION_ENUM("format", "jpeg", "jpeg|webp|png|avif", "file format written"),   \
    AXLE_OPTION_INT("quality", "85", 1, 100, "encoder quality, 1-100 (png: lossless)"), \
    AXLE_OPTION_BOOL("progressive", "false", "jpeg: progressive scans"),               \
    AXLE_OPTION_ENUM("subsampling", "auto", "auto|420|444",                             \
                     "jpeg and avif chroma: 4:2:0, 4:4:4, or auto (4:4:4 from "         \
                     "quality 90)"),                                                    \
    AXLE_OPTION_ENUM("metadata", "strip", "strip|keep",                                 \
                     "keep: the photo's EXIF (without its thumbnail, orientation 1) "   \
                     "from the source's 'image' column")

struct export_format {
    axle_codec codec;
    const char *ext;          /* ".jpg", ".webp", ".png", ".avif" */
    axle_encode_options enc;  /* quality, progressive, subsampling */
    bool keep_metadata;       /* metadata: keep */
};

/* The options read into *f.  In prepare, with `src` the source dataset,
 * also checked: an option the format has no use for, a format this
 * libaxle cannot write, `metadata: keep` without an `image` column are
 * errors naming the option (src NULL: read only). */
int export_format_read(axle_job *job, axle_dataset *src, struct export_format *f);

/* A stored cell passes through untouched only when re-encoding it would
 * aim at the same bitstream (axle_image_encoded_as: same codec, quality
 * (`quality`, the cell's recorded one), scans and chroma, upright) and
 * there is no EXIF to add.  A cell the thumbnailer stored with `store:
 * FORMAT` and export's options is then the file a re-encode writes. */
bool export_format_passes(const struct export_format *f, int quality, const axle_image *img);

/* The metadata of one file: *o is f->enc plus the ICC profile the cell
 * carries (when it fits `channels`) and, with metadata: keep, the EXIF of
 * the row's photo (`exif`, as axle_cursor_image_exif gives it; NULL when
 * it has none).  What it allocates is freed by export_format_done.  A profile or EXIF that
 * cannot be copied is left out with a warning naming `name`. */
void export_format_row(axle_job *job, const struct export_format *f, const axle_image *cell,
                       uint32_t channels, const void *exif, size_t exif_len, const char *name,
                       axle_encode_options *o);
void export_format_done(axle_encode_options *o);

#endif
