/* fuzz_pipeline.c - libFuzzer harness: the pipeline loader with params.
 *
 * An input is a pipeline's YAML text, then NAME=VALUE overrides, each
 * after a NUL byte (as `axle run FILE NAME=VALUE...` passes them).  The
 * harness loads it (core/pipeline.c: YAML, params, overrides, ${NAME}
 * substitution, inputs, order and cycles), then validates every step's
 * options and inputs (core/options.c) against a method that declares an
 * option of every type, named as the built-in methods name theirs.  A
 * diagnostic is the right answer to a bad pipeline; a crash, a hang, a
 * leak or a sanitizer report is a finding.
 *
 * Diagnostics go to a stderr FILE pointed at /dev/null; sanitizer reports
 * write to file descriptor 2 themselves, so they still show. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"

#define MAX_OVERRIDES 8

static char folder[64];
static char file[sizeof folder + 16];

static const axle_option options[] = {
    AXLE_OPTION_PATHS("files", "[]", "files, folders or globs"),
    AXLE_OPTION_BOOL("recursive", "true", "walk folders"),
    AXLE_OPTION_ENUM("on_error", "skip", "skip|fail", "bad input policy"),
    AXLE_OPTION_INT("max_pixels", "200000000", 1, 1e12, "decode bound"),
    AXLE_OPTION_SIZE("size", "[256, 256]", 1, 65500, "box"),
    AXLE_OPTION_STRING("column", "image", "input column"),
    AXLE_OPTION_STRING("output", NULL, "output column (required)"),
    AXLE_OPTION_BOOL("upscale", "false", "grow small images"),
    AXLE_OPTION_ENUM("format", "jpeg", "jpeg|webp", "output codec"),
    AXLE_OPTION_INT("quality", "85", 1, 100, "encoder quality"),
    AXLE_OPTION_FLOAT("ratio", "1.5", 0, 10, "a float"),
    AXLE_OPTION_PATH("log", "log.txt", "a single path"),
    AXLE_OPTION_STRING("name", "{stem}{ext}", "a template"),
    AXLE_OPTION_END,
};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", false, "the images"),
    AXLE_INPUT_JOB("job", false, "a job"),
    AXLE_INPUT_END,
};

static const axle_method_desc everything = {
    AXLE_ABI_MAJOR, AXLE_ABI_MINOR, sizeof(axle_method_desc), "everything",
    "1", "every option type", options, inputs,
};

static void
remove_folder(void)
{
    unlink(file);
    rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* tmpfs when there is one: every input writes files. */
    snprintf(folder, sizeof folder, "%s/axle-fuzz-pipeline.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(folder)) {
        perror("fuzz_pipeline: mkdtemp");
        exit(1);
    }
    snprintf(file, sizeof file, "%s/p.yaml", folder);
    atexit(remove_folder);
    /* `~` in a value is the home folder: the scratch folder here.  (The
     * current folder stays: libFuzzer's corpus paths may be relative.) */
    if (setenv("HOME", folder, 1) != 0) {
        perror("fuzz_pipeline: setenv");
        exit(1);
    }
    FILE *null = fopen("/dev/null", "w");
    if (null)
        stderr = null;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One copy, NUL-terminated: the YAML text, then the overrides. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t yaml_len = strlen(text);
    char *overrides[MAX_OVERRIDES];
    int n = 0;
    for (size_t at = yaml_len + 1; at <= size && n < MAX_OVERRIDES;
         at += strlen(text + at) + 1)
        overrides[n++] = text + at;

    FILE *f = fopen(file, "wb");
    if (!f || fwrite(text, 1, yaml_len, f) != yaml_len || fclose(f) != 0)
        abort();
    pipeline *p = pipeline_load(file, n, overrides);
    for (size_t i = 0; p && i < p->nsteps; i++) {
        json_t *opts = options_validate(&everything, &p->steps[i], p);
        json_decref(opts);
        (void)options_check_inputs(&everything, &p->steps[i], p);
        (void)pipeline_step_index(p, p->steps[i].name);
    }
    pipeline_free(p);
    free(text);
    return 0;
}
