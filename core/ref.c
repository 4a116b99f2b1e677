/* ref.c - which workdir a command means, and which job a REF names. */
#include "ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "pipeline.h"
#include "pipeline_find.h"
#include "run_log.h"
#include "workdir.h"

static void
drop_args(int *argc, char **argv, int at, int count)
{
    for (int i = at; i + count <= *argc; i++)
        argv[i] = argv[i + count];
    *argc -= count;
}

char *
ref_workdir_from_args(int *argc, char **argv)
{
    char *wd = NULL;
    for (int i = 1; i < *argc;) {
        const char *a = argv[i];
        bool is_wd = strcmp(a, "--workdir") == 0;
        bool is_p = strcmp(a, "-p") == 0 || strcmp(a, "--pipeline") == 0;
        if (!is_wd && !is_p) {
            i++;
            continue;
        }
        if (i + 1 >= *argc) {
            diag_error(NULL, 0, 0, "%s wants a value", a);
            free(wd);
            return NULL;
        }
        free(wd);
        if (is_wd) {
            wd = fs_absolute(argv[i + 1], NULL);
        } else {
            char *file = pipeline_find(argv[i + 1]);
            pipeline *p = file ? pipeline_load(file, 0, NULL) : NULL;
            free(file);
            if (!p)
                return NULL;
            wd = strdup(p->workdir);
            pipeline_free(p);
        }
        drop_args(argc, argv, i, 2);
    }
    return wd ? wd : fs_absolute("axle-work", NULL);
}

/* N of "STEP@N" (a run number, digits only after the last '@'), else 0;
 * the step name goes to step (malloc'd). */
static long
step_at_run(const char *ref, char **step_name)
{
    const char *at = strrchr(ref, '@');
    if (!at || at == ref || !at[1] || strspn(at + 1, "0123456789") != strlen(at + 1) ||
        strlen(at + 1) > 9)
        return 0;
    *step_name = strndup(ref, (size_t)(at - ref));
    return atol(at + 1);
}

/* The job folder of STEP in run N of the history, or NULL after an error. */
static char *
resolve_step_at(const workdir *w, const char *ref, const char *name, long n)
{
    char err[512];
    char *id = run_log_step_job(w->path, name, n, err, sizeof err);
    if (!id) {
        diag_error(NULL, 0, 0, "no job '%s': %s", ref, err);
        return NULL;
    }
    char *dir = workdir_job_dir(w, id);
    free(id);
    return dir;
}

char *
ref_resolve(const char *wdpath, const char *ref)
{
    workdir *w = workdir_open_existing(wdpath);
    if (!w) {
        diag_error(NULL, 0, 0, "no workdir at %s (give --workdir DIR or -p FILE)",
                   wdpath);
        return NULL;
    }
    char *dir = NULL;
    if (!strchr(ref, '/')) {
        char *candidate = workdir_job_dir(w, ref);
        char *jobjson;
        if (asprintf(&jobjson, "%s/job.json", candidate) >= 0 && fs_exists(jobjson))
            dir = candidate;
        else
            free(candidate);
        free(jobjson);
        if (!dir) {
            char *id = workdir_step_job(w, ref);
            if (id)
                dir = workdir_job_dir(w, id);
            free(id);
        }
        /* STEP@N last: a step really named "a@1" keeps its name. */
        char *name = NULL;
        long n = dir ? 0 : step_at_run(ref, &name);
        if (n > 0) {
            dir = resolve_step_at(w, ref, name, n);
            free(name);
            workdir_close(w);
            return dir;
        }
        free(name);
    }
    if (!dir)
        diag_error(NULL, 0, 0, "no job '%s' in %s (neither a job id nor a step "
                   "of a run there)", ref, w->path);
    workdir_close(w);
    return dir;
}
