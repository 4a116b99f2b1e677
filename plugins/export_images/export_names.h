/* export_names.h - output file names for export_images. */
#ifndef EXPORT_NAMES_H
#define EXPORT_NAMES_H

#include <stddef.h>

/* Names for n source file names, in order, with extension `ext` (".jpg"):
 * "2023/a.webp" -> "2023/a.jpg"; when that is taken by an earlier row the
 * old extension is kept too ("2023/a.webp.jpg"), then a counter
 * ("2023/a.webp-2.jpg").  Unsafe parts ("..", leading "/") become "_".
 * Returns one malloc'd block of n NUL-terminated names, or NULL. */
char *export_names(const char *const *sources, size_t n, const char *ext,
                   size_t *blob_len);

#endif
