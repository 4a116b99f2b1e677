/* image_tiff.c - TIFF: the first page (the first IFD), probed by reading
 * that IFD's entries, decoded with libtiff's RGBA reader, which covers
 * strips and tiles, 1 to 16 bits, grey, palette, RGB, CMYK and YCbCr.
 * 16-bit samples come out rounded to 8 bits (axle_pixels is 8-bit), except
 * through img_tiff_decode_deep, which axle_images_to_sizes uses to round
 * after the resize (image_deep.h).  The
 * orientation tag is reported like EXIF's and the pixels are returned as
 * stored, so that the pipeline rotates them as it does a JPEG.  No
 * shrink-on-load.  Classic TIFF only (not BigTIFF).
 *
 * libtiff's errors go to a handler of this decode (never to stderr), and
 * its reads come from memory: a read past the end marks the file
 * truncated. */
#ifdef AXLE_HAVE_TIFF
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "image_deep.h"
#include "image_internal.h"

static bool
sniff_tiff(const uint8_t *p, size_t len)
{
    return len >= 4 && (memcmp(p, "II*\0", 4) == 0 || memcmp(p, "MM\0*", 4) == 0);
}

struct ifd_reader {
    const uint8_t *p;
    bool big_endian;
};

static uint32_t
u16(const struct ifd_reader *r, size_t at)
{
    const uint8_t *b = r->p + at;
    return r->big_endian ? (uint32_t)b[0] << 8 | b[1] : (uint32_t)b[1] << 8 | b[0];
}

static uint32_t
u32(const struct ifd_reader *r, size_t at)
{
    return r->big_endian ? u16(r, at) << 16 | u16(r, at + 2) : u16(r, at + 2) << 16 | u16(r, at);
}

/* An entry's first value when it is held in the entry (SHORT or LONG). */
static uint32_t
inline_value(const struct ifd_reader *r, size_t entry)
{
    uint32_t type = u16(r, entry + 2);
    return type == 3 ? u16(r, entry + 8) : u32(r, entry + 8);
}

#define CUT_IFD "truncated TIFF: the file ends at byte %zu, inside its first directory"

/* The tags the probe needs, from the first IFD. */
struct tiff_tags {
    uint32_t width, height, samples, photometric, orientation, extra;
    uint32_t subfile_type;   /* 254: 1 for a reduced-resolution image */
    bool sub_ifds, dng;      /* 330 SubIFDs, 50706 DNGVersion */
};

/* A camera RAW that starts like a TIFF: a DNG (DNGVersion in the first
 * directory), or a first page that is a reduced-resolution preview with
 * the full image in SubIFDs, as NEF, ARW, PEF and most TIFF-based RAWs are
 * laid out (a plain TIFF's first page is its image).  Such files go to
 * libraw (image_raw.c). */
static bool
is_camera_raw(const struct tiff_tags *t)
{
    return t->dng || (t->subfile_type == 1 && t->sub_ifds);
}

#define NO_RAW "camera RAW images are not supported: axle was built without libraw " \
               "(install it and rebuild; ./setup.sh does)"

static int
probe_tiff(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
           axle_image *out, char *err, size_t errlen)
{
    (void)file_size;
    if (len < 8)
        return img_more(8, need, err, errlen, CUT_IFD, len);
    struct ifd_reader r = {p, p[0] == 'M'};
    uint32_t ifd = u32(&r, 4);
    if (ifd < 8)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt TIFF: its first directory is at byte %u", ifd);
    if ((uint64_t)ifd + 2 > len)
        return img_more((size_t)ifd + 2, need, err, errlen, CUT_IFD, len);
    uint32_t n = u16(&r, ifd);
    size_t end = (size_t)ifd + 2 + 12 * (size_t)n;
    if (n == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt TIFF: an empty directory");
    if (end > len)
        return img_more(end, need, err, errlen, CUT_IFD, len);
    struct tiff_tags t = {0, 0, 1, UINT32_MAX, 1, 0, 0, false, false};
    for (uint32_t i = 0; i < n; i++) {
        size_t e = (size_t)ifd + 2 + 12 * (size_t)i;
        uint32_t tag = u16(&r, e), count = u32(&r, e + 4);
        uint32_t v = inline_value(&r, e);
        switch (tag) {
        case 256: t.width = v; break;
        case 257: t.height = v; break;
        case 262: t.photometric = v; break;
        case 274: t.orientation = v; break;
        case 277: t.samples = v; break;
        case 338: t.extra = count; break;
        case 254: t.subfile_type = v; break;
        case 330: t.sub_ifds = true; break;
        case 50706: t.dng = true; break;
        default: break;
        }
    }
    if (is_camera_raw(&t)) {
        const struct img_codec *raw = img_codec_find(AXLE_CODEC_CAMRAW);
        return raw ? raw->probe(p, len, file_size, need, out, err, errlen)
                   : img_fail(err, errlen, AXLE_EUNSUPPORTED, NO_RAW);
    }
    if (t.width == 0 || t.height == 0)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt TIFF: its first page is %ux%u", t.width, t.height);
    if (t.samples == 0 || t.samples > 16 || t.photometric == UINT32_MAX)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt TIFF: %u samples per pixel, photometric %d", t.samples,
                        (int)t.photometric);
    bool grey = t.photometric <= 1;
    bool alpha = t.extra > 0 && t.samples > (grey ? 1u : t.photometric == 5 ? 4u : 3u);
    out->codec = AXLE_CODEC_TIFF;
    out->width = t.width;
    out->height = t.height;
    out->channels = (uint8_t)((grey ? 1 : 3) + alpha);
    out->orientation = t.orientation >= 1 && t.orientation <= 8 ? (uint8_t)t.orientation : 1;
    return AXLE_OK;
}

/* The file in memory, and what went wrong while libtiff read it. */
struct tiff_src {
    const uint8_t *data;
    size_t size, pos;
    int truncated;
    char message[200]; /* libtiff's first error */
};

static tmsize_t
on_read(thandle_t h, void *buf, tmsize_t n)
{
    struct tiff_src *s = h;
    size_t want = n > 0 ? (size_t)n : 0, left = s->pos < s->size ? s->size - s->pos : 0;
    if (want > left) {
        s->truncated = 1;
        want = left;
    }
    memcpy(buf, s->data + s->pos, want);
    s->pos += want;
    return (tmsize_t)want;
}

static tmsize_t
on_write(thandle_t h, void *buf, tmsize_t n)
{
    (void)h, (void)buf, (void)n;
    return -1;
}

static toff_t
on_seek(thandle_t h, toff_t off, int whence)
{
    struct tiff_src *s = h;
    uint64_t base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->size : 0;
    uint64_t to = base + off;
    if (to > SIZE_MAX)
        return (toff_t)-1;
    s->pos = (size_t)to; /* past the end: the next read is short */
    return to;
}

static int
on_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t
on_size(thandle_t h)
{
    return ((struct tiff_src *)h)->size;
}

static int
on_map(thandle_t h, void **base, toff_t *size)
{
    (void)h, (void)base, (void)size;
    return 0;
}

static void
on_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h, (void)base, (void)size;
}

static int
on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif, (void)module;
    struct tiff_src *s = user;
    if (s->message[0] == '\0')
        vsnprintf(s->message, sizeof s->message, fmt, ap);
    return 1; /* handled: nothing on stderr */
}

static int
on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif, (void)user, (void)module, (void)fmt, (void)ap;
    return 1; /* unknown tags and the like: no pixel changes */
}

static int
tiff_error(const struct tiff_src *s, const char *what, char *err, size_t errlen)
{
    if (s->truncated)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated TIFF: the data ends before the image does");
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt TIFF: %s",
                    s->message[0] ? s->message : what);
}

/* libtiff's RGBA reader premultiplies colour by alpha; axle_pixels holds
 * it straight (as PNG and WebP give it): divided back, rounded.  Where
 * alpha is small this loses colour precision, where it is 0 the colour is
 * gone (black), which no composite shows. */
static uint8_t
unpremultiply(uint32_t v, uint32_t a)
{
    if (a == 255 || a == 0)
        return (uint8_t)v;
    uint32_t c = (v * 255 + a / 2) / a;
    return (uint8_t)(c > 255 ? 255 : c);
}

/* libtiff's ABGR words to 1, 2, 3 or 4 interleaved channels. */
static void
unpack(axle_pixels *out, const uint32_t *raster)
{
    uint32_t c = out->channels;
    for (uint32_t y = 0; y < out->height; y++) {
        const uint32_t *s = raster + (size_t)y * out->width;
        uint8_t *d = out->data + (size_t)y * out->stride;
        for (uint32_t x = 0; x < out->width; x++, d += c) {
            uint32_t v = s[x];
            uint32_t a = c == 2 || c == 4 ? TIFFGetA(v) : 255;
            uint8_t px[4] = {unpremultiply(TIFFGetR(v), a), unpremultiply(TIFFGetG(v), a),
                             unpremultiply(TIFFGetB(v), a), (uint8_t)a};
            if (c <= 2) {
                d[0] = px[0];
                if (c == 2)
                    d[1] = px[3];
            } else {
                memcpy(d, px, c);
            }
        }
    }
}

/* The first page into a raster of w*h words, in stored row order. */
static int
read_page(TIFF *tif, struct tiff_src *s, uint32_t w, uint32_t h, uint32_t *raster,
          char *err, size_t errlen)
{
    char msg[1024] = "";
    TIFFRGBAImage rgba;
    if (!TIFFRGBAImageOK(tif, msg))
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "TIFF not supported: %s", msg);
    if (!TIFFRGBAImageBegin(&rgba, tif, 1, msg))
        return tiff_error(s, msg, err, errlen);
    /* Asking for the file's own orientation: no flip, rows as stored. */
    rgba.req_orientation = rgba.orientation;
    int ok = TIFFRGBAImageGet(&rgba, raster, w, h);
    TIFFRGBAImageEnd(&rgba);
    return ok ? AXLE_OK : tiff_error(s, "the image data cannot be read", err, errlen);
}

/* libtiff on the file in memory, its messages to `src`.  A strip or tile
 * claiming more than max_pixels could need (16 bytes a pixel covers 4x16
 * bits) is refused by libtiff before it allocates. */
static int
open_tiff(struct tiff_src *src, uint64_t max_pixels, TIFF **tif, char *err, size_t errlen)
{
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts)
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the TIFF decoder");
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, src);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, src);
    if (max_pixels)
        TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)(max_pixels * 16 + (1 << 20)));
    *tif = TIFFClientOpenExt("image", "rm", src, on_read, on_write, on_seek, on_close,
                             on_size, on_map, on_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return *tif ? AXLE_OK : tiff_error(src, "its header cannot be read", err, errlen);
}

/* The first page's ICC profile (tag 34675).  A file libtiff cannot open
 * has no profile here: the decoder names what is wrong with it. */
int
img_tiff_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err,
             size_t errlen)
{
    struct tiff_src src = {p, n, 0, 0, ""};
    TIFF *tif = NULL;
    char why[200];
    if (open_tiff(&src, 0, &tif, why, sizeof why) != AXLE_OK)
        return AXLE_OK;
    uint32_t count = 0;
    const void *data = NULL;
    int rc = AXLE_OK;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &count, &data) && data && count > 0) {
        if (!(*icc = malloc(count)))
            rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory for a %u-byte ICC profile",
                          count);
        else {
            memcpy(*icc, data, count);
            *len = count;
        }
    }
    TIFFClose(tif);
    return rc;
}

static int
decode_tiff(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
            char *err, size_t errlen)
{
    axle_image probed;
    int rc = probe_tiff(img->data, img->size, img->size, NULL, &probed, err, errlen);
    if (rc != AXLE_OK)
        return rc == AXLE_EMORE ? AXLE_EFORMAT : rc;
    rc = img_check_pixels(probed.width, probed.height, req->max_pixels, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    struct tiff_src src = {img->data, img->size, 0, 0, ""};
    TIFF *tif = NULL;
    rc = open_tiff(&src, req->max_pixels, &tif, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    uint32_t *raster = NULL;
    if (w != probed.width || h != probed.height)
        rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt TIFF: its size tags disagree");
    else if (!(raster = calloc((size_t)w * h, sizeof *raster)))
        rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the TIFF");
    if (rc == AXLE_OK)
        rc = read_page(tif, &src, w, h, raster, err, errlen);
    TIFFClose(tif);
    if (rc == AXLE_OK)
        rc = img_alloc(req, out, w, h, probed.channels, err, errlen);
    if (rc == AXLE_OK)
        unpack(out, raster);
    free(raster);
    return rc;
}

/* ---- 16 bits kept for the resize (image_deep.h) ---- */

/* A first page whose samples are 16-bit unsigned integers, interleaved,
 * grey or RGB, with at most one extra sample (alpha): what img_deep holds
 * as it is.  Other layouts (palette, YCbCr, CMYK, separate planes, float)
 * go to libtiff's RGBA reader at 8 bits.  *premultiplied for an
 * associated alpha. */
static bool
deep_layout(TIFF *tif, uint32_t channels, bool *premultiplied)
{
    uint16_t bits = 0, samples = 0, photometric = 0, planar = PLANARCONFIG_CONTIG;
    uint16_t format = SAMPLEFORMAT_UINT, nextra = 0, *extra = NULL;
    TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetField(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
    bool grey = photometric == PHOTOMETRIC_MINISBLACK, rgb = photometric == PHOTOMETRIC_RGB;
    *premultiplied = nextra == 1 && extra && extra[0] == EXTRASAMPLE_ASSOCALPHA;
    return bits == 16 && format == SAMPLEFORMAT_UINT && planar == PLANARCONFIG_CONTIG &&
           (grey || rgb) && samples == channels && nextra <= 1 &&
           channels == (grey ? 1u : 3u) + nextra;
}

/* The page's strips or tiles into out (rows as stored). */
static int
read_deep(TIFF *tif, struct tiff_src *s, img_deep *out, char *err, size_t errlen)
{
    size_t px = out->channels * sizeof *out->data;
    if (!TIFFIsTiled(tif)) {
        if ((size_t)TIFFScanlineSize(tif) != out->width * px)
            return tiff_error(s, "unexpected row layout", err, errlen);
        for (uint32_t y = 0; y < out->height; y++)
            if (TIFFReadScanline(tif, out->data + y * out->stride, y, 0) < 0)
                return tiff_error(s, "the image data cannot be read", err, errlen);
        return AXLE_OK;
    }
    uint32_t tw = 0, th = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
    tmsize_t size = TIFFTileSize(tif);
    if (!tw || !th || size <= 0 || (uint64_t)size != (uint64_t)tw * th * px)
        return tiff_error(s, "unexpected tile layout", err, errlen);
    uint16_t *tile = malloc((size_t)size);
    if (!tile)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the TIFF");
    int rc = AXLE_OK;
    for (uint32_t ty = 0; rc == AXLE_OK && ty < out->height; ty += th)
        for (uint32_t tx = 0; rc == AXLE_OK && tx < out->width; tx += tw) {
            if (TIFFReadTile(tif, tile, tx, ty, 0, 0) < 0) {
                rc = tiff_error(s, "the image data cannot be read", err, errlen);
                break;
            }
            uint32_t w = out->width - tx < tw ? out->width - tx : tw;
            for (uint32_t y = 0; y < th && ty + y < out->height; y++)
                memcpy(out->data + (ty + y) * out->stride + (size_t)tx * out->channels,
                       tile + (size_t)y * tw * out->channels, w * px);
        }
    free(tile);
    return rc;
}

int
img_tiff_decode_deep(const axle_image *img, const struct img_decode_req *req,
                     img_deep *out, char *err, size_t errlen)
{
    axle_image probed;
    int rc = probe_tiff(img->data, img->size, img->size, NULL, &probed, err, errlen);
    if (rc != AXLE_OK || probed.codec != AXLE_CODEC_TIFF)
        return rc == AXLE_OK ? IMG_NOT_DEEP : rc;
    struct tiff_src src = {img->data, img->size, 0, 0, ""};
    TIFF *tif = NULL;
    rc = open_tiff(&src, req->max_pixels, &tif, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    bool premultiplied = false;
    if (w != probed.width || h != probed.height ||
        !deep_layout(tif, probed.channels, &premultiplied))
        rc = IMG_NOT_DEEP;
    if (rc == AXLE_OK)
        rc = img_check_pixels(w, h, req->max_pixels, err, errlen);
    if (rc == AXLE_OK && img_deep_alloc(out, w, h, probed.channels) != AXLE_OK)
        rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the TIFF");
    if (rc == AXLE_OK)
        rc = read_deep(tif, &src, out, err, errlen);
    TIFFClose(tif);
    if (rc == AXLE_OK && premultiplied)
        img_deep_unpremultiply(out); /* img_deep's alpha is straight */
    if (rc != AXLE_OK)
        img_deep_free(out);
    return rc;
}

const struct img_codec img_codec_tiff = {
    AXLE_CODEC_TIFF, "TIFF", sniff_tiff, probe_tiff, decode_tiff, NULL,
};
#endif
