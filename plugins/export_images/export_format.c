/* export_format.c - the format export_images writes and what each file
 * carries besides its pixels.
 *
 * Options that a format has no use for are refused in prepare, naming the
 * option, rather than ignored: a user who asked for progressive PNGs
 * would otherwise believe they had them.  AVIF needs an AV1 encoder in
 * libheif, known only at run time, so it is asked for there too.
 *
 * Colour: a cell that carries an ICC profile (a thumbnail made with
 * `colour: keep`, or a photo exported as it is) was decoded without
 * conversion, so its pixels mean what the profile says: the profile goes
 * into the file whatever `metadata` says, since without it every viewer
 * would show the colours wrong.  With `colour: srgb` thumbnails carry no
 * profile and files get none (sRGB implied).
 *
 * EXIF (`metadata: keep`) is the photo's, from the source's `image`
 * column (import_images' photos, which the thumbnailer's dataset links
 * to), made fit by axle_cursor_image_exif: no IFD1 thumbnail,
 * orientation 1, read from the photo's headers only. */
#include <stdlib.h>
#include <string.h>

#include "export_format.h"

#define PHOTO_COLUMN "image"
#define JPEG_EXIF_MAX 65527 /* one APP1 segment, less "Exif\0\0" */

static const struct {
    axle_codec codec;
    const char *ext;
} formats[] = {/* in the order of option `format`'s choices */
               {AXLE_CODEC_JPEG, ".jpg"},
               {AXLE_CODEC_WEBP, ".webp"},
               {AXLE_CODEC_PNG, ".png"},
               {AXLE_CODEC_AVIF, ".avif"}};

/* The checks of prepare: each names its option. */
static int
check(axle_job *job, axle_dataset *src, const struct export_format *f)
{
    const char *format = axle_opt_string(job, "format");
    char why[512];
    if (!axle_can_encode(f->codec, why, sizeof why))
        return axle_error(job, AXLE_EUNSUPPORTED, "option 'format: %s': %s", format, why);
    if (f->enc.progressive && f->codec != AXLE_CODEC_JPEG)
        return axle_error(job, AXLE_EINVAL,
                          "option 'progressive: true' is for format jpeg; %s has no "
                          "progressive mode: drop the option or write jpeg", format);
    if (f->enc.subsampling && f->codec != AXLE_CODEC_JPEG && f->codec != AXLE_CODEC_AVIF)
        return axle_error(job, AXLE_EINVAL,
                          "option 'subsampling: %s' is for formats jpeg and avif; %s: drop "
                          "the option", axle_opt_string(job, "subsampling"),
                          f->codec == AXLE_CODEC_WEBP ? "lossy webp is always 4:2:0"
                                                      : "png keeps every pixel");
    if (f->keep_metadata && axle_dataset_column_type(src, PHOTO_COLUMN) != AXLE_IMAGE)
        return axle_error(job, AXLE_EINVAL,
                          "option 'metadata: keep' copies the EXIF of the photos in the "
                          "source's '" PHOTO_COLUMN "' image column (import_images'), and "
                          "dataset %s has no such column", axle_dataset_path(src));
    return AXLE_OK;
}

int
export_format_read(axle_job *job, axle_dataset *src, struct export_format *f)
{
    int i = axle_opt_enum(job, "format");
    static const int sampling[] = {0, 420, 444}; /* auto|420|444 */
    f->codec = formats[i].codec;
    f->ext = formats[i].ext;
    f->enc = AXLE_ENCODE_OPTIONS((int)axle_opt_int(job, "quality"));
    f->enc.progressive = axle_opt_bool(job, "progressive");
    f->enc.subsampling = sampling[axle_opt_enum(job, "subsampling")];
    f->keep_metadata = axle_opt_enum(job, "metadata") == 1; /* strip|keep */
    return src ? check(job, src, f) : AXLE_OK;
}

bool
export_format_passes(const struct export_format *f, int quality, const axle_image *img)
{
    /* EXIF is the photo's, not the cell's: only an encode adds it */
    return !f->keep_metadata && axle_image_encoded_as(img, quality, f->codec, &f->enc);
}

/* The cell's profile when it fits the pixels written. */
static void
add_profile(axle_job *job, const axle_image *cell, uint32_t channels, const char *name,
            axle_encode_options *o)
{
    void *icc = NULL;
    size_t len = 0;
    char err[256];
    if (axle_image_icc(cell, &icc, &len, err, sizeof err) != AXLE_OK) {
        axle_log(job, "warning: %s: colour profile not copied: %s", name, err);
        return;
    }
    if (icc && axle_icc_fits(icc, len, channels)) {
        o->icc = icc;
        o->icc_len = len;
    } else {
        free(icc); /* a CMYK profile, say: the pixels were made RGB without it */
    }
}

static void
add_exif(axle_job *job, const struct export_format *f, const void *photo_exif, size_t len,
         const char *name, axle_encode_options *o)
{
    if (f->codec == AXLE_CODEC_JPEG && len > JPEG_EXIF_MAX) {
        axle_log(job, "warning: %s: EXIF not copied: its %zu bytes are over the %d one "
                 "JPEG segment holds", name, len, JPEG_EXIF_MAX);
        return;
    }
    void *exif = malloc(len);
    if (!exif) {
        axle_log(job, "warning: %s: EXIF not copied: out of memory", name);
        return;
    }
    memcpy(exif, photo_exif, len);
    o->exif = exif;
    o->exif_len = len;
}

void
export_format_row(axle_job *job, const struct export_format *f, const axle_image *cell,
                  uint32_t channels, const void *exif, size_t exif_len, const char *name,
                  axle_encode_options *o)
{
    *o = f->enc;
    if (cell->codec != AXLE_CODEC_RAW)
        add_profile(job, cell, channels, name, o);
    if (f->keep_metadata && exif)
        add_exif(job, f, exif, exif_len, name, o);
}

void
export_format_done(axle_encode_options *o)
{
    free((void *)(uintptr_t)o->icc);
    free((void *)(uintptr_t)o->exif);
    o->icc = o->exif = NULL;
}
