/* atomic_file.c - writing a whole file so that readers see the old or the
 * new one, never half of one: write a temporary beside it, then rename.
 * Shared by the SDK (stage results, dataset metadata) and the core (job
 * records, the workdir's index).
 *
 * The temporary's name is unpredictable and it is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW: a name that someone guessed and planted (a
 * symbolic link to a file outside the workdir, say) is never opened, so
 * the write cannot land anywhere but in a new file of our own. */
#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* Tries before giving up on finding a free temporary name: with 64 random
 * bits a clash means someone is planting names faster than chance. */
#define TMP_TRIES 16
/* Bytes a temporary's name adds: ".tmp-" and 16 hex digits. */
#define TMP_SUFFIX 21

static uint64_t
random_bits(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        /* no entropy yet (early boot): still unpredictable enough to an
         * outsider, and O_EXCL keeps it safe whatever the name */
        static uint64_t counter;
        r = ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&r ^ ++counter;
    }
    return r;
}

/* Creates a new temporary file beside `path` (relative to `dirfd`); its
 * name goes to tmp. */
static int
create_temporary(int dirfd, const char *path, char *tmp, size_t tmplen)
{
    /* NAME.tmp-XXXX beside NAME, or .tmp-XXXX when NAME is so long that
     * the suffix would take it past NAME_MAX. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    int keep = strlen(path + dirlen) + TMP_SUFFIX > NAME_MAX ? (int)dirlen : INT_MAX;
    for (int i = 0; i < TMP_TRIES; i++) {
        if ((size_t)snprintf(tmp, tmplen, "%.*s.tmp-%016llx", keep, path,
                             (unsigned long long)random_bits()) >= tmplen) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0644);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1; /* errno is EEXIST */
}

int
axle_internal_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int
axle_internal_atomic_temporary(int dirfd, const char *path, char *tmp, size_t tmplen)
{
    return create_temporary(dirfd, path, tmp, tmplen);
}

int
axle_internal_write_atomic(const char *path, const void *data, size_t len)
{
    return axle_internal_write_atomic_at(AT_FDCWD, path, data, len);
}

int
axle_internal_write_atomic_at(int dirfd, const char *path, const void *data,
                              size_t len)
{
    char tmp[PATH_MAX];
    int fd = create_temporary(dirfd, path, tmp, sizeof tmp);
    if (fd < 0)
        return -1;
    if (axle_internal_write_all(fd, data, len) < 0) {
        int e = errno;
        close(fd);
        unlinkat(dirfd, tmp, 0);
        errno = e;
        return -1;
    }
    if (close(fd) < 0 || renameat(dirfd, tmp, dirfd, path) < 0) {
        int e = errno;
        unlinkat(dirfd, tmp, 0);
        errno = e;
        return -1;
    }
    return 0;
}
