/* image_heif.c - HEIF (HEIC) and AVIF through libheif: the primary image,
 * with its rotation and mirroring (irot, imir) applied by libheif, as the
 * format requires (EXIF orientation in a HEIF is informative only); the
 * probe reports the displayed size and orientation 1.  Alpha is kept.
 * Shrink-on-load: an embedded thumbnail is decoded instead of the image
 * when it covers the wanted size times the margin.  Images deeper than 8
 * bits (10-bit iPhone HEIC, 10- and 12-bit AVIF) are decoded at 16 bits
 * by img_heif_decode_deep for the resize (image_deep.h); decode_heif
 * lets libheif reduce them to 8 bits.
 *
 * The probe walks the top-level boxes to the end of meta (the item
 * descriptions), then lets libheif parse them through a reader that knows
 * the whole file's size (probe_heif says how). */
#ifdef AXLE_HAVE_HEIF
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>

#include "codec_names.h"
#include "image_deep.h"
#include "image_internal.h"

/* HEIC's thumbnails are small JPEG-like HEVC stills: the JPEG margin. */
#ifndef AXLE_MARGIN_HEIF
#define AXLE_MARGIN_HEIF 2.0
#endif

static bool
brand_is(const uint8_t *p, const char *const *brands)
{
    for (size_t i = 0; brands[i]; i++)
        if (memcmp(p, brands[i], 4) == 0)
            return true;
    return false;
}

static const char *const avif_brands[] = {"avif", "avis", NULL};
static const char *const heif_brands[] = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                          "mif1", "msf1", "mif2", NULL};

static bool
sniff_avif(const uint8_t *p, size_t len)
{
    return len >= 12 && memcmp(p + 4, "ftyp", 4) == 0 && brand_is(p + 8, avif_brands);
}

static bool
sniff_heif(const uint8_t *p, size_t len)
{
    return len >= 12 && memcmp(p + 4, "ftyp", 4) == 0 && brand_is(p + 8, heif_brands);
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* AVIF when the brands say so (a "mif1" file may be either). */
static axle_codec
codec_of(const uint8_t *ftyp, size_t n)
{
    for (size_t at = 8; at + 4 <= n; at += 4)
        if (at != 12 && brand_is(ftyp + at, avif_brands)) /* skip minor_version */
            return AXLE_CODEC_AVIF;
    return AXLE_CODEC_HEIF;
}

#define CUT_META "truncated %s: the file ends at byte %zu, before its item descriptions"

/* Walks the top-level boxes to the end of "meta": *meta_end.  AXLE_EMORE
 * when the data stops first. */
static int
find_meta(const uint8_t *p, size_t len, uint64_t file_size, size_t *meta_end,
          axle_codec *codec, size_t *need, char *err, size_t errlen)
{
    uint64_t total = file_size == IMG_SIZE_UNKNOWN ? len : file_size;
    const char *label = sniff_avif(p, len) ? "AVIF" : "HEIF";
    size_t pos = 0;
    *codec = AXLE_CODEC_HEIF;
    while (pos < total) {
        /* a box header: 8 bytes, 16 with a 64-bit size (size field 1) */
        if (pos > len || len - pos < 8 || (len - pos < 16 && be32(p + pos) == 1))
            return img_more(pos + 16 > total ? (size_t)total : pos + 16, need, err, errlen,
                            CUT_META, label, len);
        uint64_t size = be32(p + pos);
        const uint8_t *type = p + pos + 4;
        if (size == 1)
            size = (uint64_t)be32(p + pos + 8) << 32 | be32(p + pos + 12);
        else if (size == 0)
            size = total - pos;
        if (size < 8)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "corrupt %s: box '%.4s' at byte %zu has size %llu",
                            label, (const char *)type, pos, (unsigned long long)size);
        if (size > total - pos)
            return img_fail(err, errlen, AXLE_EFORMAT,
                            "truncated %s: box '%.4s' at byte %zu needs %llu bytes, the file "
                            "has %llu", label, (const char *)type, pos,
                            (unsigned long long)size, (unsigned long long)total);
        if (pos == 0 && memcmp(type, "ftyp", 4) == 0) {
            if (size > len)
                return img_more((size_t)size, need, err, errlen, CUT_META, label, len);
            *codec = codec_of(p, (size_t)size);
        }
        if (memcmp(type, "meta", 4) == 0) {
            if (size > len - pos)
                return img_more(pos + (size_t)size, need, err, errlen, CUT_META, label, len);
            *meta_end = pos + (size_t)size;
            return AXLE_OK;
        }
        pos += (size_t)size;
    }
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt %s: it has no item descriptions (meta)",
                    label);
}

static int heif_error_code(struct heif_error e, const char *label, char *err,
                           size_t errlen);

/* libheif ends some messages with a newline: ours are one line. */
static int
trimmed(int code, char *err, size_t errlen)
{
    size_t n = err && errlen ? strlen(err) : 0;
    while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
        err[--n] = '\0';
    return code;
}

/* libheif's error as ours. */
static int
heif_fail(struct heif_error e, const char *label, char *err, size_t errlen)
{
    return trimmed(heif_error_code(e, label, err, errlen), err, errlen);
}

static int
heif_error_code(struct heif_error e, const char *label, char *err, size_t errlen)
{
    if (e.code == heif_error_Memory_allocation_error)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the %s", label);
    if (e.code == heif_error_Invalid_input && e.subcode == heif_suberror_End_of_data)
        return img_fail(err, errlen, AXLE_EFORMAT, "truncated %s: %s", label, e.message);
    if (e.code == heif_error_Unsupported_feature || e.code == heif_error_Unsupported_filetype)
        return img_fail(err, errlen, AXLE_EUNSUPPORTED, "%s not supported: %s", label,
                        e.message);
    return img_fail(err, errlen, AXLE_EFORMAT, "corrupt %s: %s", label, e.message);
}

/* A context on `len` bytes and its primary image. */
static struct heif_error
open_primary(const uint8_t *p, size_t len, struct heif_context **ctx,
             struct heif_image_handle **handle)
{
    *handle = NULL;
    *ctx = heif_context_alloc();
    if (!*ctx)
        return (struct heif_error){heif_error_Memory_allocation_error, heif_suberror_Unspecified,
                                   "no memory for a context"};
    /* Grid tiles decoded in this thread: no threads in a forked slice,
     * and an order that does not vary. */
    heif_context_set_max_decoding_threads(*ctx, 0);
    struct heif_error e = heif_context_read_from_memory_without_copy(*ctx, p, len, NULL);
    if (e.code == heif_error_Ok)
        e = heif_context_get_primary_image_handle(*ctx, handle);
    return e;
}

static void
close_primary(struct heif_context *ctx, struct heif_image_handle *handle)
{
    if (handle)
        heif_image_handle_release(handle);
    if (ctx)
        heif_context_free(ctx);
}

/* libheif reads the probe's prefix through this, told the whole file's
 * size: it then checks item extents against the file, reads only the
 * boxes it parses, and a read past the prefix records how far it wanted
 * to go. */
struct prefix_reader {
    const uint8_t *p;
    size_t len, pos, want;
    uint64_t total;
};

static int64_t
rd_position(void *u)
{
    return (int64_t)((struct prefix_reader *)u)->pos;
}

/* A read past the prefix cannot fail (libheif 1.15 asserts on some
 * failed reads): it gives zeros and records the bytes wanted, and the
 * probe then asks for them whatever libheif made of the zeros. */
static int
rd_read(void *data, size_t size, void *u)
{
    struct prefix_reader *r = u;
    size_t have = r->pos < r->len ? r->len - r->pos : 0;
    size_t n = size < have ? size : have;
    if (n > 0)
        memcpy(data, r->p + r->pos, n);
    if (size > n)
        memset((uint8_t *)data + n, 0, size - n);
    if (n < size && r->pos + size > r->want)
        r->want = r->pos + size;
    r->pos += size;
    return 0;
}

static int
rd_seek(int64_t position, void *u)
{
    struct prefix_reader *r = u;
    if (position < 0 || (uint64_t)position > r->total)
        return -1;
    r->pos = (size_t)position;
    return 0;
}

static enum heif_reader_grow_status
rd_wait(int64_t target, void *u)
{
    struct prefix_reader *r = u;
    return target >= 0 && (uint64_t)target <= r->total ? heif_reader_grow_status_size_reached
                                                       : heif_reader_grow_status_size_beyond_eof;
}

static const struct heif_reader prefix_reader_api = {1, rd_position, rd_read, rd_seek, rd_wait};

/* The primary image's size and alpha from a context, or libheif's error
 * as ours. */
static int
describe(struct heif_context *ctx, struct heif_error e, axle_codec codec, axle_image *out,
         char *err, size_t errlen)
{
    const char *label = codec == AXLE_CODEC_AVIF ? "AVIF" : "HEIF";
    struct heif_image_handle *handle = NULL;
    if (e.code == heif_error_Ok)
        e = heif_context_get_primary_image_handle(ctx, &handle);
    if (e.code != heif_error_Ok) {
        int rc = heif_fail(e, label, err, errlen);
        close_primary(ctx, handle); /* after the message: it owns the text */
        return rc;
    }
    int w = heif_image_handle_get_width(handle), h = heif_image_handle_get_height(handle);
    int alpha = heif_image_handle_has_alpha_channel(handle);
    close_primary(ctx, handle);
    if (w <= 0 || h <= 0)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt %s: its image is %dx%d", label, w, h);
    out->codec = codec;
    out->width = (uint32_t)w;
    out->height = (uint32_t)h;
    out->channels = alpha ? 4 : 3;
    out->orientation = 1;
    return AXLE_OK;
}

/* libheif sees the bytes up to the end of meta and zeros after them, up
 * to the file's size: the answer depends on those bytes only, the same
 * for a prefix and for the whole file.  libheif 1.15 also reads the
 * primary item's data while it parses (zeros here, which it does not
 * interpret).  Only when that view fails and libheif read past meta (a
 * grid whose layout is in mdat) is the whole file needed and parsed. */
static int
probe_heif(const uint8_t *p, size_t len, uint64_t file_size, size_t *need,
           axle_image *out, char *err, size_t errlen)
{
    size_t meta_end = 0;
    axle_codec codec;
    int rc = find_meta(p, len, file_size, &meta_end, &codec, need, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    if (!img_heif_load(err, errlen))
        return AXLE_EUNAVAILABLE;
    const char *label = codec == AXLE_CODEC_AVIF ? "AVIF" : "HEIF";
    uint64_t total = file_size == IMG_SIZE_UNKNOWN ? len : file_size;
    struct prefix_reader r = {p, meta_end, 0, 0, total};
    struct heif_context *ctx = heif_context_alloc();
    if (!ctx)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory probing the %s", label);
    struct heif_error e = heif_context_read_from_reader(ctx, &prefix_reader_api, &r, NULL);
    rc = describe(ctx, e, codec, out, err, errlen);
    if (rc == AXLE_OK || rc == AXLE_ENOMEM || r.want <= meta_end)
        return rc;
    if (len < total)
        return img_more((size_t)total, need, err, errlen,
                        "truncated %s: the file ends at byte %zu, inside data its headers need",
                        label, len);
    if (!(ctx = heif_context_alloc()))
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory probing the %s", label);
    e = heif_context_read_from_memory_without_copy(ctx, p, len, NULL);
    return describe(ctx, e, codec, out, err, errlen);
}

/* The smallest thumbnail that covers the wanted size times the margin,
 * or the image itself.  Replaces *handle when it picks a thumbnail. */
static void
pick_thumbnail(struct heif_image_handle **handle, uint32_t want_w, uint32_t want_h)
{
    if (want_w == 0 && want_h == 0)
        return;
    heif_item_id ids[8];
    int n = heif_image_handle_get_list_of_thumbnail_IDs(*handle, ids, 8);
    struct heif_image_handle *best = NULL;
    int full_alpha = heif_image_handle_has_alpha_channel(*handle);
    for (int i = 0; i < n; i++) {
        struct heif_image_handle *t;
        if (heif_image_handle_get_thumbnail(*handle, ids[i], &t).code != heif_error_Ok)
            continue;
        double tw = heif_image_handle_get_width(t), th = heif_image_handle_get_height(t);
        int covers = tw >= want_w * AXLE_MARGIN_HEIF && th >= want_h * AXLE_MARGIN_HEIF &&
                     heif_image_handle_has_alpha_channel(t) == full_alpha;
        if (covers && (!best || tw * th < (double)heif_image_handle_get_width(best) *
                                              heif_image_handle_get_height(best))) {
            if (best)
                heif_image_handle_release(best);
            best = t;
        } else {
            heif_image_handle_release(t);
        }
    }
    if (best) {
        heif_image_handle_release(*handle);
        *handle = best;
    }
}

/* Decodes `handle` to interleaved RGB(A): 8 bits a sample (HDR reduced
 * by libheif), or with `deep` 16-bit little-endian words holding the
 * image's own bit depth.  *im is the caller's to release. */
/* libde265 and the AV1 decoders leave the parts of a picture a corrupt
 * stream never reaches as they found the memory, so a damaged file's
 * pixels would depend on what the process freed before (another photo's
 * pixels): the fuzz harness saw two decodes of one file differ.  From the
 * first HEIF/AVIF decode on, glibc fills each block it hands out with
 * zeros (M_PERTURB 0xff: blocks are filled with its complement), so such
 * a picture is the same every time and holds nothing of earlier data.
 * Once per process and never undone, so decodes in other threads cannot
 * race with it; the cost is a memset of each later allocation.  (Under
 * ASan, whose allocator ignores mallopt, tests/fuzz/run.sh asks ASan for
 * the same fill.) */
static void
zero_fresh_memory(void)
{
#ifdef M_PERTURB
    mallopt(M_PERTURB, 0xff);
#endif
}

static int
decode_interleaved(struct heif_image_handle *handle, const char *label, bool deep, int alpha,
                   struct heif_image **im, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, zero_fresh_memory);
    struct heif_decoding_options *opts = heif_decoding_options_alloc();
    if (!opts)
        return img_fail(err, errlen, AXLE_ENOMEM, "out of memory decoding the %s", label);
    opts->convert_hdr_to_8bit = !deep;
    enum heif_chroma chroma =
        deep ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
             : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB);
    struct heif_error e = heif_decode_image(handle, im, heif_colorspace_RGB, chroma, opts);
    heif_decoding_options_free(opts);
    return e.code == heif_error_Ok ? AXLE_OK : heif_fail(e, label, err, errlen);
}

/* The interleaved plane libheif decoded, with its size and bits. */
struct decoded_plane {
    const uint8_t *rows;
    int stride, w, h, bits;
};

/* The decoded plane of im, checked before a pixel of it is read: present,
 * of `channels` samples of 1 byte (deep: 2 bytes holding 9 to 16 bits) a
 * pixel, of the size the header declared (what max_pixels was checked
 * against, so that a small header cannot bring a huge image into the
 * pipeline; libheif has allocated it by now: see README.md), and within
 * max_pixels. */
static int
decoded_plane(struct heif_image *im, struct heif_image_handle *handle, const char *label,
              const struct img_decode_req *req, uint32_t channels, bool deep,
              struct decoded_plane *p, char *err, size_t errlen)
{
    p->rows = heif_image_get_plane_readonly(im, heif_channel_interleaved, &p->stride);
    p->w = heif_image_get_width(im, heif_channel_interleaved);
    p->h = heif_image_get_height(im, heif_channel_interleaved);
    p->bits = heif_image_get_bits_per_pixel_range(im, heif_channel_interleaved);
    size_t sample = deep ? 2 : 1;
    bool bits_ok = deep ? p->bits > 8 && p->bits <= 16 : p->bits == 8;
    if (!p->rows || p->w <= 0 || p->h <= 0 || p->stride < 0 ||
        (size_t)p->stride < (size_t)p->w * channels * sample || !bits_ok)
        return img_fail(err, errlen, AXLE_EFORMAT, "corrupt %s: the decoder gave no %s", label,
                        deep ? "image of more than 8 bits" : "8-bit image");
    int hw = heif_image_handle_get_width(handle), hh = heif_image_handle_get_height(handle);
    if (p->w != hw || p->h != hh)
        return img_fail(err, errlen, AXLE_EFORMAT,
                        "corrupt %s: its image data is %dx%d, its header says %dx%d", label,
                        p->w, p->h, hw, hh);
    return img_check_pixels((uint32_t)p->w, (uint32_t)p->h, req->max_pixels, err, errlen);
}

static int
decode_handle(struct heif_image_handle *handle, const char *label,
              const struct img_decode_req *req, axle_pixels *out, char *err, size_t errlen)
{
    int alpha = heif_image_handle_has_alpha_channel(handle);
    struct heif_image *im = NULL;
    int rc = decode_interleaved(handle, label, false, alpha, &im, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t channels = alpha ? 4 : 3;
    struct decoded_plane p;
    rc = decoded_plane(im, handle, label, req, channels, false, &p, err, errlen);
    if (rc == AXLE_OK)
        rc = img_alloc(req, out, (uint32_t)p.w, (uint32_t)p.h, channels, err, errlen);
    if (rc == AXLE_OK)
        img_copy_rows(out, p.rows, (size_t)p.stride);
    heif_image_release(im);
    return rc;
}

/* The primary image of img, checked against max_pixels, or the thumbnail
 * that serves the size wanted: *ctx and *handle for close_primary. */
static int
open_for_decode(const axle_image *img, const struct img_decode_req *req,
                struct heif_context **ctx, struct heif_image_handle **handle, char *err,
                size_t errlen)
{
    *ctx = NULL;
    *handle = NULL;
    if (!img_heif_load(err, errlen))
        return AXLE_EUNAVAILABLE;
    const char *label = img->codec == AXLE_CODEC_AVIF ? "AVIF" : "HEIF";
    struct heif_error e = open_primary(img->data, img->size, ctx, handle);
    if (e.code != heif_error_Ok)
        return heif_fail(e, label, err, errlen); /* before close: libheif owns the text */
    int w = heif_image_handle_get_width(*handle), h = heif_image_handle_get_height(*handle);
    int rc = w > 0 && h > 0
                 ? img_check_pixels((uint32_t)w, (uint32_t)h, req->max_pixels, err, errlen)
                 : img_fail(err, errlen, AXLE_EFORMAT, "corrupt %s: its image is %dx%d", label,
                            w, h);
    if (rc == AXLE_OK)
        pick_thumbnail(handle, req->want_w, req->want_h);
    return rc;
}

static int
decode_heif(const axle_image *img, const struct img_decode_req *req, axle_pixels *out,
            char *err, size_t errlen)
{
    const char *label = img->codec == AXLE_CODEC_AVIF ? "AVIF" : "HEIF";
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    int rc = open_for_decode(img, req, &ctx, &handle, err, errlen);
    if (rc == AXLE_OK)
        rc = decode_handle(handle, label, req, out, err, errlen);
    close_primary(ctx, handle);
    return rc;
}

/* ---- more than 8 bits kept for the resize (image_deep.h) ---- */

/* Rows of `bits`-bit samples in 16-bit little-endian words (libheif's
 * RRGGBB(AA)_LE) scaled to the full 16-bit range, rounded: 1023 (10 bits)
 * is 65535, as white must be. */
static void
widen_rows(const uint8_t *plane, size_t stride, int bits, img_deep *out)
{
    uint32_t top = (1u << bits) - 1;
    size_t n = (size_t)out->width * out->channels;
    for (uint32_t y = 0; y < out->height; y++) {
        const uint8_t *s = plane + y * stride;
        uint16_t *d = out->data + y * out->stride;
        for (size_t i = 0; i < n; i++) {
            uint32_t v = (uint32_t)s[2 * i] | (uint32_t)s[2 * i + 1] << 8;
            d[i] = (uint16_t)(((v < top ? v : top) * 65535 + top / 2) / top);
        }
    }
}

/* decode_handle at 16 bits: IMG_NOT_DEEP for an image of 8 bits or
 * fewer (an 8-bit thumbnail of a 10-bit image too). */
static int
decode_handle_deep(struct heif_image_handle *handle, const char *label,
                   const struct img_decode_req *req, img_deep *out, char *err, size_t errlen)
{
    if (heif_image_handle_get_luma_bits_per_pixel(handle) <= 8)
        return IMG_NOT_DEEP;
    int alpha = heif_image_handle_has_alpha_channel(handle);
    struct heif_image *im = NULL;
    int rc = decode_interleaved(handle, label, true, alpha, &im, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    uint32_t channels = alpha ? 4 : 3;
    struct decoded_plane p;
    rc = decoded_plane(im, handle, label, req, channels, true, &p, err, errlen);
    if (rc == AXLE_OK &&
        (rc = img_deep_alloc(out, (uint32_t)p.w, (uint32_t)p.h, channels)) != AXLE_OK)
        rc = img_fail(err, errlen, rc, "out of memory decoding the %s", label);
    if (rc == AXLE_OK)
        widen_rows(p.rows, (size_t)p.stride, p.bits, out);
    heif_image_release(im);
    return rc;
}

int
img_heif_decode_deep(const axle_image *img, const struct img_decode_req *req, img_deep *out,
                     char *err, size_t errlen)
{
    const char *label = img->codec == AXLE_CODEC_AVIF ? "AVIF" : "HEIF";
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    int rc = open_for_decode(img, req, &ctx, &handle, err, errlen);
    if (rc == AXLE_OK)
        rc = decode_handle_deep(handle, label, req, out, err, errlen);
    close_primary(ctx, handle);
    if (rc != AXLE_OK)
        img_deep_free(out);
    return rc;
}

/* The primary image's colour description: its ICC profile (a "prof" or
 * "rICC" colr box) when it has one, else its nclx box.  Parsing the item
 * descriptions decodes nothing.  A file libheif cannot parse has neither
 * here: the decoder names what is wrong with it. */
int
img_heif_colour(const uint8_t *p, size_t n, uint8_t **icc, size_t *len,
                struct img_nclx *nclx, char *err, size_t errlen)
{
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    int rc = AXLE_OK;
    char why[8];
    if (!img_heif_load(why, sizeof why))
        return AXLE_OK; /* as a file libheif cannot parse: the decoder says why */
    if (open_primary(p, n, &ctx, &handle).code != heif_error_Ok) {
        close_primary(ctx, handle);
        return AXLE_OK;
    }
    size_t size = heif_image_handle_get_raw_color_profile_size(handle);
    struct heif_color_profile_nclx *x = NULL;
    if (size > 0) {
        if (!(*icc = malloc(size)))
            rc = img_fail(err, errlen, AXLE_ENOMEM, "out of memory for a %zu-byte ICC profile",
                          size);
        else if (heif_image_handle_get_raw_color_profile(handle, *icc).code != heif_error_Ok)
            rc = img_fail(err, errlen, AXLE_EFORMAT, "its ICC profile (colr) cannot be read");
        else
            *len = size;
        if (rc != AXLE_OK) {
            free(*icc);
            *icc = NULL;
        }
    } else if (heif_image_handle_get_nclx_color_profile(handle, &x).code == heif_error_Ok && x) {
        *nclx = (struct img_nclx){true, (int)x->color_primaries,
                                  (int)x->transfer_characteristics,
                                  x->color_primary_red_x, x->color_primary_red_y,
                                  x->color_primary_green_x, x->color_primary_green_y,
                                  x->color_primary_blue_x, x->color_primary_blue_y,
                                  x->color_primary_white_x, x->color_primary_white_y};
    }
    if (x)
        heif_nclx_color_profile_free(x);
    close_primary(ctx, handle);
    return rc;
}

const struct img_codec img_codec_heif = {
    AXLE_CODEC_HEIF, "HEIF", sniff_heif, probe_heif, decode_heif, NULL,
};
const struct img_codec img_codec_avif = {
    AXLE_CODEC_AVIF, "AVIF", sniff_avif, probe_heif, decode_heif, img_encode_avif,
};
#endif
