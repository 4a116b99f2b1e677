/* params.h - a pipeline's params: defaults declared under `params:`,
 * NAME=VALUE overrides from the command line, and ${NAME} substitution;
 * plus the two folders the command line knows (current and home). */
#ifndef AXLE_PARAMS_H
#define AXLE_PARAMS_H

#include <stddef.h>

#include "yaml_doc.h"

typedef struct param {
    char *name;
    ynode *value;   /* owned; nodes from the command line have from_cli */
} param;

typedef struct params {
    param *v;
    size_t n;
} params;

/* Reads the `params:` mapping (NULL or null: none).  A `$$` in a default
 * is a `$`; a `${NAME}` there is an error (params do not nest).  0 or -1
 * after printing diagnostics. */
int params_declare(params *ps, const ynode *map);
/* Applies "NAME=VALUE" strings; the last of several for one NAME wins.
 * 0 or -1 after printing diagnostics (no file place: they come from the
 * command line). */
int params_override(params *ps, int n, char **args);
/* Substitutes ${NAME} and $$ in *slot and everything under it (values, not
 * keys); *slot may be replaced.  Reports every problem; 0 or -1. */
int params_substitute(const params *ps, ynode **slot);
void params_free(params *ps);

/* "input, size" or "none" into buf, for messages. */
const char *params_names(const params *ps, char *buf, size_t size);

/* The current folder as the user sees it ($PWD when it is this folder,
 * so symlinked paths stay as typed), malloc'd; NULL on failure. */
char *params_cwd(void);
/* "~" or "~/..." with the home folder put in (malloc'd); NULL when `s`
 * does not start so (or no home folder is known). */
char *params_expand_home(const char *s);

#endif
