/* empty_method.c - a method that does nothing, for bench/machinery.sh:
 * what a job costs when its work costs nothing (loading, identity,
 * forking the job and its slices, collecting their results, recording
 * the job).  `label` only exists to give each job its own identity. */
#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("label", "", "free text, part of identity"),
    AXLE_OPTION_END};

AXLE_METHOD(empty_method, "1.0", "does nothing, in every slice (benchmark)", options, NULL);

int
analysis(axle_job *job, int sliceno)
{
    (void)job;
    (void)sliceno;
    return AXLE_OK;
}
