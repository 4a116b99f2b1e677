/* cli_run.c - `axle run FILE [NAME=VALUE ...] [--slices N]`.
 *
 * Everything that can be checked before work starts is checked first:
 * the pipeline, every method, every option, every input.  Then the steps
 * run in dependency order; each is reused when a complete job with the
 * same identity exists, else built.  stdout gets one line per step as
 * soon as the step ends, and a summary; everything else goes to stderr.
 * The run is recorded in the workdir's history (run_log.h) and publishes
 * its live state (run_status.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "digest.h"
#include "dispatch.h"
#include "chain_plan.h"
#include "clock.h"
#include "fsutil.h"
#include "identity.h"
#include "job_check.h"
#include "job_record.h"
#include "libaxle_digest.h"
#include "loader.h"
#include "mpi_run.h"
#include "pipeline.h"
#include "pipeline_find.h"
#include "reuse_early.h"
#include "run_log.h"
#include "run_status.h"
#include "stat_batch.h"
#include "workdir.h"

enum { EXIT_JOB_FAILED = 1, EXIT_LOAD = 2, EXIT_INTERRUPTED = 130 };

typedef struct step_plan {
    const method *m;
    json_t *options;
    char identity[DIGEST_HEX_LEN];
    char *job_id;
    char *job_dir;
    const char *state;   /* built, reused, failed, not run */
    double seconds;
    char *output;
    size_t skipped;
    char *rebuilt;       /* why the job found for the identity was not reused */
    char *chained;       /* "built incrementally on ...", "built cold, not on ...", or NULL */
} step_plan;

static const char run_usage[] =
    "usage: axle run FILE [NAME=VALUE ...] [--slices N] [--mpi]\n"
    "\n"
    "Runs the pipeline FILE: every step whose job exists with the same\n"
    "identity is reused, the others are built.  NAME=VALUE overrides a\n"
    "param declared in the file; VALUE is a YAML flow value (size=[640,338]).\n"
    "FILE may be a bare NAME (no '/', no .yaml, no such file here): NAME.yaml\n"
    "from AXLE_PIPELINE_PATH's folders or the installed pipelines, as in\n"
    "`axle run thumbnails input=~/photos`.\n"
    "\n"
    "  --slices N   slice count for a new workdir (default: online CPUs)\n"
    "  --mpi        under mpirun -n P (or srun): rank 0 runs the pipeline and\n"
    "               every job's slices are shared out over the P ranks\n"
    "  -h, --help   this text\n"
    "\n"
    "Exit status: 0 all done or reused, 1 a job failed, 2 the pipeline or a\n"
    "method could not be loaded, 130 interrupted.\n";

/* Loads every method and validates every step before any job runs. */
static int
plan_steps(const pipeline *p, step_plan *plans)
{
    int errors = 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        const step *st = &p->steps[i];
        char err[4096];
        plans[i].state = "not run";
        plans[i].m = loader_load(st->method, st->method_base, err, sizeof err);
        if (!plans[i].m) {
            diag_error(p->file, st->method_line, st->method_col, "%s", err);
            errors++;
            continue;
        }
        errors += options_check_inputs(plans[i].m->desc, st, p) != 0;
        plans[i].options = options_validate(plans[i].m->desc, st, p);
        if (!plans[i].options ||
            options_check_paths(plans[i].m->desc, st, p, plans[i].options) < 0)
            errors++;
    }
    return errors;
}

/* Input bindings for the job: dataset and job folders.  Returns -1 with a
 * message when an upstream dataset does not exist. */
static int
bind_inputs(const step *st, step_plan *plans, json_t *ds_dirs, json_t *job_dirs,
            char *err, size_t errlen)
{
    for (size_t i = 0; i < st->ninputs; i++) {
        const step_input *si = &st->inputs[i];
        const step_plan *up = &plans[si->step_index];
        if (si->is_job) {
            json_object_set_new(job_dirs, si->name, json_string(up->job_dir));
            continue;
        }
        char *dir;
        if (asprintf(&dir, "%s/ds/%s", up->job_dir, si->dataset) < 0)
            return -1;
        if (!fs_exists(dir)) {
            snprintf(err, errlen, "input '%s': job %s (step %s) has no dataset '%s'",
                     si->name, up->job_id, si->step, si->dataset);
            free(dir);
            return -1;
        }
        json_object_set_new(ds_dirs, si->name, json_string(dir));
        free(dir);
    }
    return 0;
}

/* The job the index names for this identity, if it is intact and made
 * from the inputs this run uses (job_check.h); when it exists but is not,
 * pl->rebuilt says why. */
static bool
reusable(workdir *w, step_plan *pl, json_t *input_jobs)
{
    char *id = workdir_lookup(w, pl->identity);
    if (!id)
        return false;
    char *dir = workdir_job_dir(w, id);
    json_t *j = job_record_load(dir);
    pl->rebuilt = job_reuse_refusal(dir, j, pl->identity, input_jobs);
    if (!pl->rebuilt) {
        pl->job_id = id;
        pl->job_dir = dir;
        pl->output = job_record_output(dir, j);
        pl->skipped = job_record_count(j, "skipped");
        json_decref(j);
        return true;
    }
    json_decref(j);
    free(id);
    free(dir);
    return false;
}

/* The identity record of the job this step last ran as, for "why". */
static json_t *
previous_record(workdir *w, const char *stepname)
{
    char *id = workdir_step_job(w, stepname);
    if (!id)
        return NULL;
    char *dir = workdir_job_dir(w, id);
    json_t *j = job_record_load(dir);
    json_t *rec = json_incref(json_object_get(j, "identity_record"));
    json_decref(j);
    free(dir);
    free(id);
    return rec;
}

/* Why the step is built, for job.json: the reason its job could not be
 * reused, else how its identity differs from the step's last job. */
static json_t *
why_built(workdir *w, const step *st, const step_plan *pl, json_t *record)
{
    if (pl->rebuilt) {
        fprintf(stderr, "axle: %s: rebuilt: %s\n", st->name, pl->rebuilt);
        return json_pack("[s+]", "rebuilt: ", pl->rebuilt);
    }
    json_t *before = previous_record(w, st->name);
    json_t *why = identity_explain(before, record);
    json_decref(before);
    return why;
}

/* A base the step could have built on but refused (damaged, say): named
 * on stderr, first in why_built and on the step's line (pl->chained), as
 * the cold build's reason. */
static void
say_refused_base(const char *stepname, const chain_plan *cp, step_plan *pl, json_t *why)
{
    char *text = chain_refusal_text(cp);
    if (!text)
        return;
    fprintf(stderr, "axle: %s: %s\n", stepname, text);
    json_array_insert_new(why, 0, json_string(text));
    free(pl->chained);
    pl->chained = text;
}

/* WORKDIR/latest/STEP names the step's newest complete job; a link that
 * cannot be made is said, never fatal. */
static void
link_latest(workdir *w, const char *stepname, const char *job_id)
{
    if (workdir_link_latest(w, stepname, job_id) < 0)
        fprintf(stderr, "axle: warning: cannot link %s/latest/%s to %s: %s\n", w->path,
                stepname, job_id, strerror(errno));
}

/* --mpi and this is rank 0: jobs share their slices with the other ranks. */
static bool run_mpi;

static int
build_step(const pipeline *p, workdir *w, size_t idx, step_plan *plans,
           json_t *record, json_t *input_jobs, run_status *rs)
{
    const step *st = &p->steps[idx];
    step_plan *pl = &plans[idx];
    double t0 = clock_now();
    json_t *why = why_built(w, st, pl, record);
    pl->job_id = workdir_new_job(w, &pl->job_dir);
    if (!pl->job_id) {
        diag_error(NULL, 0, 0, "cannot create a job folder in %s: %s", w->path,
                   strerror(errno));
        pl->state = "failed";
        json_decref(why);
        return EXIT_JOB_FAILED;
    }
    json_t *ds_dirs = json_object(), *job_dirs = json_object();
    char err[1024];
    job_outcome out = {0};
    job_spec spec = {pl->m, st->name, pl->job_id, pl->job_dir, w->slices,
                     pl->options, p->dir, ds_dirs, job_dirs, pl->identity, idx + 1,
                     p->nsteps, rs, NULL, NULL, NULL, NULL, NULL};
    if (run_mpi)
        spec.remote = mpi_run_remote(&spec);
    char recipe[DIGEST_HEX_LEN];
    identity_recipe(record, recipe);
    spec.recipe = recipe;
    spec.file_facts = identity_file_facts(record); /* diff: the files as hashed */
    chain_plan cp = {0};
    json_t *delta = NULL;
    if (bind_inputs(st, plans, ds_dirs, job_dirs, err, sizeof err) < 0) {
        snprintf(out.message, sizeof out.message, "job %s (step %s): %s",
                 pl->job_id, st->name, err);
    } else {
        chain_plan_find(w, st->name, pl->m, record, ds_dirs, json_object_size(job_dirs) > 0,
                        &cp);
        say_refused_base(st->name, &cp, pl, why);
        spec.chain_base = cp.base_dir;
        spec.chain_inputs = cp.inputs;
        reuse_early_settle(); /* no thread of ours across the fork */
        dispatch_run(&spec, &out);
    }
    if (out.ok && (delta = chain_delta(pl->job_dir, &cp, ds_dirs)) != NULL &&
        (pl->chained = chain_delta_text(delta)) != NULL) {
        /* built on the base: what changed since is the whole story */
        json_decref(why);
        why = json_pack("[s]", pl->chained);
    }
    chain_plan_free(&cp);
    json_decref(spec.file_facts);
    pl->seconds = clock_now() - t0;
    json_t *j = job_record_write(&spec, pl->identity, record, why, input_jobs,
                                 &out, pl->seconds);
    if (j && delta) {
        char path[4096];
        snprintf(path, sizeof path, "%s/job.json", pl->job_dir);
        json_object_set(j, "chain", delta);
        if (fs_write_json(path, j) < 0) {
            json_decref(j);
            j = NULL;
        }
    }
    json_decref(delta);
    pl->state = out.ok ? "built" : "failed";
    if (out.ok && (!j || workdir_index(w, pl->identity, pl->job_id) < 0)) {
        snprintf(out.message, sizeof out.message,
                 "job %s (step %s): cannot record the finished job: %s",
                 pl->job_id, st->name, strerror(errno));
        out.ok = false;
        pl->state = "failed";
    }
    if (j) {
        pl->output = job_record_output(pl->job_dir, j);
        pl->skipped = job_record_count(j, "skipped");
    }
    workdir_set_step_job(w, st->name, pl->job_id);
    if (out.ok)
        link_latest(w, st->name, pl->job_id);
    json_decref(j);
    json_decref(why);
    json_decref(ds_dirs);
    json_decref(job_dirs);
    if (!out.ok) {
        diag_error(NULL, 0, 0, "%s", out.message);
        return out.interrupted ? EXIT_INTERRUPTED : EXIT_JOB_FAILED;
    }
    return 0;
}

static int
run_step(const pipeline *p, workdir *w, size_t idx, step_plan *plans,
         run_status *rs)
{
    const step *st = &p->steps[idx];
    step_plan *pl = &plans[idx];
    double t0 = clock_now();
    json_t *ident = json_object(), *input_jobs = json_object();
    for (size_t i = 0; i < st->ninputs; i++) {
        const step_input *si = &st->inputs[i];
        json_object_set_new(ident, si->name,
                            json_pack("{s:s, s:s}", "identity",
                                      plans[si->step_index].identity, "dataset",
                                      si->is_job ? "" : si->dataset));
        json_object_set_new(input_jobs, si->name,
                            json_string(plans[si->step_index].job_id));
    }
    json_t *record = identity_record(pl->m, pl->options, ident, w->slices);
    json_decref(ident);
    identity_digest(record, pl->identity);
    int rc = 0;
    if (reusable(w, pl, input_jobs)) {
        pl->state = "reused";
        pl->seconds = clock_now() - t0;
        workdir_set_step_job(w, st->name, pl->job_id);
        link_latest(w, st->name, pl->job_id);
    } else {
        rc = build_step(p, w, idx, plans, record, input_jobs, rs);
    }
    identity_forget_files(record); /* diff: the step is done with them */
    json_decref(record);
    json_decref(input_jobs);
    return rc;
}

/* Column widths for the step lines, fixed before the first step ends:
 * the step names are known, and a job id is the workdir's name and a
 * number no longer than the highest this run can give (jobs reused have
 * lower numbers).  A counter that cannot be read only costs alignment. */
typedef struct line_widths {
    int name, id;
} line_widths;

static line_widths
plan_widths(const pipeline *p, const workdir *w)
{
    line_widths lw = {4, 6};
    for (size_t i = 0; i < p->nsteps; i++) {
        int n = (int)strlen(p->steps[i].name);
        lw.name = n > lw.name ? n : lw.name;
    }
    char *counter, text[64];
    long next = 1;
    if (asprintf(&counter, "%s/.next", w->path) >= 0) {
        /* the workdir checks the counter; a bad one costs only alignment */
        long n = fs_read_text(counter, text, sizeof text) ? strtol(text, NULL, 10) : 0;
        next = n > 0 && n <= WORKDIR_JOB_MAX ? n : 1;
        free(counter);
    }
    char highest[32];
    int digits = snprintf(highest, sizeof highest, "%ld", next + (long)p->nsteps - 1);
    int id = (int)strlen(w->name) + 1 + digits;
    lw.id = id > lw.id ? id : lw.id;
    return lw;
}

/* One step's line on stdout, at once: a pipe or file gets it now, not
 * when the run ends. */
static void
print_line(const step *st, const step_plan *pl, line_widths lw)
{
    printf("%-*s  %-*s  %-7s  %7.2fs  %s", lw.name, st->name, lw.id,
           pl->job_id ? pl->job_id : "-", pl->state, pl->seconds,
           pl->output ? pl->output : "");
    /* A job that could not be reused says why at the end of its line. */
    if (pl->rebuilt && strcmp(pl->state, "built") == 0)
        printf("  (rebuilt: %s)", pl->rebuilt);
    else if (pl->chained && strcmp(pl->state, "built") == 0)
        printf("  (%s)", pl->chained);
    putchar('\n');
    fflush(stdout);
}

static void
print_summary(const pipeline *p, const step_plan *plans)
{
    size_t built = 0, reused = 0, skipped = 0, failed = 0, skipjobs = 0;
    const char *skipped_where = NULL;
    for (size_t i = 0; i < p->nsteps; i++) {
        const step_plan *pl = &plans[i];
        built += strcmp(pl->state, "built") == 0;
        reused += strcmp(pl->state, "reused") == 0;
        failed += strcmp(pl->state, "failed") == 0;
        if (pl->skipped) {
            skipped += pl->skipped;
            skipped_where = pl->job_dir;
            skipjobs++;
        }
    }
    printf("%zu jobs: %zu built, %zu reused", p->nsteps, built, reused);
    if (failed)
        printf(", %zu failed", failed);
    if (skipped == 0)
        printf("; no items skipped\n");
    else if (skipjobs == 1)
        printf("; %zu item%s skipped, listed in %s/skipped.json\n", skipped, skipped == 1 ? "" : "s",
               skipped_where);
    else
        printf("; %zu items skipped, listed in the skipped.json of %zu jobs "
               "(axle job STEP shows them)\n", skipped, skipjobs);
}

/* What the history keeps of the run's start: the pipeline file, its
 * SHA-256 (null for a pipe, which cannot be read twice), the params given
 * on the command line, the steps. */
static json_t *
start_fields(const pipeline *p, int noverrides, char **overrides)
{
    char *path = fs_absolute(p->file, NULL);
    char why[256], hex[DIGEST_HEX_LEN];
    int fd = fs_open_file(p->file, false, why, sizeof why);
    bool digested = fd >= 0 && digest_fd(fd, hex) == 0;
    if (fd >= 0)
        close(fd);
    json_t *params = json_object(), *steps = json_array();
    for (int i = 0; i < noverrides; i++) {
        const char *eq = strchr(overrides[i], '=');
        char *name = strndup(overrides[i], (size_t)(eq - overrides[i]));
        json_object_set_new(params, name, json_string(eq + 1));
        free(name);
    }
    for (size_t i = 0; i < p->nsteps; i++)
        json_array_append_new(steps, json_string(p->steps[i].name));
    json_t *f = json_pack("{s:s, s:s?, s:o, s:o}", "pipeline", path, "digest",
                          digested ? hex : NULL, "params", params, "steps", steps);
    free(path);
    return f;
}

/* Runs the steps in order, each line printed and recorded as it ends, then
 * the lines of the steps that did not run and the summary. */
static int
run_steps(const pipeline *p, workdir *w, step_plan *plans, long run,
          run_status *rs)
{
    line_widths lw = plan_widths(p, w);
    int rc = 0;
    size_t i = 0;
    for (; i < p->nsteps && rc == 0; i++) {
        if (dispatch_interrupted()) {
            rc = EXIT_INTERRUPTED;
            break;
        }
        run_status_step_begin(rs, i);
        rc = run_step(p, w, i, plans, rs);
        print_line(&p->steps[i], &plans[i], lw);
        run_log_step(w->path, run, p->steps[i].name, plans[i].job_id,
                     plans[i].state, plans[i].seconds);
        run_status_step_end(rs, i, plans[i].state, plans[i].job_id, plans[i].seconds);
        dispatch_answer_status(rs);
        run_status_tick(rs);
    }
    for (; i < p->nsteps; i++)
        print_line(&p->steps[i], &plans[i], lw);
    if (rc == 0 && dispatch_interrupted())
        rc = EXIT_INTERRUPTED;
    print_summary(p, plans);
    fflush(stdout);
    return rc;
}

static void
free_plans(step_plan *plans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(plans[i].options);
        free(plans[i].job_id);
        free(plans[i].job_dir);
        free(plans[i].output);
        free(plans[i].rebuilt);
        free(plans[i].chained);
    }
    free(plans);
}

static int
parse_run_args(int argc, char **argv, const char **file, int *slices,
               char **overrides, int *noverrides, bool *mpi)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(run_usage, stdout);
            exit(0);
        } else if (strcmp(a, "--mpi") == 0) {
            *mpi = true;
        } else if (strcmp(a, "--slices") == 0 || strncmp(a, "--slices=", 9) == 0) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            char *end;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || n < 1 || n > 1024) {
                diag_error(NULL, 0, 0, "--slices wants a number from 1 to 1024, got '%s'",
                           v ? v : "");
                return -1;
            }
            *slices = (int)n;
        } else if (a[0] == '-' && a[1]) {
            diag_error(NULL, 0, 0, "unknown option '%s' for run (see axle run --help)", a);
            return -1;
        } else if (!*file) {
            *file = a;
        } else if (strchr(a, '=')) {
            overrides[(*noverrides)++] = argv[i];
        } else {
            diag_error(NULL, 0, 0,
                       "unexpected argument '%s': params are given as NAME=VALUE", a);
            return -1;
        }
    }
    if (!*file) {
        fputs(run_usage, stderr);
        return -1;
    }
    return 0;
}

static int run_file(const char *file, int slices, char **overrides, int noverrides);

int
cli_run(int argc, char **argv)
{
    dispatch_install_status_signal(); /* asking early must not kill us */
    const char *file = NULL;
    int slices = 0, noverrides = 0, rank = 0;
    bool mpi = false;
    char **overrides = calloc((size_t)argc + 1, sizeof *overrides);
    if (parse_run_args(argc, argv, &file, &slices, overrides, &noverrides, &mpi) < 0) {
        free(overrides);
        return EXIT_LOAD;
    }
    if (mpi && mpi_run_begin(NULL, NULL, &rank) < 0) {
        free(overrides);
        return EXIT_LOAD;
    }
    if (rank > 0) { /* not the core: the slices rank 0 sends */
        free(overrides);
        return mpi_run_serve();
    }
    run_mpi = mpi;
    int rc = run_file(file, slices, overrides, noverrides);
    if (mpi)
        mpi_run_end(rc);
    return rc;
}

/* Loads, checks and runs the pipeline FILE; frees overrides. */
static int
run_file(const char *file, int slices, char **overrides, int noverrides)
{
    char *found = pipeline_find(file); /* a path, or a bare name: thumbnails */
    pipeline *p = found ? pipeline_load(found, noverrides, overrides) : NULL;
    free(found);
    if (!p) {
        free(overrides);
        return EXIT_LOAD;
    }
    step_plan *plans = calloc(p->nsteps + 1, sizeof *plans);
    if (plan_steps(p, plans) > 0) {
        free(overrides);
        free_plans(plans, p->nsteps);
        pipeline_free(p);
        return EXIT_LOAD;
    }
    char err[512];
    if (!libaxle_sha256(NULL, err, sizeof err)) {
        /* Every identity covers libaxle's bytes: without them no job could
         * be told apart from one a different decoder made. */
        diag_error(NULL, 0, 0, "%s", err);
        free(overrides);
        free_plans(plans, p->nsteps);
        pipeline_free(p);
        return EXIT_LOAD;
    }
    dispatch_install_signals();
    workdir *w = workdir_open(p->workdir, slices ? slices : p->slices);
    if (!w) {
        free(overrides);
        free_plans(plans, p->nsteps);
        pipeline_free(p);
        return dispatch_interrupted() ? EXIT_INTERRUPTED : EXIT_LOAD;
    }
    stat_batch_set_threads(w->slices); /* the reuse checks' stats (noop2) */
    double t0 = clock_now();
    json_t *fields = start_fields(p, noverrides, overrides);
    free(overrides);
    long run = run_log_begin(w->path, json_incref(fields));
    const char **names = calloc(p->nsteps + 1, sizeof *names);
    for (size_t i = 0; i < p->nsteps; i++)
        names[i] = p->steps[i].name;
    run_status rs;
    run_status_begin(&rs, w->path, json_string_value(json_object_get(fields, "pipeline")),
                     run, names, p->nsteps);
    json_decref(fields);
    char (*recipes)[DIGEST_HEX_LEN] = calloc(p->nsteps + 1, sizeof *recipes);
    for (size_t i = 0; recipes && i < p->nsteps; i++)
        identity_recipe_of(plans[i].m, plans[i].options, w->slices, recipes[i]);
    if (recipes) /* later steps' checks beside the first identities */
        reuse_early_start(w, p, recipes);
    free(recipes);
    int rc = run_steps(p, w, plans, run, &rs);
    reuse_early_forget();
    workdir_save_steps(w);
    run_log_end(w->path, run, rc, clock_now() - t0);
    run_status_end(&rs);
    free(names);
    free_plans(plans, p->nsteps);
    workdir_close(w);
    pipeline_free(p);
    return rc;
}
