/* image_encoded_as.c - whether a stored bitstream is coded as an encode
 * with given options would code it (issue 12: one encode per thumbnail).
 *
 * A thumbnail column stored in an export format (the thumbnailer's
 * `store: jpeg|webp|png`) is encoded by axle_image_encode_with, the call
 * export_images makes; export can then write the cell as it is, its XMP
 * added, instead of decoding and encoding it again.  It may only when the
 * cell is what its own encode would have made: the recorded quality says
 * what the bitstream cannot (a JPEG's tables do not name a quality), the
 * bitstream says the rest (baseline or progressive, chroma sampling), so
 * that a cell made with other options, or a photo imported as it is, is
 * never taken for one. */
#include <string.h>

#include "image_internal.h"

#define M_SOF0 0xC0 /* baseline */
#define M_SOF1 0xC1 /* extended sequential */
#define M_SOF2 0xC2 /* progressive */

/* A JPEG's frame: progressive or not, and its chroma subsampling (444,
 * 420, 0 for grey, -1 for any other).  false when there is no frame
 * header before the scans (or one of another coding). */
static bool
jpeg_frame(const uint8_t *p, size_t len, bool *progressive, int *sampling)
{
    if (!img_is_jpeg(p, len))
        return false;
    size_t pos = 0;
    struct img_segment seg;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1) {
        if (seg.marker != M_SOF0 && seg.marker != M_SOF1 && seg.marker != M_SOF2)
            continue;
        /* precision, height, width, components, then 3 bytes each */
        if (seg.paylen < 6 || seg.paylen < 6 + 3 * (size_t)seg.payload[5])
            return false;
        int n = seg.payload[5];
        const uint8_t *c = seg.payload + 6;
        *progressive = seg.marker == M_SOF2;
        if (n == 1)
            *sampling = 0;
        else if (n != 3 || c[4] != 0x11 || c[7] != 0x11)
            *sampling = -1;
        else
            *sampling = c[1] == 0x11 ? 444 : c[1] == 0x22 ? 420 : -1;
        return true;
    }
    return false;
}

/* The chroma img_encode_jpeg gives colour pixels for these options. */
static int
jpeg_wanted_sampling(const axle_encode_options *o)
{
    if (o->subsampling)
        return o->subsampling;
    return o->quality >= 90 ? 444 : 420;
}

bool
axle_image_encoded_as(const axle_image *img, int quality, axle_codec codec,
                      const axle_encode_options *o)
{
    if (!img || !img->data || !o || o->struct_size < sizeof *o || img->codec != codec ||
        img->orientation > 1 || o->exif)
        return false;
    switch (codec) {
    case AXLE_CODEC_JPEG: {
        bool progressive;
        int sampling;
        if (quality != o->quality ||
            !jpeg_frame(img->data, img->size, &progressive, &sampling))
            return false;
        return progressive == o->progressive &&
               (sampling == 0 || sampling == jpeg_wanted_sampling(o));
    }
    case AXLE_CODEC_WEBP: /* lossy: export writes no lossless WebP */
        return quality == o->quality && !o->progressive && !o->subsampling;
    case AXLE_CODEC_PNG: /* lossless, whatever the quality asked for */
        return quality == AXLE_QUALITY_LOSSLESS && !o->progressive && !o->subsampling;
    default: /* AVIF takes its XMP only when it is encoded */
        return false;
    }
}
