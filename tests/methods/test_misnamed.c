/* test_misnamed.c - its descriptor says another name than its file: the
 * loader must refuse it, naming both. */
#include "axle/axle.h"

AXLE_METHOD(something_else, "1.0", "wrong name", NULL, NULL);

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
