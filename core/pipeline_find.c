/* pipeline_find.c - a bare pipeline name, looked up among the folders of
 * AXLE_PIPELINE_PATH and the installed pipelines.  A file of that name in
 * the current folder always wins, so nothing that ran before changes. */
#include "pipeline_find.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datadir.h"
#include "diag.h"

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static bool
is_bare_name(const char *file)
{
    struct stat st;
    if (!*file || strchr(file, '/') || ends_with(file, ".yaml") || ends_with(file, ".yml"))
        return false;
    return stat(file, &st) < 0 || S_ISDIR(st.st_mode);
}

/* FOLDER/NAME.yaml when it is a file, malloc'd; else NULL. */
static char *
in_folder(const char *folder, const char *name)
{
    struct stat st;
    char *path;
    if (!*folder || asprintf(&path, "%s/%s.yaml", folder, name) < 0)
        return NULL;
    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
        return path;
    free(path);
    return NULL;
}

/* NAME.yaml in the folders of a colon-separated list, the first found. */
static char *
in_path_list(const char *list, const char *name)
{
    char *copy = strdup(list ? list : ""), *found = NULL;
    if (!copy)
        return NULL;
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save))
        found = in_folder(d, name);
    free(copy);
    return found;
}

char *
pipeline_find(const char *file)
{
    if (!is_bare_name(file))
        return strdup(file);
    const char *env = getenv("AXLE_PIPELINE_PATH");
    char *shipped = datadir_pipelines();
    char *found = in_path_list(env, file);
    if (!found && shipped)
        found = in_folder(shipped, file);
    if (!found && env && *env)
        diag_error(NULL, 0, 0, "no pipeline '%s': no such file here, nor %s.yaml in "
                   "AXLE_PIPELINE_PATH (%s) or %s", file, file, env,
                   shipped ? shipped : "the installed pipelines");
    else if (!found)
        diag_error(NULL, 0, 0, "no pipeline '%s': no such file here, nor %s.yaml in %s",
                   file, file, shipped ? shipped : "the installed pipelines");
    free(shipped);
    return found;
}
