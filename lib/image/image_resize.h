/* image_resize.h - what the resize files share: the Lanczos3 weights
 * (image_resize_weights.c), the resize that may work in place
 * (image_resize.c) and the geometry checks (image_fit.c).  Never
 * installed. */
#ifndef AXLE_IMAGE_RESIZE_H
#define AXLE_IMAGE_RESIZE_H

#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* Fixed-point weights: 14 fractional bits, so that 8-bit pixels times
 * weights are what SSE2's pmaddwd multiplies (image_resize_weights.c). */
#define IMG_WEIGHT_BITS 14

/* Filter weights for one direction (in_size -> out_size). */
struct img_weights {
    uint32_t in_size, out_size;
    int ksize;       /* most taps any output pixel has */
    int kstride;     /* weights stored per output pixel: ksize rounded up
                        to a multiple of 8, zero padded */
    int32_t *bounds; /* per output pixel: first input index, count */
    int16_t *k;      /* out_size * kstride weights */
};

/* Makes the weights for in_size -> out_size, unless `w` holds them
 * already.  AXLE_ENOMEM leaves `w` empty. */
int img_weights_make(struct img_weights *w, uint32_t in_size, uint32_t out_size);
void img_weights_free(struct img_weights *w);

/* axle_pixels_resize into an allocated `out` (the wanted size, in's
 * channels), for a caller that owns `in`: an image with alpha is
 * premultiplied in place, which saves a copy. */
int img_resize_owned(axle_pixels *in, axle_pixels *out);

/* What is wrong with geometry `g` in words, or NULL when it is usable;
 * *code is the status to return. */
const char *img_geometry_problem(const axle_geometry *g, int *code);

#endif
