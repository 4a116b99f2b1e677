/* image_fit.c - axle_fit: the size an image gets in a geometry.
 *
 * Fitting inside a box is exactly PIL's Image.thumbnail(): PIL keeps the
 * box's limiting side and computes the other one from the aspect ratio;
 * of floor and ceil it takes whichever gives the aspect ratio closest to
 * the original's (floor on a tie), and never less than 1.  So 3840x2160
 * into 640x338 is 601x338 (601/338 is nearer 16:9 than 600/338), not the
 * 600x338 that plain truncation gives.  The arithmetic is done in doubles,
 * as Python's is, so ties fall the same way. */
#include <math.h>
#include <stddef.h>

#include "image_resize.h"

/* floor or ceil of `v`, whichever has the smaller error(n); floor on a
 * tie.  *n stays 0 when it would not fit in 32 bits. */
static void
round_aspect(double v, double aspect, double other, bool width, uint32_t *n)
{
    double lo = floor(v), hi = ceil(v);
    /* error of a candidate n: |aspect - n/other| for a width,
     * |aspect - other/n| for a height (0 when n is 0, as in PIL) */
    double elo = width ? fabs(aspect - lo / other) : (lo == 0 ? 0 : fabs(aspect - other / lo));
    double ehi = width ? fabs(aspect - hi / other) : (hi == 0 ? 0 : fabs(aspect - other / hi));
    double pick = ehi < elo ? hi : lo;
    *n = pick < 1 ? 1 : pick > UINT32_MAX ? 0 : (uint32_t)pick;
}

const char *
img_geometry_problem(const axle_geometry *g, int *code)
{
    *code = AXLE_EINVAL;
    if (!g)
        return "no geometry";
    if (g->crop > AXLE_CROP_ATTENTION)
        return "unknown crop";
    if (g->crop != AXLE_CROP_NONE && g->mode == AXLE_FIT_EXACT)
        return "an exact size keeps no aspect, so it has nothing to crop: "
               "drop the exact size or the crop";
    switch (g->mode) {
    case AXLE_FIT_INSIDE:
        return g->width || g->height ? NULL : "give the box a width, a height or both";
    case AXLE_FIT_EXACT:
        return g->width && g->height ? NULL : "an exact size needs both sides";
    }
    return "unknown fit mode";
}

/* Inside the box (a 0 side is free), aspect kept. */
static int
fit_inside(uint32_t w, uint32_t h, const axle_geometry *g, uint32_t *tw, uint32_t *th)
{
    bool fits = (!g->width || g->width >= w) && (!g->height || g->height >= h);
    if (fits && !g->upscale) {
        *tw = w;
        *th = h;
        return AXLE_OK;
    }
    double aspect = (double)w / h, x = g->width, y = g->height;
    /* The height limits when the box is wider than the image's aspect. */
    if (!g->width || (g->height && x / y >= aspect)) {
        *th = g->height;
        round_aspect(y * aspect, aspect, y, true, tw);
    } else {
        *tw = g->width;
        round_aspect(x / aspect, aspect, x, false, th);
    }
    return *tw && *th ? AXLE_OK : AXLE_ETOOBIG;
}

bool
img_fills(const axle_geometry *g)
{
    return g->crop != AXLE_CROP_NONE && g->mode == AXLE_FIT_INSIDE && g->width &&
           g->height;
}

/* Without upscale an image smaller than the box on a side is only cut,
 * never enlarged: the box shrinks to the image there. */
static bool
fill_is_cut_only(uint32_t w, uint32_t h, const axle_geometry *g)
{
    return !g->upscale && (g->width > w || g->height > h);
}

void
img_fill_window(uint32_t w, uint32_t h, const axle_geometry *g, double *cw, double *ch)
{
    if (fill_is_cut_only(w, h, g)) {
        *cw = g->width < w ? g->width : w;
        *ch = g->height < h ? g->height : h;
        return;
    }
    /* Pillow's ImageOps.fit, in its arithmetic: the box's aspect, as
     * large as the image holds. */
    double live = (double)w / h, want = (double)g->width / g->height;
    if (live == want) {
        *cw = w;
        *ch = h;
    } else if (live >= want) {
        *cw = want * h;
        *ch = h;
    } else {
        *cw = w;
        *ch = w / want;
    }
}

int
axle_fit(uint32_t width, uint32_t height, const axle_geometry *g, uint32_t *out_w,
         uint32_t *out_h)
{
    int code;
    if (!out_w || !out_h || !width || !height)
        return AXLE_EINVAL;
    if (img_geometry_problem(g, &code))
        return code;
    if (img_fills(g)) {
        bool cut = fill_is_cut_only(width, height, g);
        *out_w = cut && width < g->width ? width : g->width;
        *out_h = cut && height < g->height ? height : g->height;
        return AXLE_OK;
    }
    if (g->mode == AXLE_FIT_EXACT) {
        *out_w = g->width;
        *out_h = g->height;
        return AXLE_OK;
    }
    return fit_inside(width, height, g, out_w, out_h);
}

int
axle_image_fit(const axle_image *img, const axle_geometry *g, uint32_t *out_w,
               uint32_t *out_h)
{
    if (!img)
        return AXLE_EINVAL;
    bool swap = img->orientation >= 5 && img->orientation <= 8;
    return axle_fit(swap ? img->height : img->width, swap ? img->width : img->height,
                    g, out_w, out_h);
}
