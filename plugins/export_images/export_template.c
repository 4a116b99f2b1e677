/* export_template.c - export_images' `name` template.
 *
 * A template is text with placeholders in braces: "{dir}/{stem}-{column}.{ext}"
 * (its syntax is the SDK's, axle_template_check, which the core has
 * applied at load time already).  The template is
 * relative to the export's folder: a leading "/" or a ".." component
 * written in it is refused, since it would leave the folder by design;
 * what the placeholders bring in is made safe later, with the rest of
 * the name (export_names.c). */
#include "export_template.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle/axle.h"

/* Relative, staying below the export's folder, naming a file. */
static int
check_path(const char *tmpl, char *err, size_t errlen)
{
    if (tmpl[0] == '/') {
        snprintf(err, errlen, "it starts with '/': names are relative to the export's folder");
        return -1;
    }
    if (tmpl[strlen(tmpl) - 1] == '/') {
        snprintf(err, errlen, "it ends with '/': it must name a file");
        return -1;
    }
    for (const char *p = tmpl; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            snprintf(err, errlen, "it has a '..' component: names stay inside the export's "
                     "folder");
            return -1;
        }
        p += n + (p[n] == '/');
    }
    return 0;
}

int
export_template_check(const char *tmpl, char *err, size_t errlen)
{
    if (!tmpl || !*tmpl) {
        snprintf(err, errlen, "it is empty");
        return -1;
    }
    if (axle_template_check(tmpl, EXPORT_TEMPLATE_FIELDS, err, errlen) < 0)
        return -1;
    return check_path(tmpl, err, errlen);
}

bool
export_template_uses(const char *tmpl, const char *field)
{
    size_t len = strlen(field);
    for (const char *p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{'))
        if (strncmp(p + 1, field, len) == 0 && p[1 + len] == '}')
            return true;
    return false;
}

/* The value of placeholder `name` (len bytes); numbers go into num. */
static const char *
field_value(const struct export_fields *f, const char *name, size_t len, char *num,
            size_t numlen)
{
    if (len == 1 && (name[0] == 'w' || name[0] == 'h')) {
        snprintf(num, numlen, "%" PRIu32, name[0] == 'w' ? f->w : f->h);
        return num;
    }
    const struct {
        const char *name, *value;
    } text[] = {{"dir", f->dir}, {"stem", f->stem}, {"ext", f->ext}, {"column", f->column}};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (strlen(text[i].name) == len && memcmp(text[i].name, name, len) == 0)
            return text[i].value ? text[i].value : "";
    return "";
}

char *
export_template_render(const char *tmpl, const struct export_fields *f)
{
    char num[16];
    size_t cap = strlen(tmpl) + 1, len = 0;
    for (const char *p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        cap += strlen(field_value(f, p + 1, n, num, sizeof num));
    }
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tmpl; *p;) {
        if (*p != '{') {
            out[len++] = *p++;
            continue;
        }
        size_t n = strcspn(p + 1, "}");
        const char *v = field_value(f, p + 1, n, num, sizeof num);
        memcpy(out + len, v, strlen(v));
        len += strlen(v);
        p += n + 2;
    }
    out[len] = '\0';
    return out;
}
