/* image_jpeg_scans.c - which scans of a progressive JPEG a reduced decode
 * needs (issue 12).
 *
 * A progressive JPEG sends its DCT coefficients in scans: first the DC
 * terms and the low frequencies at reduced precision, then more
 * frequencies, then refinement scans with the last bits of each.  A
 * thumbnail shows only the low frequencies, and only coarsely: the
 * refinement scans, about half of the file and most of the decode time
 * (their Huffman decoding is the slowest libjpeg does), change it by less
 * than the stored thumbnail's own encoding does.  So a decode for a small
 * result stops once every coefficient the result can show has arrived
 * with enough of its bits; libjpeg's buffered-image mode then makes the
 * pixels from the coefficients it has.
 *
 * What the result can show: coefficient u of a component whose samples
 * are s pixels apart is a frequency of u / (16 s) cycles per pixel; the
 * result, r times smaller than the image, keeps frequencies up to its
 * Nyquist limit 1 / (2 r), and the Lanczos filter's transition band a
 * little beyond: with the decode margin's factor of two, u <= 16 s / r.
 * How many bits: a missing low bit is a quantisation error of up to one
 * step, and a result r times smaller averages r x r samples into each
 * pixel, which halves the error for every doubling of r: floor(log2 r)
 * bits may be missing (at most 2), the DC term at most one (each block's
 * mean, averaged over few blocks).  Under r = 2 nothing is skipped: a
 * decode at full or near full size is the whole file, byte for byte as
 * before.  With libjpeg's standard progressive script and a 4K photo into
 * 640x338 this stops after 5 of 10 scans; tests/image/progressive.sh holds
 * the result within 40 dB of the full decode's (measured 45 dB on the
 * bench corpus). */
#include <math.h>
#include <string.h>

#include "image_internal.h"

/* Zig-zag position -> (row * 8 + column), the order scans number
 * coefficients in (libjpeg's coef_bits too). */
static const unsigned char zigzag[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

int
img_jpeg_scan_plan(uint32_t width, uint32_t height, uint32_t want_w, uint32_t want_h,
                   struct img_scan_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    double r = 0;
    if (want_w)
        r = (double)width / want_w;
    if (want_h && (r == 0 || (double)height / want_h < r))
        r = (double)height / want_h;
    if (r < 2)
        return 0; /* the whole file */
    plan->reduction = r;
    plan->ac_bits = r >= 4 ? 2 : 1;
    plan->dc_bits = 1;
    return 1;
}

int
img_jpeg_scans_enough(const struct img_scan_plan *plan, int components,
                      const int (*coef_bits)[64], const int *h_spacing,
                      const int *v_spacing)
{
    for (int c = 0; c < components; c++) {
        int du = (int)floor(16.0 * h_spacing[c] / plan->reduction);
        int dv = (int)floor(16.0 * v_spacing[c] / plan->reduction);
        for (int k = 0; k < 64; k++) {
            int u = zigzag[k] % 8, v = zigzag[k] / 8;
            if (u > du || v > dv)
                continue; /* a frequency the result does not show */
            int bits = coef_bits[c][k];
            if (bits < 0 || bits > (k == 0 ? plan->dc_bits : plan->ac_bits))
                return 0;
        }
    }
    return 1;
}

/* Bytes of the marker segment whose length field is at p (after the
 * marker), or 0 when it does not fit in the `left` bytes. */
static size_t
segment_length(const uint8_t *p, size_t left)
{
    if (left < 2)
        return 0;
    size_t n = img_be16(p);
    return n >= 2 && n <= left ? n : 0;
}

int
img_jpeg_rest_scans(const uint8_t *p, size_t left, int pending, size_t *scans)
{
    const uint8_t *end = p + left;
    *scans = 0;
    for (int marker = pending;;) {
        if (marker == 0xD9)
            return 0; /* EOI: the file is whole */
        if (marker) { /* a segment: SOS (then its data), DHT, DRI, ... */
            size_t n = segment_length(p, (size_t)(end - p));
            if (!n)
                return -1;
            *scans += marker == 0xDA;
            p += n;
        }
        /* The next marker: an 0xFF not followed by a stuffed 0, a restart
         * marker or more fill bytes. */
        marker = 0;
        while (!marker) {
            const uint8_t *ff = memchr(p, 0xFF, (size_t)(end - p));
            if (!ff || ff + 1 >= end)
                return -1; /* ends before EOI: truncated */
            p = ff + 1;
            if (*p != 0x00 && *p != 0xFF && !(*p >= 0xD0 && *p <= 0xD7))
                marker = *p;
            p += *p != 0xFF;
        }
    }
}
