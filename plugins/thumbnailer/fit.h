/* fit.h - the size of a thumbnail, as PIL's Image.thumbnail() picks it. */
#ifndef THUMB_FIT_H
#define THUMB_FIT_H

#include <stdbool.h>
#include <stdint.h>

/* The largest size with the aspect of w x h that fits inside box_w x
 * box_h, rounded as PIL does; w x h itself when it already fits and
 * `upscale` is false. */
void thumb_fit(uint32_t w, uint32_t h, uint32_t box_w, uint32_t box_h,
               bool upscale, uint32_t *tw, uint32_t *th);

#endif
