/* image_heif_exif.c - the Exif item of a HEIF or AVIF, found from its
 * item descriptions (the "meta" box) alone.
 *
 * libheif could hand the item over, but it reads the data of every item
 * while it parses, the whole image included; the Exif item usually lies
 * in mdat after the image data (heif-enc puts it at the very end).  So
 * the boxes that say where it is are read here, from the header the probe
 * read:
 *
 *   pitm  the primary item's id;
 *   iinf  item ids and types: the Exif items;
 *   iref  "cdsc" references: which image an Exif item describes;
 *   iloc  where each item's bytes are (file offsets: construction method
 *         0 only, as cameras write).
 *
 * and then only the item's bytes are read (through the caller's reader
 * when they lie past that header).  Every size and count is checked
 * against its box; no library is needed, so this works whether or not
 * libaxle was built with libheif. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* An Exif item over this is not EXIF a camera wrote. */
#define HEIF_EXIF_MAX (4u * 1024 * 1024)
/* Items considered: a photo has a handful (image, thumbnail, Exif, XMP). */
#define MAX_EXIF_ITEMS 16

/* Bytes [at, end) of the buffer; a read past end sets bad. */
struct cursor {
    const uint8_t *p;
    size_t at, end;
    bool bad;
    bool open; /* a box of size 0: to the end of the file */
};

static uint64_t
take(struct cursor *c, size_t n)
{
    if (c->bad || n > c->end - c->at) {
        c->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | c->p[c->at + i];
    c->at += n;
    return v;
}

/* The next box inside [c->at, c->end): its type and a cursor on its
 * payload; false at the end or on a box that does not fit. */
static bool
next_box(struct cursor *c, char type[4], struct cursor *payload)
{
    if (c->bad || c->end - c->at < 8)
        return false;
    size_t start = c->at;
    uint64_t size = take(c, 4);
    memcpy(type, c->p + c->at, 4);
    c->at += 4;
    bool open = size == 0;
    if (size == 1)
        size = take(c, 8);
    else if (open)
        size = c->end - start;
    if (c->bad || size < c->at - start || size > c->end - start)
        return false;
    *payload = (struct cursor){c->p, c->at, start + (size_t)size, false, open};
    c->at = start + (size_t)size;
    return true;
}

/* What the boxes said. */
struct items {
    uint32_t primary;
    uint32_t exif[MAX_EXIF_ITEMS];
    size_t nexif;
    uint32_t described;  /* an Exif item that references the primary */
    bool have_described;
};

static void
read_pitm(struct cursor c, struct items *it)
{
    int version = (int)(take(&c, 4) >> 24);
    it->primary = (uint32_t)take(&c, version == 0 ? 2 : 4);
}

static void
read_iinf(struct cursor c, struct items *it)
{
    int version = (int)(take(&c, 4) >> 24);
    take(&c, version == 0 ? 2 : 4); /* entry count: the boxes say */
    char type[4];
    struct cursor infe;
    while (next_box(&c, type, &infe)) {
        if (memcmp(type, "infe", 4) != 0)
            continue;
        int v = (int)(take(&infe, 4) >> 24);
        if (v < 2)
            continue; /* versions 0 and 1 have no item type */
        uint32_t id = (uint32_t)take(&infe, v == 2 ? 2 : 4);
        take(&infe, 2); /* protection index */
        if (!infe.bad && infe.end - infe.at >= 4 &&
            memcmp(infe.p + infe.at, "Exif", 4) == 0 && it->nexif < MAX_EXIF_ITEMS)
            it->exif[it->nexif++] = id;
    }
}

static bool
is_exif(const struct items *it, uint32_t id)
{
    for (size_t i = 0; i < it->nexif; i++)
        if (it->exif[i] == id)
            return true;
    return false;
}

static void
read_iref(struct cursor c, struct items *it)
{
    int version = (int)(take(&c, 4) >> 24);
    size_t idlen = version == 0 ? 2 : 4;
    char type[4];
    struct cursor ref;
    while (next_box(&c, type, &ref)) {
        if (memcmp(type, "cdsc", 4) != 0)
            continue;
        uint32_t from = (uint32_t)take(&ref, idlen);
        uint64_t n = take(&ref, 2);
        for (uint64_t i = 0; i < n && !ref.bad; i++)
            if ((uint32_t)take(&ref, idlen) == it->primary && !ref.bad && is_exif(it, from) &&
                !it->have_described) {
                it->described = from;
                it->have_described = true;
            }
    }
}

/* One extent of the wanted item. */
struct extent {
    uint64_t offset, length;
};

/* The extents of item `want` (at most `max`): their count, 0 when the item
 * is not there or not in the file itself. */
static size_t
read_iloc(struct cursor c, uint32_t want, struct extent *ext, size_t max)
{
    int version = (int)(take(&c, 4) >> 24);
    if (version > 2)
        return 0;
    uint64_t sizes = take(&c, 2);
    size_t off_size = sizes >> 12 & 15, len_size = sizes >> 8 & 15;
    size_t base_size = sizes >> 4 & 15, index_size = version ? (sizes & 15) : 0;
    if ((off_size | len_size | base_size | index_size) & ~(size_t)12)
        return 0; /* each is 0, 4 or 8 bytes */
    uint64_t count = take(&c, version < 2 ? 2 : 4);
    for (uint64_t i = 0; i < count && !c.bad; i++) {
        uint32_t id = (uint32_t)take(&c, version < 2 ? 2 : 4);
        uint64_t method = version ? take(&c, 2) & 15 : 0;
        uint64_t dref = take(&c, 2);
        uint64_t base = take(&c, base_size);
        uint64_t n = take(&c, 2);
        size_t got = 0;
        for (uint64_t e = 0; e < n && !c.bad; e++) {
            take(&c, index_size);
            uint64_t o = take(&c, off_size), l = take(&c, len_size);
            if (id == want && got < max && base <= UINT64_MAX - o)
                ext[got++] = (struct extent){base + o, l};
        }
        if (id == want)
            return !c.bad && method == 0 && dref == 0 && got == n ? got : 0;
    }
    return 0;
}

/* The meta box among the top-level boxes within len (a meta box that
 * runs to the end of a file of `total` bytes only when len is all). */
static bool
find_meta(const uint8_t *p, size_t len, uint64_t total, struct cursor *meta)
{
    struct cursor top = {p, 0, len, false, false};
    char type[4];
    while (next_box(&top, type, meta))
        if (memcmp(type, "meta", 4) == 0) {
            if (meta->open && len < total)
                return false;
            take(meta, 4); /* version and flags */
            return !meta->bad;
        }
    return false;
}

/* Copies the extents into one buffer: from p where they are within len,
 * else through `more`.  NULL when any cannot be read. */
static uint8_t *
read_extents(const uint8_t *p, size_t len, const struct img_reader *more, uint64_t total,
             const struct extent *ext, size_t n, size_t *outlen)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (ext[i].offset > total || ext[i].length > total - ext[i].offset)
            return NULL;
        sum += ext[i].length;
        if (sum > HEIF_EXIF_MAX)
            return NULL;
    }
    uint8_t *buf = sum ? malloc((size_t)sum) : NULL, *at = buf;
    for (size_t i = 0; buf && i < n; at += ext[i].length, i++) {
        if (ext[i].offset <= len && ext[i].length <= len - ext[i].offset)
            memcpy(at, p + ext[i].offset, (size_t)ext[i].length);
        else if (!more || more->read_at(more->ctx, ext[i].offset, at,
                                        (size_t)ext[i].length) != AXLE_OK) {
            free(buf);
            return NULL;
        }
    }
    *outlen = (size_t)sum;
    return buf;
}

/* The TIFF structure inside an Exif item: after a 4-byte big-endian
 * offset to it, usually past "Exif\0\0".  Moved to the buffer's start. */
static bool
strip_exif_header(uint8_t *item, size_t n, size_t *len)
{
    if (n < 4)
        return false;
    uint64_t skip = (uint64_t)item[0] << 24 | (uint64_t)item[1] << 16 | item[2] << 8 | item[3];
    if (skip > n - 4)
        return false;
    size_t at = 4 + (size_t)skip;
    if (n - at >= 6 && memcmp(item + at, "Exif\0\0", 6) == 0)
        at += 6;
    *len = n - at;
    memmove(item, item + at, *len);
    return true;
}

void
img_heif_exif(const uint8_t *p, size_t len, const struct img_reader *more, uint64_t total,
              uint8_t **exif, size_t *exif_len)
{
    *exif = NULL;
    *exif_len = 0;
    struct cursor meta, box;
    struct items it = {0};
    char type[4];
    if (!find_meta(p, len, total, &meta))
        return;
    struct cursor walk = meta;
    while (next_box(&walk, type, &box))
        if (memcmp(type, "pitm", 4) == 0)
            read_pitm(box, &it);
    for (walk = meta; next_box(&walk, type, &box);)
        if (memcmp(type, "iinf", 4) == 0)
            read_iinf(box, &it);
    if (it.nexif == 0)
        return;
    for (walk = meta; next_box(&walk, type, &box);)
        if (memcmp(type, "iref", 4) == 0)
            read_iref(box, &it);
    uint32_t want = it.have_described ? it.described : it.exif[0];
    struct extent ext[8];
    size_t n = 0;
    for (walk = meta; n == 0 && next_box(&walk, type, &box);)
        if (memcmp(type, "iloc", 4) == 0)
            n = read_iloc(box, want, ext, sizeof ext / sizeof ext[0]);
    size_t item_len = 0;
    uint8_t *item = n ? read_extents(p, len, more, total, ext, n, &item_len) : NULL;
    if (item && strip_exif_header(item, item_len, exif_len))
        *exif = item;
    else
        free(item);
}
