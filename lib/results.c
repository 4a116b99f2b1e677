/* results.c - structured results from the slices to synthesis.
 *
 * A slice records results by key (axle_result_*); they are kept in this
 * process as a JSON object and written when analysis returns, by the
 * core's call to axle_internal_results_close, as JOBDIR/slice-N.results.json
 * (a file, so a slice on another machine works the same way):
 *
 *     {"images": {"sum": 3}, "sum_r": {"sum": 410.5},
 *      "first": {"list": ["a.jpg"]}, "darkest": {"min": 0.1, "label": "b.jpg"},
 *      "brightness": {"mean": 2.5, "total": 5.0, "count": 2}}
 *
 * A set value is a list of one, so that merging (lists one after
 * another) needs no case of its own; "set" marks it for messages.
 * Synthesis loads each slice's file once, checks it, and merges them:
 * sums added in slice order (the same order every run, so float sums are
 * reproducible), lists joined, the least or greatest kept, means weighed
 * by their counts. */
#include "axle_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct axle_results {
    json_t *obj; /* key -> {"sum"|"list"|"min"|"max": ..., ...} */
};

/* This process's results: what the running slice records, and what
 * synthesis loaded.  One job runs per process. */
static struct {
    axle_job *job;           /* the job they belong to */
    json_t *mine;            /* analysis: this slice's, or NULL */
    axle_results *slices;    /* synthesis: per slice, loaded lazily */
    axle_results merged;
    bool loaded;
    char refused[1024];      /* the first call refused, for the stage's end */
} state;

static void
forget(void)
{
    json_decref(state.mine);
    for (int i = 0; state.slices && state.job && i < state.job->slices; i++)
        json_decref(state.slices[i].obj);
    free(state.slices);
    json_decref(state.merged.obj);
    memset(&state, 0, sizeof state);
}

/* A refused call is also kept, so that a method that does not check
 * every call still fails: axle_internal_results_close reports it when
 * the stage returns. */
static int
noted(axle_job *job, int rc)
{
    if (rc == AXLE_OK || !job)
        return rc;
    if (state.job != job) {
        forget();
        state.job = job;
    }
    if (!state.refused[0])
        snprintf(state.refused, sizeof state.refused, "%s", axle_errmsg(job));
    return rc;
}

/* ---- the kinds of a key ---- */

enum kind { NONE, SUM, LIST, MIN, MAX, MEAN };

static const char *const kind_field[] = {NULL, "sum", "list", "min", "max", "mean"};

static enum kind
kind_of(const json_t *entry)
{
    for (int k = SUM; k <= MEAN; k++)
        if (json_object_get(entry, kind_field[k]))
            return (enum kind)k;
    return NONE;
}

/* How the key was made, for messages. */
static const char *
describe(const json_t *entry)
{
    switch (kind_of(entry)) {
    case SUM:
        return json_is_integer(json_object_get(entry, "sum"))
                   ? "an integer sum (axle_result_add_int)"
                   : "a float sum (axle_result_add_float)";
    case LIST:
        return json_is_true(json_object_get(entry, "set"))
                   ? "a value (axle_result_set_*)" : "a list (axle_result_append_*)";
    case MIN: return "a minimum (axle_result_min)";
    case MAX: return "a maximum (axle_result_max)";
    case MEAN: return "a mean (axle_result_mean)";
    default: return "damaged";
    }
}

/* ---- analysis: recording ---- */

/* The entry of `key` for a call of `fn` wanting kind `want` (and for a
 * list, set or appended as `set` says), made when new; NULL with the
 * message set when the call does not fit. */
static json_t *
entry_for(axle_job *job, const char *fn, const char *key, enum kind want, bool set)
{
    if (!job || job->sliceno < 0) {
        axle_error(job, AXLE_EINVAL, "%s called in %s; slices record results in "
                   "analysis (synthesis reads them)", fn, job ? job->stage : "no job");
        return NULL;
    }
    if (!key || !*key) {
        axle_error(job, AXLE_EINVAL, "%s: the key is empty", fn);
        return NULL;
    }
    if (state.job != job) {
        forget();
        state.job = job;
    }
    if (!state.mine && !(state.mine = json_object())) {
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    json_t *e = json_object_get(state.mine, key);
    if (e) {
        bool was_set = json_is_true(json_object_get(e, "set"));
        if (kind_of(e) == want && (want != LIST || was_set == set))
            return e;
        axle_error(job, AXLE_EINVAL, "%s: result '%s' is %s in this slice; "
                   "use another key", fn, key, describe(e));
        return NULL;
    }
    e = json_object();
    if (!e || json_object_set_new(state.mine, key, e) != 0) {
        axle_error(job, AXLE_EINVAL, "%s: result key '%s' is not UTF-8", fn, key);
        return NULL;
    }
    if (want == LIST && set)
        json_object_set_new(e, "set", json_true());
    return e;
}

static int
finite_or_fail(axle_job *job, const char *fn, const char *key, double v)
{
    if (isfinite(v))
        return AXLE_OK;
    return axle_error(job, AXLE_EINVAL, "%s: result '%s' is %s; results hold "
                      "finite numbers only", fn, key ? key : "(null)",
                      isnan(v) ? "NaN" : v > 0 ? "infinity" : "-infinity");
}

/* Sets field `name` of e to v (a new reference); NULL v is out of memory. */
static int
set_field(axle_job *job, json_t *e, const char *name, json_t *v)
{
    if (!v || json_object_set_new(e, name, v) != 0)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

static int
add_int(axle_job *job, const char *key, int64_t n)
{
    const char *fn = "axle_result_add_int";
    json_t *e = entry_for(job, fn, key, SUM, false);
    if (!e)
        return AXLE_EINVAL;
    json_t *sum = json_object_get(e, "sum");
    if (sum && !json_is_integer(sum))
        return axle_error(job, AXLE_EINVAL, "%s: result '%s' is %s in this slice; "
                          "use another key", fn, key, describe(e));
    int64_t total = sum ? (int64_t)json_integer_value(sum) : 0;
    if (__builtin_add_overflow(total, n, &total))
        return axle_error(job, AXLE_EINVAL, "%s: result '%s' overflows int64", fn, key);
    return set_field(job, e, "sum", json_integer((json_int_t)total));
}

static int
add_float(axle_job *job, const char *key, double x)
{
    const char *fn = "axle_result_add_float";
    if (finite_or_fail(job, fn, key, x) != AXLE_OK)
        return AXLE_EINVAL;
    json_t *e = entry_for(job, fn, key, SUM, false);
    if (!e)
        return AXLE_EINVAL;
    json_t *sum = json_object_get(e, "sum");
    if (sum && !json_is_real(sum))
        return axle_error(job, AXLE_EINVAL, "%s: result '%s' is %s in this slice; "
                          "use another key", fn, key, describe(e));
    double total = (sum ? json_real_value(sum) : 0.0) + x;
    if (finite_or_fail(job, fn, key, total) != AXLE_OK)
        return AXLE_EINVAL;
    return set_field(job, e, "sum", json_real(total));
}

int
axle_result_add_int(axle_job *job, const char *key, int64_t n)
{
    return noted(job, add_int(job, key, n));
}

int
axle_result_add_float(axle_job *job, const char *key, double x)
{
    return noted(job, add_float(job, key, x));
}

/* Set (the list becomes [v]) or append (v is added) as `set` says. */
static int
put_listed(axle_job *job, const char *fn, const char *key, bool set, json_t *v,
           const char *why_null)
{
    if (!v) /* checked first, so a refused value leaves no empty key */
        return axle_error(job, AXLE_EINVAL, "%s: result '%s': %s", fn,
                          key ? key : "(null)", why_null);
    json_t *e = entry_for(job, fn, key, LIST, set);
    if (!e) {
        json_decref(v);
        return AXLE_EINVAL;
    }
    json_t *list = json_object_get(e, "list");
    if (set || !list) {
        list = json_array();
        if (set_field(job, e, "list", list) != AXLE_OK) {
            json_decref(v);
            return AXLE_ENOMEM;
        }
    }
    if (json_array_append_new(list, v) != 0)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

int
axle_result_set_int(axle_job *job, const char *key, int64_t v)
{
    return noted(job, put_listed(job, "axle_result_set_int", key, true,
                                 json_integer((json_int_t)v), "out of memory"));
}

int
axle_result_append_int(axle_job *job, const char *key, int64_t v)
{
    return noted(job, put_listed(job, "axle_result_append_int", key, false,
                                 json_integer((json_int_t)v), "out of memory"));
}

int
axle_result_set_float(axle_job *job, const char *key, double v)
{
    const char *fn = "axle_result_set_float";
    if (finite_or_fail(job, fn, key, v) != AXLE_OK)
        return noted(job, AXLE_EINVAL);
    return noted(job, put_listed(job, fn, key, true, json_real(v), "out of memory"));
}

int
axle_result_append_float(axle_job *job, const char *key, double v)
{
    const char *fn = "axle_result_append_float";
    if (finite_or_fail(job, fn, key, v) != AXLE_OK)
        return noted(job, AXLE_EINVAL);
    return noted(job, put_listed(job, fn, key, false, json_real(v), "out of memory"));
}

/* A string value: NULL is refused (a result has no null). */
static int
put_string(axle_job *job, const char *fn, const char *key, bool set, const char *s)
{
    if (!s)
        return axle_error(job, AXLE_EINVAL, "%s: result '%s': the string is NULL",
                          fn, key ? key : "(null)");
    return put_listed(job, fn, key, set, json_string(s),
                      "the string is not UTF-8");
}

int
axle_result_set_string(axle_job *job, const char *key, const char *s)
{
    return noted(job, put_string(job, "axle_result_set_string", key, true, s));
}

int
axle_result_append_string(axle_job *job, const char *key, const char *s)
{
    return noted(job, put_string(job, "axle_result_append_string", key, false, s));
}

/* A mean keeps its sum and count beside it, so that merging weighs each
 * slice by its count: {"mean": 2.5, "total": 5.0, "count": 2}.  The sum
 * is taken in call order, the mean divided out each time, so the merged
 * mean is sum over slices (in slice order) / count, as a method that
 * summed and counted itself would get. */
static int
add_to_mean(axle_job *job, const char *key, double v)
{
    const char *fn = "axle_result_mean";
    if (finite_or_fail(job, fn, key, v) != AXLE_OK)
        return AXLE_EINVAL;
    json_t *e = entry_for(job, fn, key, MEAN, false);
    if (!e)
        return AXLE_EINVAL;
    double total = json_number_value(json_object_get(e, "total")) + v;
    int64_t count = (int64_t)json_integer_value(json_object_get(e, "count")) + 1;
    if (finite_or_fail(job, fn, key, total) != AXLE_OK)
        return AXLE_EINVAL;
    if (set_field(job, e, "total", json_real(total)) != AXLE_OK ||
        set_field(job, e, "count", json_integer((json_int_t)count)) != AXLE_OK)
        return AXLE_ENOMEM;
    return set_field(job, e, "mean", json_real(total / (double)count));
}

int
axle_result_mean(axle_job *job, const char *key, double v)
{
    return noted(job, add_to_mean(job, key, v));
}

/* min or max: v replaces the kept value only when strictly better, so
 * the first of equal values keeps its label. */
static int
keep_extreme(axle_job *job, const char *fn, const char *key, enum kind k, double v,
             const char *label)
{
    if (finite_or_fail(job, fn, key, v) != AXLE_OK)
        return AXLE_EINVAL;
    if (label && !axle_internal_is_utf8(label))
        return axle_error(job, AXLE_EINVAL, "%s: result '%s': the label is not UTF-8",
                          fn, key ? key : "(null)");
    json_t *e = entry_for(job, fn, key, k, false);
    if (!e)
        return AXLE_EINVAL;
    json_t *kept = json_object_get(e, kind_field[k]);
    if (kept && (k == MIN ? v >= json_real_value(kept) : v <= json_real_value(kept)))
        return AXLE_OK;
    if (set_field(job, e, "label", label ? json_string(label) : json_null()) != AXLE_OK)
        return AXLE_ENOMEM;
    return set_field(job, e, kind_field[k], json_real(v));
}

int
axle_result_min(axle_job *job, const char *key, double v, const char *label)
{
    return noted(job, keep_extreme(job, "axle_result_min", key, MIN, v, label));
}

int
axle_result_max(axle_job *job, const char *key, double v, const char *label)
{
    return noted(job, keep_extreme(job, "axle_result_max", key, MAX, v, label));
}

static char *
slice_file(const axle_job *job, int sliceno)
{
    char *path = NULL;
    if (asprintf(&path, "%s/slice-%d.results.json", job->dir, sliceno) < 0)
        return NULL;
    return path;
}

int
axle_internal_results_close(axle_job *job)
{
    int rc = AXLE_OK;
    if (state.job == job && state.refused[0]) {
        char first[sizeof state.refused];
        snprintf(first, sizeof first, "%s", state.refused);
        rc = axle_error(job, AXLE_EINVAL, "a result call was refused: %s", first);
    }
    if (state.job == job && state.mine && job->sliceno >= 0 && rc == AXLE_OK) {
        char *path = slice_file(job, job->sliceno);
        char *text = json_dumps(state.mine, JSON_COMPACT);
        if (!path || !text)
            rc = axle_error(job, AXLE_ENOMEM, "out of memory saving the slice's results");
        else if (axle_internal_write_atomic(path, text, strlen(text)) < 0)
            rc = axle_error(job, AXLE_EIO, "%s: %s", path, strerror(errno));
        free(path);
        free(text);
    }
    /* A slice is done with them now; synthesis, the last stage, too. */
    if (state.job == job && (job->sliceno >= 0 || !job->stage ||
                             strcmp(job->stage, "synthesis") == 0))
        forget();
    return rc;
}

/* ---- synthesis: loading, checking, merging ---- */

/* Whether entry e is what a slice writes: one kind, with fitting values. */
static bool
entry_ok(const json_t *e)
{
    if (!json_is_object(e))
        return false;
    enum kind k = kind_of(e);
    json_t *v = k == NONE ? NULL : json_object_get(e, kind_field[k]);
    json_t *label = json_object_get(e, "label");
    size_t i;
    json_t *item;
    switch (k) {
    case SUM:
        return json_is_integer(v) || json_is_real(v);
    case LIST:
        if (!json_is_array(v))
            return false;
        json_array_foreach(v, i, item)
            if (!json_is_integer(item) && !json_is_real(item) && !json_is_string(item))
                return false;
        return true;
    case MIN:
    case MAX:
        return json_is_number(v) && (json_is_string(label) || json_is_null(label));
    case MEAN:
        return json_is_number(v) && json_is_number(json_object_get(e, "total")) &&
               json_is_integer(json_object_get(e, "count")) &&
               json_integer_value(json_object_get(e, "count")) >= 1;
    default:
        return false;
    }
}

/* Why a slice's results object is not what a slice writes, or NULL. */
static const char *
damage(const json_t *obj, const char **bad_key)
{
    const char *key;
    json_t *e;
    if (!json_is_object(obj))
        return "not a JSON object";
    json_object_foreach((json_t *)obj, key, e) {
        if (!entry_ok(e)) {
            *bad_key = key;
            return "not a sum, list, min, max or mean";
        }
    }
    return NULL;
}

/* Slice s's results; an absent file is a slice that recorded none. */
static json_t *
load_slice(axle_job *job, int s)
{
    char *path = slice_file(job, s);
    if (!path) {
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    json_error_t jerr;
    json_t *obj = json_load_file(path, 0, &jerr);
    const char *why, *key = NULL;
    if (!obj && access(path, F_OK) != 0 && errno == ENOENT)
        obj = json_object();
    else if (!obj)
        axle_error(job, AXLE_EFORMAT, "%s: %s; the slice's results are damaged",
                   path, jerr.text);
    else if ((why = damage(obj, &key)) != NULL) {
        axle_error(job, AXLE_EFORMAT, "%s: %s%s%s%s; the slice's results are damaged",
                   path, key ? "result '" : "", key ? key : "", key ? "' is " : "", why);
        json_decref(obj);
        obj = NULL;
    }
    free(path);
    return obj;
}

/* Whether slices may be merged: same kind, and sums of the same type. */
static bool
same_kind(const json_t *a, const json_t *b)
{
    return strcmp(describe(a), describe(b)) == 0;
}

/* A mean over the slices so far and slice s's: sums and counts added. */
static int
merge_mean(axle_job *job, json_t *m, const char *key, const json_t *e, int s)
{
    double total = json_number_value(json_object_get(m, "total")) +
                   json_number_value(json_object_get(e, "total"));
    int64_t count;
    if (__builtin_add_overflow((int64_t)json_integer_value(json_object_get(m, "count")),
                               (int64_t)json_integer_value(json_object_get(e, "count")),
                               &count) || !isfinite(total))
        return axle_error(job, AXLE_EINVAL, "result '%s': the mean over the slices "
                          "overflows (at slice %d)", key, s);
    if (json_object_set_new(m, "total", json_real(total)) != 0 ||
        json_object_set_new(m, "count", json_integer((json_int_t)count)) != 0 ||
        json_object_set_new(m, "mean", json_real(total / (double)count)) != 0)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    return AXLE_OK;
}

/* Merges slice s's entry e of `key` into m (the merged entry so far). */
static int
merge_entry(axle_job *job, json_t *m, const char *key, const json_t *e, int s)
{
    enum kind k = kind_of(e);
    json_t *mv = json_object_get(m, kind_field[k]);
    json_t *ev = json_object_get(e, kind_field[k]);
    if (k == SUM && json_is_integer(mv)) {
        int64_t total;
        if (__builtin_add_overflow((int64_t)json_integer_value(mv),
                                   (int64_t)json_integer_value(ev), &total))
            return axle_error(job, AXLE_EINVAL, "result '%s': the sum over the "
                              "slices overflows int64 (at slice %d)", key, s);
        return json_integer_set(mv, (json_int_t)total) == 0 ? AXLE_OK : AXLE_EINTERNAL;
    }
    if (k == SUM) {
        double total = json_real_value(mv) + json_number_value(ev);
        if (!isfinite(total))
            return axle_error(job, AXLE_EINVAL, "result '%s': the sum over the "
                              "slices is not finite (at slice %d)", key, s);
        return json_real_set(mv, total) == 0 ? AXLE_OK : AXLE_EINTERNAL;
    }
    if (k == LIST)
        return json_array_extend(mv, ev) == 0
                   ? AXLE_OK : axle_error(job, AXLE_ENOMEM, "out of memory");
    if (k == MEAN)
        return merge_mean(job, m, key, e, s);
    double have = json_number_value(mv), v = json_number_value(ev);
    if (k == MIN ? v < have : v > have) { /* a tie keeps the earlier slice's */
        json_object_set(m, kind_field[k], ev);
        json_object_set(m, "label", json_object_get(e, "label"));
    }
    return AXLE_OK;
}

static int
merge(axle_job *job, json_t *merged, const json_t *slice, int s)
{
    const char *key;
    json_t *e;
    json_object_foreach((json_t *)slice, key, e) {
        json_t *m = json_object_get(merged, key);
        if (!m) {
            if (json_object_set_new(merged, key, json_deep_copy(e)) != 0)
                return axle_error(job, AXLE_ENOMEM, "out of memory");
            continue;
        }
        if (!same_kind(m, e))
            return axle_error(job, AXLE_EINVAL, "result '%s' is %s in an earlier "
                              "slice but %s in slice %d; a key has one kind in "
                              "every slice", key, describe(m), describe(e), s);
        int rc = merge_entry(job, m, key, e, s);
        if (rc != AXLE_OK)
            return rc;
    }
    return AXLE_OK;
}

/* Loads every slice's results once. */
static int
load_all(axle_job *job)
{
    if (state.job == job && state.loaded)
        return AXLE_OK;
    if (job->sliceno >= 0)
        return axle_error(job, AXLE_EINVAL, "slice results are read in synthesis, "
                          "not in analysis (slice %d)", job->sliceno);
    forget();
    state.job = job;
    state.slices = calloc((size_t)(job->slices > 0 ? job->slices : 1), sizeof *state.slices);
    if (!state.slices)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    for (int s = 0; s < job->slices; s++)
        if (!(state.slices[s].obj = load_slice(job, s)))
            return AXLE_EFORMAT;
    state.loaded = true;
    return AXLE_OK;
}

const axle_results *
axle_slice_results(axle_job *job, int sliceno)
{
    if (load_all(job) != AXLE_OK)
        return NULL;
    if (sliceno < 0 || sliceno >= job->slices) {
        axle_error(job, AXLE_EINVAL, "axle_slice_results: no slice %d (the job "
                   "has %d)", sliceno, job->slices);
        return NULL;
    }
    return &state.slices[sliceno];
}

const axle_results *
axle_slice_results_merged(axle_job *job)
{
    if (load_all(job) != AXLE_OK)
        return NULL;
    if (state.merged.obj)
        return &state.merged;
    json_t *merged = json_object();
    if (!merged) {
        axle_error(job, AXLE_ENOMEM, "out of memory");
        return NULL;
    }
    for (int s = 0; s < job->slices; s++) {
        if (merge(job, merged, state.slices[s].obj, s) != AXLE_OK) {
            json_decref(merged);
            return NULL;
        }
    }
    state.merged.obj = merged;
    return &state.merged;
}

/* ---- synthesis: getters ---- */

/* Element i of the key: of a list, or (i = 0) a sum's or extreme's value. */
static json_t *
element(const axle_results *r, const char *key, size_t i)
{
    json_t *e = r && key ? json_object_get(r->obj, key) : NULL;
    enum kind k = kind_of(e);
    if (k == LIST)
        return json_array_get(json_object_get(e, "list"), i);
    return k != NONE && i == 0 ? json_object_get(e, kind_field[k]) : NULL;
}

bool
axle_results_has(const axle_results *r, const char *key)
{
    return r && key && json_object_get(r->obj, key);
}

int64_t
axle_results_int_at(const axle_results *r, const char *key, size_t i)
{
    json_t *v = element(r, key, i);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

double
axle_results_float_at(const axle_results *r, const char *key, size_t i)
{
    return json_number_value(element(r, key, i));
}

const char *
axle_results_string_at(const axle_results *r, const char *key, size_t i)
{
    return json_string_value(element(r, key, i));
}

int64_t
axle_results_int(const axle_results *r, const char *key)
{
    return axle_results_int_at(r, key, 0);
}

double
axle_results_float(const axle_results *r, const char *key)
{
    return axle_results_float_at(r, key, 0);
}

const char *
axle_results_string(const axle_results *r, const char *key)
{
    return axle_results_string_at(r, key, 0);
}

const char *
axle_results_label(const axle_results *r, const char *key)
{
    json_t *e = r && key ? json_object_get(r->obj, key) : NULL;
    enum kind k = kind_of(e);
    return k == MIN || k == MAX ? json_string_value(json_object_get(e, "label")) : NULL;
}

size_t
axle_results_count(const axle_results *r, const char *key)
{
    json_t *e = r && key ? json_object_get(r->obj, key) : NULL;
    enum kind k = kind_of(e);
    if (k == LIST)
        return json_array_size(json_object_get(e, "list"));
    if (k == MEAN)
        return (size_t)json_integer_value(json_object_get(e, "count"));
    return k != NONE;
}
