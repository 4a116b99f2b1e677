/* board_pages.c - the pages about runs and jobs: the runs (the front
 * page), one run's steps, every job, one job, a stage log, and the live
 * view of a running run. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"

/* Files shown on a job's page (skipped items: five times as many); the
 * rest are in /api/jobs/ID. */
#define JOB_PAGE_ITEMS 200

/* ---- small pieces ---- */

static void
job_link(FILE *f, const char *id)
{
    if (!id) {
        fputs("-", f);
        return;
    }
    fputs("<a href=\"/job/", f);
    html_url_part(f, id);
    fputs("\">", f);
    html_text(f, id);
    fputs("</a>", f);
}

static void
state_cell(FILE *f, const char *state)
{
    fputs("<td class=\"", f);
    html_text(f, state ? state : "unknown");
    fputs("\">", f);
    html_text(f, state ? state : "?");
    fputs("</td>", f);
}

static void
seconds_cell(FILE *f, json_t *v)
{
    if (json_is_number(v))
        html_printf(f, "<td class=\"n\">%.2fs</td>", json_number_value(v));
    else
        fputs("<td></td>", f);
}

static void
text_cell(FILE *f, json_t *v)
{
    fputs("<td>", f);
    if (json_is_string(v))
        html_text(f, json_string_value(v));
    else if (v && !json_is_null(v)) {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        html_text(f, text);
        free(text);
    }
    fputs("</td>", f);
}

/* "run" as text: a number or a name. */
static void
run_key(json_t *run, char *buf, size_t len)
{
    if (json_is_integer(run))
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(run));
    else
        snprintf(buf, len, "%s", json_is_string(run) ? json_string_value(run) : "?");
}

static void
count_states(json_t *steps, int *built, int *reused, int *failed)
{
    size_t i;
    json_t *s;
    *built = *reused = *failed = 0;
    json_array_foreach(steps, i, s) {
        const char *st = json_string_value(json_object_get(s, "state"));
        if (!st)
            continue;
        if (strcmp(st, "built") == 0 || strcmp(st, "complete") == 0)
            (*built)++;
        else if (strcmp(st, "reused") == 0)
            (*reused)++;
        else if (strcmp(st, "failed") == 0)
            (*failed)++;
    }
}

static void
live_banner(board *b, FILE *f)
{
    if (board_run_in_progress(b))
        fputs("<p class=\"running\">A run is in progress: <a href=\"/live\">watch it "
              "live</a>.</p>\n", f);
}

/* ---- the runs ---- */

void
board_page_runs(board *b, board_reply *out)
{
    board_page p;
    FILE *f = board_page_open(&p, "runs", 0);
    if (!f) {
        board_page_finish(&p, out);
        return;
    }
    html_printf(f, "<p class=\"muted\">workdir ");
    html_text(f, b->workdir);
    html_printf(f, "</p>\n");
    live_banner(b, f);
    json_t *runs = board_runs(b);
    if (json_array_size(runs) == 0)
        fputs("<p>No runs in this workdir yet.</p>\n", f);
    else if (json_is_true(json_object_get(json_array_get(runs, 0), "from_steps_json")))
        fputs("<p class=\"muted\">This workdir has no run history (runs.jsonl); shown is "
              "its latest run as steps.json records it.</p>\n", f);
    if (json_array_size(runs) > 0)
        fputs("<table><tr><th>run</th><th>start</th><th>end</th><th>pipeline</th>"
              "<th>steps</th><th>built</th><th>reused</th><th>failed</th><th>exit</th></tr>\n",
              f);
    size_t i;
    json_t *r;
    json_array_foreach(runs, i, r) {
        char key[64];
        run_key(json_object_get(r, "run"), key, sizeof key);
        json_t *steps = json_object_get(r, "steps");
        int built, reused, failed;
        count_states(steps, &built, &reused, &failed);
        fputs("<tr><td><a href=\"/run/", f);
        html_url_part(f, key);
        fputs("\">", f);
        html_text(f, key);
        fputs("</a></td>", f);
        text_cell(f, json_object_get(r, "start"));
        text_cell(f, json_object_get(r, "end"));
        text_cell(f, json_object_get(r, "pipeline"));
        html_printf(f, "<td class=\"n\">%zu</td><td class=\"n\">%d</td><td class=\"n\">%d"
                    "</td><td class=\"n\">%d</td>", json_array_size(steps), built, reused,
                    failed);
        text_cell(f, json_object_get(r, "exit"));
        fputs("</tr>\n", f);
    }
    if (json_array_size(runs) > 0)
        fputs("</table>\n", f);
    json_decref(runs);
    fputs("<p><a href=\"/jobs\">every job in the workdir</a></p>\n", f);
    board_page_finish(&p, out);
}

void
board_page_run(board *b, const char *run, board_reply *out)
{
    json_t *runs = board_runs(b), *r = NULL, *v;
    size_t i;
    json_array_foreach(runs, i, v) {
        char key[64];
        run_key(json_object_get(v, "run"), key, sizeof key);
        if (strcmp(key, run) == 0) {
            r = v;
            break;
        }
    }
    if (!r) {
        json_decref(runs);
        board_reply_error(out, 404, "no run %s in this workdir", run);
        return;
    }
    char title[128];
    snprintf(title, sizeof title, "run %s", run);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f) {
        fputs("<table><tr><th>step</th><th>job</th><th>state</th><th>seconds</th>"
              "<th>datasets</th></tr>\n", f);
        json_t *s;
        json_array_foreach(json_object_get(r, "steps"), i, s) {
            const char *id = json_string_value(json_object_get(s, "job"));
            fputs("<tr>", f);
            text_cell(f, json_object_get(s, "step"));
            fputs("<td>", f);
            job_link(f, id);
            fputs("</td>", f);
            state_cell(f, json_string_value(json_object_get(s, "state")));
            seconds_cell(f, json_object_get(s, "seconds"));
            fputs("<td>", f);
            json_t *names = id ? board_job_datasets(b, id) : NULL;
            size_t k;
            json_t *d;
            json_array_foreach(names, k, d) {
                fputs("<a href=\"/ds/", f);
                html_url_part(f, id);
                fputs("/", f);
                html_url_part(f, json_string_value(d));
                fputs("\">", f);
                html_text(f, json_string_value(d));
                fputs("</a> ", f);
            }
            json_decref(names);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n<h2>details</h2>\n", f);
        json_t *rest = json_deep_copy(r);
        json_object_del(rest, "steps");
        html_json(f, rest);
        json_decref(rest);
    }
    json_decref(runs);
    board_page_finish(&p, out);
}

/* ---- jobs ---- */

void
board_page_jobs(board *b, board_reply *out)
{
    board_page p;
    FILE *f = board_page_open(&p, "jobs", 0);
    if (!f) {
        board_page_finish(&p, out);
        return;
    }
    live_banner(b, f);
    json_t *jobs = board_jobs(b);
    fputs("<table><tr><th>job</th><th>step</th><th>method</th><th>status</th>"
          "<th>finished</th><th>seconds</th></tr>\n", f);
    size_t i;
    json_t *j;
    json_array_foreach(jobs, i, j) {
        fputs("<tr><td>", f);
        job_link(f, json_string_value(json_object_get(j, "id")));
        fputs("</td>", f);
        text_cell(f, json_object_get(j, "step"));
        text_cell(f, json_object_get(j, "method"));
        state_cell(f, json_string_value(json_object_get(j, "status")));
        text_cell(f, json_object_get(j, "finished"));
        seconds_cell(f, json_object_get(j, "seconds"));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    json_decref(jobs);
    board_page_finish(&p, out);
}

static void
kv_table(FILE *f, json_t *obj)
{
    if (json_object_size(obj) == 0) {
        fputs("<p class=\"muted\">(none)</p>\n", f);
        return;
    }
    fputs("<table>\n", f);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        fputs("<tr><th>", f);
        html_text(f, key);
        fputs("</th>", f);
        text_cell(f, v);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* Inputs are dataset folders (".../axle-work-1/ds/default") or job
 * folders: linked to their pages when they are in this workdir. */
static void
inputs_table(board *b, FILE *f, json_t *inputs)
{
    if (json_object_size(inputs) == 0) {
        fputs("<p class=\"muted\">(none)</p>\n", f);
        return;
    }
    fputs("<table>\n", f);
    const char *key;
    json_t *v;
    size_t n = strlen(b->workdir);
    json_object_foreach(inputs, key, v) {
        const char *path = json_string_value(v);
        fputs("<tr><th>", f);
        html_text(f, key);
        fputs("</th><td>", f);
        char *rel = path && strncmp(path, b->workdir, n) == 0 && path[n] == '/'
                        ? strdup(path + n + 1) : NULL;
        char *ds = rel ? strstr(rel, "/ds/") : NULL;
        if (ds) {
            *ds = '\0';
            fputs("<a href=\"/ds/", f);
            html_url_part(f, rel);
            fputs("/", f);
            html_url_part(f, ds + 4);
            fputs("\">", f);
            html_text(f, rel);
            fputs("/", f);
            html_text(f, ds + 4);
            fputs("</a>", f);
        } else if (rel && !strchr(rel, '/')) {
            job_link(f, rel);
        } else {
            html_text(f, path);
        }
        free(rel);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static bool
is_image_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
                   strcasecmp(dot, ".webp") == 0 || strcasecmp(dot, ".png") == 0 ||
                   strcasecmp(dot, ".gif") == 0 || strcasecmp(dot, ".avif") == 0);
}

/* "/a/b.jpg" of a relative path, each component encoded, '/' kept. */
static void
file_url_rest(FILE *f, const char *rel)
{
    for (const char *p = rel; *p;) {
        size_t k = strcspn(p, "/");
        char *part = strndup(p, k);
        fputs("/", f);
        html_url_part(f, part ? part : "");
        free(part);
        p += k + (p[k] == '/');
    }
}

/* Where the browser gets a registered file: the job folder's own files
 * at /file/ID/..., those in the export's dest at /dest/ID/...; NULL for
 * any other (a file outside both, or dest's manifest). */
static const char *
file_route(const char *rel, const char *dest, const char **rest)
{
    size_t n = dest ? strlen(dest) : 0;
    if (rel[0] != '/') {
        *rest = rel;
        return "/file/";
    }
    if (dest && strncmp(rel, dest, n) == 0 && rel[n] == '/' && rel[n + 1] != '.') {
        *rest = rel + n + 1;
        return "/dest/";
    }
    return NULL;
}

static void
file_url(FILE *f, const char *route, const char *id, const char *rest)
{
    fputs(route, f);
    html_url_part(f, id);
    file_url_rest(f, rest);
}

/* An export whose output folder a job built on it took over
 * (lib/chain_carry.c): where its files are now, instead of a grid of
 * files it no longer has.  True when it said so. */
static bool
files_moved(board *b, FILE *f, const char *id)
{
    char rel[600];
    snprintf(rel, sizeof rel, "%s/superseded.json", id);
    json_t *moved = board_job_exists(b, id, false) ? board_read_json(b, rel) : NULL;
    const char *by = json_string_value(json_object_get(moved, "by"));
    bool said = by && board_name_ok(by);
    if (said) {
        fputs("<p>Its files moved to <a href=\"/job/", f);
        html_url_part(f, by);
        fputs("\">", f);
        html_text(f, by);
        fputs("</a>, which was built on it (the job is kept for its dataset and is "
              "rebuilt if a run needs it again).</p>\n", f);
    }
    json_decref(moved);
    return said;
}

static void
files_list(board *b, FILE *f, const char *id, json_t *files)
{
    html_printf(f, "<h2>files (%zu)</h2>\n", json_array_size(files));
    if (json_array_size(files) == 0 || files_moved(b, f, id))
        return;
    char why[4800];
    char *dest = board_dest_of(b, id, files, why, sizeof why);
    if (dest) {
        fputs("<p>Written to the export's dest folder <code>", f);
        html_text(f, dest);
        fputs("</code>.</p>\n", f);
    } else if (why[0]) {
        fputs("<p class=\"muted\">The files in dest are not shown: ", f);
        html_text(f, why);
        fputs(".</p>\n", f);
    }
    fputs("<div class=\"grid\">\n", f);
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v) {
        const char *rel = json_string_value(v), *rest = NULL;
        if (i == JOB_PAGE_ITEMS)
            break;
        if (!rel)
            continue;
        const char *route = file_route(rel, dest, &rest);
        fputs("<figure>", f);
        if (route) {
            fputs("<a href=\"", f);
            file_url(f, route, id, rest);
            fputs("\">", f);
        }
        if (route && is_image_name(rel)) {
            fputs("<img loading=\"lazy\" alt=\"", f);
            html_text(f, rest);
            fputs("\" src=\"", f);
            file_url(f, route, id, rest);
            fputs("\"><br>", f);
        }
        fputs("<figcaption>", f);
        html_text(f, rest ? rest : rel);
        fputs(route ? "</figcaption></a></figure>\n" : "</figcaption></figure>\n", f);
    }
    fputs("</div>\n", f);
    free(dest);
    if (json_array_size(files) > JOB_PAGE_ITEMS)
        html_printf(f, "<p>... and %zu more: every file is listed at <a href=\"/api/jobs/",
                    json_array_size(files) - JOB_PAGE_ITEMS);
    if (json_array_size(files) > JOB_PAGE_ITEMS) {
        html_url_part(f, id);
        fputs("\">the job's JSON</a>.</p>\n", f);
    }
}

static void
skipped_list(FILE *f, json_t *skipped)
{
    html_printf(f, "<h2>skipped items (%zu)</h2>\n", json_array_size(skipped));
    if (json_array_size(skipped) == 0)
        return;
    fputs("<table><tr><th>item</th><th>reason</th></tr>\n", f);
    size_t i;
    json_t *v;
    json_array_foreach(skipped, i, v) {
        if (i == JOB_PAGE_ITEMS * 5) {
            html_printf(f, "<tr><td colspan=\"2\">... and %zu more (skipped.json in the "
                        "job folder)</td></tr>\n", json_array_size(skipped) - i);
            break;
        }
        fputs("<tr>", f);
        text_cell(f, json_is_string(v) ? v : json_object_get(v, "file"));
        fputs("<td>", f);
        html_text(f, json_string_value(json_object_get(v, "reason")));
        if (json_is_true(json_object_get(v, "transient")))
            fputs(" <span class=\"muted\">(for now: the next run tries it again)</span>", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A stage log's text, at most `limit` bytes of it. */
static void
log_text(board *b, FILE *f, const char *id, const char *name, size_t limit, bool *cut)
{
    char rel[1024];
    snprintf(rel, sizeof rel, "%s/log/%s", id, name);
    int fd = board_open(b, rel, false);
    *cut = false;
    if (fd < 0) {
        fputs("(cannot read this log)", f);
        return;
    }
    char buf[65536];
    size_t total = 0;
    ssize_t n;
    while (total < limit && (n = read(fd, buf, sizeof buf)) > 0) {
        size_t take = (size_t)n < limit - total ? (size_t)n : limit - total;
        html_textn(f, buf, take);
        total += take;
        *cut = take < (size_t)n;
    }
    if (total == limit && read(fd, buf, 1) > 0)
        *cut = true;
    close(fd);
}

static void
logs_section(board *b, FILE *f, const char *id, json_t *logs)
{
    html_printf(f, "<h2>stage output (%zu logs)</h2>\n", json_array_size(logs));
    size_t i;
    json_t *v;
    json_array_foreach(logs, i, v) {
        const char *name = json_string_value(v);
        fputs("<details><summary>", f);
        html_text(f, name);
        fputs(" (<a href=\"/job/", f);
        html_url_part(f, id);
        fputs("/log/", f);
        html_url_part(f, name);
        fputs("\">whole log</a>)</summary><pre>", f);
        bool cut;
        log_text(b, f, id, name, 65536, &cut);
        fputs(cut ? "\n...</pre></details>\n" : "</pre></details>\n", f);
    }
}

/* Each slice's analysis seconds as a bar against the slowest slice, so
 * an unbalanced job shows at a glance. */
static void
slice_times(FILE *f, json_t *slices)
{
    if (json_array_size(slices) == 0)
        return;
    double slowest = 0;
    size_t i;
    json_t *v;
    json_array_foreach(slices, i, v)
        if (json_number_value(v) > slowest)
            slowest = json_number_value(v);
    fputs("<table class=\"slices\"><tr><th>slice</th><th>analysis</th><th></th></tr>\n", f);
    json_array_foreach(slices, i, v) {
        html_printf(f, "<tr><td class=\"n\">%zu</td>", i);
        seconds_cell(f, v);
        if (json_is_number(v))
            html_printf(f, "<td><meter min=\"0\" max=\"%.6f\" value=\"%.6f\"></meter></td>",
                        slowest > 0 ? slowest : 1.0, json_number_value(v));
        else
            fputs("<td class=\"muted\">did not return</td>", f);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void
job_summary(FILE *f, json_t *j)
{
    json_t *sec = json_object_get(j, "seconds");
    json_t *rec = json_object_get(j, "identity_record");
    fputs("<table>\n<tr><th>step</th>", f);
    text_cell(f, json_object_get(j, "step"));
    fputs("</tr>\n<tr><th>method</th>", f);
    text_cell(f, json_object_get(j, "method"));
    fputs("</tr>\n<tr><th>method file</th>", f);
    text_cell(f, json_object_get(j, "method_path"));
    fputs("</tr>\n<tr><th>status</th>", f);
    state_cell(f, json_string_value(json_object_get(j, "status")));
    fputs("</tr>\n<tr><th>finished</th>", f);
    text_cell(f, json_object_get(j, "finished"));
    fputs("</tr>\n", f);
    if (json_object_get(j, "error")) {
        fputs("<tr><th>error</th><td class=\"failed\">", f);
        html_text(f, json_string_value(json_object_get(j, "error")));
        fputs("</td></tr>\n", f);
    }
    fputs("<tr><th>identity</th>", f);
    text_cell(f, json_object_get(j, "identity"));
    fputs("</tr>\n<tr><th>slices</th>", f);
    text_cell(f, json_object_get(rec, "slices"));
    fputs("</tr>\n</table>\n<h2>stage times</h2>\n<table><tr><th>prepare</th>"
          "<th>analysis</th><th>synthesis</th><th>total</th></tr>\n<tr>", f);
    seconds_cell(f, json_object_get(sec, "prepare"));
    seconds_cell(f, json_object_get(sec, "analysis"));
    seconds_cell(f, json_object_get(sec, "synthesis"));
    seconds_cell(f, json_object_get(sec, "total"));
    fputs("</tr></table>\n", f);
    slice_times(f, json_object_get(json_object_get(j, "stages"), "analysis"));
}

static void
result_section(FILE *f, json_t *result)
{
    if (!result || json_is_null(result))
        return;
    fputs("<h2>result</h2>\n", f);
    if (board_bar_chart(f, result))
        return;
    char *text = json_dumps(result, JSON_INDENT(2) | JSON_ENCODE_ANY);
    fputs("<pre>", f);
    html_text(f, text);
    fputs("</pre>\n", f);
    free(text);
}

void
board_page_job(board *b, const char *id, board_reply *out)
{
    json_t *j = board_job_full(b, id);
    if (!j) {
        if (board_job_exists(b, id, true))
            board_reply_error(out, 404, "job %s has no job.json: it is running, or it "
                              "was cut off and will never be reused", id);
        else
            board_reply_error(out, 404, "no job %s in this workdir", id);
        return;
    }
    char title[300];
    snprintf(title, sizeof title, "job %s", id);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f) {
        job_summary(f, j);
        fputs("<h2>why built</h2>\n<ul>", f);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(j, "why_built"), i, v) {
            fputs("<li>", f);
            html_text(f, json_string_value(v));
            fputs("</li>", f);
        }
        fputs("</ul>\n<h2>options</h2>\n", f);
        kv_table(f, json_object_get(json_object_get(j, "identity_record"), "options"));
        fputs("<h2>inputs</h2>\n", f);
        inputs_table(b, f, json_object_get(j, "inputs"));
        html_printf(f, "<h2>datasets (%zu)</h2>\n<ul>",
                    json_array_size(json_object_get(j, "datasets")));
        json_array_foreach(json_object_get(j, "datasets"), i, v) {
            fputs("<li><a href=\"/ds/", f);
            html_url_part(f, id);
            fputs("/", f);
            html_url_part(f, json_string_value(v));
            fputs("\">", f);
            html_text(f, json_string_value(v));
            fputs("</a></li>", f);
        }
        fputs("</ul>\n", f);
        result_section(f, json_object_get(j, "result"));
        files_list(b, f, id, json_object_get(j, "files"));
        skipped_list(f, json_object_get(j, "skipped"));
        logs_section(b, f, id, json_object_get(j, "logs"));
        fputs("<p><a href=\"/api/jobs/", f);
        html_url_part(f, id);
        fputs("\">this job as JSON</a></p>\n", f);
    }
    json_decref(j);
    board_page_finish(&p, out);
}

void
board_page_log(board *b, const char *id, const char *log, board_reply *out)
{
    if (!board_job_exists(b, id, true) || !board_name_ok(log)) {
        board_reply_error(out, 404, "no such log");
        return;
    }
    char title[600];
    snprintf(title, sizeof title, "%s: %s", id, log);
    board_page p;
    FILE *f = board_page_open(&p, title, 0);
    if (f) {
        fputs("<pre>", f);
        bool cut;
        log_text(b, f, id, log, (size_t)8 << 20, &cut);
        fputs(cut ? "\n...</pre>\n" : "</pre>\n", f);
    }
    board_page_finish(&p, out);
}

/* ---- live ---- */

/* The last `limit` bytes of each stage log of a running job. */
static void
running_job(board *b, FILE *f, const char *id)
{
    fputs("<h2>", f);
    html_text(f, id);
    fputs(" (running)</h2>\n", f);
    char rel[512];
    snprintf(rel, sizeof rel, "%s/log", id);
    int fd = board_open(b, rel, true);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!board_name_ok(e->d_name))
            continue;
        int lf = openat(fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;
        if (lf < 0 || fstat(lf, &st) < 0 || !S_ISREG(st.st_mode)) {
            if (lf >= 0)
                close(lf);
            continue;
        }
        char buf[4096];
        off_t from = st.st_size > (off_t)sizeof buf ? st.st_size - (off_t)sizeof buf : 0;
        ssize_t n = pread(lf, buf, sizeof buf, from);
        close(lf);
        fputs("<h3>", f);
        html_text(f, e->d_name);
        fputs("</h3><pre>", f);
        if (n > 0)
            html_textn(f, buf, (size_t)n);
        fputs("</pre>\n", f);
    }
    if (d)
        closedir(d);
    else if (fd >= 0)
        close(fd);
}

void
board_page_live(board *b, board_reply *out)
{
    board_page p;
    FILE *f = board_page_open(&p, "live", 2);
    if (!f) {
        board_page_finish(&p, out);
        return;
    }
    bool running = board_run_in_progress(b);
    fputs(running ? "<p class=\"running\">A run is in progress (this page reloads every "
                    "2 seconds).</p>\n"
                  : "<p>No run in progress. This page reloads every 2 seconds and shows "
                    "the next run as it starts.</p>\n", f);
    int fd = board_open(b, ".status", false);
    if (fd < 0) /* board_open refuses hidden names: .status is axle's to read */
        fd = openat(b->wd_fd, ".status", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (running && fd >= 0) {
        char buf[65536];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        json_t *status = json_loads(buf, JSON_DECODE_ANY, NULL);
        fputs("<h2>status</h2>\n", f);
        if (status) {
            html_json(f, status);
        } else {
            fputs("<pre>", f);
            html_text(f, buf);
            fputs("</pre>\n", f);
        }
        json_decref(status);
    }
    if (fd >= 0)
        close(fd);
    json_t *jobs = board_jobs(b);
    size_t i;
    json_t *j;
    json_array_foreach(jobs, i, j)
        if (running && strcmp(json_string_value(json_object_get(j, "status")), "running") == 0)
            running_job(b, f, json_string_value(json_object_get(j, "id")));
    json_decref(jobs);
    board_page_finish(&p, out);
}
