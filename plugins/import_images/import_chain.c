/* import_chain.c - an incremental import.
 *
 * The base job's inputs.txt lists every file it read with its size and
 * modification time; this job's list is diffed against it: a path that is
 * new is added, one with another size or time is changed, one no longer
 * listed is removed.  Only added and changed files are read (the new
 * link's rows); removed ones are recorded by name, the chain's key.  The
 * import goes cold instead when the names would not be the base's (the
 * folder they are relative to moved) or when the base skipped files (its
 * skipped list could not be carried over exactly). */
#include "import_chain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

/* What the base recorded of one file: "size\tmtime". */
struct old_file {
    char *stamp;
    bool seen;
};

/* Loads the base's inputs.txt: path -> "size\tmtime" into `files`, the
 * folder names are relative to into *base.  A reason, or NULL. */
static const char *
load_base_list(const char *jobdir, json_t *files, char **base)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/inputs.txt", jobdir);
    FILE *f = fopen(path, "r");
    if (!f)
        return "its inputs.txt cannot be read";
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    const char *why = NULL;
    static const char head[] = "(names are relative to ";
    for (bool first = true; !why && (n = getline(&line, &cap, f)) > 0; first = false) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (first) {
            char *at = strstr(line, head);
            size_t len = at ? strlen(at + sizeof head - 1) : 0;
            if (!at || len == 0 || at[sizeof head - 1 + len - 1] != ')')
                why = "its inputs.txt has no header";
            else
                *base = strndup(at + sizeof head - 1, len - 1);
            continue;
        }
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            why = "its inputs.txt is damaged";
            break;
        }
        *t2 = '\0';
        json_object_set_new(files, t2 + 1, json_string(line));
    }
    free(line);
    fclose(f);
    return why;
}

/* The base's result number `key`, or -1. */
static int64_t
base_result(const char *jobdir, const char *key)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/result.json", jobdir);
    json_t *r = json_load_file(path, 0, NULL);
    json_t *v = json_object_get(r, key);
    int64_t n = json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
    json_decref(r);
    return n;
}

static int
push(char ***v, size_t *n, const char *s)
{
    char **grown = realloc(*v, (*n + 1) * sizeof **v);
    if (!grown)
        return -1;
    *v = grown;
    return (grown[(*n)++] = strdup(s)) ? 0 : -1;
}

/* The diff proper, base list in `old`. */
static int
diff(axle_job *job, const struct import_list *l, json_t *old, struct import_chain *c)
{
    int64_t dropped_bytes = 0, dropped = 0;
    for (size_t i = 0; i < l->n; i++) {
        json_t *was = json_object_get(old, l->paths[i]);
        struct import_stamp t = import_list_stamp(l, i);
        char stamp[64] = "-\t-";
        if (t.ok)
            snprintf(stamp, sizeof stamp, "%lld\t%lld.%09ld", t.size, t.sec, t.nsec);
        bool same = was && strcmp(json_string_value(was), stamp) == 0;
        if (was) {
            if (!same) {
                dropped++;
                dropped_bytes += strtoll(json_string_value(was), NULL, 10);
            }
            json_object_del(old, l->paths[i]);
        }
        if (same)
            continue;
        c->added += !was;
        c->changed += was != NULL;
        if (push(&c->delta.paths, &c->delta.n, l->paths[i]) < 0)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
    }
    /* what is left of the old list is gone */
    const char *path;
    json_t *was;
    size_t bl = strlen(l->base);
    json_object_foreach(old, path, was) {
        const char *name = bl && strncmp(path, l->base, bl) == 0 && path[bl] == '/'
                               ? path + bl + 1 : path;
        if (bl == 1 && l->base[0] == '/')
            name = path + 1;
        dropped++;
        dropped_bytes += strtoll(json_string_value(was), NULL, 10);
        if (push(&c->removed, &c->nremoved, name) < 0)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
    }
    c->images -= dropped;
    c->bytes -= dropped_bytes;
    return AXLE_OK;
}

int
import_chain_plan(axle_job *job, const struct import_list *l, struct import_chain *c)
{
    memset(c, 0, sizeof *c);
    const char *base = axle_chain_base(job);
    if (!base)
        return AXLE_OK;
    json_t *old = json_object();
    char *folder = NULL;
    const char *why = load_base_list(base, old, &folder);
    axle_dataset *prev = why ? NULL : axle_chain_base_dataset(job, "default");
    c->images = base_result(base, "images");
    c->bytes = base_result(base, "bytes");
    if (!why && (!folder || strcmp(folder, l->base) != 0))
        why = "the folder the names are relative to is not the same";
    else if (!why && (!prev || !axle_dataset_key(prev)))
        why = "its dataset has no key column";
    else if (!why && (base_result(base, "skipped") != 0 || c->images < 0 || c->bytes < 0))
        why = "it skipped files (or its result is unreadable)";
    int rc = AXLE_OK;
    if (!why) {
        c->delta.base = strdup(l->base);
        rc = c->delta.base ? diff(job, l, old, c) : axle_error(job, AXLE_ENOMEM, "oom");
    }
    json_decref(old);
    free(folder);
    if (why || rc != AXLE_OK) {
        import_chain_free(c);
        return why ? axle_chain_cold(job, why) : rc;
    }
    return AXLE_OK;
}

int
import_chain_record(axle_job *job, axle_writer *out, const struct import_chain *c)
{
    int rc = AXLE_OK;
    json_t *names = json_array();
    for (size_t i = 0; i < c->nremoved && rc == AXLE_OK; i++)
        rc = axle_writer_remove(out, c->removed[i]);
    /* the first few names: added and changed, then removed */
    for (size_t i = 0; i < c->delta.n && json_array_size(names) < 5; i++)
        json_array_append_new(names, json_string(import_list_relname(&c->delta, i)));
    for (size_t i = 0; i < c->nremoved && json_array_size(names) < 5; i++)
        json_array_append_new(names, json_string(c->removed[i]));
    json_t *d = json_pack("{s:I, s:I, s:I, s:o, s:{s:I, s:I}}", "added",
                          (json_int_t)c->added, "changed", (json_int_t)c->changed,
                          "removed", (json_int_t)c->nremoved, "names", names, "carried",
                          "images", (json_int_t)c->images, "bytes", (json_int_t)c->bytes);
    char *text = d ? json_dumps(d, JSON_INDENT(1)) : NULL;
    json_decref(d);
    /* beside inputs.txt, not an output: the core reads it for "why" */
    char path[4096];
    snprintf(path, sizeof path, "%s/delta.json", axle_job_dir(job));
    FILE *f = rc == AXLE_OK && text ? fopen(path, "w") : NULL;
    if (rc == AXLE_OK && (!f || fputs(text, f) < 0))
        rc = axle_error(job, AXLE_EIO, "%s: %s", path, strerror(errno));
    if (f && fclose(f) != 0 && rc == AXLE_OK)
        rc = axle_error(job, AXLE_EIO, "%s: %s", path, strerror(errno));
    free(text);
    return rc;
}

bool
import_chain_carried(axle_job *job, int64_t *images, int64_t *bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/delta.json", axle_job_dir(job));
    json_t *d = json_load_file(path, 0, NULL);
    json_t *carried = json_object_get(d, "carried");
    *images = (int64_t)json_integer_value(json_object_get(carried, "images"));
    *bytes = (int64_t)json_integer_value(json_object_get(carried, "bytes"));
    json_decref(d);
    return carried != NULL;
}

void
import_chain_free(struct import_chain *c)
{
    for (size_t i = 0; i < c->nremoved; i++)
        free(c->removed[i]);
    free(c->removed);
    import_list_free(&c->delta);
    memset(c, 0, sizeof *c);
}
