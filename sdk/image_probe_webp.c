/* image_probe_webp.c - a WebP's size, alpha and EXIF orientation.
 *
 * libwebp's WebPGetFeatures reads the bitstream headers; the RIFF size and
 * the chunk walk for "EXIF" are checked here, so that a file cut short is
 * reported as truncated already when it is imported. */
#include <string.h>

#include <webp/decode.h>

#include "image_internal.h"

const char *
img_webp_status(int status)
{
    switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "corrupt WebP bitstream";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported WebP feature";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated WebP: not enough data";
    default: return "WebP decoding failed";
    }
}

/* Orientation from the "EXIF" chunk, walking the chunks after the
 * 12-byte RIFF header; each chunk is padded to an even size. */
static int
webp_orientation(const uint8_t *p, size_t len)
{
    size_t pos = 12;
    while (len - pos >= 8) {
        size_t n = img_le32(p + pos + 4);
        const uint8_t *d = p + pos + 8;
        if (n > len - pos - 8)
            return 1;
        if (memcmp(p + pos, "EXIF", 4) == 0) {
            /* Some writers keep the JPEG APP1 prefix; the spec says bare TIFF. */
            if (n >= 6 && memcmp(d, "Exif\0\0", 6) == 0)
                return img_exif_orientation(d + 6, n - 6);
            return img_exif_orientation(d, n);
        }
        pos += 8 + n + (n & 1);
        if (pos > len)
            return 1;
    }
    return 1;
}

int
img_webp_probe(const uint8_t *p, size_t len, axle_image *out, char *err,
               size_t errlen)
{
    if (len < 12 || memcmp(p + 8, "WEBP", 4) != 0) {
        if (len >= 12)
            return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                            "a RIFF file of type '%.4s', not a WebP image", (const char *)p + 8);
        return img_fail(err, errlen, AXLE_EFORMAT, "truncated RIFF header (%zu bytes)", len);
    }
    uint64_t riff = (uint64_t)img_le32(p + 4) + 8;
    if (riff > len)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated WebP: its RIFF header says %llu bytes, the file has %zu",
                        (unsigned long long)riff, len);
    WebPBitstreamFeatures f;
    VP8StatusCode st = WebPGetFeatures(p, (size_t)riff, &f);
    if (st != VP8_STATUS_OK)
        return img_fail(err, errlen, AXLE_EFORMAT, "%s", img_webp_status(st));
    if (f.has_animation)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "animated WebP is not supported");
    if (f.width <= 0 || f.height <= 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "WebP with a zero size");
    out->codec = AXLE_CODEC_WEBP;
    out->width = (uint32_t)f.width;
    out->height = (uint32_t)f.height;
    out->channels = f.has_alpha ? 4 : 3;
    out->orientation = (uint8_t)webp_orientation(p, (size_t)riff);
    return AXLE_OK;
}
