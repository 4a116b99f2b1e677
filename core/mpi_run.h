/* mpi_run.h - `axle run FILE --mpi`: a job's slices as the ranks of an MPI
 * launcher (mpirun -n P, srun -n P), over a workdir every host shares.
 *
 * Every rank runs axle.  Rank 0 is the core: it loads the pipeline,
 * decides reuse, forks the job process for prepare and synthesis, and
 * records the job, as on one machine.  Slice s belongs to rank s % P.
 * When prepare has returned, rank 0 sends every other rank the job and
 * its slice numbers; that rank loads the same method, runs prepare again
 * with libaxle's writes held back (the memory slices inherit, rebuilt),
 * forks its slices with the job process's own code, and answers how they
 * ended.  Everything else crosses as files in the job folder.
 *
 * Built without OpenMPI (mpi_none.c), mpi_run_begin says so and fails. */
#ifndef AXLE_MPI_RUN_H
#define AXLE_MPI_RUN_H

#include "dispatch.h"

/* Joins the launcher's MPI job and checks that every rank runs the same
 * libaxle and libraries.  0 with *rank set, or -1 after saying why on
 * stderr. */
int mpi_run_begin(int *argc, char ***argv, int *rank);

/* A rank other than 0: runs the slices rank 0 sends until it says quit.
 * Returns the rank's exit status. */
int mpi_run_serve(void);

/* Rank 0: the other ranks, for the job `spec` (kept until the job ends);
 * NULL when this rank is alone. */
const job_remote *mpi_run_remote(const job_spec *spec);

/* Rank 0, at the end of the run with exit status rc: the other ranks are
 * told to quit and MPI finalised, or, when a rank was lost or the
 * launcher is ending the run, MPI_Abort(rc) ends every rank at once. */
void mpi_run_end(int rc);

#endif
