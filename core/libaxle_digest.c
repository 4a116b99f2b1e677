/* libaxle_digest.c - finding the loaded libaxle and digesting its bytes. */
#include "libaxle_digest.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle/axle.h"
#include "digest.h"

static char lib_path[PATH_MAX];
static char lib_sha[DIGEST_HEX_LEN];
static char lib_err[PATH_MAX + 256];

/* True when the file open as `st` is the one mapped into this process
 * under `path`: a libaxle replaced after it was loaded (an install during
 * the run's start) must not lend its digest to the old code. */
static bool
is_mapped(const char *path, const struct stat *st)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return true; /* no procfs: nothing to compare against */
    char line[PATH_MAX + 256];
    bool found = false;
    size_t plen = strlen(path);
    while (!found && fgets(line, sizeof line, maps)) {
        unsigned long long inode = 0;
        int pathpos = 0;
        if (sscanf(line, "%*s %*s %*s %*s %llu %n", &inode, &pathpos) < 1 || !pathpos)
            continue;
        const char *name = line + pathpos;
        found = strncmp(name, path, plen) == 0 && name[plen] == '\n' &&
                inode == (unsigned long long)st->st_ino;
    }
    fclose(maps);
    return found;
}

static int
digest_loaded(char *err, size_t errlen)
{
    Dl_info info;
    if (!dladdr((void *)axle_version, &info) || !info.dli_fname ||
        !realpath(info.dli_fname, lib_path)) {
        snprintf(err, errlen, "cannot find the file libaxle was loaded from");
        return -1;
    }
    int fd = open(lib_path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || digest_fd(fd, lib_sha) < 0) {
        snprintf(err, errlen, "libaxle %s: %s", lib_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    if (!is_mapped(lib_path, &st)) {
        snprintf(err, errlen, "libaxle %s was replaced after axle started; "
                 "run again", lib_path);
        return -1;
    }
    return 0;
}

const char *
libaxle_sha256(const char **path, char *err, size_t errlen)
{
    static int state; /* 0 not tried, 1 done, -1 failed */
    if (state == 0)
        state = digest_loaded(lib_err, sizeof lib_err) == 0 ? 1 : -1;
    if (state < 0) {
        snprintf(err, errlen, "%s", lib_err);
        return NULL;
    }
    if (path)
        *path = lib_path;
    return lib_sha;
}
