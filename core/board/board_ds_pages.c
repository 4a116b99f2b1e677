/* board_ds_pages.c - the pages about datasets: one dataset (columns,
 * rows per slice, its first rows), a gallery of an image column, and
 * one row. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

#define FIRST_ROWS 20        /* rows shown on a dataset's page */
#define GALLERY_PAGE 100     /* images per gallery page */
#define GALLERY_MAX 256      /* preview size in a gallery */
#define CELL_TEXT_MAX 200    /* characters of a text cell in a table */

/* "/KIND/ID/NAME" with each part encoded. */
static void
ds_url(FILE *f, const char *kind, const char *id, const char *name)
{
    html_printf(f, "/%s/", kind);
    html_url_part(f, id);
    fputs("/", f);
    html_url_part(f, name);
}

static void
ds_link(FILE *f, json_t *label)
{
    const char *job = json_string_value(json_object_get(label, "job"));
    const char *name = json_string_value(json_object_get(label, "name"));
    if (!job || !name) {
        fputs("none", f);
        return;
    }
    fputs("<a href=\"", f);
    ds_url(f, "ds", job, name);
    fputs("\">", f);
    html_text(f, job);
    fputs("/", f);
    html_text(f, name);
    fputs("</a>", f);
}

static void
cell_img(FILE *f, const char *id, const char *name, const char *column, int64_t row,
         int max, bool lazy)
{
    html_printf(f, "<img%s alt=\"row %" PRId64 "\" src=\"", lazy ? " loading=\"lazy\"" : "",
                row);
    ds_url(f, "cell", id, name);
    fputs("/", f);
    html_url_part(f, column);
    html_printf(f, "/%" PRId64 "?max=%d\">", row, max);
}

/* One cell in a table: images as pictures, text cut short, the rest as
 * JSON, everything escaped. */
static void
cell_html(FILE *f, axle_cursor *c, axle_type t, const char *id, const char *name,
          const char *column, int64_t row, int max)
{
    if (axle_cursor_is_null(c)) {
        fputs("<span class=\"muted\">null</span>", f);
        return;
    }
    if (t == AXLE_IMAGE) {
        cell_img(f, id, name, column, row, max, true);
        return;
    }
    json_t *v = board_cell_json(c, t);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = strlen(s);
        html_textn(f, s, len > CELL_TEXT_MAX ? CELL_TEXT_MAX : len);
        if (len > CELL_TEXT_MAX)
            fputs("...", f);
    } else {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        html_text(f, text);
        free(text);
    }
    json_decref(v);
}

static void
columns_table(FILE *f, json_t *desc, const char *id, const char *name)
{
    fputs("<h2>columns</h2>\n<table><tr><th>column</th><th>type</th><th>nulls</th>"
          "<th>stored</th><th></th></tr>\n", f);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(desc, "columns"), i, c) {
        const char *cname = json_string_value(json_object_get(c, "name"));
        const char *type = json_string_value(json_object_get(c, "type"));
        fputs("<tr><td>", f);
        html_text(f, cname);
        fputs("</td><td>", f);
        html_text(f, type);
        html_printf(f, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td><td>",
                    json_integer_value(json_object_get(c, "nulls")));
        json_t *from = json_object_get(c, "linked_from");
        if (json_is_object(from)) {
            fputs("linked from ", f);
            ds_link(f, from);
        } else {
            fputs("here", f);
        }
        fputs("</td><td>", f);
        if (type && strcmp(type, "image") == 0) {
            fputs("<a href=\"", f);
            ds_url(f, "gallery", id, name);
            fputs("/", f);
            html_url_part(f, cname);
            fputs("\">gallery</a>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void
slices_table(FILE *f, json_t *desc)
{
    fputs("<h2>rows per slice</h2>\n<table><tr><th>slice</th><th>rows</th></tr>\n", f);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(desc, "rows"), i, r)
        html_printf(f, "<tr><td class=\"n\">%zu</td><td class=\"n\">%" JSON_INTEGER_FORMAT
                    "</td></tr>\n", i, json_integer_value(r));
    html_printf(f, "<tr><th>total</th><td class=\"n\">%" JSON_INTEGER_FORMAT
                "</td></tr>\n</table>\n",
                json_integer_value(json_object_get(desc, "total_rows")));
}

/* The first rows, all columns side by side. */
static void
first_rows(FILE *f, axle_dataset *ds, const char *id, const char *name)
{
    int n = axle_dataset_ncolumns(ds);
    int64_t total = axle_dataset_rows(ds, -1);
    html_printf(f, "<h2>the first rows (%" PRId64 " of %" PRId64 ")</h2>\n",
                total < FIRST_ROWS ? total : FIRST_ROWS, total);
    axle_cursor **cur = calloc((size_t)n + 1, sizeof *cur);
    if (!cur)
        return;
    char err[1024];
    fputs("<table><tr><th>row</th>", f);
    for (int i = 0; i < n; i++) {
        cur[i] = axle_cursor_open(ds, axle_dataset_column_name(ds, i), -1, err, sizeof err);
        fputs("<th>", f);
        html_text(f, axle_dataset_column_name(ds, i));
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (int64_t row = 0; row < total && row < FIRST_ROWS; row++) {
        fputs("<tr><td><a href=\"", f);
        ds_url(f, "row", id, name);
        html_printf(f, "/%" PRId64 "\">%" PRId64 "</a></td>", row, row);
        for (int i = 0; i < n; i++) {
            const char *cname = axle_dataset_column_name(ds, i);
            fputs("<td>", f);
            if (cur[i] && axle_cursor_next(cur[i]) > 0)
                cell_html(f, cur[i], axle_dataset_column_type(ds, cname), id, name, cname,
                          row, 160);
            else
                fputs("<span class=\"failed\">unreadable</span>", f);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    for (int i = 0; i < n; i++)
        if (cur[i])
            axle_cursor_close(cur[i]);
    free(cur);
}

void
board_page_ds(board *b, const char *id, const char *name, board_reply *out)
{
    char err[1024];
    axle_dataset *ds = board_ds_open(b, id, name, err, sizeof err);
    if (!ds) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    json_t *desc = board_ds_describe(b, ds, id, name);
    char title[600];
    snprintf(title, sizeof title, "dataset %s/%s", id, name);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f && desc) {
        fputs("<table><tr><th>job</th><td><a href=\"/job/", f);
        html_url_part(f, id);
        fputs("\">", f);
        html_text(f, id);
        html_printf(f, "</a></td></tr>\n<tr><th>rows</th><td>%" JSON_INTEGER_FORMAT
                    " in %d slices</td></tr>\n<tr><th>parent</th><td>",
                    json_integer_value(json_object_get(desc, "total_rows")),
                    axle_dataset_slices(ds));
        ds_link(f, json_object_get(desc, "parent"));
        fputs("</td></tr>\n<tr><th>previous</th><td>", f);
        ds_link(f, json_object_get(desc, "previous"));
        fputs("</td></tr>\n</table>\n", f);
        columns_table(f, desc, id, name);
        slices_table(f, desc);
        first_rows(f, ds, id, name);
        fputs("<p><a href=\"/api/ds/", f);
        html_url_part(f, id);
        fputs("/", f);
        html_url_part(f, name);
        fputs("\">this dataset as JSON</a></p>\n", f);
    }
    json_decref(desc);
    axle_dataset_close(ds);
    board_page_finish(&p, out);
}

/* ---- gallery ---- */

static void
page_link(FILE *f, const char *id, const char *name, const char *column, int64_t page,
          const char *text)
{
    fputs("<a href=\"", f);
    ds_url(f, "gallery", id, name);
    fputs("/", f);
    html_url_part(f, column);
    html_printf(f, "?page=%" PRId64 "\">%s</a>", page, text);
}

static void
pager(FILE *f, const char *id, const char *name, const char *column, int64_t page,
      int64_t pages)
{
    fputs("<p class=\"pages\">", f);
    if (page > 1) {
        page_link(f, id, name, column, 1, "first");
        page_link(f, id, name, column, page - 1, "previous");
    }
    for (int64_t k = page - 3; k <= page + 3; k++) {
        char num[32];
        snprintf(num, sizeof num, "%" PRId64, k);
        if (k == page)
            html_printf(f, "<b>%s</b>", num);
        else if (k >= 1 && k <= pages)
            page_link(f, id, name, column, k, num);
    }
    if (page < pages) {
        page_link(f, id, name, column, page + 1, "next");
        page_link(f, id, name, column, pages, "last");
    }
    html_printf(f, " page %" PRId64 " of %" PRId64 "</p>\n", page, pages);
}

/* Preview size of an image as the browser will show it (upright). */
static void
preview_size(const axle_image *img, int *w, int *h)
{
    uint32_t iw = img->width, ih = img->height;
    if (img->orientation >= 5) {
        iw = img->height;
        ih = img->width;
    }
    uint32_t big = iw > ih ? iw : ih;
    if (big > GALLERY_MAX) {
        iw = (uint32_t)((uint64_t)iw * GALLERY_MAX / big);
        ih = (uint32_t)((uint64_t)ih * GALLERY_MAX / big);
    }
    *w = iw ? (int)iw : 1;
    *h = ih ? (int)ih : 1;
}

/* The exported file of this row under the export's dest ("2023/a.jpg"
 * of "/photos/thumbs/2023/a.jpg"), as a URL path: /dest/ID/2023/a.jpg. */
static bool
dest_src(FILE *f, axle_cursor *file, const char *dest, const char *id)
{
    size_t len, n = dest ? strlen(dest) : 0;
    const char *p = file && !axle_cursor_is_null(file) ? axle_cursor_bytes(file, &len) : NULL;
    if (!p || len <= n + 1 || strncmp(p, dest, n) != 0 || p[n] != '/' || memchr(p, '\0', len))
        return false;
    fputs("/dest/", f);
    html_url_part(f, id);
    for (const char *s = p + n, *end = p + len; s < end;) {
        const char *next = memchr(s + 1, '/', (size_t)(end - s - 1));
        char *part = strndup(s + 1, (size_t)((next ? next : end) - s - 1));
        fputs("/", f);
        html_url_part(f, part ? part : "");
        free(part);
        s = next ? next : end;
    }
    return true;
}

/* One image of a gallery: the cell as a preview, or, for an export with
 * a dest folder, the file it wrote there. */
static void
figure(FILE *f, axle_cursor *img, axle_cursor *fname, const char *id, const char *name,
       const char *column, int64_t row, axle_cursor *file, const char *dest)
{
    fputs("<figure><a href=\"", f);
    ds_url(f, "row", id, name);
    html_printf(f, "/%" PRId64 "\">", row);
    axle_image im;
    char *from_dest = NULL;
    size_t from_len = 0;
    FILE *df = dest ? open_memstream(&from_dest, &from_len) : NULL;
    bool in_dest = df && dest_src(df, file, dest, id);
    if (df)
        fclose(df);
    if (in_dest && from_dest) {
        html_printf(f, "<img loading=\"lazy\" alt=\"row %" PRId64 "\" src=\"%s\">", row,
                    from_dest);
    } else if (axle_cursor_is_null(img) || axle_cursor_image(img, &im) != AXLE_OK) {
        html_printf(f, "<span class=\"muted\">row %" PRId64 ": no image (skipped)</span>",
                    row);
    } else {
        int w, h;
        preview_size(&im, &w, &h);
        html_printf(f, "<img loading=\"lazy\" width=\"%d\" height=\"%d\" alt=\"row %"
                    PRId64 "\" src=\"", w, h, row);
        ds_url(f, "cell", id, name);
        fputs("/", f);
        html_url_part(f, column);
        html_printf(f, "/%" PRId64 "?max=%d\">", row, GALLERY_MAX);
    }
    free(from_dest);
    fputs("</a><figcaption>", f);
    if (fname && !axle_cursor_is_null(fname)) {
        size_t len;
        const char *s = axle_cursor_bytes(fname, &len);
        fputs("<a href=\"", f);
        ds_url(f, "source", id, name);
        html_printf(f, "/%" PRId64 "\">", row);
        html_textn(f, s, len);
        fputs("</a>", f);
    } else {
        html_printf(f, "row %" PRId64, row);
    }
    fputs("</figcaption></figure>\n", f);
}

void
board_page_gallery(board *b, const char *id, const char *name, const char *column,
                   int64_t page, board_reply *out)
{
    char err[1024];
    axle_dataset *ds = board_ds_open(b, id, name, err, sizeof err);
    if (!ds) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    if (axle_dataset_column_type(ds, column) != AXLE_IMAGE) {
        axle_dataset_close(ds);
        board_reply_error(out, 404, "dataset %s/%s has no image column '%s'", id, name,
                          column);
        return;
    }
    int64_t total = axle_dataset_rows(ds, -1);
    int64_t pages = total > 0 ? (total + GALLERY_PAGE - 1) / GALLERY_PAGE : 1;
    if (page > pages)
        page = pages;
    int64_t start = (page - 1) * GALLERY_PAGE;
    axle_cursor *img = axle_cursor_open(ds, column, -1, err, sizeof err);
    axle_cursor *fname = axle_dataset_column_type(ds, "filename") == AXLE_STRING
                             ? axle_cursor_open(ds, "filename", -1, err, sizeof err)
                             : NULL;
    /* An export's record (`file` written, `image_sha256`) whose job keeps
     * a dest folder: the gallery shows the files there. */
    char *dest = axle_dataset_column_type(ds, "file") == AXLE_STRING &&
                         axle_dataset_column_type(ds, "image_sha256") == AXLE_STRING
                     ? board_dest_of(b, id, NULL, NULL, 0)
                     : NULL;
    axle_cursor *file = dest ? axle_cursor_open(ds, "file", -1, err, sizeof err) : NULL;
    char title[800];
    snprintf(title, sizeof title, "gallery of %s/%s: %s", id, name, column);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f) {
        fputs("<p>", f);
        html_printf(f, "%" PRId64 " rows. Dataset: ", total);
        fputs("<a href=\"", f);
        ds_url(f, "ds", id, name);
        fputs("\">", f);
        html_text(f, id);
        fputs("/", f);
        html_text(f, name);
        fputs("</a></p>\n", f);
        pager(f, id, name, column, page, pages);
        fputs("<div class=\"grid\">\n", f);
        for (int64_t row = 0; img && row < start + GALLERY_PAGE; row++) {
            if (axle_cursor_next(img) <= 0 || (fname && axle_cursor_next(fname) <= 0) ||
                (file && axle_cursor_next(file) <= 0))
                break;
            if (row >= start)
                figure(f, img, fname, id, name, column, row, file, dest);
        }
        fputs("</div>\n", f);
        pager(f, id, name, column, page, pages);
    }
    if (img)
        axle_cursor_close(img);
    if (fname)
        axle_cursor_close(fname);
    if (file)
        axle_cursor_close(file);
    free(dest);
    axle_dataset_close(ds);
    board_page_finish(&p, out);
}

/* ---- one row ---- */

void
board_page_row(board *b, const char *id, const char *name, int64_t row, board_reply *out)
{
    char err[1024];
    axle_dataset *ds = board_ds_open(b, id, name, err, sizeof err);
    if (!ds) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    if (row >= axle_dataset_rows(ds, -1)) {
        board_reply_error(out, 404, "dataset %s/%s has %" PRId64 " rows, no row %" PRId64,
                          id, name, axle_dataset_rows(ds, -1), row);
        axle_dataset_close(ds);
        return;
    }
    char title[800];
    snprintf(title, sizeof title, "%s/%s row %" PRId64, id, name, row);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f) {
        fputs("<p><a href=\"", f);
        ds_url(f, "ds", id, name);
        fputs("\">the dataset</a>", f);
        if (row > 0) {
            fputs(" <a href=\"", f);
            ds_url(f, "row", id, name);
            html_printf(f, "/%" PRId64 "\">previous row</a>", row - 1);
        }
        if (row + 1 < axle_dataset_rows(ds, -1)) {
            fputs(" <a href=\"", f);
            ds_url(f, "row", id, name);
            html_printf(f, "/%" PRId64 "\">next row</a>", row + 1);
        }
        fputs("</p>\n<table><tr><th>column</th><th>type</th><th>value</th></tr>\n", f);
        for (int i = 0; i < axle_dataset_ncolumns(ds); i++) {
            const char *cname = axle_dataset_column_name(ds, i);
            axle_type t = axle_dataset_column_type(ds, cname);
            axle_cursor *c = board_cursor_at(ds, cname, row, err, sizeof err);
            fputs("<tr><th>", f);
            html_text(f, cname);
            fputs("</th><td>", f);
            html_text(f, axle_type_name(t));
            fputs("</td><td>", f);
            if (!c) {
                fputs("<span class=\"failed\">", f);
                html_text(f, err);
                fputs("</span>", f);
            } else if (t == AXLE_IMAGE && !axle_cursor_is_null(c)) {
                json_t *v = board_cell_json(c, t);
                fputs("<a href=\"", f);
                ds_url(f, "cell", id, name);
                fputs("/", f);
                html_url_part(f, cname);
                html_printf(f, "/%" PRId64 "\">", row);
                cell_img(f, id, name, cname, row, 1024, false);
                fputs("</a><br>", f);
                char *text = json_dumps(v, JSON_COMPACT);
                html_text(f, text);
                free(text);
                json_decref(v);
            } else {
                cell_html(f, c, t, id, name, cname, row, 1024);
            }
            if (c)
                axle_cursor_close(c);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
        char *src = board_source_path(b, ds, row);
        if (src) {
            fputs("<p>source file: <a href=\"", f);
            ds_url(f, "source", id, name);
            html_printf(f, "/%" PRId64 "\">", row);
            html_text(f, src);
            fputs("</a></p>\n", f);
        }
        free(src);
    }
    axle_dataset_close(ds);
    board_page_finish(&p, out);
}
