/* job_lists.c - gathering the per-process lists into one file each. */
#include "job_lists.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

struct gather {
    const char *jobdir;
    const char *listname;
    fs_stream *out; /* made at the first value */
    size_t count;
    int err;
    job_list_fn fn;
    void *ctx;
};

/* One value: a line of the list, written as jansson writes a value on
 * one line (sorted keys, UTF-8 kept as it is). */
static void
put_value(struct gather *g, json_t *v)
{
    char *text = json_dumps(v, JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!g->out && !g->err) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", g->jobdir, g->listname);
        g->out = fs_stream_begin(path);
        if (!g->out)
            g->err = errno;
        else
            fputs("[\n", g->out->f);
    }
    if (g->out && text)
        fprintf(g->out->f, "%s%s", g->count ? ",\n" : "", text);
    if (!text && !g->err)
        g->err = ENOMEM;
    free(text);
    g->count++;
}

static void
gather_file(struct gather *g, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, nth = 0;
    while (f && getline(&line, &cap, f) > 0) {
        json_t *v = json_loads(line, JSON_DECODE_ANY, NULL);
        if (!v)
            continue; /* a line cut off by a full disk */
        put_value(g, v);
        if (g->fn)
            g->fn(v, nth, g->ctx);
        nth++;
        json_decref(v);
    }
    free(line);
    if (f)
        fclose(f);
}

int
job_list_gather(const char *jobdir, const char *prefix, const char *listname,
                job_list_fn fn, void *ctx, size_t *count)
{
    struct gather g = {jobdir, listname, NULL, 0, 0, fn, ctx};
    struct dirent **names = NULL;
    int n = scandir(jobdir, &names, NULL, versionsort);
    size_t plen = strlen(prefix);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.' && strncmp(name + 1, prefix, plen) == 0 &&
            name[plen + 1] == '.') {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", jobdir, name);
            gather_file(&g, path);
            unlink(path);
        }
        free(names[i]);
    }
    free(names);
    *count = g.count;
    if (g.out) {
        fputs("\n]\n", g.out->f);
        if (g.err)
            fs_stream_abort(g.out);
        else if (fs_stream_commit(g.out) < 0)
            g.err = errno;
    }
    errno = g.err;
    return g.err ? -1 : 0;
}
