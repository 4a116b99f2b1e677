#include "axle_internal.h"
axle_job *axle_internal_current;
