/* image_crop_window.c - where a fill-and-crop window goes in an image.
 *
 * Runs on the reduced decode (a few times the thumbnail's size), never on
 * a full one, so even the "smart" crops cost little next to the decode.
 *
 * - centre: the middle, in Pillow's ImageOps.fit arithmetic (fractional).
 * - entropy: cut the excess away in slices of at most 8 pixels, each time
 *   from the end whose slice has the lower luminance entropy, so the
 *   window ends on the busiest part.
 * - attention: a saliency score per pixel (luminance edges, skin tones,
 *   saturated colour) and the window with the largest total score, found
 *   with a summed-area table; on a tie the one nearest the middle. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_resize.h"

/* 0-255 luminance of pixel p (grey: itself; alpha ignored). */
static inline uint32_t
luma(const uint8_t *p, uint32_t channels)
{
    return channels >= 3 ? (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8 : p[0];
}

/* ---- entropy ---- */

/* Shannon entropy of the luminance of rectangle [x0, x1) x [y0, y1). */
static double
entropy(const axle_pixels *px, uint32_t x0, uint32_t x1, uint32_t y0, uint32_t y1)
{
    uint32_t hist[256] = {0}, c = px->channels;
    for (uint32_t y = y0; y < y1; y++) {
        const uint8_t *p = px->data + y * px->stride + (size_t)x0 * c;
        for (uint32_t x = x0; x < x1; x++, p += c)
            hist[luma(p, c)]++;
    }
    double n = (double)(x1 - x0) * (y1 - y0), e = 0;
    for (int i = 0; i < 256; i++)
        if (hist[i])
            e -= hist[i] / n * log2(hist[i] / n);
    return e;
}

/* Narrows [*lo, *hi) to `keep` along x (horizontal) or y, slice by slice,
 * within the other axis's [olo, ohi). */
static void
entropy_narrow(const axle_pixels *px, bool horizontal, uint32_t keep, uint32_t olo,
               uint32_t ohi, uint32_t *lo, uint32_t *hi)
{
    while (*hi - *lo > keep) {
        uint32_t step = *hi - *lo - keep < 8 ? *hi - *lo - keep : 8;
        double first = horizontal ? entropy(px, *lo, *lo + step, olo, ohi)
                                  : entropy(px, olo, ohi, *lo, *lo + step);
        double last = horizontal ? entropy(px, *hi - step, *hi, olo, ohi)
                                 : entropy(px, olo, ohi, *hi - step, *hi);
        if (first < last)
            *lo += step;
        else
            *hi -= step;
    }
}

static void
place_entropy(const axle_pixels *px, uint32_t cw, uint32_t ch, uint32_t *x0, uint32_t *y0)
{
    uint32_t l = 0, r = px->width, t = 0, b = px->height;
    entropy_narrow(px, true, cw, t, b, &l, &r);
    entropy_narrow(px, false, ch, l, r, &t, &b);
    *x0 = l;
    *y0 = t;
}

/* ---- attention ---- */

/* Skin tones by a common RGB rule (Kovac et al.): reddish, not grey,
 * not too dark. */
static bool
skin(const uint8_t *p)
{
    int r = p[0], g = p[1], b = p[2];
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    return r > 95 && g > 40 && b > 20 && mx - mn > 15 && r - g > 15 && r > b;
}

/* The saliency of pixel (x, y): edge strength plus skin and saturation. */
static uint32_t
saliency(const axle_pixels *px, uint32_t x, uint32_t y)
{
    uint32_t c = px->channels;
    const uint8_t *p = px->data + y * px->stride + (size_t)x * c;
    uint32_t xl = x ? x - 1 : x, xr = x + 1 < px->width ? x + 1 : x;
    uint32_t yu = y ? y - 1 : y, yd = y + 1 < px->height ? y + 1 : y;
    int32_t lap = 4 * (int32_t)luma(p, c);
    lap -= (int32_t)luma(px->data + y * px->stride + (size_t)xl * c, c);
    lap -= (int32_t)luma(px->data + y * px->stride + (size_t)xr * c, c);
    lap -= (int32_t)luma(px->data + yu * px->stride + (size_t)x * c, c);
    lap -= (int32_t)luma(px->data + yd * px->stride + (size_t)x * c, c);
    uint32_t score = (uint32_t)abs(lap);
    if (c >= 3) {
        int mx = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
        int mn = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
        if (skin(p))
            score += 512;
        if (mx - mn > 64) /* clearly coloured, not grey */
            score += (uint32_t)(mx - mn);
    }
    return score;
}

/* Sum of scores in the window at (x, y), from the summed-area table
 * `sat` of (w + 1) x (h + 1). */
static uint64_t
window_sum(const uint64_t *sat, uint32_t w, uint32_t x, uint32_t y, uint32_t cw, uint32_t ch)
{
    size_t row = (size_t)w + 1;
    return sat[(y + ch) * row + x + cw] - sat[y * row + x + cw] - sat[(y + ch) * row + x] +
           sat[y * row + x];
}

/* Falls back to the middle when out of memory. */
static void
place_attention(const axle_pixels *px, uint32_t cw, uint32_t ch, uint32_t *x0, uint32_t *y0)
{
    uint32_t w = px->width, h = px->height;
    size_t row = (size_t)w + 1;
    *x0 = (w - cw) / 2;
    *y0 = (h - ch) / 2;
    uint64_t *sat = calloc(row * (h + 1), sizeof *sat);
    if (!sat)
        return;
    for (uint32_t y = 0; y < h; y++) {
        uint64_t line = 0;
        for (uint32_t x = 0; x < w; x++) {
            line += saliency(px, x, y);
            sat[(y + 1) * row + x + 1] = sat[y * row + x + 1] + line;
        }
    }
    uint64_t best = window_sum(sat, w, *x0, *y0, cw, ch);
    int64_t best_off = 0;
    for (uint32_t y = 0; y + ch <= h; y++)
        for (uint32_t x = 0; x + cw <= w; x++) {
            uint64_t s = window_sum(sat, w, x, y, cw, ch);
            int64_t off = llabs((int64_t)x - (w - cw) / 2) + llabs((int64_t)y - (h - ch) / 2);
            if (s > best || (s == best && off < best_off)) {
                best = s;
                best_off = off;
                *x0 = x;
                *y0 = y;
            }
        }
    free(sat);
}

void
img_crop_place(const axle_pixels *px, axle_crop crop, double cw, double ch, double *x0,
               double *y0)
{
    *x0 = (px->width - cw) * 0.5;
    *y0 = (px->height - ch) * 0.5;
    if (crop != AXLE_CROP_ENTROPY && crop != AXLE_CROP_ATTENTION)
        return;
    /* The search works in whole pixels: the window rounded up, the corner
     * then kept inside the image with the fractional size. */
    uint32_t iw = (uint32_t)ceil(cw), ih = (uint32_t)ceil(ch), x, y;
    iw = iw > px->width ? px->width : iw;
    ih = ih > px->height ? px->height : ih;
    if (crop == AXLE_CROP_ENTROPY)
        place_entropy(px, iw, ih, &x, &y);
    else
        place_attention(px, iw, ih, &x, &y);
    *x0 = x + cw > px->width ? px->width - cw : x;
    *y0 = y + ch > px->height ? px->height - ch : y;
}
