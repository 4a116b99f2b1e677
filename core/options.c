/* options.c - a step's options checked against its method's schema.
 *
 * The result is what a job's identity hashes, so everything that could
 * spell one value two ways is settled here: defaults are filled in (parsed
 * from the schema's YAML text through the same code as a written value),
 * numbers get their JSON type, sizes become [w, h], paths become absolute.
 * Writing an option's default explicitly therefore gives the same JSON as
 * leaving it out. */
#include "pipeline.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "fsutil.h"
#include "params.h"

struct vctx {
    const axle_method_desc *desc;
    const step *st;
    const pipeline *p;
    const char *cwd;
    const axle_option *opt;  /* the option being checked */
    bool in_default;         /* checking the schema's own default */
    int errors;
    char *err;               /* set: the first error goes here, not to stderr */
    size_t errlen;
};

/* An error about value `v` of the current option. */
static void AXLE_PRINTF(3, 4)
bad(struct vctx *c, const ynode *v, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->errors++;
    if (c->err) {
        if (c->errors == 1)
            snprintf(c->err, c->errlen, "method '%s' declares a default for option '%s' "
                     "that does not fit: %s", c->desc->name, c->opt->name, msg);
        return;
    }
    if (c->in_default) {
        diag_error(c->p->root->file, c->st->method_line, c->st->method_col,
                   "method '%s' declares a default for option '%s' that does not fit: %s",
                   c->desc->name, c->opt->name, msg);
        return;
    }
    diag_error(v->file, v->line, v->col, "%s%s", msg,
               v->from_cli ? " (given on the command line)" : "");
}

/* 'high', 'high' (a quoted string), a list, null: for "got ..." */
static const char *
describe(const ynode *v, char *buf, size_t size)
{
    char q[160];
    if (v->kind != YNODE_SCALAR)
        snprintf(buf, size, "%s", ynode_kind_name(v));
    else if (v->plain && yscalar_classify(v) == YS_NULL)
        snprintf(buf, size, "null");
    else
        snprintf(buf, size, "'%s'%s", ydoc_quote(v->scalar, q, sizeof q),
                 v->plain ? "" : " (a quoted string)");
    return buf;
}

static const char *
fmt_num(double x, char *buf, size_t size)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%g", x);
    return buf;
}

static bool
has_range(const axle_option *o)
{
    return o->min <= o->max;
}

static bool
in_range(struct vctx *c, const ynode *v, double x)
{
    const axle_option *o = c->opt;
    if (!has_range(o) || (x >= o->min && x <= o->max))
        return true;
    char a[40], lo[40], hi[40];
    bad(c, v, "option '%s' is %s, outside %s..%s", o->name, fmt_num(x, a, sizeof a),
        fmt_num(o->min, lo, sizeof lo), fmt_num(o->max, hi, sizeof hi));
    return false;
}

/* ---- one value per type ------------------------------------------------------ */

static json_t *
want_int(struct vctx *c, const ynode *v)
{
    int64_t i;
    char d[200];
    if (yscalar_int(v, &i))
        return in_range(c, v, (double)i) ? json_integer(i) : NULL;
    if (yscalar_classify(v) == YS_INT)
        bad(c, v, "option '%s' is %s, too large for an integer", c->opt->name,
            describe(v, d, sizeof d));
    else
        bad(c, v, "option '%s' wants an integer, got %s", c->opt->name, describe(v, d, sizeof d));
    return NULL;
}

static json_t *
want_float(struct vctx *c, const ynode *v)
{
    double x;
    char d[200];
    if (!yscalar_float(v, &x)) {
        bad(c, v, "option '%s' wants a number, got %s", c->opt->name, describe(v, d, sizeof d));
        return NULL;
    }
    if (!isfinite(x)) {
        bad(c, v, "option '%s' wants a finite number, got %s", c->opt->name,
            describe(v, d, sizeof d));
        return NULL;
    }
    return in_range(c, v, x) ? json_real(x) : NULL;
}

static json_t *
want_bool(struct vctx *c, const ynode *v)
{
    bool b;
    char d[200];
    if (yscalar_bool(v, &b))
        return json_boolean(b);
    bad(c, v, "option '%s' wants true or false, got %s", c->opt->name, describe(v, d, sizeof d));
    return NULL;
}

/* Text of a scalar: a number or true/false where text is wanted is taken
 * as written. */
static const char *
want_text(struct vctx *c, const ynode *v, const char *what)
{
    char d[200];
    if (v->kind == YNODE_SCALAR && !(v->plain && yscalar_classify(v) == YS_NULL))
        return v->scalar;
    bad(c, v, "option '%s' wants %s, got %s", c->opt->name, what, describe(v, d, sizeof d));
    return NULL;
}

static bool
is_null_value(const ynode *v)
{
    return v->kind == YNODE_SCALAR && v->plain && yscalar_classify(v) == YS_NULL;
}

static json_t *
want_string(struct vctx *c, const ynode *v)
{
    if (is_null_value(v))
        return json_null(); /* unset: axle_opt_string gives NULL */
    const char *s = want_text(c, v, "a text");
    return s ? json_string(s) : NULL;
}

/* A template: its placeholders among the option's fields (`choices`). */
static json_t *
want_template(struct vctx *c, const ynode *v)
{
    json_t *j = want_string(c, v);
    char why[512], q[160];
    if (j && json_is_string(j) &&
        axle_template_check(json_string_value(j), c->opt->choices, why, sizeof why) < 0) {
        bad(c, v, "option '%s' is '%s': %s", c->opt->name,
            ydoc_quote(json_string_value(j), q, sizeof q), why);
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *
want_enum(struct vctx *c, const ynode *v)
{
    const char *s = want_text(c, v, "one of its choices");
    const char *choices = c->opt->choices ? c->opt->choices : "";
    if (!s)
        return NULL;
    size_t len = strlen(s);
    for (const char *p = choices; *p;) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, s, len) == 0)
            return json_string(s);
        p += n + (p[n] == '|');
    }
    char q[160], list[512];
    size_t o = 0;
    for (const char *p = choices; *p && o + 3 < sizeof list; p++) {
        if (*p == '|') {
            list[o++] = ',';
            list[o++] = ' ';
        } else {
            list[o++] = *p;
        }
    }
    list[o] = '\0';
    bad(c, v, "option '%s' is '%s', not one of: %s", c->opt->name, ydoc_quote(s, q, sizeof q),
        list);
    return NULL;
}

/* An absolute path: `~` is the home folder; relative paths are against the
 * pipeline's folder, or the current one for values from the command line.
 * Glob characters are left for the method to expand. */
static json_t *
path_value(struct vctx *c, const ynode *v)
{
    if (v->kind == YNODE_SCALAR && !strcmp(v->scalar, "~"))
        ; /* plain ~ is null in YAML, but a path here: the home folder */
    else if (!want_text(c, v, "a path"))
        return NULL;
    if (!*v->scalar) {
        bad(c, v, "option '%s' is an empty path", c->opt->name);
        return NULL;
    }
    char *home = params_expand_home(v->scalar);
    char *abs = fs_absolute(home ? home : v->scalar,
                            v->from_cli || !c->p ? c->cwd : c->p->dir);
    free(home);
    json_t *j = abs ? json_string(abs) : NULL;
    free(abs);
    return j;
}

static json_t *
want_path(struct vctx *c, const ynode *v)
{
    if (is_null_value(v) && strcmp(v->scalar, "~") != 0)
        return json_null();
    return path_value(c, v);
}

static json_t *
want_paths(struct vctx *c, const ynode *v)
{
    json_t *list = json_array();
    if (!list)
        return NULL;
    if (v->kind == YNODE_SCALAR) {
        json_t *one = path_value(c, v);
        if (one)
            json_array_append_new(list, one);
        else
            json_decref(list), list = NULL;
        return list;
    }
    if (v->kind != YNODE_SEQ) {
        char d[200];
        bad(c, v, "option '%s' wants a path or a list of paths, got %s", c->opt->name,
            describe(v, d, sizeof d));
        json_decref(list);
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < v->n; i++) {
        json_t *one = path_value(c, v->items[i]);
        if (one)
            json_array_append_new(list, one);
        else
            ok = false;
    }
    if (!ok)
        json_decref(list);
    return ok ? list : NULL;
}

/* A side given in a size: in the option's range (a free side, 0, is not
 * checked: it is no number the user wrote). */
static bool
side_in_range(struct vctx *c, const ynode *v, int64_t n)
{
    return n == 0 || in_range(c, v, (double)n);
}

/* The string forms ("640x338", "640x", "x338", "300x200!", "256"). */
static json_t *
size_string(struct vctx *c, const ynode *v)
{
    axle_geometry g;
    char err[512];
    if (axle_parse_size(v->scalar, &g, err, sizeof err) != AXLE_OK) {
        bad(c, v, "option '%s': %s", c->opt->name, err);
        return NULL;
    }
    if (!side_in_range(c, v, g.width) || !side_in_range(c, v, g.height))
        return NULL;
    if (g.mode == AXLE_FIT_EXACT)
        return json_pack("[IIs]", (json_int_t)g.width, (json_int_t)g.height, "!");
    return json_pack("[II]", (json_int_t)g.width, (json_int_t)g.height);
}

/* A size is stored as [w, h] (0: a free side) or [w, h, "!"] (exact), so
 * that every spelling of one size has one identity. */
static json_t *
want_size(struct vctx *c, const ynode *v)
{
    int64_t w, h;
    char d[200];
    if (v->kind == YNODE_SCALAR && yscalar_int(v, &w)) {
        h = w;
    } else if (v->kind == YNODE_SEQ && v->n == 2 && yscalar_int(v->items[0], &w) &&
               yscalar_int(v->items[1], &h)) {
        ;
    } else if (v->kind == YNODE_SCALAR && !is_null_value(v) &&
               yscalar_classify(v) != YS_INT) {
        return size_string(c, v);
    } else {
        bad(c, v, "option '%s' wants [width, height], one number or a string such as "
            "\"640x480\", got %s", c->opt->name, describe(v, d, sizeof d));
        return NULL;
    }
    if (!in_range(c, v, (double)w) || (h != w && !in_range(c, v, (double)h)))
        return NULL;
    return json_pack("[II]", (json_int_t)w, (json_int_t)h);
}

/* {NAME: SIZE, ...}: an object of sizes; its keys are sorted where the
 * identity hashes it, which is the order methods read it in. */
static json_t *
want_sizes(struct vctx *c, const ynode *v)
{
    char d[200];
    if (v->kind != YNODE_MAP) {
        bad(c, v, "option '%s' wants a map {NAME: SIZE, ...}, got %s", c->opt->name,
            describe(v, d, sizeof d));
        return NULL;
    }
    json_t *map = json_object();
    bool ok = map != NULL;
    for (size_t i = 0; map && i < v->n; i++) {
        const ynode *k = v->keys[i];
        if (k->kind != YNODE_SCALAR || !*k->scalar) {
            bad(c, k, "option '%s' wants a name for each size", c->opt->name);
            ok = false;
            continue;
        }
        json_t *one = want_size(c, v->items[i]);
        if (one)
            json_object_set_new(map, k->scalar, one);
        else
            ok = false;
    }
    if (!ok)
        json_decref(map);
    return ok ? map : NULL;
}

/* A colour, stored as "#rrggbb" whichever way it was written. */
static json_t *
want_colour(struct vctx *c, const ynode *v)
{
    if (is_null_value(v))
        return json_null(); /* unset */
    const char *s = want_text(c, v, "a colour");
    uint8_t rgb[3];
    char err[256], hex[8];
    if (!s)
        return NULL;
    if (axle_parse_colour(s, rgb, err, sizeof err) != AXLE_OK) {
        bad(c, v, "option '%s': %s", c->opt->name, err);
        return NULL;
    }
    snprintf(hex, sizeof hex, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    return json_string(hex);
}

static json_t *
normalise(struct vctx *c, const ynode *v)
{
    switch (c->opt->type) {
    case AXLE_OPT_INT: return want_int(c, v);
    case AXLE_OPT_FLOAT: return want_float(c, v);
    case AXLE_OPT_BOOL: return want_bool(c, v);
    case AXLE_OPT_STRING: return want_string(c, v);
    case AXLE_OPT_ENUM: return want_enum(c, v);
    case AXLE_OPT_PATH: return want_path(c, v);
    case AXLE_OPT_PATHS: return want_paths(c, v);
    case AXLE_OPT_SIZE: return want_size(c, v);
    case AXLE_OPT_OUTPUT_DIR: return want_path(c, v); /* resolved alike; need not exist */
    case AXLE_OPT_SIZES: return want_sizes(c, v);
    case AXLE_OPT_COLOUR: return want_colour(c, v);
    case AXLE_OPT_TEMPLATE: return want_template(c, v);
    }
    return NULL;
}

/* ---- the schema -------------------------------------------------------------- */

static const axle_option *
find_option(const axle_method_desc *desc, const char *name)
{
    for (const axle_option *o = desc->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

static const char *
option_names(const axle_method_desc *desc, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const axle_option *opt = desc->options; opt && opt->name && o < size; opt++) {
        int w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", opt->name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

static bool
schema_ok(struct vctx *c, const axle_option *o)
{
    const char *why = NULL;
    if (o->type < AXLE_OPT_INT || o->type > AXLE_OPT_TEMPLATE)
        why = "an unknown type";
    else if (o->type == AXLE_OPT_ENUM && (!o->choices || !*o->choices))
        why = "no choices";
    else if (o->type == AXLE_OPT_TEMPLATE && (!o->choices || !*o->choices))
        why = "no placeholders";
    if (!why)
        return true;
    if (c->err) {
        if (c->errors++ == 0)
            snprintf(c->err, c->errlen, "method '%s' declares option '%s' with %s",
                     c->desc->name, o->name, why);
        return false;
    }
    diag_error(c->p->root->file, c->st->method_line, c->st->method_col,
               "method '%s' declares option '%s' with %s", c->desc->name, o->name, why);
    c->errors++;
    return false;
}

/* Where a missing option is reported: the step's `options:` key, else
 * the step's name. */
static void
step_place(const struct vctx *c, int *line, int *col)
{
    *line = c->st->line;
    *col = c->st->col;
    const ynode *jobs = ynode_get(c->p->root, "jobs");
    const ynode *body = ynode_get(jobs, c->st->name);
    for (size_t i = 0; body && body->kind == YNODE_MAP && i < body->n; i++) {
        if (strcmp(body->keys[i]->scalar, "options") == 0) {
            *line = body->keys[i]->line;
            *col = body->keys[i]->col;
        }
    }
}

static void
fill_default(struct vctx *c, json_t *out)
{
    const axle_option *o = c->opt;
    if (!o->default_yaml) {
        int line, col;
        step_place(c, &line, &col);
        diag_error(c->p->root->file, line, col, "step '%s' needs option '%s' (%s)",
                   c->st->name, o->name, o->help ? o->help : "no default");
        c->errors++;
        return;
    }
    ynode *v = options_parse_default(o->default_yaml);
    if (!v) {
        c->errors++;
        return;
    }
    c->in_default = true;
    json_t *j = normalise(c, v);
    c->in_default = false;
    ynode_free(v);
    if (j)
        json_object_set_new(out, o->name, j);
}

static void
check_given(struct vctx *c, json_t *out)
{
    const ynode *opts = c->st->options;
    for (size_t i = 0; opts && i < opts->n; i++) {
        const ynode *k = opts->keys[i];
        c->opt = find_option(c->desc, k->scalar);
        if (!c->opt) {
            char q[128], names[1024];
            if (!c->desc->options || !c->desc->options->name)
                diag_error(k->file, k->line, k->col,
                           "unknown option '%s': method '%s' takes no options",
                           ydoc_quote(k->scalar, q, sizeof q), c->desc->name);
            else
                diag_error(k->file, k->line, k->col,
                           "unknown option '%s' for method '%s' (valid: %s)",
                           ydoc_quote(k->scalar, q, sizeof q), c->desc->name,
                           option_names(c->desc, names, sizeof names));
            c->errors++;
            continue;
        }
        if (!schema_ok(c, c->opt))
            continue;
        json_t *j = normalise(c, opts->items[i]);
        if (j)
            json_object_set_new(out, c->opt->name, j);
    }
}

json_t *
options_validate(const axle_method_desc *desc, const step *st, const pipeline *p)
{
    struct vctx c = {.desc = desc, .st = st, .p = p};
    char *cwd = params_cwd();
    json_t *out = json_object();
    if (!cwd || !out) {
        diag_error(p->file, 0, 0, "out of memory");
        free(cwd);
        json_decref(out);
        return NULL;
    }
    c.cwd = cwd;
    check_given(&c, out);
    for (const axle_option *o = desc->options; o && o->name; o++) {
        c.opt = o;
        if (!json_object_get(out, o->name) && !ynode_get(st->options, o->name) &&
            schema_ok(&c, o))
            fill_default(&c, out);
    }
    free(cwd);
    if (c.errors) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* One declared default, parsed and checked as a written value would be. */
static void
check_default(struct vctx *c)
{
    char err[512], q[160];
    int line, col;
    ynode *v = ydoc_parse_string(c->opt->default_yaml, "default", err, sizeof err, &line,
                                 &col);
    if (!v) {
        if (c->errors++ == 0)
            snprintf(c->err, c->errlen, "method '%s' declares a default for option '%s' "
                     "that is not a YAML value ('%s': %s at column %d)", c->desc->name,
                     c->opt->name, ydoc_quote(c->opt->default_yaml, q, sizeof q), err, col);
        return;
    }
    c->in_default = true;
    json_decref(normalise(c, v));
    c->in_default = false;
    ynode_free(v);
}

int
options_check_defaults(const axle_method_desc *desc, char *err, size_t errlen)
{
    struct vctx c = {.desc = desc, .cwd = "/", .err = err, .errlen = errlen};
    for (const axle_option *o = desc->options; o && o->name && !c.errors; o++) {
        c.opt = o;
        for (const axle_option *p = desc->options; p != o && !c.errors; p++)
            if (strcmp(p->name, o->name) == 0) {
                snprintf(err, errlen, "method '%s' declares option '%s' twice",
                         desc->name, o->name);
                c.errors++;
            }
        if (!c.errors && schema_ok(&c, o) && o->default_yaml)
            check_default(&c);
    }
    return c.errors ? -1 : 0;
}

ynode *
options_parse_default(const char *yaml_text)
{
    char err[512], q[160];
    int line, col;
    if (!yaml_text)
        return NULL;
    ynode *v = ydoc_parse_string(yaml_text, "default", err, sizeof err, &line, &col);
    if (!v)
        diag_error(NULL, 0, 0, "default '%s' is not a YAML value: %s at column %d",
                   ydoc_quote(yaml_text, q, sizeof q), err, col);
    return v;
}

/* ---- input paths ------------------------------------------------------------- */

/* A pattern, not a name: the rule axle_expand_paths follows. */
static bool
is_glob(const char *path)
{
    return strpbrk(path, "*?[") != NULL;
}

/* One path value: a name must exist, a glob must match a file. */
static void
check_path_exists(struct vctx *c, const ynode *v, bool recursive)
{
    json_t *j = path_value(c, v);
    const char *path = json_string_value(j);
    struct stat st;
    char err[1024];
    if (!path) {
        ; /* not a path: options_validate has said so */
    } else if (is_glob(path)) {
        char **found = NULL;
        size_t n = 0;
        if (axle_expand_paths(&path, 1, recursive, &found, &n, err, sizeof err) != AXLE_OK)
            bad(c, v, "option '%s': %s", c->opt->name, err);
        axle_free_paths(found, n);
    } else if (stat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            bad(c, v, "option '%s': %s does not exist", c->opt->name, path);
        else
            bad(c, v, "option '%s': %s: %s", c->opt->name, path, strerror(errno));
    } else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        bad(c, v, "option '%s': %s is not a regular file or folder", c->opt->name, path);
    }
    json_decref(j);
}

int
options_check_paths(const axle_method_desc *desc, const step *st, const pipeline *p,
                    json_t *options)
{
    struct vctx c = {.desc = desc, .st = st, .p = p};
    char *cwd = params_cwd();
    if (!cwd)
        return -1;
    c.cwd = cwd;
    bool recursive = !json_is_false(json_object_get(options, "recursive"));
    const ynode *opts = st->options;
    for (size_t i = 0; opts && i < opts->n; i++) {
        c.opt = find_option(desc, opts->keys[i]->scalar);
        if (!c.opt || (c.opt->type != AXLE_OPT_PATH && c.opt->type != AXLE_OPT_PATHS))
            continue;
        const ynode *v = opts->items[i];
        if (v->kind == YNODE_SEQ) {
            for (size_t k = 0; k < v->n; k++)
                check_path_exists(&c, v->items[k], recursive);
        } else if (v->kind == YNODE_SCALAR &&
                   (!is_null_value(v) || strcmp(v->scalar, "~") == 0)) {
            check_path_exists(&c, v, recursive);
        }
    }
    free(cwd);
    return c.errors ? -1 : 0;
}

/* ---- inputs ------------------------------------------------------------------ */

static const axle_input *
find_input(const axle_method_desc *desc, const char *name)
{
    for (const axle_input *in = desc->inputs; in && in->name; in++)
        if (strcmp(in->name, name) == 0)
            return in;
    return NULL;
}

static const char *
input_names(const axle_method_desc *desc, char *buf, size_t size)
{
    size_t o = 0;
    snprintf(buf, size, "none");
    for (const axle_input *in = desc->inputs; in && in->name && o < size; in++) {
        int w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", in->name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

int
options_check_inputs(const axle_method_desc *desc, const step *st, const pipeline *p)
{
    int errors = 0;
    const char *file = p->root->file;
    char names[512];
    for (size_t i = 0; i < st->ninputs; i++) {
        const step_input *si = &st->inputs[i];
        const axle_input *in = find_input(desc, si->name);
        if (!in) {
            diag_error(file, si->line, si->col, "method '%s' has no input '%s' (inputs: %s)",
                       desc->name, si->name, input_names(desc, names, sizeof names));
            errors++;
        } else if ((in->kind == AXLE_INPUT_JOB) != si->is_job) {
            diag_error(file, si->line, si->col,
                       "input '%s' of method '%s' is a %s: give it under '%s:'", si->name,
                       desc->name, in->kind == AXLE_INPUT_JOB ? "job" : "dataset",
                       in->kind == AXLE_INPUT_JOB ? "jobs" : "datasets");
            errors++;
        }
    }
    for (const axle_input *in = desc->inputs; in && in->name; in++) {
        bool given = false;
        for (size_t i = 0; i < st->ninputs; i++)
            given = given || strcmp(st->inputs[i].name, in->name) == 0;
        if (in->required && !given) {
            diag_error(file, st->line, st->col, "step '%s' needs input '%s' (%s: {%s: STEP})",
                       st->name, in->name, in->kind == AXLE_INPUT_JOB ? "jobs" : "datasets",
                       in->name);
            errors++;
        }
    }
    return errors ? -1 : 0;
}
