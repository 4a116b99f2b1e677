/* test_image_util.h - images made in memory for the image unit tests. */
#ifndef TEST_IMAGE_UTIL_H
#define TEST_IMAGE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "axle/axle.h"

/* w x h pixels with `channels` channels: gradients plus a little texture,
 * deterministic for a given seed. */
axle_pixels ti_pattern(uint32_t w, uint32_t h, uint32_t channels, unsigned seed);

/* The pattern encoded as JPEG or WebP; *len set; free() the result. */
uint8_t *ti_encoded(axle_codec codec, uint32_t w, uint32_t h, uint32_t channels,
                    int quality, size_t *len);

/* A copy of a JPEG with an APP1 Exif segment holding `orientation` put
 * right after SOI; big_endian picks "MM" instead of "II". */
uint8_t *ti_with_exif(const uint8_t *jpeg, size_t len, int orientation,
                      int big_endian, size_t *outlen);

/* Byte offset of the first SOFn marker (0xFFC0..) in a JPEG, or 0. */
size_t ti_sof_offset(const uint8_t *jpeg, size_t len);

/* Probes, asserting success. */
axle_image ti_probe_ok(const uint8_t *data, size_t len);

#endif
