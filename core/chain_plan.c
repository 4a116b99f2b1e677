/* chain_plan.c - choosing the job a step builds on, and saying what
 * changed since (chain_plan.h). */
#include "chain_plan.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "identity.h"
#include "job_check.h"
#include "job_record.h"

/* The job WORKDIR/latest/STEP names, or NULL. */
static char *
latest_job(workdir *w, const char *step)
{
    char link[PATH_MAX], target[PATH_MAX];
    snprintf(link, sizeof link, "%s/latest/%s", w->path, step);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    const char *slash = strrchr(target, '/');
    return strdup(slash ? slash + 1 : target);
}


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

/* Links in dsdir's own chain (1 for a dataset without previous). */
static int
chain_length(const char *dsdir)
{
    char *at = axle_internal_realpath(dsdir);
    int n = 0;
    while (at && n <= CHAIN_MAX_LINKS) {
        n++;
        char *prev = previous_of(at);
        free(at);
        at = prev;
    }
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

void
chain_plan_find(workdir *w, const char *step, const method *m, json_t *record,
                json_t *ds_dirs, bool has_job_inputs, chain_plan *cp)
{
    memset(cp, 0, sizeof *cp);
    if (!m->row_wise || has_job_inputs)
        return;
    char *id = latest_job(w, step);
    char *dir = id ? workdir_job_dir(w, id) : NULL;
    json_t *j = dir ? job_record_load(dir) : NULL;
    json_t *manifest = json_object_get(j, "manifest");
    const char *identity = json_string_value(json_object_get(j, "identity"));
    char *refused = identity && json_is_object(manifest)
        ? job_reuse_refusal(dir, j, identity, json_object_get(manifest, "input_jobs"))
        : strdup("not a complete job");
    char fa[DIGEST_HEX_LEN], fb[DIGEST_HEX_LEN] = "";
    identity_recipe(record, fa);
    if (!refused)
        identity_recipe(json_object_get(j, "identity_record"), fb);
    json_t *inputs = json_object();
    char *base_ds = dir ? fs_absolute("ds/default", dir) : NULL;
    bool ok = !refused && strcmp(fa, fb) == 0 &&
              inputs_chain(ds_dirs, json_object_get(j, "inputs"), inputs) &&
              (!fs_exists(base_ds) || chain_length(base_ds) < CHAIN_MAX_LINKS);
    if (ok) {
        cp->base_id = id;
        cp->base_dir = dir;
        cp->inputs = inputs;
        id = dir = NULL;
        inputs = NULL;
    }
    free(base_ds);
    json_decref(inputs);
    free(refused);
    json_decref(j);
    free(id);
    free(dir);
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
    json_decref(cp->inputs);
    memset(cp, 0, sizeof *cp);
}
