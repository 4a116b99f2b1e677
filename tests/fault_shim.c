/* fault_shim.c - an LD_PRELOAD library that makes chosen files and folders
 * fail as a sick disk or a locked folder would, even for root (the tests
 * run as root, for whom chmod 000 stops nothing).
 *
 *     AXLE_FAULTS="open:b.jpg:EIO opendir:locked:EACCES" LD_PRELOAD=... axle run ...
 *
 * Each rule is CALL:BASENAME:ERRNO: an open of a file whose last path
 * component is BASENAME (open, open64, openat, fopen), or an opendir or
 * scandir of such a folder, fails with that errno.  Everything else passes
 * through to the C library. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int value;
} errnos[] = {{"EIO", EIO}, {"EACCES", EACCES}, {"EPERM", EPERM}, {"EMFILE", EMFILE},
              {"ENFILE", ENFILE}, {"ENOMEM", ENOMEM}, {"EAGAIN", EAGAIN}};

/* The errno a rule sets for `call` on `path`, or 0. */
static int
fault_for(const char *call, const char *path)
{
    const char *rules = getenv("AXLE_FAULTS");
    if (!rules || !path)
        return 0;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char rule[512];
    for (const char *p = rules; *p;) {
        size_t n = strcspn(p, " ");
        if (n < sizeof rule) {
            memcpy(rule, p, n);
            rule[n] = '\0';
            char *c1 = strchr(rule, ':'), *c2 = c1 ? strrchr(rule, ':') : NULL;
            if (c1 && c2 > c1) {
                *c1 = *c2 = '\0';
                if (strcmp(rule, call) == 0 && strcmp(c1 + 1, base) == 0)
                    for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
                        if (strcmp(c2 + 1, errnos[i].name) == 0)
                            return errnos[i].value;
            }
        }
        p += n;
        p += *p == ' ';
    }
    return 0;
}

static void *
next(const char *sym)
{
    return dlsym(RTLD_NEXT, sym);
}

#define FAIL_IF(call, path, ret)                                                   \
    do {                                                                           \
        int e_ = fault_for(call, path);                                            \
        if (e_) {                                                                  \
            errno = e_;                                                            \
            return ret;                                                            \
        }                                                                          \
    } while (0)

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

static mode_t
mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

int
open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    FAIL_IF("open", path, -1);
    int (*real)(const char *, int, ...) = next("open");
    return real(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    FAIL_IF("open", path, -1);
    int (*real)(const char *, int, ...) = next("open64");
    return real(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    FAIL_IF("open", path, -1);
    int (*real)(int, const char *, int, ...) = next("openat");
    return real(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    FAIL_IF("open", path, -1);
    int (*real)(int, const char *, int, ...) = next("openat64");
    return real(dirfd, path, flags, mode);
}

FILE *
fopen(const char *path, const char *how)
{
    FAIL_IF("open", path, NULL);
    FILE *(*real)(const char *, const char *) = next("fopen");
    return real(path, how);
}

DIR *
opendir(const char *path)
{
    FAIL_IF("opendir", path, NULL);
    DIR *(*real)(const char *) = next("opendir");
    return real(path);
}

typedef int (*filter_fn)(const struct dirent *);
typedef int (*compar_fn)(const struct dirent **, const struct dirent **);

int
scandir(const char *path, struct dirent ***list, filter_fn filter, compar_fn compar)
{
    FAIL_IF("opendir", path, -1);
    int (*real)(const char *, struct dirent ***, filter_fn, compar_fn) = next("scandir");
    return real(path, list, filter, compar);
}
