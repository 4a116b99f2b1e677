/* board_routes.c - which page a URL asks for, and the files the board
 * sends as they are (a job's files, a dataset's source images). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"

void
board_reply_text(board_reply *out, int status, const char *type, char *body, size_t len)
{
    out->status = status;
    out->type = type;
    out->body = body;
    out->len = len;
}

void
board_reply_error(board_reply *out, int status, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f) {
        board_reply_text(out, 500, "text/plain", NULL, 0);
        return;
    }
    html_begin(f, status == 404 ? "not found" : status == 403 ? "refused" : "error", 0);
    fputs("<p class=\"failed\">", f);
    html_text(f, msg);
    fputs("</p>\n", f);
    html_end(f);
    fclose(f);
    free(out->body);
    board_reply_text(out, status, "text/html; charset=utf-8", body, len);
}

/* Only types a browser shows without running anything; the rest is
 * offered for download. */
static const char *
type_of(const char *name, bool *attachment)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
                 {".webp", "image/webp"}, {".png", "image/png"},
                 {".gif", "image/gif"},   {".avif", "image/avif"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".json", "application/json"}, {".jsonl", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(name, '.');
    *attachment = false;
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(dot, types[i].ext) == 0)
            return types[i].type;
    *attachment = true;
    return "application/octet-stream";
}

void
board_reply_file(board_reply *out, int fd, const char *name)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        board_reply_error(out, 403, "not a regular file");
        return;
    }
    out->status = 200;
    out->fd = fd;
    out->fd_size = (uint64_t)st.st_size;
    out->type = type_of(name, &out->attachment);
    out->cacheable = true;
}

/* /file/ID/PATH: a file inside a job's folder. */
static void
serve_job_file(board *b, char **seg, int n, board_reply *out)
{
    if (n < 3 || !board_job_exists(b, seg[1], true)) {
        board_reply_error(out, 404, "no such job");
        return;
    }
    char rel[4096];
    size_t len = 0;
    for (int i = 1; i < n && len < sizeof rel; i++)
        len += (size_t)snprintf(rel + len, sizeof rel - len, "%s%s", i > 1 ? "/" : "", seg[i]);
    if (len >= sizeof rel) {
        board_reply_error(out, 404, "path too long");
        return;
    }
    int fd = board_open(b, rel, false);
    if (fd < 0) {
        if (errno == ENOENT)
            board_reply_error(out, 404, "no file %s in the workdir", rel);
        else
            board_reply_error(out, 403, "%s: refused (the board serves only plain files "
                              "inside the workdir, never through links)", rel);
        return;
    }
    board_reply_file(out, fd, seg[n - 1]);
}

static bool
parse_count(const char *s, int64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*end || errno || x < 0)
        return false;
    *v = x;
    return true;
}

/* /source/ID/NAME/ROW: the file a dataset's row was imported from, only
 * when the import lists it. */
static void
serve_source(board *b, char **seg, int n, board_reply *out)
{
    int64_t row;
    char err[1024];
    if (n != 4 || !parse_count(seg[3], &row)) {
        board_reply_error(out, 404, "want /source/JOB/DATASET/ROW");
        return;
    }
    axle_dataset *ds = board_ds_open(b, seg[1], seg[2], err, sizeof err);
    if (!ds) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    char *src = board_source_path(b, ds, row);
    axle_dataset_close(ds);
    if (!src) {
        board_reply_error(out, 404, "row %" PRId64 " of %s/%s names no imported file",
                          row, seg[1], seg[2]);
        return;
    }
    int fd = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        board_reply_error(out, 404, "%s: %s", src, strerror(errno));
        free(src);
        return;
    }
    fcntl(fd, F_SETFL, 0);
    board_reply_file(out, fd, src);
    out->cacheable = false; /* the user's file may change */
    free(src);
}

/* /cell/ID/NAME/COLUMN/ROW[?max=N] */
static void
serve_cell(board *b, const board_request *rq, char **seg, int n, board_reply *out)
{
    int64_t row, max = 0;
    char err[1024];
    const char *m = rq->arg ? rq->arg(rq->ctx, "max") : NULL;
    if (n != 5 || !parse_count(seg[4], &row) || (m && (!parse_count(m, &max) || max > 4096))) {
        board_reply_error(out, 404, "want /cell/JOB/DATASET/COLUMN/ROW[?max=1..4096]");
        return;
    }
    axle_dataset *ds = board_ds_open(b, seg[1], seg[2], err, sizeof err);
    if (!ds) {
        board_reply_error(out, 404, "%s", err);
        return;
    }
    board_image_reply(ds, seg[3], row, (int)max, out);
    axle_dataset_close(ds);
}

static void
reply_css(board_reply *out)
{
    char *css = strdup(board_css);
    board_reply_text(out, 200, "text/css", css, css ? strlen(css) : 0);
}

#define MAX_SEGMENTS 64

void
board_route(board *b, const board_request *rq, board_reply *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    char *copy = strdup(rq->path ? rq->path : "/");
    char *seg[MAX_SEGMENTS];
    int n = 0;
    char *save = NULL;
    for (char *p = strtok_r(copy, "/", &save); p && n < MAX_SEGMENTS;
         p = strtok_r(NULL, "/", &save))
        seg[n++] = p;
    const char *page = rq->arg ? rq->arg(rq->ctx, "page") : NULL;
    int64_t num = 0;
    if (n == MAX_SEGMENTS)
        board_reply_error(out, 404, "path too deep");
    else if (n == 0)
        board_page_runs(b, out);
    else if (strcmp(seg[0], "board.css") == 0 && n == 1)
        reply_css(out);
    else if (strcmp(seg[0], "jobs") == 0 && n == 1)
        board_page_jobs(b, out);
    else if (strcmp(seg[0], "live") == 0 && n == 1)
        board_page_live(b, out);
    else if (strcmp(seg[0], "run") == 0 && n == 2)
        board_page_run(b, seg[1], out);
    else if (strcmp(seg[0], "job") == 0 && n == 2)
        board_page_job(b, seg[1], out);
    else if (strcmp(seg[0], "job") == 0 && n == 4 && strcmp(seg[2], "log") == 0)
        board_page_log(b, seg[1], seg[3], out);
    else if (strcmp(seg[0], "ds") == 0 && n == 3)
        board_page_ds(b, seg[1], seg[2], out);
    else if (strcmp(seg[0], "gallery") == 0 && n == 4)
        board_page_gallery(b, seg[1], seg[2], seg[3],
                           page && parse_count(page, &num) && num > 0 ? num : 1, out);
    else if (strcmp(seg[0], "row") == 0 && n == 4 && parse_count(seg[3], &num))
        board_page_row(b, seg[1], seg[2], num, out);
    else if (strcmp(seg[0], "cell") == 0)
        serve_cell(b, rq, seg, n, out);
    else if (strcmp(seg[0], "source") == 0)
        serve_source(b, seg, n, out);
    else if (strcmp(seg[0], "file") == 0)
        serve_job_file(b, seg, n, out);
    else if (strcmp(seg[0], "dest") == 0)
        board_serve_dest(b, seg, n, out);
    else if (strcmp(seg[0], "api") == 0)
        board_api(b, seg, n, out);
    else
        board_reply_error(out, 404, "no page %s", rq->path);
    free(copy);
}
