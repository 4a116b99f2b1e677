/* job_record.c - assembling and reading job.json. */
#include "job_record.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "job_check.h"
#include "job_summary.h"
#include "libaxle_digest.h"

/* Reads every JSON line of JOBDIR/.PREFIX.* into one array, in a stable
 * order (by file name), and removes the files. */
static json_t *
gather_lines(const char *jobdir, const char *prefix)
{
    json_t *all = json_array();
    struct dirent **names = NULL;
    int n = scandir(jobdir, &names, NULL, versionsort);
    size_t plen = strlen(prefix);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.' && strncmp(name + 1, prefix, plen) == 0 &&
            name[plen + 1] == '.') {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", jobdir, name);
            FILE *f = fopen(path, "r");
            char *line = NULL;
            size_t cap = 0;
            while (f && getline(&line, &cap, f) > 0) {
                json_t *v = json_loads(line, JSON_DECODE_ANY, NULL);
                if (v)
                    json_array_append_new(all, v);
            }
            free(line);
            if (f)
                fclose(f);
            unlink(path);
        }
        free(names[i]);
    }
    free(names);
    return all;
}

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

/* What reuse will check the job against; a job whose files cannot all be
 * found now (a registered file that was never written) fails. */
static json_t *
manifest_or_fail(const job_spec *spec, json_t *files, json_t *input_jobs,
                 job_outcome *out)
{
    char err[1024];
    json_t *m = job_manifest(spec->dir, files, input_jobs, err, sizeof err);
    if (!m) {
        out->ok = false;
        snprintf(out->message, sizeof out->message, "job %s (step %s): %s",
                 spec->id, spec->step, err);
    }
    return m;
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
    json_t *skipped = gather_lines(spec->dir, "skipped");
    json_t *files = gather_lines(spec->dir, "files");
    json_t *manifest = out->ok ? manifest_or_fail(spec, files, input_jobs, out) : NULL;
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
    if (json_array_size(skipped) > 0) {
        snprintf(path, sizeof path, "%s/skipped.json", spec->dir);
        fs_write_json(path, skipped);
    }
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

/* The deepest folder holding every registered file. */
static char *
common_folder(const char *jobdir, json_t *files)
{
    char *common = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *rel = json_string_value(f);
        if (!rel)
            continue;
        char *dir = strdup(rel);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            dir[0] = '\0';
        if (!common) {
            common = dir;
            continue;
        }
        size_t k = 0, cut = 0;
        while (common[k] && common[k] == dir[k]) {
            if (common[k] == '/')
                cut = k;
            k++;
        }
        if ((common[k] == '\0' && (dir[k] == '\0' || dir[k] == '/')) ||
            (dir[k] == '\0' && common[k] == '/'))
            cut = k; /* one is a folder of the other */
        common[cut] = '\0';
        free(dir);
    }
    char *out = NULL;
    /* Files registered outside the job (an export's dest) are absolute. */
    if (common && common[0] == '/' && asprintf(&out, "%s/", common) < 0)
        out = NULL;
    else if (common && common[0] != '/' &&
             asprintf(&out, "%s%s%s/", jobdir, *common ? "/" : "", common) < 0)
        out = NULL;
    free(common);
    return out;
}

char *
job_record_output(const char *jobdir, json_t *jobjson)
{
    json_t *files = json_object_get(jobjson, "files");
    if (json_array_size(files) > 0) {
        char *c = common_folder(jobdir, files);
        if (c)
            return c;
    }
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
