/* datadir.c - the installed data folder, or the source tree for an axle
 * that runs from its build tree.
 *
 * "From its build tree" means the executable (libtool's, behind the
 * wrapper script) is core/axle or core/.libs/ of the tree it was built
 * in: an installed axle, even one built from that tree, is elsewhere. */
#include "datadir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

static bool
same_folder(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

static bool
run_from_build_tree(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return same_folder(exe, AXLE_BUILD_TREE "/core") ||
           same_folder(exe, AXLE_BUILD_TREE "/core/.libs");
}

static char *
shipped(const char *installed, const char *in_source)
{
    char *path;
    if (run_from_build_tree()) {
        if (asprintf(&path, "%s/%s", AXLE_SOURCE_TREE, in_source) < 0)
            return NULL;
    } else if (asprintf(&path, "%s/%s", AXLE_PKGDATADIR, installed) < 0) {
        return NULL;
    }
    char *tidy = fs_absolute(path, "/"); /* build/../sdk: said as sdk */
    free(path);
    return tidy;
}

char *
datadir_template(void)
{
    return shipped("template", "sdk/template");
}

char *
datadir_pipelines(void)
{
    return shipped("pipelines", "pipelines");
}
