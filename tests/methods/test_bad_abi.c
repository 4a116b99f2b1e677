/* test_bad_abi.c - a method stamped for a future SDK ABI (2.0): the
 * loader must refuse it, naming both versions. */
#include "axle/axle.h"

AXLE_EXPORT extern const axle_method_desc axle_method;
AXLE_EXPORT const axle_method_desc axle_method = {
    2, 0, sizeof(axle_method_desc), "test_bad_abi", "1.0", "future ABI", NULL, NULL};

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
