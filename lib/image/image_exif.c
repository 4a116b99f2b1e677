/* image_exif.c - the one EXIF fact thumbnails need: orientation.
 *
 * A full EXIF library would parse dozens of tags we never use; this reads
 * the TIFF header and IFD0 only, with every offset checked against the
 * buffer, so a hostile APP1 segment or WebP EXIF chunk can at worst give
 * orientation 1. */
#include "image_internal.h"

#define TAG_ORIENTATION 0x0112
#define TIFF_BYTE 1
#define TIFF_SHORT 3
#define TIFF_LONG 4

struct tiff {
    const uint8_t *p;
    size_t len;
    int little; /* "II" byte order */
};

static uint32_t
rd16(const struct tiff *t, size_t off)
{
    const uint8_t *q = t->p + off;
    return t->little ? (uint32_t)q[0] | (uint32_t)q[1] << 8
                     : (uint32_t)q[0] << 8 | q[1];
}

static uint32_t
rd32(const struct tiff *t, size_t off)
{
    const uint8_t *q = t->p + off;
    if (t->little)
        return img_le32(q);
    return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

/* The orientation value of one 12-byte IFD entry, or 0. */
static int
entry_value(const struct tiff *t, size_t e)
{
    uint32_t type = rd16(t, e + 2), count = rd32(t, e + 4);
    if (count < 1)
        return 0;
    switch (type) {
    case TIFF_SHORT: return (int)rd16(t, e + 8);
    case TIFF_LONG: return (int)(rd32(t, e + 8) & 0xffff);
    case TIFF_BYTE: return t->p[e + 8];
    default: return 0;
    }
}

int
img_exif_orientation(const uint8_t *tiff, size_t len)
{
    struct tiff t = {tiff, len, 0};
    if (!tiff || len < 8)
        return 1;
    if (tiff[0] == 'I' && tiff[1] == 'I')
        t.little = 1;
    else if (!(tiff[0] == 'M' && tiff[1] == 'M'))
        return 1;
    if (rd16(&t, 2) != 42)
        return 1;
    size_t ifd = rd32(&t, 4);
    if (ifd > len - 2)
        return 1;
    size_t count = rd16(&t, ifd);
    for (size_t i = 0; i < count; i++) {
        size_t e = ifd + 2 + 12 * i;
        if (e > len || len - e < 12)
            break; /* entry runs past the end: stop, keep what we have */
        if (rd16(&t, e) != TAG_ORIENTATION)
            continue;
        int v = entry_value(&t, e);
        return v >= 1 && v <= 8 ? v : 1;
    }
    return 1;
}
