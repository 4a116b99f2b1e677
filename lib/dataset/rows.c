/* rows.c - axle_rows: several columns of a dataset read row by row.
 *
 * One cursor per column (dataset_cursor.c checks every cell), stepped
 * together; strings are copied into a buffer per column to end them with
 * a NUL; the row's label comes from the `filename` column when the
 * dataset has one.  With AXLE_ROWS_CHAIN the datasets of a `previous`
 * chain are walked oldest first, each with its own cursors, and only the
 * chain's live rows are returned: a row that a newer link replaced or
 * removed is passed over (dataset_chain.c says which are live).
 *
 * A getter cannot return an error, so misuse (a getter of another type,
 * an index out of range) is noted and the next axle_rows_next fails with
 * it: a method never goes on with zeros it did not ask for. */
#include "axle_internal.h"
#include "dataset_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text_buf {
    char *s;
    size_t cap;
    bool valid; /* holds the current row's cell */
};

struct axle_rows {
    axle_job *job;
    int sliceno;
    int ncols;
    char **names;          /* the columns asked for */
    axle_dataset **chain;  /* oldest first; the last is the one opened */
    int nchain, link;      /* datasets in the chain, the one being read */
    axle_cursor **cur;     /* per column, of chain[link] */
    axle_type *types;      /* per column, in chain[link] */
    axle_cursor *name_cur; /* `filename` when not asked for, or NULL */
    ds_live *live;         /* a chain's live keys, or NULL: every row */
    axle_cursor *key_cur;  /* the key column of chain[link], with `live` */
    int name_col;          /* index of `filename` among the columns, or -1 */
    struct text_buf *text; /* per column: the cell with a NUL */
    struct text_buf label;
    int slice;             /* of the current row */
    int64_t index;         /* in its slice */
    int64_t done, total;
    char misuse[512];
};

static void
close_cursors(axle_rows *r)
{
    for (int i = 0; i < r->ncols; i++) {
        axle_cursor_close(r->cur[i]);
        r->cur[i] = NULL;
    }
    axle_cursor_close(r->name_cur);
    r->name_cur = NULL;
    axle_cursor_close(r->key_cur);
    r->key_cur = NULL;
}

void
axle_rows_close(axle_rows *r)
{
    if (!r)
        return;
    if (r->cur)
        close_cursors(r);
    for (int i = 0; r->names && i < r->ncols; i++)
        free(r->names[i]);
    for (int i = 0; r->text && i < r->ncols; i++)
        free(r->text[i].s);
    free(r->names);
    free(r->text);
    free(r->cur);
    free(r->types);
    free(r->chain);
    ds_live_free(r->live);
    free(r->label.s);
    free(r);
}

/* Opens the cursors of chain[link]; the message is set on failure. */
static int
open_link(axle_rows *r, int link)
{
    axle_dataset *ds = r->chain[link];
    char err[4400];
    close_cursors(r);
    r->link = link;
    r->index = -1;
    r->slice = -1;
    for (int i = 0; i < r->ncols; i++) {
        r->cur[i] = axle_cursor_open(ds, r->names[i], r->sliceno, err, sizeof err);
        if (!r->cur[i])
            return axle_error(r->job, AXLE_EINVAL, "%s", err);
        r->types[i] = axle_dataset_column_type(ds, r->names[i]);
    }
    if (r->live && !(r->key_cur = axle_cursor_open(ds, axle_dataset_key(ds), r->sliceno,
                                                   err, sizeof err)))
        return axle_error(r->job, AXLE_EINVAL, "%s", err);
    r->name_col = -1;
    if (axle_dataset_column_type(ds, "filename") != AXLE_STRING)
        return AXLE_OK;
    for (int i = 0; i < r->ncols && r->name_col < 0; i++)
        if (strcmp(r->names[i], "filename") == 0)
            r->name_col = i;
    if (r->name_col < 0 &&
        !(r->name_cur = axle_cursor_open(ds, "filename", r->sliceno, err, sizeof err)))
        return axle_error(r->job, AXLE_EINVAL, "%s", err);
    return AXLE_OK;
}

/* The datasets to walk, oldest first: ds alone, or its whole chain. */
static int
collect_chain(axle_rows *r, axle_dataset *ds, bool chain)
{
    int n = 1;
    for (axle_dataset *d = ds; chain && (d = axle_dataset_previous(d)) != NULL;)
        if (++n > DS_MAX_CHAIN)
            return axle_error(r->job, AXLE_EFORMAT, "dataset %s: its chain of "
                              "previous datasets is over %d long (a loop?)",
                              axle_dataset_path(ds), DS_MAX_CHAIN);
    r->chain = calloc((size_t)n, sizeof *r->chain);
    if (!r->chain)
        return axle_error(r->job, AXLE_ENOMEM, "out of memory");
    r->nchain = n;
    r->chain[n - 1] = ds;
    for (int i = n - 2; i >= 0; i--)
        r->chain[i] = axle_dataset_previous(r->chain[i + 1]);
    /* A link that could not be opened ends the chain early: say why. */
    const char *why = chain ? axle_internal_dataset_previous_error(r->chain[0]) : NULL;
    if (why)
        return axle_error(r->job, AXLE_EIO, "dataset %s: its previous dataset "
                          "cannot be read: %s", axle_dataset_path(r->chain[0]), why);
    for (int i = 0; i < n; i++) {
        int64_t rows = axle_dataset_rows(r->chain[i], r->sliceno);
        r->total += rows > 0 ? rows : 0;
    }
    /* Several links: only the live rows (a single dataset's are all live). */
    if (ds_chain_keyed(r->chain, n) && !(r->live = ds_live_build(r->job, r->chain, n)))
        return AXLE_EFORMAT; /* the message is set */
    return AXLE_OK;
}

static int
copy_names(axle_rows *r, const char *const *columns)
{
    while (columns && columns[r->ncols])
        r->ncols++;
    if (r->ncols == 0)
        return axle_error(r->job, AXLE_EINVAL, "axle_rows_open: no columns asked "
                          "for (the list is NULL-terminated)");
    r->names = calloc((size_t)r->ncols, sizeof *r->names);
    r->text = calloc((size_t)r->ncols, sizeof *r->text);
    r->cur = calloc((size_t)r->ncols, sizeof *r->cur);
    r->types = calloc((size_t)r->ncols, sizeof *r->types);
    if (!r->names || !r->text || !r->cur || !r->types)
        return axle_error(r->job, AXLE_ENOMEM, "out of memory");
    for (int i = 0; i < r->ncols; i++)
        if (!(r->names[i] = strdup(columns[i])))
            return axle_error(r->job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

axle_rows *
axle_rows_open_dataset(axle_job *job, axle_dataset *ds, int sliceno,
                       const char *const *columns, unsigned flags)
{
    if (!ds) {
        axle_error(job, AXLE_EINVAL, "axle_rows_open_dataset: no dataset (NULL)");
        return NULL;
    }
    if (flags & ~AXLE_ROWS_CHAIN) {
        axle_error(job, AXLE_EINVAL, "axle_rows_open_dataset: unknown flags 0x%x",
                   flags & ~AXLE_ROWS_CHAIN);
        return NULL;
    }
    axle_rows *r = calloc(1, sizeof *r);
    if (!r) {
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    r->job = job;
    r->sliceno = sliceno;
    if (copy_names(r, columns) != AXLE_OK ||
        collect_chain(r, ds, flags & AXLE_ROWS_CHAIN) != AXLE_OK ||
        open_link(r, 0) != AXLE_OK) {
        axle_rows_close(r);
        return NULL;
    }
    return r;
}

axle_rows *
axle_rows_open(axle_job *job, const char *input, int sliceno,
               const char *const *columns)
{
    axle_dataset *ds = axle_input_dataset(job, input);
    if (!ds) {
        if (!json_object_get(job->inputs, input))
            axle_error(job, AXLE_EINVAL, "no dataset bound to input '%s'",
                       input ? input : "(null)");
        return NULL;
    }
    axle_rows *r = axle_rows_open_dataset(job, ds, sliceno, columns, 0);
    if (!r) {
        char why[sizeof job->errmsg];
        snprintf(why, sizeof why, "%s", axle_errmsg(job));
        axle_error(job, AXLE_EINVAL, "input '%s': %s", input, why);
    }
    return r;
}

/* Steps every cursor of the current link; 1, 0 or an error code. */
static int
step(axle_rows *r)
{
    int got = axle_cursor_next(r->cur[0]);
    for (int i = 1; i < r->ncols && got >= 0; i++) {
        int g = axle_cursor_next(r->cur[i]);
        if (g < 0)
            return axle_error(r->job, AXLE_EIO, "%s", axle_cursor_error(r->cur[i]));
        if (g != got)
            return axle_error(r->job, AXLE_EIO, "dataset %s: column '%s' ends "
                              "before column '%s' (damaged)",
                              axle_dataset_path(r->chain[r->link]),
                              r->names[g ? 0 : i], r->names[g ? i : 0]);
    }
    if (got < 0)
        return axle_error(r->job, AXLE_EIO, "%s", axle_cursor_error(r->cur[0]));
    if (got == 1 && r->name_cur && axle_cursor_next(r->name_cur) != 1)
        return axle_error(r->job, AXLE_EIO, "%s", axle_cursor_error(r->name_cur)[0]
                          ? axle_cursor_error(r->name_cur)
                          : "the filename column ends before the others (damaged)");
    if (got == 1 && r->key_cur && axle_cursor_next(r->key_cur) != 1)
        return axle_error(r->job, AXLE_EIO, "%s", axle_cursor_error(r->key_cur)[0]
                          ? axle_cursor_error(r->key_cur)
                          : "the key column ends before the others (damaged)");
    return got;
}

/* The current row of a chain is live (dataset_chain.c). */
static bool
row_live(axle_rows *r)
{
    if (!r->live || axle_cursor_is_null(r->key_cur))
        return true;
    size_t len = 0;
    const char *k = axle_cursor_bytes(r->key_cur, &len);
    return ds_live_row(r->live, r->link, k, len);
}

/* Steps to the next live row of the chain, opening newer links as the
 * older end; 1, 0 or an error code. */
static int
step_live(axle_rows *r)
{
    int got;
    for (;;) {
        while ((got = step(r)) == 0 && r->link + 1 < r->nchain) {
            int rc = open_link(r, r->link + 1);
            if (rc != AXLE_OK)
                return rc;
        }
        if (got != 1 || row_live(r))
            return got;
        /* a dead row still counts for its slice's index, but not as
         * work to do: progress counts live rows (total starts at every
         * row of the chain, since counting the live ones first would
         * read the whole chain twice) */
        if (r->total > r->done)
            r->total--;
        int slice = axle_cursor_slice(r->cur[0]);
        r->index = slice == r->slice ? r->index + 1 : 0;
        r->slice = slice;
    }
}

int
axle_rows_next(axle_rows *r)
{
    if (r->misuse[0])
        return axle_error(r->job, AXLE_EINVAL, "%s", r->misuse);
    for (int i = 0; i < r->ncols; i++)
        r->text[i].valid = false;
    r->label.valid = false;
    int got = step_live(r);
    if (got != 1)
        return got;
    int slice = axle_cursor_slice(r->cur[0]);
    r->index = slice == r->slice ? r->index + 1 : 0;
    r->slice = slice;
    r->done++;
    return 1;
}

/* ---- getters ---- */

static const char *const getter_of[] = {
    NULL, "axle_rows_int64", "axle_rows_float64", "axle_rows_bool",
    "axle_rows_string", "axle_rows_bytes", "axle_rows_string", "axle_rows_image"};

/* Column col's cursor when the getter `fn` fits its type (`ok` lists the
 * types it reads), else NULL with the misuse noted for axle_rows_next. */
static axle_cursor *
column(axle_rows *r, int col, const char *fn, const axle_type *ok, int nok)
{
    if (col < 0 || col >= r->ncols) {
        if (!r->misuse[0])
            snprintf(r->misuse, sizeof r->misuse, "%s: column %d out of range "
                     "(%d asked for, from 0)", fn, col, r->ncols);
        return NULL;
    }
    axle_type t = r->types[col];
    for (int i = 0; i < nok; i++)
        if (ok[i] == t)
            return r->cur[col];
    if (!r->misuse[0])
        snprintf(r->misuse, sizeof r->misuse, "%s on column '%s', which is %s: "
                 "read it with %s", fn, r->names[col], axle_type_name(t),
                 t >= AXLE_INT64 && t <= AXLE_IMAGE ? getter_of[t] : "?");
    return NULL;
}

bool
axle_rows_is_null(axle_rows *r, int col)
{
    if (col >= 0 && col < r->ncols)
        return axle_cursor_is_null(r->cur[col]);
    column(r, col, "axle_rows_is_null", NULL, 0); /* notes the misuse */
    return true;
}

int64_t
axle_rows_int64(axle_rows *r, int col)
{
    static const axle_type ok[] = {AXLE_INT64};
    axle_cursor *c = column(r, col, "axle_rows_int64", ok, 1);
    return c ? axle_cursor_int64(c) : 0;
}

double
axle_rows_float64(axle_rows *r, int col)
{
    static const axle_type ok[] = {AXLE_FLOAT64};
    axle_cursor *c = column(r, col, "axle_rows_float64", ok, 1);
    return c ? axle_cursor_float64(c) : 0.0;
}

bool
axle_rows_bool(axle_rows *r, int col)
{
    static const axle_type ok[] = {AXLE_BOOL};
    axle_cursor *c = column(r, col, "axle_rows_bool", ok, 1);
    return c ? axle_cursor_bool(c) : false;
}

const void *
axle_rows_bytes(axle_rows *r, int col, size_t *len)
{
    static const axle_type ok[] = {AXLE_STRING, AXLE_BYTES, AXLE_JSON};
    axle_cursor *c = column(r, col, "axle_rows_bytes", ok, 3);
    if (!c) {
        if (len)
            *len = 0;
        return NULL;
    }
    return axle_cursor_bytes(c, len);
}

/* `len` bytes at p, NUL-terminated, in b (grown as needed). */
static const char *
terminated(struct text_buf *b, const void *p, size_t len)
{
    if (len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < len + 1)
            cap *= 2;
        char *grown = realloc(b->s, cap);
        if (!grown)
            return NULL;
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s, p, len);
    b->s[len] = '\0';
    b->valid = true;
    return b->s;
}

const char *
axle_rows_string(axle_rows *r, int col)
{
    static const axle_type ok[] = {AXLE_STRING, AXLE_JSON};
    axle_cursor *c = column(r, col, "axle_rows_string", ok, 2);
    if (!c || axle_cursor_is_null(c))
        return NULL;
    if (r->text[col].valid)
        return r->text[col].s;
    size_t len;
    const void *p = axle_cursor_bytes(c, &len);
    const char *s = terminated(&r->text[col], p, len);
    if (!s && !r->misuse[0])
        snprintf(r->misuse, sizeof r->misuse, "out of memory copying column '%s'",
                 r->names[col]);
    return s;
}

int
axle_rows_image(axle_rows *r, int col, axle_image *out)
{
    static const axle_type ok[] = {AXLE_IMAGE};
    axle_cursor *c = column(r, col, "axle_rows_image", ok, 1);
    if (!c) {
        memset(out, 0, sizeof *out);
        return axle_error(r->job, AXLE_EINVAL, "%s", r->misuse);
    }
    if (axle_cursor_is_null(c)) {
        memset(out, 0, sizeof *out);
        return axle_error(r->job, AXLE_EINVAL, "%s: column '%s' is null",
                          axle_rows_label(r), r->names[col]);
    }
    int rc = axle_cursor_image(c, out);
    if (rc != AXLE_OK && rc != AXLE_EINVAL)
        return axle_error(r->job, rc, "%s", axle_cursor_error(c));
    return rc;
}

int
axle_rows_image_exif(axle_rows *r, int col, void **exif, size_t *len)
{
    static const axle_type ok[] = {AXLE_IMAGE};
    axle_cursor *c = column(r, col, "axle_rows_image_exif", ok, 1);
    *exif = NULL;
    *len = 0;
    if (!c)
        return axle_error(r->job, AXLE_EINVAL, "%s", r->misuse);
    if (axle_cursor_is_null(c))
        return AXLE_OK;
    char err[512];
    int rc = axle_cursor_image_exif(c, exif, len, err, sizeof err);
    return rc == AXLE_OK ? rc : axle_error(r->job, rc, "%s", err);
}

int
axle_rows_image_quality(axle_rows *r, int col)
{
    static const axle_type ok[] = {AXLE_IMAGE};
    axle_cursor *c = column(r, col, "axle_rows_image_quality", ok, 1);
    return c ? axle_cursor_image_quality(c) : 0;
}

/* The cell decoded to a size; the image's reason goes to the job's
 * message, so `axle_item_failed(job, w, label, rc)` can pass it on. */
int
axle_rows_image_to_size(axle_rows *r, int col, const axle_geometry *g, uint64_t max_pixels,
                        unsigned flags, axle_pixels *out)
{
    axle_image img;
    int rc = axle_rows_image(r, col, &img);
    if (rc != AXLE_OK) {
        if (out)
            memset(out, 0, sizeof *out);
        return rc;
    }
    char err[1024];
    rc = axle_image_to_size(&img, g, max_pixels, flags, out, err, sizeof err);
    return rc == AXLE_OK ? rc : axle_error(r->job, rc, "%s", err); /* AXLE_PARTIAL too */
}

/* "axle-work-3/ds/default" of ".../axle-work-3/ds/default". */
static const char *
short_path(const char *path)
{
    const char *p = path + strlen(path);
    for (int slashes = 0; p > path; p--)
        if (p[-1] == '/' && ++slashes == 3)
            break;
    return p;
}

const char *
axle_rows_label(axle_rows *r)
{
    if (r->label.valid)
        return r->label.s;
    axle_cursor *names = r->name_col >= 0 ? r->cur[r->name_col] : r->name_cur;
    size_t len = 0;
    const void *p = names && !axle_cursor_is_null(names) ? axle_cursor_bytes(names, &len)
                                                          : NULL;
    char row[4200];
    if (!p || len == 0) {
        int n = snprintf(row, sizeof row, "row %" PRId64 " of slice %d", r->index + 1,
                         r->slice);
        if (r->link + 1 < r->nchain && n > 0 && (size_t)n < sizeof row)
            snprintf(row + n, sizeof row - (size_t)n, " of %s",
                     short_path(axle_dataset_path(r->chain[r->link])));
        p = row;
        len = strlen(row);
    }
    const char *s = terminated(&r->label, p, len);
    return s ? s : "(out of memory)";
}

int
axle_rows_slice(const axle_rows *r)
{
    return r->slice;
}

int64_t
axle_rows_index(const axle_rows *r)
{
    return r->index;
}

int64_t
axle_rows_done(const axle_rows *r)
{
    return r->done;
}

int64_t
axle_rows_total(const axle_rows *r)
{
    return r->total;
}
