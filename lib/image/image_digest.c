/* image_digest.c - SHA-256 of an encoded image's coded data, metadata left
 * out.
 *
 * export_images records this digest for every file it writes, and `axle
 * which` computes it for a file it is asked about: a copy whose XMP (or
 * any metadata) a tool stripped or rewrote still matches, since only the
 * segments and chunks that hold the picture are hashed.  What is hashed,
 * in file order:
 *   JPEG: SOI, every marker segment but APPn and COM, then the scans from
 *         the first SOS up to and including EOI (bytes after it are not
 *         the image's);
 *   WebP: each image chunk (VP8, VP8L, ALPH, ANIM, ANMF) with its fourcc
 *         and size, but not the RIFF header, VP8X (flags and canvas, which
 *         a metadata change rewrites), ICCP, EXIF, XMP or unknown chunks;
 *   PNG:  the critical chunks (IHDR, PLTE, IDAT, IEND) and tRNS, whole,
 *         not the ancillary ones (iCCP, eXIf, iTXt, ...);
 *   AVIF/HEIF: the whole file.  Its metadata items sit in the same boxes
 *         as the image's (iloc offsets move when one changes), so a copy a
 *         tool rewrote is found by its XMP only. */
#include <openssl/evp.h>
#include <string.h>

#include "image_internal.h"

#define M_COM 0xFE

static bool
is_metadata_marker(int m)
{
    return (m >= 0xE0 && m <= 0xEF) || m == M_COM; /* APPn, COM */
}

/* End of the scans: just past the first EOI after `from` (entropy-coded
 * data never holds 0xFF 0xD9: a 0xFF there is followed by 0x00), or the
 * end of the data when it has none. */
static size_t
jpeg_scans_end(const uint8_t *p, size_t len, size_t from)
{
    for (size_t i = from; i + 1 < len; i++)
        if (p[i] == 0xFF && p[i + 1] == 0xD9)
            return i + 2;
    return len;
}

static int
jpeg_digest(EVP_MD_CTX *ctx, const uint8_t *p, size_t len, char *err, size_t errlen)
{
    EVP_DigestUpdate(ctx, p, 2);
    size_t pos = 0;
    struct img_segment seg;
    int rc;
    while ((rc = img_jpeg_next_segment(p, len, &pos, &seg)) == 1)
        if (!is_metadata_marker(seg.marker))
            EVP_DigestUpdate(ctx, p + seg.start, seg.end - seg.start);
    if (rc < 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt JPEG: its segments do not add up at byte %zu", pos);
    EVP_DigestUpdate(ctx, p + pos, jpeg_scans_end(p, len, pos) - pos);
    return AXLE_OK;
}

static bool
is_image_chunk(const char fourcc[4])
{
    static const char *const image[] = {"VP8 ", "VP8L", "ALPH", "ANIM", "ANMF"};
    for (size_t i = 0; i < sizeof image / sizeof image[0]; i++)
        if (memcmp(fourcc, image[i], 4) == 0)
            return true;
    return false;
}

static int
webp_digest(EVP_MD_CTX *ctx, const uint8_t *p, size_t len, char *err, size_t errlen)
{
    size_t pos = 0, hashed = 0;
    struct img_chunk ch;
    int rc;
    while ((rc = img_webp_next_chunk(p, len, &pos, &ch)) == 1) {
        if (!is_image_chunk(ch.fourcc))
            continue;
        /* Header and payload, not the pad byte (a last chunk may lack it). */
        EVP_DigestUpdate(ctx, p + ch.start, 8 + ch.paylen);
        hashed++;
    }
    if (rc < 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt WebP: a chunk runs past the end at byte %zu", pos);
    if (hashed == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt WebP: no image chunk");
    return AXLE_OK;
}

static bool
png_hashed(const char fourcc[4])
{
    return (fourcc[0] >= 'A' && fourcc[0] <= 'Z') || memcmp(fourcc, "tRNS", 4) == 0;
}

static int
png_digest(EVP_MD_CTX *ctx, const uint8_t *p, size_t len, char *err, size_t errlen)
{
    size_t pos = 0;
    struct img_chunk ch;
    int rc;
    while ((rc = img_png_next_chunk(p, len, &pos, &ch)) == 1)
        if (png_hashed(ch.fourcc))
            EVP_DigestUpdate(ctx, p + ch.start, ch.end - ch.start);
    if (rc < 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt PNG: a chunk runs past the end at byte %zu", pos);
    return AXLE_OK;
}

static bool
is_isobmff(const uint8_t *p, size_t len)
{
    return len >= 12 && memcmp(p + 4, "ftyp", 4) == 0;
}

static void
to_hex(const unsigned char *md, unsigned n, char hex[AXLE_DIGEST_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

int
axle_image_digest(const void *data, size_t len, char hex[AXLE_DIGEST_HEX], char *err,
                  size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!hex)
        return img_fail(err, errlen, AXLE_EINVAL, "no output buffer");
    hex[0] = '\0';
    bool jpeg = data && img_is_jpeg(data, len), webp = data && img_is_webp(data, len);
    bool png = data && img_is_png(data, len), bmff = data && is_isobmff(data, len);
    if (!jpeg && !webp && !png && !bmff)
        return img_fail(err, errlen, AXLE_EFORMAT, "not a JPEG, WebP, PNG or AVIF");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for SHA-256");
    }
    int rc = AXLE_OK;
    if (jpeg)
        rc = jpeg_digest(ctx, data, len, err, errlen);
    else if (webp)
        rc = webp_digest(ctx, data, len, err, errlen);
    else if (png)
        rc = png_digest(ctx, data, len, err, errlen);
    else
        EVP_DigestUpdate(ctx, data, len);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (rc == AXLE_OK && EVP_DigestFinal_ex(ctx, md, &n) == 1)
        to_hex(md, n, hex);
    else if (rc == AXLE_OK)
        rc = img_fail(err, errlen, AXLE_EINTERNAL, "SHA-256 failed");
    EVP_MD_CTX_free(ctx);
    return rc;
}
