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

/* The data ends before the probe is done; it needs `want` bytes. */
static int
more(size_t want, size_t *need)
{
    if (need)
        *need = want;
    return AXLE_EMORE;
}

/* VP8X's flag for an "EXIF" chunk. */
#define VP8X_EXIF 0x08

/* Orientation from the "EXIF" chunk, walking the chunks after the
 * 12-byte RIFF header (each is padded to an even size) within the first
 * `avail` of the RIFF's `riff` bytes.  Only an extended file (VP8X) whose
 * header flags EXIF is walked: a simple file has one chunk, and the flag
 * lets a prefix of a file without EXIF answer without reading on (the
 * chunk comes after the image data).  AXLE_EMORE when the walk needs
 * bytes past `avail`. */
static int
webp_orientation(const uint8_t *p, size_t avail, size_t riff, int *orientation,
                 size_t *need)
{
    *orientation = 1;
    if (avail < 21 || memcmp(p + 12, "VP8X", 4) != 0 || !(p[20] & VP8X_EXIF))
        return AXLE_OK;
    size_t pos = 12;
    while (riff - pos >= 8) {
        if (pos + 8 > avail)
            return more(pos + 8, need);
        size_t n = img_le32(p + pos + 4);
        if (n > riff - pos - 8)
            return AXLE_OK; /* a chunk past the end: no orientation */
        if (memcmp(p + pos, "EXIF", 4) == 0) {
            if (n > avail - pos - 8)
                return more(pos + 8 + n, need);
            const uint8_t *d = p + pos + 8;
            /* Some writers keep the JPEG APP1 prefix; the spec says bare TIFF. */
            *orientation = n >= 6 && memcmp(d, "Exif\0\0", 6) == 0
                ? img_exif_orientation(d + 6, n - 6) : img_exif_orientation(d, n);
            return AXLE_OK;
        }
        pos += 8 + n + (n & 1);
        if (pos > riff)
            return AXLE_OK;
    }
    return AXLE_OK;
}

/* Where the probe can find the bitstream's own header: past the chunks
 * before "VP8 " / "VP8L" (VP8X, ICCP, ALPH). */
static size_t
features_need(const uint8_t *p, size_t avail, size_t riff)
{
    size_t pos = 12;
    while (avail >= pos + 8) {
        if (memcmp(p + pos, "VP8 ", 4) == 0 || memcmp(p + pos, "VP8L", 4) == 0)
            break;
        size_t n = img_le32(p + pos + 4);
        if (n > riff - pos - 8)
            break;
        pos += 8 + n + (n & 1);
    }
    size_t want = pos + 8 + 32; /* the chunk header and the frame header */
    return want > riff ? riff : want;
}

int
img_webp_probe(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
               axle_image *out, char *err, size_t errlen)
{
    if (len < 12 || memcmp(p + 8, "WEBP", 4) != 0) {
        if (len >= 12)
            return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                            "a RIFF file of type '%.4s', not a WebP image", (const char *)p + 8);
        img_fail(err, errlen, 0, "truncated RIFF header (%zu bytes)", len);
        return more(12, need);
    }
    uint64_t riff = (uint64_t)img_le32(p + 4) + 8;
    uint64_t have = file_size == IMG_SIZE_UNKNOWN ? len : file_size;
    if (riff > have) {
        img_fail(err, errlen, 0, "truncated WebP: its RIFF header says %llu bytes, the file has %llu",
                 (unsigned long long)riff, (unsigned long long)have);
        return file_size == IMG_SIZE_UNKNOWN ? more((size_t)riff, need) : AXLE_EFORMAT;
    }
    size_t avail = riff < len ? (size_t)riff : len;
    /* libwebp answers from a VP8X header alone when the data stops after
     * it, and checks the bitstream's own header only when it is there: a
     * prefix must reach it to get the whole file's answer. */
    size_t want = features_need(p, avail, (size_t)riff);
    if (avail < riff && want > avail) {
        img_fail(err, errlen, 0, "truncated WebP: the file ends before its image data");
        return more(want, need);
    }
    WebPBitstreamFeatures f;
    VP8StatusCode st = WebPGetFeatures(p, avail, &f);
    if (st == VP8_STATUS_NOT_ENOUGH_DATA && avail < riff) {
        img_fail(err, errlen, 0, "%s", img_webp_status(st));
        return more(want > avail ? want : avail + 1, need);
    }
    if (st != VP8_STATUS_OK)
        return img_fail(err, errlen, AXLE_EFORMAT, "%s", img_webp_status(st));
    if (f.has_animation)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "animated WebP is not supported");
    if (f.width <= 0 || f.height <= 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "WebP with a zero size");
    int orientation;
    if (webp_orientation(p, avail, (size_t)riff, &orientation, need) == AXLE_EMORE)
        return img_fail(err, errlen, AXLE_EMORE, "truncated WebP: its EXIF chunk is cut");
    out->codec = AXLE_CODEC_WEBP;
    out->width = (uint32_t)f.width;
    out->height = (uint32_t)f.height;
    out->channels = f.has_alpha ? 4 : 3;
    out->orientation = (uint8_t)orientation;
    return AXLE_OK;
}

/* Any RIFF file: the probe says when it is another kind (WAVE, AVI). */
static bool
sniff_riff(const uint8_t *p, size_t len)
{
    return len >= 4 && memcmp(p, "RIFF", 4) == 0;
}

const struct img_codec img_codec_webp = {
    AXLE_CODEC_WEBP, "WebP", sniff_riff, img_webp_probe, img_decode_webp, img_encode_webp,
};
