/* thumbnailer.c - the method: an image column in, a thumbnail column out.
 *
 * Writes dataset "default" whose parent is the source, so the source's
 * columns (filename, shape, ...) are linked, not copied, and one new image
 * column (`output`, "thumb" by default) is added, row for row: each
 * thumbnail encoded within 45 dB of its pixels (store_image), or raw
 * pixels with `store: raw`.
 * Each slice thumbnails its own slice of the source.  An image that cannot
 * be decoded gets a null thumbnail and an entry in the skipped list, or
 * fails the job with `on_error: fail`.
 *
 * The work per row is one SDK call, axle_image_to_size: shrink-on-load
 * decode, Lanczos3 resize, EXIF orientation.  Memory stays flat however
 * many images a slice has: each row's pixels are freed once written, and
 * the dataset writer streams rows to disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"
#include "thumbnailer_colour.h"

/* The largest thumbnail side: JPEG's maximum (libjpeg's JPEG_MAX_DIMENSION). */
#define THUMB_MAX_SIDE 65500

static const axle_option options[] = {
    /* 65500: the largest JPEG libjpeg writes (WebP's is 16383; export
     * skips an item too big for its format, naming it). */
    AXLE_OPTION_SIZE("size", NULL, 1, THUMB_MAX_SIDE,
                     "fit inside [w, h] (or n for [n, n]), aspect kept as PIL's thumbnail(); "
                     "at most 65500, JPEG's limit"),
    AXLE_OPTION_STRING("column", "image", "image column of the source dataset"),
    AXLE_OPTION_STRING("output", "thumb", "name of the new thumbnail column"),
    AXLE_OPTION_BOOL("upscale", "false", "enlarge images smaller than size"),
    AXLE_OPTION_ON_ERROR("skip"), /* an undecodable image: null thumbnail, or fail */
    AXLE_OPTION_INT("max_pixels", "200000000", 0, 1e12,
                    "refuse images with more pixels, and upscaled sizes too (0: no limit)"),
    AXLE_OPTION_ENUM("colour", "srgb", "srgb|keep",
                     "srgb: convert an embedded ICC profile to sRGB; keep: pixels as stored"),
    AXLE_OPTION_ENUM("store", "encoded", "encoded|raw",
                     "thumbnails in the dataset: encoded (JPEG within 45 dB PSNR, else "
                     "lossless WebP) or raw pixels"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "the dataset with the image column (import_images)"),
    AXLE_INPUT_END};

AXLE_METHOD(thumbnailer, "1.1",
            "thumbnails: shrink-on-load decode, Lanczos3 resize, EXIF orientation",
            options, inputs);

/* Made in prepare, inherited by every slice through fork. */
static axle_writer *out;
static int out_col;

struct slice {
    axle_job *job;
    axle_geometry size; /* the box, aspect kept, as PIL's thumbnail() */
    uint64_t max_pixels;
    unsigned flags; /* AXLE_TO_SRGB for colour: srgb */
    bool raw;           /* store: raw */
    unsigned long long made, skipped;
};

/* Limits before any work.  Without upscale a thumbnail is never larger
 * than its image, which max_pixels bounds; with it, the box is the bound,
 * so a box over max_pixels could ask for any amount of memory. */
static int
check_limits(axle_job *job)
{
    uint64_t w = (uint64_t)axle_opt_int_at(job, "size", 0);
    uint64_t h = (uint64_t)axle_opt_int_at(job, "size", 1);
    uint64_t max = (uint64_t)axle_opt_int(job, "max_pixels");
    if (axle_opt_bool(job, "upscale") && max && w * h > max)
        return axle_error(job, AXLE_ETOOBIG,
                          "option 'size' [%llu, %llu] with 'upscale: true' makes thumbnails "
                          "of up to %llu pixels, over 'max_pixels' (%llu): lower size or "
                          "raise max_pixels",
                          (unsigned long long)w, (unsigned long long)h,
                          (unsigned long long)(w * h), (unsigned long long)max);
    return AXLE_OK;
}

int
prepare(axle_job *job)
{
    int rc = check_limits(job);
    if (rc != AXLE_OK)
        return rc;
    axle_dataset *src = axle_input_column(job, "source", axle_opt_string(job, "column"),
                                          AXLE_IMAGE);
    if (!src)
        return AXLE_EINVAL; /* the SDK has set the message */
    out = axle_writer_new(job, "default", src, NULL);
    if (!out)
        return AXLE_EINTERNAL; /* the SDK has set the message */
    out_col = axle_writer_add(out, axle_opt_string(job, "output"), AXLE_IMAGE);
    return out_col < 0 ? out_col : AXLE_OK;
}

/* A row whose thumbnail cannot be made: null, or the end of the job. */
static int
bad_row(struct slice *s, const char *name, int code, const char *why)
{
    s->skipped++; /* counted only when the job goes on */
    return axle_item_failed(s->job, out, name, axle_error(s->job, code, "%s", why));
}

/* Stores one output image in the current row: encoded small but within
 * AXLE_STORE_MIN_PSNR of its pixels, with the quality it was encoded at
 * (so export can pass it on untouched), or raw pixels. */
static int
store_image(struct slice *s, const axle_pixels *px, const char *name)
{
    if (s->raw) {
        axle_image raw = axle_image_from_pixels(px);
        return axle_put_image(out, out_col, &raw);
    }
    axle_image img;
    int quality;
    void *enc;
    char err[512];
    int rc = axle_image_encode_stored(px, &img, &quality, &enc, err, sizeof err);
    if (rc != AXLE_OK)
        rc = axle_error(s->job, rc, "%s: storing the thumbnail: %s", name, err);
    else
        rc = quality ? axle_put_image_quality(out, out_col, &img, quality)
                     : axle_put_image(out, out_col, &img);
    free(enc);
    return rc;
}

/* One row of the output: a thumbnail, a null, or the end of the job. */
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
    axle_pixels px;
    rc = axle_image_to_size(&img, &s->size, s->max_pixels, s->flags, &px, err, sizeof err);
    if (rc != AXLE_OK)
        return bad_row(s, name, rc, err);
    thumb_colour_note(s->job, &img, name);
    rc = store_image(s, &px, name);
    axle_pixels_free(&px);
    if (rc == AXLE_OK)
        rc = axle_writer_end_row(out);
    s->made += rc == AXLE_OK;
    return rc;
}

static int
run_slice(struct slice *s, axle_cursor *images, axle_cursor *names, uint64_t total)
{
    uint64_t done = 0;
    int rc = AXLE_OK, more;
    while ((more = axle_cursor_next(images)) == 1) {
        if (names && axle_cursor_next(names) != 1)
            return axle_error(s->job, AXLE_EFORMAT, "filename column ends early");
        rc = one_row(s, images, names);
        if (rc != AXLE_OK)
            return rc;
        axle_progress(s->job, ++done, total);
    }
    if (more < 0)
        return axle_error(s->job, AXLE_EIO, "%s", axle_cursor_error(images));
    return AXLE_OK;
}

int
analysis(axle_job *job, int sliceno)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    char err[512];
    if (!src)
        return axle_error(job, AXLE_EINVAL, "no source dataset: %s", axle_errmsg(job));
    axle_cursor *images = axle_cursor_open(src, axle_opt_string(job, "column"),
                                           sliceno, err, sizeof err);
    if (!images)
        return axle_error(job, AXLE_EIO, "%s", err);
    /* File names only for messages; a source without them works too. */
    axle_cursor *names = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", sliceno, err, sizeof err) : NULL;
    struct slice s;
    memset(&s, 0, sizeof s);
    s.job = job;
    s.size.width = (uint32_t)axle_opt_int_at(job, "size", 0);
    s.size.height = (uint32_t)axle_opt_int_at(job, "size", 1);
    s.size.upscale = axle_opt_bool(job, "upscale");
    s.max_pixels = (uint64_t)axle_opt_int(job, "max_pixels");
    s.flags = thumb_colour_flags(job);
    s.raw = axle_opt_enum(job, "store") == 1;
    int rc = run_slice(&s, images, names, (uint64_t)axle_dataset_rows(src, sliceno));
    axle_cursor_close(images);
    axle_cursor_close(names);
    if (rc == AXLE_OK) {
        char text[64];
        int len = snprintf(text, sizeof text, "%llu %llu", s.made, s.skipped);
        rc = axle_set_slice_result(job, text, (size_t)len);
    }
    if (rc == AXLE_OK)
        rc = thumb_colour_save(job);
    return rc;
}

int
synthesis(axle_job *job)
{
    unsigned long long made = 0, skipped = 0;
    for (int i = 0; i < axle_slices(job); i++) {
        size_t len;
        const char *r = axle_slice_result(job, i, &len);
        char text[64];
        unsigned long long m, k;
        if (!r || len >= sizeof text)
            continue; /* a slice that set nothing had no rows */
        memcpy(text, r, len);
        text[len] = '\0';
        if (sscanf(text, "%llu %llu", &m, &k) == 2) {
            made += m;
            skipped += k;
        }
    }
    axle_json *j = axle_json_new();
    axle_json_int(j, "thumbnails", (int64_t)made);
    axle_json_int(j, "skipped", (int64_t)skipped);
    thumb_colour_result(job, j); /* {"converted": {"Adobe RGB (1998)": 12}} */
    return axle_json_set_result(job, j);
}
