/* image_resize.h - what the resize files share: the Lanczos3 weights
 * (image_resize_weights.c), the resize that may work in place
 * (image_resize.c) and the geometry checks (image_fit.c).  Never
 * installed. */
#ifndef AXLE_IMAGE_RESIZE_H
#define AXLE_IMAGE_RESIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* Fixed-point weights: 14 fractional bits, so that 8-bit pixels times
 * weights are what SSE2's pmaddwd multiplies (image_resize_weights.c). */
#define IMG_WEIGHT_BITS 14

/* Filter weights for one direction (in_size -> out_size). */
struct img_weights {
    uint32_t in_size, out_size;
    double from, to; /* the input window the weights read */
    int ksize;       /* most taps any output pixel has */
    int kstride;     /* weights stored per output pixel: ksize rounded up
                        to a multiple of 8, zero padded */
    int32_t *bounds; /* per output pixel: first input index, count */
    int16_t *k;      /* out_size * kstride weights */
};

/* Makes the weights for in_size -> out_size, unless `w` holds them
 * already.  AXLE_ENOMEM leaves `w` empty. */
int img_weights_make(struct img_weights *w, uint32_t in_size, uint32_t out_size);
/* The weights for window [from, to) of the input (Pillow's box) resized
 * to out_size; img_weights_make is the window [0, in_size). */
int img_weights_make_box(struct img_weights *w, uint32_t in_size, double from, double to,
                         uint32_t out_size);
void img_weights_free(struct img_weights *w);

/* axle_pixels_resize into an allocated `out` (the wanted size, in's
 * channels), for a caller that owns `in`: an image with alpha is
 * premultiplied in place, which saves a copy. */
int img_resize_owned(axle_pixels *in, axle_pixels *out);

/* What is wrong with geometry `g` in words, or NULL when it is usable;
 * *code is the status to return. */
const char *img_geometry_problem(const axle_geometry *g, int *code);

/* ---- fill and crop (image_fit.c, image_resize.c, image_crop_window.c) ---- */

/* Whether `g` fills its box and crops (a crop with both sides given). */
bool img_fills(const axle_geometry *g);

/* The size of the part of a w x h image (as shown) that a filling
 * geometry keeps, in the image's pixels: Pillow's ImageOps.fit window
 * (fractional), or the box cut to the image when it is not enlarged. */
void img_fill_window(uint32_t w, uint32_t h, const axle_geometry *g, double *cw, double *ch);

/* A source window: x0, y0, x1, y1 in the input's pixels (fractional). */
struct img_box {
    double x0, y0, x1, y1;
};

/* img_resize_owned of window `box` of `in` only, as Pillow's
 * resize(box=...): the filter still reads pixels outside the window,
 * so its edges are as smooth as the rest. */
int img_resize_box_owned(axle_pixels *in, const struct img_box *box, axle_pixels *out);

/* Where a cw x ch window (in `px`'s pixels, cw <= width, ch <= height)
 * goes for crop `crop`: its top-left corner. */
void img_crop_place(const axle_pixels *px, axle_crop crop, double cw, double ch,
                    double *x0, double *y0);

/* ---- the resize fed row by row (image_resize.c, image_resize_stream.c;
 * issue 12, decode to resize fused) ---- */

/* Bytes of buffer after a row given to img_resize_horizontal_row that
 * its SIMD loops may read. */
#define IMG_RESIZE_SLACK 64

/* Output row y of the vertical pass: bytes [0, n) from input rows
 * rows[0 .. count) (count and weights: w's for y). */
void img_resize_vertical_row(const struct img_weights *w, uint32_t y,
                             const uint8_t *const *rows, size_t n, uint8_t *dst);
/* One row of the horizontal pass; src has IMG_RESIZE_SLACK bytes of
 * buffer after its w->in_size pixels. */
void img_resize_horizontal_row(const struct img_weights *w, const uint8_t *src,
                               uint8_t *dst, uint32_t channels);
/* The weights img_resize_owned uses for in_w x in_h -> out_w x out_h:
 * this thread's kept ones (valid until its next resize), or made into
 * `own` (zeroed by the caller, freed with img_weights_free) when the
 * thread keeps none.  AXLE_ENOMEM. */
int img_resize_weights(uint32_t in_w, uint32_t in_h, uint32_t out_w, uint32_t out_h,
                       struct img_weights own[2], const struct img_weights **vert,
                       const struct img_weights **horiz);

/* A resize that takes its input rows as a decoder makes them, keeping
 * only the rows the vertical filter still needs (a ring), never the
 * whole image; the result is the very pixels img_resize_owned gives. */
struct img_stream;

/* A stream from in_w x in_h x channels (1 or 3) to `out` (allocated here,
 * out_w x out_h).  NULL when out of memory, or when a side keeps its size
 * (then a whole-image resize is as cheap: the caller decodes as before). */
struct img_stream *img_stream_new(uint32_t in_w, uint32_t in_h, uint32_t channels,
                                  uint32_t out_w, uint32_t out_h, axle_pixels *out);
/* Where input row y goes (in_w * channels bytes, and IMG_STREAM_PAD more
 * a decoder may write: libjpeg's raw output fills whole blocks).  Rows
 * come in order, at most IMG_STREAM_BATCH asked for ahead of the last
 * img_stream_fed; a row past in_h is scratch. */
#define IMG_STREAM_BATCH 16
#define IMG_STREAM_PAD 32
uint8_t *img_stream_row(struct img_stream *s, uint32_t y);
/* A stream of the three planes of a YCbCr image, in_w x in_h each, to
 * RGB `out` (allocated here): the planes are resized each and converted
 * as libjpeg converts (image_jpeg_planes.c).  Plane p's row y goes to
 * img_stream_plane_row (img_stream_row is plane 0's). */
struct img_stream *img_stream_new_ycc(uint32_t in_w, uint32_t in_h, uint32_t out_w,
                                      uint32_t out_h, axle_pixels *out);
uint8_t *img_stream_plane_row(struct img_stream *s, uint32_t plane, uint32_t y);
/* Rows [0, rows) are written: makes every output row they complete. */
void img_stream_fed(struct img_stream *s, uint32_t rows);
/* Frees the stream (not `out`, which the caller owns). */
void img_stream_free(struct img_stream *s);

/* Whether the row kernels take their AVX-512 loops (the CPU has AVX-512
 * BW, VL and VNNI, and img_resize_avx512_off is false).  The same bytes
 * either way; the unit test sets img_resize_avx512_off to hold the AVX2
 * loops to the plain integers on such a CPU too (issue 12, vips12). */
extern bool img_resize_avx512_off;
bool img_have_avx512(void);

/* The YCbCr horizontal pass eight output pixels at a time, for a CPU
 * with AVX2 and windows of up to 32 taps (image_jpeg_planes.c): NULL
 * when not (or out of memory: img_ycc_horizontal_row does the same rows),
 * else the weights `w` regrouped for it, and its scratch rows. */
struct img_ycc_rows;
struct img_ycc_rows *img_ycc_rows_new(const struct img_weights *w);
void img_ycc_rows_free(struct img_ycc_rows *r);
/* img_ycc_horizontal_row's pixels, byte for byte. */
void img_ycc_rows_run(struct img_ycc_rows *r, const uint8_t *y, const uint8_t *cb,
                      const uint8_t *cr, uint8_t *dst);

/* One output row of a YCbCr stream: the horizontal pass of each plane's
 * row (IMG_RESIZE_SLACK bytes of buffer after each), each pixel then
 * converted to RGB into dst (image_jpeg_planes.c). */
void img_ycc_horizontal_row(const struct img_weights *w, const uint8_t *y,
                            const uint8_t *cb, const uint8_t *cr, uint8_t *dst);

#endif
