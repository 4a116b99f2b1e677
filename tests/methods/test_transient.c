/* test_transient.c - a method that reads the files of a folder and skips
 * those it "cannot read": a file with a sibling NAME.eio stands for an I/O
 * error (a transient skip: the environment, not the file), one whose name
 * ends in ".bad" for unusable content (a permanent skip).  A marker file,
 * not chmod, because the tests may run as root, who reads any file.
 * `folder` is a string option, so the folder's files are not part of the
 * identity: only the skips decide whether the job is reused.  Each slice
 * writes a row (column "name") for every file it reads. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("folder", NULL, "folder whose files are read"),
    AXLE_OPTION_END};

AXLE_METHOD(test_transient, "1.0", "skips unreadable files for now (test method)",
            options, NULL);

static axle_writer *out;

int
prepare(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    if (!out || axle_writer_add(out, "name", AXLE_STRING) < 0)
        return axle_error(job, AXLE_EINTERNAL, "cannot make the dataset");
    return AXLE_OK;
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static int
read_one(axle_job *job, const char *folder, const char *name)
{
    char marker[4096];
    snprintf(marker, sizeof marker, "%s/%s.eio", folder, name);
    if (access(marker, F_OK) == 0) {
        axle_skip_transient(job, name, "Input/output error");
        return AXLE_OK;
    }
    if (ends_with(name, ".bad")) {
        axle_skip(job, name, "not a usable file");
        return AXLE_OK;
    }
    if (axle_put_string(out, 0, name, strlen(name)) < 0 || axle_writer_end_row(out) < 0)
        return AXLE_EINTERNAL;
    return AXLE_OK;
}

int
analysis(axle_job *job, int sliceno)
{
    const char *folder = axle_opt_string(job, "folder");
    struct dirent **names = NULL;
    int n = scandir(folder, &names, NULL, alphasort);
    if (n < 0)
        return axle_error(job, AXLE_EIO, "cannot list %s", folder);
    int rc = AXLE_OK, item = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.' && !ends_with(name, ".eio") &&
            item++ % axle_slices(job) == sliceno && rc == AXLE_OK)
            rc = read_one(job, folder, name);
        free(names[i]);
    }
    free(names);
    return rc;
}
