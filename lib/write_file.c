/* write_file.c - axle_write_file: a file in the job folder, written
 * whole or not at all, and registered.
 *
 * The path is walked one folder at a time from the job folder, each opened
 * with O_NOFOLLOW, so neither a ".." nor a symbolic link met on the way
 * (planted, or made by the method itself) can lead the write outside the
 * job folder.  In that last folder a new name is written in place and an
 * existing one replaced by the atomic writer (write_new_or_replace). */
#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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
 * through a symbolic link.  Opened first, made only when missing: a
 * mkdir per folder per file is a needless system call (and a write to
 * the folder's metadata) once the folder is there. */
static int
enter(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    if (mkdirat(dirfd, name, 0755) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The folder the last file went to, kept open for the next: a method
 * writes many files into few folders (an export of 100,000 files), and
 * walking there again for each cost an open and a close per level.  Known
 * by its path ("JOBDIR/output/2023"); slices forked later inherit it,
 * which is harmless (a folder's descriptor has no offset to share). */
static struct {
    char *path;
    int fd;
} last_folder = {NULL, -1};

static void
forget_folder(void)
{
    if (last_folder.fd >= 0)
        close(last_folder.fd);
    free(last_folder.path);
    last_folder.path = NULL;
    last_folder.fd = -1;
}

/* The folder of `relpath` (all but its last component), walked from the
 * job folder one component at a time, or the one kept from last time.
 * Its descriptor stays owned here.  -1 with errno, and in `failed` the
 * job folder, or `path` cut after the component that failed. */
static int
folder_of(axle_job *job, char *path, const char **failed)
{
    char *slash = strrchr(path, '/');
    char *key = NULL;
    if (asprintf(&key, "%s/%.*s", axle_job_dir(job), slash ? (int)(slash - path) : 0,
                 path) < 0)
        return -1;
    if (last_folder.fd >= 0 && strcmp(last_folder.path, key) == 0) {
        free(key);
        return last_folder.fd;
    }
    forget_folder();
    int dirfd = open(axle_job_dir(job), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    *failed = axle_job_dir(job);
    for (char *name = path; dirfd >= 0 && (slash = strchr(name, '/')) != NULL;
         name = slash + 1) {
        *slash = '\0';
        int next = enter(dirfd, name);
        int e = errno;
        close(dirfd);
        dirfd = next;
        errno = e;
        *failed = path; /* cut after the component that failed */
        if (dirfd >= 0)
            *slash = '/';
    }
    if (dirfd < 0) {
        int e = errno;
        free(key);
        errno = e;
        return -1;
    }
    last_folder.path = key;
    last_folder.fd = dirfd;
    return dirfd;
}

/* A new name is created and written in place: the job folder is the job's
 * own until the job is recorded, and a job that fails (a slice killed
 * half way through a file) is never reused, so a temporary and a rename
 * would only add two system calls and a second change to the folder per
 * file (about half an export's time for 200 thumbnails, measured).  A name that is there already
 * (a file written again, a folder taken over from an earlier job) is
 * replaced atomically, as before. */
static int
write_new_or_replace(int dirfd, const char *name, const void *data, size_t len)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno == EEXIST ? axle_internal_write_atomic_at(dirfd, name, data, len) : -1;
    bool failed = axle_internal_write_all(fd, data, len) < 0;
    int e = errno;
    if (close(fd) < 0 && !failed)
        failed = true, e = errno;
    if (failed) {
        unlinkat(dirfd, name, 0); /* none rather than half of one */
        errno = e;
        return -1;
    }
    return 0;
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
    if (!path)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    const char *failed = axle_job_dir(job);
    int dirfd = folder_of(job, path, &failed);
    if (dirfd < 0) {
        int e = errno;
        int rc;
        if (failed == axle_job_dir(job))
            rc = axle_error(job, AXLE_EIO, "%s: %s", axle_job_dir(job), strerror(e));
        else
            rc = axle_error(job, e == ENOTDIR || e == ELOOP ? AXLE_EINVAL : AXLE_EIO,
                            "%s/%s: cannot make it a folder for %s: %s", axle_job_dir(job),
                            path, relpath,
                            e == ENOTDIR || e == ELOOP
                                ? "a file or a symbolic link is in the way"
                                : strerror(e));
        free(path);
        return rc;
    }
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    int rc = AXLE_OK, wrote = write_new_or_replace(dirfd, name, data ? data : "", len);
    if (wrote < 0 && errno == ENOENT) {
        /* the folder kept open was removed since: walk there again */
        forget_folder();
        dirfd = folder_of(job, path, &failed);
        wrote = dirfd < 0 ? -1
                          : write_new_or_replace(dirfd, name, data ? data : "", len);
    }
    if (wrote < 0)
        rc = axle_error(job, AXLE_EIO, "%s/%s: %s", axle_job_dir(job), relpath,
                        strerror(errno));
    free(path);
    /* Written just now as a regular file: registered without a stat. */
    return rc == AXLE_OK ? axle_internal_register_written(job, relpath) : rc;
}
