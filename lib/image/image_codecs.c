/* image_codecs.c - the codec table: which formats this libaxle reads and
 * writes, found by their first bytes.  Each row lives in its format's
 * file; a format whose library configure did not find has no row (its
 * AXLE_HAVE_* is not defined), and the probe names the missing library. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "image_internal.h"
#include "axle_internal.h"

#ifdef AXLE_HAVE_PNG
#include <png.h>
#endif
#ifdef AXLE_HAVE_GIF
#include <gif_lib.h>
#endif
#ifdef AXLE_HAVE_TIFF
#include <tiffio.h>
#endif
#ifdef AXLE_HAVE_HEIF
#include <libheif/heif_version.h>
#endif
#ifdef AXLE_HAVE_RAW
#include <libraw/libraw.h>
#endif
#ifdef AXLE_HAVE_JXL
#include <jxl/version.h>
#endif

static const struct img_codec *const table[] = {
    &img_codec_jpeg,
    &img_codec_webp,
#ifdef AXLE_HAVE_PNG
    &img_codec_png,
#endif
#ifdef AXLE_HAVE_GIF
    &img_codec_gif,
#endif
#ifdef AXLE_HAVE_RAW
    &img_codec_camraw, /* before TIFF: CR2 starts like a TIFF */
#endif
#ifdef AXLE_HAVE_TIFF
    &img_codec_tiff,
#endif
#ifdef AXLE_HAVE_HEIF
    &img_codec_heif,
    &img_codec_avif,
#endif
#ifdef AXLE_HAVE_JXL
    &img_codec_jxl,
#endif
};

#define TABLE_SIZE (sizeof table / sizeof table[0])

const struct img_codec *
img_codec_sniff(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (table[i]->sniff(p, len))
            return table[i];
    return NULL;
}

const struct img_codec *
img_codec_find(axle_codec codec)
{
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (table[i]->codec == codec)
            return table[i];
    return NULL;
}

void
img_codec_list(char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < TABLE_SIZE && at < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == TABLE_SIZE ? " or " : ", ";
        int n = snprintf(buf + at, len - at, "%s%s", sep, table[i]->label);
        at += n > 0 ? (size_t)n : 0;
    }
}

const char *
axle_codec_name(axle_codec c)
{
    switch (c) {
    case AXLE_CODEC_JPEG: return "jpeg";
    case AXLE_CODEC_WEBP: return "webp";
    case AXLE_CODEC_RAW: return "raw";
    case AXLE_CODEC_PNG: return "png";
    case AXLE_CODEC_GIF: return "gif";
    case AXLE_CODEC_TIFF: return "tiff";
    case AXLE_CODEC_HEIF: return "heif";
    case AXLE_CODEC_AVIF: return "avif";
    case AXLE_CODEC_JXL: return "jxl";
    case AXLE_CODEC_CAMRAW: return "camera-raw";
    case AXLE_CODEC_NONE: break;
    }
    return "none";
}

int
img_more(size_t want, size_t *need, char *err, size_t errlen, const char *fmt, ...)
{
    if (need)
        *need = want;
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return AXLE_EMORE;
}

void
img_copy_rows(axle_pixels *out, const uint8_t *src, size_t src_stride)
{
    size_t row = (size_t)out->width * out->channels;
    for (uint32_t y = 0; y < out->height; y++)
        memcpy(out->data + (size_t)y * out->stride, src + (size_t)y * src_stride, row);
}

/* libheif and libjxl are loaded on first use (codec_load.h), and every
 * run's job identities ask for these versions: theirs are the headers'
 * libaxle was built against (what the library itself reports, as long
 * as the one installed is the one built against), so that asking loads
 * nothing.  JPEG XL's number is written as JxlDecoderVersion writes it. */
void
axle_internal_codec_versions(json_t *v)
{
#ifdef AXLE_HAVE_PNG
    json_object_set_new(v, "libpng", json_integer((json_int_t)png_access_version_number()));
#endif
#ifdef AXLE_HAVE_GIF
    json_object_set_new(v, "giflib", json_integer(GIFLIB_MAJOR * 10000 + GIFLIB_MINOR * 100 +
                                                  GIFLIB_RELEASE));
#endif
#ifdef AXLE_HAVE_TIFF
    json_object_set_new(v, "libtiff", json_integer(TIFFLIB_VERSION));
#endif
#ifdef AXLE_HAVE_HEIF
    json_object_set_new(v, "libheif", json_string(LIBHEIF_VERSION));
#endif
#ifdef AXLE_HAVE_RAW
    json_object_set_new(v, "libraw", json_string(libraw_version()));
#endif
#ifdef AXLE_HAVE_JXL
    json_object_set_new(v, "libjxl", json_integer(
                              (json_int_t)JPEGXL_MAJOR_VERSION * 1000000 +
                              JPEGXL_MINOR_VERSION * 1000 + JPEGXL_PATCH_VERSION));
#endif
    (void)v;
}
