/* test_bad_default.c - its own default does not fit its own range: the
 * loader must refuse it, naming the file, the option and why, and
 * `axle methods` must list it as refused. */
#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_INT("quality", "150", 1, 100, "encoder quality"),
    AXLE_OPTION_END};

AXLE_METHOD(test_bad_default, "1.0", "a default out of its range (test method)", options,
            NULL);

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
