/* image_store.c - encoding a computed image (a thumbnail) for a dataset:
 * a fraction of its raw size, at least AXLE_STORE_MIN_PSNR dB from it.
 *
 * Measured on 640x338 thumbnails of 4K photos (bench/thumb_store.c and
 * bench/workdir_size.sh, BENCHMARKS.md "Storing thumbnails"): lossless
 * WebP keeps 0.55-0.6 of the raw bytes and costs 7-90 ms; lossy WebP is
 * 4:2:0 only and stays under 35 dB on detailed colour; JPEG 4:4:4 passes
 * 45 dB from quality 97-99 depending on the photo, at 0.3-0.45 of raw.
 * Quality 98 misses 45 dB on detailed photos by a hair and 99 overshoots
 * by 2 dB at 30% more bytes, so the search goes in half steps of
 * libjpeg's linear scale.  Progressive coding would take 5% more off at
 * 10 ms per image; optimised Huffman tables take 5% for 3 ms.  So: the
 * coarsest scale from quality 95 whose decode is within 45 dB, found
 * with quick trials, then written once with optimised tables; lossless
 * WebP where even quality 100 misses, and for alpha. */
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <webp/encode.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "image_internal.h"

/* Linear quality scales (percent of the standard tables): 4 is quality
 * 98, the first try; 10 is quality 95, the coarsest kept. */
#define STORE_SCALE_FIRST 4
#define STORE_SCALE_COARSEST 10

/* The sum of squared differences of one row of n bytes.  Two trials of
 * the store's search compare every pixel (issue 12: 0.5 ms of 601x338 each
 * in plain C); SSE2 squares and sums 16 bytes at a time, the same
 * integers.  32-bit lanes hold a row of up to 2^31 / (2 * 255^2) = 16k
 * 16-byte groups. */
static uint64_t
row_squared_error(const uint8_t *p, const uint8_t *q, size_t n)
{
    uint64_t se = 0;
    size_t x = 0;
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    while (x + 16 <= n) {
        __m128i acc = zero;
        for (size_t stop = x + ((n - x) / 16 < 16384 ? (n - x) / 16 : 16384) * 16; x < stop;
             x += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(p + x));
            __m128i b = _mm_loadu_si128((const __m128i *)(q + x));
            __m128i lo = _mm_sub_epi16(_mm_unpacklo_epi8(a, zero), _mm_unpacklo_epi8(b, zero));
            __m128i hi = _mm_sub_epi16(_mm_unpackhi_epi8(a, zero), _mm_unpackhi_epi8(b, zero));
            acc = _mm_add_epi32(acc, _mm_madd_epi16(lo, lo));
            acc = _mm_add_epi32(acc, _mm_madd_epi16(hi, hi));
        }
        uint32_t lanes[4];
        _mm_storeu_si128((__m128i *)lanes, acc);
        se += (uint64_t)lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }
#endif
    for (; x < n; x++) {
        int d = (int)p[x] - (int)q[x];
        se += (uint64_t)(d * d);
    }
    return se;
}

double
axle_pixels_psnr(const axle_pixels *a, const axle_pixels *b)
{
    if (!a || !b || !a->data || !b->data || a->width != b->width ||
        a->height != b->height || a->channels != b->channels)
        return -1;
    uint64_t se = 0;
    size_t row = (size_t)a->width * a->channels;
    for (uint32_t y = 0; y < a->height; y++)
        se += row_squared_error(a->data + (size_t)y * a->stride,
                                b->data + (size_t)y * b->stride, row);
    if (se == 0)
        return INFINITY;
    double mse = (double)se / ((double)row * a->height);
    return 10 * log10(255.0 * 255.0 / mse);
}

int
axle_image_encode_lossless(const axle_pixels *px, void **out, size_t *outlen, char *err,
                           size_t errlen)
{
    if (!px || !px->data || !out || !outlen || (px->channels != 3 && px->channels != 4))
        return img_fail(err, errlen, AXLE_EINVAL, "lossless WebP takes RGB or RGBA pixels");
    if (px->width > 16383 || px->height > 16383)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED,
                        "WebP cannot hold %ux%u pixels (16383 at most per side)",
                        px->width, px->height);
    WebPConfig cfg;
    WebPPicture pic;
    WebPMemoryWriter wr;
    if (!WebPConfigInit(&cfg) || !WebPPictureInit(&pic) ||
        !WebPConfigLosslessPreset(&cfg, 0)) /* effort 0: 5% larger, 3x faster than 1 */
        return img_fail(err, errlen, AXLE_EINTERNAL, "libwebp version mismatch");
    cfg.exact = 1; /* keep colour under transparent pixels: lossless means all */
    pic.use_argb = 1;
    pic.width = (int)px->width;
    pic.height = (int)px->height;
    WebPMemoryWriterInit(&wr);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &wr;
    int ok = px->channels == 4
        ? WebPPictureImportRGBA(&pic, px->data, (int)px->stride)
        : WebPPictureImportRGB(&pic, px->data, (int)px->stride);
    ok = ok && WebPEncode(&cfg, &pic);
    WebPPictureFree(&pic);
    if (!ok) {
        WebPMemoryWriterClear(&wr);
        return img_fail(err, errlen, AXLE_EINTERNAL, "lossless WebP encoding failed (%ux%u)",
                        px->width, px->height);
    }
    /* The caller frees with free(); libwebp's buffer wants WebPFree. */
    *out = malloc(wr.size);
    if (*out)
        memcpy(*out, wr.mem, wr.size);
    *outlen = wr.size;
    WebPMemoryWriterClear(&wr);
    return *out ? AXLE_OK : img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
}

/* JPEG through libjpeg's own API, which TurboJPEG 2 lacks a way to: a
 * quality scale between the integer qualities.  jpeg_set_quality(q) is
 * the linear scale 200 - 2q (q >= 50), so even scales are qualities
 * 100 - scale/2 (TurboJPEG's tables exactly) and odd ones the half steps
 * between (98.5 is scale 3): on detailed photos q98 misses 45 dB by a
 * hair and q99 overshoots by 2 dB at 30% more bytes. */
struct store_jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
};

static void
store_jpeg_fatal(j_common_ptr ci)
{
    longjmp(((struct store_jerr *)ci->err)->jump, 1);
}

/* JPEG encodings of this thread's last axle_image_encode_stored. */
static _Thread_local int encodes;

int
axle_internal_store_encodes(void)
{
    return encodes;
}

/* Baseline 4:4:4 (grey: one channel) at linear `scale`, with Huffman
 * tables made for the image (`optimize`: 5% smaller, 3 ms more at
 * 640x338) or the standard ones (the trials); *out malloc'd.  The output buffer is ours, sized for any JPEG of these
 * pixels, so that a longjmp knows what to free; libjpeg would only
 * replace it if it were too small (then the first is freed here). */
static int
encode_scaled(const axle_pixels *px, int scale, bool optimize, void **out,
              size_t *outlen, char *err, size_t errlen)
{
    struct jpeg_compress_struct ci;
    struct store_jerr jerr;
    size_t cap = (size_t)px->width * px->height * px->channels * 2 + 65536;
    unsigned char *const first = malloc(cap);
    unsigned char *mem = first;
    unsigned long len = cap;
    if (!first)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for the JPEG encoder");
    ci.err = jpeg_std_error(&jerr.mgr);
    jerr.mgr.error_exit = store_jpeg_fatal;
    if (setjmp(jerr.jump)) {
        char msg[JMSG_LENGTH_MAX];
        jerr.mgr.format_message((j_common_ptr)&ci, msg);
        jpeg_destroy_compress(&ci);
        free(first);
        return img_fail(err, errlen, AXLE_EINTERNAL, "JPEG encoding failed: %s", msg);
    }
    jpeg_create_compress(&ci);
    encodes++;
    jpeg_mem_dest(&ci, &mem, &len);
    ci.image_width = px->width;
    ci.image_height = px->height;
    ci.input_components = (int)px->channels;
    ci.in_color_space = px->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_linear_quality(&ci, scale, TRUE);
    for (int i = 0; i < ci.num_components; i++)
        ci.comp_info[i].h_samp_factor = ci.comp_info[i].v_samp_factor = 1;
    ci.dct_method = JDCT_ISLOW; /* TurboJPEG's default too: the same coefficients */
    ci.optimize_coding = optimize ? TRUE : FALSE;
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = px->data + (size_t)ci.next_scanline * px->stride;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    if (mem != first)
        free(first);
    *out = mem;
    *outlen = len;
    return AXLE_OK;
}

/* The sum of squared differences between px and the decode of a JPEG of
 * it, row by row as libjpeg hands the rows out (with the defaults
 * axle_image_decode uses: scale 1, islow IDCT, so the same pixels), no
 * image-sized buffer.  It stops once the sum passes `enough`: a trial
 * that misses by 1 dB is known to miss a fifth of the way before its
 * end.  0, or -1 with err set. */
static int
decoded_error(const axle_pixels *px, const void *enc, size_t len, uint64_t enough,
              uint64_t *se, char *err, size_t errlen)
{
    struct jpeg_decompress_struct ci;
    struct store_jerr jerr;
    size_t row_bytes = (size_t)px->width * px->channels;
    uint8_t *volatile row = NULL;
    ci.err = jpeg_std_error(&jerr.mgr);
    jerr.mgr.error_exit = store_jpeg_fatal;
    if (setjmp(jerr.jump)) {
        char msg[JMSG_LENGTH_MAX];
        jerr.mgr.format_message((j_common_ptr)&ci, msg);
        jpeg_destroy_decompress(&ci);
        free(row);
        img_fail(err, errlen, AXLE_EINTERNAL, "decoding a JPEG trial failed: %s", msg);
        return -1;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, enc, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = px->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&ci);
    img_jpeg_fast_huffman(&ci); /* the same pixels, sooner */
    row = malloc(row_bytes);
    if (!row || ci.output_width != px->width || ci.output_height != px->height ||
        (unsigned)ci.output_components != px->channels) {
        jpeg_destroy_decompress(&ci);
        free(row);
        img_fail(err, errlen, row ? AXLE_EINTERNAL : AXLE_ENOMEM,
                 row ? "a JPEG trial decodes to other dimensions" : "out of memory");
        return -1;
    }
    uint64_t sum = 0;
    while (ci.output_scanline < ci.output_height && sum <= enough) {
        JSAMPROW r = row;
        const uint8_t *src = px->data + (size_t)ci.output_scanline * px->stride;
        if (jpeg_read_scanlines(&ci, &r, 1) != 1)
            break;
        sum += row_squared_error(src, row, row_bytes);
    }
    jpeg_destroy_decompress(&ci); /* also when stopped early: nothing to read on for */
    free(row);
    *se = sum;
    return 0;
}

/* The PSNR of a sum of squared differences over px, as axle_pixels_psnr. */
static double
psnr_of(const axle_pixels *px, uint64_t se)
{
    if (se == 0)
        return INFINITY;
    double mse = (double)se / ((double)px->width * px->channels * px->height);
    return 10 * log10(255.0 * 255.0 / mse);
}

/* One trial of the search: the PSNR of scale `scale`, or < 0 with err
 * set (a trial that misses the bar by far may report any PSNR below it).
 * Standard Huffman tables give the same pixels as optimised ones and cost
 * 3.5 ms less, so a trial uses them unless its bytes are to be kept
 * (`keep` non-NULL: then they are the final, optimised encoding and *keep
 * and *keeplen take them, freed by the caller). */
static double
trial_psnr(const axle_pixels *px, int scale, void **keep, size_t *keeplen, char *err,
           size_t errlen)
{
    void *enc = NULL;
    size_t len = 0;
    uint64_t se = 0;
    /* The sum at the bar, and a little more: past that the trial misses
     * whatever the rounding of the PSNR's floating point. */
    double values = (double)px->width * px->channels * px->height;
    uint64_t enough =
        (uint64_t)(values * 255.0 * 255.0 / pow(10, AXLE_STORE_MIN_PSNR / 10) * 1.001) + 1;
    double p = -1;
    if (encode_scaled(px, scale, keep != NULL, &enc, &len, err, errlen) == AXLE_OK &&
        decoded_error(px, enc, len, enough, &se, err, errlen) == 0)
        p = psnr_of(px, se);
    if (keep && p >= 0) {
        *keep = enc;
        *keeplen = len;
    } else {
        free(enc);
    }
    return p;
}

/* The search, one image after another: the scale the previous image of
 * this thread (a slice is a process) ended at, -1 before the first.  It
 * only says which trial to encode with optimised tables, never which
 * trials run or what they decide, so the bytes stored do not depend on
 * the order of the images or on how they are cut into slices; when it
 * is right (collections are homogeneous: on the photos of bench/ every
 * thumbnail ends at the same scale) the passing trial's bytes are kept
 * instead of encoding the winner once more. */
static _Thread_local int previous_scale = -1;

/* The verdicts of one image's search, each scale tried at most once;
 * the optimised bytes of the trial at previous_scale, if it ran. */
struct search {
    const axle_pixels *px;
    signed char verdict[STORE_SCALE_COARSEST + 2]; /* 0 not tried, 1 pass, -1 miss */
    void *kept;
    size_t keptlen;
    int kept_scale;
    char *err;
    size_t errlen;
};

/* Whether `scale` reaches the bar: 1, 0, or -1 on an error (err set). */
static int
passes(struct search *s, int scale)
{
    if (s->verdict[scale] == 0) {
        bool keep = scale == previous_scale;
        double p = trial_psnr(s->px, scale, keep ? &s->kept : NULL, &s->keptlen, s->err,
                              s->errlen);
        if (p < 0)
            return -1;
        if (keep)
            s->kept_scale = scale;
        s->verdict[scale] = p >= AXLE_STORE_MIN_PSNR ? 1 : -1;
    }
    return s->verdict[scale] > 0;
}

/* The coarsest scale up to STORE_SCALE_COARSEST that reaches the bar:
 * from quality 98 coarser while the next one passes, or finer until one
 * does; -1 when none down to 0 (quality 100) does, PICK_ERROR on an error
 * (err set). */
#define PICK_ERROR (-1000)
static int
pick_scale(struct search *s)
{
    int scale = STORE_SCALE_FIRST, ok = passes(s, scale);
    if (ok < 0)
        return PICK_ERROR;
    if (ok) {
        while (scale < STORE_SCALE_COARSEST) {
            ok = passes(s, scale + 1);
            if (ok <= 0)
                return ok < 0 ? PICK_ERROR : scale;
            scale++;
        }
        return scale;
    }
    while (--scale >= 0) {
        ok = passes(s, scale);
        if (ok)
            return ok < 0 ? PICK_ERROR : scale;
    }
    return -1;
}

/* The chosen scale's final bytes: the kept trial's when the search ended
 * there (the same bytes as encoding it again), else encoded now. */
static int
encode_chosen(struct search *s, int scale, void **out, size_t *len)
{
    if (s->kept && s->kept_scale == scale) {
        *out = s->kept;
        *len = s->keptlen;
        s->kept = NULL;
        return AXLE_OK;
    }
    return encode_scaled(s->px, scale, true, out, len, s->err, s->errlen);
}

/* The pixels as they are, rows packed (grey with alpha: no codec here
 * keeps both exactly in two channels). */
static int
store_raw(const axle_pixels *px, void **out, size_t *outlen, char *err, size_t errlen)
{
    size_t row = (size_t)px->width * px->channels;
    uint8_t *buf = malloc(row * px->height);
    if (!buf)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory");
    for (uint32_t y = 0; y < px->height; y++)
        memcpy(buf + y * row, px->data + (size_t)y * px->stride, row);
    *out = buf;
    *outlen = row * px->height;
    return AXLE_OK;
}

int
axle_image_encode_stored(const axle_pixels *px, axle_image *img, int *quality, void **out,
                         char *err, size_t errlen)
{
    if (!px || !px->data || !img || !quality || !out || px->width == 0 ||
        px->height == 0 || px->channels < 1 || px->channels > 4 ||
        px->stride < (size_t)px->width * px->channels)
        return img_fail(err, errlen, AXLE_EINVAL, "invalid pixel buffer");
    memset(img, 0, sizeof *img);
    encodes = 0;
    *out = NULL;
    *quality = 0;
    img->width = px->width;
    img->height = px->height;
    img->channels = (uint8_t)px->channels;
    img->orientation = 1;
    size_t len = 0;
    int rc, scale = -1;
    bool small = px->width <= 16383 && px->height <= 16383; /* WebP's limit */
    struct search search = {.px = px, .kept_scale = -1, .err = err, .errlen = errlen};
    if ((px->channels == 1 || px->channels == 3) && px->width <= 65500 &&
        px->height <= 65500) {
        scale = pick_scale(&search);
        if (scale == PICK_ERROR) {
            free(search.kept);
            return AXLE_EINTERNAL;
        }
        previous_scale = scale;
    }
    if (scale >= 0) {
        img->codec = AXLE_CODEC_JPEG;
        /* an even scale is an integer quality; a half step has none */
        *quality = scale % 2 == 0 ? 100 - scale / 2 : 0;
        rc = encode_chosen(&search, scale, out, &len);
    } else if ((px->channels == 3 || px->channels == 4) && small) {
        img->codec = AXLE_CODEC_WEBP;
        *quality = AXLE_QUALITY_LOSSLESS;
        rc = axle_image_encode_lossless(px, out, &len, err, errlen);
    } else {
        img->codec = AXLE_CODEC_RAW;
        rc = store_raw(px, out, &len, err, errlen);
    }
    free(search.kept);
    img->data = *out;
    img->size = len;
    return rc;
}
