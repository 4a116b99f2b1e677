/* board_api.c - the board's JSON for scripts:
 *   /api/runs            {"workdir", "in_progress", "runs": [newest first]}
 *   /api/jobs            {"jobs": [every job folder]}
 *   /api/jobs/ID         the job's job.json plus "datasets" and "logs"
 *   /api/ds/ID/NAME      the dataset's description plus "first_rows"
 * Errors are {"error": MESSAGE} with a 404. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

#define API_ROWS 20

static void
reply_json(board_reply *out, int status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
    json_decref(v);
    if (!text) {
        board_reply_error(out, 500, "cannot write JSON");
        return;
    }
    board_reply_text(out, status, "application/json", text, strlen(text));
}

static void
api_error(board_reply *out, const char *msg)
{
    reply_json(out, 404, json_pack("{s:s}", "error", msg));
}

/* "/cell/ID/NAME/COLUMN/ROW", each part URL-encoded. */
static json_t *
cell_url(const char *id, const char *name, const char *column, int64_t row)
{
    char *url = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&url, &len);
    if (!f)
        return json_null();
    fputs("/cell/", f);
    html_url_part(f, id);
    fputs("/", f);
    html_url_part(f, name);
    fputs("/", f);
    html_url_part(f, column);
    fprintf(f, "/%" PRId64, row);
    fclose(f);
    json_t *v = json_string(url);
    free(url);
    return v ? v : json_null();
}

static json_t *
first_rows(axle_dataset *ds, const char *id, const char *name)
{
    json_t *rows = json_array();
    int64_t total = axle_dataset_rows(ds, -1);
    for (int64_t r = 0; r < total && r < API_ROWS; r++)
        json_array_append_new(rows, json_object());
    char err[1024];
    for (int i = 0; i < axle_dataset_ncolumns(ds); i++) {
        const char *cname = axle_dataset_column_name(ds, i);
        axle_type t = axle_dataset_column_type(ds, cname);
        axle_cursor *c = axle_cursor_open(ds, cname, -1, err, sizeof err);
        for (size_t r = 0; c && r < json_array_size(rows) && axle_cursor_next(c) > 0; r++) {
            json_t *v = board_cell_json(c, t);
            if (t == AXLE_IMAGE && json_is_object(v))
                json_object_set_new(v, "url", cell_url(id, name, cname, (int64_t)r));
            json_object_set_new(json_array_get(rows, r), cname, v);
        }
        if (c)
            axle_cursor_close(c);
    }
    return rows;
}

static void
api_ds(board *b, const char *id, const char *name, board_reply *out)
{
    char err[1024];
    axle_dataset *ds = board_ds_open(b, id, name, err, sizeof err);
    if (!ds) {
        api_error(out, err);
        return;
    }
    json_t *desc = board_ds_describe(b, ds, id, name);
    if (desc)
        json_object_set_new(desc, "first_rows", first_rows(ds, id, name));
    axle_dataset_close(ds);
    reply_json(out, 200, desc);
}

void
board_api(board *b, char **seg, int n, board_reply *out)
{
    if (n == 2 && strcmp(seg[1], "runs") == 0) {
        reply_json(out, 200, json_pack("{s:s, s:b, s:o}", "workdir", b->workdir,
                                       "in_progress", board_run_in_progress(b), "runs",
                                       board_runs(b)));
    } else if (n == 2 && strcmp(seg[1], "jobs") == 0) {
        reply_json(out, 200, json_pack("{s:o}", "jobs", board_jobs(b)));
    } else if (n == 3 && strcmp(seg[1], "jobs") == 0) {
        json_t *j = board_job_full(b, seg[2]);
        if (j)
            reply_json(out, 200, j);
        else
            api_error(out, "no such complete or failed job in this workdir");
    } else if (n == 4 && strcmp(seg[1], "ds") == 0) {
        api_ds(b, seg[2], seg[3], out);
    } else {
        api_error(out, "unknown API path: the API is /api/runs, /api/jobs, "
                  "/api/jobs/ID and /api/ds/ID/NAME");
    }
}
