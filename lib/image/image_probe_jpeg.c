/* image_probe_jpeg.c - walks a JPEG's markers from SOI to the first scan.
 *
 * Only headers are read: the frame header (SOFn) for size, components and
 * coding process, APP1 "Exif" for orientation, APP14 "Adobe" for the CMYK
 * polarity.  Every segment length is checked against the buffer, so data
 * that ends inside the headers is AXLE_EMORE, with the byte offset in the
 * message and the bytes needed: a prefix of a file (the import reads only
 * the first bytes) asks for more, a whole file is truncated. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "image_internal.h"

#define M_SOI 0xD8
#define M_EOI 0xD9
#define M_SOS 0xDA
#define M_APP1 0xE1
#define M_APP14 0xEE

static int
is_sof(int m)
{
    /* C4 (DHT), C8 (JPG extension) and CC (DAC) share the range. */
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int
is_standalone(int m)
{
    return m == 0x01 || (m >= 0xD0 && m <= 0xD7); /* TEM, RSTn */
}

static int
read_sof(const uint8_t *d, size_t n, int m, struct img_jpeg_info *info,
         char *err, size_t errlen)
{
    if (n < 6)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG: frame header too short");
    info->sof = m;
    info->precision = d[0];
    info->height = img_be16(d + 1);
    info->width = img_be16(d + 3);
    info->components = d[5];
    if (n < 6 + 3 * (size_t)info->components)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt JPEG: frame header lists %d components but is %zu bytes",
                        info->components, n);
    return AXLE_OK;
}

static void
read_app(const uint8_t *d, size_t n, int m, struct img_jpeg_info *info, int *have_exif)
{
    if (m == M_APP1 && !*have_exif && n >= 6 && memcmp(d, "Exif\0\0", 6) == 0) {
        *have_exif = 1;
        info->orientation = img_exif_orientation(d + 6, n - 6);
    } else if (m == M_APP14 && n >= 12 && memcmp(d, "Adobe", 5) == 0) {
        info->adobe = 1;
        info->adobe_transform = d[11];
    }
}

/* What libjpeg-turbo 2.x cannot decode, said plainly. */
static int
check_supported(const struct img_jpeg_info *info, char *err, size_t errlen)
{
    int m = info->sof;
    if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "lossless JPEG (SOF%d) is not supported", m - 0xC0);
    if (m == 0xC5 || m == 0xC6 || m == 0xCD || m == 0xCE)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "hierarchical JPEG (SOF%d) is not supported", m - 0xC0);
    if (info->precision != 8)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "%d-bit JPEG is not supported (8-bit only)", info->precision);
    if (info->components != 1 && info->components != 3 && info->components != 4)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "JPEG with %d colour components is not supported",
                        info->components);
    if (info->width == 0 || info->height == 0)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "JPEG with a zero %s in its frame header is not supported",
                        info->width == 0 ? "width" : "height (DNL)");
    return AXLE_OK;
}

int
img_jpeg_scan(const uint8_t *p, size_t len, struct img_jpeg_info *info,
              size_t *need, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    info->orientation = 1;
    int have_sof = 0, have_exif = 0;
    size_t pos = 2; /* after SOI */
    for (;;) {
        if (pos >= len)
            return img_more(pos + 4, need, err, errlen,
                              "truncated JPEG: the file ends at byte %zu, inside its headers", len);
        if (p[pos] != 0xFF)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt JPEG: no marker at byte %zu of the headers", pos);
        while (pos < len && p[pos] == 0xFF)
            pos++; /* fill bytes */
        if (pos >= len)
            continue; /* reported as truncated above */
        int m = p[pos++];
        if (is_standalone(m))
            continue;
        if (m == M_SOI || m == M_EOI || m == 0x00)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt JPEG: unexpected marker FF%02X at byte %zu before the image data",
                            m, pos - 2);
        if (len - pos < 2)
            return img_more(pos + 2, need, err, errlen,
                              "truncated JPEG: the file ends at byte %zu, inside its headers", len);
        size_t seglen = img_be16(p + pos);
        if (seglen < 2)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt JPEG: segment FF%02X at byte %zu has length %zu",
                            m, pos - 2, seglen);
        if (seglen > len - pos) /* wants the segment and the next marker's header */
            return img_more(pos + seglen + 4, need, err, errlen,
                              "truncated JPEG: segment FF%02X at byte %zu needs %zu bytes, the file ends at %zu",
                              m, pos - 2, seglen, len);
        const uint8_t *d = p + pos + 2;
        size_t n = seglen - 2;
        if (m == M_SOS) {
            if (!have_sof)
                return img_fail(err, errlen, AXLE_EFORMAT,
                                "corrupt JPEG: image data before the frame header");
            if (pos + seglen >= len)
                return img_more(pos + seglen + 1, need, err, errlen,
                                  "truncated JPEG: the file ends where its image data starts");
            return check_supported(info, err, errlen);
        }
        if (is_sof(m) && !have_sof) {
            int rc = read_sof(d, n, m, info, err, errlen);
            if (rc != AXLE_OK)
                return rc;
            have_sof = 1;
        } else {
            read_app(d, n, m, info, &have_exif);
        }
        pos += seglen;
    }
}

int
img_jpeg_probe(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
               axle_image *out, char *err, size_t errlen)
{
    (void)file_size; /* the marker walk asks for what it needs */
    struct img_jpeg_info info;
    int rc = img_jpeg_scan(p, len, &info, need, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    out->codec = AXLE_CODEC_JPEG;
    out->width = info.width;
    out->height = info.height;
    out->channels = (uint8_t)info.components;
    out->orientation = (uint8_t)info.orientation;
    return AXLE_OK;
}

static bool
sniff_jpeg(const uint8_t *p, size_t len)
{
    return len >= 2 && p[0] == 0xFF && p[1] == 0xD8;
}

const struct img_codec img_codec_jpeg = {
    AXLE_CODEC_JPEG, "JPEG", sniff_jpeg, img_jpeg_probe, img_decode_jpeg, img_encode_jpeg,
};
