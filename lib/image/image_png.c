/* image_png.c - PNG: probed by walking its chunks up to the image data,
 * decoded with libpng.  Palette, grey below 8 bits and tRNS transparency
 * are expanded to 8-bit grey/RGB with alpha where the file has it; 16-bit
 * samples are rounded to 8 bits as rows are read here (axle_pixels is
 * 8-bit), but axle_images_to_sizes reads them at 16 bits through
 * img_png_decode_deep and rounds after the resize (image_deep.h).  PNG has no
 * shrink-on-load: every pixel is decoded at full size.
 *
 * libpng reports fatal errors by longjmp; it jumps back into decode()
 * below and no further. */
#ifdef AXLE_HAVE_PNG
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "image_deep.h"
#include "image_internal.h"

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static bool
sniff_png(const uint8_t *p, size_t len)
{
    return len >= 8 && memcmp(p, png_signature, 8) == 0;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What IHDR allows: the bit depths of each colour type. */
static bool
valid_depth(int colour, int depth)
{
    switch (colour) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2: case 4: case 6: return depth == 8 || depth == 16;
    default: return false;
    }
}

static int
read_ihdr(const uint8_t *d, axle_image *out, int *colour, char *err, size_t errlen)
{
    uint32_t w = be32(d), h = be32(d + 4);
    int depth = d[8];
    *colour = d[9];
    if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: its size is %ux%u", w, h);
    if (!valid_depth(*colour, depth))
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt PNG: colour type %d with %d-bit samples", *colour, depth);
    if (d[10] != 0 || d[11] != 0 || d[12] > 1)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt PNG: unknown compression, filter or interlace method");
    static const uint8_t channels[7] = {1, 0, 3, 3, 2, 0, 4};
    out->codec = AXLE_CODEC_PNG;
    out->width = w;
    out->height = h;
    out->channels = channels[*colour];
    return AXLE_OK;
}

/* Signature, IHDR, then the chunks before the first IDAT: tRNS adds
 * alpha, eXIf holds the orientation.  Only those two are read; the others
 * (an ICC profile, text) are stepped over by their length. */
static int
probe_png(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
          axle_image *out, char *err, size_t errlen)
{
    (void)file_size;
    if (len < 33)
        return img_more(33, need, err, errlen,
                        "truncated PNG: the file ends at byte %zu, inside its header", len);
    if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: it does not start with IHDR");
    int colour;
    int rc = read_ihdr(p + 16, out, &colour, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    size_t pos = 33;
    for (;;) {
        if (len - pos < 8)
            return img_more(pos + 8, need, err, errlen,
                            "truncated PNG: the file ends at byte %zu, before its image data", len);
        uint32_t n = be32(p + pos);
        if (n > 0x7fffffffu)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt PNG: chunk at byte %zu has length %u", pos, n);
        const uint8_t *type = p + pos + 4;
        if (memcmp(type, "IDAT", 4) == 0)
            break;
        if (memcmp(type, "IEND", 4) == 0)
            return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: it has no image data");
        int wanted = memcmp(type, "tRNS", 4) == 0 || memcmp(type, "eXIf", 4) == 0;
        if (wanted && len - pos - 8 < n)
            return img_more(pos + 8 + n, need, err, errlen,
                            "truncated PNG: chunk %.4s at byte %zu is cut", (const char *)type, pos);
        if (memcmp(type, "tRNS", 4) == 0 && (colour == 0 || colour == 2 || colour == 3))
            out->channels++;
        else if (memcmp(type, "eXIf", 4) == 0)
            out->orientation = (uint8_t)img_exif_orientation(p + pos + 8, n);
        if ((uint64_t)pos + 12 + n > SIZE_MAX - 8)
            return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: chunk lengths overflow");
        pos += 12 + (size_t)n;
        if (pos > len)
            return img_more(pos + 8, need, err, errlen,
                            "truncated PNG: the file ends at byte %zu, before its image data", len);
    }
    return AXLE_OK;
}

/* One decode's libpng state; `s` is what the callbacks find. */
struct png_state {
    const uint8_t *data;
    size_t size, pos;
    int truncated;           /* the data ended before libpng was done */
    char message[200];       /* libpng's error */
    char icc_problem[200];   /* libpng's complaint about iCCP, if any */
    jmp_buf jump;
};

static void
on_read(png_structp png, png_bytep buf, size_t n)
{
    struct png_state *s = png_get_io_ptr(png);
    if (n > s->size - s->pos) {
        s->truncated = 1;
        png_error(png, "the data ends early");
    }
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
}

static void
on_error(png_structp png, png_const_charp msg)
{
    struct png_state *s = png_get_error_ptr(png);
    snprintf(s->message, sizeof s->message, "%s", msg);
    longjmp(s->jump, 1);
}

static void
on_warning(png_structp png, png_const_charp msg)
{
    /* About metadata (a bad ancillary chunk, dropped): no pixel changes.
     * A dropped colour profile does change colours: img_png_icc says so. */
    struct png_state *s = png_get_error_ptr(png);
    if (s && !s->icc_problem[0] && strncmp(msg, "iCCP", 4) == 0)
        snprintf(s->icc_problem, sizeof s->icc_problem, "%s", msg);
}

/* Everything that can longjmp.  `rows` is allocated by the caller's
 * struct, freed there. */
struct png_job {
    png_structp png;
    png_infop info;
    png_bytep *rows;
};

static int
decode(struct png_state *s, struct png_job *j, const struct img_decode_req *req,
       axle_pixels *out, char *err, size_t errlen, int *rc)
{
    *rc = AXLE_OK;
    if (setjmp(s->jump))
        return 1;
    png_set_read_fn(j->png, s, on_read);
    png_set_user_limits(j->png, 0x7fffffff, 0x7fffffff); /* max_pixels decides */
    png_read_info(j->png, j->info);
    uint32_t w = png_get_image_width(j->png, j->info);
    uint32_t h = png_get_image_height(j->png, j->info);
    *rc = img_check_pixels(w, h, req->max_pixels, err, errlen);
    if (*rc != AXLE_OK)
        return 0;
    png_set_expand(j->png);   /* palette -> RGB, grey < 8 bits -> 8, tRNS -> alpha */
    png_set_scale_16(j->png); /* 16 -> 8 bits, rounded */
    png_set_interlace_handling(j->png);
    png_read_update_info(j->png, j->info);
    uint32_t channels = png_get_channels(j->png, j->info);
    if (channels < 1 || channels > 4 || png_get_rowbytes(j->png, j->info) != (size_t)w * channels) {
        *rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: unexpected row layout");
        return 0;
    }
    *rc = img_alloc(req, out, w, h, channels, err, errlen);
    if (*rc != AXLE_OK)
        return 0;
    j->rows = malloc(sizeof *j->rows * h);
    if (!j->rows) {
        *rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the PNG");
        return 0;
    }
    for (uint32_t y = 0; y < h; y++)
        j->rows[y] = out->data + (size_t)y * out->stride;
    png_read_image(j->png, j->rows);
    /* Read on to IEND: a file cut or damaged after its last row is too. */
    png_read_end(j->png, NULL);
    return 0;
}

static int
decode_png(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
           char *err, size_t errlen)
{
    struct png_state state;
    memset(&state, 0, sizeof state);
    state.data = img->data;
    state.size = img->size;
    struct png_job job = {NULL, NULL, NULL};
    job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (job.png)
        job.info = png_create_info_struct(job.png);
    if (!job.png || !job.info) {
        png_destroy_read_struct(&job.png, NULL, NULL);
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the PNG decoder");
    }
    int rc;
    int fatal = decode(&state, &job, req, out, err, errlen, &rc);
    png_destroy_read_struct(&job.png, &job.info, NULL);
    free(job.rows);
    if (!fatal && rc == AXLE_OK)
        return AXLE_OK;
    axle_pixels_free(out);
    if (!fatal)
        return rc;
    if (state.truncated)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "truncated PNG: the data ends before the image does");
    if (strstr(state.message, "out of memory") || strstr(state.message, "Insufficient memory"))
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the PNG");
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: %s", state.message);
}

/* ---- 16 bits kept for the resize (image_deep.h) ---- */

/* decode() for a 16-bit file into 16-bit samples; *rc IMG_NOT_DEEP for
 * a file of 8 bits or fewer.  1 after a fatal error. */
static int
decode_deep(struct png_state *s, struct png_job *j, const struct img_decode_req *req,
            img_deep *out, char *err, size_t errlen, int *rc)
{
    *rc = AXLE_OK;
    if (setjmp(s->jump))
        return 1;
    png_set_read_fn(j->png, s, on_read);
    png_set_user_limits(j->png, 0x7fffffff, 0x7fffffff);
    png_read_info(j->png, j->info);
    uint32_t w = png_get_image_width(j->png, j->info);
    uint32_t h = png_get_image_height(j->png, j->info);
    if (png_get_bit_depth(j->png, j->info) != 16) {
        *rc = IMG_NOT_DEEP;
        return 0;
    }
    *rc = img_check_pixels(w, h, req->max_pixels, err, errlen);
    if (*rc != AXLE_OK)
        return 0;
    png_set_expand(j->png); /* tRNS -> a 16-bit alpha channel */
    const uint16_t one = 1;
    if (*(const uint8_t *)&one == 1)
        png_set_swap(j->png); /* PNG is big-endian; img_deep is native */
    png_set_interlace_handling(j->png);
    png_read_update_info(j->png, j->info);
    uint32_t channels = png_get_channels(j->png, j->info);
    if (channels < 1 || channels > 4 ||
        png_get_rowbytes(j->png, j->info) != (size_t)w * channels * 2) {
        *rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: unexpected row layout");
        return 0;
    }
    *rc = img_deep_alloc(out, w, h, channels);
    if (*rc == AXLE_OK && !(j->rows = malloc(sizeof *j->rows * h)))
        *rc = AXLE_ENOMEM;
    if (*rc != AXLE_OK) {
        *rc = img_fail(err, errlen, *rc, "out of memory decoding the PNG");
        return 0;
    }
    for (uint32_t y = 0; y < h; y++)
        j->rows[y] = (png_bytep)(out->data + (size_t)y * out->stride);
    png_read_image(j->png, j->rows);
    png_read_end(j->png, NULL);
    return 0;
}

int
img_png_decode_deep(const axle_image *img, const struct img_decode_req *req,
                    img_deep *out, char *err, size_t errlen)
{
    /* IHDR's bit depth (byte 24): an 8-bit file costs nothing here. */
    const uint8_t *d = img->data;
    if (img->size < 33 || d[24] != 16)
        return IMG_NOT_DEEP;
    struct png_state state;
    memset(&state, 0, sizeof state);
    state.data = img->data;
    state.size = img->size;
    struct png_job job = {NULL, NULL, NULL};
    job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (job.png)
        job.info = png_create_info_struct(job.png);
    int rc = AXLE_ENOMEM;
    int fatal = job.png && job.info ? decode_deep(&state, &job, req, out, err, errlen, &rc)
                                    : 0;
    png_destroy_read_struct(&job.png, job.info ? &job.info : NULL, NULL);
    free(job.rows);
    if (fatal)
        rc = img_fail(err, errlen, AXLE_EFORMAT, "corrupt PNG: %s", state.message);
    if (rc != AXLE_OK)
        img_deep_free(out);
    return rc;
}

/* The headers up to the image data (png_read_info stops there); 1 after a
 * fatal error. */
static int
read_headers(struct png_state *s, png_structp png, png_infop info)
{
    if (setjmp(s->jump))
        return 1;
    png_set_read_fn(png, s, on_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    return 0;
}

/* The iCCP chunk's profile, inflated by libpng, which also checks its
 * header and drops a damaged one with a warning: that warning makes the
 * profile broken here, so that the file is named rather than silently
 * shown unconverted.  An sRGB chunk alone means sRGB: no profile. */
int
img_png_icc(const uint8_t *p, size_t n, uint8_t **icc, size_t *len, char *err,
            size_t errlen)
{
    struct png_state state;
    memset(&state, 0, sizeof state);
    state.data = p;
    state.size = n;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error,
                                             on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory reading the PNG's profile");
    }
    int rc = AXLE_OK;
    png_charp name;
    int method;
    png_bytep data = NULL;
    png_uint_32 size = 0;
    /* Headers that stop early belong to the decoder's message. */
    if (read_headers(&state, png, info) == 0 &&
        png_get_iCCP(png, info, &name, &method, &data, &size) == PNG_INFO_iCCP && size > 0) {
        if (!(*icc = malloc(size)))
            rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory for a %u-byte ICC profile",
                          (unsigned)size);
        else {
            memcpy(*icc, data, size);
            *len = size;
        }
    } else if (state.icc_problem[0]) {
        rc = img_fail(err, errlen, AXLE_EFORMAT, "damaged ICC profile (PNG %s)",
                      state.icc_problem);
    }
    png_destroy_read_struct(&png, &info, NULL);
    return rc;
}

const struct img_codec img_codec_png = {
    AXLE_CODEC_PNG, "PNG", sniff_png, probe_png, decode_png, img_encode_png,
};
#endif
