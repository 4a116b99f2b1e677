/* image_decode_jpeg.c - JPEG to pixels through libjpeg(-turbo), at a
 * reduced scale (DCT scaling: the IDCT itself produces the smaller image).
 *
 * libjpeg's own API rather than TurboJPEG's, because only it tells us the
 * two things a decode must know to never return pixels it did not write:
 * every warning by its code (TurboJPEG keeps one message string, and after
 * a warning it reports a later fatal error as a mere warning: a corrupt
 * progressive file then came back as a "thumbnail" of uninitialised
 * memory), and how many rows were written when a fatal error stopped it.
 *
 * libjpeg only *warns* about a file that ends early (it pads the rest with
 * grey) or about damaged entropy-coded data (it guesses on); both are
 * errors here unless the caller asked for partial images, since a
 * thumbnail of half a photo is wrong.  Warnings about metadata (an
 * unknown JFIF revision, a bad ICC chunk) and a few extraneous bytes
 * between segments (encoder padding) change no pixel and are ignored.
 *
 * Not every damage can be seen: libjpeg-turbo's fast Huffman path decodes
 * an invalid code as zero without a warning, and random bits are mostly
 * valid codes.  Damage shows when the data runs out before the last block
 * (or a marker interrupts it), or when bytes are left over after it; both
 * are checked, the second by reading on to EOI.  Damage that slips through
 * still gives pixels computed from the data, the same on every run.  Fatal errors longjmp back into decode() below and no
 * further: the jump never crosses a function of ours. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "image_internal.h"
#include "image_resize.h"

/* Progressive files built to take forever (thousands of tiny scans) are
 * refused; real encoders write about ten. */
#define MAX_SCANS 500

/* One decompressor per decode, made afresh (0.1 us): a kept one keeps
 * the quantisation and Huffman tables of the last image, and a file that
 * lacks a table then decodes with another photo's (found by fuzz_image).
 * cinfo is first, so libjpeg's callbacks, which get a pointer to it, find
 * the rest. */
struct jpeg_state {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr mgr;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int started;                   /* jpeg_start_decompress returned */
    int stopped_early;             /* a progressive decode skipped scans */
    /* what went wrong in the current decode */
    int truncated;                 /* the data ended early */
    int damaged;                   /* a warning about the pixel data */
    int fatal_code;                /* the error that stopped it, or 0 */
    char problem[JMSG_LENGTH_MAX]; /* the first warning about pixel data */
    char fatal[JMSG_LENGTH_MAX];   /* the error that stopped it */
    /* img_decode_resized: the size wanted, and the resize the rows go to
     * when it takes them (else they go to the whole image, as always) */
    uint32_t to_w, to_h;
    struct img_stream *stream;
    axle_pixels resized;
    bool planes; /* the stream takes raw YCbCr planes (image_jpeg_planes.c) */
};

/* A few stray bytes before a marker are encoder padding (some cameras
 * write them before EOI); more are entropy-coded data that decoded to
 * fewer blocks than it holds: damage the Huffman decoder did not see. */
#define MAX_PADDING 16

/* Warnings that leave every pixel as the data says. */
static int
harmless(const struct jpeg_error_mgr *e)
{
    int code = e->msg_code;
    if (code == JWRN_EXTRANEOUS_DATA)
        return e->msg_parm.i[0] <= MAX_PADDING;
    return code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC;
}

static void
on_message(j_common_ptr c, int level)
{
    struct jpeg_state *s = (struct jpeg_state *)(void *)c;
    int code = c->err->msg_code;
    if (level >= 0 || harmless(c->err))
        return; /* trace output, or a warning that changes no pixel */
    if (code == JWRN_JPEG_EOF)
        s->truncated = 1;
    else if (!s->damaged) {
        s->damaged = 1;
        c->err->format_message(c, s->problem);
    }
}

static void
on_fatal(j_common_ptr c)
{
    struct jpeg_state *s = (struct jpeg_state *)(void *)c;
    s->fatal_code = c->err->msg_code;
    c->err->format_message(c, s->fatal);
    longjmp(s->jump, 1);
}

static void
on_progress(j_common_ptr c)
{
    struct jpeg_state *s = (struct jpeg_state *)(void *)c;
    if (s->cinfo.input_scan_number <= MAX_SCANS)
        return;
    s->fatal_code = -1;
    snprintf(s->fatal, sizeof s->fatal,
             "progressive JPEG with more than %d scans is not supported", MAX_SCANS);
    longjmp(s->jump, 1);
}

/* Sets up `s`; -1 when libjpeg could not even start (out of memory). */
static int
start(struct jpeg_state *s)
{
    memset(s, 0, sizeof *s);
    s->cinfo.err = jpeg_std_error(&s->mgr);
    s->mgr.emit_message = on_message;
    s->mgr.error_exit = on_fatal;
    if (setjmp(s->jump))
        return -1;
    jpeg_create_decompress(&s->cinfo);
    s->progress.progress_monitor = on_progress;
    s->cinfo.progress = &s->progress;
    return 0;
}

/* Pillow's CMYK -> RGB (R = (255 - K) * (255 - C) / 255, rounded the way
 * its MULDIV255 does), done in place on the first `rows` rows: each
 * 4-byte pixel becomes 3 bytes, so the write position never passes the
 * read position.  Adobe's writers (Photoshop, and libjpeg behind Pillow)
 * store CMYK inverted and mark it with an APP14 segment; without one the
 * values are taken as plain CMYK, as libvips does. */
static void
cmyk_to_rgb(axle_pixels *px, uint32_t rows, int inverted)
{
    size_t n = (size_t)px->width * rows;
    uint8_t *p = px->data;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *s = p + 4 * i;
        uint32_t c0 = s[0], c1 = s[1], c2 = s[2], k = s[3];
        if (inverted) {
            c0 = 255 - c0; c1 = 255 - c1; c2 = 255 - c2; k = 255 - k;
        }
        uint32_t nk = 255 - k, t;
        uint8_t *d = p + 3 * i;
        t = c0 * nk + 128; d[0] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = c1 * nk + 128; d[1] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
        t = c2 * nk + 128; d[2] = (uint8_t)(nk - (((t >> 8) + t) >> 8));
    }
    px->channels = 3;
    px->stride = (size_t)px->width * 3;
}

static J_COLOR_SPACE
out_space(int components)
{
    return components == 1 ? JCS_GRAYSCALE : components == 4 ? JCS_CMYK : JCS_RGB;
}

static uint64_t scans_skipped; /* axle_image_scans_skipped */

uint64_t
axle_image_scans_skipped(void)
{
    return scans_skipped;
}

/* After a progressive decode that stopped early: the scans it did not
 * need are walked over, not decoded, so that a file that ends before its
 * EOI is still "truncated" (damage inside them is not seen, as with
 * damage the Huffman decoder cannot see).  Returns decode()'s 0. */
static int
rest_of_file(struct jpeg_state *s)
{
    const struct jpeg_source_mgr *src = s->cinfo.src;
    size_t skipped;
    if (img_jpeg_rest_scans(src->next_input_byte, src->bytes_in_buffer,
                            s->cinfo.unread_marker, &skipped) != 0)
        s->truncated = 1;
    else
        scans_skipped += skipped;
    return 0;
}

/* Whether the decode can go out as raw YCbCr planes, each resized on its
 * own: three components that libjpeg gives at the output size (at a
 * reduced scale it makes 4:2:0 and 4:4:4 chroma full size in the IDCT),
 * a batch of rows the rings hold, and no buffered-image mode (progressive
 * files keep the RGB rows). */
static bool
planes_fit(const struct jpeg_decompress_struct *c, bool early)
{
    if (early || c->num_components != 3 || c->jpeg_color_space != JCS_YCbCr ||
        c->out_color_space != JCS_RGB || c->scale_denom == c->scale_num ||
        c->max_v_samp_factor * c->min_DCT_scaled_size > IMG_STREAM_BATCH)
        return false;
    for (int i = 0; i < 3; i++) {
        const jpeg_component_info *p = &c->comp_info[i];
        if (p->downsampled_width != c->output_width ||
            p->downsampled_height != c->output_height ||
            p->v_samp_factor * p->DCT_scaled_size != c->max_v_samp_factor * c->min_DCT_scaled_size)
            return false;
    }
    return true;
}

/* Where the rows go: the three plane resizes, else the RGB (or grey)
 * resize, else (neither can take them) the whole image. */
static int
make_target(struct jpeg_state *s, const struct img_decode_req *req, bool early,
            axle_pixels *out, char *err, size_t errlen)
{
    struct jpeg_decompress_struct *c = &s->cinfo;
    if (s->to_w && planes_fit(c, early) &&
        (s->stream = img_stream_new_ycc(c->output_width, c->output_height, s->to_w, s->to_h,
                                        &s->resized))) {
        s->planes = true;
        c->raw_data_out = TRUE;
        return AXLE_OK;
    }
    if (s->to_w)
        s->stream = img_stream_new(c->output_width, c->output_height,
                                   (uint32_t)c->output_components, s->to_w, s->to_h,
                                   &s->resized);
    if (s->stream)
        return AXLE_OK;
    return img_alloc(req, out, c->output_width, c->output_height,
                     (uint32_t)c->output_components, err, errlen);
}

/* The planes' rows, one iMCU row (all components alike) per call. */
static void
read_planes(struct jpeg_state *s)
{
    struct jpeg_decompress_struct *c = &s->cinfo;
    JDIMENSION lines = (JDIMENSION)(c->max_v_samp_factor * c->min_DCT_scaled_size);
    JSAMPROW rows[3][IMG_STREAM_BATCH];
    JSAMPARRAY planes[3] = {rows[0], rows[1], rows[2]};
    while (c->output_scanline < c->output_height) {
        JDIMENSION y = c->output_scanline;
        for (int k = 0; k < 3; k++)
            for (JDIMENSION i = 0; i < lines; i++)
                rows[k][i] = img_stream_plane_row(s->stream, (uint32_t)k, y + i);
        if (jpeg_read_raw_data(c, planes, lines) == 0)
            break; /* cannot happen with a memory source */
        JDIMENSION done = c->output_scanline < c->output_height ? c->output_scanline
                                                                : c->output_height;
        img_stream_fed(s->stream, done);
    }
}

/* Header, scale, buffer, scanlines.  Returns 0 when libjpeg got to the
 * last row (warnings are in `s`), 1 after a fatal error; *rows is the
 * number of rows written either way. */
static int
decode(struct jpeg_state *s, const axle_image *img, const struct img_decode_req *req,
       axle_pixels *out, uint32_t *rows, char *err, size_t errlen, int *rc)
{
    struct jpeg_decompress_struct *c = &s->cinfo;
    *rows = 0;
    *rc = AXLE_OK;
    if (setjmp(s->jump)) {
        *rows = !s->started ? 0
                : c->output_scanline < c->output_height ? c->output_scanline
                                                        : c->output_height;
        return 1;
    }
    jpeg_mem_src(c, img->data, (unsigned long)img->size);
    jpeg_read_header(c, TRUE);
    *rc = img_check_pixels(c->image_width, c->image_height, req->max_pixels, err, errlen);
    if (*rc != AXLE_OK)
        return 0;
    if (c->num_components != 1 && c->num_components != 3 && c->num_components != 4) {
        *rc = img_fail(err, errlen, AXLE_EUNSUPPORTED,
                       "JPEG with %d colour components is not supported", c->num_components);
        return 0;
    }
    int num, denom;
    /* AXLE_DECODE_FAST: margin 1, Pillow's draft() scale (axle.h). */
    double margin = (req->flags & AXLE_DECODE_FAST) ? 1.0 : AXLE_MARGIN_JPEG;
    img_jpeg_pick_scale(c->image_width, c->image_height, req->want_w, req->want_h, margin,
                        &num, &denom);
    c->scale_num = (unsigned)num;
    c->scale_denom = (unsigned)denom;
    c->out_color_space = out_space(c->num_components);
    jpeg_calc_output_dimensions(c);
    struct img_scan_plan plan;
    int early = c->progressive_mode &&
                img_jpeg_scan_plan(c->image_width, c->image_height, req->want_w, req->want_h,
                                   &plan);
    *rc = make_target(s, req, early, out, err, errlen);
    if (*rc != AXLE_OK)
        return 0;
    if (early) {
        /* Buffered-image mode, to stop after the scans the result needs
         * (image_jpeg_scans.c).  libjpeg's block smoothing, which guesses
         * missing low frequencies for previews, costs a quarter of such a
         * decode and changes the result by less than 0.5 dB: off. */
        c->buffered_image = TRUE;
        c->do_block_smoothing = FALSE;
    }
    jpeg_start_decompress(c);
    s->started = 1;
    if (!early)
        img_jpeg_fast_huffman(c); /* image_jpeg_huffman.c; else libjpeg's own */
    else
        img_jpeg_fast_huffman_progressive(c);
    if (early) {
        int spacing_h[MAX_COMPONENTS], spacing_v[MAX_COMPONENTS], status;
        for (int i = 0; i < c->num_components; i++) {
            spacing_h[i] = c->max_h_samp_factor / c->comp_info[i].h_samp_factor;
            spacing_v[i] = c->max_v_samp_factor / c->comp_info[i].v_samp_factor;
        }
        do
            status = jpeg_consume_input(c);
        while (status != JPEG_REACHED_EOI && status != JPEG_SUSPENDED &&
               !(status == JPEG_SCAN_COMPLETED &&
                 img_jpeg_scans_enough(&plan, c->num_components,
                                       (const int (*)[64])c->coef_bits, spacing_h,
                                       spacing_v)));
        s->stopped_early = status == JPEG_SCAN_COMPLETED;
        jpeg_start_output(c, c->input_scan_number);
    }
    if (s->planes)
        read_planes(s);
    while (c->output_scanline < c->output_height) {
        JSAMPROW row[8];
        JDIMENSION n = c->output_height - c->output_scanline;
        n = n < 8 ? n : 8;
        for (JDIMENSION i = 0; i < n; i++)
            row[i] = s->stream ? img_stream_row(s->stream, c->output_scanline + i)
                               : out->data + (size_t)(c->output_scanline + i) * out->stride;
        if (jpeg_read_scanlines(c, row, n) == 0)
            break; /* cannot happen with a memory source; stopped early if so */
        if (s->stream)
            img_stream_fed(s->stream, c->output_scanline);
    }
    *rows = c->output_scanline < c->output_height ? c->output_scanline : c->output_height;
    /* Not jpeg_finish_output after an early stop: it would read on into
     * the next scan. */
    if (s->stopped_early && *rows == c->output_height)
        return rest_of_file(s);
    if (early && *rows == c->output_height)
        jpeg_finish_output(c);
    /* Read on to EOI: data left over after the last block is damage too. */
    if (*rows == c->output_height)
        jpeg_finish_decompress(c);
    return 0;
}

/* The message for a decode that did not go cleanly; the code it returns. */
static int
problem(const struct jpeg_state *s, int fatal, char *err, size_t errlen)
{
    if (fatal && s->fatal_code == JERR_OUT_OF_MEMORY)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the JPEG");
    if (fatal && (s->fatal_code == JERR_IMAGE_TOO_BIG || s->fatal_code == -1))
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "%s", s->fatal);
    if (s->truncated)
        return img_fail(err, errlen, AXLE_EFORMAT, "truncated JPEG: Premature end of JPEG file");
    /* What stopped it says most; else the first warning about the data. */
    const char *what = fatal ? s->fatal : s->damaged ? s->problem : "the decoder stopped early";
    static const char prefix[] = "Corrupt JPEG data: ";
    if (strncmp(what, prefix, sizeof prefix - 1) == 0)
        what += sizeof prefix - 1;
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt JPEG: %s", what);
}

/* img_decode_jpeg, or with to_w x to_h (not 0) the decode resized to that
 * on the fly when the resize takes the rows (*resized is then true). */
static int
run(const axle_image *img, const struct img_decode_req *req, uint32_t to_w, uint32_t to_h,
    axle_pixels *out, bool *resized, char *err, size_t errlen)
{
    *resized = false;
    struct img_jpeg_info info;
    int rc = img_jpeg_scan(img->data, img->size, &info, NULL, err, errlen);
    if (rc != AXLE_OK) /* says plainly what libjpeg cannot decode */
        return rc == AXLE_EMORE ? AXLE_EFORMAT : rc;
    struct jpeg_state state, *s = &state;
    if (start(s) != 0)
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the JPEG decoder");
    s->to_w = to_w;
    s->to_h = to_h;
    uint32_t rows;
    int fatal = decode(s, img, req, out, &rows, err, errlen, &rc);
    int inverted = s->cinfo.saw_Adobe_marker;
    uint32_t height = s->cinfo.output_height;
    jpeg_destroy_decompress(&s->cinfo);
    int whole = !fatal && rows == height && !s->truncated && !s->damaged;
    if (s->stream) {
        img_stream_free(s->stream);
        if (rc == AXLE_OK && whole) {
            *out = s->resized;
            *resized = true;
            return AXLE_OK;
        }
        axle_pixels_free(&s->resized);
        if (rc == AXLE_OK && (req->flags & AXLE_DECODE_PARTIAL))
            /* What is left of a damaged file, as the whole-image decode
             * shows it: rare enough to decode again. */
            return run(img, req, 0, 0, out, resized, err, errlen);
        return rc != AXLE_OK ? rc : problem(s, fatal, err, errlen);
    }
    if (rc != AXLE_OK) {
        axle_pixels_free(out);
        return rc;
    }
    if (!whole) {
        rc = problem(s, fatal, err, errlen);
        int keep = (req->flags & AXLE_DECODE_PARTIAL) && rc == AXLE_EFORMAT && rows > 0;
        if (!keep) {
            axle_pixels_free(out);
            return rc;
        }
    }
    /* CMYK: with the embedded CMYK profile when there is one (only this
     * decoder has the CMYK samples), else Pillow's plain formula. */
    if (out->channels == 4 && !img_cmyk_with_profile(img, out, rows, inverted))
        cmyk_to_rgb(out, rows, inverted);
    if (whole)
        return AXLE_OK;
    img_fill_missing(out, rows);
    return AXLE_PARTIAL;
}

int
img_decode_jpeg(const axle_image *img, const struct img_decode_req *req,
                axle_pixels *out, char *err, size_t errlen)
{
    bool resized;
    return run(img, req, 0, 0, out, &resized, err, errlen);
}

int
img_decode_resized(const axle_image *img, const struct img_decode_req *req, uint32_t to_w,
                   uint32_t to_h, axle_pixels *out, bool *resized, char *err, size_t errlen)
{
    *resized = false;
    bool plain = img && img->codec == AXLE_CODEC_JPEG && img->data && img->size && out &&
                 !(req->flags & ~(AXLE_DECODE_PARTIAL | AXLE_DECODE_FAST)) && to_w && to_h;
    if (!plain) /* img_decode says what is wrong, or decodes another format */
        return img_decode(img, req, out, err, errlen);
    if (err && errlen)
        err[0] = '\0';
    memset(out, 0, sizeof *out);
    return run(img, req, to_w, to_h, out, resized, err, errlen);
}
