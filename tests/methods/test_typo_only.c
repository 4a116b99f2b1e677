/* test_typo_only.c - no entry point spelt right, only `synthesize`: the
 * loader refuses it, and the refusal names the near miss. */
#include "axle/axle.h"

int synthesize(axle_job *job);

AXLE_METHOD(test_typo_only, "1.0", "only a misspelt entry point", NULL, NULL);

int
synthesize(axle_job *job)
{
    return AXLE_OK;
}
