/* cli_gc.c - `axle gc [--keep N] [--dry-run] [--workdir DIR | -p FILE]`:
 * removes the job folders the newest N runs do not need.
 *
 * Kept: every complete job of the newest N runs (WORKDIR/runs.jsonl; a
 * workdir without that history has only its latest run, steps.json, so
 * --keep above 1 needs the history), and, transitively, every job a kept
 * job links to or read: its input jobs (job.json "inputs" and the
 * manifest's "input_jobs") and the jobs holding files in its manifest
 * (parent and previous datasets).  Everything else that is a job folder
 * goes: failed and interrupted jobs, folders a cut-off run left without
 * job.json, older jobs.  Then the index entries, latest/ links and
 * steps.json entries naming removed jobs go too, so the next run
 * rebuilds them instead of finding them dangling.  It holds the
 * workdir's lock throughout, so no run is under way. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "cli.h"
#include "diag.h"
#include "fsutil.h"
#include "job_record.h"
#include "ref.h"
#include "workdir.h"

#define GC_TRASH_PREFIX ".gc-"

static const char gc_usage[] =
    "usage: axle gc [--keep N] [--dry-run] [--workdir DIR | -p FILE]\n"
    "\n"
    "Removes failed and interrupted job folders and every job the newest N\n"
    "runs do not need (default 1), never a job a kept job links to or read.\n"
    "Index entries and latest/ links of removed jobs go too; the next run\n"
    "reuses what was kept and builds again what was removed.\n"
    "\n"
    "  --keep N      keep what the newest N runs need (N > 1 needs the run\n"
    "                history, WORKDIR/runs.jsonl)\n"
    "  --dry-run     list what would go and the bytes it would free; change nothing\n"
    "  --workdir DIR the workdir (default: ./axle-work)\n"
    "  -p FILE       the workdir of pipeline FILE\n";

/* ---- arguments ---- */

struct gc_args {
    long keep;
    bool dry_run;
};

/* 0 ok, 1 --help shown, 2 usage error (printed). */
static int
parse_args(int argc, char **argv, struct gc_args *a)
{
    a->keep = 1;
    a->dry_run = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(gc_usage, stdout);
            return 1;
        } else if (strcmp(s, "--dry-run") == 0 || strcmp(s, "-n") == 0) {
            a->dry_run = true;
        } else if (strcmp(s, "--keep") == 0 || strncmp(s, "--keep=", 7) == 0) {
            const char *v = s[6] == '=' ? s + 7 : (i + 1 < argc ? argv[++i] : NULL);
            char *end;
            errno = 0;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || errno || n < 1 || n > 1000000) {
                diag_error(NULL, 0, 0, "gc: --keep wants a number of runs from 1, got '%s'",
                           v ? v : "");
                return 2;
            }
            a->keep = n;
        } else {
            diag_error(NULL, 0, 0, "gc: unexpected argument '%s' (see axle gc --help)", s);
            return 2;
        }
    }
    return 0;
}

/* ---- which jobs the newest runs used ---- */

/* Adds the job ids a runs.jsonl record names: "job" of a step record and
 * "job" of each element of "steps". */
static void
add_record_jobs(json_t *rec, json_t *jobs)
{
    const char *id = json_string_value(json_object_get(rec, "job"));
    if (id)
        json_object_set_new(jobs, id, json_true());
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(rec, "steps"), i, s) {
        id = json_string_value(json_object_get(s, "job"));
        if (id)
            json_object_set_new(jobs, id, json_true());
    }
}

/* The jobs of the newest `keep` runs in WORKDIR/runs.jsonl, by run number;
 * NULL when there is no history.  A line that is not a record is passed
 * over: the history is for reading, gc only needs its job ids. */
static json_t *
jobs_of_history(const workdir *w, long keep, long *runs_found)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/runs.jsonl", w->path);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    json_t *byrun = json_object(); /* "N" -> {job ids} */
    json_int_t *numbers = NULL;
    size_t nnum = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *rec = json_loads(line, 0, NULL);
        json_t *run = json_object_get(rec, "run");
        if (json_is_integer(run)) {
            char key[32];
            snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(run));
            json_t *jobs = json_object_get(byrun, key);
            if (!jobs) {
                jobs = json_object();
                json_object_set_new(byrun, key, jobs);
                json_int_t *more = realloc(numbers, (nnum + 1) * sizeof *numbers);
                if (more) {
                    numbers = more;
                    numbers[nnum++] = json_integer_value(run);
                }
            }
            add_record_jobs(rec, jobs);
        }
        json_decref(rec);
    }
    free(line);
    fclose(f);
    /* the newest `keep` run numbers: a selection, runs are few */
    json_t *out = json_object();
    *runs_found = (long)nnum;
    for (long k = 0; k < keep && nnum > 0; k++) {
        size_t best = 0;
        for (size_t i = 1; i < nnum; i++)
            if (numbers[i] > numbers[best])
                best = i;
        char key[32];
        snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, numbers[best]);
        json_object_update(out, json_object_get(byrun, key));
        numbers[best] = numbers[--nnum];
    }
    free(numbers);
    json_decref(byrun);
    return out;
}

/* The jobs of the latest run as steps.json records it. */
static json_t *
jobs_of_steps(const workdir *w)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/steps.json", w->path);
    json_t *steps = fs_read_json(path), *out = json_object(), *id;
    const char *step;
    json_object_foreach(steps, step, id)
        if (json_string_value(id))
            json_object_set_new(out, json_string_value(id), json_true());
    json_decref(steps);
    return out;
}

/* ---- what a kept job needs ---- */

/* "NAME-N": a job folder's name.  NAME is the workdir's name when the job
 * was made, so a workdir moved or renamed since holds jobs of another
 * NAME too; the workdir is axle's, so any such folder is a job's. */
static bool
is_job_name(const workdir *w, const char *name)
{
    (void)w;
    const char *dash = strrchr(name, '-');
    return dash && dash > name && name[0] != '.' && dash[1] &&
           strspn(dash + 1, "0123456789") == strlen(dash + 1);
}

/* The job id a path names: "../ID/..." relative to a job folder, or an
 * absolute path into this workdir. */
static void
add_job_of_path(const workdir *w, const char *path, json_t *out)
{
    const char *rest = NULL;
    size_t wl = strlen(w->path);
    if (strncmp(path, "../", 3) == 0)
        rest = path + 3;
    else if (strncmp(path, w->path, wl) == 0 && path[wl] == '/')
        rest = path + wl + 1;
    if (!rest)
        return;
    char id[256];
    size_t n = strcspn(rest, "/");
    if (n == 0 || n >= sizeof id)
        return;
    memcpy(id, rest, n);
    id[n] = '\0';
    if (is_job_name(w, id))
        json_object_set_new(out, id, json_true());
}

/* The jobs job.json says this job read or links to. */
static void
add_needs(const workdir *w, json_t *job, json_t *out)
{
    const char *name;
    json_t *v;
    json_t *manifest = json_object_get(job, "manifest");
    json_object_foreach(json_object_get(manifest, "input_jobs"), name, v)
        if (json_string_value(v) && is_job_name(w, json_string_value(v)))
            json_object_set_new(out, json_string_value(v), json_true());
    json_object_foreach(json_object_get(job, "inputs"), name, v)
        if (json_string_value(v))
            add_job_of_path(w, json_string_value(v), out);
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(manifest, "links"), i, entry)
        if (json_string_value(entry) && is_job_name(w, json_string_value(entry)))
            json_object_set_new(out, json_string_value(entry), json_true());
    /* a job made before manifest.txt lists its files in job.json */
    json_array_foreach(json_object_get(manifest, "files"), i, entry)
        if (json_string_value(json_array_get(entry, 0)))
            add_job_of_path(w, json_string_value(json_array_get(entry, 0)), out);
}

static const char *
status_of(json_t *job)
{
    const char *s = json_string_value(json_object_get(job, "status"));
    return job ? (s ? s : "unknown") : "cut off";
}

/* Every complete job of `roots` and, transitively, what each needs. */
static json_t *
kept_jobs(const workdir *w, json_t *roots)
{
    json_t *kept = json_object(), *todo = json_array();
    const char *id;
    json_t *v;
    json_object_foreach(roots, id, v)
        json_array_append_new(todo, json_string(id));
    while (json_array_size(todo) > 0) {
        size_t last = json_array_size(todo) - 1;
        char *cur = strdup(json_string_value(json_array_get(todo, last)));
        json_array_remove(todo, last);
        if (!cur || json_object_get(kept, cur) || !is_job_name(w, cur)) {
            free(cur);
            continue;
        }
        char *dir = workdir_job_dir(w, cur);
        json_t *job = job_record_load(dir);
        free(dir);
        /* a failed job is never reused: a run keeps nothing of it */
        if (strcmp(status_of(job), "complete") == 0) {
            json_object_set_new(kept, cur, json_true());
            json_t *needs = json_object();
            add_needs(w, job, needs);
            json_object_foreach(needs, id, v)
                if (!json_object_get(kept, id))
                    json_array_append_new(todo, json_string(id));
            json_decref(needs);
        }
        json_decref(job);
        free(cur);
    }
    json_decref(todo);
    return kept;
}

/* ---- sizes and removal ---- */

static unsigned long long tree_bytes;

static int
count_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (type == FTW_F)
        tree_bytes += (unsigned long long)st->st_size;
    return 0;
}

/* Bytes of the regular files below `dir` (links not followed). */
static unsigned long long
folder_bytes(const char *dir)
{
    tree_bytes = 0;
    nftw(dir, count_file, 16, FTW_PHYS);
    return tree_bytes;
}

static void
human(unsigned long long b, char *out, size_t size)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* Moves the folder aside first (one rename: the job is gone at once), then
 * deletes it; a gc cut off leaves a .gc-* folder the next one removes. */
static int
remove_job(const workdir *w, const char *name)
{
    char *dir = workdir_job_dir(w, name), *trash = NULL;
    int rc = -1;
    if (dir && strncmp(name, GC_TRASH_PREFIX, strlen(GC_TRASH_PREFIX)) == 0)
        rc = fs_remove_tree(dir);
    else if (dir && asprintf(&trash, "%s/" GC_TRASH_PREFIX "%s", w->path, name) >= 0 &&
             rename(dir, trash) == 0)
        rc = fs_remove_tree(trash);
    if (rc < 0)
        fprintf(stderr, "axle: gc: cannot remove %s: %s\n", dir ? dir : name,
                strerror(errno));
    free(dir);
    free(trash);
    return rc;
}

/* ---- the command ---- */

struct sweep {
    size_t jobs, failed;
    unsigned long long bytes;
    json_t *gone;
};

/* Lists (and unless dry_run removes) every job folder not kept. */
static int
sweep(const workdir *w, json_t *kept, bool dry_run, struct sweep *s)
{
    struct dirent **names = NULL;
    int n = scandir(w->path, &names, NULL, versionsort);
    int errors = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        bool trash = strncmp(name, GC_TRASH_PREFIX, strlen(GC_TRASH_PREFIX)) == 0;
        char *dir = workdir_job_dir(w, name);
        struct stat st;
        bool folder = dir && lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);
        if (folder && (trash || is_job_name(w, name)) && !json_object_get(kept, name)) {
            json_t *job = trash ? NULL : job_record_load(dir);
            const char *status = trash ? "left by gc" : status_of(job);
            const char *step = json_string_value(json_object_get(job, "step"));
            unsigned long long bytes = folder_bytes(dir);
            bool removed = dry_run || remove_job(w, name) == 0;
            if (removed) {
                printf("%s  %-16s  %-8s  %-11s  %llu bytes\n", dry_run ? "would remove" : "removed",
                       name, step ? step : "-", status, bytes);
                s->jobs++;
                s->bytes += bytes;
                s->failed += strcmp(status, "complete") != 0;
                json_object_set_new(s->gone, name, json_true());
            } else {
                errors++;
            }
            json_decref(job);
        }
        free(dir);
        free(names[i]);
    }
    free(names);
    return errors;
}

int
cli_gc(int argc, char **argv)
{
    char *wdpath = ref_workdir_from_args(&argc, argv);
    if (!wdpath)
        return 2;
    struct gc_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc) {
        free(wdpath);
        return prc == 1 ? 0 : 2;
    }
    workdir *probe = workdir_open_existing(wdpath);
    if (!probe) {
        diag_error(NULL, 0, 0, "gc: no workdir at %s (give --workdir DIR or -p FILE)", wdpath);
        free(wdpath);
        return 2;
    }
    workdir_close(probe);
    workdir *w = workdir_open(wdpath, 0); /* takes the lock: no run under way */
    free(wdpath);
    if (!w)
        return 2;
    long runs = 0;
    json_t *roots = jobs_of_history(w, a.keep, &runs);
    if (!roots && a.keep > 1) {
        diag_error(NULL, 0, 0, "gc: --keep %ld needs the run history %s/runs.jsonl, which "
                   "this workdir has not got; without it only the latest run is known "
                   "(--keep 1)", a.keep, w->path);
        workdir_close(w);
        return 2;
    }
    if (!roots)
        roots = jobs_of_steps(w);
    json_t *kept = kept_jobs(w, roots);
    struct sweep s = {0, 0, 0, json_object()};
    int errors = sweep(w, kept, a.dry_run, &s);
    size_t index = a.dry_run ? 0 : workdir_forget_jobs(w, s.gone);
    char hb[32];
    human(s.bytes, hb, sizeof hb);
    printf("%s %zu jobs (%zu failed, interrupted or cut off), %llu bytes (%s); "
           "kept %zu jobs",
           a.dry_run ? "would remove" : "removed", s.jobs, s.failed, s.bytes, hb,
           json_object_size(kept));
    if (!a.dry_run)
        printf("; %zu index entries removed", index);
    putchar('\n');
    json_decref(s.gone);
    json_decref(kept);
    json_decref(roots);
    workdir_close(w);
    return errors ? 1 : 0;
}
