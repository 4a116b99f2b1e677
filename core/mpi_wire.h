/* mpi_wire.h - the messages between rank 0 and the other ranks (--mpi).
 *
 * Every message is text (JSON, or empty) on MPI_COMM_WORLD; a rank only
 * ever talks to rank 0.  Nobody blocks inside MPI: receivers probe and
 * nap, so a waiting rank takes no CPU from the slices beside it. */
#ifndef AXLE_MPI_WIRE_H
#define AXLE_MPI_WIRE_H

#include <stdbool.h>

#include "dispatch.h"
#include "job_process.h"

enum wire_tag {
    WIRE_WORK = 1, /* 0 -> r: a job and the slices r forks (JSON) */
    WIRE_DONE,     /* r -> 0: how they ended: {"ok": .., "message": ..} */
    WIRE_CANCEL,   /* 0 -> r: stop the job's slices now, then say DONE */
    WIRE_QUIT,     /* 0 -> r: the run is over */
    WIRE_TERM,     /* r -> 0: the launcher is ending the run (SIGTERM) */
    WIRE_PROGRESS  /* r -> 0: its slices' items and ends, for the status (JSON) */
};

/* Sends `text` ("" for NULL) to `rank` with `tag`.  0 or -1. */
int wire_send(int rank, int tag, const char *text);
/* Sends an empty message without waiting for it to leave: for a rank
 * that may be dead, which a blocking send would wait for forever. */
void wire_post(int rank, int tag);

/* A message from `rank` (MPI_ANY_SOURCE for any) with `tag` (MPI_ANY_TAG
 * for any) if one has come: true, with *from, *tag_out and the text
 * (malloc'd) set.  False at once when none has. */
bool wire_take(int rank, int tag, int *from, int *tag_out, char **text);

/* The job as rank `rank` needs it: spec and the slices it forks. */
char *wire_job_text(const job_spec *spec, const slice_share *share);

/* A job read back on a worker rank: spec refers into `root` and `m`. */
typedef struct wire_job {
    job_spec spec;
    json_t *root;
    const char *method_sha256;
    bool mine[SLICE_SHARE_MAX];
} wire_job;

/* Parses `text` and loads its method: 0, or -1 with the reason in err. */
int wire_job_read(const char *text, wire_job *wj, char *err, size_t errlen);
void wire_job_free(wire_job *wj);

/* The progress of the slices `mine` of job `job` as `sh` holds it:
 * {"job": ID, "slices": [[slice, done, total, ended, seconds], ...]}. */
char *wire_progress_text(const char *job, const job_shared *sh, const bool *mine,
                         int slices);

/* Rank 0: a progress message of rank `from` taken into `sh`, for the
 * slices of job `job` that rank runs (s % world == from; others, or
 * another job's, are ignored), so that the status and the slice times
 * count every rank's slices. */
void wire_progress_take(const char *text, const char *job, job_shared *sh, int slices,
                        int from, int world);

#endif
