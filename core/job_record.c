/* job_record.c - assembling and reading job.json. */
#include "job_record.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "job_carried.h"
#include "job_check.h"
#include "job_summary.h"
#include "job_lists.h"
#include "libaxle_digest.h"

static void
remove_scratch(const char *jobdir)
{
    DIR *d = opendir(jobdir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, ".error.", 7) == 0 || strcmp(e->d_name, ".failure") == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", jobdir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
}

static json_t *
timestamp(void)
{
    char buf[64];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
    return json_string(buf);
}

/* The deepest folder holding both `common` (NULL at first) and the
 * folder of `rel`, kept as the files come: where a job's results are. */
static void
common_update(char **common, const char *rel)
{
    char *dir = strdup(rel);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    if (!*common) {
        *common = dir;
        return;
    }
    char *c = *common;
    size_t k = 0, cut = 0;
    while (c[k] && c[k] == dir[k]) {
        if (c[k] == '/')
            cut = k;
        k++;
    }
    if ((c[k] == '\0' && (dir[k] == '\0' || dir[k] == '/')) ||
        (dir[k] == '\0' && c[k] == '/'))
        cut = k; /* one is a folder of the other */
    c[cut] = '\0';
    free(dir);
}

/* ---- gathering what the stages listed ---- */

struct registered {
    job_manifest *manifest; /* NULL when the job failed, or once it cannot be made */
    char *common;           /* their common folder */
};

static void
on_registered(json_t *value, size_t nth, void *ctx)
{
    (void)nth;
    struct registered *r = ctx;
    const char *rel = json_string_value(value);
    if (!rel)
        return;
    common_update(&r->common, rel);
    if (r->manifest && job_manifest_add(r->manifest, rel) < 0) {
        job_manifest_abort(r->manifest);
        r->manifest = NULL;
    }
}

struct skips {
    size_t transient;
    size_t shown; /* printed on stderr by their process */
};

static void
on_skipped(json_t *value, size_t nth, void *ctx)
{
    struct skips *k = ctx;
    k->transient += json_is_true(json_object_get(value, "transient"));
    k->shown += nth < AXLE_SKIPS_SHOWN;
}

static void
fail(job_outcome *out, const job_spec *spec, const char *why)
{
    out->ok = false;
    snprintf(out->message, sizeof out->message, "job %s (step %s): %s", spec->id,
             spec->step, why);
}

/* The registered files into files.json and, for a job that succeeded, the
 * manifest reuse will check it against (job_check.h); a job whose files
 * cannot all be found now (a registered file that was never written)
 * fails.  Returns job.json's "files" and sets *manifest. */
static json_t *
gather_files(const job_spec *spec, json_t *input_jobs, job_outcome *out,
             json_t **manifest)
{
    char err[1024] = "";
    bool ok = out->ok;
    struct registered r = {ok ? job_manifest_begin(spec->dir, err, sizeof err) : NULL, NULL};
    size_t count = 0;
    int e = job_list_gather(spec->dir, "files", "files.json", on_registered, &r, &count) < 0
                ? errno : 0;
    /* files taken over from the base with one rename (job_carried.h) */
    char *carried = NULL;
    if (!e && r.manifest && job_carried_merge(spec->dir, r.manifest, &count, &carried, err,
                                              sizeof err) < 0) {
        job_manifest_abort(r.manifest);
        r.manifest = NULL;
    }
    if (carried)
        common_update(&r.common, carried);
    free(carried);
    *manifest = r.manifest ? job_manifest_end(r.manifest, input_jobs) : NULL;
    if (ok && e)
        snprintf(err, sizeof err, "%s/files.json: %s", spec->dir, strerror(e));
    if (ok && (e || !*manifest)) {
        fail(out, spec, err);
        json_decref(*manifest);
        *manifest = NULL;
    }
    json_t *files = json_pack("{s:I}", "count", (json_int_t)count);
    if (count) {
        json_object_set_new(files, "list", json_string("files.json"));
        json_object_set_new(files, "folder", json_string(r.common ? r.common : ""));
    }
    free(r.common);
    return files;
}

/* The skipped items into skipped.json; stderr showed the first few of
 * each process, and now says how many more there are and where. */
static json_t *
gather_skipped(const job_spec *spec, job_outcome *out)
{
    struct skips k = {0, 0};
    size_t count = 0;
    if (job_list_gather(spec->dir, "skipped", "skipped.json", on_skipped, &k, &count) < 0 &&
        out->ok) {
        char err[600];
        snprintf(err, sizeof err, "%s/skipped.json: %s", spec->dir, strerror(errno));
        fail(out, spec, err);
    }
    if (count > k.shown)
        fprintf(stderr, "%s: ... and %zu more item%s skipped, listed in %s/skipped.json\n",
                spec->step, count - k.shown, count - k.shown == 1 ? "" : "s", spec->dir);
    json_t *skipped = json_pack("{s:I, s:I}", "count", (json_int_t)count, "transient",
                                (json_int_t)k.transient);
    if (count)
        json_object_set_new(skipped, "list", json_string("skipped.json"));
    return skipped;
}

json_t *
job_record_write(const job_spec *spec, const char *identity, json_t *record,
                 json_t *why, json_t *input_jobs, job_outcome *out,
                 double total_seconds)
{
    json_t *stages = out->stages; /* ours now, whatever happens */
    out->stages = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/result.json", spec->dir);
    json_t *result = fs_read_json(path);
    json_t *skipped = gather_skipped(spec, out);
    json_t *manifest = NULL;
    json_t *files = gather_files(spec, input_jobs, out, &manifest);
    const char *status = out->ok ? "complete" : out->interrupted ? "interrupted" : "failed";
    char lib_err[512];
    const char *libaxle = NULL;
    libaxle_sha256(&libaxle, lib_err, sizeof lib_err);
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:O, s:o, s:o, s:o, s:o, s:{s:f, s:f, s:f, s:f}}",
        "id", spec->id, "step", spec->step, "method", spec->m->desc->name,
        "method_path", spec->m->path, "status", status, "identity", identity,
        "identity_record", record, "why_built", why, "inputs", spec->inputs,
        "files", files, "skipped", skipped, "result", result ? result : json_null(),
        "finished", timestamp(), "seconds", "prepare", out->seconds[0],
        "analysis", out->seconds[1], "synthesis", out->seconds[2], "total",
        total_seconds);
    if (!j) {
        json_decref(manifest);
        json_decref(stages);
        return NULL;
    }
    if (stages) /* each slice's seconds beside the totals */
        json_object_set_new(j, "stages", stages);
    if (manifest)
        json_object_set_new(j, "manifest", manifest);
    if (libaxle)
        json_object_set_new(j, "libaxle", json_string(libaxle));
    if (spec->recipe) /* what its exported files carry (identity_recipe) */
        json_object_set_new(j, "recipe", json_string(spec->recipe));
    if (!out->ok)
        json_object_set_new(j, "error", json_string(out->message));
    remove_scratch(spec->dir);
    /* Before job.json, so a finished job has it (job_summary.h); without
     * one (a full disk) the board summarises job.json instead. */
    job_summary_write(spec->dir, j);
    snprintf(path, sizeof path, "%s/job.json", spec->dir);
    if (fs_write_json(path, j) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *
job_record_load(const char *jobdir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/job.json", jobdir);
    return fs_read_json(path);
}

/* The folder of a job's registered files, as shown: "JOBDIR/output/",
 * or an absolute folder (an export's dest) as it is. */
static char *
shown_folder(const char *jobdir, const char *common)
{
    char *out = NULL;
    if (common[0] == '/' && asprintf(&out, "%s/", common) < 0)
        out = NULL;
    else if (common[0] != '/' &&
             asprintf(&out, "%s%s%s/", jobdir, *common ? "/" : "", common) < 0)
        out = NULL;
    return out;
}

/* The common folder of the registered files: job.json keeps it, and a job
 * made before files.json lists its files in job.json. */
static char *
files_folder(const char *jobdir, json_t *files)
{
    if (json_is_object(files)) {
        const char *folder = json_string_value(json_object_get(files, "folder"));
        return folder ? shown_folder(jobdir, folder) : NULL;
    }
    char *common = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
        if (json_string_value(f))
            common_update(&common, json_string_value(f));
    char *out = common ? shown_folder(jobdir, common) : NULL;
    free(common);
    return out;
}

char *
job_record_output(const char *jobdir, json_t *jobjson)
{
    char *c = files_folder(jobdir, json_object_get(jobjson, "files"));
    if (c)
        return c;
    json_t *result = json_object_get(jobjson, "result");
    if (result && !json_is_null(result)) {
        /* The run line shows a result inline; a long one is cut, and
         * `axle job STEP` shows it whole. */
        char *text = axle_internal_json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
        if (text && strlen(text) > 100)
            strcpy(text + 96, " ...");
        if (text)
            return text;
    }
    char *out = NULL;
    return asprintf(&out, "%s/", jobdir) < 0 ? NULL : out;
}

size_t
job_record_count(json_t *jobjson, const char *key)
{
    json_t *v = json_object_get(jobjson, key);
    if (json_is_object(v))
        return (size_t)json_integer_value(json_object_get(v, "count"));
    return json_array_size(v);
}

json_t *
job_record_list(const char *jobdir, json_t *jobjson, const char *key)
{
    json_t *v = json_object_get(jobjson, key);
    if (!json_is_object(v))
        return json_is_array(v) ? json_incref(v) : json_array();
    if (job_record_count(jobjson, key) == 0)
        return json_array();
    char path[4096];
    /* The list's name is fixed, never taken from job.json. */
    snprintf(path, sizeof path, "%s/%s.json", jobdir, key);
    json_t *list = fs_read_json(path);
    if (json_is_array(list))
        return list;
    json_decref(list);
    return NULL;
}
