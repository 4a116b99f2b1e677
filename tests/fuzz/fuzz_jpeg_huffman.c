/* fuzz_jpeg_huffman.c - libFuzzer harness: axle's Huffman decoder
 * (lib/image/image_jpeg_huffman.c) against libjpeg's own, on the same
 * input, at full size and at 1/2 and 1/8.
 *
 * The oracle: when libjpeg's decoder accepts a file, axle's gives the
 * same pixels or refuses it as corrupt for one of three reasons libjpeg's
 * misses: an invalid Huffman code (its fast path reads one as zero),
 * more than a few bytes of data after the last block (it counts them
 * less the bytes its bit buffer had read ahead; axle's counts them all),
 * or DC differences that add up past INT_MAX (libjpeg-turbo 2.1's
 * sequential decoder wraps around).  When libjpeg's refuses a file,
 * axle's refuses it too.  And with AXLE_DECODE_PARTIAL both give the
 * same pixels of a damaged file, whatever each says of the damage.
 *
 * One exception to "the same pixels": an FF data byte stuffed as FF FF 00
 * (not allowed by the standard, read as FF by libjpeg), which libjpeg-
 * turbo 2.1's fast path mistakes for a marker, leaving coefficients of
 * its first try in the blocks; axle's decoder reads it as FF.
 *
 * Seeds: tests/fuzz/seeds/jpeg_huffman (baseline 4:2:0, 4:4:4 and 4:2:2,
 * grey, CMYK, restart markers, optimised tables, long codes, truncated). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#define FUZZ_MAX_PIXELS (4u * 1024 * 1024)

static int
decode(const axle_image *img, uint32_t ww, uint32_t wh, unsigned flags, const char *which,
       axle_pixels *px, char *err, size_t errlen)
{
    if (which)
        setenv("AXLE_JPEG_HUFFMAN", which, 1);
    else
        unsetenv("AXLE_JPEG_HUFFMAN");
    memset(px, 0, sizeof *px);
    return axle_image_decode_ex(img, ww, wh, FUZZ_MAX_PIXELS, flags, px, err, errlen);
}

/* Whether the data holds FF FF.. 00 (see above). */
static bool
has_fill_before_zero(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if (d[i] == 0xFF && d[i + 1] == 0xFF) {
            size_t k = i + 1;
            while (k < n && d[k] == 0xFF)
                k++;
            if (k < n && d[k] == 0x00)
                return true;
            i = k - 1;
        }
    return false;
}

/* A refusal axle's decoder may give alone. */
static bool
sees_more(const char *err)
{
    return strstr(err, "bad Huffman code") || strstr(err, "extraneous bytes before marker") ||
           strstr(err, "DCT coefficient out of range");
}

static bool
same_pixels(const axle_pixels *a, const axle_pixels *b)
{
    return a->width == b->width && a->height == b->height && a->channels == b->channels &&
           memcmp(a->data, b->data, a->stride * a->height) == 0;
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
    bool comparable = !has_fill_before_zero(data, size);
    const uint32_t wants[3] = {0, img.width / 4 + 1, 1};
    for (int i = 0; i < 3; i++) {
        axle_pixels a, b;
        char ea[256] = "", eb[256] = "";
        int ra = decode(&img, wants[i], wants[i] ? 1 : 0, 0, NULL, &a, ea, sizeof ea);
        int rb = decode(&img, wants[i], wants[i] ? 1 : 0, 0, "libjpeg", &b, eb, sizeof eb);
        if (ra == AXLE_OK && rb != AXLE_OK)
            differs("axle's decoder accepts what libjpeg's refuses", wants[i], "ok", eb);
        if (ra == AXLE_OK && rb == AXLE_OK && comparable && !same_pixels(&a, &b))
            differs("different pixels", wants[i], "ok", "ok");
        if (ra != AXLE_OK && rb == AXLE_OK && !sees_more(ea))
            differs("axle's decoder refuses what libjpeg's accepts", wants[i], ea, "ok");
        axle_pixels_free(&a);
        axle_pixels_free(&b);
    }
    /* What each makes of damage, at full size. */
    axle_pixels a, b;
    char ea[256] = "", eb[256] = "";
    int ra = decode(&img, 0, 0, AXLE_DECODE_PARTIAL, NULL, &a, ea, sizeof ea);
    int rb = decode(&img, 0, 0, AXLE_DECODE_PARTIAL, "libjpeg", &b, eb, sizeof eb);
    if (ra >= 0 && rb >= 0 && comparable && !strstr(ea, "DCT coefficient out of range") &&
        !same_pixels(&a, &b))
        differs("different partial pixels", 0, ra ? ea : "ok", rb ? eb : "ok");
    axle_pixels_free(&a);
    axle_pixels_free(&b);
    return 0;
}
