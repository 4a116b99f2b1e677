/* dest_manifest.c - an export's dest manifest (dest_manifest.h). */
#include "dest_manifest.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "workdir.h"

/* Manifests list one entry per exported file: 100,000 photos are about
 * 20 MB; anything far larger is not one axle wrote. */
#define MANIFEST_MAX_BYTES ((off_t)1 << 30)

json_t *
dest_manifest_read_at(int dirfd)
{
    int fd = openat(dirfd, DEST_MANIFEST_NAME,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MANIFEST_MAX_BYTES) {
        close(fd);
        return NULL;
    }
    json_t *m = axle_internal_json_loadfd(fd, 0, NULL);
    close(fd);
    if (!json_is_object(json_object_get(m, "files"))) {
        json_decref(m);
        return NULL;
    }
    return m;
}

static bool
is_workdir(const char *path)
{
    char marker[PATH_MAX + 64];
    snprintf(marker, sizeof marker, "%s/%s", path, WORKDIR_MARKER);
    return fs_exists(marker);
}

/* The workdir a manifest in folder `dir` names, or NULL. */
static char *
named_workdir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    json_t *m = fd >= 0 ? dest_manifest_read_at(fd) : NULL;
    if (fd >= 0)
        close(fd);
    const char *wd = json_string_value(json_object_get(m, "workdir"));
    char *out = wd && wd[0] == '/' && is_workdir(wd) ? strdup(wd) : NULL;
    json_decref(m);
    return out;
}

char *
dest_manifest_workdir_of(const char *file, char **dest)
{
    char *dir = realpath(file, NULL);
    char *wd = NULL;
    while (dir && !wd) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            break;
        slash[slash == dir] = '\0'; /* "/a" goes to "/" */
        wd = named_workdir(dir);
        if (slash == dir)
            break;
    }
    if (wd && dest)
        *dest = dir;
    else
        free(dir);
    return wd;
}
