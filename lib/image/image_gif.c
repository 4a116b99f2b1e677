/* image_gif.c - GIF: the first frame, probed by walking the blocks up to
 * its image descriptor, decoded with giflib.  The canvas is the logical
 * screen; where the first frame does not cover it, it is transparent
 * (when the frame has a transparent colour) or the background colour.
 * Channels: RGBA when the first frame has a transparent colour, else RGB.
 * GIF has no shrink-on-load. */
#ifdef AXLE_HAVE_GIF
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "image_internal.h"

static bool
sniff_gif(const uint8_t *p, size_t len)
{
    return len >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0);
}

static uint32_t
le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static int
cut(size_t want, size_t *need, char *err, size_t errlen, size_t len)
{
    return img_more(want, need, err, errlen,
                    "truncated GIF: the file ends at byte %zu, before its first image", len);
}

/* Steps over the sub-blocks at *pos (each a length byte and data, ended by
 * a zero length); a graphic control block's transparency flag is kept. */
static int
skip_sub_blocks(const uint8_t *p, size_t len, size_t *pos, int control, int *transparent,
                size_t *need, char *err, size_t errlen)
{
    for (int first = 1;; first = 0) {
        if (*pos >= len)
            return cut(*pos + 1, need, err, errlen, len);
        size_t n = p[(*pos)++];
        if (n == 0)
            return AXLE_OK;
        if (len - *pos < n)
            return cut(*pos + n + 1, need, err, errlen, len);
        if (control && first && n >= 4)
            *transparent = p[*pos] & 1;
        *pos += n;
    }
}

static int
probe_gif(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
          axle_image *out, char *err, size_t errlen)
{
    (void)file_size;
    if (len < 13)
        return cut(13, need, err, errlen, len);
    uint32_t w = le16(p + 6), h = le16(p + 8);
    if (w == 0 || h == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt GIF: its screen is %ux%u", w, h);
    size_t pos = 13;
    if (p[10] & 0x80)
        pos += 3u << ((p[10] & 7) + 1); /* the global colour table */
    int transparent = 0;
    for (;;) {
        if (pos >= len)
            return cut(pos + 1, need, err, errlen, len);
        uint8_t block = p[pos++];
        if (block == 0x2C) { /* image descriptor: the first frame */
            if (len - pos < 9)
                return cut(pos + 9, need, err, errlen, len);
            break;
        }
        if (block == 0x3B)
            return img_fail(err, errlen, AXLE_EFORMAT, "corrupt GIF: it has no image");
        if (block != 0x21)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt GIF: unknown block 0x%02x at byte %zu", block, pos - 1);
        if (pos >= len)
            return cut(pos + 1, need, err, errlen, len);
        int control = p[pos++] == 0xF9;
        transparent = control ? 0 : transparent;
        int rc = skip_sub_blocks(p, len, &pos, control, &transparent, need, err, errlen);
        if (rc != AXLE_OK)
            return rc;
    }
    out->codec = AXLE_CODEC_GIF;
    out->width = w;
    out->height = h;
    out->channels = transparent ? 4 : 3;
    return AXLE_OK;
}

/* giflib reads through this; a short read is how it learns the data ended. */
struct gif_src {
    const uint8_t *data;
    size_t size, pos;
    int truncated;
};

static int
on_read(GifFileType *gif, GifByteType *buf, int n)
{
    struct gif_src *s = gif->UserData;
    size_t want = n > 0 ? (size_t)n : 0, left = s->size - s->pos;
    if (want > left) {
        s->truncated = 1;
        want = left;
    }
    memcpy(buf, s->data + s->pos, want);
    s->pos += want;
    return (int)want;
}

static int
gif_error(const struct gif_src *s, int code, char *err, size_t errlen)
{
    if (code == D_GIF_ERR_NOT_ENOUGH_MEM)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the GIF");
    if (s->truncated)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated GIF: the data ends before the first image does");
    /* giflib also says "read failed" for an LZW code size out of range */
    const char *why = code == D_GIF_ERR_READ_FAILED ? "malformed image data" : GifErrorString(code);
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt GIF: %s", why ? why : "bad data");
}

/* Up to the first image descriptor; the transparent index (-1: none). */
static int
read_to_image(GifFileType *gif, int *transparent)
{
    *transparent = -1;
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR)
            return GIF_ERROR;
        if (type == IMAGE_DESC_RECORD_TYPE)
            return DGifGetImageDesc(gif);
        if (type == TERMINATE_RECORD_TYPE) {
            gif->Error = D_GIF_ERR_NO_IMAG_DSCR;
            return GIF_ERROR;
        }
        if (type != EXTENSION_RECORD_TYPE) {
            gif->Error = D_GIF_ERR_WRONG_RECORD;
            return GIF_ERROR;
        }
        int label;
        GifByteType *ext;
        if (DGifGetExtension(gif, &label, &ext) == GIF_ERROR)
            return GIF_ERROR;
        if (label == GRAPHICS_EXT_FUNC_CODE) {
            *transparent = -1;
            if (ext && ext[0] >= 4 && (ext[1] & 1))
                *transparent = ext[4];
        }
        while (ext)
            if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR)
                return GIF_ERROR;
    }
}

/* The frame's rows, in file order (interlaced: four passes). */
static int
read_frame(GifFileType *gif, uint8_t *idx, uint32_t fw, uint32_t fh)
{
    static const uint32_t start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
    int passes = gif->Image.Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
        uint32_t y0 = passes == 1 ? 0 : start[pass], dy = passes == 1 ? 1 : step[pass];
        for (uint32_t y = y0; y < fh; y += dy)
            if (DGifGetLine(gif, idx + (size_t)y * fw, (int)fw) == GIF_ERROR)
                return GIF_ERROR;
    }
    return GIF_OK;
}

/* Paints the canvas: background (or transparent), then the frame. */
static void
paint(axle_pixels *out, const GifFileType *gif, const uint8_t *idx, int transparent)
{
    const ColorMapObject *map = gif->Image.ColorMap ? gif->Image.ColorMap : gif->SColorMap;
    uint32_t c = out->channels;
    uint8_t bg[4] = {0, 0, 0, 0};
    if (c == 3 && map && gif->SBackGroundColor < map->ColorCount) {
        GifColorType col = map->Colors[gif->SBackGroundColor];
        bg[0] = col.Red, bg[1] = col.Green, bg[2] = col.Blue;
    }
    const GifImageDesc *d = &gif->Image;
    uint32_t fw = (uint32_t)d->Width;
    for (uint32_t y = 0; y < out->height; y++) {
        uint8_t *row = out->data + (size_t)y * out->stride;
        for (uint32_t x = 0; x < out->width; x++) {
            uint8_t *px = row + (size_t)x * c;
            memcpy(px, bg, c);
            int64_t fx = (int64_t)x - d->Left, fy = (int64_t)y - d->Top;
            if (fx < 0 || fy < 0 || fx >= d->Width || fy >= d->Height)
                continue;
            int i = idx[(size_t)fy * fw + (size_t)fx];
            if (i == transparent)
                continue;
            if (map && i < map->ColorCount) {
                px[0] = map->Colors[i].Red;
                px[1] = map->Colors[i].Green;
                px[2] = map->Colors[i].Blue;
            } else {
                px[0] = px[1] = px[2] = 0; /* an index past the palette: black */
            }
            if (c == 4)
                px[3] = 255;
        }
    }
}

static int
decode_gif(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    struct gif_src src = {img->data, img->size, 0, 0};
    int code = 0;
    GifFileType *gif = DGifOpen(&src, on_read, &code);
    if (!gif)
        return gif_error(&src, code, err, errlen);
    int rc = img_check_pixels(gif->SWidth, gif->SHeight, req->max_pixels, err, errlen);
    int transparent = -1;
    uint8_t *idx = NULL;
    if (rc == AXLE_OK && read_to_image(gif, &transparent) == GIF_ERROR)
        rc = gif_error(&src, gif->Error, err, errlen);
    uint32_t fw = 0, fh = 0;
    if (rc == AXLE_OK) {
        fw = (uint32_t)gif->Image.Width, fh = (uint32_t)gif->Image.Height;
        rc = img_check_pixels(fw, fh, req->max_pixels, err, errlen);
    }
    if (rc == AXLE_OK && (gif->SWidth <= 0 || gif->SHeight <= 0 || fw == 0 || fh == 0))
        rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt GIF: an empty screen or frame");
    if (rc == AXLE_OK && !(idx = malloc((size_t)fw * fh)))
        rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the GIF");
    if (rc == AXLE_OK && read_frame(gif, idx, fw, fh) == GIF_ERROR)
        rc = gif_error(&src, gif->Error, err, errlen);
    if (rc == AXLE_OK)
        rc = img_alloc(req, out, (uint32_t)gif->SWidth, (uint32_t)gif->SHeight,
                       transparent >= 0 ? 4 : 3, err, errlen);
    if (rc == AXLE_OK)
        paint(out, gif, idx, transparent);
    free(idx);
    DGifCloseFile(gif, &code);
    return rc;
}

const struct img_codec img_codec_gif = {
    AXLE_CODEC_GIF, "GIF", sniff_gif, probe_gif, decode_gif, NULL,
};
#endif
