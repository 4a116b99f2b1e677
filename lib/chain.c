/* chain.c - what a method sees of an incremental build: the job it builds
 * on (the core chose it, dispatch passed it in struct axle_job), the
 * links of its inputs to process, and the choice to build cold after all.
 * The dataset side (keys, removed items, live rows) is in
 * lib/dataset/dataset_chain.c. */
#include "axle_internal.h"

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
    char err[4400];
    axle_dataset *old = axle_dataset_open(was, err, sizeof err);
    if (!old)
        return axle_error(job, AXLE_EIO, "the job built on: %s", err);
    *base_live = axle_dataset_live_rows(job, old);
    axle_dataset_close(old);
    int64_t now = axle_dataset_live_rows(job, axle_input_dataset(job, input));
    if (*base_live < 0 || now < 0)
        return AXLE_EIO; /* the message is set */
    *dropped = *base_live + axle_dataset_rows(links[0], -1) - now;
    return AXLE_OK;
}
