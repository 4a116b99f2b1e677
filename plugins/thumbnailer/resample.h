/* resample.h - separable Lanczos3 resizing of 8-bit pixels. */
#ifndef THUMB_RESAMPLE_H
#define THUMB_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* Fixed-point filter weights for one direction (in_size -> out_size). */
struct rs_coeffs {
    uint32_t in_size, out_size;
    int ksize;       /* most taps any output pixel has */
    int kstride;     /* weights stored per output pixel: ksize + 1, zero padded */
    int32_t *bounds; /* per output pixel: first input index, count */
    int16_t *k;      /* out_size * kstride weights, 14 fractional bits */
};

/* Everything a resize needs, kept between images so that a stream of
 * photos of the same size allocates nothing after the first. */
struct resampler {
    struct rs_coeffs horiz, vert;
    uint8_t *mid;    /* after the vertical pass: out_h rows of in_w pixels */
    size_t mid_cap;
};

/* Resizes `in` into `out` (already allocated with the wanted width,
 * height and the same channels).  Two or four channels are treated as
 * carrying alpha and resized premultiplied, as Pillow does; `in` is then
 * premultiplied in place. */
int resample_lanczos3(struct resampler *rs, axle_pixels *in, axle_pixels *out);

void resampler_free(struct resampler *rs);

/* The weights themselves, exposed for tests. */
int rs_coeffs_make(struct rs_coeffs *c, uint32_t in_size, uint32_t out_size);
void rs_coeffs_free(struct rs_coeffs *c);

#endif
