/* codec_load.h - libheif and libjxl loaded on first use (codec_load.c).
 *
 * Linked as DT_NEEDED, their static initialisers (libhwy's timer
 * calibration under libjxl, libde265/x265 under libheif) cost every axle
 * process ~7 ms of CPU at start, a no-op run included, for two formats
 * most runs never read.  So libaxle dlopen()s each by the SONAME configure
 * found, the first time an image needs it, and calls it through a table of
 * the functions lib/image uses.  Call sites keep libheif's and libjxl's
 * names: codec_names.h maps each to its table entry.
 *
 * Every entry point of image_heif.c, image_jxl.c and image_encode_avif.c
 * calls img_heif_load / img_jxl_load before anything else of the library:
 * on failure the table is not filled and the image fails with the message
 * (the library's SONAME and dlerror's reason). */
#ifndef AXLE_CODEC_LOAD_H
#define AXLE_CODEC_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#ifdef AXLE_HAVE_HEIF
#include <libheif/heif.h>

#define IMG_HEIF_FUNCTIONS(X)                                                                 \
    X(heif_context_add_XMP_metadata) X(heif_context_add_exif_metadata) X(heif_context_alloc) \
    X(heif_context_encode_image) X(heif_context_free) X(heif_context_get_encoder_for_format) \
    X(heif_context_get_primary_image_handle) X(heif_context_read_from_memory_without_copy)   \
    X(heif_context_read_from_reader) X(heif_context_set_max_decoding_threads)                \
    X(heif_context_write) X(heif_decode_image) X(heif_decoding_options_alloc)                \
    X(heif_decoding_options_free) X(heif_encoder_release) X(heif_encoder_set_lossy_quality)  \
    X(heif_encoder_set_parameter_integer) X(heif_encoder_set_parameter_string)               \
    X(heif_encoding_options_alloc) X(heif_encoding_options_free) X(heif_get_version)         \
    X(heif_have_encoder_for_format) X(heif_image_add_plane) X(heif_image_create)             \
    X(heif_image_get_bits_per_pixel_range) X(heif_image_get_height) X(heif_image_get_plane)  \
    X(heif_image_get_plane_readonly) X(heif_image_get_width) X(heif_image_handle_get_height) \
    X(heif_image_handle_get_list_of_metadata_block_IDs)                                      \
    X(heif_image_handle_get_list_of_thumbnail_IDs) X(heif_image_handle_get_luma_bits_per_pixel) \
    X(heif_image_handle_get_metadata) X(heif_image_handle_get_metadata_size)                 \
    X(heif_image_handle_get_nclx_color_profile) X(heif_image_handle_get_raw_color_profile)   \
    X(heif_image_handle_get_raw_color_profile_size) X(heif_image_handle_get_thumbnail)       \
    X(heif_image_handle_get_width) X(heif_image_handle_has_alpha_channel)                    \
    X(heif_image_handle_release) X(heif_image_release) X(heif_image_set_raw_color_profile)   \
    X(heif_nclx_color_profile_free)

#define IMG_CODEC_ENTRY(name) __typeof__(name) *name;
struct img_heif_api {
    IMG_HEIF_FUNCTIONS(IMG_CODEC_ENTRY)
};
#undef IMG_CODEC_ENTRY
extern struct img_heif_api img_heif_api;

/* Loads libheif once (thread-safe); false with the reason in err when it
 * cannot be loaded. */
bool img_heif_load(char *err, size_t errlen);
#endif

#ifdef AXLE_HAVE_JXL
#include <jxl/decode.h>

#define IMG_JXL_FUNCTIONS(X)                                                                  \
    X(JxlDecoderCloseInput) X(JxlDecoderCreate) X(JxlDecoderDestroy) X(JxlDecoderFlushImage) \
    X(JxlDecoderGetBasicInfo) X(JxlDecoderGetColorAsICCProfile)                              \
    X(JxlDecoderGetICCProfileSize) X(JxlDecoderGetIntendedDownsamplingRatio)                 \
    X(JxlDecoderProcessInput) X(JxlDecoderSetImageOutBuffer) X(JxlDecoderSetInput)           \
    X(JxlDecoderSetKeepOrientation) X(JxlDecoderSetUnpremultiplyAlpha)                       \
    X(JxlDecoderSubscribeEvents) X(JxlDecoderVersion)

#define IMG_CODEC_ENTRY(name) __typeof__(name) *name;
struct img_jxl_api {
    IMG_JXL_FUNCTIONS(IMG_CODEC_ENTRY)
};
#undef IMG_CODEC_ENTRY
extern struct img_jxl_api img_jxl_api;

/* Loads libjxl once (thread-safe); false with the reason in err. */
bool img_jxl_load(char *err, size_t errlen);
#endif

#endif
