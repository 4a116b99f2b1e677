/* import_chain.c - an incremental import.
 *
 * The base job's inputs.txt lists every file it read with its size and
 * modification time, sorted; this job's list (sorted too: the core's
 * facts, or the import's own expansion) is merged with it: a path that is
 * new is added, one with another size or time is changed, one no longer
 * listed is removed.  Both lists are streamed, so memory holds the delta,
 * not the collection.  Only added and changed files are read (the new
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

/* ---- this run's files, from the core's facts or the import's own list ---- */

void
import_source_rewind(struct import_source *s)
{
    s->next = 0;
    if (s->facts)
        axle_file_facts_rewind(s->facts);
}

bool
import_source_next(struct import_source *s, const char **path, struct import_stamp *t)
{
    if (s->facts) {
        const axle_file_fact *f = axle_file_facts_next(s->facts);
        if (!f)
            return false;
        *path = f->path;
        *t = (struct import_stamp){f->size, f->mtime_sec, f->mtime_nsec, true};
        return true;
    }
    if (s->next >= s->list->n)
        return false;
    *path = s->list->paths[s->next];
    *t = import_list_stamp(s->list, s->next++);
    return true;
}

/* ---- the base's inputs.txt, a line at a time ---- */

struct base_list {
    FILE *f;
    char *line;         /* "SIZE\tMTIME\tPATH", its newline cut */
    size_t cap, len;
    const char *path;   /* into line */
    size_t stamp_len;   /* "SIZE\tMTIME" */
    char *prev;         /* the path before, for the order check */
    size_t prev_cap;
    bool at_end;
};

/* Opens the base's inputs.txt and reads its header: the folder names are
 * relative to into *folder.  A reason, or NULL. */
static const char *
base_open(struct base_list *b, const char *jobdir, char **folder)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/inputs.txt", jobdir);
    memset(b, 0, sizeof *b);
    if (!(b->f = fopen(path, "r")))
        return "its inputs.txt cannot be read";
    static const char head[] = "(names are relative to ";
    ssize_t n = getline(&b->line, &b->cap, b->f);
    if (n > 0 && b->line[n - 1] == '\n')
        b->line[--n] = '\0';
    char *at = n > 0 ? strstr(b->line, head) : NULL;
    size_t len = at ? strlen(at + sizeof head - 1) : 0;
    if (!at || len == 0 || at[sizeof head - 1 + len - 1] != ')')
        return "its inputs.txt has no header";
    *folder = strndup(at + sizeof head - 1, len - 1);
    return *folder ? NULL : "out of memory";
}

/* The next file of the base's list into b->path and its stamp; a reason
 * when the list is damaged or out of order, else NULL (b->at_end at the
 * end). */
static const char *
base_next(struct base_list *b)
{
    if (b->path) { /* the order check: each path after the one before */
        size_t len = strlen(b->path) + 1;
        if (len > b->prev_cap) {
            char *grown = realloc(b->prev, len);
            if (!grown)
                return "out of memory";
            b->prev = grown;
            b->prev_cap = len;
        }
        memcpy(b->prev, b->path, len);
    }
    ssize_t n = getline(&b->line, &b->cap, b->f);
    if (n <= 0) {
        b->at_end = true;
        b->path = NULL;
        return ferror(b->f) ? "its inputs.txt cannot be read" : NULL;
    }
    if (b->line[n - 1] == '\n')
        b->line[--n] = '\0';
    b->len = (size_t)n;
    char *t1 = strchr(b->line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2)
        return "its inputs.txt is damaged";
    b->path = t2 + 1;
    b->stamp_len = (size_t)(t2 - b->line);
    if (b->prev && strcmp(b->prev, b->path) >= 0)
        return "its inputs.txt is not sorted";
    return NULL;
}

static void
base_close(struct base_list *b)
{
    if (b->f)
        fclose(b->f);
    free(b->line);
    free(b->prev);
    memset(b, 0, sizeof *b);
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

/* A file new or changed since the base: read by the slices. */
static int
push_delta(struct import_chain *c, const char *path, struct import_stamp t)
{
    struct import_list *d = &c->delta;
    if (push(&d->paths, &d->n, path) < 0)
        return -1;
    struct import_stamp *grown = realloc(d->stamps, d->n * sizeof *grown);
    if (!grown)
        return -1;
    d->stamps = grown;
    d->stamps[d->n - 1] = t;
    return 0;
}

/* One of the base's files is no longer read as it was: its row goes. */
static void
drop(struct import_chain *c, const struct base_list *b)
{
    c->images--;
    c->bytes -= strtoll(b->line, NULL, 10); /* "-": 0 */
}

/* The diff proper, as a merge of two sorted lists (memory flat in the
 * collection: two lines at a time): a path only in this run's list is
 * added, one in both with another stamp changed, one only in the base's
 * removed.  inputs.txt is written as it goes; a line the base has as it
 * is now is copied.  A reason to go cold (the base's list damaged), -1
 * out of memory, or 0. */
static int
merge(struct import_source *src, struct base_list *b, FILE *out, const char *folder,
      struct import_chain *c, const char **why)
{
    const char *path = NULL;
    struct import_stamp t;
    bool have = import_source_next(src, &path, &t);
    if ((*why = base_next(b)) != NULL)
        return 0;
    while (have || !b->at_end) {
        int cmp = !have ? 1 : b->at_end ? -1 : strcmp(path, b->path);
        if (cmp > 0) { /* only in the base's list: removed */
            drop(c, b);
            if (push(&c->removed, &c->nremoved, import_name_below(folder, b->path)) < 0)
                return -1;
        } else if (cmp == 0) {
            char stamp[IMPORT_STAMP_TEXT];
            size_t n = import_stamp_text(t, stamp);
            if (n == b->stamp_len && memcmp(stamp, b->line, n) == 0) {
                fwrite(b->line, 1, b->len, out); /* unchanged: as the base has it */
                putc('\n', out);
            } else {
                drop(c, b);
                c->changed++;
                import_inputs_put(out, path, t);
                if (push_delta(c, path, t) < 0)
                    return -1;
            }
        } else { /* only in this run's: added */
            c->added++;
            import_inputs_put(out, path, t);
            if (push_delta(c, path, t) < 0)
                return -1;
        }
        if (cmp >= 0 && (*why = base_next(b)) != NULL)
            return 0;
        if (cmp <= 0)
            have = import_source_next(src, &path, &t);
    }
    return 0;
}

int
import_chain_plan(axle_job *job, struct import_source *src, const char *folder,
                  struct import_chain *c)
{
    memset(c, 0, sizeof *c);
    const char *base = axle_chain_base(job);
    if (!base)
        return AXLE_OK;
    struct base_list b;
    char *was_folder = NULL;
    const char *why = base_open(&b, base, &was_folder);
    axle_dataset *prev = why ? NULL : axle_chain_base_dataset(job, "default");
    c->images = base_result(base, "images");
    c->bytes = base_result(base, "bytes");
    if (!why && strcmp(was_folder, folder) != 0)
        why = "the folder the names are relative to is not the same";
    else if (!why && (!prev || !axle_dataset_key(prev)))
        why = "its dataset has no key column";
    else if (!why && (base_result(base, "skipped") != 0 || c->images < 0 || c->bytes < 0))
        why = "it skipped files (or its result is unreadable)";
    free(was_folder);
    int rc = AXLE_OK;
    FILE *out = NULL;
    if (!why && !(c->delta.base = strdup(folder)))
        rc = axle_error(job, AXLE_ENOMEM, "out of memory");
    else if (!why && !(out = import_inputs_open(job, folder)))
        rc = AXLE_EIO;
    if (out) {
        import_source_rewind(src);
        if (merge(src, &b, out, folder, c, &why) < 0)
            rc = axle_error(job, AXLE_ENOMEM, "out of memory");
        int closed = import_inputs_close(job, out);
        rc = rc == AXLE_OK && !why ? closed : rc;
    }
    base_close(&b);
    if (why || rc != AXLE_OK) {
        import_chain_free(c);
        return why && rc == AXLE_OK ? axle_chain_cold(job, why) : rc;
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
    FILE *f = rc == AXLE_OK && text
                  ? fopen(axle_prepare_again(job) ? "/dev/null" : path, "w") /* rank 0's */
                  : NULL;
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
