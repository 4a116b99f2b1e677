/* item_policy.c - what a method does with an item it could not handle:
 * the `on_error` option (AXLE_OPTION_ON_ERROR) applied in one call.
 *
 * skip: the item is listed as skipped with its reason and its row, if it
 * has one, is ended null, so a column added to a parent keeps one row per
 * parent row; fail: the stage fails with a message naming the item. */
#include "axle_internal.h"

#include <string.h>

/* The method's on_error value; fails (with a message saying how to
 * declare it) when the method has no such option. */
static const char *
policy(axle_job *job)
{
    if (job->desc) {
        const axle_option *o = job->desc->options;
        while (o && o->name && strcmp(o->name, "on_error") != 0)
            o++;
        if (!o || !o->name)
            return NULL;
    }
    return json_string_value(json_object_get(job->options, "on_error"));
}

static int
item_failed(axle_job *job, axle_writer *w, const char *item, int rc, bool transient)
{
    char reason[sizeof job->errmsg];
    strcpy(reason, job->errmsg[0] ? job->errmsg : "no reason given");
    if (!item)
        item = "(unnamed item)";
    if (rc >= 0)
        rc = AXLE_EINTERNAL; /* a failure must fail, whatever code came with it */
    /* An input changed since it was recorded: skipping it would give a
     * result that is neither the old one nor the new one. */
    if (rc == AXLE_ESTALE)
        return axle_error(job, rc, "%s: %s", item, reason);
    const char *on_error = policy(job);
    if (!on_error)
        return axle_error(job, rc, "%s: %s (and axle_item_failed found no on_error "
                          "option: declare AXLE_OPTION_ON_ERROR(\"skip\") in the "
                          "method's options)", item, reason);
    if (strcmp(on_error, "skip") != 0)
        return axle_error(job, rc, "%s: %s", item, reason);
    /* a codec library that cannot be loaded may be installed by the next
     * run: the job is not reused with this item left out */
    if (transient || rc == AXLE_EUNAVAILABLE)
        axle_skip_transient(job, item, "%s", reason);
    else
        axle_skip(job, item, "%s", reason);
    job->errmsg[0] = '\0'; /* handled: not the reason of a later failure */
    return w ? axle_writer_null_row(w) : AXLE_OK;
}

int
axle_item_failed(axle_job *job, axle_writer *w, const char *item, int rc)
{
    return item_failed(job, w, item, rc, false);
}

int
axle_item_failed_transient(axle_job *job, axle_writer *w, const char *item, int rc)
{
    return item_failed(job, w, item, rc, true);
}
