/* yaml_doc.c - YAML text to a tree of ynodes, each knowing its place.
 *
 * The tree is built from libyaml's event stream rather than its document
 * loader, so hostile input is stopped as it is read: aliases are refused
 * outright (no expansion, so no "billion laughs"), nesting and node count
 * are capped, and duplicate keys, which libyaml accepts silently, are
 * reported at their second occurrence. */
#include "yaml_doc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "diag.h"
#include "fsutil.h"

#define YSTR_TAG "tag:yaml.org,2002:str"
#define YSEQ_TAG "tag:yaml.org,2002:seq"
#define YMAP_TAG "tag:yaml.org,2002:map"

/* ---- file names ----------------------------------------------------------
 * Nodes borrow their file name.  Names are interned for the life of the
 * process so that a node cloned into another tree (a command-line value
 * substituted into a pipeline) never outlives the name it points at.  Only a
 * handful of distinct names ever exist. */

struct name_list {
    struct name_list *next;
    char name[];
};
static struct name_list *interned;

static const char *
intern_name(const char *name)
{
    for (struct name_list *l = interned; l; l = l->next)
        if (strcmp(l->name, name) == 0)
            return l->name;
    size_t len = strlen(name);
    struct name_list *l = malloc(sizeof *l + len + 1);
    if (!l)
        return "?";
    memcpy(l->name, name, len + 1);
    l->next = interned;
    interned = l;
    return l->name;
}

/* ---- the loader ----------------------------------------------------------- */

struct loader {
    yaml_parser_t parser;
    const char *name;
    const unsigned char *text;
    size_t len;
    size_t nodes;
    char err[512];
    int line, col;
};

static void AXLE_PRINTF(4, 5)
fail(struct loader *ld, int line, int col, const char *fmt, ...)
{
    if (ld->err[0])
        return; /* the first problem is the one reported */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err, sizeof ld->err, fmt, ap);
    va_end(ap);
    ld->line = line;
    ld->col = col;
}

/* Place of a byte offset in the text: libyaml counts columns in
 * characters, so do we. */
static void
offset_place(const struct loader *ld, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset && i < ld->len; i++) {
        if (ld->text[i] == '\n') {
            l++;
            c = 1;
        } else if ((ld->text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* At the end of a text without a final newline libyaml puts its mark on
 * the line after the last; the end of the last line is where it is. */
static void
clamp_to_end(const struct loader *ld, int *line, int *col)
{
    int end_line, end_col;
    if (!ld->len || ld->text[ld->len - 1] == '\n' || *col != 1)
        return;
    offset_place(ld, ld->len, &end_line, &end_col);
    if (*line == end_line + 1) {
        *line = end_line;
        *col = end_col;
    }
}

static void
parser_failed(struct loader *ld)
{
    yaml_parser_t *p = &ld->parser;
    int line, col;
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        fail(ld, 0, 0, "out of memory while reading YAML");
        return;
    case YAML_READER_ERROR:
        offset_place(ld, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            fail(ld, line, col, "invalid text: %s (0x%X)", p->problem,
                 (unsigned)p->problem_value);
        else
            fail(ld, line, col, "invalid text: %s", p->problem);
        return;
    default:
        line = (int)p->problem_mark.line + 1;
        col = (int)p->problem_mark.column + 1;
        clamp_to_end(ld, &line, &col);
        if (p->context)
            fail(ld, line, col, "%s (%s)", p->problem ? p->problem : "syntax error",
                 p->context);
        else
            fail(ld, line, col, "%s", p->problem ? p->problem : "syntax error");
    }
}

static bool
next_event(struct loader *ld, yaml_event_t *ev)
{
    if (yaml_parser_parse(&ld->parser, ev))
        return true;
    parser_failed(ld);
    return false;
}

static ynode *
node_new(struct loader *ld, ynode_kind kind, const yaml_mark_t *mark)
{
    ynode *n = calloc(1, sizeof *n);
    if (!n) {
        fail(ld, 0, 0, "out of memory while reading YAML");
        return NULL;
    }
    n->kind = kind;
    n->file = ld->name;
    n->line = (int)mark->line + 1;
    n->col = (int)mark->column + 1;
    return n;
}

static size_t
utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* libyaml already refuses malformed UTF-8 in its input; this guards what
 * escapes produce and what reaches us from elsewhere. */
static bool
utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= len || (s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

static bool
tag_allowed(struct loader *ld, const yaml_char_t *tag, const char *ok,
            const yaml_mark_t *mark)
{
    if (!tag || strcmp((const char *)tag, "!") == 0 ||
        strcmp((const char *)tag, ok) == 0)
        return true;
    char q[128];
    const char *t = (const char *)tag;
    bool core = strncmp(t, "tag:yaml.org,2002:", 18) == 0;
    fail(ld, (int)mark->line + 1, (int)mark->column + 1,
         "YAML tag '%s%s' is not supported", core ? "!!" : "",
         ydoc_quote(core ? t + 18 : t, q, sizeof q));
    return false;
}

static ynode *
load_scalar(struct loader *ld, yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (!tag_allowed(ld, ev->data.scalar.tag, YSTR_TAG, m))
        return NULL;
    if (memchr(value, '\0', len)) {
        fail(ld, (int)m->line + 1, (int)m->column + 1, "text holds a NUL character");
        return NULL;
    }
    if (!utf8_valid((const unsigned char *)value, len)) {
        fail(ld, (int)m->line + 1, (int)m->column + 1, "text is not valid UTF-8");
        return NULL;
    }
    ynode *n = node_new(ld, YNODE_SCALAR, m);
    if (!n)
        return NULL;
    n->scalar = strndup(value, len);
    if (!n->scalar) {
        free(n);
        fail(ld, 0, 0, "out of memory while reading YAML");
        return NULL;
    }
    /* An explicit tag (`!!str 5`, `! 5`) makes even a plain scalar a string. */
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
               ev->data.scalar.plain_implicit;
    bool quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                  ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    bool simple = quoted || ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    size_t width = ev->end_mark.column - ev->start_mark.column;
    if (simple && !ev->data.scalar.tag && ev->start_mark.line == ev->end_mark.line &&
        width == utf8_chars(value, len) + (quoted ? 2 : 0))
        n->text_col = n->col + (quoted ? 1 : 0);
    return n;
}

static bool
grow(struct loader *ld, ynode *n, size_t *cap)
{
    if (n->n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 4;
    ynode **items = realloc(n->items, c * sizeof *items);
    if (items)
        n->items = items;
    ynode **keys = n->kind == YNODE_MAP ? realloc(n->keys, c * sizeof *keys) : NULL;
    if (keys)
        n->keys = keys;
    if (!items || (n->kind == YNODE_MAP && !keys)) {
        fail(ld, 0, 0, "out of memory while reading YAML");
        return false;
    }
    *cap = c;
    return true;
}

static ynode *load_node(struct loader *ld, yaml_event_t *ev, int depth);

/* Reads the next event and the node it starts; NULL at `end`. */
static ynode *
load_next(struct loader *ld, yaml_event_type_t end, bool *done, int depth)
{
    yaml_event_t ev;
    *done = false;
    if (!next_event(ld, &ev))
        return NULL;
    if (ev.type == end) {
        *done = true;
        yaml_event_delete(&ev);
        return NULL;
    }
    return load_node(ld, &ev, depth);
}

static int
key_order(const void *a, const void *b)
{
    const ynode *x = *(ynode *const *)a, *y = *(ynode *const *)b;
    int c = strcmp(x->scalar, y->scalar);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Duplicate keys: sorted by text then place, so a duplicate sits right
 * after the key it repeats.  The earliest repetition in the file is
 * reported, naming the line of the first occurrence. */
static bool
check_duplicates(struct loader *ld, const ynode *map)
{
    if (map->n < 2)
        return true;
    ynode **sorted = malloc(map->n * sizeof *sorted);
    if (!sorted) {
        fail(ld, 0, 0, "out of memory while reading YAML");
        return false;
    }
    memcpy(sorted, map->keys, map->n * sizeof *sorted);
    qsort(sorted, map->n, sizeof *sorted, key_order);
    const ynode *first = NULL, *dup = NULL;
    for (size_t i = 1; i < map->n; i++) {
        /* sorted[i] repeats its run's start only as the run's second member */
        if (strcmp(sorted[i - 1]->scalar, sorted[i]->scalar) != 0 ||
            (i > 1 && strcmp(sorted[i - 2]->scalar, sorted[i]->scalar) == 0))
            continue;
        const ynode *d = sorted[i];
        if (!dup || d->line < dup->line || (d->line == dup->line && d->col < dup->col)) {
            first = sorted[i - 1];
            dup = d;
        }
    }
    if (dup) {
        char q[128];
        fail(ld, dup->line, dup->col, "duplicate key '%s' (first given on line %d)",
             ydoc_quote(dup->scalar, q, sizeof q), first->line);
    }
    free(sorted);
    return dup == NULL;
}

static ynode *
load_collection(struct loader *ld, yaml_event_t *ev, int depth)
{
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    if (!tag_allowed(ld, tag, is_map ? YMAP_TAG : YSEQ_TAG, &ev->start_mark))
        return NULL;
    if (depth >= YDOC_MAX_DEPTH) {
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "lists and mappings nested deeper than %d levels", YDOC_MAX_DEPTH);
        return NULL;
    }
    ynode *n = node_new(ld, is_map ? YNODE_MAP : YNODE_SEQ, &ev->start_mark);
    if (!n)
        return NULL;
    yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    size_t cap = 0;
    for (;;) {
        bool done;
        ynode *item = load_next(ld, end, &done, depth + 1);
        if (done)
            break;
        if (!item)
            goto fail;
        ynode *key = NULL;
        if (is_map) {
            key = item;
            if (key->kind != YNODE_SCALAR) {
                fail(ld, key->line, key->col, "a key must be a plain value, not %s",
                     ynode_kind_name(key));
                ynode_free(key);
                goto fail;
            }
            item = load_next(ld, end, &done, depth + 1);
            if (!item) { /* libyaml always gives a value; only errors land here */
                ynode_free(key);
                goto fail;
            }
        }
        if (!grow(ld, n, &cap)) {
            ynode_free(key);
            ynode_free(item);
            goto fail;
        }
        if (is_map)
            n->keys[n->n] = key;
        n->items[n->n++] = item;
    }
    if (is_map && !check_duplicates(ld, n))
        goto fail;
    return n;
fail:
    ynode_free(n);
    return NULL;
}

/* Builds the node that event `ev` starts; consumes `ev`. */
static ynode *
load_node(struct loader *ld, yaml_event_t *ev, int depth)
{
    ynode *n = NULL;
    if (++ld->nodes > YDOC_MAX_NODES) {
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "more than %d values in one file", YDOC_MAX_NODES);
    } else if (ev->type == YAML_ALIAS_EVENT) {
        char q[128];
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "aliases (*%s) are not supported: write the value out",
             ydoc_quote((const char *)ev->data.alias.anchor, q, sizeof q));
    } else if (ev->type == YAML_SCALAR_EVENT) {
        n = load_scalar(ld, ev);
    } else if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
        n = load_collection(ld, ev, depth);
    } else {
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "unexpected YAML event");
    }
    yaml_event_delete(ev);
    return n;
}

/* An empty text is one null: the same as an empty document. */
static ynode *
empty_document(struct loader *ld)
{
    yaml_mark_t start = {0, 0, 0};
    ynode *n = node_new(ld, YNODE_SCALAR, &start);
    if (n && !(n->scalar = strdup(""))) {
        free(n);
        n = NULL;
    }
    if (n)
        n->plain = true;
    return n;
}

static bool
expect_event(struct loader *ld, yaml_event_type_t type, yaml_event_t *ev)
{
    if (!next_event(ld, ev))
        return false;
    if (ev->type == type)
        return true;
    if (ev->type == YAML_DOCUMENT_START_EVENT)
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "only one YAML document is allowed here, found a second");
    else
        fail(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
             "unexpected YAML event");
    yaml_event_delete(ev);
    return false;
}

static ynode *
load_stream(struct loader *ld)
{
    yaml_event_t ev;
    ynode *root = NULL;
    if (!expect_event(ld, YAML_STREAM_START_EVENT, &ev))
        return NULL;
    yaml_event_delete(&ev);
    if (!next_event(ld, &ev))
        return NULL;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return empty_document(ld);
    }
    yaml_event_delete(&ev); /* DOCUMENT_START */
    if (!next_event(ld, &ev) || !(root = load_node(ld, &ev, 0)))
        return NULL;
    if (!expect_event(ld, YAML_DOCUMENT_END_EVENT, &ev))
        goto fail;
    yaml_event_delete(&ev);
    if (!expect_event(ld, YAML_STREAM_END_EVENT, &ev))
        goto fail;
    yaml_event_delete(&ev);
    return root;
fail:
    ynode_free(root);
    return NULL;
}

static ynode *
load_text(struct loader *ld, const char *text, size_t len, const char *name)
{
    memset(ld, 0, sizeof *ld);
    ld->name = intern_name(name);
    ld->text = (const unsigned char *)text;
    ld->len = len;
    if (len > YDOC_MAX_BYTES) {
        fail(ld, 0, 0, "%zu bytes is over the limit of %u bytes for a YAML text",
             len, YDOC_MAX_BYTES);
        return NULL;
    }
    if (!yaml_parser_initialize(&ld->parser)) {
        fail(ld, 0, 0, "out of memory while reading YAML");
        return NULL;
    }
    yaml_parser_set_encoding(&ld->parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&ld->parser, ld->text, len);
    ynode *root = load_stream(ld);
    yaml_parser_delete(&ld->parser);
    return root;
}

static void
report(const struct loader *ld)
{
    diag_error(ld->name, ld->line, ld->col, "%s", ld->err);
}

ynode *
ydoc_parse_string(const char *text, const char *name, char *err, size_t errlen,
                  int *line, int *col)
{
    struct loader ld;
    ynode *n = load_text(&ld, text, strlen(text), name);
    if (!n) {
        snprintf(err, errlen, "%s", ld.err);
        *line = ld.line;
        *col = ld.col;
    }
    return n;
}

ynode *
ydoc_load_string(const char *text, const char *name)
{
    struct loader ld;
    ynode *n = load_text(&ld, text, strlen(text), name);
    if (!n)
        report(&ld);
    return n;
}

/* Reads at most YDOC_MAX_BYTES + 1 bytes, so an oversized file is refused
 * without reading it all.  A regular file or a pipe (`axle run <(...)`);
 * a device is refused, a FIFO opened without waiting for a writer. */
static char *
read_capped(const char *path, size_t *len, char *why, size_t whylen)
{
    int fd = fs_open_file(path, true, why, whylen);
    if (fd < 0)
        return NULL;
    size_t cap = YDOC_MAX_BYTES + 1, used = 0;
    char *buf = malloc(cap + 1);
    while (buf && used < cap) {
        ssize_t r = read(fd, buf + used, cap - used);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            buf = NULL;
            errno = e;
        } else if (r == 0) {
            break;
        } else {
            used += (size_t)r;
        }
    }
    int e = errno;
    close(fd);
    if (buf) {
        buf[used] = '\0';
        *len = used;
    } else {
        snprintf(why, whylen, "%s", strerror(e));
    }
    return buf;
}

ynode *
ydoc_load_file(const char *path)
{
    size_t len = 0;
    char why[128];
    char *text = read_capped(path, &len, why, sizeof why);
    if (!text) {
        diag_error(path, 0, 0, "cannot read: %s", why);
        return NULL;
    }
    struct loader ld;
    ynode *n = NULL;
    if (len > YDOC_MAX_BYTES)
        diag_error(path, 0, 0, "file is over the limit of %u bytes for a YAML file",
                   YDOC_MAX_BYTES);
    else if (!(n = load_text(&ld, text, len, path)))
        report(&ld);
    free(text);
    return n;
}

/* ---- nodes ---------------------------------------------------------------- */

void
ynode_free(ynode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            ynode_free(n->keys[i]);
        ynode_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->scalar);
    free(n);
}

ynode *
ynode_clone(const ynode *n)
{
    if (!n)
        return NULL;
    ynode *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    c->scalar = NULL;
    c->keys = NULL;
    c->items = NULL;
    c->n = 0;
    if (n->scalar && !(c->scalar = strdup(n->scalar)))
        goto fail;
    if (n->n) {
        c->items = calloc(n->n, sizeof *c->items);
        if (n->keys)
            c->keys = calloc(n->n, sizeof *c->keys);
        if (!c->items || (n->keys && !c->keys))
            goto fail;
    }
    for (; c->n < n->n; c->n++) {
        c->items[c->n] = ynode_clone(n->items[c->n]);
        if (n->keys)
            c->keys[c->n] = ynode_clone(n->keys[c->n]);
        if (!c->items[c->n] || (n->keys && !c->keys[c->n])) {
            c->n++;
            goto fail;
        }
    }
    return c;
fail:
    ynode_free(c);
    return NULL;
}

ynode *
ynode_get(const ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->scalar, key) == 0)
            return map->items[i];
    return NULL;
}

ynode *
ynode_new_scalar(const char *text, bool plain, const ynode *place)
{
    ynode *n = calloc(1, sizeof *n);
    if (!n || !(n->scalar = strdup(text))) {
        free(n);
        return NULL;
    }
    n->kind = YNODE_SCALAR;
    n->plain = plain;
    if (place) {
        n->file = place->file;
        n->line = place->line;
        n->col = place->col;
        n->from_cli = place->from_cli;
    }
    return n;
}

void
ynode_set_place(ynode *n, const char *file, int line, int col, bool from_cli)
{
    n->file = file;
    n->line = line;
    n->col = col;
    n->from_cli = from_cli;
    n->text_col = 0;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            ynode_set_place(n->keys[i], file, line, col, from_cli);
        ynode_set_place(n->items[i], file, line, col, from_cli);
    }
}

void
ynode_place_at(const ynode *n, size_t offset, int *line, int *col)
{
    *line = n->line;
    *col = n->col;
    if (n->kind == YNODE_SCALAR && n->text_col > 0 && offset <= strlen(n->scalar))
        *col = n->text_col + (int)utf8_chars(n->scalar, offset);
}

const char *
ynode_kind_name(const ynode *n)
{
    if (!n)
        return "nothing";
    if (n->kind == YNODE_SEQ)
        return "a list";
    if (n->kind == YNODE_MAP)
        return "a mapping";
    return yscalar_classify(n) == YS_NULL ? "null" : "a value";
}

/* ---- scalars: YAML 1.2 core schema ----------------------------------------- */

static bool
all_of(const char *s, const char *set)
{
    return *s && strspn(s, set) == strlen(s);
}

static bool
is_core_int(const char *s)
{
    if (s[0] == '0' && s[1] == 'o')
        return all_of(s + 2, "01234567");
    if (s[0] == '0' && s[1] == 'x')
        return all_of(s + 2, "0123456789abcdefABCDEF");
    if (*s == '-' || *s == '+')
        s++;
    return all_of(s, "0123456789");
}

static bool
is_special_float(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    return !strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF");
}

static bool
is_nan(const char *s)
{
    return !strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN");
}

/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool
is_core_float(const char *s)
{
    if (is_special_float(s) || is_nan(s))
        return true;
    if (*s == '-' || *s == '+')
        s++;
    size_t whole = strspn(s, "0123456789");
    s += whole;
    size_t frac = 0;
    if (*s == '.') {
        frac = strspn(s + 1, "0123456789");
        s += 1 + frac;
    } else if (!whole) {
        return false;
    }
    if (!whole && !frac)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        size_t exp = strspn(s, "0123456789");
        if (!exp)
            return false;
        s += exp;
    }
    return *s == '\0';
}

yscalar_type
yscalar_classify(const ynode *n)
{
    if (!n || n->kind != YNODE_SCALAR || !n->plain)
        return YS_STRING;
    const char *s = n->scalar;
    if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
        !strcmp(s, "NULL"))
        return YS_NULL;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
        !strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return YS_BOOL;
    if (is_core_int(s))
        return YS_INT;
    if (is_core_float(s))
        return YS_FLOAT;
    return YS_STRING;
}

bool
yscalar_int(const ynode *n, int64_t *out)
{
    if (yscalar_classify(n) != YS_INT)
        return false;
    const char *s = n->scalar;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
        base = s[1] == 'x' ? 16 : 8;
        s += 2;
    }
    errno = 0;
    char *end;
    if (base == 10) {
        long long v = strtoll(s, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
    } else {
        unsigned long long v = strtoull(s, &end, base);
        if (errno || *end || v > INT64_MAX)
            return false;
        *out = (int64_t)v;
    }
    return true;
}

bool
yscalar_float(const ynode *n, double *out)
{
    yscalar_type t = yscalar_classify(n);
    if (t == YS_INT) {
        int64_t i;
        if (yscalar_int(n, &i)) {
            *out = (double)i;
            return true;
        }
        /* too large for int64: still a valid float */
    } else if (t != YS_FLOAT) {
        return false;
    }
    const char *s = n->scalar;
    if (is_nan(s)) {
        *out = NAN;
    } else if (is_special_float(s)) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
    } else if (t == YS_INT && (s[1] == 'x' || s[1] == 'o')) {
        return false;
    } else {
        *out = strtod(s, NULL);
    }
    return true;
}

bool
yscalar_bool(const ynode *n, bool *out)
{
    if (yscalar_classify(n) != YS_BOOL)
        return false;
    *out = n->scalar[0] == 't' || n->scalar[0] == 'T';
    return true;
}

/* ---- quoting for messages --------------------------------------------------- */

const char *
ydoc_quote(const char *s, char *buf, size_t size)
{
    static const char more[] = "...";
    size_t o = 0;
    if (size < sizeof more + 1) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    size_t room = size - sizeof more; /* keeps space for "..." and NUL */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char piece[8];
        size_t len;
        if (*p < 0x20 || *p == 0x7F) {
            len = (size_t)snprintf(piece, sizeof piece, "\\x%02X", *p);
        } else {
            /* a whole UTF-8 character at a time, so a cut never splits one */
            len = 1;
            while (len < 4 && (p[len] & 0xC0) == 0x80)
                len++;
            memcpy(piece, p, len);
        }
        if (o + len > room) {
            memcpy(buf + o, more, sizeof more);
            return buf;
        }
        memcpy(buf + o, piece, len);
        o += len;
        p += (*p < 0x20 || *p == 0x7F) ? 1 : len;
    }
    buf[o] = '\0';
    return buf;
}
