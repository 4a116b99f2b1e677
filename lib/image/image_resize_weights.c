/* image_resize_weights.c - the Lanczos3 weights, Pillow's, in fixed point.
 *
 * Pillow's resampler (ImagingResample) is the reference the quality bar is
 * measured against, so the weights are computed as Pillow does: the
 * kernel is stretched by the downscale factor (support = 3 * scale, so it
 * low-passes before sampling and does not alias), centred on
 * (i + 0.5) * scale and normalised per output pixel.  They are then kept
 * as 16-bit integers with 14 fractional bits (Pillow uses 22 bits in
 * 32-bit integers): 8-bit pixels times 16-bit weights is what SSE2's
 * pmaddwd multiplies, two taps per instruction.  Fixed point also makes
 * the result the same on every machine, which cached jobs rely on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_resize.h"

static double
sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return sin(x) / x;
}

static double
lanczos3(double x)
{
    return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0;
}

void
img_weights_free(struct img_weights *w)
{
    free(w->bounds);
    free(w->k);
    memset(w, 0, sizeof *w);
}

/* Weights of output pixel `i` (Pillow's precompute_coeffs), as doubles. */
static int
pixel_weights(double from, double scale, double support, double filterscale,
              uint32_t in_size, uint32_t i, int ksize, double *k, int32_t *first)
{
    double center = from + (i + 0.5) * scale, ss = 1.0 / filterscale, total = 0;
    int lo = (int)(center - support + 0.5), hi = (int)(center + support + 0.5);
    if (lo < 0)
        lo = 0;
    if (hi > (int)in_size)
        hi = (int)in_size;
    int n = hi - lo;
    if (n > ksize)
        n = ksize;
    for (int x = 0; x < n; x++) {
        k[x] = lanczos3((x + lo - center + 0.5) * ss);
        total += k[x];
    }
    for (int x = 0; x < n; x++)
        if (total != 0.0)
            k[x] /= total;
    *first = lo;
    return n;
}

/* Rounding each weight on its own would leave their sum a few units off
 * 1.0, a slight brightness change of flat areas: the residue goes to the
 * largest weight. */
static void
fixed_weights(const double *kd, int n, int16_t *k)
{
    int32_t sum = 0;
    int big = 0;
    for (int x = 0; x < n; x++) {
        k[x] = (int16_t)lround(kd[x] * (1 << IMG_WEIGHT_BITS));
        sum += k[x];
        if (abs(k[x]) > abs(k[big]))
            big = x;
    }
    if (n > 0)
        k[big] = (int16_t)(k[big] + ((1 << IMG_WEIGHT_BITS) - sum));
}

int
img_weights_make(struct img_weights *w, uint32_t in_size, uint32_t out_size)
{
    return img_weights_make_box(w, in_size, 0, in_size, out_size);
}

int
img_weights_make_box(struct img_weights *w, uint32_t in_size, double from, double to,
                     uint32_t out_size)
{
    if (w->k && w->in_size == in_size && w->out_size == out_size && w->from == from &&
        w->to == to)
        return AXLE_OK; /* same geometry as the last image */
    img_weights_free(w);
    double scale = (to - from) / out_size;
    double filterscale = scale < 1.0 ? 1.0 : scale;
    double support = 3.0 * filterscale;
    int ksize = (int)ceil(support) * 2 + 1;
    double *kd = malloc((size_t)ksize * sizeof *kd);
    w->kstride = (ksize + 7) & ~7; /* zero padded: SIMD takes taps 2, 4 or 8 at a time */
    w->bounds = malloc((size_t)out_size * 2 * sizeof *w->bounds);
    w->k = calloc((size_t)out_size * (size_t)w->kstride, sizeof *w->k);
    if (!kd || !w->bounds || !w->k) {
        free(kd);
        img_weights_free(w);
        return AXLE_ENOMEM;
    }
    for (uint32_t i = 0; i < out_size; i++) {
        int32_t first;
        int n = pixel_weights(from, scale, support, filterscale, in_size, i, ksize, kd,
                              &first);
        fixed_weights(kd, n, w->k + (size_t)i * w->kstride);
        w->bounds[2 * i] = first;
        w->bounds[2 * i + 1] = n;
    }
    free(kd);
    w->in_size = in_size;
    w->out_size = out_size;
    w->from = from;
    w->to = to;
    w->ksize = ksize;
    return AXLE_OK;
}
