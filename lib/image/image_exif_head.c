/* image_exif_head.c - a photo's EXIF for `metadata: keep`, read from its
 * headers only: the file's first bytes in memory, the rest through a
 * read_at callback, one small read per segment, chunk or directory
 * (issue 13: "read only the header region needed, not the whole photo").
 *
 * - JPEG: the APP1 "Exif" segment, segments walked up to the first scan.
 * - PNG: the eXIf chunk, chunks walked up to the image data (where the
 *   probe reads the orientation too).
 * - WebP: the EXIF chunk, RIFF chunks walked by their headers (the chunk
 *   usually follows the image data: a few reads skip it).
 * - HEIF/AVIF: the primary image's Exif item (image_heif_exif.c).
 * - TIFF: the file is itself the TIFF structure, and IFD0 describes its
 *   pixels (strips, sizes, compression), not the photo.  A new structure
 *   is laid out with IFD0's descriptive tags (make, model, date,
 *   software, artist, copyright, description, resolution) and copies of
 *   the Exif and GPS directories.  The maker note is left out: it holds
 *   offsets into the original file that a new layout would break.
 *
 * What is found goes through img_exif_fit (image_exif_export.c): no IFD1
 * thumbnail, orientation 1. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* Largest EXIF block read: JPEG's one segment is 64 KiB; a PNG or WebP
 * chunk and a TIFF's directories get more room, bounded all the same. */
#define EXIF_MAX (4u << 20)
/* Largest single TIFF value copied, and most entries in a directory. */
#define VALUE_MAX (1u << 20)
#define ENTRIES_MAX 1000

/* A file: its first `len` bytes at p, the rest through read_at. */
struct src {
    const uint8_t *p;
    size_t len;
    uint64_t total;
    axle_read_at_fn *read_at;
    void *ctx;
};

static bool
get(const struct src *s, uint64_t off, void *buf, size_t n)
{
    if (off > s->total || n > s->total - off)
        return false;
    if (off + n <= s->len) {
        memcpy(buf, s->p + off, n);
        return true;
    }
    return s->read_at && s->read_at(s->ctx, off, buf, n) == AXLE_OK;
}

/* n bytes at off, malloc'd, or NULL. */
static uint8_t *
get_copy(const struct src *s, uint64_t off, size_t n)
{
    uint8_t *b = n && n <= EXIF_MAX ? malloc(n) : NULL;
    if (b && !get(s, off, b, n)) {
        free(b);
        b = NULL;
    }
    return b;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- JPEG, PNG, WebP: the block as stored ---- */

static uint8_t *
jpeg_exif(const struct src *s, size_t *len)
{
    uint64_t pos = 2;
    for (int i = 0; i < 1000; i++) {
        uint8_t h[4];
        if (!get(s, pos, h, 2) || h[0] != 0xFF)
            return NULL;
        if (h[1] == 0xFF) { /* a fill byte */
            pos++;
            continue;
        }
        if (h[1] == 0xDA || h[1] == 0xD9) /* the first scan, or the end */
            return NULL;
        if ((h[1] >= 0xD0 && h[1] <= 0xD7) || h[1] == 0x01) {
            pos += 2;
            continue;
        }
        if (!get(s, pos + 2, h + 2, 2))
            return NULL;
        uint32_t seglen = img_be16(h + 2);
        if (seglen < 2)
            return NULL;
        uint8_t sig[6];
        if (h[1] == 0xE1 && seglen >= 2 + 6 + 8 && get(s, pos + 4, sig, 6) &&
            memcmp(sig, "Exif\0\0", 6) == 0) {
            *len = seglen - 2 - 6;
            return get_copy(s, pos + 4 + 6, *len);
        }
        pos += 2 + (uint64_t)seglen;
    }
    return NULL;
}

static uint8_t *
png_exif(const struct src *s, size_t *len)
{
    uint64_t pos = 8;
    for (int i = 0; i < 10000; i++) {
        uint8_t h[8];
        if (!get(s, pos, h, 8))
            return NULL;
        uint32_t n = be32(h);
        if (memcmp(h + 4, "IDAT", 4) == 0 || memcmp(h + 4, "IEND", 4) == 0)
            return NULL;
        if (memcmp(h + 4, "eXIf", 4) == 0) {
            *len = n;
            return get_copy(s, pos + 8, n);
        }
        pos += 12 + (uint64_t)n;
    }
    return NULL;
}

static uint8_t *
webp_exif(const struct src *s, size_t *len)
{
    uint8_t h[12];
    if (!get(s, 0, h, 12))
        return NULL;
    uint64_t end = 8 + (uint64_t)img_le32(h + 4), pos = 12;
    for (int i = 0; i < 10000 && pos + 8 <= end; i++) {
        if (!get(s, pos, h, 8))
            return NULL;
        uint32_t n = img_le32(h + 4);
        if (memcmp(h, "EXIF", 4) == 0) {
            *len = n;
            uint8_t *b = get_copy(s, pos + 8, n);
            if (b && n >= 6 && memcmp(b, "Exif\0\0", 6) == 0) { /* some writers add it */
                memmove(b, b + 6, n - 6);
                *len = n - 6;
            }
            return b;
        }
        pos += 8 + (uint64_t)n + (n & 1);
    }
    return NULL;
}

#ifdef AXLE_HAVE_HEIF
/* The end of the top-level "meta" box, which img_heif_exif needs in
 * memory; 0 when it is not found in the first boxes. */
static uint64_t
heif_meta_end(const struct src *s)
{
    uint64_t pos = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t h[16];
        if (!get(s, pos, h, 8))
            return 0;
        uint64_t size = be32(h);
        if (size == 1) {
            if (!get(s, pos + 8, h + 8, 8))
                return 0;
            size = (uint64_t)be32(h + 8) << 32 | be32(h + 12);
        }
        if (size < 8)
            return 0;
        if (memcmp(h + 4, "meta", 4) == 0)
            return pos + size;
        pos += size;
    }
    return 0;
}

static int
heif_read_at(void *ctx, uint64_t off, void *buf, size_t n)
{
    return get(ctx, off, buf, n) ? AXLE_OK : AXLE_EIO;
}

static uint8_t *
heif_exif(const struct src *s, size_t *len)
{
    uint64_t need = heif_meta_end(s);
    if (!need || need > EXIF_MAX)
        return NULL;
    const uint8_t *head = s->p;
    uint8_t *more = NULL;
    size_t have = s->len;
    if (need > s->len) {
        if (!(more = get_copy(s, 0, (size_t)need)))
            return NULL;
        head = more;
        have = (size_t)need;
    }
    struct img_reader r = {heif_read_at, (void *)s, s->total};
    uint8_t *exif = NULL;
    img_heif_exif(head, have, &r, s->total, &exif, len);
    free(more);
    return exif;
}
#endif

/* ---- TIFF: IFD0's descriptive tags and the Exif and GPS directories,
 * laid out anew ---- */

#define TAG_EXIF_IFD 0x8769
#define TAG_GPS_IFD 0x8825
#define TAG_INTEROP_IFD 0xA005
#define TAG_MAKER_NOTE 0x927C
#define TAG_ORIENTATION 0x0112

/* IFD0 tags about the photo rather than the file's pixels. */
static bool
descriptive(uint32_t tag)
{
    static const uint16_t tags[] = {0x010E, 0x010F, 0x0110, 0x0112, 0x011A, 0x011B,
                                    0x0128, 0x0131, 0x0132, 0x013B, 0x8298, TAG_EXIF_IFD,
                                    TAG_GPS_IFD};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (tags[i] == tag)
            return true;
    return false;
}

static bool
sub_ifd(uint32_t tag)
{
    return tag == TAG_EXIF_IFD || tag == TAG_GPS_IFD || tag == TAG_INTEROP_IFD;
}

struct out {
    uint8_t *p;
    size_t len, cap;
    bool little;
    bool failed;
};

static size_t
put(struct out *o, const void *b, size_t n)
{
    size_t at = o->len;
    if (o->failed || n > EXIF_MAX - o->len) {
        o->failed = true;
        return at;
    }
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->len + n)
            cap *= 2;
        uint8_t *q = realloc(o->p, cap);
        if (!q) {
            o->failed = true;
            return at;
        }
        o->p = q;
        o->cap = cap;
    }
    if (b)
        memcpy(o->p + o->len, b, n);
    else
        memset(o->p + o->len, 0, n);
    o->len += n;
    return at;
}

static void
set16(struct out *o, size_t at, uint32_t v)
{
    if (o->failed)
        return;
    o->p[at + !o->little] = (uint8_t)v;
    o->p[at + o->little] = (uint8_t)(v >> 8);
}

static void
set32(struct out *o, size_t at, uint32_t v)
{
    if (o->failed)
        return;
    for (int i = 0; i < 4; i++)
        o->p[at + (size_t)(o->little ? i : 3 - i)] = (uint8_t)(v >> (8 * i));
}

static uint32_t
rd16(bool little, const uint8_t *q)
{
    return little ? (uint32_t)q[0] | (uint32_t)q[1] << 8 : (uint32_t)q[0] << 8 | q[1];
}

static uint32_t
rd32(bool little, const uint8_t *q)
{
    return little ? img_le32(q) : be32(q);
}

static size_t
type_size(uint32_t type)
{
    static const uint8_t sizes[14] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
    return type < 14 ? sizes[type] : 0;
}

/* Copies the directory at `ifd` of the source (IFD0 when depth is 0:
 * its descriptive tags only) to the end of o; its offset there, or 0.
 * Values keep their bytes (the byte order stays the source's). */
static uint32_t
copy_ifd(const struct src *s, bool little, uint64_t ifd, int depth, struct out *o)
{
    uint8_t h[2];
    if (depth > 3 || !get(s, ifd, h, 2))
        return 0;
    uint32_t n = rd16(little, h);
    if (n == 0 || n > ENTRIES_MAX)
        return 0;
    uint8_t *e = get_copy(s, ifd + 2, 12 * (size_t)n);
    if (!e)
        return 0;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t tag = rd16(little, e + 12 * i);
        bool keep = (depth > 0 || descriptive(tag)) && tag != TAG_MAKER_NOTE &&
                    type_size(rd16(little, e + 12 * i + 2)) > 0;
        if (keep)
            memmove(e + 12 * kept++, e + 12 * i, 12);
    }
    if (o->len & 1)
        put(o, NULL, 1); /* directories start on a word boundary */
    size_t at = put(o, NULL, 2 + 12 * (size_t)kept + 4);
    set16(o, at, kept);
    for (uint32_t i = 0; i < kept && !o->failed; i++) {
        const uint8_t *src = e + 12 * i;
        size_t dst = at + 2 + 12 * (size_t)i;
        uint32_t tag = rd16(little, src), count = rd32(little, src + 4);
        memcpy(o->p + dst, src, 12);
        if (depth == 0 && tag == TAG_ORIENTATION) {
            set16(o, dst + 8, 1); /* the copy's pixels are upright */
            continue;
        }
        if (sub_ifd(tag)) {
            set32(o, dst + 8, copy_ifd(s, little, rd32(little, src + 8), depth + 1, o));
            continue;
        }
        uint64_t bytes = (uint64_t)type_size(rd16(little, src + 2)) * count;
        if (bytes <= 4)
            continue; /* held in the entry */
        uint8_t *v = bytes <= VALUE_MAX ? get_copy(s, rd32(little, src + 8), (size_t)bytes)
                                        : NULL;
        if (!v) { /* unreadable: the entry goes, as a count of none */
            set32(o, dst + 4, 0);
            set32(o, dst + 8, 0);
            continue;
        }
        if (o->len & 1)
            put(o, NULL, 1);
        size_t vat = put(o, v, (size_t)bytes);
        free(v);
        set32(o, dst + 8, (uint32_t)vat);
    }
    free(e);
    return o->failed ? 0 : (uint32_t)at;
}

static uint8_t *
tiff_exif(const struct src *s, size_t *len)
{
    uint8_t h[8];
    if (!get(s, 0, h, 8))
        return NULL;
    bool little = h[0] == 'I';
    if (memcmp(h, "II*\0", 4) != 0 && memcmp(h, "MM\0*", 4) != 0)
        return NULL;
    struct out o = {NULL, 0, 0, little, false};
    put(&o, h, 8);
    uint32_t ifd0 = copy_ifd(s, little, rd32(little, h + 4), 0, &o);
    if (!ifd0 || o.failed) {
        free(o.p);
        return NULL;
    }
    set32(&o, 4, ifd0);
    *len = o.len;
    return o.p;
}

/* ---- the calls ---- */

/* The raw EXIF block (a TIFF structure) of the file s, malloc'd, or NULL. */
static uint8_t *
raw_exif(const struct src *s, axle_codec codec, size_t *len)
{
    switch (codec) {
    case AXLE_CODEC_JPEG: return jpeg_exif(s, len);
    case AXLE_CODEC_PNG: return png_exif(s, len);
    case AXLE_CODEC_WEBP: return webp_exif(s, len);
    case AXLE_CODEC_TIFF: return tiff_exif(s, len);
#ifdef AXLE_HAVE_HEIF
    case AXLE_CODEC_HEIF:
    case AXLE_CODEC_AVIF: return heif_exif(s, len);
#endif
    default: return NULL;
    }
}

uint8_t *
img_tiff_exif(const uint8_t *p, size_t len, size_t *exif_len)
{
    struct src s = {p, len, len, NULL, NULL};
    return tiff_exif(&s, exif_len);
}

int
axle_image_exif_for_export_at(const void *head, size_t len, uint64_t file_size,
                              axle_read_at_fn *read_at, void *ctx, void **exif,
                              size_t *exif_len, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!head || !exif || !exif_len || len > file_size)
        return img_fail(err, errlen, AXLE_EINVAL, "axle_image_exif_for_export_at: bad argument");
    *exif = NULL;
    *exif_len = 0;
    const struct img_codec *c = img_codec_sniff(head, len);
    axle_codec codec = c ? c->codec : AXLE_CODEC_NONE;
    if (codec == AXLE_CODEC_CAMRAW)
        codec = AXLE_CODEC_TIFF; /* a DNG's IFD0 describes the photo too */
    struct src s = {head, len, file_size, read_at, ctx};
    size_t n = 0;
    uint8_t *raw = raw_exif(&s, codec, &n);
    return raw ? img_exif_fit(raw, n, exif, exif_len, err, errlen) : AXLE_OK;
}
