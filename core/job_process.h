/* job_process.h - the inside of a job process: the three stages and the
 * forked slices.  Shared with dispatch.c through one MAP_SHARED page. */
#ifndef AXLE_JOB_PROCESS_H
#define AXLE_JOB_PROCESS_H

#include "axle_internal.h"
#include "dispatch.h"

enum { STAGE_PREPARE, STAGE_ANALYSIS, STAGE_SYNTHESIS, STAGE_COUNT };

/* Lives in shared memory: written by the job process and its slices, read
 * by the core.  slots[0..slices-1] are slices, slots[slices] the
 * single-process stages. */
typedef struct job_shared {
    volatile int stage;            /* the stage running now */
    volatile double seconds[STAGE_COUNT];
    struct axle_progress_slot slots[];
} job_shared;

/* Output pipes, write ends: [0] prepare, [1..slices] slices, [slices+1]
 * synthesis. */
typedef struct job_pipes {
    int *write_fd;
} job_pipes;

/* Runs in the forked job process; never returns. */
void job_process_main(const job_spec *spec, job_shared *shared,
                      const job_pipes *pipes) __attribute__((noreturn));

extern const char *const job_stage_names[STAGE_COUNT];

#endif
