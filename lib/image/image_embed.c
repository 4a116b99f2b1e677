/* image_embed.c - EXIF, ICC profile and XMP into a file just encoded.
 *
 * The encoders code pixels only; what a file carries besides goes in here,
 * once, in the places readers look first:
 *   JPEG: after SOI and the JFIF header, APP1 "Exif\0\0" + the TIFF
 *         structure, APP1 XMP, then APP2 "ICC_PROFILE" segments (a profile
 *         over one segment's 65519 bytes split in numbered parts, ICC.1
 *         annex B.4);
 *   WebP: EXIF, ICCP and "XMP " chunks through libwebpmux, which writes
 *         the VP8X header and its flags.
 * PNG and AVIF carry theirs through their own libraries
 * (image_encode_png.c, image_encode_avif.c). */
#include <stdlib.h>
#include <string.h>

#include <webp/mux.h>

#include "image_internal.h"

#define M_APP0 0xE0
#define M_APP1 0xE1
#define M_APP2 0xE2
#define SEGMENT_MAX 65533 /* payload: the length field counts itself */
static const char exif_sig[6] = {'E', 'x', 'i', 'f', 0, 0};
static const char icc_sig[12] = "ICC_PROFILE"; /* with its NUL */
#define ICC_PART_MAX (SEGMENT_MAX - 14)         /* signature, number, count */

/* Appends one segment: marker, length, then `a` and `b` (either may be
 * empty). */
static uint8_t *
put_segment(uint8_t *o, int marker, const void *a, size_t alen, const void *b, size_t blen)
{
    size_t n = 2 + alen + blen;
    *o++ = 0xFF;
    *o++ = (uint8_t)marker;
    *o++ = (uint8_t)(n >> 8);
    *o++ = (uint8_t)(n & 0xFF);
    memcpy(o, a, alen);
    memcpy(o + alen, b, blen);
    return o + alen + blen;
}

static uint8_t *
put_icc(uint8_t *o, const uint8_t *icc, size_t len)
{
    size_t parts = (len + ICC_PART_MAX - 1) / ICC_PART_MAX;
    for (size_t i = 0; i < parts; i++) {
        uint8_t head[14];
        memcpy(head, icc_sig, 12);
        head[12] = (uint8_t)(i + 1);
        head[13] = (uint8_t)parts;
        size_t n = i + 1 < parts ? ICC_PART_MAX : len - i * ICC_PART_MAX;
        o = put_segment(o, M_APP2, head, sizeof head, icc + i * ICC_PART_MAX, n);
    }
    return o;
}

/* Where the new segments go: after SOI and the APP0 (JFIF) segments. */
static size_t
after_jfif(const uint8_t *p, size_t len)
{
    size_t pos = 0, at = 2;
    struct img_segment seg;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1 && seg.marker == M_APP0)
        at = seg.end;
    return at;
}

int
img_embed_jpeg(uint8_t **buf, size_t *len, const struct img_encode_req *req, char *err,
               size_t errlen)
{
    if (!req->exif && !req->icc && !req->xmp)
        return AXLE_OK;
    if (req->exif_len > SEGMENT_MAX - sizeof exif_sig)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "EXIF of %zu bytes is over the %zu one JPEG segment holds",
                        req->exif_len, SEGMENT_MAX - sizeof exif_sig);
    if (req->xmp_len > SEGMENT_MAX - IMG_XMP_JPEG_SIGLEN)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "XMP packet of %zu bytes is over the %d one JPEG segment holds",
                        req->xmp_len, SEGMENT_MAX - IMG_XMP_JPEG_SIGLEN);
    if (req->icc_len > (size_t)255 * ICC_PART_MAX)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "ICC profile of %zu bytes is over what 255 JPEG segments hold",
                        req->icc_len);
    size_t icc_parts = (req->icc_len + ICC_PART_MAX - 1) / ICC_PART_MAX;
    size_t extra = (req->exif ? 4 + sizeof exif_sig + req->exif_len : 0) +
                   (req->xmp ? 4 + IMG_XMP_JPEG_SIGLEN + req->xmp_len : 0) +
                   icc_parts * 18 + req->icc_len;
    uint8_t *p = *buf, *out = malloc(*len + extra), *o = out;
    if (!out)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory adding metadata");
    size_t at = after_jfif(p, *len);
    memcpy(o, p, at);
    o += at;
    if (req->exif)
        o = put_segment(o, M_APP1, exif_sig, sizeof exif_sig, req->exif, req->exif_len);
    if (req->xmp)
        o = put_segment(o, M_APP1, IMG_XMP_JPEG_SIG, IMG_XMP_JPEG_SIGLEN, req->xmp,
                        req->xmp_len);
    if (req->icc)
        o = put_icc(o, req->icc, req->icc_len);
    memcpy(o, p + at, *len - at);
    o += *len - at;
    free(p);
    *buf = out;
    *len = (size_t)(o - out);
    return AXLE_OK;
}

int
img_embed_webp(uint8_t **buf, size_t *len, const struct img_encode_req *req, char *err,
               size_t errlen)
{
    if (!req->exif && !req->icc && !req->xmp)
        return AXLE_OK;
    WebPData in = {*buf, *len}, asm_out;
    WebPDataInit(&asm_out);
    WebPMux *mux = WebPMuxCreate(&in, 0);
    if (!mux)
        return img_fail(err, errlen, AXLE_EINTERNAL, "libwebpmux cannot read the new WebP");
    struct {
        const char *fourcc;
        const void *data;
        size_t len;
    } chunks[] = {{"ICCP", req->icc, req->icc_len},
                  {"EXIF", req->exif, req->exif_len},
                  {"XMP ", req->xmp, req->xmp_len}};
    WebPMuxError e = WEBP_MUX_OK;
    for (size_t i = 0; e == WEBP_MUX_OK && i < sizeof chunks / sizeof chunks[0]; i++) {
        WebPData d = {chunks[i].data, chunks[i].len};
        if (chunks[i].data)
            e = WebPMuxSetChunk(mux, chunks[i].fourcc, &d, 0);
    }
    if (e == WEBP_MUX_OK)
        e = WebPMuxAssemble(mux, &asm_out);
    WebPMuxDelete(mux);
    if (e != WEBP_MUX_OK) {
        WebPDataClear(&asm_out);
        return img_fail(err, errlen, e == WEBP_MUX_MEMORY_ERROR ? AXLE_ENOMEM : AXLE_EINTERNAL,
                        "cannot add metadata to the WebP (libwebpmux error %d)", (int)e);
    }
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    uint8_t *out = malloc(asm_out.size);
    if (out)
        memcpy(out, asm_out.bytes, asm_out.size);
    size_t n = asm_out.size;
    WebPDataClear(&asm_out);
    if (!out)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory adding metadata");
    free(*buf);
    *buf = out;
    *len = n;
    return AXLE_OK;
}

bool
img_icc_fits(const uint8_t *icc, size_t len, uint32_t channels)
{
    if (!icc || len < 128)
        return false;
    const uint8_t *cls = icc + 12, *space = icc + 16;
    if (memcmp(cls, "link", 4) == 0 || memcmp(cls, "abst", 4) == 0 ||
        memcmp(cls, "nmcl", 4) == 0)
        return false;
    return channels <= 2 ? memcmp(space, "GRAY", 4) == 0 : memcmp(space, "RGB ", 4) == 0;
}

bool
axle_icc_fits(const void *icc, size_t len, uint32_t channels)
{
    return img_icc_fits(icc, len, channels);
}

/* ---- a profile into an encoded JPEG or WebP (a stored thumbnail) ---- */

static bool
is_icc_app2(const struct img_segment *seg)
{
    return seg->marker == M_APP2 && seg->paylen >= 14 && memcmp(seg->payload, icc_sig, 12) == 0;
}

/* The JPEG without its ICC segments, then the profile added as a fresh
 * encode gets it. */
static int
jpeg_set_icc(const uint8_t *p, size_t len, const uint8_t *icc, size_t icclen, void **out,
             size_t *outlen, char *err, size_t errlen)
{
    size_t pos = 0, kept = 2;
    struct img_segment seg;
    int rc;
    uint8_t *copy = malloc(len);
    if (!copy)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    memcpy(copy, p, 2);
    while ((rc = img_jpeg_next_segment(p, len, &pos, &seg)) == 1) {
        if (!is_icc_app2(&seg)) {
            memcpy(copy + kept, p + seg.start, seg.end - seg.start);
            kept += seg.end - seg.start;
        }
    }
    if (rc < 0) {
        free(copy);
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt JPEG: its segments do not add up at byte %zu", pos);
    }
    memcpy(copy + kept, p + pos, len - pos); /* the scans */
    size_t n = kept + len - pos;
    struct img_encode_req req = {0};
    req.icc = icc;
    req.icc_len = icclen;
    rc = img_embed_jpeg(&copy, &n, &req, err, errlen);
    if (rc != AXLE_OK) {
        free(copy);
        return rc;
    }
    *out = copy;
    *outlen = n;
    return AXLE_OK;
}

int
axle_image_add_icc(const void *data, size_t len, const void *icc, size_t icclen,
                   void **out, size_t *outlen, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!data || !icc || !icclen || !out || !outlen)
        return img_fail(err, errlen, AXLE_EINVAL, "no input, profile or output buffer");
    *out = NULL;
    *outlen = 0;
    if (img_is_jpeg(data, len))
        return jpeg_set_icc(data, len, icc, icclen, out, outlen, err, errlen);
    if (!img_is_webp(data, len))
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "a profile goes into an encoded JPEG or WebP only");
    uint8_t *copy = malloc(len);
    if (!copy)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    memcpy(copy, data, len);
    size_t n = len;
    struct img_encode_req req = {0};
    req.icc = icc;
    req.icc_len = icclen;
    int rc = img_embed_webp(&copy, &n, &req, err, errlen); /* replaces an ICCP chunk */
    if (rc != AXLE_OK) {
        free(copy);
        return rc;
    }
    *out = copy;
    *outlen = n;
    return AXLE_OK;
}
