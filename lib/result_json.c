/* result_json.c - axle_json, a builder for the job's result.
 *
 * Values go into a jansson tree; the text comes from json_text.c, so
 * floats read 176.43 rather than 176.43000000000001.  The first mistake
 * is kept and every later call does nothing, so a method adds its values
 * without checking each call and learns of the mistake once, from
 * axle_json_set_result (the "if (rc == AXLE_OK)" chain it spares). */
#include "axle_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lists and objects open inside one another; far more than a result
 * needs. */
#define MAX_DEPTH 32

struct axle_json {
    json_t *stack[MAX_DEPTH]; /* [0] the top object, then what is open */
    int depth;                /* entries in stack */
    char *text;               /* the last axle_json_text */
    char error[512];          /* the first mistake, or "" */
};

static void
mistake(axle_json *j, const char *fmt, ...) AXLE_PRINTF(2, 3);

static void
mistake(axle_json *j, const char *fmt, ...)
{
    if (j->error[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->error, sizeof j->error, fmt, ap);
    va_end(ap);
}

axle_json *
axle_json_new(void)
{
    axle_json *j = calloc(1, sizeof *j);
    if (j && !(j->stack[0] = json_object())) {
        free(j);
        return NULL;
    }
    if (j)
        j->depth = 1;
    return j;
}

void
axle_json_free(axle_json *j)
{
    if (!j)
        return;
    for (int i = 0; i < j->depth; i++) /* what is still open, and the top */
        json_decref(j->stack[i]);
    free(j->text);
    free(j);
}

/* Puts v (a new reference, may be NULL: out of memory, or a string that
 * is not UTF-8, as `what` says) under key in the innermost open object or
 * list; true when it was taken. */
static bool
add(axle_json *j, const char *key, json_t *v, const char *what)
{
    bool taken = false;
    if (j && !j->error[0]) {
        json_t *into = j->stack[j->depth - 1];
        if (!v)
            mistake(j, "%s: %s", key ? key : "(no key)", what);
        else if (json_is_array(into) && key)
            mistake(j, "%s: a value in a list takes no key (NULL)", key);
        else if (json_is_array(into))
            taken = json_array_append(into, v) == 0;
        else if (!key)
            mistake(j, "a value in an object needs a key, got NULL");
        else if (json_object_get(into, key))
            mistake(j, "%s: key given twice", key);
        else
            taken = json_object_set(into, key, v) == 0;
        if (!taken && !j->error[0]) /* jansson refused: memory, or the key */
            mistake(j, "%s: key is not UTF-8 (or out of memory)", key ? key : "(no key)");
    }
    json_decref(v);
    return taken;
}

void
axle_json_int(axle_json *j, const char *key, int64_t v)
{
    add(j, key, json_integer((json_int_t)v), "out of memory");
}

void
axle_json_float(axle_json *j, const char *key, double v)
{
    if (j && isnan(v))
        mistake(j, "%s: NaN is not a JSON number", key ? key : "(no key)");
    else if (j && !isfinite(v))
        mistake(j, "%s: %s is not a JSON number", key ? key : "(no key)",
                v > 0 ? "infinity" : "-infinity");
    else
        add(j, key, json_real(v), "out of memory");
}

void
axle_json_string(axle_json *j, const char *key, const char *s)
{
    add(j, key, s ? json_string(s) : json_null(), "string is not UTF-8");
}

void
axle_json_bool(axle_json *j, const char *key, bool v)
{
    add(j, key, json_boolean(v), "out of memory");
}

void
axle_json_null(axle_json *j, const char *key)
{
    add(j, key, json_null(), "out of memory");
}

static void
begin(axle_json *j, const char *key, json_t *v)
{
    if (j && !j->error[0] && j->depth == MAX_DEPTH) {
        mistake(j, "%s: lists and objects nested over %d deep",
                key ? key : "(no key)", MAX_DEPTH);
        json_decref(v);
        return;
    }
    json_incref(v); /* add() drops one reference, the stack keeps one */
    if (add(j, key, v, "out of memory"))
        j->stack[j->depth++] = v;
    else
        json_decref(v);
}

void
axle_json_begin_list(axle_json *j, const char *key)
{
    begin(j, key, json_array());
}

void
axle_json_begin_object(axle_json *j, const char *key)
{
    begin(j, key, json_object());
}

void
axle_json_end(axle_json *j)
{
    if (!j || j->error[0])
        return;
    if (j->depth == 1) {
        mistake(j, "axle_json_end without an open list or object");
        return;
    }
    json_decref(j->stack[--j->depth]);
}

const char *
axle_json_text(axle_json *j)
{
    if (!j)
        return NULL;
    if (!j->error[0] && j->depth > 1)
        mistake(j, "%d list%s or object%s still open: close with axle_json_end",
                j->depth - 1, j->depth > 2 ? "s" : "", j->depth > 2 ? "s" : "");
    if (j->error[0])
        return NULL;
    free(j->text);
    j->text = axle_internal_json_dumps(j->stack[0], 0);
    if (!j->text)
        mistake(j, "out of memory");
    return j->text;
}

const char *
axle_json_error(const axle_json *j)
{
    return j ? j->error : "out of memory";
}

int
axle_json_set_result(axle_job *job, axle_json *j)
{
    const char *text = axle_json_text(j);
    int rc = text ? axle_set_result_json(job, text)
                  : axle_error(job, j ? AXLE_EINVAL : AXLE_ENOMEM,
                               "job result: %s", axle_json_error(j));
    axle_json_free(j);
    return rc;
}
