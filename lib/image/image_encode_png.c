/* image_encode_png.c - pixels to PNG with libpng.
 *
 * 8-bit grey, grey+alpha, RGB or RGBA as the pixels are (PNG keeps alpha,
 * so nothing is flattened); lossless, so the quality is not used.  The
 * bytes depend on the pixels and metadata only: no tIME chunk, libpng's
 * default zlib level and filter choice, which are deterministic.
 * Metadata goes where PNG readers look, before the image data: iCCP (the
 * profile, zlib-compressed by libpng), eXIf, and the XMP packet as an
 * uncompressed iTXt chunk keyed "XML:com.adobe.xmp" (XMP spec, part 3).
 *
 * libpng reports fatal errors by longjmp; it jumps back into write_png()
 * below and no further. */
#ifdef AXLE_HAVE_PNG
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "image_internal.h"

struct png_out {
    uint8_t *data;
    size_t len, cap;
    bool nomem;
    char message[200];
};

static void
on_write(png_structp png, png_bytep buf, size_t n)
{
    struct png_out *o = png_get_io_ptr(png);
    if (n > o->cap - o->len) {
        size_t cap = o->cap ? o->cap : 65536;
        while (n > cap - o->len)
            cap *= 2;
        uint8_t *d = realloc(o->data, cap);
        if (!d) {
            o->nomem = true;
            png_error(png, "out of memory");
        }
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, buf, n);
    o->len += n;
}

static void
on_flush(png_structp png)
{
    (void)png;
}

static void
on_error(png_structp png, png_const_charp msg)
{
    struct png_out *o = png_get_error_ptr(png);
    snprintf(o->message, sizeof o->message, "%s", msg);
    png_longjmp(png, 1);
}

static void
on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static int
colour_type(uint32_t channels)
{
    switch (channels) {
    case 1: return PNG_COLOR_TYPE_GRAY;
    case 2: return PNG_COLOR_TYPE_GRAY_ALPHA;
    case 3: return PNG_COLOR_TYPE_RGB;
    default: return PNG_COLOR_TYPE_RGBA;
    }
}

/* The metadata chunks of `req`, set before png_write_info. */
static void
set_metadata(png_structp png, png_infop info, const struct img_encode_req *req,
             png_text *xmp)
{
    if (req->icc)
        png_set_iCCP(png, info, "icc", PNG_COMPRESSION_TYPE_BASE, req->icc,
                     (png_uint_32)req->icc_len);
    if (req->exif)
        png_set_eXIf_1(png, info, (png_uint_32)req->exif_len, (png_bytep)req->exif);
    if (req->xmp) {
        memset(xmp, 0, sizeof *xmp);
        xmp->compression = PNG_ITXT_COMPRESSION_NONE;
        xmp->key = (png_charp) "XML:com.adobe.xmp";
        xmp->text = (png_charp)req->xmp;
        xmp->itxt_length = req->xmp_len;
        xmp->lang = (png_charp) "";
        xmp->lang_key = (png_charp) "";
        png_set_text(png, info, xmp, 1);
    }
}

/* Everything that can longjmp.  1 when libpng failed. */
static int
write_png(png_structp png, png_infop info, struct png_out *o, const axle_pixels *px,
          const struct img_encode_req *req)
{
    png_text xmp;
    if (setjmp(png_jmpbuf(png)))
        return 1;
    png_set_write_fn(png, o, on_write, on_flush);
    png_set_IHDR(png, info, px->width, px->height, 8, colour_type(px->channels),
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    set_metadata(png, info, req, &xmp);
    png_write_info(png, info);
    for (uint32_t y = 0; y < px->height; y++)
        png_write_row(png, px->data + (size_t)y * px->stride);
    png_write_end(png, NULL);
    return 0;
}

int
img_encode_png(const axle_pixels *px, const struct img_encode_req *req, void **out,
               size_t *outlen, char *err, size_t errlen)
{
    struct png_out o;
    memset(&o, 0, sizeof o);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &o, on_error,
                                              on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, NULL);
        return img_fail(err, errlen, AXLE_ENOMEM, "cannot start the PNG encoder");
    }
    int failed = write_png(png, info, &o, px, req);
    png_destroy_write_struct(&png, &info);
    if (failed) {
        free(o.data);
        if (o.nomem)
            return img_fail(err, errlen, AXLE_ENOMEM, "out of memory encoding the PNG");
        return img_fail(err, errlen, AXLE_EINTERNAL, "PNG encoding failed: %s", o.message);
    }
    *out = o.data;
    *outlen = o.len;
    return AXLE_OK;
}
#endif
