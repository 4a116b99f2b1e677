/* dispatch.h - running one job: prepare once, analysis in N forked slices,
 * synthesis once, all inside a job process of its own so that nothing a
 * method does can take the core down.
 *
 * The core stays in a poll loop while the job runs: it copies every
 * stage's output into JOBDIR/log/ (bounded, stage_log.h) and onto stderr
 * as it comes, draws progress from a shared memory page, and on Ctrl-C
 * kills the job's process group.  A slice that fails, exits or dies kills
 * its siblings at once; the message names job, method, stage, slice and
 * cause.
 *
 * The job is done only when the job process said so in shared memory
 * after its last stage returned (job_process.h), every process it started
 * is gone (reap.h), and the workdir and job folder are still the folders
 * they were when it started. */
#ifndef AXLE_DISPATCH_H
#define AXLE_DISPATCH_H

#include <jansson.h>
#include <stdbool.h>

#include "loader.h"

typedef struct job_spec {
    const method *m;
    const char *step;    /* pipeline step name, for messages */
    const char *id;
    const char *dir;
    int slices;
    json_t *options;
    const char *base_dir;
    json_t *inputs;      /* name -> dataset folder */
    json_t *job_inputs;  /* name -> job folder */
    const char *identity; /* hex SHA-256 the workdir indexes it under */
    size_t step_no;      /* 1-based place of the step in the run, and of how */
    size_t nsteps;       /* many, for the progress line ("thumbs 2/4: ...") */
    struct run_status *status; /* the run's live state, or NULL */
    const struct job_remote *remote; /* --mpi: the other ranks, or NULL */
    const char *chain_base; /* the job it builds on (chain_plan.h), or NULL */
    json_t *chain_inputs;   /* name -> dataset folder that job read, or NULL */
    const char *recipe;     /* identity_recipe of its record: exported files carry it */
    /* diff: path option -> descriptor of the identity pass's file facts
     * (identity_file_facts), or NULL; read with axle_file_facts_open */
    json_t *file_facts;
} job_spec;

typedef struct job_outcome {
    bool ok;
    bool interrupted;    /* Ctrl-C or SIGTERM reached the core */
    char message[8192];  /* why it failed */
    double seconds[3];   /* prepare, analysis, synthesis */
    /* {"prepare": s, "analysis": [s per slice], "synthesis": s} for
     * job.json; owned here until job_record_write takes it. */
    json_t *stages;
} job_outcome;

/* --mpi (core/mpi_*.c): the ranks a job's slices are shared with.  NULL
 * in job_spec.remote for a run on one machine. */
struct job_shared; /* job_process.h */
typedef struct job_remote {
    struct slice_share *share;  /* MAP_SHARED, read by the job process */
    void *ctx;
    /* Each turn of the core's loop (every 2 ms at most): move messages,
     * and the progress of slices (sh: the job's shared state; a worker
     * rank reports its slices', rank 0 takes the others' in).  True asks
     * to end the job now (rank 0 called it off). */
    bool (*tick)(void *ctx, struct job_shared *sh);
    /* The job process has ended and *out says how; other ranks still at
     * work are called off and waited for, and a rank that never answered
     * turns the outcome into a failure naming it. */
    void (*finish)(void *ctx, job_outcome *out, struct job_shared *sh);
} job_remote;

void dispatch_run(const job_spec *spec, job_outcome *out);

/* Installs the core's SIGINT/SIGTERM handlers (remembering the signal). */
void dispatch_install_signals(void);
/* True once SIGINT or SIGTERM arrived. */
bool dispatch_interrupted(void);

/* SIGUSR1 asks the core for its status tree (run_status.h).  The handler
 * restarts interrupted calls, so asking never disturbs the run; the tree
 * is printed on stderr by the core's loop, never in the handler.  Installed
 * first thing in `axle run`, before anything that could take long. */
void dispatch_install_status_signal(void);
/* True once per SIGUSR1 received (and not yet answered). */
bool dispatch_status_requested(void);
/* Answers a pending SIGUSR1: prints the run's status tree on stderr. */
void dispatch_answer_status(struct run_status *rs);

#endif
