/* pipeline.h - a pipeline file, its params substituted, its steps ordered.
 *
 * pipeline_load does everything that needs no method: YAML, top-level keys,
 * params and NAME=VALUE overrides, ${NAME} substitution, input references,
 * dependency order and cycles.  Every problem is printed as
 * FILE:LINE:COL: error: ... and the load returns NULL. */
#ifndef AXLE_PIPELINE_H
#define AXLE_PIPELINE_H

#include <jansson.h>

#include "axle/axle.h"
#include "yaml_doc.h"

typedef struct step_input {
    char *name;     /* the method's input name */
    char *step;     /* the step it refers to */
    char *dataset;  /* dataset in that step's job ("default" when not given) */
    bool is_job;    /* from `jobs:` rather than `datasets:` */
    size_t step_index;
    int line, col;
} step_input;

typedef struct step {
    char *name;
    int line, col;
    char *method;         /* a name, or a path (contains '/' or ends in .so) */
    int method_line, method_col;
    char *method_base;    /* folder a method path resolves against */
    ynode *options;       /* map after substitution, or NULL */
    step_input *inputs;
    size_t ninputs;
} step;

typedef struct pipeline {
    char *file;      /* as given on the command line */
    char *dir;       /* absolute folder of the file */
    char *workdir;   /* absolute; default: $PWD/axle-work */
    int slices;      /* from `slices:`; 0 = not given or auto */
    step *steps;     /* in dependency order: inputs come first */
    size_t nsteps;
    ynode *root;
} pipeline;

/* overrides: "NAME=VALUE" strings from the command line. */
pipeline *pipeline_load(const char *file, int noverrides, char **overrides);
void pipeline_free(pipeline *p);
/* Index of a step by name, or (size_t)-1. */
size_t pipeline_step_index(const pipeline *p, const char *name);

/* Validates a step's options against a method's schema: unknown option
 * (listing the valid ones), wrong type, out of range, not among choices,
 * required missing.  Fills defaults and normalises (SIZE n -> [n, n],
 * PATHS -> list, paths made absolute against the pipeline folder or, for
 * values from the command line, the current folder).  Returns a JSON
 * object, or NULL after printing diagnostics.  `method_file` names the
 * .so in messages about the schema itself. */
json_t *options_validate(const axle_method_desc *desc, const step *st,
                         const pipeline *p);

/* Parses a YAML flow value for a default ("85", "[256,256]", "skip"). */
ynode *options_parse_default(const char *yaml_text);

/* Checks a method's own option table, before any pipeline: known types,
 * choices for enums, no name twice, and every default fitting its
 * option's type, range and choices.  0, or -1 with the first problem in
 * err ("method 'm' declares a default for option 'q' that does not fit:
 * option 'q' is 150, outside 1..100"). */
int options_check_defaults(const axle_method_desc *desc, char *err, size_t errlen);

/* Checks that the paths a step's path options were given name something
 * now: a file or folder that exists, or a glob that matches a file (path
 * options are the job's inputs, so a missing one is a mistake in the
 * pipeline, reported before any job runs).  `options` is what
 * options_validate returned.  0, or -1 after printing diagnostics at each
 * value's place. */
int options_check_paths(const axle_method_desc *desc, const step *st,
                        const pipeline *p, json_t *options);

/* Addition: checks a step's inputs against the method's: unknown input
 * (listing the method's), given under the wrong key (datasets: vs jobs:),
 * required input missing.  0, or -1 after printing diagnostics. */
int options_check_inputs(const axle_method_desc *desc, const step *st,
                         const pipeline *p);

#endif
