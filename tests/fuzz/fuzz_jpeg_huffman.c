/* fuzz_jpeg_huffman.c - libFuzzer harness: axle's Huffman decoder
 * (lib/image/image_jpeg_huffman.c) against libjpeg's own, on the same
 * input, at full size and at 1/2 and 1/8.
 *
 * The oracle: when libjpeg's decoder accepts a file, axle's gives the
 * same pixels or refuses it as corrupt for one of two reasons libjpeg's
 * misses: an invalid Huffman code (its fast path reads one as zero), or
 * more than a few bytes of data after the last block (it counts them
 * less the bytes its bit buffer had read ahead; axle's counts them all).
 * When libjpeg's refuses a file, axle's refuses it too.  Seeds: tests/fuzz/seeds/jpeg_huffman
 * (baseline 4:2:0 and 4:4:4, grey, CMYK, restart markers, truncated). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define FUZZ_MAX_PIXELS (4u * 1024 * 1024)

static int
decode(const axle_image *img, uint32_t ww, uint32_t wh, const char *which,
       axle_pixels *px, char *err, size_t errlen)
{
    if (which)
        setenv("AXLE_JPEG_HUFFMAN", which, 1);
    else
        unsetenv("AXLE_JPEG_HUFFMAN");
    memset(px, 0, sizeof *px);
    return axle_image_decode_ex(img, ww, wh, FUZZ_MAX_PIXELS, 0, px, err, errlen);
}

static void
differs(const char *what, uint32_t ww, const char *ours, const char *theirs)
{
    fprintf(stderr, "fuzz_jpeg_huffman: %s (want width %u): axle: %s; libjpeg: %s\n", what, ww,
            ours, theirs);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    axle_image img;
    char err[256];
    if (axle_image_probe(data, size, &img, err, sizeof err) != AXLE_OK ||
        img.codec != AXLE_CODEC_JPEG)
        return 0;
    const uint32_t wants[3] = {0, img.width / 4 + 1, 1};
    for (int i = 0; i < 3; i++) {
        axle_pixels a, b;
        char ea[256] = "", eb[256] = "";
        int ra = decode(&img, wants[i], wants[i] ? 1 : 0, NULL, &a, ea, sizeof ea);
        int rb = decode(&img, wants[i], wants[i] ? 1 : 0, "libjpeg", &b, eb, sizeof eb);
        if (ra == AXLE_OK && rb != AXLE_OK)
            differs("axle's decoder accepts what libjpeg's refuses", wants[i], "ok", eb);
        if (ra == AXLE_OK && rb == AXLE_OK &&
            (a.width != b.width || a.height != b.height || a.channels != b.channels ||
             memcmp(a.data, b.data, a.stride * a.height) != 0))
            differs("different pixels", wants[i], "ok", "ok");
        if (ra != AXLE_OK && rb == AXLE_OK && !strstr(ea, "bad Huffman code") &&
            !strstr(ea, "extraneous bytes before marker"))
            differs("axle's decoder refuses what libjpeg's accepts", wants[i], ea, "ok");
        axle_pixels_free(&a);
        axle_pixels_free(&b);
    }
    return 0;
}
