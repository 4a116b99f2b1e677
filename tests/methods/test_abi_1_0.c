/* test_abi_1_0.c - a method stamped for SDK ABI 1.0, as every method built
 * before the SDK's second edition is: the loader must still take it (the
 * minor only grows) and run it. */
#include "axle/axle.h"

AXLE_EXPORT extern const axle_method_desc axle_method;
AXLE_EXPORT const axle_method_desc axle_method = {
    1, 0, sizeof(axle_method_desc), "test_abi_1_0", "1.0", "built for ABI 1.0", NULL,
    NULL};

int
synthesis(axle_job *job)
{
    return axle_set_result_json(job, "{\"abi\":\"1.0\"}");
}
