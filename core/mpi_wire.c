/* mpi_wire.c - text messages over MPI, and a job spelt as JSON. */
#include "mpi_wire.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

int
wire_send(int rank, int tag, const char *text)
{
    const char *t = text ? text : "";
    return MPI_Send(t, (int)strlen(t), MPI_CHAR, rank, tag, MPI_COMM_WORLD) ==
                   MPI_SUCCESS ? 0 : -1;
}

void
wire_post(int rank, int tag)
{
    static const char empty[1];
    MPI_Request req;
    if (MPI_Isend(empty, 0, MPI_CHAR, rank, tag, MPI_COMM_WORLD, &req) == MPI_SUCCESS)
        MPI_Request_free(&req);
}

bool
wire_take(int rank, int tag, int *from, int *tag_out, char **text)
{
    int flag = 0, count = 0;
    MPI_Status st;
    if (MPI_Iprobe(rank, tag, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS || !flag)
        return false;
    MPI_Get_count(&st, MPI_CHAR, &count);
    char *buf = malloc((size_t)count + 1);
    if (!buf)
        return false;
    MPI_Recv(buf, count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    buf[count] = '\0';
    *from = st.MPI_SOURCE;
    *tag_out = st.MPI_TAG;
    *text = buf;
    return true;
}

char *
wire_job_text(const job_spec *spec, const slice_share *share)
{
    json_t *mine = json_array();
    for (int s = 0; s < spec->slices && s < SLICE_SHARE_MAX; s++)
        if (share->mine[s])
            json_array_append_new(mine, json_integer(s));
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:O, s:s, s:O, s:O, s:s, s:o}",
                          "method", spec->m->path, "sha256", spec->m->sha256,
                          "step", spec->step, "id", spec->id, "dir", spec->dir,
                          "slices", spec->slices, "options", spec->options,
                          "base_dir", spec->base_dir, "inputs", spec->inputs,
                          "job_inputs", spec->job_inputs, "identity", spec->identity,
                          "mine", mine);
    /* An incremental build: the ranks' slices need the base and recipe
     * too (lib/chain.c reads them in the slices). */
    if (j && spec->chain_base)
        json_object_set_new(j, "chain_base", json_string(spec->chain_base));
    if (j && spec->chain_inputs)
        json_object_set(j, "chain_inputs", spec->chain_inputs);
    if (j && spec->recipe)
        json_object_set_new(j, "recipe", json_string(spec->recipe));
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

static const char *
field(json_t *root, const char *name)
{
    return json_string_value(json_object_get(root, name));
}

int
wire_job_read(const char *text, wire_job *wj, char *err, size_t errlen)
{
    memset(wj, 0, sizeof *wj);
    json_error_t jerr;
    wj->root = json_loads(text, 0, &jerr);
    json_t *r = wj->root, *mine = json_object_get(r, "mine");
    job_spec *s = &wj->spec;
    s->step = field(r, "step");
    s->id = field(r, "id");
    s->dir = field(r, "dir");
    s->base_dir = field(r, "base_dir");
    s->identity = field(r, "identity");
    s->slices = (int)json_integer_value(json_object_get(r, "slices"));
    s->options = json_object_get(r, "options");
    s->inputs = json_object_get(r, "inputs");
    s->job_inputs = json_object_get(r, "job_inputs");
    s->chain_base = field(r, "chain_base");
    s->chain_inputs = json_object_get(r, "chain_inputs");
    s->recipe = field(r, "recipe");
    wj->method_sha256 = field(r, "sha256");
    const char *path = field(r, "method");
    if (!r || !s->step || !s->id || !s->dir || !s->base_dir || !s->identity ||
        !path || !wj->method_sha256 || s->slices < 1 || s->slices > SLICE_SHARE_MAX ||
        !json_is_object(s->options) || !json_is_object(s->inputs) ||
        !json_is_object(s->job_inputs) || !json_is_array(mine)) {
        snprintf(err, errlen, "a job message from rank 0 is not readable (%s); "
                 "is every rank the same axle?", r ? "fields missing" : jerr.text);
        return -1;
    }
    size_t i;
    json_t *v;
    json_array_foreach(mine, i, v) {
        json_int_t sl = json_integer_value(v);
        if (sl >= 0 && sl < s->slices)
            wj->mine[sl] = true;
    }
    char why[4096];
    s->m = loader_load_path(path, why, sizeof why);
    if (!s->m) {
        snprintf(err, errlen, "cannot load the method: %s", why);
        return -1;
    }
    if (strcmp(s->m->sha256, wj->method_sha256) != 0) {
        snprintf(err, errlen, "method %s is not the file rank 0 loaded (SHA-256 %.12s..., "
                 "rank 0's %.12s...); every host must see the same method files",
                 path, s->m->sha256, wj->method_sha256);
        return -1;
    }
    return 0;
}

void
wire_job_free(wire_job *wj)
{
    json_decref(wj->root);
    wj->root = NULL;
}

/* ---- progress, for the status ---- */

char *
wire_progress_text(const char *job, const job_shared *sh, const bool *mine, int slices)
{
    json_t *list = json_array();
    for (int s = 0; s < slices && s < SLICE_SHARE_MAX; s++) {
        if (!mine[s])
            continue;
        const stage_end *end = &sh->slice_ends[s];
        bool ended = end->state != END_NONE;
        json_array_append_new(list, json_pack("[i, I, I, b, f]", s,
                                              (json_int_t)sh->slots[s].done,
                                              (json_int_t)sh->slots[s].total, ended,
                                              ended ? end->seconds : 0.0));
    }
    json_t *j = json_pack("{s:s, s:o}", "job", job, "slices", list);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

void
wire_progress_take(const char *text, const char *job, job_shared *sh, int slices,
                   int from, int world)
{
    json_t *j = json_loads(text, 0, NULL);
    const char *id = json_string_value(json_object_get(j, "job"));
    size_t i;
    json_t *e;
    if (id && strcmp(id, job) == 0)
        json_array_foreach(json_object_get(j, "slices"), i, e) {
            json_int_t s = json_integer_value(json_array_get(e, 0));
            if (s < 0 || s >= slices || world <= 0 || s % world != from || from == 0)
                continue; /* not a slice that rank runs */
            sh->slots[s].done = (uint64_t)json_integer_value(json_array_get(e, 1));
            sh->slots[s].total = (uint64_t)json_integer_value(json_array_get(e, 2));
            if (!json_is_true(json_array_get(e, 3)))
                continue;
            /* Ended there: its time, then the state that says read it.  Only
             * the status and the job's slice times read a remote slice's
             * end; how it ended comes in the rank's answer. */
            sh->slice_ends[s].seconds = json_number_value(json_array_get(e, 4));
            __sync_synchronize();
            sh->slice_ends[s].state = END_RETURNED;
        }
    json_decref(j);
}
