/* fsutil.c - directory creation, atomic writes, JSON files, paths. */
#include "fsutil.h"

#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
fs_mkdirs(const char *path, int mode)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

int
fs_write_atomic(const char *path, const char *text, size_t len)
{
    return axle_internal_write_atomic(path, text, len);
}

int
fs_write_json(const char *path, json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    size_t len = strlen(text);
    text[len] = '\n'; /* json_dumps leaves room: we replace the NUL */
    int rc = fs_write_atomic(path, text, len + 1);
    free(text);
    return rc;
}

json_t *
fs_read_json(const char *path)
{
    json_error_t jerr;
    return json_load_file(path, JSON_DECODE_ANY, &jerr);
}

/* Removes "." and ".." segments and doubled slashes. */
static void
normalise(char *path)
{
    char *out = path, *in = path;
    while (*in) {
        if (in[0] == '/' && (in[1] == '/' || in[1] == '\0') && out > path) {
            in++;
            continue;
        }
        if (in[0] == '/' && in[1] == '.' && (in[2] == '/' || in[2] == '\0')) {
            in += 2;
            continue;
        }
        if (in[0] == '/' && in[1] == '.' && in[2] == '.' &&
            (in[3] == '/' || in[3] == '\0')) {
            in += 3;
            while (out > path && *--out != '/')
                ;
            continue;
        }
        *out++ = *in++;
    }
    if (out == path)
        *out++ = '/';
    *out = '\0';
}

char *
fs_absolute(const char *path, const char *base)
{
    char *abs = NULL;
    char cwd[PATH_MAX];
    if (path[0] == '/') {
        abs = strdup(path);
    } else {
        if (!base)
            base = getcwd(cwd, sizeof cwd) ? cwd : ".";
        if (asprintf(&abs, "%s/%s", base, path) < 0)
            abs = NULL;
    }
    if (abs)
        normalise(abs);
    return abs;
}

bool
fs_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

bool
fs_read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return true;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

int
fs_remove_tree(const char *path)
{
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}
