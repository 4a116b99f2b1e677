/* test_bad_choice.c - its enum's default is not among its choices: the
 * loader must refuse it, naming the option and the choices. */
#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_ENUM("format", "gif", "jpeg|webp", "file format"),
    AXLE_OPTION_END};

AXLE_METHOD(test_bad_choice, "1.0", "a default not among its choices (test method)",
            options, NULL);

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
