/* test_opt_misuse.c - reads its options right or, as `mistake` says,
 * wrong: an undeclared (misspelt) name, the getter of another type, an
 * index past a list's end, in prepare or in a slice.  Each wrong read must
 * fail the stage with a message saying what to fix, though the method
 * returns AXLE_OK.  Read right, `format` comes back as its index among the
 * choices, stored in the job's result. */
#include <stdio.h>
#include <string.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_INT("quality", "85", 1, 100, "a number"),
    AXLE_OPTION_ENUM("format", "jpeg", "jpeg|webp|png", "a choice"),
    AXLE_OPTION_SIZE("size", "[4, 3]", 1, 100, "a size"),
    AXLE_OPTION_ENUM("mistake", "none", "none|typo|getter|index|slice_typo|enum_getter",
                     "the mistake to make"),
    AXLE_OPTION_END};

AXLE_METHOD(test_opt_misuse, "1.0", "reads its options wrong on purpose (test method)",
            options, NULL);

static bool
mistake(axle_job *job, const char *which)
{
    return strcmp(axle_opt_string(job, "mistake"), which) == 0;
}

int
prepare(axle_job *job)
{
    if (mistake(job, "typo"))
        printf("qualty reads as %lld\n", (long long)axle_opt_int(job, "qualty"));
    if (mistake(job, "getter"))
        printf("quality reads as '%s'\n", axle_opt_string(job, "quality"));
    if (mistake(job, "index"))
        printf("size[2] reads as %lld\n", (long long)axle_opt_int_at(job, "size", 2));
    if (mistake(job, "enum_getter"))
        printf("quality as an enum: %d\n", axle_opt_enum(job, "quality"));
    return AXLE_OK; /* the mistake, not this, decides */
}

int
analysis(axle_job *job, int sliceno)
{
    if (mistake(job, "slice_typo"))
        printf("formt reads as '%s'\n", axle_opt_string(job, "formt"));
    return AXLE_OK;
}

int
synthesis(axle_job *job)
{
    char json[128];
    snprintf(json, sizeof json, "{\"format\": %d, \"quality\": %lld, \"width\": %lld}",
             axle_opt_enum(job, "format"), (long long)axle_opt_int(job, "quality"),
             (long long)axle_opt_int_at(job, "size", 0));
    return axle_set_result_json(job, json);
}
