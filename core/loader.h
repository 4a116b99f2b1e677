/* loader.h - finding, checking and loading method shared objects.
 *
 * A method is named by path (contains '/' or ends in ".so": resolved
 * against a base folder) or by name, searched in AXLE_METHOD_PATH's
 * folders and then the installed method folder; the first found wins.
 * Only loader.c includes <dlfcn.h>.  Loaded methods are never unloaded. */
#ifndef AXLE_LOADER_H
#define AXLE_LOADER_H

#include "axle/axle.h"
#include "digest.h"

typedef int (*method_prepare_fn)(axle_job *);
typedef int (*method_analysis_fn)(axle_job *, int);
typedef int (*method_synthesis_fn)(axle_job *);

typedef struct method {
    char *path;                   /* absolute path of the .so */
    char sha256[DIGEST_HEX_LEN];  /* digest of the bytes that were loaded */
    const axle_method_desc *desc;
    method_prepare_fn prepare;
    method_analysis_fn analysis;
    method_synthesis_fn synthesis;
    bool row_wise;                /* AXLE_ROW_WISE: may build on its last job */
} method;

/* Resolves and loads `ref`.  On failure writes the reason (naming the
 * file, or listing where it looked) into err and returns NULL. */
const method *loader_load(const char *ref, const char *base_dir, char *err,
                          size_t errlen);

/* Loads the .so at `path` (no search).  NULL with reason on failure. */
const method *loader_load_path(const char *path, char *err, size_t errlen);

/* A path (contains '/' or ends in ".so") rather than a name. */
bool loader_is_path_ref(const char *ref);

/* The folders searched for names, in order (NULL-terminated, static). */
const char *const *loader_search_dirs(void);

/* Where a name would be found: a malloc'd array of candidate paths, in
 * search order (the first wins), NULL-terminated. */
char **loader_find_all(const char *name);

#endif
