/* image_to_size.c - axle_image_to_size: an image cell to pixels of the
 * size a geometry asks for, in one call.
 *
 * The order matters for speed: the image is decoded at the smallest
 * scale that still covers the result (shrink-on-load), then resized, and
 * only the small result is rotated for its EXIF orientation.  Resizing
 * before rotating gives the same pixels as PIL's exif_transpose-then-
 * resize, since the filter is symmetric. */
#include <math.h>
#include <stdlib.h>
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

/* What one geometry needs: its result's size as shown, and how large the
 * whole image must be decoded for it (as shown). */
struct plan {
    uint32_t tw, th;
    double need_w, need_h;
    bool fills;
};

static int
make_plan(const axle_image *img, const axle_geometry *g, uint64_t max_pixels,
          struct plan *p, char *err, size_t errlen)
{
    int rc = result_size(img, g, max_pixels, &p->tw, &p->th, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    p->fills = img_fills(g);
    p->need_w = p->tw;
    p->need_h = p->th;
    if (p->fills) { /* the window scales to the result: the image scales alike */
        bool swap = img->orientation >= 5 && img->orientation <= 8;
        uint32_t w = swap ? img->height : img->width, h = swap ? img->width : img->height;
        double cw, ch;
        img_fill_window(w, h, g, &cw, &ch);
        p->need_w = w * (p->tw / cw);
        p->need_h = h * (p->th / ch);
    }
    return AXLE_OK;
}

static uint64_t decodes; /* axle_image_decode_count */

uint64_t
axle_image_decode_count(void)
{
    return decodes;
}

/* One decode for all plans: at the scale the largest needs (stored
 * orientation). */
static int
decode_for(const axle_image *img, const struct plan *p, size_t n, uint64_t max_pixels,
           unsigned flags, int o, axle_pixels *px, char *err, size_t errlen)
{
    double w = 0, h = 0;
    for (size_t i = 0; i < n; i++) {
        w = p[i].need_w > w ? p[i].need_w : w;
        h = p[i].need_h > h ? p[i].need_h : h;
    }
    uint32_t sw = (uint32_t)ceil(o >= 5 ? h : w), sh = (uint32_t)ceil(o >= 5 ? w : h);
    decodes++;
    return axle_image_decode_ex(img, sw, sh, max_pixels, flags, px, err, errlen);
}

/* A copy of px that a resize may change (it premultiplies alpha). */
static int
copy_of(const axle_pixels *px, axle_pixels *copy)
{
    int rc = axle_pixels_alloc(copy, px->width, px->height, px->channels);
    for (uint32_t y = 0; rc == AXLE_OK && y < px->height; y++)
        memcpy(copy->data + y * copy->stride, px->data + y * px->stride,
               (size_t)px->width * px->channels);
    return rc;
}

/* out = window `box` of src resized to w x h; src is left as it was. */
static int
resize_window(const axle_pixels *src, const struct img_box *box, uint32_t w, uint32_t h,
              axle_pixels *out, char *err, size_t errlen)
{
    /* Only alpha is changed in place (premultiplied): copy just then. */
    bool alpha = src->channels == 2 || src->channels == 4;
    axle_pixels work = *src;
    int rc = alpha ? copy_of(src, &work) : AXLE_OK;
    if (rc == AXLE_OK)
        rc = axle_pixels_alloc(out, w, h, src->channels);
    if (rc == AXLE_OK)
        rc = img_resize_box_owned(&work, box, out);
    if (alpha)
        axle_pixels_free(&work);
    if (rc != AXLE_OK) {
        axle_pixels_free(out);
        return img_fail(err, errlen, rc, "out of memory resizing to %ux%u", w, h);
    }
    return AXLE_OK;
}

/* One result from the shown (oriented) decode: the whole image, or the
 * window its crop picks, resized to the result's size. */
static int
from_shown(const axle_pixels *shown, const axle_image *img, const axle_geometry *g,
           const struct plan *p, axle_pixels *out, char *err, size_t errlen)
{
    struct img_box box = {0, 0, shown->width, shown->height};
    if (p->fills) {
        bool swap = img->orientation >= 5 && img->orientation <= 8;
        uint32_t w = swap ? img->height : img->width, h = swap ? img->width : img->height;
        double cw, ch, kx = (double)shown->width / w, ky = (double)shown->height / h;
        img_fill_window(w, h, g, &cw, &ch);
        cw = cw * kx > shown->width ? shown->width : cw * kx;
        ch = ch * ky > shown->height ? shown->height : ch * ky;
        img_crop_place(shown, g->crop, cw, ch, &box.x0, &box.y0);
        box.x1 = box.x0 + cw;
        box.y1 = box.y0 + ch;
    }
    return resize_window(shown, &box, p->tw, p->th, out, err, errlen);
}

/* One result from the stored decode: resized, then turned (the cheaper
 * order, and the same pixels as PIL's exif_transpose-then-resize, since
 * the filter is symmetric). */
static int
from_stored(const axle_pixels *px, int o, const struct plan *p, axle_pixels *out,
            char *err, size_t errlen)
{
    uint32_t sw = o >= 5 ? p->th : p->tw, sh = o >= 5 ? p->tw : p->th;
    struct img_box all = {0, 0, px->width, px->height};
    int rc = resize_window(px, &all, sw, sh, out, err, errlen);
    return rc == AXLE_OK ? orient_in_place(out, o, err, errlen) : rc;
}

static void
free_all(axle_pixels *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        axle_pixels_free(&out[i]);
}

/* The results from one decode `px` (consumed). */
static int
make_all(axle_pixels *px, const axle_image *img, const axle_geometry *g,
         const struct plan *p, size_t n, int o, axle_pixels *out, char *err,
         size_t errlen)
{
    bool fills = false;
    for (size_t i = 0; i < n; i++)
        fills = fills || p[i].fills;
    int rc = AXLE_OK;
    if (n == 1 && !fills) { /* the usual case: no copy */
        *out = *px;
        rc = resize_in_place(out, o >= 5 ? p->th : p->tw, o >= 5 ? p->tw : p->th, err,
                             errlen);
        return rc == AXLE_OK ? orient_in_place(out, o, err, errlen) : rc;
    }
    /* A crop window is found as the image is shown: turn the decode first. */
    if (fills)
        rc = orient_in_place(px, o, err, errlen);
    for (size_t i = 0; rc == AXLE_OK && i < n; i++)
        rc = fills ? from_shown(px, img, &g[i], &p[i], &out[i], err, errlen)
                   : from_stored(px, o, &p[i], &out[i], err, errlen);
    axle_pixels_free(px);
    if (rc != AXLE_OK)
        free_all(out, n);
    return rc;
}

int
axle_images_to_sizes(const axle_image *img, const axle_geometry *g, size_t n,
                     uint64_t max_pixels, unsigned flags, axle_pixels *out, char *err,
                     size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return img_fail(err, errlen, AXLE_EINVAL, "no pixel buffer to fill");
    memset(out, 0, n * sizeof *out);
    if (!img)
        return img_fail(err, errlen, AXLE_EINVAL, "no image");
    if (!n)
        return img_fail(err, errlen, AXLE_EINVAL, "no geometry");
    struct plan *p = calloc(n, sizeof *p);
    if (!p)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    int rc = AXLE_OK;
    for (size_t i = 0; rc == AXLE_OK && i < n; i++)
        rc = make_plan(img, g ? &g[i] : NULL, max_pixels, &p[i], err, errlen);
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    axle_pixels px;
    int status = rc == AXLE_OK
        ? decode_for(img, p, n, max_pixels, flags, o, &px, err, errlen) : rc;
    if (status >= 0)
        rc = make_all(&px, img, g, p, n, o, out, err, errlen);
    free(p);
    if (status < 0)
        return status;
    return rc == AXLE_OK ? status : rc; /* AXLE_PARTIAL keeps its reason in err */
}

int
axle_image_to_size(const axle_image *img, const axle_geometry *g, uint64_t max_pixels,
                   unsigned flags, axle_pixels *out, char *err, size_t errlen)
{
    return axle_images_to_sizes(img, g, 1, max_pixels, flags, out, err, errlen);
}
