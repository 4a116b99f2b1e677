/* image_deep.h - 16-bit pixels, for sources with more than 8 bits a
 * sample (issue 13: "16-bit sources are reduced to 8 bits after
 * resizing, not before").  Never installed: axle_pixels stays 8-bit for
 * methods; the 16 bits live from the decode through the resize (and the
 * conversion to sRGB) inside axle_images_to_sizes, which then rounds
 * once to 8 bits.
 *
 * Why: a 16-bit photo (a scan, a RAW developed to PNG/TIFF, a sky
 * gradient) that is rounded to 8 bits before the resize averages
 * already-rounded values, and the rounding errors of a region all lean
 * the same way: bands one level apart where the source was smooth.
 * Averaging the 16-bit values and rounding the average is what Pillow
 * and libvips do for 16-bit sources. */
#ifndef AXLE_IMAGE_DEEP_H
#define AXLE_IMAGE_DEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image_internal.h"
#include "image_resize.h"

/* Interleaved 16-bit samples (native byte order), 0-65535, alpha
 * straight (not premultiplied) unless a function says otherwise. */
typedef struct img_deep {
    uint32_t width, height, channels; /* channels 1-4 as axle_pixels */
    size_t stride;                    /* samples from one row to the next */
    uint16_t *data;
} img_deep;

/* A deep decoder's "this source is 8-bit, or laid out in a way only the
 * 8-bit decoder reads": the caller decodes it as before. */
#define IMG_NOT_DEEP 1

/* A codec's 16-bit decode: AXLE_OK, IMG_NOT_DEEP, or < 0 (the caller
 * then lets the 8-bit decoder give the verdict and its message). */
typedef int (*img_deep_decode_fn)(const axle_image *img, const struct img_decode_req *req,
                                  img_deep *out, char *err, size_t errlen);

int img_deep_alloc(img_deep *px, uint32_t w, uint32_t h, uint32_t channels);
void img_deep_free(img_deep *px);

/* Decodes img at 16 bits when its codec has a deep decoder and the file
 * has more than 8 bits a sample: AXLE_OK; IMG_NOT_DEEP otherwise, or when
 * the deep decode fails (the 8-bit decoder then reports the problem). */
int img_deep_decode(const axle_image *img, const struct img_decode_req *req,
                    img_deep *out);

/* The deep decoders (in their formats' files). */
int img_png_decode_deep(const axle_image *img, const struct img_decode_req *req,
                        img_deep *out, char *err, size_t errlen);
int img_tiff_decode_deep(const axle_image *img, const struct img_decode_req *req,
                         img_deep *out, char *err, size_t errlen);
int img_jxl_decode_deep(const axle_image *img, const struct img_decode_req *req,
                        img_deep *out, char *err, size_t errlen);
int img_heif_decode_deep(const axle_image *img, const struct img_decode_req *req,
                         img_deep *out, char *err, size_t errlen); /* HEIF and AVIF */
int img_raw_decode_deep(const axle_image *img, const struct img_decode_req *req,
                        img_deep *out, char *err, size_t errlen); /* camera RAW */

/* Alpha (2 or 4 channels) multiplied into the colour, in place, and back
 * (image_deep.c): the resize filters premultiplied pixels. */
void img_deep_premultiply(img_deep *px);
void img_deep_unpremultiply(img_deep *px);

/* out (allocated by the caller at its size, in's channels) = window `box`
 * of `in` resized with the Lanczos3 weights the 8-bit resize uses, at 16
 * bits (image_resize16.c).  Premultiplied alpha in, premultiplied out. */
int img_resize16_box(const img_deep *in, const struct img_box *box, img_deep *out);

/* *out (allocated here) = px rounded to 8 bits. */
int img_deep_reduce(const img_deep *px, axle_pixels *out);

/* *out (allocated here) = px turned for EXIF orientation o (1-8). */
int img_deep_orient(const img_deep *px, int o, img_deep *out);

/* axle_pixels_to_srgb for 16-bit pixels, with lcms2's 16-bit transforms
 * (image_colour.c; image_colour_none.c converts nothing). */
int img_deep_to_srgb(img_deep *px, const axle_image *img, char *err, size_t errlen);

#endif
