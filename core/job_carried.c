/* job_carried.c - recording the files a job took over from its base
 * (job_carried.h). */
#include "job_carried.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "fsutil.h"
#include "job_record.h"
#include "manifest_file.h"

struct carry {
    job_manifest *mf;
    FILE *list;          /* the new files.json */
    const char *prefix;  /* "output/" */
    size_t prefix_len;
    const char **left_out; /* names below the folder, sorted (bsearch: a
                              jansson lookup per carried file showed) */
    size_t nleft_out;
    size_t count;
    char *first;         /* "output/" once a file is carried */
    bool failed;         /* the manifest could not be written */
};

/* A path as a JSON string on one line, as job_lists.c writes one:
 * plain ASCII as it is, anything else through jansson. */
static void
put_path(FILE *f, const char *path)
{
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)path; plain && *p; p++)
        plain = *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\';
    if (plain) { /* by hand: fprintf's cost showed at 100,000 carried files */
        putc('"', f);
        fputs(path, f);
        putc('"', f);
        return;
    }
    json_t *s = json_string(path);
    char *text = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    fputs(text ? text : "null", f);
    free(text);
    json_decref(s);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One entry of the base's manifest: carried when it lies in the folder
 * and was not left out. */
static char *
carry_entry(const char *path, long long size, long long mtime_ns, void *ctx)
{
    struct carry *c = ctx;
    const char *below = path + c->prefix_len;
    if (c->failed || strncmp(path, c->prefix, c->prefix_len) != 0 ||
        (c->nleft_out &&
         bsearch(&below, c->left_out, c->nleft_out, sizeof *c->left_out, by_name)))
        return NULL;
    if (job_manifest_add_recorded(c->mf, path, size, mtime_ns) < 0) {
        c->failed = true;
        return NULL;
    }
    if (!c->count) /* the folder, for the job's common folder */
        c->first = strdup(c->prefix);
    fputs(c->count ? ",\n" : "[\n", c->list);
    put_path(c->list, path);
    c->count++;
    return NULL;
}

/* Appends the values of the job's own files.json (as job_lists.c wrote
 * it: "[", one value a line, "]") after the carried ones. */
static void
append_own(FILE *out, const char *own_path, size_t carried)
{
    FILE *f = fopen(own_path, "r");
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t len;
    while (f && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (strcmp(line, "[") == 0 || strcmp(line, "]") == 0 || len == 0)
            continue;
        if (len > 0 && line[len - 1] == ',')
            line[--len] = '\0';
        fputs(carried + n ? ",\n" : "[\n", out);
        fputs(line, out);
        n++;
    }
    free(line);
    if (f)
        fclose(f);
    fputs(carried + n ? "\n]\n" : "[\n]\n", out);
}

int
job_carried_merge(const char *jobdir, job_manifest *mf, size_t *count, char **one,
                  char *err, size_t errlen)
{
    *one = NULL;
    char *notepath = fs_absolute(AXLE_CARRIED_FILE, jobdir);
    json_t *note = fs_exists(notepath) ? fs_read_json(notepath) : NULL;
    bool noted = fs_exists(notepath);
    free(notepath);
    if (!noted || !mf)
        return 0;
    const char *base = json_string_value(json_object_get(note, "base"));
    const char *base_id = json_string_value(json_object_get(note, "base_id"));
    const char *folder = json_string_value(json_object_get(note, "folder"));
    json_t *basejson = base ? job_record_load(base) : NULL;
    json_t *manifest = json_object_get(basejson, "manifest");
    const char *sha = json_string_value(json_object_get(manifest, "sha256"));
    if (!base_id || !folder || !sha) {
        snprintf(err, errlen, "%s/%s: the job it took files from (%s) has no manifest.txt "
                 "to carry them over with", jobdir, AXLE_CARRIED_FILE, base ? base : "?");
        json_decref(basejson);
        json_decref(note);
        return -1;
    }
    char prefix[4096];
    snprintf(prefix, sizeof prefix, "%s/", folder);
    json_t *names = json_object_get(note, "left_out");
    struct carry c = {mf, NULL, prefix, strlen(prefix),
                      calloc(json_array_size(names) + 1, sizeof *c.left_out), 0, 0, NULL,
                      false};
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v)
        if (c.left_out && json_is_string(v))
            c.left_out[c.nleft_out++] = json_string_value(v);
    if (c.nleft_out)
        qsort(c.left_out, c.nleft_out, sizeof *c.left_out, by_name);
    c.failed = !c.left_out;
    char *listpath = fs_absolute("files.json", jobdir);
    fs_stream *out = fs_stream_begin(listpath);
    c.list = out ? out->f : NULL;
    char *why = out ? manifest_check(base, base_id, sha,
                                     (size_t)json_integer_value(json_object_get(manifest,
                                                                                "entries")),
                                     carry_entry, &c)
                    : NULL;
    int rc = 0;
    if (!out || why || c.failed) {
        snprintf(err, errlen, "%s: cannot carry the files of %s over: %s", jobdir, base_id,
                 !out ? strerror(errno) : why ? why : "manifest.txt cannot be written");
        fs_stream_abort(out);
        rc = -1;
    } else {
        append_own(out->f, listpath, c.count);
        if (fs_stream_commit(out) < 0) {
            snprintf(err, errlen, "%s: %s", listpath, strerror(errno));
            rc = -1;
        }
    }
    *count += c.count;
    *one = c.first;
    free(why);
    free(listpath);
    free(c.left_out);
    json_decref(basejson);
    json_decref(note);
    return rc;
}

char *
job_carried_refusal(const char *jobdir, const char *id)
{
    char *path = fs_absolute(AXLE_SUPERSEDED_FILE, jobdir);
    json_t *mark = fs_exists(path) ? fs_read_json(path) : NULL;
    bool marked = fs_exists(path);
    free(path);
    if (!marked)
        return NULL;
    const char *by = json_string_value(json_object_get(mark, "by"));
    const char *folder = json_string_value(json_object_get(mark, "folder"));
    char *r = refusal_reason("%s's %s/ moved to %s, which was built on it",
                             id, folder ? folder : "output", by ? by : "a later job");
    json_decref(mark);
    return r;
}
