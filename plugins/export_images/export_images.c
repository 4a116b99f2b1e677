/* export_images.c - an image column to JPEG, WebP, PNG or AVIF files.
 *
 * Files go to JOBDIR/output/, named after the source's `filename` column
 * with the extension replaced (subfolders kept), or as the `name`
 * template says (export_template.c); prepare decides every
 * name from the whole list (export_names.c) so slices never race for a
 * name.  Each slice encodes and writes its own rows, each file written
 * atomically and registered with the job (axle_write_file).  Null rows
 * (images skipped upstream) are left out.
 * Raw pixel cells are encoded as they are; encoded cells (the
 * thumbnailer's, the import's own `image` column) are decoded at full size
 * with their EXIF orientation applied, since the new file has no EXIF.
 * A cell already in the format asked for, encoded at the quality asked
 * for (axle_cursor_image_quality) and upright, is passed on untouched:
 * its coded data as stored, only the provenance XMP added; not when the
 * options ask for other scans or chroma, or metadata: keep
 * (export_format_passes).  A thumbnailer storing `store: FORMAT` with
 * export's options makes every cell such a one: one encode per
 * thumbnail.  The format's options, the colour profile and EXIF each file
 * carries are export_format.c's.
 *
 * Provenance: every file carries the job's id and identity and its source
 * file's name in its own XMP (axle_image_encode_provenance), and the job's
 * dataset, linked to the source, records per row the file written and its
 * image digest (axle_image_digest: the coded data without metadata), so
 * that `axle which` finds the job of a copy whose metadata was stripped.
 *
 * With option `dest`, the files go to that folder instead, kept as a
 * mirror of the source tree (export_dest.c).
 *
 * Row-wise (export_chain.c): built on the step's earlier export, only the
 * source's new link is exported and the job's dataset chains to the
 * earlier one's.  A cold export of a source of several links exports the
 * chain's live rows into a dataset of its own (filename, file,
 * image_sha256) rather than one linked to a parent. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "axle/axle.h"
#include "export_chain.h"
#include "export_dest.h"
#include "export_format.h"
#include "export_names.h"
#include "export_template.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("column", "thumb", "image column of the source dataset"),
    EXPORT_FORMAT_OPTIONS,
    AXLE_OPTION_OUTPUT_DIR("dest", "null",
                           "a folder kept as a mirror of the source tree (default: "
                           "the job folder)"),
    AXLE_OPTION_TEMPLATE("name", "null", EXPORT_TEMPLATE_FIELDS,
                         "file names, as \"{dir}/{stem}-{column}.{ext}\" (default: the "
                         "source's, extension replaced)"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", true, "the dataset with the image column (thumbnailer)"),
    AXLE_INPUT_END};

AXLE_METHOD(export_images, "1.3",
            "an image column to JPEG, WebP, PNG or AVIF files in the job folder",
            options, inputs);
AXLE_ROW_WISE;

#define OUTDIR "output"

/* The provenance dataset, made in prepare and inherited by the slices:
 * the source's rows plus the file each one became. */
static axle_writer *out;
static int file_col, digest_col;
/* The source links this job exports (the new one, or every one), and
 * whether it reads a whole chain's live rows (live_mode: a dataset of its
 * own, with the source's names in name_col). */
static axle_dataset **links;
static size_t nlinks;
static bool live_mode;
static int name_col = -1;
/* The format and its options, read in prepare, inherited by the slices. */
static struct export_format fmt;

/* The source's file names, every slice in order ("row-N" without any). */
static int
source_names(axle_job *job, axle_dataset *src, char ***names, size_t *n)
{
    *n = (size_t)axle_dataset_rows(src, -1);
    *names = calloc(*n ? *n : 1, sizeof **names);
    if (!*names)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    char err[512];
    axle_cursor *c = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", -1, err, sizeof err) : NULL;
    for (size_t i = 0; i < *n; i++) {
        size_t len = 0;
        const char *s = NULL;
        if (c && axle_cursor_next(c) == 1 && !axle_cursor_is_null(c))
            s = axle_cursor_bytes(c, &len);
        char row[32];
        snprintf(row, sizeof row, "row-%zu", i + 1);
        (*names)[i] = s && len ? strndup(s, len) : strdup(row);
        if (!(*names)[i]) {
            axle_cursor_close(c);
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        }
    }
    axle_cursor_close(c);
    return AXLE_OK;
}

/* The provenance dataset: linked to the source link (chained to the
 * earlier job's when built on it), or in live_mode a dataset of its own
 * naming each row by the source's key. */
static int
open_provenance(axle_job *job, axle_dataset *src)
{
    out = axle_writer_new(job, "default", live_mode ? NULL : src,
                          live_mode ? NULL : axle_chain_base_dataset(job, "default"));
    if (!out)
        return AXLE_EINTERNAL; /* the SDK has set the message */
    if (live_mode && (name_col = axle_writer_add(out, "filename", AXLE_STRING)) < 0)
        return name_col;
    file_col = axle_writer_add(out, "file", AXLE_STRING);
    digest_col = file_col < 0 ? file_col : axle_writer_add(out, "image_sha256", AXLE_STRING);
    if (digest_col >= 0 && live_mode)
        return axle_writer_key(out, "filename");
    return digest_col < 0 ? digest_col : AXLE_OK;
}

/* The size of the file a cell becomes: encoded cells are turned upright,
 * raw pixels are written as they are. */
void
export_exported_size(const axle_image *img, uint32_t *w, uint32_t *h)
{
    bool turned = img->codec != AXLE_CODEC_RAW && img->orientation >= 5;
    *w = turned ? img->height : img->width;
    *h = turned ? img->width : img->height;
}

/* Each row's exported size from its cell's header (no decode); a null
 * cell is marked as having no image. */
static int
read_sizes(axle_job *job, axle_dataset *src, struct export_row *rows, size_t n)
{
    char err[512];
    axle_cursor *c = axle_cursor_open(src, axle_opt_string(job, "column"), -1, err,
                                      sizeof err);
    if (!c)
        return axle_error(job, AXLE_EIO, "%s", err);
    int rc = AXLE_OK;
    for (size_t i = 0; rc == AXLE_OK && i < n; i++) {
        axle_image img;
        if (axle_cursor_next(c) != 1) {
            rc = axle_error(job, AXLE_EIO, "image column ends early: %s",
                            axle_cursor_error(c));
        } else if (axle_cursor_is_null(c)) {
            rows[i].no_image = true;
        } else if ((rc = axle_cursor_image(c, &img)) != AXLE_OK) {
            rc = axle_error(job, rc == AXLE_EINVAL ? AXLE_EFORMAT : rc, "%s: %s",
                            rows[i].source, axle_cursor_error(c)[0]
                                ? axle_cursor_error(c) : "unreadable image cell");
        } else {
            export_exported_size(&img, &rows[i].w, &rows[i].h);
        }
    }
    axle_cursor_close(c);
    return rc;
}

/* The names the `name` template gives every row, into *blob. */
static int
template_names(axle_job *job, axle_dataset *src, const char *tmpl, char **sources,
               size_t n, const char *ext, size_t max_len, char **blob, size_t *len)
{
    struct export_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return axle_error(job, AXLE_ENOMEM, "out of memory naming %zu files", n);
    for (size_t i = 0; i < n; i++)
        rows[i].source = sources[i];
    int rc = export_template_uses(tmpl, "w") || export_template_uses(tmpl, "h")
        ? read_sizes(job, src, rows, n) : AXLE_OK;
    if (rc == AXLE_OK)
        *blob = export_names_template(tmpl, rows, n, axle_opt_string(job, "column"), ext,
                                      max_len, len);
    free(rows);
    return rc;
}

/* The extension of the format's files (export_format_read first). */
static const char *
extension(const axle_job *job)
{
    (void)job;
    return fmt.ext;
}

/* What PATH_MAX leaves for names below JOBDIR/output/ or dest. */
static size_t
name_room(const axle_job *job)
{
    const char *dest = axle_opt_string(job, "dest");
    size_t used = dest ? strlen(dest) + 2
                       : strlen(axle_job_dir(job)) + strlen("/" OUTDIR "/") + 1;
    return used < PATH_MAX ? PATH_MAX - used : 0;
}

/* Every row's output name (export_names.c) into *blob: what prepare
 * hands to the slices. */
static int
decide_names(axle_job *job, axle_dataset *src, char **blob, size_t *len)
{
    char **names = NULL;
    size_t n = 0;
    int rc = source_names(job, src, &names, &n);
    const char *tmpl = axle_opt_string(job, "name");
    const char *ext = extension(job);
    size_t max_len = name_room(job);
    *blob = NULL;
    if (rc == AXLE_OK && tmpl)
        rc = template_names(job, src, tmpl, names, n, ext, max_len, blob, len);
    else if (rc == AXLE_OK)
        *blob = export_names((const char *const *)names, n, ext, max_len, len);
    if (rc == AXLE_OK && !*blob)
        rc = axle_error(job, AXLE_ENOMEM, "out of memory naming %zu files", n);
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* The `name` template is checked before anything is written. */
static int
check_template(axle_job *job)
{
    const char *tmpl = axle_opt_string(job, "name");
    char err[512];
    if (!tmpl || export_template_check(tmpl, err, sizeof err) == 0)
        return AXLE_OK;
    return axle_error(job, AXLE_EINVAL, "option 'name' is '%s': %s", tmpl, err);
}

int
prepare(axle_job *job)
{
    axle_dataset *src = axle_input_column(job, "source", axle_opt_string(job, "column"),
                                          AXLE_IMAGE);
    if (!src)
        return AXLE_EINVAL; /* the SDK has set the message */
    int rc = check_template(job);
    if (rc == AXLE_OK)
        rc = export_format_read(job, src, &fmt);
    const char *dest = axle_opt_string(job, "dest");
    if (rc == AXLE_OK && dest)
        rc = export_dest_open(job, dest);
    char *blob = NULL;
    size_t len = 0;
    json_t *dropped = NULL;
    if (rc == AXLE_OK)
        rc = export_chain_plan(job, src, extension(job), name_room(job), &dropped);
    if (rc == AXLE_OK)
        rc = axle_input_links(job, "source", &links, &nlinks);
    live_mode = rc == AXLE_OK && nlinks > 1;
    if (rc == AXLE_OK && live_mode)
        rc = export_chain_live_names(job, src, axle_dataset_key(src),
                                     axle_opt_string(job, "column"),
                                     axle_opt_string(job, "name"), extension(job),
                                     name_room(job), &blob, &len);
    else if (rc == AXLE_OK)
        rc = decide_names(job, links[0], &blob, &len);
    if (rc == AXLE_OK)
        rc = axle_set_prepare_result(job, blob, len);
    free(blob);
    if (rc == AXLE_OK)
        rc = open_provenance(job, live_mode ? src : links[0]);
    /* built on the earlier job: its files of the other items stay */
    if (rc == AXLE_OK && dropped && dest)
        export_dest_keep_all_but(json_incref(dropped));
    else if (rc == AXLE_OK && dropped && !axle_prepare_again(job)) /* --mpi: rank 0 did */
        rc = export_chain_take_unchanged(job, OUTDIR, dropped);
    json_decref(dropped);
    return rc;
}

/* The pixels of a cell: a view of raw pixels, or a full decode (oriented)
 * into *own, which the caller frees. */
static int
cell_pixels(const axle_image *img, axle_pixels *view, axle_pixels *own, char *err,
            size_t errlen)
{
    memset(own, 0, sizeof *own);
    if (img->codec == AXLE_CODEC_RAW) {
        view->width = img->width;
        view->height = img->height;
        view->channels = img->channels;
        view->stride = (size_t)img->width * img->channels;
        view->data = (uint8_t *)(uintptr_t)img->data; /* only read */
        return AXLE_OK;
    }
    axle_pixels dec;
    int rc = axle_image_decode(img, 0, 0, 0, &dec, err, errlen);
    if (rc != AXLE_OK)
        return rc;
    rc = axle_pixels_orient(&dec, img->orientation ? img->orientation : 1, own);
    axle_pixels_free(&dec);
    if (rc != AXLE_OK)
        snprintf(err, errlen, "out of memory orienting the image");
    *view = *own;
    return rc;
}

/* The source name of the row being exported (live_mode's name column). */
static const char *row_source;

/* The provenance row of a file written (rel, enc), or of none (NULL). */
static int
record_row(axle_job *job, const char *rel, const void *enc, size_t len)
{
    char hex[AXLE_DIGEST_HEX], err[512];
    int rc = rel ? axle_image_digest(enc, len, hex, err, sizeof err) : AXLE_OK;
    if (rc != AXLE_OK)
        return axle_error(job, rc, "%s: %s", rel, err);
    if (name_col >= 0)
        rc = row_source ? axle_put_string(out, name_col, row_source, strlen(row_source))
                        : axle_put_null(out, name_col);
    if (rc != AXLE_OK)
        return rc;
    rc = rel ? axle_put_string(out, file_col, rel, strlen(rel))
             : axle_put_null(out, file_col);
    if (rc == AXLE_OK)
        rc = rel ? axle_put_string(out, digest_col, hex, strlen(hex))
                 : axle_put_null(out, digest_col);
    return rc == AXLE_OK ? axle_writer_end_row(out) : rc;
}

/* The current source file name, or NULL (no such column, a null cell). */
static char *
source_name(axle_cursor *names)
{
    if (!names || axle_cursor_is_null(names))
        return NULL;
    size_t len;
    const char *s = axle_cursor_bytes(names, &len);
    return s && len ? strndup(s, len) : NULL;
}

/* The EXIF of the row's photo (metadata: keep), read from its headers
 * only: *exif NULL for no such column, a null cell or no EXIF.  A photo
 * that cannot be read (one changed since its import: AXLE_ESTALE) fails
 * the row, as reading it anywhere does; an EXIF block that is not usable
 * is left out with a warning. */
static int
row_exif(axle_job *job, axle_cursor *photos, const char *name, void **exif, size_t *len,
         char *err, size_t errlen)
{
    *exif = NULL;
    *len = 0;
    if (!photos || axle_cursor_is_null(photos))
        return AXLE_OK;
    char why[400];
    int rc = axle_cursor_image_exif(photos, exif, len, why, sizeof why);
    if (rc == AXLE_EFORMAT) {
        axle_log(job, "warning: %s: EXIF not copied: %s", name, why);
        return AXLE_OK;
    }
    if (rc != AXLE_OK)
        snprintf(err, errlen, "reading its photo for the EXIF: %s",
                 why[0] ? why : "unreadable image cell");
    return rc;
}

/* The cell's pixels in the file format, with the metadata it carries. */
static int
encode_row(axle_job *job, const axle_image *img, const axle_pixels *view,
           const void *exif, size_t exif_len, const char *name, const char *source, void **enc,
           size_t *len, char *err, size_t errlen)
{
    axle_encode_options o;
    export_format_row(job, &fmt, img, view->channels, exif, exif_len, name, &o);
    int rc = axle_image_encode_provenance_with(job, view, fmt.codec, &o, source, enc, len,
                                               err, errlen);
    export_format_done(&o);
    return rc;
}

/* One row: `img` (NULL for a null cell) with its recorded quality, from
 * the source file `source` (may be NULL), named as `e` says; `exif` the
 * row's photo's EXIF for metadata: keep (NULL: none). */
static int
export_row(axle_job *job, const axle_image *cell, int quality, const char *source,
           const void *exif, size_t exif_len, const struct export_name *e,
           unsigned long long *files)
{
    row_source = source;
    if (!cell)
        return record_row(job, NULL, NULL, 0); /* skipped upstream: no file */
    if (!e->name) {
        axle_skip(job, e->skip_item, "%s", e->skip_reason);
        return record_row(job, NULL, NULL, 0);
    }
    axle_image img = *cell;
    axle_pixels view, own;
    char err[512], rel[PATH_MAX + sizeof OUTDIR];
    int rc = AXLE_OK;
    bool through = export_format_passes(&fmt, quality, &img);
    memset(&own, 0, sizeof own);
    if (!through)
        rc = cell_pixels(&img, &view, &own, err, sizeof err);
    void *enc = NULL;
    size_t len = 0;
    if (rc == AXLE_OK && through)
        rc = axle_image_add_provenance(job, img.data, img.size, source, &enc, &len, err,
                                       sizeof err);
    else if (rc == AXLE_OK)
        rc = encode_row(job, &img, &view, exif, exif_len, e->name, source, &enc, &len, err,
                        sizeof err);
    axle_pixels_free(&own);
    if (rc != AXLE_OK)
        return axle_error(job, rc, "%s: %s", e->name, err);
    if (export_dest_on()) {
        char *written = NULL; /* NULL: a file of the user's is in the way */
        rc = export_dest_put(job, e->name, enc, len, &written);
        if (rc == AXLE_OK)
            rc = record_row(job, written, enc, len);
        *files += rc == AXLE_OK && written;
        free(written);
        free(enc);
        return rc;
    }
    snprintf(rel, sizeof rel, "%s/%s", OUTDIR, e->name);
    rc = axle_write_file(job, rel, enc, len); /* whole or not at all, registered */
    if (rc == AXLE_OK)
        rc = record_row(job, rel, enc, len);
    free(enc);
    *files += rc == AXLE_OK;
    return rc;
}

/* Global index of this slice's first row. */
static size_t
first_row(axle_dataset *src, int sliceno)
{
    size_t first = 0;
    for (int s = 0; s < sliceno; s++)
        first += (size_t)axle_dataset_rows(src, s);
    return first;
}

/* The cursors' current row. */
static int
export_cursor_row(axle_job *job, axle_cursor *c, axle_cursor *names, axle_cursor *photos,
                  const struct export_name *e, unsigned long long *files)
{
    axle_image img;
    int rc = axle_cursor_is_null(c) ? AXLE_OK : axle_cursor_image(c, &img);
    if (rc != AXLE_OK)
        return axle_error(job, rc == AXLE_EINVAL ? AXLE_EFORMAT : rc, "%s: %s",
                          e->name ? e->name : e->skip_item,
                          axle_cursor_error(c)[0] ? axle_cursor_error(c)
                                                  : "unreadable image cell");
    void *exif = NULL;
    size_t exif_len = 0;
    char err[512];
    const char *label = e->name ? e->name : e->skip_item;
    if (!axle_cursor_is_null(c) &&
        (rc = row_exif(job, photos, label, &exif, &exif_len, err, sizeof err)) != AXLE_OK)
        return axle_error(job, rc, "%s: %s", label, err);
    char *source = source_name(names);
    rc = export_row(job, axle_cursor_is_null(c) ? NULL : &img,
                    axle_cursor_image_quality(c), source, exif, exif_len, e, files);
    free(source);
    free(exif);
    return rc;
}

/* live_mode: this slice's live rows of the whole source chain. */
static int
analysis_live(axle_job *job, axle_dataset *src, int sliceno, const char *blob,
              size_t blen, unsigned long long *files)
{
    uint64_t off;
    size_t head = (size_t)axle_slices(job) * sizeof off;
    if (!blob || blen < head)
        return axle_error(job, AXLE_EINTERNAL, "no names from prepare");
    memcpy(&off, blob + (size_t)sliceno * sizeof off, sizeof off);
    const char *name = blob + off, *end = blob + blen;
    /* the photos too for their EXIF (metadata: keep; prepare checked) */
    const char *cols[] = {axle_opt_string(job, "column"), axle_dataset_key(src),
                          fmt.keep_metadata ? "image" : NULL, NULL};
    axle_rows *r = axle_rows_open_dataset(job, src, sliceno, cols, AXLE_ROWS_CHAIN);
    if (!r)
        return AXLE_EINVAL; /* the SDK has set the message */
    struct export_name e;
    int rc = AXLE_OK, more;
    uint64_t done = 0;
    while (rc == AXLE_OK && (more = axle_rows_next(r)) == 1) {
        axle_image img;
        void *exif = NULL;
        size_t exif_len = 0;
        bool has_photo = fmt.keep_metadata && !axle_rows_is_null(r, 2);
        if (!export_names_next(&name, end, &e))
            rc = axle_error(job, AXLE_EINTERNAL, "more rows than names from prepare");
        else if (!axle_rows_is_null(r, 0) && (rc = axle_rows_image(r, 0, &img)) != AXLE_OK)
            rc = axle_error(job, AXLE_EFORMAT, "%s: %s", axle_rows_label(r),
                            axle_errmsg(job));
        else if (has_photo && (rc = axle_rows_image_exif(r, 2, &exif, &exif_len)) ==
                                  AXLE_EFORMAT) { /* an unusable EXIF block */
            axle_log(job, "warning: %s: EXIF not copied: %s", axle_rows_label(r),
                     axle_errmsg(job));
            rc = AXLE_OK;
        } else if (rc != AXLE_OK)
            rc = axle_error(job, rc, "%s: reading its photo for the EXIF: %s",
                            axle_rows_label(r), axle_errmsg(job));
        if (rc == AXLE_OK)
            rc = export_row(job, axle_rows_is_null(r, 0) ? NULL : &img,
                            axle_rows_image_quality(r, 0), axle_rows_string(r, 1), exif,
                            exif_len, &e, files);
        free(exif);
        axle_progress(job, ++done, (uint64_t)axle_rows_total(r));
    }
    if (rc == AXLE_OK && more < 0)
        rc = more;
    axle_rows_close(r);
    return rc;
}

int
analysis(axle_job *job, int sliceno)
{
    axle_dataset *src = axle_input_dataset(job, "source");
    size_t blen;
    const char *blob = axle_prepare_result(job, &blen);
    char err[512];
    if (!src)
        return axle_error(job, AXLE_EINVAL, "no source dataset: %s", axle_errmsg(job));
    export_format_read(job, NULL, &fmt); /* a slice need not share prepare's memory */
    unsigned long long files = 0;
    int rc = AXLE_OK, more = 0;
    if (live_mode) {
        rc = analysis_live(job, src, sliceno, blob, blen, &files);
        goto done;
    }
    src = links[0]; /* the one link exported */
    /* Walk the names up to this slice's first row. */
    const char *name = blob, *end = blob ? blob + blen : NULL;
    struct export_name e;
    for (size_t skip = first_row(src, sliceno); skip > 0; skip--)
        if (!export_names_next(&name, end, &e))
            return axle_error(job, AXLE_EINTERNAL, "more rows than names from prepare");
    axle_cursor *c = axle_cursor_open(src, axle_opt_string(job, "column"), sliceno,
                                      err, sizeof err);
    if (!c)
        return axle_error(job, AXLE_EIO, "%s", err);
    /* The source names go into each file's XMP (axle:source). */
    axle_cursor *names = axle_dataset_column_type(src, "filename") == AXLE_STRING
        ? axle_cursor_open(src, "filename", sliceno, err, sizeof err) : NULL;
    /* The photos, for their EXIF (metadata: keep; prepare checked the column). */
    axle_cursor *photos = fmt.keep_metadata
        ? axle_cursor_open(src, "image", sliceno, err, sizeof err) : NULL;
    if (fmt.keep_metadata && !photos) {
        axle_cursor_close(c);
        axle_cursor_close(names);
        return axle_error(job, AXLE_EIO, "%s", err);
    }
    uint64_t total = (uint64_t)axle_dataset_rows(src, sliceno), done = 0;
    while (rc == AXLE_OK && (more = axle_cursor_next(c)) == 1) {
        if (!export_names_next(&name, end, &e)) {
            rc = axle_error(job, AXLE_EINTERNAL, "more rows than names from prepare");
            break;
        }
        if (names && axle_cursor_next(names) != 1) {
            rc = axle_error(job, AXLE_EFORMAT, "filename column ends early: %s",
                            axle_cursor_error(names) ? axle_cursor_error(names) : "");
            break;
        }
        if (photos && axle_cursor_next(photos) != 1) {
            rc = axle_error(job, AXLE_EFORMAT, "image column ends early: %s",
                            axle_cursor_error(photos));
            break;
        }
        rc = export_cursor_row(job, c, names, photos, &e, &files);
        axle_progress(job, ++done, total);
    }
    if (rc == AXLE_OK && more < 0)
        rc = axle_error(job, AXLE_EIO, "%s", axle_cursor_error(c));
    axle_cursor_close(c);
    axle_cursor_close(names);
    axle_cursor_close(photos);
done:
    if (rc == AXLE_OK) {
        char text[32];
        int tl = snprintf(text, sizeof text, "%llu", files);
        rc = axle_set_slice_result(job, text, (size_t)tl);
    }
    return rc;
}

/* With dest: removes what removed photos left there, writes its
 * manifest, and says what changed in the result. */
static int
dest_result(axle_job *job, unsigned long long files)
{
    export_dest_counts c;
    int rc = export_dest_finish(job, &c);
    if (rc != AXLE_OK)
        return rc;
    json_t *r = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "files", (json_int_t)files,
                          "folder", export_dest_path(), "format",
                          axle_opt_string(job, "format"), "written", (json_int_t)c.written,
                          "unchanged", (json_int_t)c.unchanged, "removed",
                          (json_int_t)c.removed);
    char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
    json_decref(r);
    rc = text ? axle_set_result_json(job, text)
              : axle_error(job, AXLE_ENOMEM, "out of memory");
    free(text);
    return rc;
}

int
synthesis(axle_job *job)
{
    /* built on an earlier job: its files of the other items count too */
    unsigned long long files = (unsigned long long)export_chain_carried(job);
    for (int i = 0; i < axle_slices(job); i++) {
        size_t len;
        const char *r = axle_slice_result(job, i, &len);
        char text[32];
        if (!r || len >= sizeof text)
            continue;
        memcpy(text, r, len);
        text[len] = '\0';
        files += strtoull(text, NULL, 10);
    }
    if (export_dest_on())
        return dest_result(job, files);
    char json[4200];
    snprintf(json, sizeof json, "{\"files\": %llu, \"folder\": \"%s\", \"format\": \"%s\"}",
             files, OUTDIR, axle_opt_string(job, "format"));
    return axle_set_result_json(job, json);
}
