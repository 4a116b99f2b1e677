/* job_process.h - the inside of a job process: the three stages and the
 * forked slices.  Shared with dispatch.c through one MAP_SHARED mapping. */
#ifndef AXLE_JOB_PROCESS_H
#define AXLE_JOB_PROCESS_H

#include "axle_internal.h"
#include "dispatch.h"

enum { STAGE_PREPARE, STAGE_ANALYSIS, STAGE_SYNTHESIS, STAGE_COUNT };
/* After synthesis: the core's own code merges the datasets. */
#define STAGE_FINISH STAGE_COUNT

/* How a stage ended, as its own process said after the entry point had
 * returned through the core.  A process that ends while its token still
 * says END_NONE never returned: it exited or died inside the method.  The
 * values are unlikely patterns, so a stray write does not pass for one. */
enum stage_end_state {
    END_NONE = 0,
    END_RETURNED = 0x52455455, /* returned AXLE_OK, datasets closed */
    END_FAILED = 0x4641494c    /* returned, and failed: see message */
};

typedef struct stage_end {
    volatile int state;
    volatile double seconds;   /* a slice's time in analysis, set before state */
    char message[2400];
} stage_end;

/* Lives in shared memory: written by the job process and its slices, read
 * by the core.  slots[0..slices-1] are slices, slots[slices] the
 * single-process stages; slice_ends (in the same mapping) one per slice. */
typedef struct job_shared {
    volatile int stage;            /* the stage running now (or STAGE_FINISH) */
    volatile double stage_started; /* clock_now() when it began, for status */
    volatile double seconds[STAGE_COUNT];
    stage_end job;                 /* the job process: set last of all */
    stage_end *slice_ends;
    struct axle_progress_slot slots[];
} job_shared;

/* Bytes of the shared mapping for `slices` slices, and its set-up. */
size_t job_shared_size(int slices);
void job_shared_init(job_shared *sh, int slices);

/* Output pipes, write ends: [0] prepare, [1..slices] slices, [slices+1]
 * synthesis. */
typedef struct job_pipes {
    int *write_fd;
} job_pipes;

/* Runs in the forked job process; never returns. */
void job_process_main(const job_spec *spec, job_shared *sh,
                      const job_pipes *pipes) __attribute__((noreturn));

/* Why a stage's process ended without its token: "prepare() called
 * exit(0)", "analysis() in slice 1 died: SIGSEGV". */
void stage_describe_death(int stage, int sliceno, int wait_status, char *out,
                          size_t outlen);

extern const char *const job_stage_names[STAGE_COUNT + 1];

/* ---- axle run --mpi (core/mpi_*.c): a job's slices shared over ranks ----
 * Lives in MAP_SHARED memory the MPI side maps before the job process is
 * forked (job_remote.share in dispatch.h).  Rank 0's job process runs
 * prepare, forks the slices it owns, and waits for the core to say how
 * the other ranks' slices ended.  A worker rank's job process runs
 * prepare again, with libaxle's writes held back (axle_job.replay), only
 * to rebuild the memory its slices inherit, then forks its own slices:
 * no synthesis, no finishing. */
enum remote_state {
    REMOTE_IDLE = 0,  /* rank 0: prepare has not returned yet */
    REMOTE_GO,        /* rank 0: prepare returned; the core sends the work */
    REMOTE_OK,        /* every other rank's slices returned */
    REMOTE_FAILED     /* one did not: message says why */
};
#define SLICE_SHARE_MAX 1024 /* the most slices a workdir has (--slices) */
typedef struct slice_share {
    int rank;                   /* 0: the core's rank; > 0: a worker rank */
    bool mine[SLICE_SHARE_MAX]; /* slice s is forked on this rank */
    volatile int remote;        /* enum remote_state, rank 0 only */
    char message[2400];         /* REMOTE_FAILED: why (set before remote) */
} slice_share;

#endif
