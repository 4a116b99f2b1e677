/* template_check.c - the syntax of a template option (AXLE_OPT_TEMPLATE):
 * text with placeholders in braces, each among the option's fields.
 *
 * One check for the core, which refuses a bad template at load time with
 * FILE:LINE:COL, and for the method that fills the template in, so the
 * two never disagree on what a template is.  Braces have no other use
 * (there is no escape): a stray brace is far more likely a typo than
 * text, so it is refused rather than written into a file name. */
#include "axle_internal.h"

#include <stdio.h>
#include <string.h>

/* Whether `name` (len bytes) is one of `fields` ("a|b|c"). */
static bool
among(const char *fields, const char *name, size_t len)
{
    for (const char *p = fields; *p;) {
        size_t n = strcspn(p, "|");
        if (n == len && memcmp(p, name, len) == 0)
            return true;
        p += n + (p[n] == '|');
    }
    return false;
}

/* The fields as placeholders, for messages: "{stem}, {ext}". */
static const char *
placeholders(const char *fields, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *p = fields; *p && o < size;) {
        size_t n = strcspn(p, "|");
        int w = snprintf(buf + o, size - o, "%s{%.*s}", o ? ", " : "", (int)n, p);
        if (w < 0)
            break;
        o += (size_t)w;
        p += n + (p[n] == '|');
    }
    return buf;
}

int
axle_template_check(const char *tmpl, const char *fields, char *err, size_t errlen)
{
    char list[256];
    if (!fields)
        fields = "";
    for (const char *p = tmpl ? tmpl : ""; *p; p++) {
        if (*p == '}') {
            snprintf(err, errlen, "'}' at character %zu has no '{' before it (braces only "
                     "surround placeholders: %s)", (size_t)(p - tmpl) + 1,
                     placeholders(fields, list, sizeof list));
            return -1;
        }
        if (*p != '{')
            continue;
        size_t n = strcspn(p + 1, "{}");
        if (p[1 + n] != '}') {
            snprintf(err, errlen, "'{' at character %zu is not closed", (size_t)(p - tmpl) + 1);
            return -1;
        }
        if (!among(fields, p + 1, n)) {
            snprintf(err, errlen, "unknown placeholder '{%.*s}' (known: %s)", (int)n, p + 1,
                     placeholders(fields, list, sizeof list));
            return -1;
        }
        p += n + 1;
    }
    return 0;
}
