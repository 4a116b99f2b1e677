/* thumbnailer_store.c - how a thumbnail column is stored.
 *
 * `store: encoded` (the default) keeps each thumbnail small but within
 * 45 dB of its pixels (axle_image_encode_stored); `store: raw` keeps the
 * pixels.  `store: jpeg|webp|png` stores the thumbnail as export_images
 * writes that format: the same call (axle_image_encode_with) with the
 * same options (store_quality, store_subsampling, store_progressive
 * mirror export's quality, subsampling, progressive) and the photo's
 * profile with `colour: keep`, the quality recorded in the cell.  An
 * export with those options then writes each cell as it is, its XMP
 * added (axle_image_encoded_as), and its files are byte for byte those
 * of an export of raw thumbnails: one encode per thumbnail instead of the
 * store's search (two trial encodes and decodes at about q98) and
 * export's decode and encode again (issue 12).  The column is then the
 * export's bytes, smaller than `encoded` at export's usual quality.
 * AVIF is not offered: it takes its XMP only when encoded, so export
 * would encode it again anyway.
 *
 * `store: webp` holds no side over 16383 pixels: a photo whose thumbnail
 * would be larger is skipped (its row null, its reason in the skipped
 * list; on_error: fail fails the job), as a photo that cannot be decoded
 * is; a size that makes every thumbnail larger is refused before any
 * work. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "thumbnailer_colour.h"
#include "thumbnailer_store.h"

/* The codecs of `store`'s choices, in their order (encoded and raw: none). */
static const axle_codec store_codecs[] = {AXLE_CODEC_NONE, AXLE_CODEC_NONE, AXLE_CODEC_JPEG,
                                          AXLE_CODEC_WEBP, AXLE_CODEC_PNG};
#define STORE_RAW 1
#define DEFAULT_QUALITY 85 /* store_quality's default, export's too */
#define WEBP_MAX_SIDE 16383 /* WebP stores its sides in 14 bits */

/* Options the chosen store has no use for are refused, as export does,
 * rather than ignored: a user would believe they had what they asked. */
static int
check(axle_job *job, const struct thumb_store *st)
{
    const char *store = axle_opt_string(job, "store");
    char why[512];
    if (st->codec != AXLE_CODEC_NONE && !axle_can_encode(st->codec, why, sizeof why))
        return axle_error(job, AXLE_EUNSUPPORTED, "option 'store: %s': %s", store, why);
    if (st->enc.progressive && st->codec != AXLE_CODEC_JPEG)
        return axle_error(job, AXLE_EINVAL,
                          "option 'store_progressive: true' is for store: jpeg, and store "
                          "is %s: drop the option or store jpeg", store);
    if (st->enc.subsampling && st->codec != AXLE_CODEC_JPEG)
        return axle_error(job, AXLE_EINVAL,
                          "option 'store_subsampling: %s' is for store: jpeg, and store is "
                          "%s: drop the option", axle_opt_string(job, "store_subsampling"),
                          store);
    if (st->codec == AXLE_CODEC_NONE && st->enc.quality != DEFAULT_QUALITY)
        return axle_error(job, AXLE_EINVAL,
                          "option 'store_quality: %d' is for store: jpeg or webp (export's "
                          "encodings), and store is %s, which %s: drop the option",
                          st->enc.quality, store,
                          st->raw ? "keeps the pixels" : "picks its own quality within 45 dB");
    return AXLE_OK;
}

int
thumb_store_read(axle_job *job, struct thumb_store *st)
{
    static const int sampling[] = {0, 420, 444}; /* auto|420|444 */
    int kind = axle_opt_enum(job, "store");
    st->raw = kind == STORE_RAW;
    st->codec = store_codecs[kind];
    st->enc = AXLE_ENCODE_OPTIONS((int)axle_opt_int(job, "store_quality"));
    st->enc.progressive = axle_opt_bool(job, "store_progressive");
    st->enc.subsampling = sampling[axle_opt_enum(job, "store_subsampling")];
    return check(job, st);
}

/* As export_images writes it (st->codec), the profile embedded as export
 * embeds it, the quality recorded so that export recognises it. */
static int
put_as_export(axle_job *job, const struct thumb_store *st, axle_writer *out, int col,
              const axle_pixels *px, const char *name, const void *icc, size_t icclen)
{
    axle_encode_options o = st->enc;
    o.icc = icc;
    o.icc_len = icclen;
    void *enc = NULL;
    size_t len = 0;
    char err[512];
    axle_image img;
    int rc = axle_image_encode_with(px, st->codec, &o, &enc, &len, err, sizeof err);
    if (rc == AXLE_OK)
        rc = axle_image_probe(enc, len, &img, err, sizeof err);
    if (rc != AXLE_OK) {
        free(enc);
        return axle_error(job, rc, "%s: storing the thumbnail as %s (option 'store'): %s",
                          name, axle_codec_name(st->codec), err);
    }
    rc = axle_put_image_quality(out, col, &img,
                                st->codec == AXLE_CODEC_PNG ? AXLE_QUALITY_LOSSLESS
                                                            : o.quality);
    free(enc);
    return rc;
}

/* Within AXLE_STORE_MIN_PSNR of the pixels, the quality recorded when it
 * is an integer one (so export can pass it on at that quality). */
static int
put_encoded(axle_job *job, axle_writer *out, int col, const axle_pixels *px,
            const char *name, const void *icc, size_t icclen)
{
    axle_image img;
    int quality;
    void *enc;
    char err[512];
    int rc = axle_image_encode_stored(px, &img, &quality, &enc, err, sizeof err);
    if (rc != AXLE_OK)
        rc = axle_error(job, rc, "%s: storing the thumbnail: %s", name, err);
    else /* colour: keep: the photo's profile goes with the pixels */
        rc = thumb_colour_attach(job, icc, icclen, &img, &enc, name);
    if (rc == AXLE_OK)
        rc = quality ? axle_put_image_quality(out, col, &img, quality)
                     : axle_put_image(out, col, &img);
    free(enc);
    return rc;
}

int
thumb_store_put(axle_job *job, const struct thumb_store *st, axle_writer *out, int col,
                const axle_pixels *px, const char *name, const void *icc, size_t icclen)
{
    if (st->codec != AXLE_CODEC_NONE)
        return put_as_export(job, st, out, col, px, name, icc, icclen);
    if (!st->raw)
        return put_encoded(job, out, col, px, name, icc, icclen);
    axle_image raw = axle_image_from_pixels(px);
    int rc = thumb_colour_attach(job, icc, icclen, &raw, NULL, name);
    return rc == AXLE_OK ? axle_put_image(out, col, &raw) : rc;
}

/* The largest side the store holds: WebP's, else any a size may ask for
 * (the size options stop at JPEG's). */
static uint32_t
max_side(const struct thumb_store *st)
{
    return st->codec == AXLE_CODEC_WEBP ? WEBP_MAX_SIDE : UINT32_MAX;
}

/* Whether every thumbnail of `g` is surely over `max` on a side: a box the
 * thumbnail is exactly (exact, or filled and cut with upscale), or, with
 * upscale, one it reaches on its given side or on one of both. */
static bool
surely_over(const axle_geometry *g, uint32_t max)
{
    bool fills = g->mode == AXLE_FIT_EXACT || (g->upscale && g->crop != AXLE_CROP_NONE);
    if (fills)
        return g->width > max || g->height > max;
    if (!g->upscale)
        return false; /* a photo smaller than the box keeps its size */
    if (g->width == 0 || g->height == 0)
        return g->width > max || g->height > max;
    return g->width > max && g->height > max;
}

int
thumb_store_check_size(axle_job *job, const struct thumb_store *st, const axle_geometry *g,
                       const char *option)
{
    uint32_t max = max_side(st);
    if (!surely_over(g, max))
        return AXLE_OK;
    return axle_error(job, AXLE_ETOOBIG,
                      "option '%s' [%u, %u] %s makes every thumbnail over WebP's %u pixels "
                      "a side (option 'store: %s'): store jpeg or png, or a smaller size",
                      option, g->width, g->height,
                      g->mode == AXLE_FIT_EXACT ? "(exact)" : "with 'upscale: true'", max,
                      axle_codec_name(st->codec));
}

int
thumb_store_fits(const struct thumb_store *st, const axle_pixels *px, size_t n, char *why,
                 size_t whylen)
{
    uint32_t max = max_side(st);
    for (size_t i = 0; i < n; i++)
        if (px[i].width > max || px[i].height > max) {
            snprintf(why, whylen,
                     "a %ux%u thumbnail is over WebP's %u pixels a side (option 'store: "
                     "%s'): store jpeg or png, or ask for a smaller size",
                     px[i].width, px[i].height, max, axle_codec_name(st->codec));
            return AXLE_ETOOBIG;
        }
    return AXLE_OK;
}
