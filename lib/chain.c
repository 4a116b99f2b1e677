/* chain.c - what a method sees of an incremental build: the job it builds
 * on (the core chose it, dispatch passed it in struct axle_job), the
 * links of its inputs to process, and the choice to build cold after all.
 * The dataset side (keys, removed items, live rows) is in
 * lib/dataset/dataset_chain.c. */
#include "axle_internal.h"
#include "dataset/dataset_format.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
axle_job_recipe(const axle_job *job)
{
    return job && job->recipe ? job->recipe : "";
}

const char *
axle_chain_base(const axle_job *job)
{
    return job ? job->chain_base : NULL;
}

int
axle_chain_cold(axle_job *job, const char *why)
{
    if (!job)
        return AXLE_EINVAL;
    if (job->chain_base)
        axle_log(job, "building cold, not on %s: %s", job->chain_base,
                 why ? why : "(no reason given)");
    job->chain_base = NULL;
    job->chain_inputs = NULL;
    /* link lists made for the base are wrong now: every link is new */
    const char *key;
    void *tmp;
    json_t *v;
    json_object_foreach_safe(job->chain_cache, tmp, key, v) {
        if (strncmp(key, "links:", 6) == 0) {
            free((void *)(uintptr_t)json_integer_value(v));
            json_object_del(job->chain_cache, key);
        }
    }
    return AXLE_OK;
}

/* A pointer kept in the job's cache under `key`, or NULL. */
static void *
cached(axle_job *job, const char *key)
{
    json_t *v = job->chain_cache ? json_object_get(job->chain_cache, key) : NULL;
    return v ? (void *)(uintptr_t)json_integer_value(v) : NULL;
}

static void
keep(axle_job *job, const char *key, void *p)
{
    if (!job->chain_cache)
        job->chain_cache = json_object();
    json_object_set_new(job->chain_cache, key, json_integer((json_int_t)(uintptr_t)p));
}

axle_dataset *
axle_chain_base_dataset(axle_job *job, const char *name)
{
    if (!job || !job->chain_base || !name)
        return NULL;
    char key[600];
    snprintf(key, sizeof key, "base:%s", name);
    axle_dataset *ds = cached(job, key);
    if (ds)
        return ds;
    char path[4096], err[4400];
    snprintf(path, sizeof path, "%s/ds/%s", job->chain_base, name);
    if (!(ds = axle_dataset_open(path, err, sizeof err))) {
        axle_error(job, AXLE_EIO, "the job built on: %s", err);
        return NULL;
    }
    keep(job, key, ds);
    return ds;
}

int
axle_input_links(axle_job *job, const char *input, axle_dataset ***links, size_t *n)
{
    *links = NULL;
    *n = 0;
    axle_dataset *ds = axle_input_dataset(job, input);
    if (!ds)
        return axle_error(job, AXLE_EINVAL, "no dataset bound to input '%s'", input);
    char key[600];
    snprintf(key, sizeof key, "links:%s", input);
    axle_dataset **list = cached(job, key);
    const char *stop = json_string_value(json_object_get(job->chain_inputs, input));
    char *stop_real = stop ? axle_internal_realpath(stop) : NULL;
    if (!list) {
        size_t count = 0;
        bool met = false;
        const char *why = NULL;
        for (axle_dataset *d = ds; d && !why;) {
            if (stop_real && strcmp(axle_dataset_path(d), stop_real) == 0) {
                met = true;
                break;
            }
            count++;
            axle_dataset *older = axle_dataset_previous(d);
            if (!older)
                why = axle_internal_dataset_previous_error(d);
            d = older;
        }
        if (!why && stop_real && !met)
            why = "it does not hold the dataset the job built on read";
        if (why) {
            free(stop_real);
            return axle_error(job, AXLE_EIO, "input '%s': a link of its chain cannot be "
                              "read: %s", input, why);
        }
        list = calloc(count + 1, sizeof *list);
        if (!list) {
            free(stop_real);
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        }
        size_t i = count;
        for (axle_dataset *d = ds; i > 0; d = axle_dataset_previous(d))
            list[--i] = d;
        keep(job, key, list);
    }
    free(stop_real);
    while (list[*n])
        (*n)++;
    *links = list;
    return AXLE_OK;
}

/* The live rows of the chain of `ds` (the input, one link newer than the
 * dataset the job built on: axle_input_links checked) and of the chain
 * before that link, in one pass (ds_live_counts): true when it applies (a
 * keyed chain), with *rc set; false, and the caller counts each chain
 * alone. */
static bool
counts_in_one_pass(axle_job *job, axle_dataset *ds, int64_t *before, int64_t *now, int *rc)
{
    axle_dataset *chain[DS_MAX_CHAIN];
    int n = 0;
    for (axle_dataset *d = ds; d && n < DS_MAX_CHAIN; d = axle_dataset_previous(d))
        chain[n++] = d;
    /* too long, or a link that cannot be read: the old way says why */
    if (n < 2 || n == DS_MAX_CHAIN || axle_internal_dataset_previous_error(chain[n - 1]))
        return false;
    for (int i = 0; i < n / 2; i++) { /* oldest first */
        axle_dataset *t = chain[i];
        chain[i] = chain[n - 1 - i];
        chain[n - 1 - i] = t;
    }
    if (!ds_chain_keyed(chain, n))
        return false;
    *rc = ds_live_counts(job, chain, n, now, before);
    return true;
}

int
axle_chain_counts(axle_job *job, const char *input, int64_t *base_live, int64_t *dropped)
{
    *base_live = *dropped = 0;
    const char *was = json_string_value(json_object_get(job->chain_inputs, input));
    axle_dataset **links;
    size_t n;
    int rc = axle_input_links(job, input, &links, &n);
    if (rc != AXLE_OK)
        return rc;
    if (!was || n != 1)
        return axle_error(job, AXLE_EINVAL, "input '%s': %s", input,
                          was ? "more than one link is new since the job built on"
                              : "no job to build on");
    axle_dataset *now_ds = axle_input_dataset(job, input);
    int64_t now = -1;
    if (counts_in_one_pass(job, now_ds, base_live, &now, &rc)) {
        if (rc != AXLE_OK)
            return rc;
        *dropped = *base_live + axle_dataset_rows(links[0], -1) - now;
        return AXLE_OK;
    }
    char err[4400];
    axle_dataset *old = axle_dataset_open(was, err, sizeof err);
    if (!old)
        return axle_error(job, AXLE_EIO, "the job built on: %s", err);
    *base_live = axle_dataset_live_rows(job, old);
    axle_dataset_close(old);
    now = axle_dataset_live_rows(job, now_ds);
    if (*base_live < 0 || now < 0)
        return AXLE_EIO; /* the message is set */
    *dropped = *base_live + axle_dataset_rows(links[0], -1) - now;
    return AXLE_OK;
}

/* ---- rebase: what the step's newest job read beyond the base ---- */

/* The step's newest complete job (WORKDIR/latest/STEP), real, or NULL.
 * realpath(3), not the remembering one: latest moves between runs. */
static char *
newest_job(const axle_job *job)
{
    const char *slash = job->dir ? strrchr(job->dir, '/') : NULL;
    char link[PATH_MAX];
    if (!slash || !job->step)
        return NULL;
    snprintf(link, sizeof link, "%.*s/latest/%s", (int)(slash - job->dir), job->dir,
             job->step);
    return realpath(link, NULL);
}

/* The dataset `input` of job folder `dir` read (job.json "inputs"), or NULL. */
static char *
read_input(const char *dir, const char *input)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/job.json", dir);
    json_t *j = json_load_file(path, 0, NULL);
    const char *ds = json_string_value(json_object_get(json_object_get(j, "inputs"), input));
    char *r = NULL;
    if (ds && ds[0] == '/')
        r = strdup(ds);
    else if (ds && asprintf(&r, "%s/%s", dir, ds) < 0)
        r = NULL;
    json_decref(j);
    return r;
}

/* The links from `head` back to (not including) `stop`, oldest first and
 * NULL-terminated; NULL with *why when stop is not in head's chain. */
static axle_dataset **
links_down_to(axle_dataset *head, const char *stop, const char **why)
{
    char *stop_real = axle_internal_realpath(stop);
    size_t count = 0;
    axle_dataset *d = head;
    while (d && !(stop_real && strcmp(axle_dataset_path(d), stop_real) == 0)) {
        count++;
        d = axle_dataset_previous(d);
    }
    free(stop_real);
    if (!d) {
        *why = "it does not hold the dataset the job built on read";
        return NULL;
    }
    axle_dataset **list = calloc(count + 1, sizeof *list);
    size_t i = count;
    for (d = head; list && i > 0; d = axle_dataset_previous(d))
        list[--i] = d;
    if (!list)
        *why = "out of memory";
    return list;
}

int
axle_chain_newer_links(axle_job *job, const char *input, axle_dataset ***links, size_t *n)
{
    *links = NULL;
    *n = 0;
    if (!job || !input)
        return AXLE_EINVAL;
    const char *was = json_string_value(json_object_get(job->chain_inputs, input));
    char key[600];
    snprintf(key, sizeof key, "newer:%s", input);
    axle_dataset **list = cached(job, key);
    if (!list && was) {
        char *newest = newest_job(job), *base = realpath(job->chain_base, NULL);
        char *read = newest && base && strcmp(newest, base) != 0
                         ? read_input(newest, input) : NULL;
        char err[4400] = "";
        const char *why = NULL;
        axle_dataset *head = read ? axle_dataset_open(read, err, sizeof err) : NULL;
        if (read && !head)
            why = err;
        if (head) {
            snprintf(key, sizeof key, "newest:%s", input); /* keeps head open */
            keep(job, key, head);
            snprintf(key, sizeof key, "newer:%s", input);
            list = links_down_to(head, was, &why);
        } else if (!why)
            list = calloc(1, sizeof *list); /* the base is the newest job */
        int rc = AXLE_OK;
        if (!list)
            rc = axle_error(job, AXLE_EIO, "input '%s' of the step's newest job %s: %s",
                            input, newest ? newest : "?", why ? why : "out of memory");
        free(newest);
        free(base);
        free(read);
        if (rc != AXLE_OK)
            return rc;
        keep(job, key, list);
    }
    while (list && list[*n])
        (*n)++;
    *links = list;
    return AXLE_OK;
}
