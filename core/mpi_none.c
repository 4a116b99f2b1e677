/* mpi_none.c - `axle run --mpi` in an axle built without OpenMPI. */
#include <stdio.h>

#include "mpi_run.h"

int
mpi_run_begin(int *argc, char ***argv, int *rank)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    fprintf(stderr, "axle: error: --mpi: this axle was built without MPI; install "
            "OpenMPI (libopenmpi-dev openmpi-bin, as ./setup.sh does) and build "
            "again\n");
    return -1;
}

int
mpi_run_serve(void)
{
    return 2;
}

const job_remote *
mpi_run_remote(const job_spec *spec)
{
    (void)spec;
    return NULL;
}

void
mpi_run_end(int rc)
{
    (void)rc;
}
