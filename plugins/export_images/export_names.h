/* export_names.h - output file names for export_images. */
#ifndef EXPORT_NAMES_H
#define EXPORT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Names for n source file names, in order, with extension `ext` (".jpg"):
 * "2023/a.webp" -> "2023/a.jpg"; when that is taken by an earlier row the
 * old extension is kept too ("2023/a.webp.jpg"), then a counter
 * ("2023/a.webp-2.jpg").  Unsafe parts (components "..", a leading "/")
 * become "_".  A name that is a folder other names need, has a component
 * over NAME_MAX bytes or is longer than max_len gives no file: its entry
 * says why.  Returns one malloc'd block of n entries, or NULL; read it
 * with export_names_next. */
char *export_names(const char *const *sources, size_t n, const char *ext, size_t max_len,
                   size_t *blob_len);

/* One row for a name template. */
struct export_row {
    const char *source; /* the source's file name */
    uint32_t w, h;      /* the exported image's size, when the template needs it */
    bool no_image;      /* a null cell (known only when the sizes were read): no
                           file, so no name */
};

/* Names for n rows from the `name` template `tmpl` (checked with
 * export_template_check), exporting `column` with extension `ext`
 * (".jpg"): the template filled in, made safe as above; when an earlier
 * row has taken that name, "-2", "-3", ... goes before the extension.
 * Names that cannot be written are skipped as above.  Same blob. */
char *export_names_template(const char *tmpl, const struct export_row *rows, size_t n,
                            const char *column, const char *ext, size_t max_len,
                            size_t *blob_len);

/* True when export_names would give every source the name it gets alone
 * (no two compete for a name, none is a folder of another or too long),
 * found without making the names: an export built on its base checks
 * this over every live item (export_chain.c). */
bool export_names_plain(const char *const *sources, size_t n, const char *ext,
                        size_t max_len);

/* One entry: the output name, or (name NULL) the source and the reason it
 * is skipped. */
struct export_name {
    const char *name;
    const char *skip_item, *skip_reason;
};

/* Reads the entry at *p into e and moves *p past it; false at `end` or on
 * a cut blob. */
bool export_names_next(const char **p, const char *end, struct export_name *e);

#endif
