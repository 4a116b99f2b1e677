/* fit.c - the size of a thumbnail, exactly as PIL's Image.thumbnail().
 *
 * PIL keeps the box's limiting side and computes the other one from the
 * aspect ratio; of floor and ceil it takes whichever gives the aspect
 * ratio closest to the original's (floor on a tie), and never less than
 * 1.  So 3840x2160 into 640x338 is 601x338 (601/338 is nearer 16:9 than
 * 600/338), not the 600x338 that plain truncation gives.  The arithmetic
 * is done in doubles, as Python's is, so ties fall the same way. */
#include "fit.h"

#include <math.h>

/* floor or ceil of `v`, whichever has the smaller error(n); floor on a tie. */
static uint32_t
round_aspect(double v, double aspect, double other, bool width)
{
    double lo = floor(v), hi = ceil(v);
    /* error of a candidate n: |aspect - n/other| for a width,
     * |aspect - other/n| for a height (0 when n is 0, as in PIL) */
    double elo = width ? fabs(aspect - lo / other) : (lo == 0 ? 0 : fabs(aspect - other / lo));
    double ehi = width ? fabs(aspect - hi / other) : (hi == 0 ? 0 : fabs(aspect - other / hi));
    double n = ehi < elo ? hi : lo;
    return n < 1 ? 1 : (uint32_t)n;
}

void
thumb_fit(uint32_t w, uint32_t h, uint32_t box_w, uint32_t box_h, bool upscale,
          uint32_t *tw, uint32_t *th)
{
    *tw = w;
    *th = h;
    if (!upscale && box_w >= w && box_h >= h)
        return;
    double aspect = (double)w / h, x = box_w, y = box_h;
    if (x / y >= aspect) {
        *tw = round_aspect(y * aspect, aspect, y, true);
        *th = box_h;
    } else {
        *tw = box_w;
        *th = round_aspect(x / aspect, aspect, x, false);
    }
}
