/* options_get.c - the option getters, checked against the method's own
 * declaration.
 *
 * The core has validated and defaulted every declared option, so a read
 * that finds nothing is a mistake in the method: a misspelt name, or the
 * getter of another type.  A getter returns a value, not an error code,
 * so the mistake is printed at once (a crash that may follow then has its
 * explanation above it in the stage's log), kept on the job, and the core
 * fails the stage with it when the entry point returns (job_process.c). */
#include "axle_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a getter can read: one bit per axle_opt_type. */
#define BIT(t) (1u << (t))
#define SCALAR_TEXT (BIT(AXLE_OPT_STRING) | BIT(AXLE_OPT_ENUM) | BIT(AXLE_OPT_PATH) | \
                     BIT(AXLE_OPT_OUTPUT_DIR) | BIT(AXLE_OPT_TEMPLATE))
#define LISTS (BIT(AXLE_OPT_PATHS) | BIT(AXLE_OPT_SIZE) | BIT(AXLE_OPT_SIZES))

static void AXLE_PRINTF(2, 3)
misuse(const axle_job *cjob, const char *fmt, ...)
{
    axle_job *job = (axle_job *)cjob; /* the getters take a const job */
    if (job->opt_misuse[0])
        return; /* the first mistake explains; a loop would repeat it */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(job->opt_misuse, sizeof job->opt_misuse, fmt, ap);
    va_end(ap);
    if (job->sliceno >= 0)
        fprintf(stderr, "%s[%d]: error: %s\n", job->method, job->sliceno,
                job->opt_misuse);
    else
        fprintf(stderr, "%s: error: %s\n", job->method, job->opt_misuse);
}

/* Edit distance (insert, delete, substitute, swap two neighbours) between
 * short names; longer ones are never a typo of each other here. */
static size_t
distance(const char *a, const char *b)
{
    enum { MAX = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAX || lb >= MAX)
        return MAX;
    size_t d[MAX][MAX];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The declared option nearest to `name`, if near enough to be its typo. */
static const char *
nearest(const axle_option *opts, const char *name)
{
    const char *best = NULL;
    size_t best_d = (strlen(name) + 2) / 3; /* 1 for short names, more for long */
    if (best_d < 2)
        best_d = 2;
    best_d++;
    for (const axle_option *o = opts; o && o->name; o++) {
        size_t d = distance(name, o->name);
        if (d < best_d) {
            best_d = d;
            best = o->name;
        }
    }
    return best;
}

static void
not_declared(const axle_job *job, const char *name)
{
    const axle_option *opts = job->desc ? job->desc->options : NULL;
    const char *near = nearest(opts, name);
    char list[512] = "";
    size_t n = 0;
    for (const axle_option *o = opts; o && o->name && n < sizeof list; o++) {
        int w = snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", o->name);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (near)
        misuse(job, "option '%s' is not declared by method %s; did you mean '%s'?", name,
               job->method, near);
    else if (n)
        misuse(job, "option '%s' is not declared by method %s (it declares: %s)", name,
               job->method, list);
    else
        misuse(job, "option '%s' is not declared by method %s, which declares no options",
               name, job->method);
}

/* "an int; read it with axle_opt_int" */
static const char *
how_to_read(axle_opt_type t)
{
    switch (t) {
    case AXLE_OPT_INT: return "an int; read it with axle_opt_int";
    case AXLE_OPT_FLOAT: return "a float; read it with axle_opt_float";
    case AXLE_OPT_BOOL: return "a bool; read it with axle_opt_bool";
    case AXLE_OPT_STRING: return "a string; read it with axle_opt_string";
    case AXLE_OPT_ENUM: return "an enum; read it with axle_opt_enum or axle_opt_string";
    case AXLE_OPT_PATH: return "a path; read it with axle_opt_string";
    case AXLE_OPT_PATHS:
        return "a list of paths; read it with axle_opt_count and axle_opt_string_at";
    case AXLE_OPT_SIZE:
        return "a size; read it with axle_opt_size (or axle_opt_int_at(job, name, 0 or 1))";
    case AXLE_OPT_OUTPUT_DIR: return "an output folder; read it with axle_opt_string";
    case AXLE_OPT_SIZES:
        return "a map of sizes; read it with axle_opt_count, axle_opt_string_at and "
               "axle_opt_size_at";
    case AXLE_OPT_COLOUR: return "a colour; read it with axle_opt_colour";
    case AXLE_OPT_TEMPLATE: return "a template; read it with axle_opt_string";
    }
    return "of an unknown type";
}

static const axle_option *
declared(const axle_job *job, const char *name)
{
    for (const axle_option *o = job->desc->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/* The value of option `name`, read by `getter`, which takes the types in
 * `types`; NULL after recording the mistake. */
static json_t *
opt(const axle_job *job, const char *name, const char *getter, unsigned types)
{
    if (!job)
        return NULL;
    if (!name) {
        misuse(job, "%s called with a NULL option name", getter);
        return NULL;
    }
    json_t *v = job->options ? json_object_get(job->options, name) : NULL;
    if (!job->desc) { /* no schema to check against (a bare test job) */
        if (!v)
            not_declared(job, name);
        return v;
    }
    const axle_option *o = declared(job, name);
    if (!o) {
        not_declared(job, name);
        return NULL;
    }
    if (!((types >> o->type) & 1u)) {
        misuse(job, "option '%s' is %s, not %s", name, how_to_read(o->type), getter);
        return NULL;
    }
    return v;
}

/* Element i of a list option, or NULL after recording the mistake. */
static json_t *
element(const axle_job *job, const char *name, size_t i, const char *getter,
        unsigned types)
{
    json_t *list = opt(job, name, getter, types);
    if (!list)
        return NULL;
    json_t *v = json_array_get(list, i);
    if (!v)
        misuse(job, "%s: option '%s' has %zu elements; index %zu is past its end", getter,
               name, json_array_size(list), i);
    return v;
}

int64_t
axle_opt_int(const axle_job *job, const char *name)
{
    return json_integer_value(opt(job, name, "axle_opt_int", BIT(AXLE_OPT_INT)));
}

double
axle_opt_float(const axle_job *job, const char *name)
{
    return json_number_value(opt(job, name, "axle_opt_float", BIT(AXLE_OPT_FLOAT)));
}

bool
axle_opt_bool(const axle_job *job, const char *name)
{
    return json_is_true(opt(job, name, "axle_opt_bool", BIT(AXLE_OPT_BOOL)));
}

/* NULL for a string or path left unset ("null"); "" after a mistake, so
 * that the method goes on to return and the stage fails with the reason. */
const char *
axle_opt_string(const axle_job *job, const char *name)
{
    json_t *v = opt(job, name, "axle_opt_string", SCALAR_TEXT);
    return v ? json_string_value(v) : "";
}

int
axle_opt_enum(const axle_job *job, const char *name)
{
    json_t *v = opt(job, name, "axle_opt_enum", BIT(AXLE_OPT_ENUM));
    const char *value = json_string_value(v);
    if (!value)
        return 0;
    const axle_option *o = job->desc ? declared(job, name) : NULL;
    const char *p = o && o->choices ? o->choices : "";
    size_t len = strlen(value);
    for (int index = 0; *p; index++) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, value, len) == 0)
            return index;
        p += n + (p[n] == '|');
    }
    misuse(job, "option '%s' is '%s', not one of its choices", name, value);
    return 0;
}

size_t
axle_opt_count(const axle_job *job, const char *name)
{
    json_t *v = opt(job, name, "axle_opt_count", LISTS);
    return json_is_object(v) ? json_object_size(v) : json_array_size(v);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Entry i of a SIZES option in the order of the names (the identity
 * hashes the map with sorted keys, so that is the order every process
 * agrees on); its name in *key.  NULL after recording the mistake. */
static json_t *
sizes_entry(const axle_job *job, const char *name, size_t i, const char *getter,
            const char **key)
{
    json_t *map = opt(job, name, getter, BIT(AXLE_OPT_SIZES));
    size_t n = json_object_size(map);
    if (!map)
        return NULL;
    if (i >= n) {
        misuse(job, "%s: option '%s' has %zu entries; index %zu is past its end", getter,
               name, n, i);
        return NULL;
    }
    const char **names = malloc(n * sizeof *names);
    if (!names)
        return NULL;
    size_t k = 0;
    const char *kname;
    json_t *v;
    json_object_foreach(map, kname, v)
        names[k++] = kname;
    qsort(names, n, sizeof *names, by_name);
    *key = names[i];
    free(names);
    return json_object_get(map, *key);
}

const char *
axle_opt_string_at(const axle_job *job, const char *name, size_t i)
{
    const axle_option *o = job && job->desc && name ? declared(job, name) : NULL;
    if (o && o->type == AXLE_OPT_SIZES) {
        const char *key = "";
        sizes_entry(job, name, i, "axle_opt_string_at", &key);
        return key;
    }
    json_t *v = element(job, name, i, "axle_opt_string_at", BIT(AXLE_OPT_PATHS));
    return v ? json_string_value(v) : "";
}

/* A size as the core stores it: [w, h] (0 for a free side), or
 * [w, h, "!"] for an exact one. */
static int
size_from_json(const json_t *v, axle_geometry *g)
{
    if (!g || !json_is_array(v) || json_array_size(v) < 2)
        return AXLE_EINVAL;
    g->width = (uint32_t)json_integer_value(json_array_get(v, 0));
    g->height = (uint32_t)json_integer_value(json_array_get(v, 1));
    g->mode = json_is_string(json_array_get(v, 2)) ? AXLE_FIT_EXACT : AXLE_FIT_INSIDE;
    g->crop = AXLE_CROP_NONE;
    g->upscale = false;
    return AXLE_OK;
}

int
axle_opt_size(const axle_job *job, const char *name, axle_geometry *g)
{
    return size_from_json(opt(job, name, "axle_opt_size", BIT(AXLE_OPT_SIZE)), g);
}

int
axle_opt_size_at(const axle_job *job, const char *name, size_t i, axle_geometry *g)
{
    const char *key;
    return size_from_json(sizes_entry(job, name, i, "axle_opt_size_at", &key), g);
}

int
axle_opt_colour(const axle_job *job, const char *name, uint8_t rgb[3])
{
    const char *text = json_string_value(opt(job, name, "axle_opt_colour",
                                             BIT(AXLE_OPT_COLOUR)));
    return text ? axle_parse_colour(text, rgb, NULL, 0) : AXLE_EINVAL;
}

int64_t
axle_opt_int_at(const axle_job *job, const char *name, size_t i)
{
    return json_integer_value(element(job, name, i, "axle_opt_int_at", BIT(AXLE_OPT_SIZE)));
}

const char *
axle_opt_base_dir(const axle_job *job)
{
    return job->base_dir;
}
