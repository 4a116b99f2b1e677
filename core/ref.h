/* ref.h - finding a workdir and a job in it from the command line. */
#ifndef AXLE_REF_H
#define AXLE_REF_H

/* Removes "--workdir DIR" and "-p FILE" from argv (updating *argc) and
 * returns the absolute workdir they name: DIR; the workdir of pipeline
 * FILE; or $PWD/axle-work.  NULL after printing an error. */
char *ref_workdir_from_args(int *argc, char **argv);

/* Resolves REF, a job id ("axle-work-12"), a step name as of the latest
 * run in `workdir` that had that step, or STEP@N, the job step STEP ran
 * as in run N of the workdir's history (run_log.h), to the absolute job
 * folder (malloc'd).  NULL after printing an error that names REF. */
char *ref_resolve(const char *workdir, const char *ref);

#endif
