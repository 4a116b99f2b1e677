/* test_register.c - a method that writes and registers two files, out/a.txt
 * and out/b.txt, and with `forget` deletes out/b.txt after registering it:
 * a job whose registered result is missing at completion must fail, not
 * be recorded complete (and then reused forever).  With `missing` it
 * registers out/c.txt, which it never wrote: axle_register_file itself
 * refuses that, naming the file. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_BOOL("forget", "false", "delete out/b.txt after registering it"),
    AXLE_OPTION_BOOL("missing", "false", "register out/c.txt without writing it"),
    AXLE_OPTION_END};

AXLE_METHOD(test_register, "1.0", "registers files it may not keep (test method)",
            options, NULL);

static int
write_file(axle_job *job, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", axle_job_dir(job), rel);
    FILE *f = fopen(path, "w");
    if (!f)
        return axle_error(job, AXLE_EIO, "cannot write %s", path);
    fprintf(f, "%s\n", rel);
    fclose(f);
    return AXLE_OK;
}

int
synthesis(axle_job *job)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/out", axle_job_dir(job));
    mkdir(dir, 0755);
    int rc = write_file(job, "out/a.txt");
    if (rc == AXLE_OK)
        rc = write_file(job, "out/b.txt");
    if (rc == AXLE_OK)
        rc = axle_register_file(job, "out/a.txt");
    if (rc == AXLE_OK)
        rc = axle_register_file(job, "out/b.txt");
    if (rc == AXLE_OK && axle_opt_bool(job, "forget")) {
        snprintf(dir, sizeof dir, "%s/out/b.txt", axle_job_dir(job));
        unlink(dir);
    }
    if (rc == AXLE_OK && axle_opt_bool(job, "missing"))
        rc = axle_register_file(job, "out/c.txt");
    return rc;
}
