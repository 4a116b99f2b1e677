/* image_xmp.c - an XMP packet in an encoded file: adding it, finding it.
 *
 * One function per container, chosen by content: JPEG keeps XMP in an
 * APP1 segment whose payload starts with Adobe's namespace URI, placed
 * after the JFIF (APP0) and Exif (APP1) headers as the XMP specification
 * (part 3) asks; WebP in an "XMP " chunk, which libwebpmux adds, turning a
 * simple file into an extended one (VP8X with the XMP flag); PNG in an
 * uncompressed iTXt chunk keyed "XML:com.adobe.xmp", just before the
 * first IDAT (where libpng writes text chunks).
 * AVIF keeps XMP in an item that only a rewrite of its boxes can add, so
 * AVIF files get theirs when encoded (image_encode_avif.c); finding it
 * there is a scan for the packet wrapper, which XMP part 3 offers for
 * files whose format a reader does not parse (libheif stores the packet
 * uncompressed). */
#include <stdlib.h>
#include <string.h>

#include <webp/mux.h>

#include "image_internal.h"

#define M_APP0 0xE0
#define M_APP1 0xE1
/* A segment's length field counts itself: 65535 - 2 - the signature. */
#define JPEG_XMP_MAX (65535 - 2 - IMG_XMP_JPEG_SIGLEN)

static bool
is_jpeg_xmp(const struct img_segment *seg)
{
    return seg->marker == M_APP1 && seg->paylen >= IMG_XMP_JPEG_SIGLEN &&
           memcmp(seg->payload, IMG_XMP_JPEG_SIG, IMG_XMP_JPEG_SIGLEN) == 0;
}

/* Where the new segment goes: after SOI and the APP0/APP1 segments that
 * open the file (JFIF, Exif), so readers that look for those first still
 * find them first. */
static size_t
jpeg_insert_at(const uint8_t *p, size_t len)
{
    size_t pos = 0, at = 2;
    struct img_segment seg;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1 &&
           (seg.marker == M_APP0 || seg.marker == M_APP1))
        at = seg.end;
    return at;
}

/* Appends p[from, to) minus the XMP segments in it. */
static uint8_t *
copy_without_xmp(uint8_t *o, const uint8_t *p, size_t len, size_t from, size_t to)
{
    size_t pos = 0;
    struct img_segment seg;
    while (from < to && img_jpeg_next_segment(p, len, &pos, &seg) == 1) {
        if (seg.end <= from)
            continue;
        if (seg.start >= to)
            break;
        if (!is_jpeg_xmp(&seg)) {
            memcpy(o, p + from, seg.end - from);
            o += seg.end - from;
        }
        from = seg.end;
    }
    if (from < to) { /* the scans and what follows */
        memcpy(o, p + from, to - from);
        o += to - from;
    }
    return o;
}

static int
jpeg_add_xmp(const uint8_t *p, size_t len, const char *xmp, size_t xmplen, void **out,
             size_t *outlen, char *err, size_t errlen)
{
    if (xmplen > JPEG_XMP_MAX)
        return img_fail(err, errlen, AXLE_ETOOBIG,
                        "XMP packet of %zu bytes is over the %d one JPEG segment holds",
                        xmplen, JPEG_XMP_MAX);
    /* The segments must add up, or where the new one goes is a guess. */
    size_t pos = 0;
    struct img_segment seg;
    int rc;
    while ((rc = img_jpeg_next_segment(p, len, &pos, &seg)) == 1)
        ;
    if (rc < 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt JPEG: its segments do not add up at byte %zu", pos);
    size_t seglen = 2 + IMG_XMP_JPEG_SIGLEN + xmplen;
    uint8_t *buf = malloc(len + 2 + seglen), *o = buf;
    if (!buf)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    size_t at = jpeg_insert_at(p, len);
    memcpy(o, p, 2); /* SOI */
    o = copy_without_xmp(o + 2, p, len, 2, at);
    *o++ = 0xFF;
    *o++ = M_APP1;
    *o++ = (uint8_t)(seglen >> 8);
    *o++ = (uint8_t)(seglen & 0xFF);
    memcpy(o, IMG_XMP_JPEG_SIG, IMG_XMP_JPEG_SIGLEN);
    memcpy(o + IMG_XMP_JPEG_SIGLEN, xmp, xmplen);
    o = copy_without_xmp(o + IMG_XMP_JPEG_SIGLEN + xmplen, p, len, at, len);
    *out = buf;
    *outlen = (size_t)(o - buf);
    return AXLE_OK;
}

static int
webp_add_xmp(const uint8_t *p, size_t len, const char *xmp, size_t xmplen, void **out,
             size_t *outlen, char *err, size_t errlen)
{
    WebPData in = {p, len}, chunk = {(const uint8_t *)xmp, xmplen}, asm_out;
    WebPDataInit(&asm_out);
    WebPMux *mux = WebPMuxCreate(&in, 0);
    if (!mux)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt WebP: libwebpmux cannot read it");
    /* Replaces any XMP chunk the file had. */
    WebPMuxError e = WebPMuxSetChunk(mux, "XMP ", &chunk, 0);
    if (e == WEBP_MUX_OK)
        e = WebPMuxAssemble(mux, &asm_out);
    WebPMuxDelete(mux);
    if (e != WEBP_MUX_OK) {
        WebPDataClear(&asm_out);
        return img_fail(err, errlen, e == WEBP_MUX_MEMORY_ERROR ? AXLE_ENOMEM : AXLE_EFORMAT,
                        "cannot add XMP to the WebP (libwebpmux error %d)", (int)e);
    }
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    *out = malloc(asm_out.size);
    if (*out)
        memcpy(*out, asm_out.bytes, asm_out.size);
    *outlen = asm_out.size;
    WebPDataClear(&asm_out);
    return *out ? AXLE_OK : img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
}

#define PNG_XMP_KEY "XML:com.adobe.xmp"
#define PNG_XMP_HEAD (sizeof PNG_XMP_KEY + 4) /* key, NUL, flag, method, two NULs */

/* An iTXt chunk holding XMP, uncompressed: the packet in *xmp, or NULL. */
static const char *
png_chunk_xmp(const struct img_chunk *ch, size_t *xmplen)
{
    if (memcmp(ch->fourcc, "iTXt", 4) != 0 || ch->paylen < sizeof PNG_XMP_KEY + 2 ||
        memcmp(ch->payload, PNG_XMP_KEY, sizeof PNG_XMP_KEY) != 0 ||
        ch->payload[sizeof PNG_XMP_KEY] != 0) /* compressed: not ours to borrow */
        return NULL;
    /* then the language tag and the translated keyword, each NUL-ended */
    const uint8_t *q = ch->payload + sizeof PNG_XMP_KEY + 2, *end = ch->payload + ch->paylen;
    for (int i = 0; i < 2 && q; i++) {
        q = memchr(q, 0, (size_t)(end - q));
        q = q ? q + 1 : NULL;
    }
    if (!q)
        return NULL;
    *xmplen = (size_t)(end - q);
    return (const char *)q;
}

/* Writes the iTXt chunk of `xmp` at o (body: its type and data bytes). */
static uint8_t *
png_put_xmp(uint8_t *o, const char *xmp, size_t xmplen, size_t body)
{
    uint8_t *chunk = o + 4;
    size_t n = body - 4;
    *o++ = (uint8_t)(n >> 24), *o++ = (uint8_t)(n >> 16), *o++ = (uint8_t)(n >> 8);
    *o++ = (uint8_t)n;
    memcpy(o, "iTXt" PNG_XMP_KEY "\0\0\0\0", 4 + PNG_XMP_HEAD);
    memcpy(o + 4 + PNG_XMP_HEAD, xmp, xmplen);
    o += body;
    uint32_t crc = img_png_crc(chunk, body);
    *o++ = (uint8_t)(crc >> 24), *o++ = (uint8_t)(crc >> 16), *o++ = (uint8_t)(crc >> 8);
    *o++ = (uint8_t)crc;
    return o;
}

/* The new iTXt chunk goes just before the image data (the first IDAT),
 * where libpng writes the text chunks of a file it encodes: so a PNG
 * encoded without XMP and given its packet here is byte for byte the PNG
 * encoded with it (export passing a stored PNG thumbnail through, issue
 * 12), and readers that stop at the image data still find it. */
static int
png_add_xmp(const uint8_t *p, size_t len, const char *xmp, size_t xmplen, void **out,
            size_t *outlen, char *err, size_t errlen)
{
    size_t pos = 0, n;
    struct img_chunk ch;
    int rc = img_png_next_chunk(p, len, &pos, &ch);
    if (rc != 1 || memcmp(ch.fourcc, "IHDR", 4) != 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: it does not start with IHDR");
    size_t sig_end = ch.start;
    while ((rc = img_png_next_chunk(p, len, &pos, &ch)) == 1)
        ;
    if (rc < 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt PNG: its chunks do not add up at byte %zu", pos);
    if (xmplen > 0x7fffffffu - PNG_XMP_HEAD)
        return img_fail(err, errlen, AXLE_ETOOBIG, "XMP packet of %zu bytes", xmplen);
    size_t body = 4 + PNG_XMP_HEAD + xmplen; /* type and data, what the CRC covers */
    uint8_t *buf = malloc(len + body + 8), *o = buf;
    if (!buf)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    memcpy(o, p, sig_end); /* the signature */
    o += sig_end;
    bool added = false;
    for (pos = 0; img_png_next_chunk(p, len, &pos, &ch) == 1;) {
        if (png_chunk_xmp(&ch, &n))
            continue; /* replaced */
        if (!added && (memcmp(ch.fourcc, "IDAT", 4) == 0 || memcmp(ch.fourcc, "IEND", 4) == 0))
            o = png_put_xmp(o, xmp, xmplen, body), added = true;
        memcpy(o, p + ch.start, ch.end - ch.start);
        o += ch.end - ch.start;
    }
    if (!added) /* no image data: a file that ends early keeps its packet */
        o = png_put_xmp(o, xmp, xmplen, body);
    *out = buf;
    *outlen = (size_t)(o - buf);
    return AXLE_OK;
}

int
axle_image_add_xmp(const void *data, size_t len, const char *xmp, size_t xmplen,
                   void **out, size_t *outlen, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out || !outlen || !data || (!xmp && xmplen))
        return img_fail(err, errlen, AXLE_EINVAL, "no input or output buffer");
    *out = NULL;
    *outlen = 0;
    if (img_is_jpeg(data, len))
        return jpeg_add_xmp(data, len, xmp, xmplen, out, outlen, err, errlen);
    if (img_is_webp(data, len))
        return webp_add_xmp(data, len, xmp, xmplen, out, outlen, err, errlen);
    if (img_is_png(data, len))
        return png_add_xmp(data, len, xmp, xmplen, out, outlen, err, errlen);
    return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                    "XMP goes into JPEG, WebP and PNG files (AVIF when encoded), and "
                    "this is none of them");
}

static const char *
jpeg_find_xmp(const uint8_t *p, size_t len, size_t *xmplen)
{
    size_t pos = 0;
    struct img_segment seg;
    while (img_jpeg_next_segment(p, len, &pos, &seg) == 1) {
        if (is_jpeg_xmp(&seg)) {
            *xmplen = seg.paylen - IMG_XMP_JPEG_SIGLEN;
            return (const char *)seg.payload + IMG_XMP_JPEG_SIGLEN;
        }
    }
    return NULL;
}

static const char *
webp_find_xmp(const uint8_t *p, size_t len, size_t *xmplen)
{
    size_t pos = 0;
    struct img_chunk ch;
    while (img_webp_next_chunk(p, len, &pos, &ch) == 1) {
        if (memcmp(ch.fourcc, "XMP ", 4) == 0) {
            *xmplen = ch.paylen;
            return (const char *)ch.payload;
        }
    }
    return NULL;
}

static const char *
png_find_xmp(const uint8_t *p, size_t len, size_t *xmplen)
{
    size_t pos = 0;
    struct img_chunk ch;
    const char *found;
    while (img_png_next_chunk(p, len, &pos, &ch) == 1)
        if ((found = png_chunk_xmp(&ch, xmplen)) != NULL)
            return found;
    return NULL;
}

static bool
is_isobmff(const uint8_t *p, size_t len)
{
    return len >= 12 && memcmp(p + 4, "ftyp", 4) == 0;
}

/* The first packet wrapper, "<?xpacket begin=" to the end of
 * "<?xpacket end=...?>". */
static const char *
scan_xmp(const uint8_t *p, size_t len, size_t *xmplen)
{
    static const char begin[] = "<?xpacket begin=", end[] = "<?xpacket end=";
    const uint8_t *a = memmem(p, len, begin, sizeof begin - 1);
    const uint8_t *b = a ? memmem(a, len - (size_t)(a - p), end, sizeof end - 1) : NULL;
    const uint8_t *close = b ? memmem(b, len - (size_t)(b - p), "?>", 2) : NULL;
    if (!close)
        return NULL;
    *xmplen = (size_t)(close + 2 - a);
    return (const char *)a;
}

const char *
axle_image_xmp(const void *data, size_t len, size_t *xmplen)
{
    size_t n = 0;
    const char *found = NULL;
    if (data && img_is_jpeg(data, len))
        found = jpeg_find_xmp(data, len, &n);
    else if (data && img_is_webp(data, len))
        found = webp_find_xmp(data, len, &n);
    else if (data && img_is_png(data, len))
        found = png_find_xmp(data, len, &n);
    else if (data && is_isobmff(data, len))
        found = scan_xmp(data, len, &n);
    if (xmplen)
        *xmplen = found ? n : 0;
    return found;
}
