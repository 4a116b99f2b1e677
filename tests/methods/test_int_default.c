/* test_int_default.c - a number where its default's text belongs, as a
 * method built before the option macros refused one would have it (the
 * macros now stop AXLE_OPTION_INT("quality", 85, ...) at compile time):
 * the loader must refuse it with a message, not crash reading it. */
#include <stdint.h>

#include "axle/axle.h"

static const axle_option options[] = {
    {"quality", AXLE_OPT_INT, (const char *)(uintptr_t)85, 1, 100, NULL, "quality"},
    AXLE_OPTION_END};

AXLE_METHOD(test_int_default, "1.0", "a default that is not a string (test method)",
            options, NULL);

int
synthesis(axle_job *job)
{
    return AXLE_OK;
}
