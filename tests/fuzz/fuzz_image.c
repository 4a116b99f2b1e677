/* fuzz_image.c - libFuzzer harness for the image probe and every decoder.
 *
 * Each input is probed whole and on prefixes, then decoded as JPEG, as
 * WebP and as raw pixels, at full size and at two reduced scales, with and
 * without AXLE_DECODE_PARTIAL.  Besides the sanitizers, two oracles:
 *
 * - determinism: every decode runs twice, into buffers pre-filled with two
 *   different bytes (through the allocator hook of img_decode, the code
 *   the public calls run).  Both runs must give the same result and the
 *   same pixels; a pixel the decoder did not write differs between them.
 *   This is what caught corrupt JPEGs "decoded" into uninitialised memory.
 * - prefixes: a probe of a prefix either asks for more bytes
 *   (AXLE_EMORE) or says exactly what the probe of the whole file says.
 *
 * Build (see tests/fuzz/ for the seeds, tests/fuzz/seeds/image/):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isdk -Ibuild \
 *       sdk/*.c tests/fuzz/fuzz_image.c \
 *       $(pkg-config --libs libturbojpeg libjpeg libwebp libwebpdemux \
 *         libwebpmux jansson) -lm -o fuzz_image
 *   ./fuzz_image -jobs=1 tests/fuzz/seeds/image */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* Small enough that a run never waits on a huge allocation; large enough
 * for every seed. */
#define FUZZ_MAX_PIXELS (4u * 1024 * 1024)

static int
prefilled(axle_pixels *px, uint32_t w, uint32_t h, uint32_t channels, void *ctx)
{
    int rc = axle_pixels_alloc(px, w, h, channels);
    if (rc == AXLE_OK)
        memset(px->data, *(const uint8_t *)ctx, px->stride * h);
    return rc;
}

static void
oracle_failed(const char *what, const axle_image *img, uint32_t ww, uint32_t wh,
              unsigned flags)
{
    fprintf(stderr, "fuzz_image: %s (codec %s, want %ux%u, flags %u)\n", what,
            axle_codec_name(img->codec), ww, wh, flags);
    abort();
}

static int
same_pixels(const axle_pixels *a, const axle_pixels *b)
{
    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return 0;
    size_t row = (size_t)a->width * a->channels;
    for (uint32_t y = 0; y < a->height; y++)
        if (memcmp(a->data + y * a->stride, b->data + y * b->stride, row) != 0)
            return 0;
    return 1;
}

static void
decode_twice(const axle_image *img, uint32_t ww, uint32_t wh, unsigned flags)
{
    uint8_t fill_a = 0x00, fill_b = 0xFF; /* every bit differs */
    struct img_decode_req ra = {ww, wh, FUZZ_MAX_PIXELS, flags, prefilled, &fill_a};
    struct img_decode_req rb = {ww, wh, FUZZ_MAX_PIXELS, flags, prefilled, &fill_b};
    axle_pixels a, b;
    char ea[256], eb[256];
    int rca = img_decode(img, &ra, &a, ea, sizeof ea);
    int rcb = img_decode(img, &rb, &b, eb, sizeof eb);
    if (rca != rcb || strcmp(ea, eb) != 0)
        oracle_failed("two decodes of the same data disagree", img, ww, wh, flags);
    if (rca < 0 && (a.data || b.data))
        oracle_failed("a failed decode returned pixels", img, ww, wh, flags);
    if (rca == AXLE_PARTIAL && !(flags & AXLE_DECODE_PARTIAL))
        oracle_failed("a partial image without AXLE_DECODE_PARTIAL", img, ww, wh, flags);
    if (rca >= 0 && !same_pixels(&a, &b))
        oracle_failed("pixels depend on the buffer's old contents", img, ww, wh, flags);
    if (rca >= 0 && (!a.data || a.width == 0 || a.height == 0 || !err_empty_ok(rca, ea)))
        oracle_failed("a decode succeeded without a whole result", img, ww, wh, flags);
    axle_pixels_free(&a);
    axle_pixels_free(&b);
}
