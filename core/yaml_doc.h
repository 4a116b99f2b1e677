/* yaml_doc.h - a YAML file as a tree of nodes that remember their place.
 *
 * Only yaml_doc.c includes <yaml.h>.  Loading rejects what libyaml lets
 * through: duplicate keys, alias bombs, absurd nesting. */
#ifndef AXLE_YAML_DOC_H
#define AXLE_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ynode_kind { YNODE_SCALAR = 1, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode {
    ynode_kind kind;
    int line, col;        /* 1-based place in `file` */
    const char *file;     /* file name for messages (interned: lives as long
                           * as the process, so clones may outlive their doc) */
    char *scalar;         /* YNODE_SCALAR text */
    bool plain;           /* scalar was unquoted (typed by YAML 1.2 core schema) */
    bool from_cli;        /* value came from a NAME=VALUE on the command line */
    int text_col;         /* scalar: column of its text's first character when
                           * the text sits on one line exactly as written (no
                           * escapes, no folding), else 0; for places inside it */
    struct ynode **keys;  /* YNODE_MAP: keys[i] (scalars) */
    struct ynode **items; /* YNODE_SEQ items, or YNODE_MAP values */
    size_t n;
} ynode;

/* Parses a whole file / a string.  On error prints FILE:LINE:COL: error:
 * and returns NULL.  `name` is what messages call the text. */
ynode *ydoc_load_file(const char *path);
ynode *ydoc_load_string(const char *text, const char *name);
void ynode_free(ynode *n);
ynode *ynode_clone(const ynode *n);

/* Map lookup by key; NULL when absent or n is not a map. */
ynode *ynode_get(const ynode *map, const char *key);

/* Typing of a plain scalar by the YAML 1.2 core schema. */
typedef enum yscalar_type {
    YS_STRING = 1, YS_NULL, YS_BOOL, YS_INT, YS_FLOAT
} yscalar_type;
yscalar_type yscalar_classify(const ynode *n);

/* ---- additions beyond the first draft ---- */

/* Limits against hostile input; each gives a clear error. */
#define YDOC_MAX_BYTES (4u << 20)  /* text size */
#define YDOC_MAX_DEPTH 64          /* nested lists and mappings */
#define YDOC_MAX_NODES 200000

/* Like ydoc_load_string but prints nothing: on error returns NULL, puts the
 * message in err and its 1-based place in *line, *col. */
ynode *ydoc_parse_string(const char *text, const char *name, char *err,
                         size_t errlen, int *line, int *col);

/* Values of a plain scalar of the matching yscalar_classify type; false
 * when it is not of that type, or (ints) out of the int64 range. */
bool yscalar_int(const ynode *n, int64_t *out);
bool yscalar_float(const ynode *n, double *out);
bool yscalar_bool(const ynode *n, bool *out);

/* A new scalar (text copied) placed where `place` is (may be NULL). */
ynode *ynode_new_scalar(const char *text, bool plain, const ynode *place);
/* Sets file, line, col and from_cli of n and everything under it. */
void ynode_set_place(ynode *n, const char *file, int line, int col,
                     bool from_cli);
/* Place of byte `offset` of a scalar's text: exact when text_col is known,
 * else the scalar's own place. */
void ynode_place_at(const ynode *n, size_t offset, int *line, int *col);
/* Name the node's kind takes in messages: "a list", "a mapping", ... */
const char *ynode_kind_name(const ynode *n);

/* `s` made safe to quote in a message: control characters escaped, cut
 * (on a character boundary, with "...") to fit `size`.  Returns buf. */
const char *ydoc_quote(const char *s, char *buf, size_t size);

#endif
