/* pipeline.c - a pipeline file read, checked and put in dependency order.
 *
 * Everything that needs no method happens here; options are checked later
 * against each method's schema (options.c).  Problems are reported all at
 * once where that is cheap, each at its place in the file. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "params.h"

#define MAX_SLICES 1024

static const char *const top_keys[] = {"workdir", "slices", "params", "jobs", NULL};
static const char *const step_keys[] = {"method", "options", "datasets", "jobs", NULL};

static const char *
key_list(const char *const *keys, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; keys[i] && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", keys[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

static bool
is_one_of(const char *s, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(s, keys[i]) == 0)
            return true;
    return false;
}

/* Unknown keys of a mapping, each reported at the key; 0 or -1. */
static int
check_keys(const ynode *map, const char *const *valid, const char *what)
{
    int rc = 0;
    for (size_t i = 0; i < map->n; i++) {
        const ynode *k = map->keys[i];
        if (is_one_of(k->scalar, valid))
            continue;
        char q[128], list[256];
        diag_error(k->file, k->line, k->col, "unknown key '%s'%s (valid keys: %s)",
                   ydoc_quote(k->scalar, q, sizeof q), what, key_list(valid, list, sizeof list));
        rc = -1;
    }
    return rc;
}

static bool
is_null(const ynode *n)
{
    return !n || (n->kind == YNODE_SCALAR && yscalar_classify(n) == YS_NULL);
}

/* Step, input and dataset names end up in REFs ("import/default") and
 * folder names, so they stay simple. */
static bool
simple_name(const char *s)
{
    if (!*s || *s == '-' || *s == '.')
        return false;
    for (; *s; s++)
        if (!(*s == '_' || *s == '-' || *s == '.' || (*s >= '0' && *s <= '9') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
            return false;
    return true;
}

static const char *
step_names(const pipeline *p, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->nsteps && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", p->steps[i].name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* ---- workdir and slices ----------------------------------------------------- */

static int
read_workdir(pipeline *p, const ynode *n, const char *cwd)
{
    if (!n) {
        p->workdir = fs_absolute("axle-work", cwd);
        return p->workdir ? 0 : -1;
    }
    /* `workdir: ~` is YAML's null, not the home folder: silently using
     * ./axle-work would surprise whoever wrote it. */
    if (is_null(n)) {
        diag_error(n->file, n->line, n->col,
                   "'workdir' is empty (a bare ~ is YAML's null, not the home folder): "
                   "write a folder name such as \"~/axle-work\", or leave the key out "
                   "for ./axle-work");
        return -1;
    }
    if (n->kind != YNODE_SCALAR || !*n->scalar) {
        diag_error(n->file, n->line, n->col, "'workdir' must be a folder name, not %s",
                   n->kind == YNODE_SCALAR ? "an empty text" : ynode_kind_name(n));
        return -1;
    }
    /* Results go where the user stands, wherever the pipeline lives. */
    char *home = params_expand_home(n->scalar);
    p->workdir = fs_absolute(home ? home : n->scalar, cwd);
    free(home);
    return p->workdir ? 0 : -1;
}

static int
read_slices(pipeline *p, const ynode *n)
{
    int64_t v;
    p->slices = 0;
    if (is_null(n) || (n->kind == YNODE_SCALAR && strcmp(n->scalar, "auto") == 0))
        return 0;
    if (n->kind == YNODE_SCALAR && yscalar_int(n, &v) && v >= 1 && v <= MAX_SLICES) {
        p->slices = (int)v;
        return 0;
    }
    char q[128];
    diag_error(n->file, n->line, n->col,
               "'slices' must be a whole number from 1 to %d, or auto; got %s%s%s", MAX_SLICES,
               n->kind == YNODE_SCALAR ? "'" : "",
               n->kind == YNODE_SCALAR ? ydoc_quote(n->scalar, q, sizeof q) : ynode_kind_name(n),
               n->kind == YNODE_SCALAR ? "'" : "");
    return -1;
}

/* ---- steps ------------------------------------------------------------------ */

static int
read_method(pipeline *p, step *st, const ynode *key, const ynode *n, const char *cwd)
{
    if (!n) {
        diag_error(key->file, key->line, key->col, "step '%s' has no 'method'", st->name);
        return -1;
    }
    if (n->kind != YNODE_SCALAR || is_null(n) || !*n->scalar) {
        diag_error(n->file, n->line, n->col,
                   "'method' of step '%s' must be a method name or a path to a .so, not %s",
                   st->name, n->kind == YNODE_SCALAR ? "an empty value" : ynode_kind_name(n));
        return -1;
    }
    st->method = params_expand_home(n->scalar);
    if (!st->method)
        st->method = strdup(n->scalar);
    st->method_line = n->line;
    st->method_col = n->col;
    st->method_base = strdup(n->from_cli ? cwd : p->dir);
    return st->method && st->method_base ? 0 : -1;
}

static int
add_input(step *st, const ynode *key, const ynode *val, bool is_job)
{
    char q[128];
    const char *kind = is_job ? "jobs" : "datasets";
    if (!simple_name(key->scalar)) {
        diag_error(key->file, key->line, key->col,
                   "input name '%s' may hold only letters, digits, '_', '-' and '.'",
                   ydoc_quote(key->scalar, q, sizeof q));
        return -1;
    }
    for (size_t i = 0; i < st->ninputs; i++) {
        if (strcmp(st->inputs[i].name, key->scalar) == 0) {
            diag_error(key->file, key->line, key->col,
                       "input '%s' of step '%s' is given twice (first on line %d)",
                       key->scalar, st->name, st->inputs[i].line);
            return -1;
        }
    }
    if (val->kind != YNODE_SCALAR || is_null(val)) {
        diag_error(val->file, val->line, val->col, "%s input '%s' must name a step%s, not %s",
                   kind, key->scalar, is_job ? "" : " (or STEP/DATASET)", ynode_kind_name(val));
        return -1;
    }
    const char *slash = strchr(val->scalar, '/');
    if (slash && is_job) {
        diag_error(val->file, val->line, val->col,
                   "jobs input '%s' names a step, not a dataset: '%s' (use 'datasets:' for STEP/DATASET)",
                   key->scalar, ydoc_quote(val->scalar, q, sizeof q));
        return -1;
    }
    char *stepname = slash ? strndup(val->scalar, (size_t)(slash - val->scalar)) : strdup(val->scalar);
    char *dataset = strdup(slash ? slash + 1 : "default");
    step_input *in = &st->inputs[st->ninputs];
    *in = (step_input){.name = strdup(key->scalar), .step = stepname, .dataset = dataset,
                       .is_job = is_job, .line = val->line, .col = val->col};
    st->ninputs++;
    if (!in->name || !stepname || !dataset)
        return -1;
    if (!*stepname || !simple_name(dataset)) {
        diag_error(val->file, val->line, val->col,
                   "'%s' is not STEP or STEP/DATASET (a dataset name is letters, digits, '_', '-' and '.')",
                   ydoc_quote(val->scalar, q, sizeof q));
        return -1;
    }
    return 0;
}

static int
read_inputs(step *st, const ynode *map, bool is_job)
{
    if (is_null(map))
        return 0;
    const char *kind = is_job ? "jobs" : "datasets";
    if (map->kind != YNODE_MAP) {
        diag_error(map->file, map->line, map->col,
                   "'%s' of step '%s' must be a mapping of INPUT: %s, not %s", kind, st->name,
                   is_job ? "STEP" : "STEP or STEP/DATASET", ynode_kind_name(map));
        return -1;
    }
    step_input *grown = realloc(st->inputs, (st->ninputs + map->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    st->inputs = grown;
    int rc = 0;
    for (size_t i = 0; i < map->n; i++)
        if (add_input(st, map->keys[i], map->items[i], is_job) < 0)
            rc = -1;
    return rc;
}

static int
read_step(pipeline *p, step *st, const ynode *key, ynode *body, const char *cwd)
{
    char q[128];
    st->line = key->line;
    st->col = key->col;
    if (!(st->name = strdup(key->scalar)))
        return -1;
    if (!simple_name(key->scalar)) {
        diag_error(key->file, key->line, key->col,
                   "step name '%s' may hold only letters, digits, '_', '-' and '.'",
                   ydoc_quote(key->scalar, q, sizeof q));
        return -1;
    }
    if (body->kind != YNODE_MAP) {
        diag_error(body->file, body->line, body->col,
                   "step '%s' must be a mapping with 'method' (and 'options', 'datasets', 'jobs'), not %s",
                   st->name, ynode_kind_name(body));
        return -1;
    }
    char what[160];
    snprintf(what, sizeof what, " in step '%s'", st->name);
    int rc = check_keys(body, step_keys, what);
    if (read_method(p, st, key, ynode_get(body, "method"), cwd) < 0)
        rc = -1;
    ynode *opts = ynode_get(body, "options");
    if (!is_null(opts) && opts->kind != YNODE_MAP) {
        diag_error(opts->file, opts->line, opts->col,
                   "'options' of step '%s' must be a mapping of NAME: value, not %s", st->name,
                   ynode_kind_name(opts));
        rc = -1;
    } else if (!is_null(opts)) {
        st->options = opts;
    }
    if (read_inputs(st, ynode_get(body, "datasets"), false) < 0)
        rc = -1;
    if (read_inputs(st, ynode_get(body, "jobs"), true) < 0)
        rc = -1;
    return rc;
}

static int
read_steps(pipeline *p, const ynode *root, const ynode *jobs, const char *cwd)
{
    if (!jobs) {
        diag_error(root->file, root->line, root->col,
                   "the pipeline has no 'jobs': a mapping of STEP: {method: ...}");
        return -1;
    }
    if (jobs->kind != YNODE_MAP || jobs->n == 0) {
        diag_error(jobs->file, jobs->line, jobs->col,
                   "'jobs' must be a mapping of STEP: {method: ...}, not %s",
                   jobs->kind == YNODE_MAP ? "an empty one" : ynode_kind_name(jobs));
        return -1;
    }
    p->steps = calloc(jobs->n, sizeof *p->steps);
    if (!p->steps)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        p->nsteps++;
        if (read_step(p, &p->steps[i], jobs->keys[i], jobs->items[i], cwd) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- references and order --------------------------------------------------- */

struct named {
    const char *name;
    size_t index;
};

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static size_t
lookup(const struct named *sorted, size_t n, const char *name)
{
    struct named key = {name, 0};
    const struct named *hit = bsearch(&key, sorted, n, sizeof *sorted, by_name);
    return hit ? hit->index : (size_t)-1;
}

/* Binds each input to its step (names looked up through a sorted index:
 * a hostile file may hold many thousands of steps). */
static int
resolve_references(pipeline *p)
{
    struct named *sorted = malloc(p->nsteps * sizeof *sorted);
    if (!sorted)
        return -1;
    for (size_t i = 0; i < p->nsteps; i++)
        sorted[i] = (struct named){p->steps[i].name, i};
    qsort(sorted, p->nsteps, sizeof *sorted, by_name);
    int rc = 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        step *st = &p->steps[i];
        for (size_t j = 0; j < st->ninputs; j++) {
            step_input *in = &st->inputs[j];
            in->step_index = lookup(sorted, p->nsteps, in->step);
            if (in->step_index != (size_t)-1)
                continue;
            char q[128], names[1024];
            diag_error(p->root->file, in->line, in->col,
                       "step '%s' uses unknown step '%s' (steps: %s)", st->name,
                       ydoc_quote(in->step, q, sizeof q), step_names(p, names, sizeof names));
            rc = -1;
        }
    }
    free(sorted);
    return rc;
}

/* A binary min-heap of step indices: among the steps ready to run, the
 * one earliest in the file goes first, so the order moves steps only as
 * far as their inputs demand. */
struct heap {
    size_t *v, n;
};

static void
heap_push(struct heap *h, size_t x)
{
    size_t i = h->n++;
    while (i > 0 && h->v[(i - 1) / 2] > x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
}

static size_t
heap_pop(struct heap *h)
{
    size_t top = h->v[0], last = h->v[--h->n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (h->v[c] >= last)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return top;
}

/* Names a cycle among the steps left unordered (each has an unordered
 * input).  Walks inputs from the earliest such step until one repeats. */
static void
report_cycle(const pipeline *p, const size_t *pending)
{
    size_t n = p->nsteps, start = 0;
    size_t *seen_at = malloc(n * sizeof *seen_at), *walk = malloc((n + 1) * sizeof *walk);
    if (!seen_at || !walk) {
        free(seen_at);
        free(walk);
        diag_error(p->root->file, 0, 0, "the steps' inputs form a cycle");
        return;
    }
    for (size_t i = 0; i < n; i++)
        seen_at[i] = (size_t)-1;
    while (!pending[start])
        start++;
    size_t len = 0, cur = start;
    while (seen_at[cur] == (size_t)-1) {
        seen_at[cur] = len;
        walk[len++] = cur;
        const step *st = &p->steps[cur];
        for (size_t j = 0; j < st->ninputs; j++) {
            if (pending[st->inputs[j].step_index]) {
                cur = st->inputs[j].step_index;
                break;
            }
        }
    }
    /* The cycle is walk[seen_at[cur]..len); start it at its earliest step. */
    size_t from = seen_at[cur], clen = len - from, first = from;
    for (size_t i = from; i < len; i++)
        if (walk[i] < walk[first])
            first = i;
    char msg[2048];
    size_t o = 0;
    const step_input *where = NULL;
    for (size_t k = 0; k < clen && o < sizeof msg; k++) {
        const step *a = &p->steps[walk[from + (first - from + k) % clen]];
        const step *b = &p->steps[walk[from + (first - from + k + 1) % clen]];
        for (size_t j = 0; j < a->ninputs && !where; j++)
            if (a->inputs[j].step_index == (size_t)(b - p->steps))
                where = &a->inputs[j];
        int w = snprintf(msg + o, sizeof msg - o, "%s%s uses %s", k ? ", " : "", a->name, b->name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    diag_error(p->root->file, where ? where->line : 0, where ? where->col : 0,
               "the steps' inputs form a cycle: %s", msg);
    free(seen_at);
    free(walk);
}

/* Who uses each step, as one array: users of step u are
 * user[first[u] .. first[u + 1]), one entry per input. */
struct users {
    size_t *first, *user;
};

static int
users_build(const pipeline *p, struct users *us)
{
    size_t n = p->nsteps, edges = 0;
    for (size_t i = 0; i < n; i++)
        edges += p->steps[i].ninputs;
    us->first = calloc(n + 2, sizeof *us->first);
    us->user = calloc(edges + 1, sizeof *us->user);
    if (!us->first || !us->user)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p->steps[i].ninputs; j++)
            us->first[p->steps[i].inputs[j].step_index + 2]++;
    for (size_t u = 0; u < n; u++)
        us->first[u + 2] += us->first[u + 1];
    /* first[u + 1] is now where u's users start; filling moves it to the
     * end of u's users, which is where u + 1's start. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p->steps[i].ninputs; j++)
            us->user[us->first[p->steps[i].inputs[j].step_index + 1]++] = i;
    return 0;
}

/* Puts p->steps in dependency order (stable), or reports a cycle. */
static int
order_steps(pipeline *p)
{
    size_t n = p->nsteps;
    int rc = -1;
    struct users us = {0};
    size_t *pending = calloc(n, sizeof *pending), *order = calloc(n, sizeof *order);
    size_t *newpos = calloc(n, sizeof *newpos);
    struct heap h = {calloc(n, sizeof *h.v), 0};
    step *sorted = calloc(n, sizeof *sorted);
    if (!pending || !order || !newpos || !h.v || !sorted || users_build(p, &us) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pending[i] = p->steps[i].ninputs;
        if (!pending[i])
            heap_push(&h, i);
    }
    size_t done = 0;
    while (h.n) {
        size_t u = heap_pop(&h);
        newpos[u] = done;
        order[done++] = u;
        for (size_t k = us.first[u]; k < us.first[u + 1]; k++)
            if (--pending[us.user[k]] == 0)
                heap_push(&h, us.user[k]);
    }
    if (done < n) {
        report_cycle(p, pending);
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        sorted[k] = p->steps[order[k]];
        for (size_t j = 0; j < sorted[k].ninputs; j++)
            sorted[k].inputs[j].step_index = newpos[sorted[k].inputs[j].step_index];
    }
    free(p->steps);
    p->steps = sorted;
    sorted = NULL;
    rc = 0;
out:
    free(us.first);
    free(us.user);
    free(pending);
    free(order);
    free(newpos);
    free(h.v);
    free(sorted);
    return rc;
}

/* ---- the whole file --------------------------------------------------------- */

static char *
folder_of(const char *file, const char *cwd)
{
    char *abs = fs_absolute(file, cwd);
    if (!abs)
        return NULL;
    char *slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    return abs;
}

/* Substitutes params in every value of the file but the params
 * themselves. */
static int
substitute(ynode *root, const params *ps)
{
    int rc = 0;
    for (size_t i = 0; i < root->n; i++)
        if (strcmp(root->keys[i]->scalar, "params") != 0 &&
            params_substitute(ps, &root->items[i]) < 0)
            rc = -1;
    return rc;
}

static int
check_root(const ynode *root)
{
    char list[256];
    if (root->kind == YNODE_MAP)
        return check_keys(root, top_keys, "");
    diag_error(root->file, root->line, root->col,
               "a pipeline is a mapping with the keys %s; this file holds %s",
               key_list(top_keys, list, sizeof list),
               is_null(root) ? "nothing" : ynode_kind_name(root));
    return -1;
}

static int
load(pipeline *p, int noverrides, char **overrides, const char *cwd)
{
    params ps = {0};
    int rc = 0;
    if (!(p->dir = folder_of(p->file, cwd)))
        return -1;
    if (!(p->root = ydoc_load_file(p->file)) || check_root(p->root) < 0)
        return -1;
    if (params_declare(&ps, ynode_get(p->root, "params")) < 0 ||
        params_override(&ps, noverrides, overrides) < 0 || substitute(p->root, &ps) < 0) {
        params_free(&ps);
        return -1;
    }
    params_free(&ps);
    if (read_workdir(p, ynode_get(p->root, "workdir"), cwd) < 0)
        rc = -1;
    if (read_slices(p, ynode_get(p->root, "slices")) < 0)
        rc = -1;
    if (read_steps(p, p->root, ynode_get(p->root, "jobs"), cwd) < 0 || rc < 0)
        return -1;
    if (resolve_references(p) < 0)
        return -1;
    return order_steps(p);
}

pipeline *
pipeline_load(const char *file, int noverrides, char **overrides)
{
    pipeline *p = calloc(1, sizeof *p);
    char *cwd = params_cwd();
    if (!p || !cwd || !(p->file = strdup(file))) {
        diag_error(file, 0, 0, "cannot load: out of memory or no current folder");
        free(cwd);
        pipeline_free(p);
        return NULL;
    }
    int rc = load(p, noverrides, overrides, cwd);
    free(cwd);
    if (rc < 0) {
        pipeline_free(p);
        return NULL;
    }
    return p;
}

size_t
pipeline_step_index(const pipeline *p, const char *name)
{
    for (size_t i = 0; i < p->nsteps; i++)
        if (strcmp(p->steps[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

static void
step_free(step *st)
{
    for (size_t j = 0; j < st->ninputs; j++) {
        free(st->inputs[j].name);
        free(st->inputs[j].step);
        free(st->inputs[j].dataset);
    }
    free(st->inputs);
    free(st->name);
    free(st->method);
    free(st->method_base);
}

void
pipeline_free(pipeline *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsteps; i++)
        step_free(&p->steps[i]);
    free(p->steps);
    free(p->file);
    free(p->dir);
    free(p->workdir);
    ynode_free(p->root);
    free(p);
}
