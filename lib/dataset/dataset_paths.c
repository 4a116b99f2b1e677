/* dataset_paths.c - resolving dataset paths, remembering what was found.
 *
 * Every job of a chain opens each link of it (meta.json's `previous`,
 * `parent`, each column's `location`, the removed keys), and each is made
 * canonical so that links can be compared.  glibc's realpath(3) reads
 * every component of every path again (a readlink each): at 16 links,
 * 5,000-7,000 calls a run.  Here a process remembers the folders it found
 * to be real (no symbolic link on the way), so a path costs an lstat of
 * each component it has not met before.  A path through a symbolic link
 * is left to realpath(3).  What is remembered could only go stale if a
 * folder of a workdir were replaced by a symbolic link while a process
 * runs; the path then still names the same files. */
#include "axle_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REAL_DIRS_MAX 4096 /* then forgotten and learnt again */

static struct {
    char **slot; /* open addressing; cap a power of two */
    size_t cap, n;
} real_dirs;

static uint64_t
hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static char **
slot_of(const char *path, size_t len)
{
    size_t i = hash(path, len) & (real_dirs.cap - 1);
    while (real_dirs.slot[i] &&
           !(strncmp(real_dirs.slot[i], path, len) == 0 && real_dirs.slot[i][len] == '\0'))
        i = (i + 1) & (real_dirs.cap - 1);
    return &real_dirs.slot[i];
}

static bool
known(const char *path, size_t len)
{
    return real_dirs.cap && *slot_of(path, len) != NULL;
}

static void
forget_all(void)
{
    for (size_t i = 0; i < real_dirs.cap; i++)
        free(real_dirs.slot[i]);
    free(real_dirs.slot);
    real_dirs.slot = NULL;
    real_dirs.cap = real_dirs.n = 0;
}

static void
remember(const char *path, size_t len)
{
    if (real_dirs.n >= REAL_DIRS_MAX)
        forget_all();
    if (!real_dirs.cap) {
        real_dirs.slot = calloc(2 * REAL_DIRS_MAX, sizeof *real_dirs.slot);
        if (!real_dirs.slot)
            return; /* nothing remembered: slower, not wrong */
        real_dirs.cap = 2 * REAL_DIRS_MAX;
    }
    char **s = slot_of(path, len);
    if (!*s && (*s = strndup(path, len)) != NULL)
        real_dirs.n++;
}

char *
axle_internal_realpath(const char *path)
{
    if (!path || path[0] != '/')
        return realpath(path, NULL);
    char out[PATH_MAX];
    size_t len = 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        size_t cl = strcspn(p, "/");
        if (cl == 0 || (cl == 1 && p[0] == '.')) {
            p += cl;
            continue;
        }
        if (cl == 2 && p[0] == '.' && p[1] == '.') {
            /* what came before is real, so its parent is lexical */
            while (len > 0 && out[--len] != '/')
                ;
            p += cl;
            continue;
        }
        if (len + 1 + cl >= sizeof out) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        out[len] = '/';
        memcpy(out + len + 1, p, cl);
        size_t next = len + 1 + cl;
        out[next] = '\0';
        if (!known(out, next)) {
            struct stat st;
            if (lstat(out, &st) < 0)
                return NULL; /* errno as realpath's */
            if (S_ISLNK(st.st_mode))
                return realpath(path, NULL);
            if (S_ISDIR(st.st_mode))
                remember(out, next);
            else if (p[cl] != '\0') {
                errno = ENOTDIR;
                return NULL;
            }
        }
        len = next;
        p += cl;
    }
    if (len == 0)
        return strdup("/");
    out[len] = '\0';
    return strdup(out);
}
