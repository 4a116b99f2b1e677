/* image_exif_export.c - a photo's EXIF made fit for an exported copy.
 *
 * Where it is: JPEG's APP1 "Exif" segment, WebP's EXIF chunk, PNG's eXIf
 * chunk, HEIF's and AVIF's Exif item (through libheif).  TIFF photos are
 * themselves TIFF structures whose IFD0 describes their pixels: their
 * descriptive tags and Exif and GPS directories are laid out anew
 * (img_tiff_exif, image_exif_head.c, which also reads any of these from
 * a file's headers only).
 *
 * An export with `metadata: keep` carries the photo's EXIF, but not as it
 * is: IFD1 holds a thumbnail of the original (often the largest part of
 * the block, and showing the uncropped picture), and the orientation tag
 * would turn pixels that are already upright a second time.  So IFD0's
 * link to IFD1 is cut, the bytes of IFD1 and its thumbnail are cut off
 * the end of the block when nothing the other IFDs use lies after them
 * (the usual layout), else zeroed, and the orientation becomes 1.
 *
 * Everything else stays where it was: tags hold offsets from the start of
 * the TIFF header, and maker notes hold offsets of their own that no
 * general tool can know, so the block is patched in place, never laid out
 * again.  Every offset is checked against the block: a damaged IFD stops
 * the walk there (what was found is kept), it never reads outside. */
#include <stdlib.h>
#include <string.h>

#ifdef AXLE_HAVE_HEIF
#include <libheif/heif.h>

#include "codec_names.h"
#endif

#include "image_internal.h"

#define TAG_ORIENTATION 0x0112
#define TAG_EXIF_IFD 0x8769
#define TAG_GPS_IFD 0x8825
#define TAG_INTEROP_IFD 0xA005
#define TAG_THUMB_OFFSET 0x0201 /* JPEGInterchangeFormat */
#define TAG_THUMB_LENGTH 0x0202
#define TAG_STRIP_OFFSETS 0x0111
#define TAG_STRIP_BYTES 0x0117
#define TIFF_SHORT 3
#define MAX_DEPTH 3

struct tiff {
    uint8_t *p;
    size_t len;
    bool little;
    size_t used_end; /* the end of what IFD0 and its sub-IFDs use */
};

static uint32_t
rd16(const struct tiff *t, size_t off)
{
    const uint8_t *q = t->p + off;
    return t->little ? (uint32_t)q[0] | (uint32_t)q[1] << 8 : (uint32_t)q[0] << 8 | q[1];
}

static uint32_t
rd32(const struct tiff *t, size_t off)
{
    const uint8_t *q = t->p + off;
    return t->little ? img_le32(q)
                     : (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

static void
wr16(struct tiff *t, size_t off, uint32_t v)
{
    t->p[off + (t->little ? 0 : 1)] = (uint8_t)(v & 0xFF);
    t->p[off + (t->little ? 1 : 0)] = (uint8_t)(v >> 8);
}

static void
wr32(struct tiff *t, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        t->p[off + (size_t)(t->little ? i : 3 - i)] = (uint8_t)(v >> (8 * i));
}

/* Bytes of one value of each TIFF type (0: unknown). */
static size_t
type_size(uint32_t type)
{
    static const uint8_t sizes[13] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
    return type < 13 ? sizes[type] : 0;
}

/* The IFD at `ifd` is whole in the block: its entry count and entries,
 * and the next-IFD link after them. */
static bool
ifd_fits(const struct tiff *t, size_t ifd, size_t *count)
{
    if (ifd < 8 || ifd > t->len || t->len - ifd < 2)
        return false;
    *count = rd16(t, ifd);
    return t->len - ifd - 2 >= 12 * *count + 4;
}

static void
use(struct tiff *t, size_t end)
{
    if (end > t->used_end)
        t->used_end = end;
}

/* Marks what the IFD at `ifd` and its sub-IFDs use; sets orientation 1. */
static void
walk(struct tiff *t, size_t ifd, int depth)
{
    size_t count;
    if (depth > MAX_DEPTH || !ifd_fits(t, ifd, &count))
        return;
    use(t, ifd + 2 + 12 * count + 4);
    for (size_t i = 0; i < count; i++) {
        size_t e = ifd + 2 + 12 * i;
        uint32_t tag = rd16(t, e), type = rd16(t, e + 2), n = rd32(t, e + 4);
        size_t bytes = type_size(type) * (size_t)n;
        if (bytes > 4 && rd32(t, e + 8) <= t->len && bytes <= t->len - rd32(t, e + 8))
            use(t, rd32(t, e + 8) + bytes);
        if (depth == 0 && tag == TAG_ORIENTATION && type == TIFF_SHORT && n == 1)
            wr16(t, e + 8, 1);
        if (tag == TAG_EXIF_IFD || tag == TAG_GPS_IFD || tag == TAG_INTEROP_IFD)
            walk(t, rd32(t, e + 8), depth + 1);
    }
}

/* Bytes [from, from + n) of the block, clipped to it. */
struct span {
    size_t from, to;
};

static struct span
clip(const struct tiff *t, size_t from, size_t n)
{
    struct span s = {from < t->len ? from : t->len, 0};
    s.to = n <= t->len - s.from ? s.from + n : t->len;
    return s;
}

/* IFD1's thumbnail data: a JPEG (offset and length tags) or strips. */
static struct span
thumb_span(const struct tiff *t, size_t ifd, size_t count)
{
    size_t off = 0, n = 0;
    for (size_t i = 0; i < count; i++) {
        size_t e = ifd + 2 + 12 * i;
        uint32_t tag = rd16(t, e), type = rd16(t, e + 2);
        uint32_t v = type == TIFF_SHORT ? rd16(t, e + 8) : rd32(t, e + 8);
        if (rd32(t, e + 4) != 1)
            continue; /* several strips: left for the zeroing of IFD1 alone */
        if (tag == TAG_THUMB_OFFSET || tag == TAG_STRIP_OFFSETS)
            off = v;
        else if (tag == TAG_THUMB_LENGTH || tag == TAG_STRIP_BYTES)
            n = v;
    }
    return clip(t, off, off ? n : 0);
}

/* Cuts IFD1 off: the link, then its bytes and its thumbnail's. */
static void
drop_ifd1(struct tiff *t, size_t link)
{
    size_t ifd1 = rd32(t, link), count;
    wr32(t, link, 0);
    if (!ifd_fits(t, ifd1, &count))
        return;
    struct span dir = clip(t, ifd1, 2 + 12 * count + 4), thumb = thumb_span(t, ifd1, count);
    size_t first = dir.from;
    if (thumb.to > thumb.from && thumb.from < first)
        first = thumb.from;
    if (first >= t->used_end) { /* all after what stays: cut the end off */
        t->len = first;
        return;
    }
    memset(t->p + thumb.from, 0, thumb.to - thumb.from);
    memset(t->p + dir.from, 0, dir.to - dir.from);
}

/* The TIFF structure inside an EXIF payload: JPEG's and some WebP
 * writers' start with "Exif\0\0". */
static void
skip_exif_header(const uint8_t **p, size_t *len)
{
    if (*len >= 6 && memcmp(*p, "Exif\0\0", 6) == 0) {
        *p += 6;
        *len -= 6;
    }
}

/* The EXIF block of an encoded image, borrowed, or NULL. */
static const uint8_t *
find_exif(const axle_image *img, size_t *len)
{
    const uint8_t *p = img->data, *found = NULL;
    size_t pos = 0;
    if (img->codec == AXLE_CODEC_JPEG && img_is_jpeg(p, img->size)) {
        struct img_segment seg;
        while (!found && img_jpeg_next_segment(p, img->size, &pos, &seg) == 1)
            if (seg.marker == 0xE1 && seg.paylen >= 6 && memcmp(seg.payload, "Exif\0\0", 6) == 0)
                found = seg.payload, *len = seg.paylen;
    } else if (img->codec == AXLE_CODEC_WEBP && img_is_webp(p, img->size)) {
        struct img_chunk ch;
        while (!found && img_webp_next_chunk(p, img->size, &pos, &ch) == 1)
            if (memcmp(ch.fourcc, "EXIF", 4) == 0)
                found = ch.payload, *len = ch.paylen;
    } else if (img->codec == AXLE_CODEC_PNG && img_is_png(p, img->size)) {
        struct img_chunk ch;
        while (!found && img_png_next_chunk(p, img->size, &pos, &ch) == 1)
            if (memcmp(ch.fourcc, "eXIf", 4) == 0)
                found = ch.payload, *len = ch.paylen;
    }
    if (found)
        skip_exif_header(&found, len);
    return found;
}

#ifdef AXLE_HAVE_HEIF
/* HEIF and AVIF keep EXIF in an item of the primary image, read through
 * libheif; the item starts with the offset of the TIFF header in it
 * (ISO 23008-12 annex A).  A malloc'd copy of the TIFF structure, or NULL. */
static uint8_t *
heif_exif(const axle_image *img, size_t *len)
{
    /* No libheif, no EXIF: the photo's decode, which comes first, has
     * already failed naming the library. */
    char why[8];
    if (!img_heif_load(why, sizeof why))
        return NULL;
    struct heif_context *ctx = heif_context_alloc();
    struct heif_image_handle *h = NULL;
    uint8_t *item = NULL, *tiff = NULL;
    heif_item_id id;
    if (ctx && heif_context_read_from_memory_without_copy(ctx, img->data, img->size, NULL)
                       .code == heif_error_Ok &&
        heif_context_get_primary_image_handle(ctx, &h).code == heif_error_Ok &&
        heif_image_handle_get_list_of_metadata_block_IDs(h, "Exif", &id, 1) == 1) {
        size_t n = heif_image_handle_get_metadata_size(h, id);
        item = n >= 4 ? malloc(n) : NULL;
        if (item && heif_image_handle_get_metadata(h, id, item).code == heif_error_Ok) {
            size_t off = 4 + ((size_t)item[0] << 24 | (size_t)item[1] << 16 |
                              (size_t)item[2] << 8 | item[3]);
            if (off < n && (tiff = malloc(n - off)) != NULL) {
                memcpy(tiff, item + off, n - off);
                *len = n - off;
            }
        }
    }
    free(item);
    heif_image_handle_release(h);
    heif_context_free(ctx);
    return tiff;
}
#endif

/* A malloc'd copy of the image's TIFF structure, or NULL (none, or out of
 * memory: *nomem). */
static uint8_t *
exif_copy(const axle_image *img, size_t *len, bool *nomem)
{
    *nomem = false;
    *len = 0;
#ifdef AXLE_HAVE_HEIF
    if (img->codec == AXLE_CODEC_HEIF || img->codec == AXLE_CODEC_AVIF)
        return heif_exif(img, len);
#endif
    if (img->codec == AXLE_CODEC_TIFF || img->codec == AXLE_CODEC_CAMRAW)
        return img_tiff_exif(img->data, img->size, len); /* image_exif_head.c */
    size_t n = 0;
    const uint8_t *src = find_exif(img, &n);
    uint8_t *copy = src ? malloc(n ? n : 1) : NULL;
    if (src && !copy)
        *nomem = true;
    else if (copy)
        memcpy(copy, src, n), *len = n;
    return copy;
}

int
img_exif_fit(uint8_t *src, size_t n, void **exif, size_t *len, char *err, size_t errlen)
{
    struct tiff t = {src, n, n >= 2 && src[0] == 'I', 0};
    if (n < 8 || !((src[0] == 'I' && src[1] == 'I') || (src[0] == 'M' && src[1] == 'M'))) {
        free(src);
        return img_fail(err, errlen, AXLE_EFORMAT, "its EXIF is not a TIFF structure");
    }
    size_t ifd0 = rd32(&t, 4), count;
    if (rd16(&t, 2) != 42 || !ifd_fits(&t, ifd0, &count)) {
        free(t.p);
        return img_fail(err, errlen, AXLE_EFORMAT, "its EXIF has no readable IFD0");
    }
    walk(&t, ifd0, 0);
    drop_ifd1(&t, ifd0 + 2 + 12 * count);
    *exif = t.p;
    *len = t.len;
    return AXLE_OK;
}

int
axle_image_exif_for_export(const axle_image *img, void **exif, size_t *len, char *err,
                           size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!img || !exif || !len)
        return img_fail(err, errlen, AXLE_EINVAL, "axle_image_exif_for_export: NULL argument");
    *exif = NULL;
    *len = 0;
    size_t n = 0;
    bool nomem = false;
    uint8_t *src = img->data ? exif_copy(img, &n, &nomem) : NULL;
    if (!src)
        return nomem ? img_fail(err, errlen, AXLE_ENOMEM, "out of memory copying EXIF")
                     : AXLE_OK;
    return img_exif_fit(src, n, exif, len, err, errlen);
}
