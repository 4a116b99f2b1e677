/* cli_job.c - `axle job REF`: what a job was made of and what it did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "cli.h"
#include "job_record.h"
#include "ref.h"

static const char job_usage[] =
    "usage: axle job REF [--workdir DIR | -p FILE] [--json]\n"
    "\n"
    "Shows a job: method and file, status, options, inputs, timing, why it\n"
    "was built, registered files, skipped items and result.  REF is a job\n"
    "id or a step name of the latest run in the workdir.\n";

/* Floats as written (176.43), not as jansson prints them. */
static char *
compact(json_t *v)
{
    return axle_internal_json_dumps(v, JSON_COMPACT);
}

static void
print_object(const char *title, json_t *obj)
{
    printf("%s:\n", title);
    if (json_object_size(obj) == 0)
        printf("  (none)\n");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char *text = compact(v);
        printf("  %-14s %s\n", key, text);
        free(text);
    }
}

/* A result that is a flat {"label": count} object prints as a table. */
static bool
print_table(json_t *result)
{
    if (!json_is_object(result) || json_object_size(result) == 0)
        return false;
    const char *key;
    json_t *v;
    int w = 5;
    json_int_t total = 0;
    json_object_foreach(result, key, v) {
        if (!json_is_integer(v))
            return false;
        w = (int)strlen(key) > w ? (int)strlen(key) : w;
        total += json_integer_value(v);
    }
    printf("  %-*s  %8s\n", w, "", "count");
    json_object_foreach(result, key, v)
        printf("  %-*s  %8lld\n", w, key, (long long)json_integer_value(v));
    printf("  %-*s  %8lld\n", w, "total", (long long)total);
    return true;
}

static void
print_list(const char *title, json_t *list, size_t limit)
{
    printf("%s: %zu\n", title, json_array_size(list));
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (i == limit) {
            printf("  ... and %zu more\n", json_array_size(list) - limit);
            break;
        }
        /* Names are the user's: control characters reach the terminal
         * escaped, as in the methods' own skip lines. */
        json_t *name = json_is_string(v) ? v : json_object_get(v, "file");
        char *shown = axle_internal_escape(json_string_value(name));
        if (json_is_string(v))
            printf("  %s\n", shown ? shown : "?");
        else
            printf("  %s: %s%s\n", shown ? shown : "?",
                   json_string_value(json_object_get(v, "reason")),
                   json_is_true(json_object_get(v, "transient"))
                       ? " (for now: the next run tries it again)" : "");
        free(shown);
    }
}

/* Each slice's analysis seconds ("-": the slice did not return). */
static void
print_slice_times(json_t *slices)
{
    if (json_array_size(slices) == 0)
        return;
    printf("analysis  by slice:");
    size_t i;
    json_t *v;
    json_array_foreach(slices, i, v) {
        if (json_is_number(v))
            printf(" %zu: %.3fs", i, json_number_value(v));
        else
            printf(" %zu: -", i);
    }
    printf("\n");
}

/* A list job.json counts and files.json or skipped.json holds. */
static void
print_stored_list(const char *dir, json_t *j, const char *key, size_t limit)
{
    json_t *list = job_record_list(dir, j, key);
    if (list)
        print_list(key, list, limit);
    else
        printf("%s: %zu (%s/%s.json cannot be read)\n", key, job_record_count(j, key), dir,
               key);
    json_decref(list);
}

static void
print_job(const char *dir, json_t *j)
{
    json_t *rec = json_object_get(j, "identity_record");
    json_t *sec = json_object_get(j, "seconds");
    printf("job       %s (step %s)\n", json_string_value(json_object_get(j, "id")),
           json_string_value(json_object_get(j, "step")));
    printf("folder    %s\n", dir);
    printf("method    %s  %s\n", json_string_value(json_object_get(j, "method")),
           json_string_value(json_object_get(j, "method_path")));
    if (json_object_get(j, "libaxle"))
        printf("libaxle   %s\n", json_string_value(json_object_get(j, "libaxle")));
    printf("status    %s  (finished %s)\n",
           json_string_value(json_object_get(j, "status")),
           json_string_value(json_object_get(j, "finished")));
    if (json_object_get(j, "error"))
        printf("error     %s\n", json_string_value(json_object_get(j, "error")));
    printf("identity  %s\n", json_string_value(json_object_get(j, "identity")));
    printf("time      %.3fs total: prepare %.3fs, analysis %.3fs, synthesis %.3fs\n",
           json_real_value(json_object_get(sec, "total")),
           json_real_value(json_object_get(sec, "prepare")),
           json_real_value(json_object_get(sec, "analysis")),
           json_real_value(json_object_get(sec, "synthesis")));
    printf("slices    %lld\n", (long long)json_integer_value(json_object_get(rec, "slices")));
    print_slice_times(json_object_get(json_object_get(j, "stages"), "analysis"));
    print_object("options", json_object_get(rec, "options"));
    print_object("inputs", json_object_get(j, "inputs"));
    print_list("why built", json_object_get(j, "why_built"), 20);
    print_stored_list(dir, j, "files", 20);
    print_stored_list(dir, j, "skipped", 50);
    json_t *result = json_object_get(j, "result");
    if (result && !json_is_null(result)) {
        printf("result:\n");
        if (!print_table(result)) {
            char *text = axle_internal_json_dumps(result, JSON_INDENT(2));
            printf("%s\n", text);
            free(text);
        }
    }
}

int
cli_job(int argc, char **argv)
{
    bool as_json = false;
    char *workdir = ref_workdir_from_args(&argc, argv);
    const char *ref = NULL;
    if (!workdir)
        return 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(job_usage, stdout);
            free(workdir);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = true;
        } else if (!ref && argv[i][0] != '-') {
            ref = argv[i];
        } else {
            fprintf(stderr, "axle: error: unexpected argument '%s'\n%s", argv[i], job_usage);
            free(workdir);
            return 2;
        }
    }
    if (!ref) {
        fputs(job_usage, stderr);
        free(workdir);
        return 2;
    }
    char *dir = ref_resolve(workdir, ref);
    free(workdir);
    if (!dir)
        return 2;
    json_t *j = job_record_load(dir);
    if (!j) {
        fprintf(stderr, "axle: error: %s has no job.json: the job did not finish "
                "(it was cut off) and will never be reused\n", dir);
        free(dir);
        return 2;
    }
    if (as_json) {
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
        puts(text);
        free(text);
    } else {
        print_job(dir, j);
    }
    json_decref(j);
    free(dir);
    return 0;
}
