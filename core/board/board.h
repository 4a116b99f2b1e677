/* board/board.h - `axle board`: a read-only web view of a workdir.
 *
 * The server (board_server.c) is the only part that knows libmicrohttpd:
 * it turns a request into a board_request, asks board_route (board_routes.c)
 * for a board_reply and sends it.  Pages are HTML written to a memory
 * stream (board_html.c escapes everything that came from the workdir);
 * the JSON API is board_api.c; files are opened only through board_path.c,
 * which keeps every read inside the workdir. */
#ifndef AXLE_BOARD_H
#define AXLE_BOARD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "axle/axle.h"

typedef struct board {
    char *workdir;  /* absolute and canonical */
    int wd_fd;      /* the workdir, opened once: every path starts here */
} board;

typedef struct board_request {
    const char *path;  /* decoded URL path, "/job/axle-work-3" */
    /* A query argument ("page" of ?page=2), or NULL. */
    const char *(*arg)(void *ctx, const char *name);
    void *ctx;
} board_request;

typedef struct board_reply {
    int status;            /* HTTP status */
    const char *type;      /* Content-Type */
    char *body;            /* malloc'd, or NULL when fd is used */
    size_t len;
    int fd;                /* a file to send whole (>= 0), or -1 */
    uint64_t fd_size;
    bool cacheable;        /* immutable content (a finished job's) */
    bool attachment;       /* not shown inline (a type we do not vouch for) */
} board_reply;

/* ---- board_routes.c ---- */

/* Answers one GET request; never fails (errors are replies). */
void board_route(board *b, const board_request *rq, board_reply *out);

/* Reply helpers. */
void board_reply_text(board_reply *out, int status, const char *type, char *body,
                      size_t len);
void board_reply_error(board_reply *out, int status, const char *fmt, ...)
    AXLE_PRINTF(3, 4);

/* ---- board_html.c: HTML written to a FILE* ---- */

/* Text as HTML: & < > " ' are entities (so the same call is right inside
 * a quoted attribute); control characters are shown as \xNN. */
void html_text(FILE *f, const char *s);
void html_textn(FILE *f, const char *s, size_t len);
/* A URL path segment: everything but unreserved characters
 * percent-encoded, so the result is safe in an attribute as it is. */
void html_url_part(FILE *f, const char *s);
/* printf for markup the board writes itself (numbers, fixed words). */
void html_printf(FILE *f, const char *fmt, ...) AXLE_PRINTF(2, 3);
/* The page around the content: <!doctype>, title, style, a nav bar.
 * refresh > 0 reloads the page every that many seconds. */
void html_begin(FILE *f, const char *title, int refresh);
void html_end(FILE *f);
/* The stylesheet served at /board.css. */
extern const char board_css[];
/* Any JSON value as nested lists, every string escaped; an object with
 * integers "done" and "total" also gets a <progress> bar. */
void html_json(FILE *f, json_t *v);

/* A page being written: html_begin on open, html_end and the reply on
 * finish.  f is NULL when memory ran out (finish then replies 500). */
typedef struct board_page {
    FILE *f;
    char *buf;
    size_t len;
} board_page;
FILE *board_page_open(board_page *p, const char *title, int refresh);
void board_page_finish(board_page *p, board_reply *out);

/* ---- board_path.c: files inside the workdir, never outside ---- */

/* A plain name: not empty, no '/', not "." or "..", not hidden, no
 * control characters, at most 255 bytes. */
bool board_name_ok(const char *name);
/* Opens the workdir-relative path `rel` ("axle-work-3/output/a.jpg")
 * component by component without following any symbolic link, each
 * component a plain name; `dir` wants a folder, else a regular file.
 * -1 with errno (EACCES for a refused name or link, ENOENT, ...). */
int board_open(const board *b, const char *rel, bool dir);
/* The same below the folder open as `base_fd` (an export's dest). */
int board_open_at(int base_fd, const char *rel, bool dir);
/* The job folder of id, as "ID" relative to the workdir, when it is one
 * (a folder directly in the workdir holding job.json, or a running job's
 * folder when `running_ok`). */
bool board_job_exists(const board *b, const char *id, bool running_ok);
/* A JSON file inside the workdir, or NULL. */
json_t *board_read_json(const board *b, const char *rel);
/* True when `path` (absolute) lies inside the workdir after resolving
 * links. */
bool board_inside(const board *b, const char *path);

/* ---- board_data.c: jobs, runs and datasets as JSON ---- */

/* job.json of a job, with "datasets" (names) and "logs" (log file names)
 * added; NULL when there is no such complete or failed job. */
json_t *board_job(const board *b, const char *id);
/* What listings show of a job: its summary.json (job_summary.h), or, for
 * a job from before summaries, the same fields from job.json; NULL when
 * there is no such complete or failed job. */
json_t *board_job_summary(const board *b, const char *id);
/* The names of a job's datasets (its ds/ folder), sorted. */
json_t *board_job_datasets(const board *b, const char *id);
/* board_job with its lists of registered files and skipped items as
 * arrays ("files", "skipped"): job.json counts them and files.json and
 * skipped.json hold them (a job made before holds them itself). */
json_t *board_job_full(const board *b, const char *id);
/* Every job folder of the workdir, by number: [{"id", "step", "method",
 * "status", "finished", "seconds"}] (status "running" without job.json). */
json_t *board_jobs(const board *b);
/* The runs, newest first: from WORKDIR/runs.jsonl when it exists, else
 * one run made of steps.json.  Each {"run", "start", "end", "pipeline",
 * "steps": [{"step", "job", "state", "seconds"}]} plus what else the log
 * holds. */
json_t *board_runs(const board *b);
/* Whether a run holds the workdir's lock now. */
bool board_run_in_progress(const board *b);

/* A dataset of a job, opened only when it and every folder it links to
 * lie inside the workdir.  NULL with a reason. */
axle_dataset *board_ds_open(const board *b, const char *id, const char *name,
                            char *err, size_t errlen);
/* The dataset's description: {"job", "name", "slices", "rows": [...],
 * "columns": [{"name", "type", "nulls", "linked_from"}], "parent",
 * "previous"}. */
json_t *board_ds_describe(const board *b, axle_dataset *ds, const char *id,
                          const char *name);
/* One cell as JSON: numbers, strings, JSON values as they are; bytes as
 * {"bytes": N}; images as {"codec", "width", "height"}; null as null.
 * The cursor is on the row. */
json_t *board_cell_json(axle_cursor *c, axle_type t);
/* Opens a cursor on `column` positioned on row `row` (counted over all
 * slices in order).  NULL with a reason. */
axle_cursor *board_cursor_at(axle_dataset *ds, const char *column, int64_t row,
                             char *err, size_t errlen);
/* The source file of row `row` of a dataset that has a `filename` column:
 * the file its import job lists (inputs.txt), as an absolute path.
 * malloc'd, or NULL when the dataset records none. */
char *board_source_path(const board *b, axle_dataset *ds, int64_t row);

/* ---- board_image.c ---- */

/* The image in `column` at `row`, as a file a browser shows: JPEG and
 * WebP cells as stored when they fit in `max` (0: any size) and need no
 * rotation, else decoded, oriented, scaled to fit `max` and encoded as
 * JPEG. */
void board_image_reply(axle_dataset *ds, const char *column, int64_t row, int max,
                       board_reply *out);

/* ---- board_dest.c: the files an export wrote to its `dest` ---- */

/* The dest folder of an export job, from the files its job.json lists
 * (DEST/.axle-export.json among them; `files` NULL: read from job.json,
 * kept while it is unchanged), when that folder's manifest still
 * names this workdir and this job: malloc'd, else NULL.  `why` (may be
 * NULL) then says what the manifest names instead, or stays "". */
char *board_dest_of(const board *b, const char *id, json_t *files, char *why,
                    size_t whylen);
/* /dest/ID/PATH: a file the job wrote to its dest, only when the dest's
 * manifest lists it for this job and it is unchanged since; never
 * through a link. */
void board_serve_dest(board *b, char **seg, int n, board_reply *out);

/* ---- board_routes.c: a file sent as it is ---- */

/* Sends the regular file open as fd (closed in any case); the type from
 * `name`'s extension. */
void board_reply_file(board_reply *out, int fd, const char *name);

/* ---- board_pages.c, board_ds_pages.c, board_api.c ---- */

void board_page_runs(board *b, board_reply *out);
void board_page_run(board *b, const char *run, board_reply *out);
void board_page_jobs(board *b, board_reply *out);
void board_page_job(board *b, const char *id, board_reply *out);
void board_page_log(board *b, const char *id, const char *log, board_reply *out);
void board_page_live(board *b, board_reply *out);
void board_page_ds(board *b, const char *id, const char *name, board_reply *out);
void board_page_gallery(board *b, const char *id, const char *name,
                        const char *column, int64_t page, board_reply *out);
void board_page_row(board *b, const char *id, const char *name, int64_t row,
                    board_reply *out);
/* An inline SVG bar chart of a flat {label: count} object; false (and
 * nothing written) when `result` is not one. */
bool board_bar_chart(FILE *f, json_t *result);
/* /api/...: seg[0] is "api". */
void board_api(board *b, char **seg, int n, board_reply *out);

/* ---- board_server.c ---- */

/* Serves `workdir` on addr:port until SIGINT or SIGTERM; prints the URL
 * on stdout.  Returns the exit status. */
int board_serve(const char *workdir, const char *addr, int port);

#endif
