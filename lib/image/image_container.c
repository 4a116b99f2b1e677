/* image_container.c - walking a JPEG's segments and a WebP's chunks.
 *
 * Metadata lives in the containers, not in the coded image: JPEG keeps it
 * in APPn and COM segments before the first scan, WebP in chunks beside
 * the image chunks.  Adding XMP, finding it and the metadata-free digest
 * (image_xmp.c, image_digest.c) all walk the same structure, so the walk
 * is here, once, with every length checked against the buffer. */
#include <string.h>

#include "image_internal.h"

#define M_SOI 0xD8
#define M_SOS 0xDA

static bool
is_standalone(int m)
{
    return m == 0x01 || (m >= 0xD0 && m <= 0xD7); /* TEM, RSTn */
}

bool
img_is_jpeg(const uint8_t *p, size_t len)
{
    return len >= 3 && p[0] == 0xFF && p[1] == M_SOI && p[2] == 0xFF;
}

int
img_jpeg_next_segment(const uint8_t *p, size_t len, size_t *pos, struct img_segment *seg)
{
    size_t at = *pos;
    if (at == 0)
        at = 2; /* after SOI, checked by img_is_jpeg */
    while (at + 1 < len && p[at] == 0xFF && p[at + 1] == 0xFF)
        at++; /* fill bytes before a marker */
    if (at + 2 > len || p[at] != 0xFF)
        return -1;
    int m = p[at + 1];
    memset(seg, 0, sizeof *seg);
    seg->marker = m;
    seg->start = at;
    if (m == M_SOS) {
        *pos = at;
        return 0;
    }
    if (is_standalone(m)) {
        seg->end = at + 2;
        *pos = seg->end;
        return 1;
    }
    if (at + 4 > len)
        return -1;
    size_t n = img_be16(p + at + 2);
    if (n < 2 || n > len - at - 2)
        return -1;
    seg->payload = p + at + 4;
    seg->paylen = n - 2;
    seg->end = at + 2 + n;
    *pos = seg->end;
    return 1;
}

bool
img_is_webp(const uint8_t *p, size_t len)
{
    return len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0;
}

int
img_webp_next_chunk(const uint8_t *p, size_t len, size_t *pos, struct img_chunk *ch)
{
    /* The RIFF size bounds the walk: bytes past it are not the file's. */
    size_t end = 8 + (size_t)img_le32(p + 4);
    if (end > len)
        end = len;
    size_t at = *pos ? *pos : 12;
    if (at >= end)
        return 0;
    if (end - at < 8)
        return -1;
    size_t n = img_le32(p + at + 4);
    if (n > end - at - 8)
        return -1;
    memset(ch, 0, sizeof *ch);
    memcpy(ch->fourcc, p + at, 4);
    ch->start = at;
    ch->payload = p + at + 8;
    ch->paylen = n;
    /* Chunks are padded to an even size; a last chunk may lack its pad. */
    ch->end = at + 8 + n + (n & 1);
    if (ch->end > end)
        ch->end = end;
    *pos = ch->end;
    return 1;
}

/* ---- PNG chunks (export writes PNG: its XMP, digest) ---- */

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

bool
img_is_png(const uint8_t *p, size_t len)
{
    return len >= 8 && memcmp(p, png_signature, 8) == 0;
}

int
img_png_next_chunk(const uint8_t *p, size_t len, size_t *pos, struct img_chunk *ch)
{
    size_t at = *pos ? *pos : 8;
    if (at >= len)
        return 0;
    if (len - at < 12)
        return -1;
    size_t n = (size_t)p[at] << 24 | (size_t)p[at + 1] << 16 | (size_t)p[at + 2] << 8 |
               p[at + 3];
    if (n > len - at - 12)
        return -1;
    memset(ch, 0, sizeof *ch);
    memcpy(ch->fourcc, p + at + 4, 4);
    ch->start = at;
    ch->payload = p + at + 8;
    ch->paylen = n;
    ch->end = at + 12 + n; /* length, type, data, CRC */
    *pos = ch->end;
    return 1;
}

uint32_t
img_png_crc(const uint8_t *p, size_t len)
{
    /* CRC-32 (ISO 3309, reflected 0xEDB88320), bit by bit: the chunks
     * axle adds are a few kilobytes, where a table would gain nothing. */
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}
