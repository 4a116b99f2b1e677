/* image_jxl.c - JPEG XL through libjxl (Debian 12: 0.7): the first frame
 * (animations are coalesced by libjxl), 8 bits, grey or RGB with alpha
 * unpremultiplied; 16 bits for a source of more than 8 through
 * img_jxl_decode_deep (image_deep.h).  The pixels come back in stored orientation with the
 * file's orientation reported as EXIF's, so the pipeline turns them as it
 * does a JPEG's.  Shrink-on-load: a lossy file's DC pass, 1/8 scale, when
 * it covers the size asked (below).
 *
 * The colour profile is the one libjxl gives for the decoded pixels
 * (JXL_COLOR_PROFILE_TARGET_DATA): an ICC profile synthesised from the
 * colour encoding when the file has none; an sRGB file's is recognised
 * as sRGB by image_colour.c and not converted. */
#ifdef AXLE_HAVE_JXL
#include <stdlib.h>
#include <string.h>

#include <jxl/decode.h>

#include "codec_names.h"
#include "image_deep.h"
#include "image_internal.h"

static bool
sniff_jxl(const uint8_t *p, size_t len)
{
    static const uint8_t box[12] = {0, 0, 0, 0x0c, 'J', 'X', 'L', ' ', 0x0d, 0x0a, 0x87, 0x0a};
    return (len >= 2 && p[0] == 0xff && p[1] == 0x0a) ||
           (len >= 12 && memcmp(p, box, 12) == 0);
}

/* A decoder on `len` bytes, told whether they are all there. */
static JxlDecoder *
start(const uint8_t *p, size_t len, bool whole, int events)
{
    JxlDecoder *dec = JxlDecoderCreate(NULL);
    if (!dec)
        return NULL;
    if (JxlDecoderSubscribeEvents(dec, events) != JXL_DEC_SUCCESS ||
        JxlDecoderSetKeepOrientation(dec, JXL_TRUE) != JXL_DEC_SUCCESS ||
        JxlDecoderSetUnpremultiplyAlpha(dec, JXL_TRUE) != JXL_DEC_SUCCESS ||
        JxlDecoderSetInput(dec, p, len) != JXL_DEC_SUCCESS) {
        JxlDecoderDestroy(dec);
        return NULL;
    }
    if (whole)
        JxlDecoderCloseInput(dec);
    return dec;
}

static void
describe(const JxlBasicInfo *info, axle_image *out)
{
    out->codec = AXLE_CODEC_JXL;
    out->width = info->xsize;
    out->height = info->ysize;
    out->channels = (uint8_t)((info->num_color_channels == 1 ? 1 : 3) + (info->alpha_bits ? 1 : 0));
    out->orientation = info->orientation >= 1 && info->orientation <= 8
                           ? (uint8_t)info->orientation : 1;
}

static int
probe_jxl(const uint8_t *p, size_t len, uint64_t file_size, size_t *need, axle_image *out,
          char *err, size_t errlen)
{
    if (!img_jxl_load(err, errlen))
        return AXLE_EUNAVAILABLE;
    bool whole = file_size == IMG_SIZE_UNKNOWN || file_size <= len;
    JxlDecoder *dec = start(p, len, whole, JXL_DEC_BASIC_INFO);
    if (!dec)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory probing the JPEG XL");
    JxlDecoderStatus st = JxlDecoderProcessInput(dec);
    JxlBasicInfo info;
    int rc;
    if (st == JXL_DEC_BASIC_INFO && JxlDecoderGetBasicInfo(dec, &info) == JXL_DEC_SUCCESS) {
        describe(&info, out);
        rc = info.xsize && info.ysize
                 ? AXLE_OK
                 : img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: its image is %ux%u",
                            info.xsize, info.ysize);
    } else if (st == JXL_DEC_NEED_MORE_INPUT && !whole) {
        size_t want = len < 65536 ? 65536 : len * 2;
        rc = img_more(want > file_size ? (size_t)file_size : want, need, err, errlen,
                      "truncated JPEG XL: the file ends at byte %zu, inside its header", len);
    } else if (st == JXL_DEC_NEED_MORE_INPUT || st == JXL_DEC_SUCCESS) {
        rc = img_fail(err, errlen, AXLE_EFORMAT,
                      "truncated JPEG XL: the file ends at byte %zu, inside its header", len);
    } else {
        rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: its header cannot be read");
    }
    JxlDecoderDestroy(dec);
    return rc;
}

int
img_jxl_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err, size_t errlen)
{
    char why[8];
    if (!img_jxl_load(why, sizeof why))
        return AXLE_OK; /* as a header that cannot be read: the decoder says why */
    JxlDecoder *dec = start(p, n, true, JXL_DEC_BASIC_INFO | JXL_DEC_COLOR_ENCODING);
    if (!dec)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory reading a JPEG XL profile");
    size_t size = 0;
    int rc = AXLE_OK;
    JxlBasicInfo info;
    /* libjxl 0.7 makes the profile of the pixels for the format they are
     * asked in (grey or RGB), and needs it. */
    JxlPixelFormat format = {3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    /* A file whose header cannot be read has no profile here: the decoder
     * names what is wrong with it. */
    if (JxlDecoderProcessInput(dec) == JXL_DEC_BASIC_INFO &&
        JxlDecoderGetBasicInfo(dec, &info) == JXL_DEC_SUCCESS &&
        (format.num_channels = info.num_color_channels == 1 ? 1 : 3) &&
        JxlDecoderProcessInput(dec) == JXL_DEC_COLOR_ENCODING &&
        JxlDecoderGetICCProfileSize(dec, &format, JXL_COLOR_PROFILE_TARGET_DATA, &size) ==
            JXL_DEC_SUCCESS &&
        size > 0) {
        if (!(*icc = malloc(size)))
            rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory for a %zu-byte ICC profile",
                          size);
        else if (JxlDecoderGetColorAsICCProfile(dec, &format, JXL_COLOR_PROFILE_TARGET_DATA,
                                                *icc, size) != JXL_DEC_SUCCESS) {
            free(*icc);
            *icc = NULL;
            rc = img_fail(err, errlen, AXLE_EFORMAT, "its ICC profile cannot be read");
        } else {
            *len = size;
        }
    }
    JxlDecoderDestroy(dec);
    return rc;
}

/* Where a decode's pixels go: 8-bit axle_pixels, or 16-bit img_deep
 * (image_deep.h) for a source of more than 8 bits. */
struct jxl_out {
    axle_pixels *px;
    img_deep *deep;
    uint8_t *full;   /* shrink-on-load: the full-size buffer the DC pass is
                        rendered into, averaged 8x8 into px */
};

/* ---- shrink-on-load: the DC pass (1/8 scale) ----
 * A VarDCT JPEG XL (every lossy one) codes the 8x8 block averages first
 * (the DC groups), the detail after.  libjxl stops there on request
 * (JXL_DEC_FRAME_PROGRESSION at the default detail kDC) and renders what
 * it has at full size (JxlDecoderFlushImage: DC upsampled smoothly); each
 * 8x8 block of that rendering averaged is the DC image, a 1/8 decode as
 * libjpeg's DCT scaling gives one.  Used when 1/8 of the image still
 * covers the wanted size at the JPEG margin (image_internal.h; 1 with
 * AXLE_DECODE_FAST, the thumbnailer's `quality: fast`), 8-bit
 * decodes only; a lossless (modular) file has no DC pass and is decoded
 * whole.  BENCHMARKS.md ("Formats, second pass") has the CPU. */
#ifndef AXLE_MARGIN_JXL
#define AXLE_MARGIN_JXL AXLE_MARGIN_JPEG
#endif
#define JXL_DC_SCALE 8

static uint32_t
eighth(uint32_t n)
{
    return (n + JXL_DC_SCALE - 1) / JXL_DC_SCALE;
}

/* The DC pass covers the wish. */
static bool
dc_covers(const JxlBasicInfo *info, const struct img_decode_req *req)
{
    if (req->want_w == 0 && req->want_h == 0)
        return false;
    /* AXLE_DECODE_FAST: margin 1, as for JPEG (axle.h). */
    double margin = (req->flags & AXLE_DECODE_FAST) ? 1.0 : AXLE_MARGIN_JXL;
    return eighth(info->xsize) >= req->want_w * margin &&
           eighth(info->ysize) >= req->want_h * margin;
}

/* out = each 8x8 block of the w x h rendering `full` averaged (the blocks
 * of the last row and column as far as the image goes). */
static void
average_blocks(const uint8_t *full, uint32_t w, uint32_t h, axle_pixels *out)
{
    uint32_t c = out->channels;
    size_t stride = (size_t)w * c;
    uint32_t sums[4 * 1024];
    for (uint32_t by = 0; by < out->height; by++) {
        uint32_t y0 = by * JXL_DC_SCALE, y1 = y0 + JXL_DC_SCALE < h ? y0 + JXL_DC_SCALE : h;
        for (uint32_t bx0 = 0; bx0 < out->width; bx0 += 1024) {
            uint32_t bn = out->width - bx0 < 1024 ? out->width - bx0 : 1024;
            memset(sums, 0, sizeof sums);
            for (uint32_t y = y0; y < y1; y++) {
                const uint8_t *row = full + y * stride;
                for (uint32_t b = 0; b < bn; b++) {
                    uint32_t x0 = (bx0 + b) * JXL_DC_SCALE;
                    uint32_t x1 = x0 + JXL_DC_SCALE < w ? x0 + JXL_DC_SCALE : w;
                    for (uint32_t x = x0; x < x1; x++)
                        for (uint32_t k = 0; k < c; k++)
                            sums[b * c + k] += row[(size_t)x * c + k];
                }
            }
            for (uint32_t b = 0; b < bn; b++) {
                uint32_t x0 = (bx0 + b) * JXL_DC_SCALE;
                uint32_t cols = x0 + JXL_DC_SCALE < w ? JXL_DC_SCALE : w - x0;
                uint32_t n = cols * (y1 - y0);
                uint8_t *d = out->data + by * out->stride + (size_t)(bx0 + b) * c;
                for (uint32_t k = 0; k < c; k++)
                    d[k] = (uint8_t)((sums[b * c + k] + n / 2) / n);
            }
        }
    }
}

/* At the DC pass: renders it, averages it into the output at 1/8. */
static int
finish_dc(JxlDecoder *dec, const struct img_decode_req *req, const JxlBasicInfo *info,
          uint32_t channels, struct jxl_out *o, char *err, size_t errlen)
{
    if (JxlDecoderFlushImage(dec) != JXL_DEC_SUCCESS)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: its DC pass cannot be "
                        "rendered");
    int rc = img_alloc(req, o->px, eighth(info->xsize), eighth(info->ysize), channels, err,
                       errlen);
    if (rc == AXLE_OK)
        average_blocks(o->full, info->xsize, info->ysize, o->px);
    return rc;
}

/* The output buffer, allocated once the header has been checked against
 * the limit. */
static int
set_buffer(JxlDecoder *dec, const struct img_decode_req *req, const JxlBasicInfo *info,
           JxlPixelFormat *format, struct jxl_out *o, char *err, size_t errlen)
{
    void *data;
    size_t size;
    if (o->deep) {
        if (img_deep_alloc(o->deep, info->xsize, info->ysize, format->num_channels) != AXLE_OK)
            return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the JPEG XL");
        format->data_type = JXL_TYPE_UINT16;
        format->align = o->deep->stride * sizeof *o->deep->data;
        data = o->deep->data;
        size = format->align * info->ysize;
    } else if (dc_covers(info, req)) {
        size = (size_t)info->xsize * info->ysize * format->num_channels;
        if (!(o->full = malloc(size)))
            return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the JPEG XL");
        format->align = 0;
        data = o->full;
    } else {
        int rc = img_alloc(req, o->px, info->xsize, info->ysize, format->num_channels, err,
                           errlen);
        if (rc != AXLE_OK)
            return rc;
        format->align = o->px->stride;
        data = o->px->data;
        size = o->px->stride * o->px->height;
    }
    if (JxlDecoderSetImageOutBuffer(dec, format, data, size) != JXL_DEC_SUCCESS)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: unexpected pixel layout");
    return AXLE_OK;
}

/* Runs the decoder to the end of the first frame. */
static int
run(JxlDecoder *dec, const struct img_decode_req *req, struct jxl_out *o, char *err,
    size_t errlen)
{
    JxlBasicInfo info;
    JxlPixelFormat format = {3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
    for (;;) {
        JxlDecoderStatus st = JxlDecoderProcessInput(dec);
        switch (st) {
        case JXL_DEC_BASIC_INFO: {
            if (JxlDecoderGetBasicInfo(dec, &info) != JXL_DEC_SUCCESS)
                return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: no header");
            if (o->deep && info.bits_per_sample <= 8)
                return IMG_NOT_DEEP;
            int rc = img_check_pixels(info.xsize, info.ysize, req->max_pixels, err, errlen);
            if (rc != AXLE_OK)
                return rc;
            axle_image shape;
            describe(&info, &shape);
            format.num_channels = shape.channels;
            break;
        }
        case JXL_DEC_NEED_IMAGE_OUT_BUFFER: {
            int rc = set_buffer(dec, req, &info, &format, o, err, errlen);
            if (rc != AXLE_OK)
                return rc;
            break;
        }
        case JXL_DEC_FRAME_PROGRESSION:
            if (o->full && JxlDecoderGetIntendedDownsamplingRatio(dec) == JXL_DC_SCALE)
                return finish_dc(dec, req, &info, format.num_channels, o, err, errlen);
            break; /* a finer pass, or no shrink wanted: on to the full image */
        case JXL_DEC_FULL_IMAGE:
            if (o->full) { /* no DC pass came (a lossless file): resized whole */
                int rc = img_alloc(req, o->px, info.xsize, info.ysize, format.num_channels,
                                   err, errlen);
                if (rc == AXLE_OK)
                    img_copy_rows(o->px, o->full, (size_t)info.xsize * format.num_channels);
                return rc;
            }
            return AXLE_OK; /* the first frame: enough */
        case JXL_DEC_NEED_MORE_INPUT:
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "truncated JPEG XL: the data ends before the image does");
        case JXL_DEC_SUCCESS:
            return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: it has no image");
        default:
            return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG XL: libjxl cannot "
                            "decode it");
        }
    }
}

static int
decode_jxl(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    if (!img_jxl_load(err, errlen))
        return AXLE_EUNAVAILABLE;
    /* The input is left open: libjxl then says a cut file needs more
     * input (truncated) instead of failing it as damaged. */
    int events = JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE;
    if (req->want_w || req->want_h)
        events |= JXL_DEC_FRAME_PROGRESSION;
    JxlDecoder *dec = start(img->data, img->size, false, events);
    if (!dec)
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the JPEG XL decoder");
    struct jxl_out o = {out, NULL, NULL};
    int rc = run(dec, req, &o, err, errlen);
    JxlDecoderDestroy(dec);
    free(o.full);
    if (rc != AXLE_OK)
        axle_pixels_free(out);
    return rc;
}

int
img_jxl_decode_deep(const axle_image *img, const struct img_decode_req *req, img_deep *out,
                    char *err, size_t errlen)
{
    if (!img_jxl_load(err, errlen))
        return AXLE_EUNAVAILABLE;
    JxlDecoder *dec = start(img->data, img->size, false, JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE);
    if (!dec)
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the JPEG XL decoder");
    struct jxl_out o = {NULL, out, NULL};
    int rc = run(dec, req, &o, err, errlen);
    JxlDecoderDestroy(dec);
    if (rc != AXLE_OK)
        img_deep_free(out);
    return rc;
}

const struct img_codec img_codec_jxl = {
    AXLE_CODEC_JXL, "JPEG XL", sniff_jxl, probe_jxl, decode_jxl, NULL,
};
#endif
