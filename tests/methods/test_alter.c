/* test_alter.c - changes a file while a pipeline runs, so tests can put
 * an edit between two steps of one run (after an import by reference,
 * before the thumbnailer reads the photo).  prepare appends a line to
 * `file` or removes it; nothing else. */
#include <stdio.h>

#include "axle/axle.h"

static const axle_option options[] = {
    /* A string, not a path option: the file is not this job's input. */
    AXLE_OPTION_STRING("file", NULL, "absolute path of the file to change"),
    AXLE_OPTION_ENUM("action", "append", "append|remove", "append a line, or remove it"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", false, "a step to run after"),
    AXLE_INPUT_END};

AXLE_METHOD(test_alter, "1.0", "changes a file mid-run (test method)", options, inputs);

int
prepare(axle_job *job)
{
    const char *file = axle_opt_string(job, "file");
    if (axle_opt_enum(job, "action") == 1)
        return remove(file) == 0 ? AXLE_OK
                                 : axle_error(job, AXLE_EIO, "cannot remove %s", file);
    FILE *f = fopen(file, "a");
    if (!f)
        return axle_error(job, AXLE_EIO, "cannot open %s", file);
    fputs("an edit\n", f);
    return fclose(f) == 0 ? AXLE_OK : axle_error(job, AXLE_EIO, "cannot write %s", file);
}
