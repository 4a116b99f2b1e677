/* thumb.h - one image to one thumbnail: decode at reduced scale, resize,
 * orient.  Shared by the thumbnailer method and the test tools. */
#ifndef THUMB_THUMB_H
#define THUMB_THUMB_H

#include <stdbool.h>

#include "axle/axle.h"
#include "resample.h"

/* The largest thumbnail side: JPEG's maximum (libjpeg's JPEG_MAX_DIMENSION). */
#define THUMB_MAX_SIDE 65500

/* Buffers kept across images: memory stays flat however many there are. */
struct thumb_ctx {
    struct resampler rs;
    axle_pixels sized;   /* the resized image, stored orientation */
    axle_pixels turned;  /* the same after EXIF orientation */
};

/* Makes the thumbnail of `img` fitting box_w x box_h (as PIL's
 * thumbnail() sizes it, after orientation).  *out is borrowed from `t`
 * and valid until the next call.  Errors: < 0 with a message in err. */
int thumb_make(struct thumb_ctx *t, const axle_image *img, uint32_t box_w,
               uint32_t box_h, bool upscale, uint64_t max_pixels,
               const axle_pixels **out, char *err, size_t errlen);

void thumb_ctx_free(struct thumb_ctx *t);

#endif
