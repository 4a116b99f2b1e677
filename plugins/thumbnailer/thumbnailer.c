/* thumbnailer.c - the method: an image column in, thumbnail columns out.
 *
 * Writes dataset "default" whose parent is the source, so the source's
 * columns (filename, shape, ...) are linked, not copied, and new image
 * columns are added, row for row: `output` ("thumb") at `size`, and one
 * per `sizes` entry.  Every thumbnail column is stored by thumb_store_put
 * (thumbnailer_store.c): encoded within 45 dB of its pixels, raw pixels
 * with `store: raw`, or as export_images writes a format (`store: jpeg`).
 * Each slice thumbnails its own slice of the source.  An image that cannot
 * be decoded gets null thumbnails and an entry in the skipped list, or
 * fails the job with `on_error: fail`.
 *
 * The work per row is one SDK call, axle_images_to_sizes: one
 * shrink-on-load decode at the scale the largest size needs, then per
 * size a Lanczos3 resize (of the crop window, with `crop`) and EXIF
 * orientation; then the optional sharpening and flattening.  Memory stays
 * flat however many images a slice has: each row's pixels are freed once
 * written, and the dataset writer streams rows to disk.
 *
 * Row-wise (AXLE_ROW_WISE): the output has one link per link of the
 * source it processes, each with that link as parent, chained in order;
 * built on an earlier job, only the source's new link is thumbnailed and
 * the result carries the earlier counts over (axle_chain_counts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "axle/axle.h"
#include "thumbnailer_colour.h"
#include "thumbnailer_store.h"

/* The largest thumbnail side: JPEG's maximum (libjpeg's JPEG_MAX_DIMENSION). */
#define THUMB_MAX_SIDE 65500

static const axle_option options[] = {
    /* 65500: the largest JPEG libjpeg writes (WebP's is 16383; export
     * skips an item too big for its format, naming it). */
    AXLE_OPTION_SIZE("size", NULL, 1, THUMB_MAX_SIDE,
                     "[w, h], \"WxH\" or n: fit inside (PIL's thumbnail()); \"Wx\" or "
                     "\"xH\": one side; \"WxH!\": exactly; at most 65500, JPEG's limit"),
    AXLE_OPTION_STRING("column", "image", "image column of the source dataset"),
    AXLE_OPTION_STRING("output", "thumb", "name of the new thumbnail column"),
    AXLE_OPTION_BOOL("upscale", "false", "enlarge images smaller than size"),
    AXLE_OPTION_ON_ERROR("skip"), /* an undecodable image: null thumbnail, or fail */
    AXLE_OPTION_INT("max_pixels", "200000000", 0, 1e12,
                    "refuse images with more pixels, and upscaled sizes too (0: no limit)"),
    AXLE_OPTION_ENUM("colour", "srgb", "srgb|keep",
                     "srgb: convert an embedded ICC profile to sRGB; keep: pixels as stored"),
    THUMB_STORE_OPTIONS,
    AXLE_OPTION_ENUM("crop", "none", "none|centre|entropy|attention",
                     "none fits inside; the others fill the box and cut the excess: the "
                     "middle, the busiest part, the most salient part"),
    AXLE_OPTION_SIZES("sizes", "{}", 1, THUMB_MAX_SIDE,
                      "{NAME: SIZE, ...}: one more column per entry, all from one decode"),
    AXLE_OPTION_BOOL("sharpen", "false", "a mild sharpening after the downscale"),
    AXLE_OPTION_COLOUR("background", "null",
                       "flatten alpha onto this colour (#rrggbb, white, ...); unset: "
                       "alpha kept, and JPEG export flattens on white"),
    AXLE_OPTION_ENUM("quality", "high", "high|fast",
                     "high: JPEG decoded at twice the thumbnail size or more (no moire); "
                     "fast: at the smallest scale covering it, as Pillow's draft()"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "the dataset with the image column (import_images)"),
    AXLE_INPUT_END};

AXLE_METHOD(thumbnailer, "1.2",
            "thumbnails: shrink-on-load decode, Lanczos3 resize, EXIF orientation",
            options, inputs);
AXLE_ROW_WISE;

/* The output columns: `output` for `size`, then one per `sizes` entry in
 * the order of their names. */
#define MAX_OUTPUTS 64

/* Made in prepare, inherited by every slice through fork: one writer per
 * source link processed (links[k] -> writers[k]); `out` is the one being
 * written. */
static axle_writer *out;
static int out_cols[MAX_OUTPUTS];
static axle_dataset **links;
static size_t nlinks;
static axle_writer **writers;
#define CARRIED "carried.json"


struct slice {
    axle_job *job;
    axle_geometry sizes[MAX_OUTPUTS]; /* [0]: `size`; then `sizes` */
    size_t nsizes;
    bool sharpen, flatten;
    uint8_t background[3];
    uint64_t max_pixels;
    unsigned flags; /* AXLE_TO_SRGB for colour: srgb; for every size */
    struct thumb_store store; /* store and its store_* options */
    unsigned long long made, skipped, decodes;
};

/* The geometries the options ask for, into s->sizes. */
static int
read_sizes(axle_job *job, struct slice *s)
{
    size_t extra = axle_opt_count(job, "sizes");
    if (extra + 1 > MAX_OUTPUTS)
        return axle_error(job, AXLE_EINVAL, "option 'sizes' has %zu entries; at most %d",
                          extra, MAX_OUTPUTS - 1);
    axle_crop crop = (axle_crop)axle_opt_enum(job, "crop"); /* in the enum's order */
    s->nsizes = extra + 1;
    for (size_t i = 0; i < s->nsizes; i++) {
        axle_geometry *g = &s->sizes[i];
        if (i == 0)
            axle_opt_size(job, "size", g);
        else
            axle_opt_size_at(job, "sizes", i - 1, g);
        g->upscale = axle_opt_bool(job, "upscale");
        g->crop = crop;
        if (crop != AXLE_CROP_NONE && g->mode == AXLE_FIT_EXACT)
            return axle_error(job, AXLE_EINVAL,
                              "option 'crop: %s' with the exact size %ux%u! (%s): an exact "
                              "size keeps no aspect, so there is nothing to crop; drop "
                              "the '!' or the crop", axle_opt_string(job, "crop"),
                              g->width, g->height,
                              i ? axle_opt_string_at(job, "sizes", i - 1) : "size");
    }
    return AXLE_OK;
}

/* Limits before any work.  Without upscale a thumbnail is never larger
 * than its image, which max_pixels bounds; with it, the box is the bound,
 * so a box over max_pixels could ask for any amount of memory.  (A box
 * with a free side is checked per image.) */
static int
check_limits(axle_job *job, const struct slice *s)
{
    uint64_t max = (uint64_t)axle_opt_int(job, "max_pixels");
    for (size_t i = 0; i < s->nsizes; i++) {
        uint64_t w = s->sizes[i].width, h = s->sizes[i].height;
        bool bounded = !s->sizes[i].upscale && s->sizes[i].mode == AXLE_FIT_INSIDE;
        if (!bounded && max && w * h > max)
            return axle_error(job, AXLE_ETOOBIG,
                              "option '%s' [%llu, %llu] %s makes thumbnails of up to %llu "
                              "pixels, over 'max_pixels' (%llu): lower size or raise "
                              "max_pixels", i ? axle_opt_string_at(job, "sizes", i - 1)
                              : "size", (unsigned long long)w, (unsigned long long)h,
                              s->sizes[i].upscale ? "with 'upscale: true'" : "(exact)",
                              (unsigned long long)(w * h), (unsigned long long)max);
    }
    return AXLE_OK;
}

/* Everything the options say, read and checked; the same in every stage. */
static int
read_options(axle_job *job, struct slice *s)
{
    memset(s, 0, sizeof *s);
    s->job = job;
    int rc = read_sizes(job, s);
    if (rc == AXLE_OK)
        rc = check_limits(job, s);
    s->max_pixels = (uint64_t)axle_opt_int(job, "max_pixels");
    s->sharpen = axle_opt_bool(job, "sharpen");
    s->flatten = axle_opt_colour(job, "background", s->background) == AXLE_OK;
    s->flags = thumb_colour_flags(job);
    if (axle_opt_enum(job, "quality") == 1) /* high|fast */
        s->flags |= AXLE_DECODE_FAST;
    if (rc == AXLE_OK)
        rc = thumb_store_read(job, &s->store);
    for (size_t i = 0; i < s->nsizes && rc == AXLE_OK; i++)
        rc = thumb_store_check_size(job, &s->store, &s->sizes[i],
                                    i ? axle_opt_string_at(job, "sizes", i - 1) : "size");
    return rc;
}

/* Built on an earlier job: its counts, less the rows the new link
 * replaced or removed, into JOBDIR/carried.json for synthesis.  Only when
 * that is exact (every earlier row made a thumbnail with one decode, no
 * colour conversions to subtract): else the job is built cold. */
static int
plan_chain(axle_job *job)
{
    const char *base = axle_chain_base(job);
    if (!base)
        return AXLE_OK;
    char path[4096];
    snprintf(path, sizeof path, "%s/result.json", base);
    json_t *r = json_load_file(path, 0, NULL);
    json_int_t made = json_integer_value(json_object_get(r, "thumbnails"));
    bool exact = json_integer_value(json_object_get(r, "skipped")) == 0 &&
                 json_integer_value(json_object_get(r, "decodes")) == made &&
                 !json_object_get(r, "converted") && !json_object_get(r, "kept") &&
                 !json_object_get(r, "unconverted");
    json_decref(r);
    axle_dataset **l;
    size_t n;
    int64_t live = 0, dropped = 0;
    int rc = axle_input_links(job, "source", &l, &n);
    if (rc != AXLE_OK)
        return rc;
    if (n != 1)
        return axle_chain_cold(job, "more than one source link is new");
    if ((rc = axle_chain_counts(job, "source", &live, &dropped)) != AXLE_OK)
        return rc;
    if (!exact || live != made)
        return axle_chain_cold(job, "its counts cannot be carried over exactly");
    /* beside the outputs, not one of them */
    snprintf(path, sizeof path, "%s/" CARRIED, axle_job_dir(job));
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "{\"thumbnails\": %lld}\n", (long long)(made - dropped)) < 0 ||
        fclose(f) != 0)
        return axle_error(job, AXLE_EIO, "%s: cannot write it", path);
    return AXLE_OK;
}

int
prepare(axle_job *job)
{
    struct slice s;
    int rc = read_options(job, &s);
    if (rc != AXLE_OK)
        return rc;
    axle_dataset *src = axle_input_column(job, "source", axle_opt_string(job, "column"),
                                          AXLE_IMAGE);
    if (!src)
        return AXLE_EINVAL; /* the SDK has set the message */
    if ((rc = plan_chain(job)) != AXLE_OK ||
        (rc = axle_input_links(job, "source", &links, &nlinks)) != AXLE_OK)
        return rc;
    writers = calloc(nlinks, sizeof *writers);
    if (!writers)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    for (size_t k = 0; k < nlinks; k++) {
        char name[32] = "default";
        if (k + 1 < nlinks)
            snprintf(name, sizeof name, "link-%zu", k + 1);
        out = k ? axle_writer_new_after(job, name, links[k], writers[k - 1])
                : axle_writer_new(job, name, links[k], axle_chain_base_dataset(job, "default"));
        if (!(writers[k] = out))
            return AXLE_EINTERNAL; /* the SDK has set the message */
        for (size_t i = 0; i < s.nsizes; i++) {
            const char *cname = i ? axle_opt_string_at(job, "sizes", i - 1)
                                  : axle_opt_string(job, "output");
            out_cols[i] = axle_writer_add(out, cname, AXLE_IMAGE);
            if (out_cols[i] < 0)
                return out_cols[i]; /* the SDK has set the message */
        }
    }
    return AXLE_OK;
}

/* A row whose thumbnails cannot be made: nulls, or the end of the job. */
static int
bad_row(struct slice *s, const char *name, int code, const char *why)
{
    s->skipped++; /* counted only when the job goes on */
    return axle_item_failed(s->job, out, name, axle_error(s->job, code, "%s", why));
}

/* The steps after the resize that the options ask for. */
static int
finish(const struct slice *s, axle_pixels *px)
{
    int rc = s->sharpen ? axle_pixels_sharpen(px) : AXLE_OK;
    if (rc == AXLE_OK && s->flatten)
        rc = axle_pixels_flatten(px, s->background);
    return rc;
}

/* One row of the output: thumbnails, nulls, or the end of the job. */
static int
one_row(struct slice *s, axle_cursor *images, axle_cursor *names)
{
    char name[1024] = "(unnamed)", err[512] = "";
    if (names && !axle_cursor_is_null(names)) {
        size_t len;
        const char *p = axle_cursor_bytes(names, &len);
        snprintf(name, sizeof name, "%.*s", (int)len, p);
    }
    if (axle_cursor_is_null(images))
        return axle_writer_null_row(out); /* skipped upstream already */
    axle_image img;
    int rc = axle_cursor_image(images, &img);
    if (rc != AXLE_OK) /* a photo changed since its import fails the job */
        return bad_row(s, name, rc, axle_cursor_error(images)[0] ? axle_cursor_error(images)
                                                                 : "unreadable image cell");
    axle_pixels px[MAX_OUTPUTS];
    rc = axle_images_to_sizes(&img, s->sizes, s->nsizes, s->max_pixels, s->flags, px, err,
                              sizeof err);
    if (rc != AXLE_OK)
        return bad_row(s, name, rc, err);
    rc = thumb_store_fits(&s->store, px, s->nsizes, err, sizeof err);
    if (rc != AXLE_OK) { /* too big for the store's format: this photo's failure */
        for (size_t i = 0; i < s->nsizes; i++)
            axle_pixels_free(&px[i]);
        return bad_row(s, name, rc, err);
    }
    thumb_colour_note(s->job, &img, name); /* once per image, whatever its sizes */
    size_t icclen = 0;
    void *icc = thumb_colour_profile(s->job, &img, px[0].channels, &icclen);
    for (size_t i = 0; i < s->nsizes && rc == AXLE_OK; i++) {
        rc = finish(s, &px[i]);
        if (rc != AXLE_OK)
            rc = axle_error(s->job, rc, "%s: out of memory finishing a thumbnail", name);
        else
            rc = thumb_store_put(s->job, &s->store, out, out_cols[i], &px[i], name, icc,
                                 icclen);
    }
    free(icc);
    for (size_t i = 0; i < s->nsizes; i++)
        axle_pixels_free(&px[i]);
    if (rc == AXLE_OK)
        rc = axle_writer_end_row(out);
    s->made += rc == AXLE_OK;
    return rc;
}

/* The rows of one link's slice; a row a newer link replaced or removed
 * (live[i] false) gets a null row, no work. */
static int
run_slice(struct slice *s, axle_cursor *images, axle_cursor *names, uint64_t total,
          const bool *live)
{
    uint64_t done = 0;
    int rc = AXLE_OK, more;
    while ((more = axle_cursor_next(images)) == 1) {
        if (names && axle_cursor_next(names) != 1)
            return axle_error(s->job, AXLE_EFORMAT, "filename column ends early");
        rc = done < total && !live[done] ? axle_writer_null_row(out)
                                         : one_row(s, images, names);
        if (rc != AXLE_OK)
            return rc;
        axle_progress(s->job, ++done, total);
    }
    if (more < 0)
        return axle_error(s->job, AXLE_EIO, "%s", axle_cursor_error(images));
    return AXLE_OK;
}

/* This slice of source link k into writers[k]. */
static int
thumb_link(struct slice *s, size_t k, int sliceno)
{
    char err[512];
    axle_dataset *src = links[k];
    out = writers[k];
    axle_cursor *images = axle_cursor_open(src, axle_opt_string(s->job, "column"),
                                           sliceno, err, sizeof err);
    if (!images)
        return axle_error(s->job, AXLE_EIO, "%s", err);
    /* File names only for messages; a source without them works too. */
    axle_cursor *names = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", sliceno, err, sizeof err) : NULL;
    bool *live = NULL;
    int64_t n = 0;
    int rc = axle_link_live(s->job, "source", k, sliceno, &live, &n);
    if (rc == AXLE_OK)
        rc = run_slice(s, images, names, (uint64_t)n, live);
    free(live);
    axle_cursor_close(images);
    axle_cursor_close(names);
    return rc;
}

int
analysis(axle_job *job, int sliceno)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    if (!src)
        return axle_error(job, AXLE_EINVAL, "no source dataset: %s", axle_errmsg(job));
    struct slice s;
    int rc = read_options(job, &s);
    if (rc != AXLE_OK)
        return rc;
    uint64_t before = axle_image_decode_count();
    for (size_t k = 0; k < nlinks && rc == AXLE_OK; k++)
        rc = thumb_link(&s, k, sliceno);
    s.decodes = axle_image_decode_count() - before; /* what libaxle really decoded */
    if (rc == AXLE_OK) {
        char text[96];
        int len = snprintf(text, sizeof text, "%llu %llu %llu", s.made, s.skipped,
                           s.decodes);
        rc = axle_set_slice_result(job, text, (size_t)len);
    }
    if (rc == AXLE_OK)
        rc = thumb_colour_save(job);
    return rc;
}

int
synthesis(axle_job *job)
{
    unsigned long long made = 0, skipped = 0, decodes = 0;
    for (int i = 0; i < axle_slices(job); i++) {
        size_t len;
        const char *r = axle_slice_result(job, i, &len);
        char text[96];
        unsigned long long m, k, d;
        if (!r || len >= sizeof text)
            continue; /* a slice that set nothing had no rows */
        memcpy(text, r, len);
        text[len] = '\0';
        if (sscanf(text, "%llu %llu %llu", &m, &k, &d) == 3) {
            made += m;
            skipped += k;
            decodes += d;
        }
    }
    /* built on an earlier job: its thumbnails still live count too, each
     * made with one decode (plan_chain) */
    char path[4096];
    snprintf(path, sizeof path, "%s/" CARRIED, axle_job_dir(job));
    json_t *carried = json_load_file(path, 0, NULL);
    json_int_t earlier = json_integer_value(json_object_get(carried, "thumbnails"));
    json_decref(carried);
    axle_json *j = axle_json_new();
    axle_json_int(j, "thumbnails", (int64_t)made + earlier);
    axle_json_int(j, "skipped", (int64_t)skipped);
    axle_json_int(j, "decodes", (int64_t)decodes + earlier);
    thumb_colour_result(job, j); /* {"converted": {"Adobe RGB (1998)": 12}} */
    return axle_json_set_result(job, j);
}
