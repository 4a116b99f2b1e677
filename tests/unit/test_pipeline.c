/* test_pipeline.c - pipeline files: keys, params and NAME=VALUE, ${NAME}
 * substitution, workdir and slices, inputs, dependency order and cycles.
 * Every error is checked as the exact line a user would see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "params.h"
#include "pipeline.h"
#include "test_pipeline_util.h"

static const char *scratch;
static char home[4096];

static int
enter(void **state)
{
    (void)state;
    scratch = tp_enter();
    snprintf(home, sizeof home, "%s/home", scratch);
    mkdir(home, 0755);
    setenv("HOME", home, 1);
    return 0;
}

/* Each test starts in the scratch folder, whatever the last one did. */
static int
home_in(void **state)
{
    (void)state;
    return chdir(scratch);
}

static int
leave(void **state)
{
    (void)state;
    tp_leave();
    return 0;
}

/* Loads `file`; with want == NULL expects success and a silent stderr,
 * else failure with exactly `want` on stderr. */
static pipeline *
load(const char *file, int n, char **overrides, const char *want)
{
    tp_capture();
    pipeline *p = pipeline_load(file, n, overrides);
    char *got = tp_captured();
    if (want) {
        assert_null(p);
        assert_string_equal(got, want);
    } else {
        assert_string_equal(got, "");
        assert_non_null(p);
    }
    free(got);
    return p;
}

static void
expect_error(const char *text, const char *want)
{
    tp_write("p.yaml", text);
    load("p.yaml", 0, NULL, want);
}

static char *
in_scratch(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s%s%s", scratch, *rel ? "/" : "", rel);
    return buf;
}

static const char thumbnails[] =
    "workdir: work            # default: a folder in the current directory\n"
    "slices: auto\n"
    "params:\n"
    "  input: samples\n"
    "  size: [256, 256]\n"
    "jobs:\n"
    "  import:\n"
    "    method: import_images\n"
    "    options: {files: \"${input}\"}\n"
    "  thumbs:\n"
    "    method: thumbnailer\n"
    "    datasets: {source: import}\n"
    "    options: {size: \"${size}\"}\n"
    "  export:\n"
    "    method: export_images\n"
    "    datasets: {source: thumbs}\n"
    "    options: {column: thumb, format: jpeg, quality: 85}\n"
    "  shapes:\n"
    "    method: shapehist\n"
    "    datasets: {source: import}\n";

static void
test_design_example(void **state)
{
    (void)state;
    tp_write("pipes/thumbnails.yaml", thumbnails);
    mkdir("run", 0755);
    assert_int_equal(chdir("run"), 0);
    pipeline *p = load("../pipes/thumbnails.yaml", 0, NULL, NULL);
    assert_string_equal(p->file, "../pipes/thumbnails.yaml");
    assert_string_equal(p->dir, in_scratch("pipes"));
    /* the workdir is where the user stands, not where the pipeline is */
    assert_string_equal(p->workdir, in_scratch("run/work"));
    assert_int_equal(p->slices, 0);
    assert_int_equal(p->nsteps, 4);
    const char *names[] = {"import", "thumbs", "export", "shapes"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(p->steps[i].name, names[i]);
    assert_int_equal(pipeline_step_index(p, "export"), 2);
    assert_int_equal(pipeline_step_index(p, "nope"), (size_t)-1);

    const step *imp = &p->steps[0];
    assert_string_equal(imp->method, "import_images");
    assert_int_equal(imp->method_line, 8);
    assert_int_equal(imp->method_col, 13);
    assert_string_equal(imp->method_base, in_scratch("pipes"));
    assert_int_equal(imp->ninputs, 0);
    const ynode *files = ynode_get(imp->options, "files");
    assert_string_equal(files->scalar, "samples");
    assert_false(files->from_cli);

    const step *th = &p->steps[1];
    assert_int_equal(th->line, 10);
    assert_int_equal(th->col, 3);
    assert_int_equal(th->ninputs, 1);
    assert_string_equal(th->inputs[0].name, "source");
    assert_string_equal(th->inputs[0].step, "import");
    assert_string_equal(th->inputs[0].dataset, "default");
    assert_false(th->inputs[0].is_job);
    assert_int_equal(th->inputs[0].step_index, 0);
    assert_int_equal(th->inputs[0].line, 12);
    assert_int_equal(th->inputs[0].col, 24);
    /* a standalone ${size} keeps its type: a list */
    const ynode *size = ynode_get(th->options, "size");
    assert_int_equal(size->kind, YNODE_SEQ);
    assert_int_equal(size->n, 2);
    assert_int_equal(yscalar_classify(size->items[0]), YS_INT);
    assert_int_equal(p->steps[3].inputs[0].step_index, 0);
    pipeline_free(p);
    assert_int_equal(chdir(scratch), 0);
}

static void
test_overrides_typed(void **state)
{
    (void)state;
    tp_write("pipes/thumbnails.yaml", thumbnails);
    char *ov[] = {"size=[640,338]", "input=photos"};
    pipeline *p = load("pipes/thumbnails.yaml", 2, ov, NULL);
    const ynode *size = ynode_get(p->steps[1].options, "size");
    assert_int_equal(size->kind, YNODE_SEQ);
    assert_string_equal(size->items[1]->scalar, "338");
    assert_int_equal(yscalar_classify(size->items[1]), YS_INT);
    assert_true(size->items[0]->from_cli);
    /* a command-line value has no place of its own: it takes the place
     * that used it */
    assert_string_equal(size->file, "pipes/thumbnails.yaml");
    assert_int_equal(size->line, 13);
    assert_int_equal(size->col, 21);
    const ynode *files = ynode_get(p->steps[0].options, "files");
    assert_string_equal(files->scalar, "photos");
    assert_true(files->from_cli);
    assert_int_equal(yscalar_classify(files), YS_STRING);
    pipeline_free(p);

    /* `yes` stays a string (YAML 1.2), a leading ~ is the home folder,
     * and the last of two values wins */
    char *ov2[] = {"input=yes", "size=~", "input=~/pics"};
    tp_write("p.yaml", "params: {input: a, size: 1}\n"
                       "jobs:\n  a: {method: m, options: {x: \"${input}\", y: \"${size}\"}}\n");
    p = load("p.yaml", 3, ov2, NULL);
    char want[4200];
    snprintf(want, sizeof want, "%s/pics", home);
    assert_string_equal(ynode_get(p->steps[0].options, "x")->scalar, want);
    assert_string_equal(ynode_get(p->steps[0].options, "y")->scalar, home);
    pipeline_free(p);
    char *ov3[] = {"input=yes", "size=0x10"};
    p = load("p.yaml", 2, ov3, NULL);
    const ynode *x = ynode_get(p->steps[0].options, "x");
    assert_string_equal(x->scalar, "yes");
    assert_int_equal(yscalar_classify(x), YS_STRING);
    assert_int_equal(yscalar_classify(ynode_get(p->steps[0].options, "y")), YS_INT);
    pipeline_free(p);
    /* '*.jpg' would be a YAML alias; on the command line it is its text */
    char *ov4[] = {"input=*.jpg", "size=**/x"};
    p = load("p.yaml", 2, ov4, NULL);
    assert_string_equal(ynode_get(p->steps[0].options, "x")->scalar, "*.jpg");
    assert_true(ynode_get(p->steps[0].options, "x")->from_cli);
    assert_string_equal(ynode_get(p->steps[0].options, "y")->scalar, "**/x");
    pipeline_free(p);
    /* '#ff0000' would be a YAML comment (a silent null); here it is a colour */
    char *ov5[] = {"input=#ff0000"};
    p = load("p.yaml", 1, ov5, NULL);
    assert_string_equal(ynode_get(p->steps[0].options, "x")->scalar, "#ff0000");
    pipeline_free(p);
}

static void
test_override_errors(void **state)
{
    (void)state;
    tp_write("p.yaml", thumbnails);
    char *unknown[] = {"colour=red"};
    load("p.yaml", 1, unknown, "axle: error: unknown param 'colour' (declared: input, size)\n");
    char *no_eq[] = {"input"};
    load("p.yaml", 1, no_eq, "axle: error: expected NAME=VALUE, got 'input'\n");
    char *broken[] = {"size=[640,338"};
    load("p.yaml", 1, broken,
         "axle: error: 'size=[640,338': did not find expected ',' or ']' (while parsing a flow sequence) at line 1, column 14\n");
    char *block[] = {"input=a: b"};
    load("p.yaml", 1, block,
         "axle: error: 'input=a: b': a value on the command line is one YAML flow value: quote text holding ': ' or '- ', write lists as [a, b]\n");
    /* every problem at once */
    char *two[] = {"a=1", "b=2"};
    load("p.yaml", 2, two,
         "axle: error: unknown param 'a' (declared: input, size)\n"
         "axle: error: unknown param 'b' (declared: input, size)\n");
    tp_write("q.yaml", "jobs:\n  a: {method: m}\n");
    load("q.yaml", 1, unknown, "axle: error: unknown param 'colour' (declared: none)\n");
}

static void
test_substitution(void **state)
{
    (void)state;
    tp_write("p.yaml",
             "params:\n"
             "  input: photos\n"
             "  n: 3\n"
             "  price: \"$$5\"\n"
             "workdir: ${input}-work\n"
             "jobs:\n"
             "  a:\n"
             "    method: m\n"
             "    options:\n"
             "      sub: \"${input}/sub\"\n"
             "      pre: pre/${input}\n"
             "      cost: cost $$${n} and $x\n"
             "      n: ${n}\n"
             "      joined: ${n}${n}\n"
             "      price: ${price}\n"
             "      list: [\"${input}\", 2]\n"
             "      nested: {deep: [\"${n}\"]}\n");
    pipeline *p = load("p.yaml", 0, NULL, NULL);
    const ynode *o = p->steps[0].options;
    assert_string_equal(ynode_get(o, "sub")->scalar, "photos/sub");
    assert_false(ynode_get(o, "sub")->from_cli);
    assert_string_equal(ynode_get(o, "pre")->scalar, "pre/photos");
    assert_string_equal(ynode_get(o, "cost")->scalar, "cost $3 and $x");
    assert_int_equal(yscalar_classify(ynode_get(o, "n")), YS_INT);
    /* text made by substitution is a string, even when it looks like a number */
    assert_string_equal(ynode_get(o, "joined")->scalar, "33");
    assert_int_equal(yscalar_classify(ynode_get(o, "joined")), YS_STRING);
    assert_string_equal(ynode_get(o, "price")->scalar, "$5");
    assert_string_equal(ynode_get(o, "list")->items[0]->scalar, "photos");
    assert_int_equal(yscalar_classify(ynode_get(ynode_get(o, "nested"), "deep")->items[0]),
                     YS_INT);
    assert_string_equal(p->workdir, in_scratch("photos-work"));
    pipeline_free(p);

    /* from_cli follows the start of a text: it decides what a path is
     * relative to */
    char *ov[] = {"input=cli"};
    p = load("p.yaml", 1, ov, NULL);
    o = p->steps[0].options;
    assert_true(ynode_get(o, "sub")->from_cli);
    assert_false(ynode_get(o, "pre")->from_cli);
    assert_true(ynode_get(o, "list")->items[0]->from_cli);
    assert_false(ynode_get(o, "list")->items[1]->from_cli);
    assert_false(ynode_get(o, "n")->from_cli);
    pipeline_free(p);
}

static void
test_substitution_errors(void **state)
{
    (void)state;
    const char *head = "params: {input: photos, size: [1, 2]}\njobs:\n  a:\n    method: m\n";
    char text[1024];
    snprintf(text, sizeof text, "%s    options: {x: \"${nope}\"}\n", head);
    expect_error(text, "p.yaml:5:19: error: undefined param 'nope' (declared: input, size)\n");
    snprintf(text, sizeof text, "%s    options:\n      x: in/${nope}/x\n", head);
    expect_error(text, "p.yaml:6:13: error: undefined param 'nope' (declared: input, size)\n");
    snprintf(text, sizeof text, "%s    options: {x: \"s=${size}\"}\n", head);
    expect_error(text,
                 "p.yaml:5:21: error: param 'size' is a list: it can stand alone as a whole value, but not inside a longer text\n");
    snprintf(text, sizeof text, "%s    options: {x: \"${input\"}\n", head);
    expect_error(text, "p.yaml:5:19: error: '${' is not closed by '}' (write '$$' for a literal '$')\n");
    snprintf(text, sizeof text, "%s    options: {x: \"a ${in put}\"}\n", head);
    expect_error(text,
                 "p.yaml:5:21: error: '${in put}' does not name a param (names are letters, digits, '_' and '-')\n");
    /* several problems are all reported */
    snprintf(text, sizeof text, "%s    options: {x: \"${a}\", y: \"${b}\"}\n", head);
    expect_error(text, "p.yaml:5:19: error: undefined param 'a' (declared: input, size)\n"
                       "p.yaml:5:30: error: undefined param 'b' (declared: input, size)\n");
    expect_error("params:\n  a: x\n  b: \"${a}/y\"\njobs: {s: {method: m}}\n",
                 "p.yaml:3:7: error: a param's value cannot use '${a}': params are not substituted into params\n");
    expect_error("params:\n  a b: x\njobs: {s: {method: m}}\n",
                 "p.yaml:2:3: error: param name 'a b' must be letters, digits, '_' and '-', starting with a letter or '_'\n");
    expect_error("params: [a]\njobs: {s: {method: m}}\n",
                 "p.yaml:1:9: error: 'params' must be a mapping of NAME: default value, not a list\n");
}

static void
test_method_and_workdir_from_params(void **state)
{
    (void)state;
    tp_write("pipes/p.yaml", "params: {plugin: ./build/my_resize.so, out: results}\n"
                             "workdir: ${out}\n"
                             "jobs:\n  a: {method: \"${plugin}\"}\n");
    pipeline *p = load("pipes/p.yaml", 0, NULL, NULL);
    assert_string_equal(p->steps[0].method, "./build/my_resize.so");
    assert_string_equal(p->steps[0].method_base, in_scratch("pipes"));
    assert_string_equal(p->workdir, in_scratch("results"));
    pipeline_free(p);

    char *ov[] = {"plugin=./mine.so", "out=~/w"};
    p = load("pipes/p.yaml", 2, ov, NULL);
    assert_string_equal(p->steps[0].method, "./mine.so");
    assert_string_equal(p->steps[0].method_base, scratch);
    assert_int_equal(p->steps[0].method_line, 4);
    assert_int_equal(p->steps[0].method_col, 15);
    char want[4200];
    snprintf(want, sizeof want, "%s/w", home);
    assert_string_equal(p->workdir, want);
    pipeline_free(p);
}

static void
test_workdir_and_slices(void **state)
{
    (void)state;
    tp_write("p.yaml", "jobs: {a: {method: m}}\n");
    pipeline *p = load("p.yaml", 0, NULL, NULL);
    assert_string_equal(p->workdir, in_scratch("axle-work"));
    assert_int_equal(p->slices, 0);
    pipeline_free(p);
    tp_write("p.yaml", "workdir: /abs/./w/../work/\nslices: 4\njobs: {a: {method: m}}\n");
    p = load("p.yaml", 0, NULL, NULL);
    assert_string_equal(p->workdir, "/abs/work");
    assert_int_equal(p->slices, 4);
    pipeline_free(p);
    tp_write("p.yaml", "workdir: 2024\nslices: 1\njobs: {a: {method: m}}\n");
    p = load("p.yaml", 0, NULL, NULL);
    assert_string_equal(p->workdir, in_scratch("2024"));
    pipeline_free(p);
    expect_error("slices: 0\njobs: {a: {method: m}}\n",
                 "p.yaml:1:9: error: 'slices' must be a whole number from 1 to 1024, or auto; got '0'\n");
    expect_error("slices: many\njobs: {a: {method: m}}\n",
                 "p.yaml:1:9: error: 'slices' must be a whole number from 1 to 1024, or auto; got 'many'\n");
    expect_error("slices: [2]\njobs: {a: {method: m}}\n",
                 "p.yaml:1:9: error: 'slices' must be a whole number from 1 to 1024, or auto; got a list\n");
    expect_error("workdir: ~\njobs: {a: {method: m}}\n",
                 "p.yaml:1:10: error: 'workdir' is empty (a bare ~ is YAML's null, not the "
                 "home folder): write a folder name such as \"~/axle-work\", or leave the "
                 "key out for ./axle-work\n");
    expect_error("workdir: {a: 1}\njobs: {a: {method: m}}\n",
                 "p.yaml:1:10: error: 'workdir' must be a folder name, not a mapping\n");
}

static void
test_keys(void **state)
{
    (void)state;
    expect_error("job:\n  a: {method: m}\nslice: 2\n",
                 "p.yaml:1:1: error: unknown key 'job' (valid keys: workdir, slices, params, jobs)\n"
                 "p.yaml:3:1: error: unknown key 'slice' (valid keys: workdir, slices, params, jobs)\n");
    expect_error("jobs:\n  a:\n    method: m\n    option: {q: 1}\n",
                 "p.yaml:4:5: error: unknown key 'option' in step 'a' (valid keys: method, options, datasets, jobs)\n");
    expect_error("jobs:\n  a:\n    options: {q: 1}\n", "p.yaml:2:3: error: step 'a' has no 'method'\n");
    expect_error("jobs:\n  a: {method: [x]}\n",
                 "p.yaml:2:15: error: 'method' of step 'a' must be a method name or a path to a .so, not a list\n");
    expect_error("jobs:\n  a: {method: m, options: [1]}\n",
                 "p.yaml:2:27: error: 'options' of step 'a' must be a mapping of NAME: value, not a list\n");
    expect_error("jobs:\n  a: import_images\n",
                 "p.yaml:2:6: error: step 'a' must be a mapping with 'method' (and 'options', 'datasets', 'jobs'), not a value\n");
    expect_error("jobs:\n  a/b: {method: m}\n",
                 "p.yaml:2:3: error: step name 'a/b' may hold only letters, digits, '_', '-' and '.'\n");
    expect_error("workdir: w\n", "p.yaml:1:1: error: the pipeline has no 'jobs': a mapping of STEP: {method: ...}\n");
    expect_error("jobs: {}\n", "p.yaml:1:7: error: 'jobs' must be a mapping of STEP: {method: ...}, not an empty one\n");
    expect_error("- a\n- b\n",
                 "p.yaml:1:1: error: a pipeline is a mapping with the keys workdir, slices, params, jobs; this file holds a list\n");
    expect_error("",
                 "p.yaml:1:1: error: a pipeline is a mapping with the keys workdir, slices, params, jobs; this file holds nothing\n");
    expect_error("jobs:\n  a: {method: m}\n  a: {method: n}\n",
                 "p.yaml:3:3: error: duplicate key 'a' (first given on line 2)\n");
    expect_error("jobs:\n  a: {method: m}\n b: 1\n",
                 "p.yaml:3:2: error: did not find expected key (while parsing a block mapping)\n");
}

static void
test_inputs(void **state)
{
    (void)state;
    tp_write("p.yaml", "jobs:\n"
                       "  import: {method: m}\n"
                       "  use:\n"
                       "    method: m\n"
                       "    datasets: {source: import, extra: import/side}\n"
                       "    jobs: {prev: import}\n");
    pipeline *p = load("p.yaml", 0, NULL, NULL);
    const step *u = &p->steps[1];
    assert_int_equal(u->ninputs, 3);
    assert_string_equal(u->inputs[1].name, "extra");
    assert_string_equal(u->inputs[1].step, "import");
    assert_string_equal(u->inputs[1].dataset, "side");
    assert_false(u->inputs[1].is_job);
    assert_string_equal(u->inputs[2].name, "prev");
    assert_true(u->inputs[2].is_job);
    assert_string_equal(u->inputs[2].dataset, "default");
    assert_int_equal(u->inputs[2].step_index, 0);
    pipeline_free(p);

    expect_error("jobs:\n  import: {method: m}\n  thumbs:\n    method: m\n    datasets: {source: imprt}\n",
                 "p.yaml:5:24: error: step 'thumbs' uses unknown step 'imprt' (steps: import, thumbs)\n");
    expect_error("jobs:\n  a: {method: m}\n  b: {method: m, jobs: {prev: a/x}}\n",
                 "p.yaml:3:31: error: jobs input 'prev' names a step, not a dataset: 'a/x' (use 'datasets:' for STEP/DATASET)\n");
    expect_error("jobs:\n  a: {method: m}\n  b: {method: m, datasets: {s: a}, jobs: {s: a}}\n",
                 "p.yaml:3:43: error: input 's' of step 'b' is given twice (first on line 3)\n");
    expect_error("jobs:\n  a: {method: m}\n  b: {method: m, datasets: {s: [a]}}\n",
                 "p.yaml:3:32: error: datasets input 's' must name a step (or STEP/DATASET), not a list\n");
    expect_error("jobs:\n  a: {method: m}\n  b: {method: m, datasets: {s: a/}}\n",
                 "p.yaml:3:32: error: 'a/' is not STEP or STEP/DATASET (a dataset name is letters, digits, '_', '-' and '.')\n");
    expect_error("jobs:\n  a: {method: m}\n  b: {method: m, datasets: [a]}\n",
                 "p.yaml:3:28: error: 'datasets' of step 'b' must be a mapping of INPUT: STEP or STEP/DATASET, not a list\n");
}

static void
test_dependency_order(void **state)
{
    (void)state;
    /* a step moves after its inputs, and no further; the rest keep file order */
    tp_write("p.yaml", "jobs:\n"
                       "  a: {method: m, datasets: {s: c}}\n"
                       "  b: {method: m}\n"
                       "  c: {method: m}\n"
                       "  d: {method: m, datasets: {s: a, t: b}}\n"
                       "  e: {method: m}\n");
    pipeline *p = load("p.yaml", 0, NULL, NULL);
    const char *order[] = {"b", "c", "a", "d", "e"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(p->steps[i].name, order[i]);
    /* inputs point at the new positions */
    assert_int_equal(p->steps[2].inputs[0].step_index, 1);
    assert_int_equal(p->steps[3].inputs[0].step_index, 2);
    assert_int_equal(p->steps[3].inputs[1].step_index, 0);
    pipeline_free(p);
}

static void
test_cycles(void **state)
{
    (void)state;
    expect_error("jobs:\n"
                 "  z: {method: m}\n"
                 "  b: {method: m, datasets: {s: c}}\n"
                 "  a: {method: m, datasets: {s: b}}\n"
                 "  c: {method: m, datasets: {s: a}}\n",
                 "p.yaml:3:32: error: the steps' inputs form a cycle: b uses c, c uses a, a uses b\n");
    expect_error("jobs:\n  a: {method: m, jobs: {self: a}}\n",
                 "p.yaml:2:31: error: the steps' inputs form a cycle: a uses a\n");
    /* a step that only depends on a cycle is not named in it */
    expect_error("jobs:\n"
                 "  x: {method: m, datasets: {s: a}}\n"
                 "  a: {method: m, datasets: {s: b}}\n"
                 "  b: {method: m, datasets: {s: a}}\n",
                 "p.yaml:3:32: error: the steps' inputs form a cycle: a uses b, b uses a\n");
}

static void
test_many_steps_quickly(void **state)
{
    (void)state;
    /* 20000 steps, each using the next: fully reversed by ordering */
    size_t n = 20000;
    char *text = malloc(n * 64 + 16);
    size_t o = (size_t)sprintf(text, "jobs:\n");
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n)
            o += (size_t)sprintf(text + o, "  s%zu: {method: m, datasets: {x: s%zu}}\n", i, i + 1);
        else
            o += (size_t)sprintf(text + o, "  s%zu: {method: m}\n", i);
    }
    tp_write("p.yaml", text);
    free(text);
    double t0 = tp_now();
    pipeline *p = load("p.yaml", 0, NULL, NULL);
    assert_true(tp_now() - t0 < 5.0);
    assert_string_equal(p->steps[0].name, "s19999");
    assert_string_equal(p->steps[n - 1].name, "s0");
    assert_int_equal(p->steps[n - 1].inputs[0].step_index, n - 2);
    pipeline_free(p);
}

static void
test_cwd_follows_pwd(void **state)
{
    (void)state;
    /* a symlinked folder keeps the name the user typed */
    mkdir("real", 0755);
    assert_int_equal(symlink("real", "link"), 0);
    assert_int_equal(chdir("link"), 0);
    char want[4200];
    snprintf(want, sizeof want, "%s/link", scratch);
    setenv("PWD", want, 1);
    char *cwd = params_cwd();
    assert_string_equal(cwd, want);
    free(cwd);
    /* a stale $PWD is not believed */
    assert_int_equal(chdir(scratch), 0);
    cwd = params_cwd();
    assert_string_equal(cwd, scratch);
    free(cwd);
    unsetenv("PWD");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_design_example, home_in),
        cmocka_unit_test_setup(test_overrides_typed, home_in),
        cmocka_unit_test_setup(test_override_errors, home_in),
        cmocka_unit_test_setup(test_substitution, home_in),
        cmocka_unit_test_setup(test_substitution_errors, home_in),
        cmocka_unit_test_setup(test_method_and_workdir_from_params, home_in),
        cmocka_unit_test_setup(test_workdir_and_slices, home_in),
        cmocka_unit_test_setup(test_keys, home_in),
        cmocka_unit_test_setup(test_inputs, home_in),
        cmocka_unit_test_setup(test_dependency_order, home_in),
        cmocka_unit_test_setup(test_cycles, home_in),
        cmocka_unit_test_setup(test_many_steps_quickly, home_in),
        cmocka_unit_test_setup(test_cwd_follows_pwd, home_in),
    };
    return cmocka_run_group_tests_name("pipeline", tests, enter, leave);
}
