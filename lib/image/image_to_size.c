/* image_to_size.c - axle_image_to_size: an image cell to pixels of the
 * size a geometry asks for, in one call.
 *
 * The order matters for speed: the image is decoded at the smallest
 * scale that still covers the result (shrink-on-load), then resized, and
 * only the small result is rotated for its EXIF orientation (and, with
 * AXLE_TO_RGB, converted).  Resizing before rotating gives the same
 * pixels as PIL's exif_transpose-then-resize, since the filter is
 * symmetric. */
#include <string.h>

#include "image_internal.h"
#include "image_resize.h"

/* Replaces *px by its resize to w x h (stored orientation), unless the
 * decode already gave that size. */
static int
resize_in_place(axle_pixels *px, uint32_t w, uint32_t h, char *err, size_t errlen)
{
    if (px->width == w && px->height == h)
        return AXLE_OK;
    axle_pixels sized;
    int rc = axle_pixels_alloc(&sized, w, h, px->channels);
    if (rc == AXLE_OK)
        rc = img_resize_owned(px, &sized);
    axle_pixels_free(px);
    if (rc != AXLE_OK) {
        axle_pixels_free(&sized);
        return img_fail(err, errlen, rc, "out of memory resizing to %ux%u", w, h);
    }
    *px = sized;
    return AXLE_OK;
}

/* Replaces *px by its turn for EXIF orientation `o` (1: as it is). */
static int
orient_in_place(axle_pixels *px, int o, char *err, size_t errlen)
{
    if (o == 1)
        return AXLE_OK;
    axle_pixels turned;
    int rc = axle_pixels_orient(px, o, &turned);
    uint32_t w = px->width, h = px->height;
    axle_pixels_free(px);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory orienting %ux%u", w, h);
    *px = turned;
    return AXLE_OK;
}

/* Converts the resized pixels to sRGB: after the resize, where there are
 * fewer of them.  The order changes values by less than a level on
 * average (bench/colour_order.sh measures it), as the profile's curves are
 * smooth over the few source pixels each output pixel is made of. */
static int
to_srgb_in_place(axle_pixels *px, const axle_image *img, char *err, size_t errlen)
{
    char why[256]; /* err may hold a partial decode's reason: keep it */
    int rc = axle_pixels_to_srgb(px, img, why, sizeof why);
    if (rc == AXLE_OK)
        return AXLE_OK;
    axle_pixels_free(px);
    return img_fail(err, errlen, rc, "%s", why);
}

/* Replaces *px by its RGB form (AXLE_TO_RGB), unless it is RGB already.
 * Done last, on the small result: a grey image is resized as grey, and
 * an image with alpha premultiplied, as without the flag. */
static int
rgb_in_place(axle_pixels *px, char *err, size_t errlen)
{
    if (px->channels == 3)
        return AXLE_OK;
    axle_pixels rgb;
    int rc = axle_pixels_to_rgb(px, &rgb);
    uint32_t w = px->width, h = px->height;
    axle_pixels_free(px);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory making %ux%u RGB", w, h);
    *px = rgb;
    return AXLE_OK;
}

/* The result's size as shown, checked against the geometry and the limit. */
static int
result_size(const axle_image *img, const axle_geometry *g, uint64_t max_pixels,
            uint32_t *tw, uint32_t *th, char *err, size_t errlen)
{
    int code;
    const char *why = img_geometry_problem(g, &code);
    if (why)
        return img_fail(err, errlen, code, "geometry %ux%u: %s", g ? g->width : 0,
                        g ? g->height : 0, why);
    int rc = axle_image_fit(img, g, tw, th);
    if (rc == AXLE_ETOOBIG)
        return img_fail(err, errlen, rc, "image %ux%u fitted to %ux%u is too large",
                        img->width, img->height, g->width, g->height);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, AXLE_EFORMAT, "image of %ux%u has no pixels",
                        img->width, img->height);
    uint64_t n = (uint64_t)*tw * *th;
    if (max_pixels && n > max_pixels)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "result %ux%u = %llu pixels, over the limit of %llu",
                        *tw, *th, (unsigned long long)n, (unsigned long long)max_pixels);
    return AXLE_OK;
}

int
axle_image_to_size(const axle_image *img, const axle_geometry *g, uint64_t max_pixels,
                   unsigned flags, axle_pixels *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return img_fail(err, errlen, AXLE_EINVAL, "no pixel buffer to fill");
    memset(out, 0, sizeof *out);
    if (!img)
        return img_fail(err, errlen, AXLE_EINVAL, "no image");
    uint32_t tw, th;
    int rc = result_size(img, g, max_pixels, &tw, &th, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    const unsigned known = AXLE_DECODE_PARTIAL | AXLE_TO_SRGB | AXLE_TO_RGB;
    if (flags & ~known)
        return img_fail(err, errlen, AXLE_EINVAL, "unknown flags 0x%x (AXLE_DECODE_PARTIAL, "
                        "AXLE_TO_SRGB and AXLE_TO_RGB are known)", flags & ~known);
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    uint32_t sw = o >= 5 ? th : tw, sh = o >= 5 ? tw : th; /* as stored */
    /* The decoder knows only AXLE_DECODE_PARTIAL; the other flags are this
     * call's. */
    int status = axle_image_decode_ex(img, sw, sh, max_pixels, flags & AXLE_DECODE_PARTIAL,
                                      out, err, errlen);
    if (status < 0)
        return status;
    rc = resize_in_place(out, sw, sh, err, errlen);
    if (rc == AXLE_OK && (flags & AXLE_TO_SRGB))
        rc = to_srgb_in_place(out, img, err, errlen);
    if (rc == AXLE_OK)
        rc = orient_in_place(out, o, err, errlen);
    if (rc == AXLE_OK && (flags & AXLE_TO_RGB))
        rc = rgb_in_place(out, err, errlen);
    return rc == AXLE_OK ? status : rc; /* AXLE_PARTIAL keeps its reason in err */
}
