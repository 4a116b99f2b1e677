/* image_pixels.c - decoded pixel buffers: allocation, conversion to RGB,
 * EXIF orientation, and the raw-pixel image value a method stores in a
 * dataset. */
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "image_internal.h"

/* axle_pixels_alloc has no job parameter, but one job runs per process:
 * its refusal is set as that job's message, so a method can return the
 * code as it is.  Outside a job (tools, tests) only the code tells. */
static int
alloc_failed(int code, uint32_t w, uint32_t h, uint32_t channels, const char *why)
{
    return axle_error(axle_internal_current, code, "axle_pixels_alloc: %ux%u pixels of "
                      "%u channels: %s", w, h, channels, why);
}

int
axle_pixels_alloc(axle_pixels *px, uint32_t w, uint32_t h, uint32_t channels)
{
    if (!px)
        return axle_error(axle_internal_current, AXLE_EINVAL,
                          "axle_pixels_alloc: no axle_pixels to fill (NULL)");
    memset(px, 0, sizeof *px);
    if (w == 0 || h == 0)
        return alloc_failed(AXLE_EINVAL, w, h, channels, "a side is 0");
    if (channels < 1 || channels > 4)
        return alloc_failed(AXLE_EINVAL, w, h, channels, "channels are 1 to 4 (grey, "
                            "grey+alpha, RGB, RGBA)");
    size_t stride = (size_t)w * channels;
    if (stride > SIZE_MAX / h)
        return alloc_failed(AXLE_ETOOBIG, w, h, channels, "more bytes than memory holds");
    px->data = malloc(stride * h);
    if (!px->data)
        return alloc_failed(AXLE_ENOMEM, w, h, channels, "out of memory");
    px->width = w;
    px->height = h;
    px->channels = channels;
    px->stride = stride;
    return AXLE_OK;
}

void
axle_pixels_free(axle_pixels *px)
{
    if (!px)
        return;
    free(px->data);
    memset(px, 0, sizeof *px);
}

/* RGB as Pillow's convert("RGB") makes it: grey copied into R, G and B,
 * alpha dropped (not flattened on a background: a resize done
 * premultiplied has already made fully transparent pixels black). */
int
axle_pixels_to_rgb(const axle_pixels *in, axle_pixels *out)
{
    if (!in || !in->data || !out || in->channels < 1 || in->channels > 4) {
        if (out)
            memset(out, 0, sizeof *out);
        return axle_error(axle_internal_current, AXLE_EINVAL, "axle_pixels_to_rgb: "
                          "no pixels, or channels outside 1-4");
    }
    int rc = axle_pixels_alloc(out, in->width, in->height, 3);
    if (rc != AXLE_OK)
        return rc;
    uint32_t c = in->channels;
    for (uint32_t y = 0; y < in->height; y++) {
        const uint8_t *src = in->data + (size_t)y * in->stride;
        uint8_t *dst = out->data + (size_t)y * out->stride;
        for (uint32_t x = 0; x < in->width; x++, src += c, dst += 3) {
            dst[0] = src[0];
            dst[1] = src[c < 3 ? 0 : 1];
            dst[2] = src[c < 3 ? 0 : 2];
        }
    }
    return AXLE_OK;
}

axle_image
axle_image_from_pixels(const axle_pixels *px)
{
    axle_image img;
    memset(&img, 0, sizeof img);
    img.orientation = 1;
    /* A raw cell is width*height*channels bytes with no padding; a padded
     * buffer cannot be described, so it gives codec NONE, which
     * axle_put_image refuses. */
    if (!px || !px->data || px->stride != (size_t)px->width * px->channels)
        return img;
    img.codec = AXLE_CODEC_RAW;
    img.width = px->width;
    img.height = px->height;
    img.channels = (uint8_t)px->channels;
    img.data = px->data;
    img.size = px->stride * px->height;
    return img;
}

/* Where output pixel (x, y) comes from, as an affine map on byte offsets:
 * src = start + x * dx + y * dy.  The eight EXIF orientations are the
 * eight symmetries of the rectangle (PIL's exif_transpose does the same:
 * 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise,
 * 7 transverse, 8 rotate 90 counter-clockwise). */
static void
orient_map(const axle_pixels *in, int o, ptrdiff_t *start, ptrdiff_t *dx,
           ptrdiff_t *dy)
{
    ptrdiff_t c = in->channels, s = (ptrdiff_t)in->stride;
    ptrdiff_t right = (ptrdiff_t)(in->width - 1) * c; /* last column */
    ptrdiff_t bottom = (ptrdiff_t)(in->height - 1) * s; /* last row */
    switch (o) {
    case 2: *start = right; *dx = -c; *dy = s; break;
    case 3: *start = bottom + right; *dx = -c; *dy = -s; break;
    case 4: *start = bottom; *dx = c; *dy = -s; break;
    case 5: *start = 0; *dx = s; *dy = c; break;
    case 6: *start = bottom; *dx = -s; *dy = c; break;
    case 7: *start = bottom + right; *dx = -s; *dy = -c; break;
    case 8: *start = right; *dx = s; *dy = -c; break;
    default: *start = 0; *dx = c; *dy = s; break;
    }
}

int
axle_pixels_orient(const axle_pixels *in, int orientation, axle_pixels *out)
{
    if (!in || !in->data || !out || orientation < 1 || orientation > 8)
        return AXLE_EINVAL;
    int swap = orientation >= 5;
    uint32_t ow = swap ? in->height : in->width;
    uint32_t oh = swap ? in->width : in->height;
    int rc = axle_pixels_alloc(out, ow, oh, in->channels);
    if (rc != AXLE_OK)
        return rc;
    ptrdiff_t start, dx, dy;
    orient_map(in, orientation, &start, &dx, &dy);
    uint32_t c = in->channels;
    for (uint32_t y = 0; y < oh; y++) {
        ptrdiff_t off = start + (ptrdiff_t)y * dy; /* offsets, never a pointer before the buffer */
        uint8_t *dst = out->data + (size_t)y * out->stride;
        if (dx == (ptrdiff_t)c) { /* orientations 1 and 4: whole rows */
            memcpy(dst, in->data + off, (size_t)ow * c);
            continue;
        }
        for (uint32_t x = 0; x < ow; x++, off += dx, dst += c)
            for (uint32_t k = 0; k < c; k++)
                dst[k] = in->data[off + (ptrdiff_t)k];
    }
    return AXLE_OK;
}

int
img_alloc(const struct img_decode_req *req, axle_pixels *px, uint32_t w, uint32_t h,
          uint32_t channels, char *err, size_t errlen)
{
    int rc = req->alloc ? req->alloc(px, w, h, channels, req->alloc_ctx)
                        : axle_pixels_alloc(px, w, h, channels);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory for %ux%u pixels", w, h);
    return AXLE_OK;
}

void
img_fill_missing(axle_pixels *px, uint32_t first)
{
    size_t row = (size_t)px->width * px->channels;
    int alpha = px->channels == 2 || px->channels == 4;
    for (uint32_t y = first; y < px->height; y++) {
        uint8_t *p = px->data + (size_t)y * px->stride;
        memset(p, 128, row);
        for (size_t i = px->channels - 1; alpha && i < row; i += px->channels)
            p[i] = 255;
    }
}
