/* export_template.h - export_images' `name` template: "{dir}/{stem}-{column}.{ext}". */
#ifndef EXPORT_TEMPLATE_H
#define EXPORT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The placeholders a template may use, as "a|b|c". */
#define EXPORT_TEMPLATE_FIELDS "stem|ext|column|w|h|dir"

/* What one row's name is made of. */
struct export_fields {
    const char *dir;    /* the source's folder, "" at the top */
    const char *stem;   /* the source's file name without its extension */
    const char *ext;    /* the output format's extension, "jpg" */
    const char *column; /* the exported column */
    uint32_t w, h;      /* the exported image's size */
};

/* 0 when `tmpl` is a usable template; else -1 and `err` says what is
 * wrong: an unknown placeholder, a brace without its pair, an absolute
 * name, a ".." component, a name ending in "/", no placeholder or text. */
int export_template_check(const char *tmpl, char *err, size_t errlen);

/* Whether `tmpl` (checked) uses placeholder `field` ("w"). */
bool export_template_uses(const char *tmpl, const char *field);

/* `tmpl` (checked) with its placeholders filled in; malloc'd, or NULL out
 * of memory. */
char *export_template_render(const char *tmpl, const struct export_fields *f);

#endif
