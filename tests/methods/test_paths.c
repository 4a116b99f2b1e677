/* test_paths.c - a method that only names files: its `files` option is a
 * path option, so the core digests every file it covers (size and time)
 * into the job's identity, and the method itself reads none of them.
 * What a run of it costs is the core's: the walk, the stats, the reuse
 * checks. */
#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_PATHS("files", NULL, "files or folders, part of the identity"),
    AXLE_OPTION_END};

AXLE_METHOD(test_paths, "1.0", "names files without reading them (test method)", options,
            NULL);

int
synthesis(axle_job *job)
{
    (void)job;
    return AXLE_OK;
}
