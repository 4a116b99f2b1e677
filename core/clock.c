/* clock.c - CLOCK_MONOTONIC as seconds: immune to the wall clock being set. */
#include "clock.h"

#include <time.h>

double
clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
