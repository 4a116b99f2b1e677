/* json_text.c - JSON text with floats in their shortest exact form.
 *
 * jansson prints every real with %.17g, so a mean of 176.43 reaches the
 * run line as 176.43000000000001.  This prints a JSON value the way
 * json_dumps does (same separators, indentation and string escapes), but
 * each real with the fewest significant digits (at most 17) that read
 * back to the same double: 176.43, 0.1, 1e300.  The job-result builder
 * (lib/result_json.c) and the core's printing of results use it. */
#include "axle_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jansson's spelling of a real, kept so that results read the same as
 * before: a ".0" when the text would read as an integer, no '+' and no
 * leading zeros in the exponent ("1e300", "1e-7"). */
static void
jansson_style(char *text, size_t len)
{
    if (!strpbrk(text, ".eE") && strlen(text) + 2 < len)
        strcat(text, ".0");
    char *e = strpbrk(text, "eE");
    if (!e)
        return;
    char *digits = e + 1, *from = digits;
    if (*from == '+')
        from++;
    else if (*from == '-')
        digits = ++from;
    while (*from == '0' && from[1])
        from++;
    memmove(digits, from, strlen(from) + 1);
}

int
axle_internal_format_double(char *out, size_t len, double v)
{
    if (!isfinite(v) || len < 32) {
        if (len)
            out[0] = '\0';
        return -1;
    }
    /* From 1 digit: %.15g is already the shortest for normal doubles,
     * but subnormals have fewer digits to them (5e-324, not
     * 4.94065645841247e-324). */
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(out, len, "%.*g", precision, v);
        double back = strtod(out, NULL);
        /* Compare bits, not values: -0.0 == 0.0 but must print as -0.0. */
        if (memcmp(&back, &v, sizeof v) == 0)
            break;
    }
    jansson_style(out, len);
    return 0;
}

/* A growing text; `failed` once an allocation failed. */
struct text {
    char *s;
    size_t len, cap;
    bool failed;
};

static void
put(struct text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown) {
            t->failed = true;
            return;
        }
        t->s = grown;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void
puts_text(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* As jansson escapes: quote, backslash, control characters; UTF-8 and
 * DEL pass as they are. */
static void
put_string(struct text *t, const char *s, size_t n)
{
    put(t, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(t, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': puts_text(t, "\\\""); break;
        case '\\': puts_text(t, "\\\\"); break;
        case '\b': puts_text(t, "\\b"); break;
        case '\f': puts_text(t, "\\f"); break;
        case '\n': puts_text(t, "\\n"); break;
        case '\r': puts_text(t, "\\r"); break;
        case '\t': puts_text(t, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            puts_text(t, esc);
        }
    }
    put(t, s + run, n - run);
    put(t, "\"", 1);
}

static void
newline(struct text *t, size_t flags, int depth)
{
    int step = (int)(flags & JSON_MAX_INDENT);
    if (!step)
        return;
    put(t, "\n", 1);
    for (int i = 0; i < step * depth; i++)
        put(t, " ", 1);
}

/* Between two members: "," then a new line, or ", " unless compact. */
static void
separator(struct text *t, size_t flags, int depth)
{
    put(t, ",", 1);
    if (flags & JSON_MAX_INDENT)
        newline(t, flags, depth);
    else if (!(flags & JSON_COMPACT))
        put(t, " ", 1);
}

static int
by_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void dump(struct text *t, const json_t *v, size_t flags, int depth);

static void
dump_object(struct text *t, const json_t *v, size_t flags, int depth)
{
    size_t n = json_object_size(v), i = 0;
    if (n == 0) {
        puts_text(t, "{}");
        return;
    }
    const char **keys = malloc(n * sizeof *keys);
    if (!keys) {
        t->failed = true;
        return;
    }
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member)
        keys[i++] = key;
    if (flags & JSON_SORT_KEYS)
        qsort(keys, n, sizeof *keys, by_key);
    put(t, "{", 1);
    newline(t, flags, depth + 1);
    for (i = 0; i < n; i++) {
        if (i)
            separator(t, flags, depth + 1);
        put_string(t, keys[i], strlen(keys[i]));
        puts_text(t, flags & JSON_COMPACT ? ":" : ": ");
        dump(t, json_object_get(v, keys[i]), flags, depth + 1);
    }
    newline(t, flags, depth);
    put(t, "}", 1);
    free(keys);
}

static void
dump_array(struct text *t, const json_t *v, size_t flags, int depth)
{
    size_t n = json_array_size(v);
    if (n == 0) {
        puts_text(t, "[]");
        return;
    }
    put(t, "[", 1);
    newline(t, flags, depth + 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            separator(t, flags, depth + 1);
        dump(t, json_array_get(v, i), flags, depth + 1);
    }
    newline(t, flags, depth);
    put(t, "]", 1);
}

static void
dump(struct text *t, const json_t *v, size_t flags, int depth)
{
    char num[40];
    switch (json_typeof(v)) {
    case JSON_OBJECT: dump_object(t, v, flags, depth); break;
    case JSON_ARRAY: dump_array(t, v, flags, depth); break;
    case JSON_STRING: put_string(t, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        puts_text(t, num);
        break;
    case JSON_REAL: /* jansson holds finite reals only */
        axle_internal_format_double(num, sizeof num, json_real_value(v));
        puts_text(t, num);
        break;
    case JSON_TRUE: puts_text(t, "true"); break;
    case JSON_FALSE: puts_text(t, "false"); break;
    case JSON_NULL: puts_text(t, "null"); break;
    }
}

char *
axle_internal_json_dumps(const json_t *v, size_t flags)
{
    struct text t = {NULL, 0, 0, false};
    if (!v)
        return NULL;
    dump(&t, v, flags, 0);
    if (t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}
