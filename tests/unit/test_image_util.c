/* test_image_util.c - images made in memory for the image unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image_util.h"

axle_pixels
ti_pattern(uint32_t w, uint32_t h, uint32_t channels, unsigned seed)
{
    axle_pixels px;
    assert_int_equal(axle_pixels_alloc(&px, w, h, channels), AXLE_OK);
    uint32_t r = seed * 2654435761u + 1;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *p = px.data + y * px.stride + x * channels;
            r = r * 1103515245u + 12345u;
            int noise = (int)((r >> 16) & 15) - 8;
            for (uint32_t c = 0; c < channels; c++) {
                int v = (int)((x * 255 / (w > 1 ? w - 1 : 1)) * (c % 3 == 0) +
                              (y * 255 / (h > 1 ? h - 1 : 1)) * (c % 3 == 1) +
                              ((x + y) * 127 / (w + h)) * (c % 3 == 2)) + noise;
                p[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
            if (channels == 2 || channels == 4)
                p[channels - 1] = (uint8_t)(255 * x / (w > 1 ? w - 1 : 1));
        }
    return px;
}

uint8_t *
ti_encoded(axle_codec codec, uint32_t w, uint32_t h, uint32_t channels, int quality,
           size_t *len)
{
    axle_pixels px = ti_pattern(w, h, channels, 1);
    void *out = NULL;
    char err[256];
    int rc = axle_image_encode(&px, codec, quality, &out, len, err, sizeof err);
    axle_pixels_free(&px);
    if (rc != AXLE_OK)
        fail_msg("encode: %s", err);
    return out;
}

uint8_t *
ti_with_exif(const uint8_t *jpeg, size_t len, int orientation, int big_endian,
             size_t *outlen)
{
    /* "Exif\0\0" + TIFF header + IFD0 with one SHORT entry + next-IFD 0 */
    uint8_t tiff[26] = {0};
    if (big_endian) {
        memcpy(tiff, "MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01", 18);
        tiff[18] = 0;
        tiff[19] = (uint8_t)orientation;
    } else {
        memcpy(tiff, "II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0", 18);
        tiff[18] = (uint8_t)orientation;
        tiff[19] = 0;
    }
    size_t seg = 2 + 6 + sizeof tiff;
    uint8_t *out = malloc(len + 2 + seg);
    assert_non_null(out);
    memcpy(out, jpeg, 2);
    out[2] = 0xFF;
    out[3] = 0xE1;
    out[4] = (uint8_t)(seg >> 8);
    out[5] = (uint8_t)seg;
    memcpy(out + 6, "Exif\0\0", 6);
    memcpy(out + 12, tiff, sizeof tiff);
    memcpy(out + 12 + sizeof tiff, jpeg + 2, len - 2);
    *outlen = len + 2 + seg;
    return out;
}

size_t
ti_sof_offset(const uint8_t *p, size_t len)
{
    size_t pos = 2;
    while (pos + 4 <= len && p[pos] == 0xFF) {
        int m = p[pos + 1];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return pos;
        pos += 2 + ((size_t)p[pos + 2] << 8 | p[pos + 3]);
    }
    return 0;
}

axle_image
ti_probe_ok(const uint8_t *data, size_t len)
{
    axle_image img;
    char err[256];
    int rc = axle_image_probe(data, len, &img, err, sizeof err);
    if (rc != AXLE_OK)
        fail_msg("probe: %d %s", rc, err);
    return img;
}
