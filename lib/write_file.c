/* write_file.c - axle_write_file: a file in the job folder, written
 * whole or not at all, and registered.
 *
 * The path is walked one folder at a time from the job folder, each opened
 * with O_NOFOLLOW, so neither a ".." nor a symbolic link met on the way
 * (planted, or made by the method itself) can lead the write outside the
 * job folder.  The file itself is written by the atomic writer in that
 * last folder: a temporary, then a rename. */
#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why `relpath` is not a path inside the job folder, or NULL. */
static const char *
unsafe_path(const char *relpath)
{
    if (!relpath || !*relpath)
        return "it is empty";
    if (relpath[0] == '/')
        return "it is absolute";
    if (strlen(relpath) >= PATH_MAX)
        return "it is too long";
    for (const char *p = relpath; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0)
            return "it has an empty component (\"//\" or a trailing \"/\")";
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "it has a \"..\" component";
        if (n == 1 && p[0] == '.')
            return "it has a \".\" component";
        p += n;
        if (*p == '/' && !*++p)
            return "it ends with \"/\"";
    }
    return NULL;
}

/* Opens (making it when missing) folder `name` below `dirfd`, never
 * through a symbolic link. */
static int
enter(int dirfd, const char *name)
{
    if (mkdirat(dirfd, name, 0755) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int
axle_write_file(axle_job *job, const char *relpath, const void *data, size_t len)
{
    const char *why = unsafe_path(relpath);
    if (why)
        return axle_error(job, AXLE_EINVAL,
                          "axle_write_file wants a path inside the job folder, like "
                          "\"output/a.jpg\"; '%s' is not: %s",
                          relpath ? relpath : "(null)", why);
    if (!data && len)
        return axle_error(job, AXLE_EINVAL, "axle_write_file: %s: NULL data with "
                          "length %zu", relpath, len);
    if (job->replay)
        return AXLE_OK; /* a worker rank's prepare: rank 0 wrote it */
    char *path = strdup(relpath);
    int dirfd = open(axle_job_dir(job), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!path || dirfd < 0) {
        int e = errno;
        free(path);
        if (dirfd >= 0)
            close(dirfd);
        return axle_error(job, AXLE_EIO, "%s: %s", axle_job_dir(job), strerror(e));
    }
    char *name = path;
    for (char *slash; (slash = strchr(name, '/')) != NULL; name = slash + 1) {
        *slash = '\0';
        int next = enter(dirfd, name);
        int e = errno;
        close(dirfd);
        dirfd = next;
        if (dirfd < 0) {
            int rc = axle_error(job, e == ENOTDIR || e == ELOOP ? AXLE_EINVAL : AXLE_EIO,
                                "%s/%s: cannot make it a folder for %s: %s",
                                axle_job_dir(job), path,
                                relpath, e == ENOTDIR || e == ELOOP
                                    ? "a file or a symbolic link is in the way"
                                    : strerror(e));
            free(path);
            return rc;
        }
        *slash = '/';
    }
    int rc = AXLE_OK;
    if (axle_internal_write_atomic_at(dirfd, name, data ? data : "", len) < 0)
        rc = axle_error(job, AXLE_EIO, "%s/%s: %s", axle_job_dir(job), relpath,
                        strerror(errno));
    close(dirfd);
    free(path);
    return rc == AXLE_OK ? axle_register_file(job, relpath) : rc;
}
