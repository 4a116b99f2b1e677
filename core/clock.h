/* clock.h - monotonic time in seconds, for stage timings and progress. */
#ifndef AXLE_CLOCK_H
#define AXLE_CLOCK_H

double clock_now(void);

#endif
