/* thumb.c - one image to one thumbnail.
 *
 * The order matters for speed: the image is decoded at the smallest
 * scale that still covers the thumbnail (the SDK's shrink-on-load), then
 * resized, and only the small result is rotated for its EXIF orientation.
 * Resizing before rotating gives the same pixels as PIL's
 * exif_transpose-then-resize, since the filter is symmetric. */
#include "thumb.h"

#include <stdio.h>
#include <string.h>

#include "fit.h"

/* (Re)allocates `px` only when the size changes. */
static int
ensure(axle_pixels *px, uint32_t w, uint32_t h, uint32_t c)
{
    if (px->data && px->width == w && px->height == h && px->channels == c)
        return AXLE_OK;
    axle_pixels_free(px);
    return axle_pixels_alloc(px, w, h, c);
}

static int
orient_into(axle_pixels *dst, const axle_pixels *src, int orientation)
{
    axle_pixels tmp;
    int rc = axle_pixels_orient(src, orientation, &tmp);
    if (rc != AXLE_OK)
        return rc;
    axle_pixels_free(dst);
    *dst = tmp;
    return AXLE_OK;
}

int
thumb_make(struct thumb_ctx *t, const axle_image *img, uint32_t box_w,
           uint32_t box_h, bool upscale, uint64_t max_pixels,
           const axle_pixels **out, char *err, size_t errlen)
{
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    bool swap = o >= 5;
    uint32_t ow = swap ? img->height : img->width;  /* as shown */
    uint32_t oh = swap ? img->width : img->height;
    uint32_t tw, th;
    thumb_fit(ow, oh, box_w, box_h, upscale, &tw, &th);
    uint32_t sw = swap ? th : tw, sh = swap ? tw : th; /* as stored */

    axle_pixels dec;
    int rc = axle_image_decode(img, sw, sh, max_pixels, &dec, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    const axle_pixels *cur = &dec;
    if (dec.width != sw || dec.height != sh) {
        rc = ensure(&t->sized, sw, sh, dec.channels);
        if (rc == AXLE_OK)
            rc = resample_lanczos3(&t->rs, &dec, &t->sized);
        if (rc != AXLE_OK) {
            axle_pixels_free(&dec);
            snprintf(err, errlen, "out of memory resizing to %ux%u", sw, sh);
            return rc;
        }
        cur = &t->sized;
    }
    if (o == 1 && cur == &dec) {
        /* Already the right size: keep the decoded buffer itself. */
        axle_pixels_free(&t->turned);
        t->turned = dec;
        memset(&dec, 0, sizeof dec);
        cur = &t->turned;
    } else if (o != 1) {
        rc = orient_into(&t->turned, cur, o);
        if (rc != AXLE_OK) {
            axle_pixels_free(&dec);
            snprintf(err, errlen, "out of memory orienting %ux%u", sw, sh);
            return rc;
        }
        cur = &t->turned;
    }
    axle_pixels_free(&dec);
    *out = cur;
    return AXLE_OK;
}

void
thumb_ctx_free(struct thumb_ctx *t)
{
    resampler_free(&t->rs);
    axle_pixels_free(&t->sized);
    axle_pixels_free(&t->turned);
}
