/* yaml_doc.h - a YAML file as a tree of nodes that remember their place.
 *
 * Only yaml_doc.c includes <yaml.h>.  Loading rejects what libyaml lets
 * through: duplicate keys, alias bombs, absurd nesting. */
#ifndef AXLE_YAML_DOC_H
#define AXLE_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ynode_kind { YNODE_SCALAR = 1, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode {
    ynode_kind kind;
    int line, col;        /* 1-based place in `file` */
    const char *file;     /* file name for messages (borrowed from the doc) */
    char *scalar;         /* YNODE_SCALAR text */
    bool plain;           /* scalar was unquoted (typed by YAML 1.2 core schema) */
    bool from_cli;        /* value came from a NAME=VALUE on the command line */
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

#endif
