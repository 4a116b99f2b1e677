/* test_paths.c - a method that only names files: its `files` option is a
 * path option, so the core digests every file it covers (size and time)
 * into the job's identity, and the method itself reads none of them.
 * What a run of it costs is the core's: the walk, the stats, the reuse
 * checks.  With `register: N` its synthesis writes and registers N small
 * files, out/f00000.txt ..., which every reuse check then stats. */
#include <stdio.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_PATHS("files", NULL, "files or folders, part of the identity"),
    AXLE_OPTION_INT("register", "0", 0, 100000, "files to write and register"),
    AXLE_OPTION_END};

AXLE_METHOD(test_paths, "1.0", "names files without reading them (test method)", options,
            NULL);

int
synthesis(axle_job *job)
{
    int64_t n = axle_opt_int(job, "register");
    for (int64_t i = 0; i < n; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "out/f%05lld.txt", (long long)i);
        int rc = axle_write_file(job, rel, rel, 8);
        if (rc != AXLE_OK)
            return rc;
    }
    return AXLE_OK;
}
