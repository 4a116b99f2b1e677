/* image_finish.c - what may follow a resize: a mild sharpening, and alpha
 * flattened onto a background colour.
 *
 * The sharpening is an unsharp mask with a 3x3 box as the blur and half
 * the difference added back: strong enough to undo the softness a
 * Lanczos downscale leaves, too weak to ring.  Integer arithmetic, so the
 * bytes are the same on every machine. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* The 3x3 mean around (x, y) of channel k, edges repeated. */
static int
mean3(const axle_pixels *px, uint32_t x, uint32_t y, uint32_t k)
{
    uint32_t c = px->channels, sum = 0;
    for (int dy = -1; dy <= 1; dy++) {
        int64_t yy = (int64_t)y + dy;
        yy = yy < 0 ? 0 : yy >= px->height ? px->height - 1 : yy;
        const uint8_t *row = px->data + (size_t)yy * px->stride;
        for (int dx = -1; dx <= 1; dx++) {
            int64_t xx = (int64_t)x + dx;
            xx = xx < 0 ? 0 : xx >= px->width ? px->width - 1 : xx;
            sum += row[(size_t)xx * c + k];
        }
    }
    return (int)((sum + 4) / 9);
}

int
axle_pixels_sharpen(axle_pixels *px)
{
    if (!px || !px->data || !px->width || !px->height || px->channels < 1 ||
        px->channels > 4)
        return AXLE_EINVAL;
    uint32_t c = px->channels, colours = c == 2 || c == 4 ? c - 1 : c;
    axle_pixels src;
    if (axle_pixels_alloc(&src, px->width, px->height, c) != AXLE_OK)
        return AXLE_ENOMEM;
    for (uint32_t y = 0; y < px->height; y++)
        memcpy(src.data + y * src.stride, px->data + y * px->stride, (size_t)px->width * c);
    for (uint32_t y = 0; y < px->height; y++) {
        uint8_t *out = px->data + y * px->stride;
        const uint8_t *in = src.data + y * src.stride;
        for (uint32_t x = 0; x < px->width; x++)
            for (uint32_t k = 0; k < colours; k++) {
                int v = in[x * c + k];
                v += (v - mean3(&src, x, y, k)) / 2;
                out[x * c + k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
    }
    axle_pixels_free(&src);
    return AXLE_OK;
}

int
axle_pixels_flatten(axle_pixels *px, const uint8_t rgb[3])
{
    if (!px || !px->data || !rgb)
        return AXLE_EINVAL;
    uint32_t c = px->channels;
    if (c != 2 && c != 4)
        return AXLE_OK; /* no alpha: nothing to flatten */
    bool grey = c == 2 && rgb[0] == rgb[1] && rgb[1] == rgb[2];
    uint32_t oc = grey ? 1 : 3;
    axle_pixels flat;
    if (axle_pixels_alloc(&flat, px->width, px->height, oc) != AXLE_OK)
        return AXLE_ENOMEM;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint8_t *p = px->data + y * px->stride;
        uint8_t *q = flat.data + y * flat.stride;
        for (uint32_t x = 0; x < px->width; x++, p += c, q += oc) {
            uint32_t a = p[c - 1];
            for (uint32_t k = 0; k < oc; k++) {
                uint32_t v = c == 2 ? p[0] : p[k];
                q[k] = (uint8_t)((v * a + rgb[k] * (255 - a) + 127) / 255);
            }
        }
    }
    axle_pixels_free(px);
    *px = flat;
    return AXLE_OK;
}
