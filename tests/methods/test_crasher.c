/* test_crasher.c - a method whose slice `crash_slice` fails in the way
 * `how` says while every other slice sleeps: the job must fail fast and
 * name the slice. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_INT("crash_slice", "0", -1, 1024, "slice that fails (-1: none)"),
    AXLE_OPTION_ENUM("how", "segv", "segv|exit|error|abort", "how it fails"),
    AXLE_OPTION_FLOAT("sleep", "30", 0, 3600, "seconds the other slices sleep"),
    AXLE_OPTION_END};

AXLE_METHOD(test_crasher, "1.0", "fails one slice on purpose (test method)", options, NULL);

int
analysis(axle_job *job, int sliceno)
{
    const char *how = axle_opt_string(job, "how");
    if (sliceno == axle_opt_int(job, "crash_slice")) {
        usleep(100000);
        if (how[0] == 's') {
            /* A real invalid access (not NULL, which UBSan would trap first). */
            volatile uintptr_t addr = 8;
            return *(volatile int *)addr;
        }
        if (how[0] == 'e' && how[1] == 'x')
            exit(7);
        if (how[0] == 'a')
            abort();
        return axle_error(job, AXLE_EFORMAT, "slice %d gave up on purpose", sliceno);
    }
    double s = axle_opt_float(job, "sleep");
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0)
        ;
    return AXLE_OK;
}
