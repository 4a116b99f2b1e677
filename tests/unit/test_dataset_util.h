/* test_dataset_util.h - what the dataset tests share: a scratch workdir
 * holding hand-made jobs (W/axle-work-N), stage switching as the core
 * does it, slices simulated by fork, and disk usage of a folder. */
#ifndef TEST_DATASET_UTIL_H
#define TEST_DATASET_UTIL_H

#include <stdint.h>

#include "axle_internal.h"

/* Asserts that `text` holds `needle`, printing both when it does not (use
 * after <cmocka.h>). */
#define assert_has(text, needle)                                               \
    do {                                                                       \
        if (!strstr(text, needle))                                             \
            print_error("# '%s' not in:\n%s\n", needle, text);                 \
        assert_non_null(strstr(text, needle));                                 \
    } while (0)

/* Creates a scratch workdir and returns its absolute path; td_leave
 * removes it. */
const char *td_enter(void);
void td_leave(void);
/* A job numbered n in the scratch workdir (folder W/axle-work-N created),
 * in prepare, made the process's current job.  td_job_free releases it. */
void td_job(axle_job *job, int n, int slices);
void td_job_free(axle_job *job);
/* Switches the job to a stage, as the core does (sliceno -1 outside
 * analysis). */
void td_stage(axle_job *job, const char *stage, int sliceno);
/* Ends the stage (closes writers) and asserts it went well. */
void td_end_stage(axle_job *job);
/* Finishes the job's datasets; returns the rc, message in err. */
int td_finish(axle_job *job, char *err, size_t errlen);
/* td_finish that must succeed: prints the reason and fails the test. */
void td_finish_ok(axle_job *job);
/* cmocka fixtures: a fresh scratch folder per test (td_enter/td_leave). */
int td_setup(void **state);
int td_teardown(void **state);
/* Opens JOBDIR/ds/NAME, asserting success. */
axle_dataset *td_open(const axle_job *job, const char *name);
/* Runs fn in one forked child per slice, in stage analysis, then closes
 * writers and saves structured results in the child as the core does.
 * Returns how many slices failed; a failing child prints its message to
 * stderr as "# ...". */
typedef int (*td_slice_fn)(axle_job *job, int sliceno, void *arg);
int td_fork_slices(axle_job *job, td_slice_fn fn, void *arg);
/* Bytes of disk used by the files under `path` (st_blocks), and their
 * count. */
uint64_t td_du(const char *path, int *nfiles);
/* JOBDIR/ds/NAME/meta.json, parsed (assert on failure). */
json_t *td_meta(const axle_job *job, const char *name);

#endif
