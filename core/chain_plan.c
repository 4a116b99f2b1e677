/* chain_plan.c - choosing the job a step builds on, and saying what
 * changed since (chain_plan.h). */
#include "chain_plan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "identity.h"
#include "job_carried.h"
#include "job_check.h"
#include "job_record.h"
#include "manifest_file.h"



/* The canonical folder of a dataset's "previous", or NULL. */
static char *
previous_of(const char *dsdir)
{
    char *metapath = fs_absolute("meta.json", dsdir);
    json_t *meta = fs_read_json(metapath);
    free(metapath);
    const char *prev = json_string_value(json_object_get(meta, "previous"));
    char *abs = prev ? fs_absolute(prev, dsdir) : NULL;
    char *real = abs ? axle_internal_realpath(abs) : NULL;
    free(abs);
    json_decref(meta);
    return real;
}

/* Links from dsdir back to `older` (1: its previous), or -1 when older is
 * not in dsdir's chain within CHAIN_MAX_LINKS. */
static int
links_back(const char *dsdir, const char *older)
{
    char *want = axle_internal_realpath(older), *at = axle_internal_realpath(dsdir);
    int n = -1;
    for (int k = 1; want && at && k <= CHAIN_MAX_LINKS; k++) {
        char *prev = previous_of(at);
        free(at);
        at = prev;
        if (at && strcmp(at, want) == 0) {
            n = k;
            break;
        }
    }
    free(want);
    free(at);
    return n;
}

/* True when every dataset input holds the base's input in its chain. */
static bool
inputs_chain(json_t *ds_dirs, json_t *base_inputs, json_t *out)
{
    const char *name;
    json_t *v;
    json_object_foreach(ds_dirs, name, v) {
        const char *was = json_string_value(json_object_get(base_inputs, name));
        if (!was || links_back(json_string_value(v), was) < 1)
            return false;
        json_object_set_new(out, name, json_string(was));
    }
    return true;
}

/* The job folder holding dataset folder dsdir (JOBDIR/ds/NAME). */
static char *
job_of(const char *dsdir)
{
    char *p = axle_internal_realpath(dsdir);
    for (int up = 0; p && up < 2; up++) {
        char *slash = strrchr(p, '/');
        if (slash && slash != p)
            *slash = '\0';
    }
    return p;
}

/* ---- the base: the newest job, or at the chain's limit an older one ---- */

/* A job of the step's chain that the new job may build on. */
typedef struct candidate {
    char *dir;
    int links;      /* links of its dataset's chain (1: a root) */
    int64_t newer;  /* rows in the links of newer jobs of latest's chain */
} candidate;

/* Rows a link holds (its meta.json "rows", all slices). */
static int64_t
link_rows(const char *dsdir)
{
    char *metapath = fs_absolute("meta.json", dsdir);
    json_t *meta = fs_read_json(metapath);
    free(metapath);
    int64_t n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(meta, "rows"), i, v)
        n += json_integer_value(v);
    json_decref(meta);
    return n;
}

/* The jobs of `latest`'s dataset chain, newest first (latest itself
 * first; only latest when it has no dataset); their number. *stored: the
 * rows of every link. */
static int
chain_jobs(const char *latest, candidate c[CHAIN_MAX_LINKS + 1], int64_t *stored)
{
    char *ds = fs_absolute("ds/default", latest);
    char *at = fs_exists(ds) ? axle_internal_realpath(ds) : NULL;
    free(ds);
    int n = 0, depth = 0;
    *stored = 0;
    if (!at) {
        c[n++] = (candidate){strdup(latest), 1, 0};
        return n;
    }
    while (at && depth <= CHAIN_MAX_LINKS) {
        char *job = job_of(at);
        /* a cold job over a chain keeps several links: its newest counts */
        if (job && (n == 0 || strcmp(c[n - 1].dir, job) != 0) && n <= CHAIN_MAX_LINKS)
            c[n++] = (candidate){job, depth, *stored};
        else
            free(job);
        *stored += link_rows(at);
        depth++;
        char *prev = previous_of(at);
        free(at);
        at = prev;
    }
    free(at);
    for (int i = 0; i < n; i++)
        c[i].links = depth - c[i].links; /* from its own link down to the root */
    return n;
}

/* A job that gave its folder away (superseded.json) is a base when the job
 * holding that folder now passes the reuse check a base does: the new job
 * takes the folder from there (axle_chain_take_folder). */
static char *
superseded_refusal(const char *dir, json_t *j, char *moved)
{
    const char *status = json_string_value(json_object_get(j, "status"));
    json_int_t transient = json_integer_value(
        json_object_get(json_object_get(j, "skipped"), "transient"));
    if (!status || strcmp(status, "complete") != 0 || transient)
        return moved;
    char *holder = axle_internal_folder_holder(dir);
    json_t *hj = holder ? job_record_load(holder) : NULL;
    const char *identity = json_string_value(json_object_get(hj, "identity"));
    json_t *manifest = json_object_get(hj, "manifest");
    if (identity && json_is_object(manifest)) { /* else the folder is lost */
        free(moved);
        moved = job_reuse_refusal(holder, hj, identity,
                                  json_object_get(manifest, "input_jobs"));
    }
    json_decref(hj);
    free(holder);
    return moved;
}

static char *base_refusal(const char *dir, json_t *j, const char *newest);

/* One manifest entry of an older job of the chain: a file of the workdir
 * (relative: the job's own or a linked job's) must be as recorded; a file
 * outside it (an export's `dest`) is the newest job's now, checked there. */
static char *
workdir_entry(const char *path, long long size, long long mtime_ns, void *ctx)
{
    struct stat st;
    if (path[0] == '/')
        return NULL;
    if (fstatat(*(int *)ctx, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return refusal_reason("%s cannot be checked: %s", path, strerror(errno));
    if (st.st_size != size || (long long)st.st_mtim.tv_sec * 1000000000 +
                                  st.st_mtim.tv_nsec != mtime_ns)
        return refusal_reason("%s changed after the job finished", path);
    return NULL;
}

/* An older job of latest's chain (a compaction builds on it): complete, its
 * workdir files intact; what it wrote outside the workdir has been
 * rewritten since by the newer jobs, and the newest, which holds it now,
 * passes a base's check. */
static char *
older_refusal(const char *dir, json_t *j, const char *newest)
{
    const char *slash = strrchr(dir, '/'), *id = slash ? slash + 1 : dir;
    const char *status = json_string_value(json_object_get(j, "status"));
    json_t *manifest = json_object_get(j, "manifest");
    if (!status || strcmp(status, "complete") != 0 ||
        json_integer_value(json_object_get(json_object_get(j, "skipped"), "transient")) ||
        !json_string_value(json_object_get(manifest, "sha256")))
        return refusal_reason("%s is not a complete job with a manifest", id);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return refusal_reason("%s cannot be checked: %s", id, strerror(errno));
    char *r = manifest_check(dir, id, json_string_value(json_object_get(manifest, "sha256")),
                             (size_t)json_integer_value(json_object_get(manifest, "entries")),
                             workdir_entry, &fd);
    close(fd);
    json_t *nj = r ? NULL : job_record_load(newest);
    if (!r)
        r = nj ? base_refusal(newest, nj, NULL) : refusal_reason("%s is gone", newest);
    json_decref(nj);
    return r;
}

/* Why job `dir` cannot be built on (malloc'd), or NULL.  `newest`: the
 * chain's newest job when dir is an older one, else NULL. */
static char *
base_refusal(const char *dir, json_t *j, const char *newest)
{
    json_t *manifest = json_object_get(j, "manifest");
    const char *identity = json_string_value(json_object_get(j, "identity"));
    if (!identity || !json_is_object(manifest))
        return strdup("not a complete job");
    const char *slash = strrchr(dir, '/');
    char *moved = job_carried_refusal(dir, slash ? slash + 1 : dir);
    if (moved)
        return superseded_refusal(dir, j, moved);
    if (newest)
        return older_refusal(dir, j, newest);
    return job_reuse_refusal(dir, j, identity, json_object_get(manifest, "input_jobs"));
}

enum fit { NO_MATCH, REFUSED, USABLE };

/* Whether job `dir` is a base for the new job: same recipe and every
 * dataset input holds what it read (the datasets it read into `out`),
 * and then whether it is intact. */
static enum fit
fit(const char *dir, const char *newest, const char *recipe, json_t *ds_dirs, json_t *out,
    char **refusal)
{
    json_t *j = job_record_load(dir);
    char fb[DIGEST_HEX_LEN] = "";
    if (j)
        identity_recipe(json_object_get(j, "identity_record"), fb);
    enum fit f = j && strcmp(recipe, fb) == 0 &&
                 inputs_chain(ds_dirs, json_object_get(j, "inputs"), out) ? USABLE : NO_MATCH;
    char *refused = f == USABLE ? base_refusal(dir, j, newest) : NULL;
    if (refused) {
        /* said with the cold build: damage found here is never silent */
        const char *slash = strrchr(dir, '/');
        if (asprintf(refusal, "%s: %s", slash ? slash + 1 : dir, refused) < 0)
            *refusal = NULL;
        f = REFUSED;
    }
    free(refused);
    json_decref(j);
    return f;
}

/* Compaction, for a step that reads no dataset (the import: it decides for
 * the steps after it, which follow its chain).  Building on candidate k
 * re-processes the rows of the newer links plus the run's own change
 * (estimated as the newest link's rows) and leaves a chain of links+1,
 * good for CHAIN_MAX_LINKS - links runs before the next compaction; a cold
 * build processes every row and is good for CHAIN_MAX_LINKS runs.  The
 * choice with the least cost per run wins (the shortest chain on a tie),
 * and no base whose newer links hold more than half the chain's rows: a
 * link that large leaves as many dead rows behind.  -1: build cold. */
static int
compaction_choice(const candidate *c, int n, int64_t stored)
{
    int64_t change = n > 1 ? c[1].newer : 0;
    double best = (double)stored / CHAIN_MAX_LINKS;
    int pick = -1;
    for (int k = 1; k < n; k++) {
        if (c[k].links >= CHAIN_MAX_LINKS || 2 * c[k].newer > stored)
            continue;
        double per_run = (double)(c[k].newer + change) / (CHAIN_MAX_LINKS - c[k].links);
        if (per_run <= best) {
            best = per_run;
            pick = k;
        }
    }
    return pick;
}

void
chain_plan_find(workdir *w, const char *step, const method *m, json_t *record,
                json_t *ds_dirs, bool has_job_inputs, chain_plan *cp)
{
    memset(cp, 0, sizeof *cp);
    if (!m->row_wise || has_job_inputs)
        return;
    char *id = workdir_latest_job(w, step);
    char *dir = id ? workdir_job_dir(w, id) : NULL;
    free(id);
    if (!dir)
        return;
    char recipe[DIGEST_HEX_LEN];
    identity_recipe(record, recipe);
    candidate c[CHAIN_MAX_LINKS + 1];
    int64_t stored;
    int n = chain_jobs(dir, c, &stored), pick = -1;
    free(dir);
    json_t *inputs = json_object();
    if (json_object_size(ds_dirs) == 0) {
        /* the newest job; at the limit the compaction's choice */
        pick = c[0].links < CHAIN_MAX_LINKS ? 0 : compaction_choice(c, n, stored);
        const char *newest = pick > 0 ? c[0].dir : NULL;
        if (pick >= 0 &&
            fit(c[pick].dir, newest, recipe, ds_dirs, inputs, &cp->refused) != USABLE)
            pick = -1;
    } else {
        /* the newest job whose input the new input's chain holds: after
         * the import was compacted, the job that read its new base.  One
         * that matches but is refused ends the search: cold is right, and
         * older ones would check the same folder again. */
        for (int k = 0; k < n && pick < 0; k++) {
            const char *newest = k > 0 ? c[0].dir : NULL;
            enum fit f = c[k].links < CHAIN_MAX_LINKS
                             ? fit(c[k].dir, newest, recipe, ds_dirs, inputs, &cp->refused)
                             : NO_MATCH;
            if (f == REFUSED)
                break;
            if (f == USABLE)
                pick = k;
            else
                json_object_clear(inputs);
        }
    }
    if (pick >= 0) {
        const char *slash = strrchr(c[pick].dir, '/');
        cp->base_id = strdup(slash ? slash + 1 : c[pick].dir);
        cp->base_dir = c[pick].dir;
        c[pick].dir = NULL;
        cp->inputs = inputs;
        inputs = NULL;
    }
    for (int k = 0; k < n; k++)
        free(c[k].dir);
    json_decref(inputs);
}

static void
add_names(json_t *names, json_t *more)
{
    size_t i;
    json_t *v;
    json_array_foreach(more, i, v) {
        if (json_array_size(names) >= CHAIN_NAMES_SHOWN)
            break;
        json_array_append(names, v);
    }
}

/* The delta of a job that mirrored its input's newer links: the sum of
 * those links' jobs' deltas. */
static json_t *
sum_input_deltas(const chain_plan *cp, json_t *ds_dirs)
{
    json_int_t added = 0, changed = 0, removed = 0;
    json_t *names = json_array();
    const char *name;
    json_t *v;
    json_object_foreach(ds_dirs, name, v) {
        const char *stop = json_string_value(json_object_get(cp->inputs, name));
        char *want = stop ? axle_internal_realpath(stop) : NULL;
        char *at = axle_internal_realpath(json_string_value(v));
        for (int k = 0; at && want && strcmp(at, want) != 0 && k < CHAIN_MAX_LINKS; k++) {
            char *jobdir = job_of(at);
            char *path = jobdir ? fs_absolute("delta.json", jobdir) : NULL;
            json_t *d = path ? fs_read_json(path) : NULL;
            added += json_integer_value(json_object_get(d, "added"));
            changed += json_integer_value(json_object_get(d, "changed"));
            removed += json_integer_value(json_object_get(d, "removed"));
            add_names(names, json_object_get(d, "names"));
            json_decref(d);
            free(path);
            free(jobdir);
            char *prev = previous_of(at);
            free(at);
            at = prev;
        }
        free(at);
        free(want);
    }
    return json_pack("{s:s, s:I, s:I, s:I, s:o}", "base", cp->base_id, "added", added,
                     "changed", changed, "removed", removed, "names", names);
}

json_t *
chain_delta(const char *jobdir, const chain_plan *cp, json_t *ds_dirs)
{
    if (!cp->base_id)
        return NULL;
    /* built on the base: its dataset chains to one of the base's (a cold
     * job over a chain of several links chains its own links) */
    char *own = fs_absolute("ds/default", jobdir);
    char *prev = previous_of(own);
    char *base = axle_internal_realpath(cp->base_dir);
    size_t bl = base ? strlen(base) : 0;
    bool on_base = prev && base && strncmp(prev, base, bl) == 0 && prev[bl] == '/';
    free(own);
    free(prev);
    free(base);
    if (!on_base)
        return NULL; /* built cold after all */
    char *path = fs_absolute("delta.json", jobdir);
    json_t *d = fs_read_json(path); /* import's own */
    if (!d && (d = sum_input_deltas(cp, ds_dirs)) != NULL)
        fs_write_json(path, d);
    free(path);
    if (d)
        json_object_set_new(d, "base", json_string(cp->base_id));
    return d;
}

char *
chain_refusal_text(const chain_plan *cp)
{
    char *text = NULL;
    if (cp->refused && asprintf(&text, "built cold, not on %s", cp->refused) < 0)
        text = NULL;
    return text;
}

char *
chain_delta_text(json_t *delta)
{
    char *names = NULL, *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&names, &len);
    size_t i, shown = json_array_size(json_object_get(delta, "names"));
    json_int_t total = json_integer_value(json_object_get(delta, "added")) +
                       json_integer_value(json_object_get(delta, "changed")) +
                       json_integer_value(json_object_get(delta, "removed"));
    json_t *v;
    json_array_foreach(json_object_get(delta, "names"), i, v)
        fprintf(f, "%s%s", i ? ", " : " (", json_string_value(v));
    if (shown)
        fprintf(f, "%s)", (json_int_t)shown < total ? ", …" : "");
    fclose(f);
    if (asprintf(&text, "built incrementally on %s: %lld added, %lld changed, %lld "
                 "removed%s", json_string_value(json_object_get(delta, "base")),
                 (long long)json_integer_value(json_object_get(delta, "added")),
                 (long long)json_integer_value(json_object_get(delta, "changed")),
                 (long long)json_integer_value(json_object_get(delta, "removed")),
                 names ? names : "") < 0)
        text = NULL;
    free(names);
    return text;
}

void
chain_plan_free(chain_plan *cp)
{
    free(cp->base_id);
    free(cp->base_dir);
    free(cp->refused);
    json_decref(cp->inputs);
    memset(cp, 0, sizeof *cp);
}
