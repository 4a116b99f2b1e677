/* test_no_entry.c - a descriptor but none of prepare, analysis,
 * synthesis: the loader must refuse it. */
#include "axle/axle.h"

AXLE_METHOD(test_no_entry, "1.0", "no entry points", NULL, NULL);
