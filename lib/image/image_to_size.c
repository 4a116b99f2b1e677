/* image_to_size.c - axle_image_to_size: an image cell to pixels of the
 * size a geometry asks for, in one call.
 *
 * The order matters for speed: the image is decoded at the smallest
 * scale that still covers the result (shrink-on-load), then resized, and
 * only the small result is rotated for its EXIF orientation (and, with
 * AXLE_TO_SRGB and AXLE_TO_RGB, converted: every size of
 * axle_images_to_sizes alike).  A source of more than 8 bits a sample
 * stays at 16 bits through the resize and the conversion, and is rounded
 * to 8 bits once, at the end (image_deep.h).  Resizing before rotating
 * gives the same
 * pixels as PIL's exif_transpose-then-resize, since the filter is
 * symmetric. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_deep.h"
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

/* The size the largest plan needs decoded (stored orientation). */
static void
decode_wish(const struct plan *p, size_t n, int o, uint32_t *sw, uint32_t *sh)
{
    double w = 0, h = 0;
    for (size_t i = 0; i < n; i++) {
        w = p[i].need_w > w ? p[i].need_w : w;
        h = p[i].need_h > h ? p[i].need_h : h;
    }
    *sw = (uint32_t)ceil(o >= 5 ? h : w);
    *sh = (uint32_t)ceil(o >= 5 ? w : h);
}

/* One decode for all plans: at the scale the largest needs (stored
 * orientation).  The usual case, one size without a crop, goes straight
 * from the decoder's rows into the resize where the codec can
 * (img_decode_resized): *resized says *px is that result, not yet turned. */
static int
decode_for(const axle_image *img, const struct plan *p, size_t n, uint64_t max_pixels,
           unsigned flags, int o, axle_pixels *px, bool *resized, char *err, size_t errlen)
{
    uint32_t sw, sh;
    decode_wish(p, n, o, &sw, &sh);
    decodes++;
    /* The decoder knows only AXLE_DECODE_PARTIAL and AXLE_DECODE_FAST; the
     * other flags are axle_images_to_sizes's. */
    struct img_decode_req req = {sw, sh, max_pixels,
                                 flags & (AXLE_DECODE_PARTIAL | AXLE_DECODE_FAST), NULL, NULL};
    if (n == 1 && !p->fills)
        return img_decode_resized(img, &req, o >= 5 ? p->th : p->tw, o >= 5 ? p->tw : p->th,
                                  px, resized, err, errlen);
    *resized = false;
    return img_decode(img, &req, px, err, errlen);
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

/* out = window `box` of src resized to w x h (allocated here); src is left
 * as it was. */
static int
resize_from(const axle_pixels *src, const struct img_box *box, uint32_t w, uint32_t h,
            axle_pixels *out)
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
    if (rc != AXLE_OK)
        axle_pixels_free(out);
    return rc;
}

/* The margin a smaller size keeps over its result when it is made from a
 * larger size's decode: the JPEG margin (image_internal.h). */
#define SHARED_MARGIN 2

/* One row of halve, `C` channels (a constant per call: the loop is
 * specialised). */
static inline void
halve_row(const uint8_t *a, const uint8_t *b, uint8_t *o, uint32_t w, uint32_t C)
{
    for (uint32_t x = 0; x < w; x++, a += 2 * C, b += 2 * C)
        for (uint32_t k = 0; k < C; k++)
            *o++ = (uint8_t)((a[k] + a[k + C] + b[k] + b[k + C] + 2) >> 2);
}

/* *half = px averaged 2x2 (an odd last row or column left out). */
static int
halve(const axle_pixels *px, axle_pixels *half)
{
    int rc = axle_pixels_alloc(half, px->width / 2, px->height / 2, px->channels);
    for (uint32_t y = 0; rc == AXLE_OK && y < half->height; y++) {
        const uint8_t *a = px->data + (size_t)2 * y * px->stride, *b = a + px->stride;
        uint8_t *o = half->data + y * half->stride;
        if (px->channels == 3)
            halve_row(a, b, o, half->width, 3);
        else
            halve_row(a, b, o, half->width, 1);
    }
    return rc;
}

/* A smaller size made from a larger size's decode would cost as much as
 * the large one: halved first while it stays SHARED_MARGIN times the
 * result, it costs what its own decode at reduced scale would (a DCT
 * scaled decode is a block average too).  Not for alpha, whose average
 * would need premultiplying.  *small is src itself (not owned, small->data
 * == src->data) when nothing was halved; `box` is scaled along. */
static int
shrink_for(const axle_pixels *src, uint32_t w, uint32_t h, struct img_box *box,
           axle_pixels *small)
{
    *small = *src;
    if (src->channels == 2 || src->channels == 4)
        return AXLE_OK;
    while ((box->x1 - box->x0) / 2 >= (double)w * SHARED_MARGIN &&
           (box->y1 - box->y0) / 2 >= (double)h * SHARED_MARGIN) {
        axle_pixels half;
        int rc = halve(small, &half);
        if (small->data != src->data)
            axle_pixels_free(small);
        if (rc != AXLE_OK)
            return rc;
        *small = half;
        box->x0 /= 2, box->y0 /= 2, box->x1 /= 2, box->y1 /= 2;
        box->x1 = box->x1 > half.width ? half.width : box->x1;
        box->y1 = box->y1 > half.height ? half.height : box->y1;
    }
    return AXLE_OK;
}

/* out = window `box` of src resized to w x h; src is left as it was. */
static int
resize_window(const axle_pixels *src, const struct img_box *box, uint32_t w, uint32_t h,
              axle_pixels *out, char *err, size_t errlen)
{
    struct img_box b = *box;
    axle_pixels small;
    int rc = shrink_for(src, w, h, &b, &small);
    if (rc == AXLE_OK)
        rc = resize_from(&small, &b, w, h, out);
    if (small.data != src->data)
        axle_pixels_free(&small);
    if (rc != AXLE_OK)
        return img_fail(err, errlen, rc, "out of memory resizing to %ux%u", w, h);
    return AXLE_OK;
}


/* The part of the shown (oriented) decode that result `p` shows: the
 * whole image, or the window its crop picks. */
static struct img_box
shown_window(const axle_pixels *shown, const axle_image *img, const axle_geometry *g,
             const struct plan *p)
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
    return box;
}

/* Result i from the shown decode, or from an earlier result j whose
 * window holds result i's window at SHARED_MARGIN times its scale or
 * more (the same window at a larger size, as a gallery's square crops
 * are), which reads far fewer pixels; win[i] is set. */
static int
from_shown(const axle_pixels *shown, const axle_image *img, const axle_geometry *g,
           const struct plan *p, struct img_box *win, axle_pixels *out, size_t i,
           char *err, size_t errlen)
{
    struct img_box b = win[i] = shown_window(shown, img, &g[i], &p[i]);
    double want_x = p[i].tw / (b.x1 - b.x0), want_y = p[i].th / (b.y1 - b.y0);
    for (size_t j = 0; j < i; j++) {
        const struct img_box *r = &win[j];
        /* result j's pixels per decode pixel */
        double sx = out[j].width / (r->x1 - r->x0), sy = out[j].height / (r->y1 - r->y0);
        if (b.x0 < r->x0 || b.y0 < r->y0 || b.x1 > r->x1 || b.y1 > r->y1 ||
            sx < want_x * SHARED_MARGIN || sy < want_y * SHARED_MARGIN)
            continue;
        struct img_box in_j = {(b.x0 - r->x0) * sx, (b.y0 - r->y0) * sy,
                               (b.x1 - r->x0) * sx, (b.y1 - r->y0) * sy};
        in_j.x1 = in_j.x1 > out[j].width ? out[j].width : in_j.x1;
        in_j.y1 = in_j.y1 > out[j].height ? out[j].height : in_j.y1;
        return resize_window(&out[j], &in_j, p[i].tw, p[i].th, &out[i], err, errlen);
    }
    return resize_window(shown, &b, p[i].tw, p[i].th, &out[i], err, errlen);
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

/* Result i of plans without a crop: from the smallest larger result
 * already made that is still SHARED_MARGIN times its size (so three sizes
 * cost little more than the largest: each resize reads a source a few
 * times its own size, not the decode), else from the decode. */
static int
from_larger(const axle_pixels *px, int o, const struct plan *p, axle_pixels *out, size_t i,
            char *err, size_t errlen)
{
    const axle_pixels *best = NULL;
    for (size_t j = 0; j < i; j++) {
        const axle_pixels *c = &out[j];
        bool enough = c->width >= (uint64_t)p[i].tw * SHARED_MARGIN &&
                      c->height >= (uint64_t)p[i].th * SHARED_MARGIN;
        if (enough && (!best || (uint64_t)c->width * c->height <
                                    (uint64_t)best->width * best->height))
            best = c;
    }
    if (!best)
        return from_stored(px, o, &p[i], &out[i], err, errlen);
    struct img_box all = {0, 0, best->width, best->height};
    return resize_window(best, &all, p[i].tw, p[i].th, &out[i], err, errlen);
}

static void
free_all(axle_pixels *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        axle_pixels_free(&out[i]);
}

/* The flags' conversions, on every finished result: last, so that a
 * smaller size made from a larger result is converted once, and each
 * result gets what axle_image_to_size gives with the same flags (the sRGB
 * conversion is per pixel, so before or after the turn is alike). */
static int
convert_all(axle_pixels *out, size_t n, const axle_image *img, unsigned flags, char *err,
            size_t errlen)
{
    int rc = AXLE_OK;
    for (size_t i = 0; rc == AXLE_OK && i < n; i++) {
        if (flags & AXLE_TO_SRGB)
            rc = to_srgb_in_place(&out[i], img, err, errlen);
        if (rc == AXLE_OK && (flags & AXLE_TO_RGB))
            rc = rgb_in_place(&out[i], err, errlen);
    }
    if (rc != AXLE_OK)
        free_all(out, n);
    return rc;
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
    struct img_box *win = fills ? calloc(n, sizeof *win) : NULL;
    if (fills)
        rc = win ? orient_in_place(px, o, err, errlen)
                 : img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    for (size_t i = 0; rc == AXLE_OK && i < n; i++)
        rc = fills ? from_shown(px, img, g, p, win, out, i, err, errlen)
                   : from_larger(px, o, p, out, i, err, errlen);
    free(win);
    axle_pixels_free(px);
    if (rc != AXLE_OK)
        free_all(out, n);
    return rc;
}

/* ---- sources of more than 8 bits (image_deep.h) ----
 * Each result is made from the 16-bit decode itself (no sharing between
 * sizes: such sources are rare), resized and converted to sRGB at 16
 * bits, then rounded once to 8 bits. */

/* The 16-bit decode for all plans: AXLE_OK, or IMG_NOT_DEEP for an 8-bit
 * source (or one the 8-bit decoder should judge). */
static int
deep_decode_for(const axle_image *img, const struct plan *p, size_t n, uint64_t max_pixels,
                unsigned flags, int o, img_deep *deep)
{
    struct img_decode_req req = {0, 0, max_pixels, flags & AXLE_DECODE_PARTIAL, NULL, NULL};
    decode_wish(p, n, o, &req.want_w, &req.want_h);
    int rc = img_deep_decode(img, &req, deep);
    if (rc == AXLE_OK)
        decodes++;
    return rc;
}

/* Result `p` from window `box` of the premultiplied 16-bit decode: at
 * w x h, straight alpha, converted (AXLE_TO_SRGB), rounded to 8 bits. */
static int
deep_result(const img_deep *d, const struct img_box *box, uint32_t w, uint32_t h,
            const axle_image *img, unsigned flags, axle_pixels *out, char *err,
            size_t errlen)
{
    img_deep r;
    int rc = img_deep_alloc(&r, w, h, d->channels);
    if (rc == AXLE_OK)
        rc = img_resize16_box(d, box, &r);
    if (rc != AXLE_OK) {
        img_deep_free(&r);
        return img_fail(err, errlen, rc, "out of memory resizing to %ux%u", w, h);
    }
    img_deep_unpremultiply(&r);
    if (flags & AXLE_TO_SRGB)
        rc = img_deep_to_srgb(&r, img, err, errlen);
    if (rc == AXLE_OK && (rc = img_deep_reduce(&r, out)) != AXLE_OK)
        rc = img_fail(err, errlen, rc, "out of memory for a %ux%u result", w, h);
    img_deep_free(&r);
    return rc;
}

/* make_all for a 16-bit decode `d` (consumed). */
static int
make_all_deep(img_deep *d, const axle_image *img, const axle_geometry *g,
              const struct plan *p, size_t n, int o, unsigned flags, axle_pixels *out,
              char *err, size_t errlen)
{
    bool fills = false;
    for (size_t i = 0; i < n; i++)
        fills = fills || p[i].fills;
    int rc = AXLE_OK;
    axle_pixels shown8 = {0, 0, 0, 0, NULL}; /* where a crop goes is found at 8 bits */
    if (fills) { /* a crop window is found as the image is shown */
        img_deep turned;
        rc = img_deep_orient(d, o, &turned);
        img_deep_free(d);
        *d = turned;
        if (rc == AXLE_OK)
            rc = img_deep_reduce(d, &shown8);
        if (rc != AXLE_OK)
            rc = img_fail(err, errlen, rc, "out of memory orienting %ux%u", img->width,
                          img->height);
    }
    img_deep_premultiply(d);
    for (size_t i = 0; rc == AXLE_OK && i < n; i++) {
        struct img_box box = {0, 0, d->width, d->height};
        if (fills)
            box = shown_window(&shown8, img, &g[i], &p[i]);
        bool turn = !fills && o >= 5;
        rc = deep_result(d, &box, turn ? p[i].th : p[i].tw, turn ? p[i].tw : p[i].th, img,
                         flags, &out[i], err, errlen);
        if (rc == AXLE_OK && !fills)
            rc = orient_in_place(&out[i], o, err, errlen);
    }
    axle_pixels_free(&shown8);
    img_deep_free(d);
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
    const unsigned known = AXLE_DECODE_PARTIAL | AXLE_TO_SRGB | AXLE_TO_RGB | AXLE_DECODE_FAST;
    if (flags & ~known)
        return img_fail(err, errlen, AXLE_EINVAL, "unknown flags 0x%x (AXLE_DECODE_PARTIAL, "
                        "AXLE_DECODE_FAST, AXLE_TO_SRGB and AXLE_TO_RGB are known)",
                        flags & ~known);
    struct plan *p = calloc(n, sizeof *p);
    if (!p)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    int rc = AXLE_OK;
    for (size_t i = 0; rc == AXLE_OK && i < n; i++)
        rc = make_plan(img, g ? &g[i] : NULL, max_pixels, &p[i], err, errlen);
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    axle_pixels px;
    img_deep deep;
    bool resized = false;
    int status = rc;
    if (rc == AXLE_OK && deep_decode_for(img, p, n, max_pixels, flags, o, &deep) == AXLE_OK) {
        rc = make_all_deep(&deep, img, g, p, n, o, flags, out, err, errlen);
        flags &= ~AXLE_TO_SRGB; /* done at 16 bits */
    } else {
        status = rc == AXLE_OK
            ? decode_for(img, p, n, max_pixels, flags, o, &px, &resized, err, errlen) : rc;
        if (status >= 0 && resized) {
            *out = px;
            rc = orient_in_place(out, o, err, errlen);
        } else if (status >= 0)
            rc = make_all(&px, img, g, p, n, o, out, err, errlen);
    }
    if (status >= 0 && rc == AXLE_OK)
        rc = convert_all(out, n, img, flags, err, errlen);
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
