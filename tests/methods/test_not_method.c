/* test_not_method.c - a shared object with no axle_method descriptor:
 * the loader must refuse it as "not an axle method". */
#include "axle/axle.h"

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
