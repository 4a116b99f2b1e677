/* params.c - params, their command-line overrides, ${NAME} substitution.
 *
 * Substitution rules (DESIGN.md, "External contract"):
 *   - a value that is exactly ${NAME} becomes the param's value with its
 *     type (a list stays a list);
 *   - ${NAME} inside a longer text is replaced by the value's text, and the
 *     result is a string; a list or mapping there is an error;
 *   - $$ is a literal $; a $ followed by anything else stays as it is.
 * A substituted string counts as "from the command line" when it starts
 * with a command-line value: the start of a path decides what it is
 * relative to. */
#include "params.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

#define CLI_NAME "command line"

/* ---- small helpers ---------------------------------------------------------- */

static bool
valid_name(const char *s, size_t len)
{
    if (!len || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (!(c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
              (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

static param *
find(const params *ps, const char *name, size_t len)
{
    for (size_t i = 0; i < ps->n; i++)
        if (strlen(ps->v[i].name) == len && memcmp(ps->v[i].name, name, len) == 0)
            return &ps->v[i];
    return NULL;
}

const char *
params_names(const params *ps, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (!ps->n) {
        snprintf(buf, size, "none");
        return buf;
    }
    for (size_t i = 0; i < ps->n && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", ps->v[i].name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* A growable string. */
struct sbuf {
    char *s;
    size_t len, cap;
    bool failed;
};

static void
sb_add(struct sbuf *b, const char *s, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

/* ---- folders ---------------------------------------------------------------- */

char *
params_cwd(void)
{
    const char *pwd = getenv("PWD");
    struct stat a, b;
    if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
        a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return strdup(pwd);
    return getcwd(NULL, 0);
}

char *
params_expand_home(const char *s)
{
    if (s[0] != '~' || (s[1] != '\0' && s[1] != '/'))
        return NULL;
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home)
        return NULL;
    size_t hl = strlen(home);
    if (hl > 1 && home[hl - 1] == '/')
        hl--; /* "HOME=/home/u/" + "/x" must not give "//" */
    char *out = malloc(hl + strlen(s + 1) + 1);
    if (out) {
        memcpy(out, home, hl);
        strcpy(out + hl, s + 1);
    }
    return out;
}

/* ---- scanning one scalar ---------------------------------------------------- */

enum scan_mode { SCAN_DEFAULT, SCAN_VALUE };

struct scan {
    const params *ps;
    const ynode *node;
    enum scan_mode mode;
    struct sbuf out;
    bool changed;
    bool from_cli;   /* the text starts with a command-line value */
    int errors;
};

static void AXLE_PRINTF(3, 4)
scan_error(struct scan *sc, size_t offset, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    ynode_place_at(sc->node, offset, &line, &col);
    if (sc->node->from_cli)
        diag_error(NULL, 0, 0, "%s (in a value from the command line)", msg);
    else
        diag_error(sc->node->file, line, col, "%s", msg);
    sc->errors++;
}

/* Handles the ${...} starting at text[at]; returns the offset after it. */
static size_t
scan_reference(struct scan *sc, const char *text, size_t at)
{
    const char *name = text + at + 2;
    const char *close = strchr(name, '}');
    char q[128], names[512];
    if (!close) {
        scan_error(sc, at, "'${' is not closed by '}' (write '$$' for a literal '$')");
        return strlen(text);
    }
    size_t len = (size_t)(close - name);
    size_t next = (size_t)(close - text) + 1;
    char *nm = strndup(name, len);
    if (!nm) {
        sc->out.failed = true;
        return next;
    }
    if (!valid_name(name, len)) {
        scan_error(sc, at, "'${%s}' does not name a param (names are letters, digits, '_' and '-')",
                   ydoc_quote(nm, q, sizeof q));
    } else if (sc->mode == SCAN_DEFAULT) {
        scan_error(sc, at, "a param's value cannot use '${%s}': params are not substituted into params",
                   nm);
    } else {
        const param *p = find(sc->ps, name, len);
        if (!p) {
            scan_error(sc, at, "undefined param '%s' (declared: %s)", nm,
                       params_names(sc->ps, names, sizeof names));
        } else if (p->value->kind != YNODE_SCALAR) {
            scan_error(sc, at,
                       "param '%s' is %s: it can stand alone as a whole value, but not inside a longer text",
                       nm, ynode_kind_name(p->value));
        } else {
            if (at == 0)
                sc->from_cli = p->value->from_cli;
            sb_add(&sc->out, p->value->scalar, strlen(p->value->scalar));
        }
    }
    free(nm);
    sc->changed = true;
    return next;
}

static void
scan_text(struct scan *sc, const char *text)
{
    size_t i = 0, plain_from = 0;
    while (text[i]) {
        if (text[i] != '$' || (text[i + 1] != '$' && text[i + 1] != '{')) {
            i++;
            continue;
        }
        sb_add(&sc->out, text + plain_from, i - plain_from);
        if (text[i + 1] == '$') {
            sb_add(&sc->out, "$", 1);
            sc->changed = true;
            i += 2;
        } else {
            i = scan_reference(sc, text, i);
        }
        plain_from = i;
    }
    sb_add(&sc->out, text + plain_from, i - plain_from);
}

/* The param a value is exactly a reference to, or NULL. */
static bool
standalone_reference(const char *text, size_t *name_len)
{
    size_t len = strlen(text);
    if (len < 4 || text[0] != '$' || text[1] != '{' || text[len - 1] != '}')
        return false;
    if (memchr(text + 2, '}', len - 3))
        return false; /* "${a}${b}" */
    *name_len = len - 3;
    return valid_name(text + 2, *name_len);
}

/* Rewrites a scalar in place (text only); standalone references are the
 * caller's business. */
static int
rewrite_scalar(const params *ps, ynode *n, enum scan_mode mode)
{
    if (!strchr(n->scalar, '$'))
        return 0;
    struct scan sc = {.ps = ps, .node = n, .mode = mode};
    scan_text(&sc, n->scalar);
    if (sc.out.failed) {
        diag_error(n->file, n->line, n->col, "out of memory");
        sc.errors++;
    }
    if (!sc.errors && sc.changed) {
        free(n->scalar);
        n->scalar = sc.out.s ? sc.out.s : strdup("");
        sc.out.s = NULL;
        n->plain = false; /* text made by substitution is a string */
        n->text_col = 0;
        if (sc.from_cli)
            n->from_cli = true;
    }
    free(sc.out.s);
    return sc.errors ? -1 : 0;
}

static int
substitute_whole(const params *ps, ynode **slot, size_t name_len)
{
    ynode *n = *slot;
    const param *p = find(ps, n->scalar + 2, name_len);
    if (!p) {
        char names[512];
        int line, col;
        ynode_place_at(n, 0, &line, &col);
        diag_error(n->file, line, col, "undefined param '%.*s' (declared: %s)",
                   (int)name_len, n->scalar + 2, params_names(ps, names, sizeof names));
        return -1;
    }
    ynode *v = ynode_clone(p->value);
    if (!v) {
        diag_error(n->file, n->line, n->col, "out of memory");
        return -1;
    }
    /* A file default keeps the place it was written at; a command-line
     * value has none, so it takes the place that used it. */
    if (v->from_cli)
        ynode_set_place(v, n->file, n->line, n->col, true);
    ynode_free(n);
    *slot = v;
    return 0;
}

int
params_substitute(const params *ps, ynode **slot)
{
    ynode *n = *slot;
    if (n->kind == YNODE_SCALAR) {
        size_t name_len;
        if (standalone_reference(n->scalar, &name_len))
            return substitute_whole(ps, slot, name_len);
        return rewrite_scalar(ps, n, SCAN_VALUE);
    }
    int rc = 0;
    for (size_t i = 0; i < n->n; i++)
        if (params_substitute(ps, &n->items[i]) < 0)
            rc = -1;
    return rc;
}

/* ---- declaring -------------------------------------------------------------- */

static int
unescape_tree(const params *ps, ynode *n)
{
    if (n->kind == YNODE_SCALAR)
        return rewrite_scalar(ps, n, SCAN_DEFAULT);
    int rc = 0;
    for (size_t i = 0; i < n->n; i++)
        if (unescape_tree(ps, n->items[i]) < 0)
            rc = -1;
    return rc;
}

int
params_declare(params *ps, const ynode *map)
{
    ps->v = NULL;
    ps->n = 0;
    if (!map || (map->kind == YNODE_SCALAR && yscalar_classify(map) == YS_NULL))
        return 0;
    if (map->kind != YNODE_MAP) {
        diag_error(map->file, map->line, map->col,
                   "'params' must be a mapping of NAME: default value, not %s",
                   ynode_kind_name(map));
        return -1;
    }
    ps->v = calloc(map->n ? map->n : 1, sizeof *ps->v);
    if (!ps->v) {
        diag_error(map->file, map->line, map->col, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < map->n; i++) {
        const ynode *k = map->keys[i];
        char q[128];
        if (!valid_name(k->scalar, strlen(k->scalar))) {
            diag_error(k->file, k->line, k->col,
                       "param name '%s' must be letters, digits, '_' and '-', starting with a letter or '_'",
                       ydoc_quote(k->scalar, q, sizeof q));
            rc = -1;
            continue;
        }
        param *p = &ps->v[ps->n];
        p->name = strdup(k->scalar);
        p->value = ynode_clone(map->items[i]);
        if (!p->name || !p->value) {
            free(p->name);
            ynode_free(p->value);
            diag_error(k->file, k->line, k->col, "out of memory");
            return -1;
        }
        ps->n++;
        if (unescape_tree(ps, p->value) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- command-line overrides ------------------------------------------------- */

/* Plain "~" and "~/..." in a command-line value are the home folder (the
 * shell did not expand them after '='; and plain "~" is null in YAML). */
static int
expand_homes(ynode *n)
{
    if (n->kind != YNODE_SCALAR) {
        for (size_t i = 0; i < n->n; i++)
            if (expand_homes(n->items[i]) < 0)
                return -1;
        return 0;
    }
    if (!n->plain)
        return 0;
    char *home = params_expand_home(n->scalar);
    if (!home)
        return 0;
    free(n->scalar);
    n->scalar = home;
    n->plain = false;
    return 0;
}

static bool
starts_flow_collection(const char *text)
{
    text += strspn(text, " \t");
    return *text == '[' || *text == '{';
}

/* Parses VALUE of one NAME=VALUE; NULL after an error. */
static ynode *
parse_value(const char *arg, const char *value)
{
    char err[512], q[256];
    int line, col;
    ynode *v;
    /* YAML cannot start a plain value with these ('*.jpg' would be an
     * alias, '#ff0000' a comment, so null), and none of their YAML
     * meanings is allowed here: such a value can only mean its text. */
    if (*value && strchr("*&!%@`#", *value)) {
        v = ynode_new_scalar(value, false, NULL);
        if (v)
            ynode_set_place(v, NULL, 0, 0, true);
        return v;
    }
    v = ydoc_parse_string(value, CLI_NAME, err, sizeof err, &line, &col);
    ydoc_quote(arg, q, sizeof q);
    if (!v) {
        if (line == 1)
            col += (int)(value - arg); /* a column in the whole argument */
        if (line > 0)
            diag_error(NULL, 0, 0, "'%s': %s at line %d, column %d", q, err, line, col);
        else
            diag_error(NULL, 0, 0, "'%s': %s", q, err);
        return NULL;
    }
    if (v->kind != YNODE_SCALAR && !starts_flow_collection(value)) {
        diag_error(NULL, 0, 0,
                   "'%s': a value on the command line is one YAML flow value: quote text holding ': ' or '- ', write lists as [a, b]",
                   q);
        ynode_free(v);
        return NULL;
    }
    ynode_set_place(v, v->file, 0, 0, true);
    expand_homes(v);
    return v;
}

int
params_override(params *ps, int n, char **args)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char q[256], names[512];
        const char *eq = strchr(args[i], '=');
        if (!eq) {
            diag_error(NULL, 0, 0, "expected NAME=VALUE, got '%s'",
                       ydoc_quote(args[i], q, sizeof q));
            rc = -1;
            continue;
        }
        param *p = find(ps, args[i], (size_t)(eq - args[i]));
        if (!p) {
            char *nm = strndup(args[i], (size_t)(eq - args[i]));
            diag_error(NULL, 0, 0, "unknown param '%s' (declared: %s)",
                       ydoc_quote(nm ? nm : "", q, sizeof q),
                       params_names(ps, names, sizeof names));
            free(nm);
            rc = -1;
            continue;
        }
        ynode *v = parse_value(args[i], eq + 1);
        if (!v) {
            rc = -1;
            continue;
        }
        ynode_free(p->value);
        p->value = v;
    }
    return rc;
}

void
params_free(params *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->v[i].name);
        ynode_free(ps->v[i].value);
    }
    free(ps->v);
    ps->v = NULL;
    ps->n = 0;
}
