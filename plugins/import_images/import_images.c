/* import_images.c - files, folders and globs to a dataset of images.
 *
 * prepare takes the sorted list of input files with their size and time
 * as the core found them for the job's identity (axle_file_facts_open),
 * or, when the core has none to hand over, expands `files` itself (the
 * SDK's axle_expand_paths_report, the expansion the core hashes) and stats
 * each; writes it to inputs.txt and passes it to the slices as the
 * prepare result.  What the walk could not list (an unreadable
 * folder, a FIFO named like a photo, a name that is not UTF-8) is listed
 * as skipped there.  Slicing: slice s of N takes a contiguous range of
 * the sorted list, the ranges cut at about equal bytes (import_list.c),
 * so reading the dataset slice by slice gives the files in sorted order,
 * and the same inputs always give the same slices.
 *
 * Each slice reads its files (import_read.c: regular files only, a bounded
 * header first) and records each image in the `image` column by
 * reference: its absolute path, size and modification time (ns), which
 * is what the core hashed into the job's identity, and what readers check
 * before using the file (axle_put_image_ref).  Inode and ctime are left
 * out: a photo copied back in place with `cp -p` is the same photo.  With
 * `copy: true` the whole file is read and its bytes stored as they are,
 * so the dataset does not need the originals.  Only headers are parsed
 * (axle_image_probe), never the pixels.  Files are read with read(2), not
 * mapped: a file truncated while mapped would kill the slice with SIGBUS.
 * A file that is not a usable image gets no row: it is skipped with its
 * reason (or fails the job with on_error: fail); a skip the environment
 * caused (permission denied, an I/O error) is marked transient, so the
 * job is not reused and the next run tries the file again.
 *
 * Incremental (import_chain.c): built on an earlier import of the same
 * options, only the files added or changed since are read, into a link
 * chained to that import's dataset, and the removed ones are recorded by
 * name; `filename` is the chain's key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"
#include "import_chain.h"
#include "import_list.h"
#include "import_meta.h"
#include "import_read.h"

static const axle_option options[] = {
    AXLE_OPTION_PATHS("files", NULL, "files, folders or globs (*, ?, **) to import"),
    AXLE_OPTION_BOOL("recursive", "true", "walk into subfolders of the folders given"),
    AXLE_OPTION_ON_ERROR("skip"), /* a file that is not a usable image: no row */
    AXLE_OPTION_INT("max_pixels", "200000000", 1, 1e12,
                    "refuse images with more pixels (decompression bombs)"),
    AXLE_OPTION_BOOL("copy", "false",
                     "store each file's bytes in the dataset (else a reference: path, "
                     "size, mtime; readers check the photo is unchanged)"),
    AXLE_OPTION_END};

AXLE_METHOD(import_images, "1.2",
            "image files to a dataset: image, shape, orientation, filename, size, format, "
            "photo metadata (taken, camera, lens, exposure, GPS, profile)",
            options, NULL);
AXLE_ROW_WISE; /* a row per file: an import can build on the last one */

enum { C_IMAGE, C_SHAPE, C_ORIENTATION, C_FILENAME, C_SIZE, C_FORMAT, NCOLS };

static const struct {
    const char *name;
    axle_type type;
} columns[NCOLS] = {
    {"image", AXLE_IMAGE},       {"shape", AXLE_JSON},    {"orientation", AXLE_INT64},
    {"filename", AXLE_STRING},   {"size", AXLE_INT64},    {"format", AXLE_STRING},
};

/* Made in prepare, inherited by every slice through fork. */
static axle_writer *out;

/* What one slice keeps between files. */
struct slice {
    axle_job *job;
    uint64_t max_pixels;
    bool copy;
    struct import_buf buf;
    unsigned long long rows, skipped, bytes;
};

/* This run's files as a sorted source: the core's facts when it handed
 * them over (no second walk, no second stat), else the import's own
 * expansion, each file stat'ed once.  *folder: the folder names are
 * relative to (malloc'd).  AXLE_OK or an error with the job's message. */
static int
list_files(axle_job *job, struct import_source *src, struct import_list *l, char **folder)
{
    memset(l, 0, sizeof *l);
    *src = (struct import_source){axle_file_facts_open(job, "files"), l, 0};
    *folder = NULL;
    size_t count = 0;
    if (src->facts && (*folder = import_facts_folder(src->facts, &count)) != NULL)
        return AXLE_OK;
    if (src->facts) { /* damaged (an error), or none after all: walk */
        int rc = axle_file_facts_close(src->facts);
        src->facts = NULL;
        if (rc != AXLE_OK)
            return rc;
    }
    int rc = import_list_expand(job, l);
    if (rc == AXLE_OK && import_list_stamp_all(l) != AXLE_OK)
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    if (rc == AXLE_OK && !(*folder = strdup(l->base)))
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    return rc;
}

/* What the slices read: the delta of a build on a base, else every file
 * (then inputs.txt is written here), cut at equal bytes, as the prepare
 * result. */
static int
hand_to_slices(axle_job *job, struct import_source *src, struct import_list *l,
               const char *folder, struct import_chain *chain, bool chained)
{
    int rc = AXLE_OK;
    if (!chained && src->facts)
        rc = import_list_from_facts(job, src->facts, folder, l);
    if (rc == AXLE_OK && !chained)
        rc = import_list_save_text(job, l);
    struct import_list *todo = chained ? &chain->delta : l;
    void *blob = NULL;
    size_t len = 0;
    if (rc == AXLE_OK && import_list_balance(todo, (size_t)axle_slices(job)) != AXLE_OK)
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    if (rc == AXLE_OK && import_list_encode(todo, &blob, &len) != AXLE_OK)
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    if (rc == AXLE_OK)
        rc = axle_set_prepare_result(job, blob, len);
    free(blob);
    return rc;
}

int
prepare(axle_job *job)
{
    struct import_list l;
    struct import_source src;
    char *folder;
    int rc = list_files(job, &src, &l, &folder);
    struct import_chain chain = {0};
    if (rc == AXLE_OK)
        rc = import_chain_plan(job, &src, folder, &chain);
    bool chained = rc == AXLE_OK && axle_chain_base(job);
    if (rc == AXLE_OK)
        rc = hand_to_slices(job, &src, &l, folder, &chain, chained);
    /* facts damaged on the way: nothing built from them may stand */
    int closed = axle_file_facts_close(src.facts);
    rc = rc == AXLE_OK ? closed : rc;
    import_list_free(&l);
    free(folder);
    if (rc == AXLE_OK &&
        !(out = axle_writer_new(job, "default", NULL,
                                chained ? axle_chain_base_dataset(job, "default") : NULL)))
        rc = AXLE_EINTERNAL; /* the SDK has set the message */
    for (int c = 0; c < NCOLS && rc == AXLE_OK; c++)
        if ((rc = axle_writer_add(out, columns[c].name, columns[c].type)) > 0)
            rc = AXLE_OK;
    if (rc == AXLE_OK)
        rc = import_meta_add_columns(out); /* from column NCOLS on */
    if (rc == AXLE_OK)
        rc = axle_writer_key(out, "filename");
    if (rc == AXLE_OK && chained)
        rc = import_chain_record(job, out, &chain);
    import_chain_free(&chain);
    return rc;
}

static int
put_row(struct slice *s, const char *path, const axle_image *img,
        const struct import_stat *st, const char *name, const axle_photo_meta *meta)
{
    char shape[64];
    snprintf(shape, sizeof shape, "[%u, %u]", img->width, img->height);
    const char *format = axle_codec_name(img->codec);
    size_t len = s->copy ? img->size : (size_t)st->size;
    int rc = s->copy ? axle_put_image(out, C_IMAGE, img)
                     : axle_put_image_ref(out, C_IMAGE, img, path, st->size, st->mtime_ns);
    if (rc != AXLE_OK ||
        (rc = axle_put_json(out, C_SHAPE, shape)) != AXLE_OK ||
        (rc = axle_put_int64(out, C_ORIENTATION, img->orientation)) != AXLE_OK ||
        (rc = axle_put_string(out, C_FILENAME, name, strlen(name))) != AXLE_OK ||
        (rc = axle_put_int64(out, C_SIZE, (int64_t)len)) != AXLE_OK ||
        (rc = axle_put_string(out, C_FORMAT, format, strlen(format))) != AXLE_OK ||
        (rc = import_meta_put(out, NCOLS, meta)) != AXLE_OK)
        return rc;
    return axle_writer_end_row(out);
}

/* One file: a row, a skip, or (on_error: fail) the job's end. */
static int
one_file(struct slice *s, const char *path, const char *name)
{
    axle_image img;
    struct import_stat st;
    struct import_failure why;
    axle_photo_meta meta;
    int rc = import_read_photo(&s->buf, path, s->max_pixels, s->copy, &img, &st, &meta, &why);
    if (rc != AXLE_OK) {
        s->skipped++; /* counted only when the job goes on */
        rc = axle_error(s->job, rc, "%s", why.reason);
        return why.transient ? axle_item_failed_transient(s->job, NULL, path, rc)
                             : axle_item_failed(s->job, NULL, path, rc);
    }
    rc = put_row(s, path, &img, &st, name, &meta);
    s->rows += rc == AXLE_OK;
    s->bytes += s->copy ? img.size : st.size;
    return rc;
}

int
analysis(axle_job *job, int sliceno)
{
    size_t len;
    const void *blob = axle_prepare_result(job, &len);
    struct import_list l;
    if (import_list_decode(blob, len, &l) != AXLE_OK)
        return axle_error(job, AXLE_EFORMAT, "the file list from prepare is unreadable");
    struct slice s = {job, (uint64_t)axle_opt_int(job, "max_pixels"),
                      axle_opt_bool(job, "copy"), {NULL, 0, 0}, 0, 0, 0};
    size_t n = (size_t)axle_slices(job);
    size_t first, end;
    import_list_slice(&l, (size_t)sliceno, n, &first, &end);
    int rc = AXLE_OK;
    for (size_t i = first; i < end && rc == AXLE_OK; i++) {
        rc = one_file(&s, l.paths[i], import_list_relname(&l, i));
        axle_progress(job, i - first + 1, end - first);
    }
    import_buf_free(&s.buf);
    import_list_free(&l);
    /* Summed over the slices for synthesis (axle_slice_results_merged). */
    if (rc == AXLE_OK)
        rc = axle_result_add_int(job, "images", (int64_t)s.rows);
    if (rc == AXLE_OK)
        rc = axle_result_add_int(job, "skipped", (int64_t)s.skipped);
    if (rc == AXLE_OK)
        rc = axle_result_add_int(job, "bytes", (int64_t)s.bytes);
    return rc;
}

int
synthesis(axle_job *job)
{
    const axle_results *m = axle_slice_results_merged(job);
    if (!m)
        return AXLE_EFORMAT; /* the SDK has set the message */
    int64_t walk_skipped = 0; /* what prepare's walk left out */
    size_t plen;
    const void *blob = axle_prepare_result(job, &plen);
    struct import_list l;
    if (import_list_decode(blob, plen, &l) == AXLE_OK)
        walk_skipped = (int64_t)l.skipped;
    import_list_free(&l);
    /* built on an earlier import: its files still live count too */
    int64_t images = 0, bytes = 0;
    import_chain_carried(job, &images, &bytes);
    axle_json *j = axle_json_new();
    axle_json_int(j, "images", images + axle_results_int(m, "images"));
    axle_json_int(j, "skipped", axle_results_int(m, "skipped") + walk_skipped);
    axle_json_int(j, "bytes", bytes + axle_results_int(m, "bytes"));
    return axle_json_set_result(job, j);
}
