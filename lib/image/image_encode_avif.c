/* image_encode_avif.c - pixels to AVIF through libheif's AV1 encoder.
 *
 * Debian 12's libheif (1.15) encodes AV1 with libaom; whether an AV1
 * encoder is there is known only at run time (libheif's plugins), so a
 * libaxle built with libheif but run without one says so
 * (img_avif_can_encode) instead of writing nothing.  Grey pixels are
 * written as RGB (libheif's monochrome AV1 path is not in every build);
 * alpha is kept as AVIF's alpha plane.  Chroma: 4:2:0 below quality 90
 * and 4:4:4 from 90 up, as for JPEG, or what `subsampling` asks.  The
 * profile goes in a colr box, EXIF and XMP as items of the primary image,
 * which is where libheif and other readers find them. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

#ifdef AXLE_HAVE_HEIF
#include <libheif/heif.h>

#include "codec_names.h"

bool
img_avif_can_encode(char *err, size_t errlen)
{
    if (!img_heif_load(err, errlen))
        return false;
    if (heif_have_encoder_for_format(heif_compression_AV1))
        return true;
    img_fail(err, errlen, AXLE_EUNSUPPORTED,
             "AVIF encoding needs libheif with an AV1 encoder (libaom), and this "
             "libheif (%s) has none", heif_get_version());
    return false;
}

struct avif_out {
    uint8_t *data;
    size_t len;
};

static struct heif_error
on_write(struct heif_context *ctx, const void *data, size_t size, void *userdata)
{
    (void)ctx;
    struct avif_out *o = userdata;
    struct heif_error ok = {heif_error_Ok, heif_suberror_Unspecified, "ok"};
    struct heif_error nomem = {heif_error_Memory_allocation_error,
                               heif_suberror_Unspecified, "out of memory"};
    uint8_t *d = realloc(o->data, o->len + size + 1); /* libheif writes once; append anyway */
    if (!d)
        return nomem;
    memcpy(d + o->len, data, size);
    o->data = d;
    o->len += size;
    return ok;
}

/* The pixels as an interleaved RGB(A) heif_image (grey expanded). */
static struct heif_error
make_image(const axle_pixels *px, struct heif_image **out)
{
    bool alpha = px->channels == 2 || px->channels == 4;
    struct heif_error e = heif_image_create(
        (int)px->width, (int)px->height, heif_colorspace_RGB,
        alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, out);
    if (e.code == heif_error_Ok)
        e = heif_image_add_plane(*out, heif_channel_interleaved, (int)px->width,
                                 (int)px->height, 8);
    if (e.code != heif_error_Ok)
        return e;
    int stride;
    uint8_t *plane = heif_image_get_plane(*out, heif_channel_interleaved, &stride);
    uint32_t oc = alpha ? 4 : 3, grey = px->channels <= 2;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint8_t *s = px->data + (size_t)y * px->stride;
        uint8_t *d = plane + (size_t)y * (size_t)stride;
        if (!grey) {
            memcpy(d, s, (size_t)px->width * oc);
            continue;
        }
        for (uint32_t x = 0; x < px->width; x++, s += px->channels, d += oc) {
            d[0] = d[1] = d[2] = s[0];
            if (alpha)
                d[3] = s[1];
        }
    }
    return e;
}

/* The encoder for `req`: quality and chroma. */
static struct heif_error
make_encoder(struct heif_context *ctx, const axle_pixels *px,
             const struct img_encode_req *req, struct heif_encoder **enc)
{
    struct heif_error e = heif_context_get_encoder_for_format(ctx, heif_compression_AV1, enc);
    if (e.code == heif_error_Ok)
        e = heif_encoder_set_lossy_quality(*enc, req->quality);
    /* One thread: axle's slices already keep every core busy, and libaom's
     * default of 4 per slice would only make them contend. */
    if (e.code == heif_error_Ok)
        e = heif_encoder_set_parameter_integer(*enc, "threads", 1);
    int sub = req->subsampling ? req->subsampling : req->quality >= 90 ? 444 : 420;
    if (e.code == heif_error_Ok && px->channels > 2)
        e = heif_encoder_set_parameter_string(*enc, "chroma", sub == 444 ? "444" : "420");
    return e;
}

static struct heif_error
add_metadata(struct heif_context *ctx, struct heif_image_handle *h,
             const struct img_encode_req *req)
{
    struct heif_error e = {heif_error_Ok, heif_suberror_Unspecified, "ok"};
    if (req->exif)
        e = heif_context_add_exif_metadata(ctx, h, req->exif, (int)req->exif_len);
    if (e.code == heif_error_Ok && req->xmp)
        e = heif_context_add_XMP_metadata(ctx, h, req->xmp, (int)req->xmp_len);
    return e;
}

int
img_encode_avif(const axle_pixels *px, const struct img_encode_req *req, void **out,
                size_t *outlen, char *err, size_t errlen)
{
    if (!img_avif_can_encode(err, errlen))
        return AXLE_EUNSUPPORTED;
    struct heif_context *ctx = heif_context_alloc();
    struct heif_image *img = NULL;
    struct heif_encoder *enc = NULL;
    struct heif_image_handle *handle = NULL;
    struct heif_encoding_options *opts = heif_encoding_options_alloc();
    struct avif_out o = {NULL, 0};
    if (!ctx || !opts) {
        heif_context_free(ctx);
        heif_encoding_options_free(opts);
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory for the AVIF encoder");
    }
    struct heif_error e = make_image(px, &img);
    if (e.code == heif_error_Ok && req->icc)
        e = heif_image_set_raw_color_profile(img, "prof", req->icc, req->icc_len);
    if (e.code == heif_error_Ok)
        e = make_encoder(ctx, px, req, &enc);
    if (e.code == heif_error_Ok)
        e = heif_context_encode_image(ctx, img, enc, opts, &handle);
    if (e.code == heif_error_Ok)
        e = add_metadata(ctx, handle, req);
    struct heif_writer writer = {1, on_write};
    if (e.code == heif_error_Ok)
        e = heif_context_write(ctx, &writer, &o);
    int rc = AXLE_OK;
    if (e.code != heif_error_Ok) {
        rc = img_fail(err, errlen, e.code == heif_error_Memory_allocation_error
                                       ? AXLE_ENOMEM : AXLE_EINTERNAL,
                      "AVIF encoding failed: %s", e.message);
        free(o.data);
    } else {
        *out = o.data;
        *outlen = o.len;
    }
    heif_image_handle_release(handle);
    heif_encoder_release(enc);
    heif_image_release(img);
    heif_encoding_options_free(opts);
    heif_context_free(ctx);
    return rc;
}

#else

bool
img_avif_can_encode(char *err, size_t errlen)
{
    img_fail(err, errlen, AXLE_EUNSUPPORTED,
             "AVIF encoding needs libheif with an AV1 encoder, and libaxle was built "
             "without libheif");
    return false;
}

int
img_encode_avif(const axle_pixels *px, const struct img_encode_req *req, void **out,
                size_t *outlen, char *err, size_t errlen)
{
    (void)px, (void)req, (void)out, (void)outlen;
    img_avif_can_encode(err, errlen);
    return AXLE_EUNSUPPORTED;
}
#endif
