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

fs_stream *
fs_stream_begin(const char *path)
{
    fs_stream *s = calloc(1, sizeof *s);
    char tmp[PATH_MAX];
    int fd = s ? axle_internal_atomic_temporary(AT_FDCWD, path, tmp, sizeof tmp) : -1;
    if (fd >= 0) {
        s->path = strdup(path);
        s->tmp = strdup(tmp);
        s->f = fdopen(fd, "w");
    }
    if (s && s->f && s->path && s->tmp)
        return s;
    int e = s ? errno : ENOMEM;
    if (fd >= 0)
        unlink(tmp);
    if (s && s->f)
        fclose(s->f);
    else if (fd >= 0)
        close(fd);
    if (s) {
        free(s->path);
        free(s->tmp);
        free(s);
    }
    errno = e;
    return NULL;
}

static void
stream_free(fs_stream *s)
{
    free(s->path);
    free(s->tmp);
    free(s);
}

int
fs_stream_commit(fs_stream *s)
{
    bool bad = ferror(s->f);
    int e = bad ? EIO : 0;
    if (fclose(s->f) != 0 && !e)
        e = errno;
    if (!e && rename(s->tmp, s->path) < 0)
        e = errno;
    if (e)
        unlink(s->tmp);
    stream_free(s);
    errno = e;
    return e ? -1 : 0;
}

void
fs_stream_abort(fs_stream *s)
{
    if (!s)
        return;
    fclose(s->f);
    unlink(s->tmp);
    stream_free(s);
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

static const char *
kind_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a plain file";
}

int
fs_open_file(const char *path, bool pipe_ok, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !(pipe_ok && S_ISFIFO(st.st_mode))) {
        snprintf(why, whylen, "%s, not a regular file%s", kind_name(st.st_mode),
                 pipe_ok ? " or a pipe" : "");
        close(fd);
        errno = EINVAL;
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

json_t *
fs_read_json(const char *path)
{
    char why[128];
    int fd = fs_open_file(path, false, why, sizeof why);
    if (fd < 0)
        return NULL;
    /* Read whole, then parsed: jansson's json_loadfd reads a byte per
     * system call (24 million calls for two job.json of 12 MB). */
    json_error_t jerr;
    json_t *j = axle_internal_json_loadfd(fd, JSON_DECODE_ANY, &jerr);
    close(fd);
    return j;
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
    char why[128];
    int fd = fs_open_file(path, false, why, sizeof why);
    if (fd < 0)
        return false;
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(fd);
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

int
fs_stat_in_folder(fs_folder_cursor *c, const char *path, struct stat *st)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return stat(path, st);
    size_t len = (size_t)(slash - path);
    if (!c->folder || strlen(c->folder) != len || memcmp(c->folder, path, len) != 0) {
        if (c->fd >= 0)
            close(c->fd);
        free(c->folder);
        c->folder = strndup(path, len);
        c->fd = c->folder ? open(c->folder, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    }
    if (c->fd < 0) /* whatever error the whole path gives */
        return stat(path, st);
    return fstatat(c->fd, slash + 1, st, 0);
}

void
fs_folder_cursor_close(fs_folder_cursor *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->folder);
    c->folder = NULL;
    c->fd = -1;
}
