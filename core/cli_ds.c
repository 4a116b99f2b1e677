/* cli_ds.c - `axle ds REF[/NAME]`: a dataset's columns, types, rows per
 * slice, parent and previous; with --column C, that column's values.
 *
 * Counts of nulls and min/max are not part of the SDK's reader API, so
 * they are read from meta.json (a documented, readable format). */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle/axle.h"
#include "axle_internal.h"
#include "cli.h"
#include "diag.h"
#include "ref.h"

static const char ds_usage[] =
    "usage: axle ds REF[/NAME] [--column C] [--workdir DIR | -p FILE]\n"
    "\n"
    "Shows a dataset: its columns with their types, null counts and ranges,\n"
    "its rows per slice, its parent (whose columns it links) and the dataset\n"
    "it chains to (previous).  REF is a job id (axle-work-12) or a step name\n"
    "of the latest run in the workdir; NAME is one of the job's datasets\n"
    "(default: default).\n"
    "\n"
    "  --column C       print column C's values, one per line, slice by slice:\n"
    "                   null as `null`, images as `WxH codec bytes`, bytes as\n"
    "                   hex, text with \\n, \\t and \\\\ escaped\n"
    "  --workdir DIR    the workdir (default: ./axle-work)\n"
    "  -p FILE          the workdir of pipeline FILE\n";

struct ds_args {
    const char *ref;
    const char *column;
};

/* 0 ok, 1 --help shown, 2 usage error (printed). */
static int
parse_args(int argc, char **argv, struct ds_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(ds_usage, stdout);
            return 1;
        } else if (strcmp(s, "--column") == 0 || strcmp(s, "-c") == 0) {
            if (++i >= argc) {
                diag_error(NULL, 0, 0, "%s wants a column name", s);
                return 2;
            }
            a->column = argv[i];
        } else if (strncmp(s, "--column=", 9) == 0) {
            a->column = s + 9;
        } else if (s[0] == '-' && s[1]) {
            diag_error(NULL, 0, 0, "ds: unknown option '%s' (see axle ds --help)", s);
            return 2;
        } else if (a->ref) {
            diag_error(NULL, 0, 0, "ds: one REF please, got '%s' and '%s'", a->ref, s);
            return 2;
        } else {
            a->ref = s;
        }
    }
    if (!a->ref) {
        diag_error(NULL, 0, 0, "ds: which dataset? (usage: axle ds REF[/NAME])");
        return 2;
    }
    return 0;
}

/* "axle-work-3/default" for ".../axle-work-3/ds/default", else the path. */
static void
label(const char *path, char *out, size_t outlen)
{
    const char *name = strrchr(path, '/');
    const char *ds = NULL, *job = NULL;
    if (name && name - path >= 3 && strncmp(name - 3, "/ds", 3) == 0) {
        ds = name - 3;
        for (job = ds; job > path && job[-1] != '/'; job--)
            ;
    }
    if (job && job < ds)
        snprintf(out, outlen, "%.*s/%s", (int)(ds - job), job, name + 1);
    else
        snprintf(out, outlen, "%s", path);
}

/* A link's key, removed items and its chain's live rows (incremental
 * chains: the rows a cold build would have). */
static void
print_chain_rows(axle_dataset *ds)
{
    const char *const *gone = axle_dataset_removed(ds);
    size_t n = 0;
    while (gone && gone[n])
        n++;
    int64_t live = axle_dataset_live_rows(NULL, ds);
    printf("key       %s\n", axle_dataset_key(ds) ? axle_dataset_key(ds) : "none");
    printf("removed   %zu item%s\n", n, n == 1 ? "" : "s");
    if (live >= 0)
        printf("live      %" PRId64 " rows in the chain\n", live);
}

/* The newest dataset's links and rows; 1 when a link of its chain of
 * previous datasets is broken (said on stderr), else 0. */
static int
print_links(axle_dataset *ds)
{
    char buf[4096];
    label(axle_dataset_path(ds), buf, sizeof buf);
    printf("dataset   %s\n", buf);
    printf("folder    %s\n", axle_dataset_path(ds));
    const char *parent = axle_dataset_parent_path(ds);
    if (parent)
        label(parent, buf, sizeof buf);
    printf("parent    %s\n", parent ? buf : "none");
    axle_dataset *prev = axle_dataset_previous(ds), *last = ds;
    int chain = 1;
    for (axle_dataset *d = prev; d; d = axle_dataset_previous(d)) {
        chain++;
        last = d;
    }
    if (prev) {
        label(axle_dataset_path(prev), buf, sizeof buf);
        printf("previous  %s (a chain of %d datasets)\n", buf, chain);
    } else {
        printf("previous  %s\n",
               axle_internal_dataset_previous_error(ds) ? "broken" : "none");
    }
    printf("rows      %" PRId64 " in %d slice%s\n", axle_dataset_rows(ds, -1),
           axle_dataset_slices(ds), axle_dataset_slices(ds) == 1 ? "" : "s");
    const char *broken = axle_internal_dataset_previous_error(last);
    if (prev && !broken)
        print_chain_rows(ds);
    if (broken)
        diag_error(NULL, 0, 0, "%s", broken);
    return broken != NULL;
}

static void
scalar_text(json_t *v, char *out, size_t outlen)
{
    if (!v || json_is_null(v))
        snprintf(out, outlen, "-");
    else if (json_is_integer(v))
        snprintf(out, outlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, outlen, "%.6g", json_real_value(v));
    else if (json_is_string(v))
        snprintf(out, outlen, "%s", json_string_value(v));
    else
        snprintf(out, outlen, "%s", json_is_true(v) ? "true" : "false");
}

struct col_row {
    char name[128], type[16], nulls[24], min[32], max[32], where[4200];
};

static void
describe_column(const axle_dataset *ds, json_t *mc, int i, struct col_row *r)
{
    const char *name = axle_dataset_column_name(ds, i);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->type, sizeof r->type, "%s",
             axle_type_name(axle_dataset_column_type(ds, name)));
    json_int_t nulls = 0;
    json_t *v;
    size_t k;
    json_array_foreach(json_object_get(mc, "nulls"), k, v)
        nulls += json_integer_value(v);
    snprintf(r->nulls, sizeof r->nulls, "%" JSON_INTEGER_FORMAT, nulls);
    scalar_text(json_object_get(mc, "min"), r->min, sizeof r->min);
    scalar_text(json_object_get(mc, "max"), r->max, sizeof r->max);
    const char *loc = json_string_value(json_object_get(mc, "location"));
    if (!loc || strcmp(loc, ".") == 0) {
        snprintf(r->where, sizeof r->where, "here");
    } else {
        char *joined, *real = NULL;
        if (asprintf(&joined, "%s/%s", axle_dataset_path(ds), loc) >= 0) {
            real = realpath(joined, NULL);
            free(joined);
        }
        char l[4096];
        label(real ? real : loc, l, sizeof l);
        snprintf(r->where, sizeof r->where, "%s (linked)", l);
        free(real);
    }
}

static int
width_of(const struct col_row *rows, int n, size_t off, const char *head)
{
    int w = (int)strlen(head);
    for (int i = 0; i < n; i++) {
        int l = (int)strlen((const char *)&rows[i] + off);
        w = l > w ? l : w;
    }
    return w;
}

static void
print_columns(const axle_dataset *ds, json_t *meta)
{
    int n = axle_dataset_ncolumns(ds);
    struct col_row *rows = calloc((size_t)n + 1, sizeof *rows);
    if (!rows)
        return;
    json_t *mcols = json_object_get(meta, "columns");
    for (int i = 0; i < n; i++)
        describe_column(ds, json_array_get(mcols, (size_t)i), i, &rows[i]);
    int wn = width_of(rows, n, offsetof(struct col_row, name), "column");
    int wt = width_of(rows, n, offsetof(struct col_row, type), "type");
    int wu = width_of(rows, n, offsetof(struct col_row, nulls), "nulls");
    int wmi = width_of(rows, n, offsetof(struct col_row, min), "min");
    int wma = width_of(rows, n, offsetof(struct col_row, max), "max");
    printf("\n%-*s  %-*s  %*s  %*s  %*s  %s\n", wn, "column", wt, "type", wu,
           "nulls", wmi, "min", wma, "max", "stored");
    for (int i = 0; i < n; i++)
        printf("%-*s  %-*s  %*s  %*s  %*s  %s\n", wn, rows[i].name, wt,
               rows[i].type, wu, rows[i].nulls, wmi, rows[i].min, wma,
               rows[i].max, rows[i].where);
    if (n == 0)
        printf("(no columns)\n");
    free(rows);
}

static void
print_slices(const axle_dataset *ds)
{
    int slices = axle_dataset_slices(ds);
    char total[24];
    snprintf(total, sizeof total, "%" PRId64, axle_dataset_rows(ds, -1));
    int w = (int)strlen(total) > 4 ? (int)strlen(total) : 4;
    printf("\nslice  %*s\n", w, "rows");
    for (int s = 0; s < slices; s++)
        printf("%5d  %*" PRId64 "\n", s, w, axle_dataset_rows(ds, s));
    printf("total  %*s\n", w, total);
}

static void
print_others(const char *jobdir, const char *name)
{
    json_t *list = axle_internal_dataset_list(jobdir);
    if (json_array_size(list) > 1) {
        printf("\nthis job's datasets:");
        json_t *v;
        size_t i;
        json_array_foreach(list, i, v)
            printf("%s %s%s", i ? "," : "", json_string_value(v),
                   strcmp(json_string_value(v), name) == 0 ? " (this one)" : "");
        printf("\n");
    }
    json_decref(list);
}

/* ---- --column ---- */

static void
print_text(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c == '\\')
            fputs("\\\\", stdout);
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static void
print_double(double v)
{
    if (isnan(v)) {
        fputs("nan", stdout);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", stdout);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) { /* shortest that reads back */
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, stdout);
}

static void
print_value(axle_cursor *c, axle_type t)
{
    if (axle_cursor_is_null(c)) {
        fputs("null\n", stdout);
        return;
    }
    size_t len;
    const unsigned char *p;
    axle_image img;
    switch (t) {
    case AXLE_INT64:
        printf("%" PRId64, axle_cursor_int64(c));
        break;
    case AXLE_FLOAT64:
        print_double(axle_cursor_float64(c));
        break;
    case AXLE_BOOL:
        fputs(axle_cursor_bool(c) ? "true" : "false", stdout);
        break;
    case AXLE_BYTES:
        p = axle_cursor_bytes(c, &len);
        fputs("0x", stdout);
        for (size_t i = 0; i < len && i < 32; i++)
            printf("%02x", p[i]);
        if (len > 32)
            printf("... (%zu bytes)", len);
        break;
    case AXLE_IMAGE:
        if (axle_cursor_image(c, &img) == AXLE_OK)
            printf("%" PRIu32 "x%" PRIu32 " %s %zu", img.width, img.height,
                   axle_codec_name(img.codec), img.size);
        else if (axle_cursor_image_ref(c, NULL, NULL))
            print_text((const unsigned char *)axle_cursor_error(c),
                       strlen(axle_cursor_error(c)));
        if (axle_cursor_image_ref(c, NULL, NULL)) { /* imported by reference */
            fputs(" ref ", stdout);
            const char *path = axle_cursor_image_ref(c, NULL, NULL);
            print_text((const unsigned char *)path, strlen(path));
        }
        break;
    default:
        p = axle_cursor_bytes(c, &len);
        print_text(p, len);
        break;
    }
    putchar('\n');
}

/* The cursor checks that its file keeps its size, but a file truncated
 * between two checks still raises SIGBUS: say what happened, not "Bus
 * error".  Only async-signal-safe calls here. */
static char sigbus_text[4400];

static void
on_sigbus(int sig)
{
    (void)sig;
    ssize_t n = write(STDERR_FILENO, sigbus_text, strlen(sigbus_text));
    (void)n;
    _exit(1);
}

static void
catch_sigbus(const axle_dataset *ds, const char *column)
{
    snprintf(sigbus_text, sizeof sigbus_text, "axle: error: %s: a file of "
             "column '%s' shrank while being read (SIGBUS)\n",
             axle_dataset_path(ds), column);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigaction(SIGBUS, &sa, NULL);
}

static int
print_column(axle_dataset *ds, const char *column)
{
    char err[1024];
    axle_cursor *c = axle_cursor_open(ds, column, -1, err, sizeof err);
    if (!c) {
        diag_error(NULL, 0, 0, "%s", err);
        return 2;
    }
    catch_sigbus(ds, column);
    axle_type t = axle_dataset_column_type(ds, column);
    int rc;
    while ((rc = axle_cursor_next(c)) > 0)
        print_value(c, t);
    fflush(stdout);
    if (rc < 0)
        diag_error(NULL, 0, 0, "%s", axle_cursor_error(c));
    axle_cursor_close(c);
    signal(SIGBUS, SIG_DFL);
    return rc < 0 ? 1 : 0;
}

/* ---- the command ---- */

static int
no_dataset(const char *jobref, const char *jobdir, const char *name)
{
    json_t *list = axle_internal_dataset_list(jobdir);
    char have[1024] = "";
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (n < sizeof have)
            n += (size_t)snprintf(have + n, sizeof have - n, "%s%s", i ? ", " : "",
                                  json_string_value(v));
    diag_error(NULL, 0, 0, "job %s has no dataset '%s' (%s%s)", jobref, name,
               n ? "it has: " : "it has none", have);
    json_decref(list);
    return 2;
}

static int
show(const char *jobref, const char *jobdir, const char *name, const char *column)
{
    char *path;
    if (asprintf(&path, "%s/ds/%s", jobdir, name) < 0)
        return 1;
    struct stat st;
    if (stat(path, &st) < 0) {
        free(path);
        return no_dataset(jobref, jobdir, name);
    }
    char err[1024];
    axle_dataset *ds = axle_dataset_open(path, err, sizeof err);
    if (!ds) {
        diag_error(NULL, 0, 0, "%s", err);
        free(path);
        return 1;
    }
    int rc = 0;
    if (column) {
        rc = print_column(ds, column);
    } else {
        json_error_t jerr;
        char *meta_path;
        json_t *meta = NULL;
        if (asprintf(&meta_path, "%s/meta.json", path) >= 0) {
            meta = json_load_file(meta_path, 0, &jerr);
            free(meta_path);
        }
        rc = print_links(ds);
        print_columns(ds, meta);
        print_slices(ds);
        print_others(jobdir, name);
        json_decref(meta);
    }
    axle_dataset_close(ds);
    free(path);
    return rc;
}

int
cli_ds(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(ds_usage, stdout);
            return 0;
        }
    char *workdir = ref_workdir_from_args(&argc, argv);
    if (!workdir)
        return 2;
    struct ds_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        free(workdir);
        return rc == 1 ? 0 : rc;
    }
    char *jobref = strdup(a.ref);
    char *slash = jobref ? strchr(jobref, '/') : NULL;
    const char *name = "default";
    if (slash) {
        *slash = '\0';
        if (slash[1])
            name = slash + 1;
    }
    char *jobdir = jobref ? ref_resolve(workdir, jobref) : NULL;
    rc = jobdir ? show(jobref, jobdir, name, a.column) : 2;
    free(jobdir);
    free(jobref);
    free(workdir);
    return rc;
}
