/* board_path.c - the board reads inside the workdir and nowhere else.
 *
 * A path from a URL is never handed to open() as it is: it is split into
 * components, each must be a plain name (no "..", no hidden files), and
 * each is opened relative to the folder before it with O_NOFOLLOW, so
 * neither "../" (however it was encoded: the server decodes %2e%2e before
 * we see it) nor a symbolic link pointing out can lead elsewhere. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board.h"
#include "axle_internal.h"

bool
board_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 255 || name[0] == '.')
        return false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p == '/' || *p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* Opens one component under dirfd: a folder to go on from, or the
 * final regular file. */
static int
open_component(int dirfd, const char *name, bool want_dir)
{
    if (!board_name_ok(name)) {
        errno = EACCES;
        return -1;
    }
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    if (want_dir)
        flags |= O_DIRECTORY;
    int fd = openat(dirfd, name, flags);
    if (fd < 0) {
        if (errno == ELOOP || errno == ENOTDIR)
            errno = want_dir ? ENOTDIR : EACCES;
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || (!want_dir && !S_ISREG(st.st_mode))) {
        close(fd);
        errno = EACCES;
        return -1;
    }
    if (!want_dir) /* reads of a regular file block as usual */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

int
board_open(const board *b, const char *rel, bool dir)
{
    return board_open_at(b->wd_fd, rel, dir);
}

int
board_open_at(int base_fd, const char *rel, bool dir)
{
    char *copy = strdup(rel);
    if (!copy)
        return -1;
    /* A new descriptor, not dup(): a dup shares the folder's read
     * position, and a second listing would find nothing. */
    int fd = openat(base_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char *save = NULL;
    char *part = strtok_r(copy, "/", &save);
    if (!part) { /* the workdir itself */
        free(copy);
        if (!dir && fd >= 0) {
            close(fd);
            errno = EACCES;
            return -1;
        }
        return fd;
    }
    while (part && fd >= 0) {
        char *next = strtok_r(NULL, "/", &save);
        int sub = open_component(fd, part, next != NULL || dir);
        int e = errno;
        close(fd);
        errno = e;
        fd = sub;
        part = next;
    }
    free(copy);
    return fd;
}

/* Job ids are the workdir's folder name, '-' and a number. */
static bool
looks_like_job_id(const board *b, const char *id)
{
    const char *base = strrchr(b->workdir, '/');
    base = base ? base + 1 : b->workdir;
    size_t n = strlen(base);
    return strncmp(id, base, n) == 0 && id[n] == '-' && id[n + 1] &&
           strspn(id + n + 1, "0123456789") == strlen(id + n + 1);
}

bool
board_job_exists(const board *b, const char *id, bool running_ok)
{
    if (!board_name_ok(id) || !looks_like_job_id(b, id))
        return false;
    int fd = board_open(b, id, true);
    if (fd < 0)
        return false;
    struct stat st;
    bool found = fstatat(fd, "job.json", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                 S_ISREG(st.st_mode);
    close(fd);
    return found || running_ok;
}

json_t *
board_read_json(const board *b, const char *rel)
{
    int fd = board_open(b, rel, false);
    if (fd < 0)
        return NULL;
    json_t *j = axle_internal_json_loadfd(fd, JSON_DECODE_ANY, NULL);
    close(fd);
    return j;
}

bool
board_inside(const board *b, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return false;
    size_t n = strlen(b->workdir);
    bool in = strncmp(real, b->workdir, n) == 0 && (real[n] == '/' || real[n] == '\0');
    free(real);
    return in;
}
