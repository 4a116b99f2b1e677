/* test_typo.c - a method whose analysis and prepare are misspelt
 * (`analyse`, `Prepare`): it loads, for its synthesis is right, and the
 * loader warns about both names.  `helper_count` is exported too and is
 * not near any entry point, so nothing is said about it.  Built without
 * -fvisibility=hidden, as an author's Makefile builds. */
#include "axle/axle.h"

int analyse(axle_job *job, int sliceno);
int Prepare(axle_job *job);
int helper_count(void);

AXLE_METHOD(test_typo, "1.0", "misspelt entry points", NULL, NULL);

int
helper_count(void)
{
    return 1;
}

int
Prepare(axle_job *job)
{
    return AXLE_OK;
}

int
analyse(axle_job *job, int sliceno)
{
    return axle_error(job, AXLE_EINVAL, "analyse must never be called");
}

int
synthesis(axle_job *job)
{
    return axle_set_result_json(job, "{\"ran\": \"synthesis\"}");
}
