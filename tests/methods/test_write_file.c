/* test_write_file.c - writes `text` to `path` in its job folder with
 * axle_write_file.  With `link`, first makes JOBDIR/escape a symbolic link
 * to the folder `link` names (a folder outside the job): a write through
 * it must be refused. */
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_STRING("path", "output/a.txt", "where to write, in the job folder"),
    AXLE_OPTION_STRING("text", "hello", "what to write"),
    AXLE_OPTION_STRING("link", "null", "make JOBDIR/escape a link to this folder"),
    AXLE_OPTION_END};

AXLE_METHOD(test_write_file, "1.0", "writes one file (test method)", options, NULL);

int
synthesis(axle_job *job)
{
    const char *link = axle_opt_string(job, "link");
    if (link) {
        char at[4096];
        snprintf(at, sizeof at, "%s/escape", axle_job_dir(job));
        if (symlink(link, at) != 0)
            return axle_error(job, AXLE_EIO, "cannot make the link %s", at);
    }
    const char *text = axle_opt_string(job, "text");
    return axle_write_file(job, axle_opt_string(job, "path"), text, strlen(text));
}
