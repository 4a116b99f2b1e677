/* provenance.c - finding the job that wrote an image file (provenance.h). */
#include "provenance.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axle_internal.h"
#include "job_record.h"

bool
prov_read_claim(const void *data, size_t len, prov_claim *c)
{
    memset(c, 0, sizeof *c);
    size_t xl;
    const char *xmp = axle_image_xmp(data, len, &xl);
    if (!xmp)
        return false;
    c->version = axle_internal_xmp_field(xmp, xl, "version");
    c->job = axle_internal_xmp_field(xmp, xl, "job");
    c->identity = axle_internal_xmp_field(xmp, xl, "identity");
    c->source = axle_internal_xmp_field(xmp, xl, "source");
    c->recipe = axle_internal_xmp_field(xmp, xl, "recipe");
    if (c->job || c->identity || c->recipe)
        return true;
    prov_claim_free(c);
    return false;
}

void
prov_claim_free(prov_claim *c)
{
    free(c->version);
    free(c->job);
    free(c->identity);
    free(c->source);
    free(c->recipe);
    memset(c, 0, sizeof *c);
}

void
prov_match_free(prov_match *m)
{
    if (!m)
        return;
    free(m->job_id);
    free(m->job_dir);
    free(m->file);
    free(m->source);
    free(m->source_path);
}

/* The path of `name` among the files the job at the root of the dataset
 * chain (the import) listed in its inputs.txt ("size TAB mtime TAB path"
 * lines): the one equal to it or ending in "/name".  NULL when none or
 * several do. */
static char *
imported_path(const char *ds_path, const char *name)
{
    char err[512], *root = strdup(ds_path);
    for (int depth = 0; root && depth < 64; depth++) {
        axle_dataset *ds = axle_dataset_open(root, err, sizeof err);
        const char *parent = ds ? axle_dataset_parent_path(ds) : NULL;
        char *next = parent ? strdup(parent) : NULL;
        axle_dataset_close(ds);
        if (!next)
            break;
        free(root);
        root = next;
    }
    char *cut = root ? strstr(root, "/ds/") : NULL;
    if (!cut) {
        free(root);
        return NULL;
    }
    *cut = '\0';
    char *list = NULL;
    FILE *f = asprintf(&list, "%s/inputs.txt", root) < 0 ? NULL : fopen(list, "r");
    free(list);
    free(root);
    char *line = NULL, *found = NULL;
    size_t cap = 0, nlen = strlen(name), hits = 0;
    ssize_t got;
    while (f && (got = getline(&line, &cap, f)) > 0) {
        if (line[got - 1] == '\n')
            line[--got] = '\0';
        char *t = line[0] == '#' ? NULL : strchr(line, '\t');
        char *p = t ? strchr(t + 1, '\t') : NULL;
        if (!p++)
            continue;
        size_t pl = strlen(p);
        if (strcmp(p, name) == 0 ||
            (pl > nlen && p[pl - nlen - 1] == '/' && strcmp(p + pl - nlen, name) == 0)) {
            free(found);
            found = strdup(p);
            hits++;
        }
    }
    free(line);
    if (f)
        fclose(f);
    if (hits != 1) {
        free(found);
        found = NULL;
    }
    return found;
}

/* The current cell of a string cursor (malloc'd), or NULL. */
static char *
cell_text(axle_cursor *c)
{
    if (!c || axle_cursor_is_null(c))
        return NULL;
    size_t len;
    const char *s = axle_cursor_bytes(c, &len);
    return s ? strndup(s, len) : NULL;
}

/* Opens a string column when the dataset has it, else NULL. */
static axle_cursor *
text_column(axle_dataset *ds, const char *name)
{
    char err[512];
    return axle_dataset_column_type(ds, name) == AXLE_STRING
               ? axle_cursor_open(ds, name, -1, err, sizeof err) : NULL;
}

/* Fills m->file, m->source (and its path) from the row of the job's
 * dataset whose image_sha256 is `digest`.  True when a row matched. */
static bool
fill_from_row(prov_match *m, const char *digest)
{
    char path[8192], err[512];
    snprintf(path, sizeof path, "%s/ds/default", m->job_dir);
    axle_dataset *ds = digest ? axle_dataset_open(path, err, sizeof err) : NULL;
    axle_cursor *sums = ds ? text_column(ds, "image_sha256") : NULL;
    axle_cursor *files = sums ? text_column(ds, "file") : NULL;
    axle_cursor *names = files ? text_column(ds, "filename") : NULL;
    axle_cursor *paths = files ? text_column(ds, "path") : NULL;
    bool found = false;
    while (files && !found && axle_cursor_next(sums) == 1 && axle_cursor_next(files) == 1 &&
           (!names || axle_cursor_next(names) == 1) && (!paths || axle_cursor_next(paths) == 1)) {
        size_t len;
        const char *s = axle_cursor_is_null(sums) ? NULL : axle_cursor_bytes(sums, &len);
        if (!s || len != strlen(digest) || memcmp(s, digest, len) != 0)
            continue;
        found = true;
        m->file = cell_text(files);
        m->source = cell_text(names);
        m->source_path = cell_text(paths);
    }
    if (found && m->source && !m->source_path)
        m->source_path = imported_path(path, m->source);
    axle_cursor_close(sums);
    axle_cursor_close(files);
    axle_cursor_close(names);
    axle_cursor_close(paths);
    axle_dataset_close(ds);
    return found;
}

/* The complete job `id` when its identity is `identity` (any when NULL);
 * else NULL, with the identity it has in *other (malloc'd) if it exists. */
static prov_match *
complete_job(const workdir *w, const char *id, const char *identity, char **other)
{
    prov_match *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->job_id = strdup(id);
    m->job_dir = workdir_job_dir(w, id);
    json_t *j = m->job_dir ? job_record_load(m->job_dir) : NULL;
    const char *status = json_string_value(json_object_get(j, "status"));
    const char *has = json_string_value(json_object_get(j, "identity"));
    bool ok = status && strcmp(status, "complete") == 0 && has &&
              (!identity || strcmp(has, identity) == 0);
    if (!ok && other && has)
        *other = strdup(has);
    json_decref(j);
    if (!ok) {
        prov_match_free(m);
        free(m);
        return NULL;
    }
    return m;
}

prov_match *
prov_by_claim(const workdir *w, const prov_claim *c, const char *digest, char **why)
{
    *why = NULL;
    if (!c->identity)
        return NULL; /* an id alone could name any job of that number */
    prov_match *m = NULL;
    char *id = workdir_lookup(w, c->identity), *other = NULL;
    if (id)
        m = complete_job(w, id, c->identity, NULL);
    free(id);
    if (!m && c->job && !strchr(c->job, '/') && c->job[0] != '.')
        m = complete_job(w, c->job, c->identity, &other);
    if (!m) {
        if (other && asprintf(why, "%s in %s is another job now (identity %.12s...)",
                              c->job, w->path, other) < 0)
            *why = NULL;
        else if (!other && asprintf(why, "%s holds no job of identity %.12s...", w->path,
                                    c->identity) < 0)
            *why = NULL;
        free(other);
        return NULL;
    }
    if (!fill_from_row(m, digest) && c->source) {
        m->source = strdup(c->source);
        char path[8192];
        snprintf(path, sizeof path, "%s/ds/default", m->job_dir);
        m->source_path = imported_path(path, c->source);
    }
    return m;
}

/* Job number of a folder named "NAME-N" of the workdir, or 0. */
static long
job_number(const workdir *w, const char *entry)
{
    size_t nl = strlen(w->name);
    if (strncmp(entry, w->name, nl) != 0 || entry[nl] != '-')
        return 0;
    char *end;
    long n = strtol(entry + nl + 1, &end, 10);
    return *end == '\0' && n > 0 && n <= WORKDIR_JOB_MAX ? n : 0;
}

static int
newest_first(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

prov_match *
prov_by_digest(const workdir *w, const char *digest, size_t *n)
{
    *n = 0;
    DIR *d = digest ? opendir(w->path) : NULL;
    long *nums = NULL;
    size_t count = 0, cap = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        long num = job_number(w, e->d_name);
        if (!num)
            continue;
        if (count == cap) {
            long *grown = realloc(nums, (cap = cap ? 2 * cap : 64) * sizeof *nums);
            if (!grown)
                break;
            nums = grown;
        }
        nums[count++] = num;
    }
    if (d)
        closedir(d);
    qsort(nums, count, sizeof *nums, newest_first);
    prov_match *out = NULL;
    for (size_t i = 0; i < count; i++) {
        char id[512];
        snprintf(id, sizeof id, "%s-%ld", w->name, nums[i]);
        prov_match *m = complete_job(w, id, NULL, NULL);
        if (m && fill_from_row(m, digest)) {
            prov_match *grown = realloc(out, (*n + 1) * sizeof *out);
            if (grown) {
                out = grown;
                out[(*n)++] = *m;
                free(m);
                continue;
            }
        }
        prov_match_free(m);
        free(m);
    }
    free(nums);
    return out;
}
