/* cli_runs.c - `axle runs [N]`: the workdir's run history (run_log.h),
 * newest first, or one run with every step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diag.h"
#include "ref.h"
#include "run_log.h"
#include "run_status.h"
#include "workdir.h"

static const char runs_usage[] =
    "usage: axle runs [N] [--workdir DIR | -p FILE] [--json]\n"
    "\n"
    "Lists the runs recorded in the workdir, newest first: run number, start\n"
    "time, duration, jobs built, reused and failed, exit status, pipeline.\n"
    "With N, shows run N: its pipeline and digest, the params given and\n"
    "every step's job, state and seconds.  STEP@N names that job wherever a\n"
    "job REF is taken (axle job thumbs@3).\n";

/* A string of the history, or "?" (a record may lack it). */
static const char *
text(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "?";
}

static void
local_time(json_t *run, const char *key, char *out, size_t outlen)
{
    json_t *t = json_object_get(run, key);
    time_t secs = (time_t)json_number_value(t);
    struct tm tm;
    if (!json_is_number(t) || !localtime_r(&secs, &tm) ||
        !strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, outlen, "?");
}

/* "0", "1", "running" (the run publishing its status now) or "cut-off"
 * (no end record: killed, or the machine stopped). */
static const char *
exit_text(json_t *run, long running, char *buf, size_t buflen)
{
    json_t *exit_status = json_object_get(run, "exit");
    if (json_is_integer(exit_status)) {
        snprintf(buf, buflen, "%lld", (long long)json_integer_value(exit_status));
        return buf;
    }
    return json_integer_value(json_object_get(run, "run")) == running ? "running"
                                                                       : "cut-off";
}

static long
running_run(const char *wdpath)
{
    long stale;
    json_t *st = run_status_read(wdpath, &stale);
    long n = st ? (long)json_integer_value(json_object_get(st, "run")) : 0;
    json_decref(st);
    return n;
}

static void
list_runs(json_t *runs, long running)
{
    printf("%4s  %-19s  %9s  %5s  %6s  %6s  %-7s  %s\n", "run", "started", "seconds",
           "built", "reused", "failed", "exit", "pipeline");
    for (size_t i = json_array_size(runs); i-- > 0;) {
        json_t *r = json_array_get(runs, i);
        char started[32], seconds[32], code[16];
        local_time(r, "time", started, sizeof started);
        json_t *secs = json_object_get(r, "seconds");
        if (json_is_number(secs))
            snprintf(seconds, sizeof seconds, "%.2f", json_number_value(secs));
        else
            snprintf(seconds, sizeof seconds, "-");
        printf("%4lld  %-19s  %9s  %5lld  %6lld  %6lld  %-7s  %s\n",
               (long long)json_integer_value(json_object_get(r, "run")), started,
               seconds, (long long)json_integer_value(json_object_get(r, "built")),
               (long long)json_integer_value(json_object_get(r, "reused")),
               (long long)json_integer_value(json_object_get(r, "failed")),
               exit_text(r, running, code, sizeof code), text(r, "pipeline"));
    }
}

static void
print_params(json_t *params)
{
    printf("params:  ");
    if (json_object_size(params) == 0)
        printf(" none given");
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
        printf(" %s=%s", key, json_string_value(v) ? json_string_value(v) : "?");
    putchar('\n');
}

static void
show_run(json_t *r, long running)
{
    char started[32], ended[32], code[16];
    local_time(r, "time", started, sizeof started);
    const char *digest = json_string_value(json_object_get(r, "digest"));
    printf("run %lld: %s\n", (long long)json_integer_value(json_object_get(r, "run")),
           text(r, "pipeline"));
    printf("digest:   %s\n", digest ? digest : "- (read from a pipe)");
    print_params(json_object_get(r, "params"));
    printf("started:  %s (pid %lld)\n", started,
           (long long)json_integer_value(json_object_get(r, "pid")));
    const char *how = exit_text(r, running, code, sizeof code);
    if (json_is_integer(json_object_get(r, "exit"))) {
        local_time(r, "end_time", ended, sizeof ended);
        printf("ended:    %s, after %.2f s, exit status %s\n", ended,
               json_number_value(json_object_get(r, "seconds")), how);
    } else {
        printf("ended:    not (%s)\n", how);
    }
    json_t *steps = json_object_get(r, "steps");
    int namew = 4, idw = 1;
    size_t i;
    json_t *s;
    json_array_foreach(steps, i, s) {
        const char *name = text(s, "step");
        const char *job = json_string_value(json_object_get(s, "job"));
        namew = (int)strlen(name) > namew ? (int)strlen(name) : namew;
        idw = job && (int)strlen(job) > idw ? (int)strlen(job) : idw;
    }
    json_array_foreach(steps, i, s) {
        const char *job = json_string_value(json_object_get(s, "job"));
        printf("  %-*s  %-*s  %-7s  %7.2fs\n", namew, text(s, "step"), idw,
               job ? job : "-", text(s, "state"),
               json_number_value(json_object_get(s, "seconds")));
    }
    printf("%zu jobs: %lld built, %lld reused, %lld failed\n", json_array_size(steps),
           (long long)json_integer_value(json_object_get(r, "built")),
           (long long)json_integer_value(json_object_get(r, "reused")),
           (long long)json_integer_value(json_object_get(r, "failed")));
}

static int
parse_args(int argc, char **argv, long *n, bool *as_json)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(runs_usage, stdout);
            return 1;
        } else if (strcmp(a, "--json") == 0) {
            *as_json = true;
        } else if (*n == 0 && a[0] != '-' && (*n = strtol(a, &end, 10)) > 0 && !*end) {
            continue;
        } else {
            diag_error(NULL, 0, 0, "unexpected argument '%s' for runs (N is a run "
                       "number from axle runs)", a);
            fputs(runs_usage, stderr);
            return 2;
        }
    }
    return 0;
}

int
cli_runs(int argc, char **argv)
{
    char *wd = ref_workdir_from_args(&argc, argv);
    if (!wd)
        return 2;
    long n = 0;
    bool as_json = false;
    int rc = parse_args(argc, argv, &n, &as_json);
    workdir *w = rc == 0 ? workdir_open_existing(wd) : NULL;
    if (rc == 0 && !w) {
        diag_error(NULL, 0, 0, "no workdir at %s (give --workdir DIR or -p FILE)", wd);
        rc = 2;
    }
    json_t *runs = w ? run_log_read(w->path) : NULL;
    json_t *one = n > 0 ? run_log_find(runs, n) : NULL;
    if (w && n > 0 && !one) {
        diag_error(NULL, 0, 0, "there is no run %ld in the history of %s (axle runs "
                   "lists them)", n, w->path);
        rc = 2;
    } else if (w && as_json) {
        char *text = json_dumps(one ? one : runs, JSON_INDENT(2));
        puts(text);
        free(text);
    } else if (w && one) {
        show_run(one, running_run(w->path));
    } else if (w && json_array_size(runs) == 0) {
        printf("no runs recorded in %s yet\n", w->path);
    } else if (w) {
        list_runs(runs, running_run(w->path));
    }
    json_decref(runs);
    if (w)
        workdir_close(w);
    free(wd);
    return rc == 1 ? 0 : rc;
}
