/* image_probe.c - what is this file?  Recognises images by their first
 * bytes, never by name, and for everything else says what it looks like,
 * so a skipped-file list reads "PNG images are not supported" or "empty
 * file" rather than a bare "bad format". */
#include <stdio.h>
#include <string.h>

#include "image_internal.h"

int
img_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int
img_check_pixels(uint32_t w, uint32_t h, uint64_t max_pixels, char *err,
                 size_t errlen)
{
    uint64_t n = (uint64_t)w * h;
    if (max_pixels && n > max_pixels)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "image is %ux%u = %llu pixels, over the limit of %llu",
                        w, h, (unsigned long long)n, (unsigned long long)max_pixels);
    return AXLE_OK;
}

/* Names formats we know but do not decode, and why: the library this
 * libaxle was built without (its codec has no row then), or none. */
static const char *
other_format(const uint8_t *p, size_t len, const char **library)
{
    static const struct {
        const char *magic;
        size_t n;
        const char *name, *library;
    } known[] = {
        {"\x89PNG\r\n\x1a\n", 8, "PNG", "libpng"}, {"GIF8", 4, "GIF", "giflib"},
        {"II*\0", 4, "TIFF", "libtiff"},            {"MM\0*", 4, "TIFF", "libtiff"},
        {"BM", 2, "BMP", NULL},                    {"\0\0\0\x0c" "jP  ", 8, "JPEG 2000", NULL},
        {"\xff\x4f\xff\x51", 4, "JPEG 2000", NULL},
        {"\xff\x0a", 2, "JPEG XL", "libjxl"},      {"\0\0\0\x0cJXL ", 8, "JPEG XL", "libjxl"},
    };
    *library = NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (len >= known[i].n && memcmp(p, known[i].magic, known[i].n) == 0) {
            *library = known[i].library;
            return known[i].name;
        }
    if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
        if (img_codec_find(AXLE_CODEC_HEIF)) /* its brands were not HEIF's */
            return "MP4 or other ISO media";
        *library = "libheif";
        return "HEIF/AVIF or MP4";
    }
    return NULL;
}

/* True when the first bytes look like text (printable ASCII, white space
 * or well-formed UTF-8), to say so in the message. */
static int
looks_like_text(const uint8_t *p, size_t len)
{
    size_t n = len < 512 ? len : 512;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c < 0x80) {
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f)
                return 0;
            continue;
        }
        size_t more = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 0;
        if (more == 0)
            return 0;
        for (size_t k = 1; k <= more; k++)
            if (i + k < n && (p[i + k] & 0xC0) != 0x80)
                return 0;
        i += more;
    }
    return 1;
}

/* The probe proper: `p` is the first `len` bytes of a file of `file_size`
 * bytes (IMG_SIZE_UNKNOWN: perhaps more).  AXLE_EMORE with *need set when
 * the data ends before the headers do. */
static int
probe(const uint8_t *p, size_t len, uint64_t file_size, size_t *need, axle_image *out,
      char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return img_fail(err, errlen, AXLE_EINVAL, "no image to fill in");
    memset(out, 0, sizeof *out);
    out->data = p;
    out->size = len;
    out->orientation = 1;
    if (!p || len == 0) {
        if (p && file_size != IMG_SIZE_UNKNOWN && file_size > 0) {
            *need = file_size < 12 ? (size_t)file_size : 12;
            return img_fail(err, errlen, AXLE_EMORE, "no bytes to probe");
        }
        return img_fail(err, errlen, AXLE_EFORMAT, "empty file");
    }
    /* The magic numbers below are at most 12 bytes long. */
    if (len < 12 && file_size != IMG_SIZE_UNKNOWN && file_size > len) {
        *need = file_size < 12 ? (size_t)file_size : 12;
        return img_fail(err, errlen, AXLE_EMORE, "%zu bytes are too few to probe", len);
    }
    const struct img_codec *codec = img_codec_sniff(p, len);
    if (codec)
        return codec->probe(p, len, file_size, need, out, err, errlen);
    const char *library;
    const char *other = other_format(p, len, &library);
    if (other && library)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "%s images are not supported: axle was built without %s "
                        "(install it and rebuild; ./setup.sh does)", other, library);
    if (other)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "%s images are not supported", other);
    if (looks_like_text(p, len))
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "not an image: the file holds text");
    char names[128];
    img_codec_list(names, sizeof names);
    return img_fail(err, errlen, AXLE_EFORMAT,
                    "not a %s image (starts with bytes %02x %02x %02x %02x)", names,
                    p[0], len > 1 ? p[1] : 0, len > 2 ? p[2] : 0, len > 3 ? p[3] : 0);
}

int
axle_image_probe(const void *data, size_t len, axle_image *out, char *err,
                 size_t errlen)
{
    size_t need;
    return probe(data, len, IMG_SIZE_UNKNOWN, &need, out, err, errlen);
}

/* How messages name the format the first bytes say. */
static const char *
codec_label(const uint8_t *p, size_t len)
{
    const struct img_codec *codec = img_codec_sniff(p, len);
    return codec ? codec->label : "image";
}

int
axle_image_probe_prefix(const void *data, size_t len, uint64_t file_size, size_t *need,
                        axle_image *out, char *err, size_t errlen)
{
    size_t want = 0;
    if (need)
        *need = 0;
    if (file_size < len)
        return img_fail(err, errlen, AXLE_EINVAL,
                        "a prefix of %zu bytes of a file of %llu bytes", len,
                        (unsigned long long)file_size);
    int rc = probe(data, len, file_size, &want, out, err, errlen);
    if (rc != AXLE_EMORE)
        return rc;
    if (len == file_size) /* the whole file: it is truncated */
        return AXLE_EFORMAT;
    if (want > file_size)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated %s: the file has %llu bytes, its headers need %zu",
                        codec_label(data, len),
                        (unsigned long long)file_size, want);
    if (need)
        *need = want;
    return AXLE_EMORE;
}
