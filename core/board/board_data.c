/* board_data.c - datasets as the board shows them: opened only when all
 * their folders lie in the workdir, described as JSON, read row by row,
 * and each row traced back to its source file. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle_internal.h"
#include "board.h"

static char *
join(const char *a, const char *b)
{
    char *p;
    return asprintf(&p, "%s/%s", a, b) < 0 ? NULL : p;
}

/* A path in meta.json ("location", "parent", "previous") is relative to
 * the dataset's folder; it must stay in the workdir. */
static bool
linked_inside(const board *b, const char *dsdir, json_t *rel)
{
    if (!rel || json_is_null(rel))
        return true;
    if (!json_is_string(rel))
        return false;
    char *p = join(dsdir, json_string_value(rel));
    bool ok = p && board_inside(b, p);
    free(p);
    return ok;
}

static json_t *
ds_meta(const board *b, const char *id, const char *name)
{
    char rel[1024];
    snprintf(rel, sizeof rel, "%s/ds/%s/meta.json", id, name);
    return board_read_json(b, rel);
}

axle_dataset *
board_ds_open(const board *b, const char *id, const char *name, char *err,
              size_t errlen)
{
    if (!board_job_exists(b, id, false) || !board_name_ok(name)) {
        snprintf(err, errlen, "no job '%s' with a dataset '%s' in %s", id, name,
                 b->workdir);
        return NULL;
    }
    json_t *meta = ds_meta(b, id, name);
    if (!json_is_object(meta)) {
        json_decref(meta);
        snprintf(err, errlen, "job %s has no dataset '%s'", id, name);
        return NULL;
    }
    char *dsdir;
    if (asprintf(&dsdir, "%s/%s/ds/%s", b->workdir, id, name) < 0) {
        json_decref(meta);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    bool inside = linked_inside(b, dsdir, json_object_get(meta, "parent")) &&
                  linked_inside(b, dsdir, json_object_get(meta, "previous"));
    size_t i;
    json_t *col;
    json_array_foreach(json_object_get(meta, "columns"), i, col)
        inside = inside && linked_inside(b, dsdir, json_object_get(col, "location"));
    json_decref(meta);
    axle_dataset *ds = NULL;
    if (!inside)
        snprintf(err, errlen, "dataset %s/%s links to folders outside the workdir: "
                 "not shown", id, name);
    else
        ds = axle_dataset_open(dsdir, err, errlen);
    free(dsdir);
    return ds;
}

/* "axle-work-1/default" for a dataset folder inside the workdir. */
static json_t *
ds_label(const board *b, const char *path)
{
    if (!path)
        return json_null();
    char *real = realpath(path, NULL);
    size_t n = strlen(b->workdir);
    json_t *out = json_null();
    if (real && strncmp(real, b->workdir, n) == 0 && real[n] == '/') {
        char *rest = real + n + 1, *ds = strstr(rest, "/ds/");
        if (ds && !strchr(ds + 4, '/')) {
            *ds = '\0';
            out = json_pack("{s:s, s:s}", "job", rest, "name", ds + 4);
        }
    }
    free(real);
    return out ? out : json_null();
}

json_t *
board_ds_describe(const board *b, axle_dataset *ds, const char *id, const char *name)
{
    json_t *rows = json_array();
    for (int s = 0; s < axle_dataset_slices(ds); s++)
        json_array_append_new(rows, json_integer(axle_dataset_rows(ds, s)));
    json_t *meta = ds_meta(b, id, name);
    json_t *mcols = json_object_get(meta, "columns");
    json_t *cols = json_array();
    for (int i = 0; i < axle_dataset_ncolumns(ds); i++) {
        const char *cname = axle_dataset_column_name(ds, i);
        json_t *mc = json_array_get(mcols, (size_t)i);
        json_int_t nulls = 0;
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(mc, "nulls"), k, v)
            nulls += json_integer_value(v);
        const char *loc = json_string_value(json_object_get(mc, "location"));
        json_t *from = json_null();
        if (loc && strcmp(loc, ".") != 0) {
            char *p = join(axle_dataset_path(ds), loc);
            from = ds_label(b, p);
            free(p);
        }
        json_array_append_new(
            cols, json_pack("{s:s, s:s, s:I, s:o}", "name", cname, "type",
                            axle_type_name(axle_dataset_column_type(ds, cname)), "nulls",
                            nulls, "linked_from", from));
    }
    json_decref(meta);
    axle_dataset *prev = axle_dataset_previous(ds);
    return json_pack("{s:s, s:s, s:i, s:o, s:I, s:o, s:o, s:o}", "job", id, "name", name,
                     "slices", axle_dataset_slices(ds), "rows", rows, "total_rows",
                     (json_int_t)axle_dataset_rows(ds, -1), "columns", cols, "parent",
                     ds_label(b, axle_dataset_parent_path(ds)), "previous",
                     prev ? ds_label(b, axle_dataset_path(prev)) : json_null());
}

json_t *
board_cell_json(axle_cursor *c, axle_type t)
{
    if (axle_cursor_is_null(c))
        return json_null();
    size_t len = 0;
    const void *p;
    axle_image img;
    switch (t) {
    case AXLE_INT64:
        return json_integer(axle_cursor_int64(c));
    case AXLE_FLOAT64:
        return json_real(axle_cursor_float64(c));
    case AXLE_BOOL:
        return json_boolean(axle_cursor_bool(c));
    case AXLE_BYTES:
        axle_cursor_bytes(c, &len);
        return json_pack("{s:I}", "bytes", (json_int_t)len);
    case AXLE_IMAGE:
        if (axle_cursor_image(c, &img) != AXLE_OK)
            return json_null();
        return json_pack("{s:s, s:i, s:i, s:i, s:I}", "codec", axle_codec_name(img.codec),
                         "width", (int)img.width, "height", (int)img.height,
                         "orientation", (int)img.orientation, "bytes",
                         (json_int_t)img.size);
    case AXLE_JSON: {
        p = axle_cursor_bytes(c, &len);
        json_t *v = json_loadb(p, len, JSON_DECODE_ANY, NULL);
        return v ? v : json_stringn(p, len);
    }
    default: {
        p = axle_cursor_bytes(c, &len);
        json_t *v = json_stringn(p, len);
        if (!v) { /* not UTF-8: shown escaped rather than lost */
            char *raw = strndup(p, len), *esc = raw ? axle_internal_escape(raw) : NULL;
            v = json_string(esc ? esc : "");
            free(raw);
            free(esc);
        }
        return v;
    }
    }
}

axle_cursor *
board_cursor_at(axle_dataset *ds, const char *column, int64_t row, char *err,
                size_t errlen)
{
    int s = 0;
    while (s < axle_dataset_slices(ds) && row >= axle_dataset_rows(ds, s))
        row -= axle_dataset_rows(ds, s++);
    if (row < 0 || s >= axle_dataset_slices(ds)) {
        snprintf(err, errlen, "no such row (the dataset has %" PRId64 ")",
                 axle_dataset_rows(ds, -1));
        return NULL;
    }
    axle_cursor *c = axle_cursor_open(ds, column, s, err, errlen);
    if (!c)
        return NULL;
    for (int64_t i = 0; i <= row; i++) {
        int rc = axle_cursor_next(c);
        if (rc <= 0) {
            snprintf(err, errlen, "%s", rc < 0 ? axle_cursor_error(c) : "row missing");
            axle_cursor_close(c);
            return NULL;
        }
    }
    return c;
}

/* ---- source files ---- */

/* The job folder holding a dataset's column `column` (from meta.json's
 * "location"), malloc'd. */
static char *
column_job_dir(axle_dataset *ds, const char *column)
{
    char *metapath = join(axle_dataset_path(ds), "meta.json");
    json_t *meta = metapath ? json_load_file(metapath, 0, NULL) : NULL;
    free(metapath);
    size_t i;
    json_t *col;
    char *dir = NULL;
    json_array_foreach(json_object_get(meta, "columns"), i, col) {
        const char *name = json_string_value(json_object_get(col, "name"));
        const char *loc = json_string_value(json_object_get(col, "location"));
        if (name && loc && strcmp(name, column) == 0) {
            char *p = join(axle_dataset_path(ds), loc);
            dir = p ? realpath(p, NULL) : NULL;
            free(p);
            break;
        }
    }
    json_decref(meta);
    char *ds_part = dir ? strstr(dir, "/ds/") : NULL;
    if (ds_part)
        *ds_part = '\0';
    return dir;
}

/* In the import's inputs.txt ("# size\tmtime\tpath (names are relative
 * to BASE)" then one file a line), the listed file named `filename`. */
static char *
listed_file(const char *jobdir, const char *filename)
{
    char *path = join(jobdir, "inputs.txt");
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return NULL;
    char *line = NULL, *want = NULL, *found = NULL;
    size_t cap = 0;
    static const char mark[] = "(names are relative to ";
    if (getline(&line, &cap, f) > 0) {
        char *base = strstr(line, mark), *end = strrchr(line, ')');
        if (base && end && end > base) {
            base += strlen(mark);
            *end = '\0';
            if (asprintf(&want, "%s%s%s", base, strcmp(base, "/") ? "/" : "", filename) < 0)
                want = NULL;
        }
    }
    ssize_t n;
    while (want && !found && (n = getline(&line, &cap, f)) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *p = strchr(line, '\t');
        p = p ? strchr(p + 1, '\t') : NULL;
        if (p && strcmp(p + 1, want) == 0)
            found = strdup(p + 1);
    }
    free(line);
    free(want);
    fclose(f);
    return found;
}

char *
board_source_path(const board *b, axle_dataset *ds, int64_t row)
{
    if (axle_dataset_column_type(ds, "filename") != AXLE_STRING)
        return NULL;
    char err[512];
    axle_cursor *c = board_cursor_at(ds, "filename", row, err, sizeof err);
    if (!c || axle_cursor_is_null(c)) {
        if (c)
            axle_cursor_close(c);
        return NULL;
    }
    size_t len;
    const char *p = axle_cursor_bytes(c, &len);
    char *filename = memchr(p, '\0', len) ? NULL : strndup(p, len);
    axle_cursor_close(c);
    char *jobdir = column_job_dir(ds, "filename");
    char *src = NULL;
    if (filename && jobdir && board_inside(b, jobdir))
        src = listed_file(jobdir, filename);
    free(jobdir);
    free(filename);
    return src;
}
