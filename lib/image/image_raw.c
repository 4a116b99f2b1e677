/* image_raw.c - camera RAW (DNG, CR2, CR3, NEF, ARW, ORF, RW2, RAF, ...)
 * through libraw.
 *
 * Shrink-on-load the way photographers' tools do it: a RAW file carries
 * the camera's own JPEG rendering as a preview, often at full size.  When
 * that preview covers the wanted size times the margin (and has the
 * image's shape, not a letterboxed 16:9 of a 3:2 sensor), it is decoded
 * with the JPEG decoder at its reduced scales: a RAW thumbnails at JPEG
 * speed.  Otherwise the sensor data is demosaicked, at half size (2x2
 * Bayer cells to one pixel, no interpolation: four times fewer pixels and
 * much faster) when half still covers the size asked, else at full size.
 * The demosaic uses the camera's white balance and libraw's sRGB output
 * with sRGB's curve and libraw's default brightening (what dcraw and the
 * tools built on it show).  Sensor data has 10 to 14 bits: the demosaic
 * is kept at 16 bits for the resize (img_raw_decode_deep, image_deep.h)
 * and rounded to 8 after it; the preview, a JPEG, is 8-bit anyway.
 *
 * The probe reports the sensor image's size as stored and libraw's
 * orientation as EXIF's, so that the pipeline rotates the pixels as for a
 * JPEG; both decodes return stored orientation (the preview's own EXIF
 * orientation is not used: libraw's is the file's).
 *
 * Recognition by content: CR2, ORF, RW2, RAF and CR3 have signatures of
 * their own (sniff_raw); DNG, NEF, ARW, PEF and the other TIFF-structured
 * RAWs start like any TIFF, and image_tiff.c hands them here when their
 * first directory says so (see img_tiff_is_camera_raw there). */
#ifdef AXLE_HAVE_RAW
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libraw/libraw.h>

#include "image_deep.h"
#include "image_internal.h"

static bool
sniff_raw(const uint8_t *p, size_t len)
{
    if (len < 12)
        return false;
    if (memcmp(p, "II*\0", 4) == 0 && p[8] == 'C' && p[9] == 'R') /* CR2 */
        return true;
    if (memcmp(p, "IIRO", 4) == 0 || memcmp(p, "IIRS", 4) == 0 ||
        memcmp(p, "MMOR", 4) == 0 || memcmp(p, "IIU\0", 4) == 0) /* ORF, RW2 */
        return true;
    if (memcmp(p, "FUJIFILM", 8) == 0) /* RAF */
        return true;
    return memcmp(p + 4, "ftypcrx ", 8) == 0; /* CR3 */
}

/* libraw's messages go to this decode, not to stderr. */
struct raw_state {
    bool truncated;          /* libraw read past the end of the data */
    char problem[160];
};

static void
on_data_error(void *data, const char *file, const int offset)
{
    (void)file;
    struct raw_state *s = data;
    if (s && offset < 0) /* libraw's way of saying end of file */
        s->truncated = true;
    else if (s && !s->problem[0])
        snprintf(s->problem, sizeof s->problem, "the data is damaged near byte %d", offset);
}

static void
on_mem_error(void *data, const char *file, const char *where)
{
    (void)file;
    struct raw_state *s = data;
    if (s && !s->problem[0])
        snprintf(s->problem, sizeof s->problem, "out of memory in %s", where ? where : "libraw");
}

static libraw_data_t *
open_raw(const uint8_t *p, size_t len, struct raw_state *s, int *code)
{
    libraw_data_t *lr = libraw_init(0);
    if (!lr) {
        *code = LIBRAW_UNSUFFICIENT_MEMORY;
        return NULL;
    }
    libraw_set_dataerror_handler(lr, on_data_error, s);
    libraw_set_memerror_handler(lr, on_mem_error, s);
    *code = libraw_open_buffer(lr, (void *)p, len);
    if (*code != LIBRAW_SUCCESS) {
        libraw_close(lr);
        return NULL;
    }
    return lr;
}

/* libraw's error as ours. */
static int
raw_fail(int code, const struct raw_state *s, char *err, size_t errlen)
{
    if (code == LIBRAW_UNSUFFICIENT_MEMORY || code == LIBRAW_MEMPOOL_OVERFLOW)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the camera RAW");
    if (s && s->truncated)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated camera RAW: the data ends before the image does");
    if (code == LIBRAW_FILE_UNSUPPORTED)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "camera RAW not supported: libraw does not know this camera or format");
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt camera RAW: %s",
                    s && s->problem[0] ? s->problem : libraw_strerror(code));
}

/* libraw's flip (dcraw's: bit 2 transposes, bit 1 flips rows, bit 0
 * columns) as an EXIF orientation. */
static uint8_t
exif_orientation(int flip)
{
    static const uint8_t by_flip[8] = {1, 2, 4, 3, 5, 8, 6, 7};
    return flip >= 0 && flip < 8 ? by_flip[flip] : 1;
}

/* What a successful open says about the image. */
static int
describe(libraw_data_t *lr, axle_image *out, char *err, size_t errlen)
{
    uint32_t w = lr->sizes.width, h = lr->sizes.height;
    if (w == 0 || h == 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt camera RAW: its image is %ux%u",
                        w, h);
    out->codec = AXLE_CODEC_CAMRAW;
    out->width = w;
    out->height = h;
    out->channels = 3;
    out->orientation = exif_orientation(lr->sizes.flip);
    return AXLE_OK;
}

/* libraw parses the headers it needs from a prefix; when that is not
 * enough (maker notes at the end, an odd layout) the whole file is asked
 * for.  The answer is libraw's identification either way. */
static int
probe_raw(const uint8_t *p, size_t len, uint64_t file_size, size_t *need, axle_image *out,
          char *err, size_t errlen)
{
    struct raw_state s = {false, ""};
    int code;
    libraw_data_t *lr = open_raw(p, len, &s, &code);
    bool whole = file_size == IMG_SIZE_UNKNOWN || file_size <= len;
    if (!lr && !whole && code != LIBRAW_UNSUFFICIENT_MEMORY)
        return img_more((size_t)file_size, need, err, errlen,
                        "truncated camera RAW: the file ends at byte %zu, inside its headers",
                        len);
    if (!lr)
        return raw_fail(code, &s, err, errlen);
    int rc = describe(lr, out, err, errlen);
    libraw_close(lr);
    return rc;
}

/* The preview, when it is a JPEG of the image's shape that covers the
 * wanted size times the margin: true, and *jpeg its probe. */
static bool
preview_serves(libraw_data_t *lr, const struct img_decode_req *req, axle_image *jpeg)
{
    if ((req->want_w == 0 && req->want_h == 0) || libraw_unpack_thumb(lr) != LIBRAW_SUCCESS ||
        lr->thumbnail.tformat != LIBRAW_THUMBNAIL_JPEG || !lr->thumbnail.thumb)
        return false;
    char why[160];
    if (axle_image_probe(lr->thumbnail.thumb, lr->thumbnail.tlength, jpeg, why,
                         sizeof why) != AXLE_OK ||
        jpeg->codec != AXLE_CODEC_JPEG)
        return false;
    double aspect = (double)lr->sizes.width / lr->sizes.height;
    double preview = (double)jpeg->width / jpeg->height;
    return preview >= aspect * 0.99 && preview <= aspect * 1.01 &&
           jpeg->width >= req->want_w * AXLE_MARGIN_RAW &&
           jpeg->height >= req->want_h * AXLE_MARGIN_RAW;
}

/* The preview, when it serves (preview_serves), decoded at the JPEG
 * decoder's reduced scale.  AXLE_EUNSUPPORTED (and nothing said) when it
 * does not serve. */
static int
decode_preview(libraw_data_t *lr, const struct img_decode_req *req, axle_pixels *out,
               char *err, size_t errlen)
{
    axle_image jpeg;
    if (!preview_serves(lr, req, &jpeg))
        return AXLE_EUNSUPPORTED;
    struct img_decode_req sub = *req;
    sub.flags = 0; /* a damaged preview: the sensor data instead */
    char why[160];
    int rc = img_decode_jpeg(&jpeg, &sub, out, why, sizeof why);
    if (rc == AXLE_ENOMEM || rc == AXLE_ETOOBIG)
        return img_fail(err, errlen, rc, "%s", why);
    return rc == AXLE_OK ? AXLE_OK : AXLE_EUNSUPPORTED;
}

/* libraw's 8-bit bitmap (RGB, or grey for a monochrome sensor) into *out. */
static int
copy_bitmap(const libraw_processed_image_t *im, const struct img_decode_req *req,
            axle_pixels *out, char *err, size_t errlen)
{
    int rc = img_alloc(req, out, im->width, im->height, 3, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    for (uint32_t y = 0; y < out->height; y++) {
        const uint8_t *s = im->data + (size_t)y * im->width * im->colors;
        uint8_t *d = out->data + (size_t)y * out->stride;
        if (im->colors == 3)
            memcpy(d, s, (size_t)out->width * 3);
        else
            for (uint32_t x = 0; x < out->width; x++)
                d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
    }
    return AXLE_OK;
}

/* The sensor data demosaicked to `bps` (8 or 16) bits a sample: *im,
 * for libraw_dcraw_clear_mem. */
static int
develop(libraw_data_t *lr, struct raw_state *s, const struct img_decode_req *req, int bps,
        libraw_processed_image_t **im, char *err, size_t errlen)
{
    /* The sensor's own size bounds what unpack allocates. */
    int rc = img_check_pixels(lr->sizes.raw_width, lr->sizes.raw_height, req->max_pixels, err,
                              errlen);
    if (rc != AXLE_OK)
        return rc;
    bool wants = req->want_w || req->want_h;
    lr->params.half_size = wants && lr->sizes.width / 2 >= req->want_w * AXLE_MARGIN_RAW &&
                           lr->sizes.height / 2 >= req->want_h * AXLE_MARGIN_RAW;
    lr->params.use_camera_wb = 1;
    lr->params.output_bps = bps;
    lr->params.output_color = 1; /* sRGB */
    lr->params.gamm[0] = 1 / 2.4;
    lr->params.gamm[1] = 12.92;
    lr->params.user_flip = 0; /* stored orientation: the pipeline turns it */
    int code = libraw_unpack(lr);
    if (code == LIBRAW_SUCCESS)
        code = libraw_dcraw_process(lr);
    if (code != LIBRAW_SUCCESS)
        return raw_fail(code, s, err, errlen);
    if (!(*im = libraw_dcraw_make_mem_image(lr, &code)))
        return raw_fail(code, s, err, errlen);
    if ((*im)->type != LIBRAW_IMAGE_BITMAP || (*im)->bits != bps ||
        ((*im)->colors != 3 && (*im)->colors != 1)) {
        rc = img_fail(err, errlen, AXLE_EFORMAT,
                      "corrupt camera RAW: the demosaic gave %d colours of %d bits",
                      (*im)->colors, (*im)->bits);
        libraw_dcraw_clear_mem(*im);
        *im = NULL;
        return rc;
    }
    return img_check_pixels((*im)->width, (*im)->height, req->max_pixels, err, errlen);
}

static int
demosaic(libraw_data_t *lr, struct raw_state *s, const struct img_decode_req *req,
         axle_pixels *out, char *err, size_t errlen)
{
    libraw_processed_image_t *im = NULL;
    int rc = develop(lr, s, req, 8, &im, err, errlen);
    if (rc == AXLE_OK)
        rc = copy_bitmap(im, req, out, err, errlen);
    if (im)
        libraw_dcraw_clear_mem(im);
    return rc;
}

static int
decode_raw(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    struct raw_state s = {false, ""};
    int code;
    libraw_data_t *lr = open_raw(img->data, img->size, &s, &code);
    if (!lr)
        return raw_fail(code, &s, err, errlen);
    int rc = img_check_pixels(lr->sizes.width, lr->sizes.height, req->max_pixels, err, errlen);
    if (rc == AXLE_OK) {
        rc = decode_preview(lr, req, out, err, errlen);
        if (rc == AXLE_EUNSUPPORTED)
            rc = demosaic(lr, &s, req, out, err, errlen);
    }
    libraw_close(lr);
    if (rc != AXLE_OK)
        axle_pixels_free(out);
    return rc;
}

/* ---- 16 bits kept for the resize (image_deep.h) ---- */

/* libraw's 16-bit bitmap (native byte order; RGB, or grey) into *out. */
static int
copy_bitmap16(const libraw_processed_image_t *im, img_deep *out)
{
    int rc = img_deep_alloc(out, im->width, im->height, 3);
    if (rc != AXLE_OK)
        return rc;
    const uint16_t *samples = (const uint16_t *)(const void *)im->data;
    for (uint32_t y = 0; y < out->height; y++) {
        const uint16_t *s = samples + (size_t)y * im->width * im->colors;
        uint16_t *d = out->data + y * out->stride;
        if (im->colors == 3)
            memcpy(d, s, (size_t)out->width * 3 * sizeof *d);
        else
            for (uint32_t x = 0; x < out->width; x++)
                d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
    }
    return AXLE_OK;
}

/* The demosaic at 16 bits; IMG_NOT_DEEP when the preview serves (the
 * 8-bit decoder then decodes it). */
int
img_raw_decode_deep(const axle_image *img, const struct img_decode_req *req, img_deep *out,
                    char *err, size_t errlen)
{
    struct raw_state s = {false, ""};
    int code;
    libraw_data_t *lr = open_raw(img->data, img->size, &s, &code);
    if (!lr)
        return raw_fail(code, &s, err, errlen);
    axle_image jpeg;
    libraw_processed_image_t *im = NULL;
    int rc = img_check_pixels(lr->sizes.width, lr->sizes.height, req->max_pixels, err, errlen);
    if (rc == AXLE_OK && preview_serves(lr, req, &jpeg))
        rc = IMG_NOT_DEEP;
    if (rc == AXLE_OK)
        rc = develop(lr, &s, req, 16, &im, err, errlen);
    if (rc == AXLE_OK && (rc = copy_bitmap16(im, out)) != AXLE_OK)
        rc = img_fail(err, errlen, rc, "out of memory decoding the camera RAW");
    if (im)
        libraw_dcraw_clear_mem(im);
    libraw_close(lr);
    if (rc != AXLE_OK)
        img_deep_free(out);
    return rc;
}

const struct img_codec img_codec_camraw = {
    AXLE_CODEC_CAMRAW, "camera RAW", sniff_raw, probe_raw, decode_raw, NULL,
};
#endif
