/* test_gate.c - a method that stops half-way and waits, so tests can look
 * at a run while it is going without guessing at times.  Each slice
 * writes `items` rows, reporting progress after each; half-way it appends
 * "slice N\n" to the file `ready` and waits until the file `gate` exists.
 * The result is {"rows": rows written by all slices}. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "axle/axle.h"

static const axle_option options[] = {
    AXLE_OPTION_INT("items", "10", 1, 100000, "rows each slice writes"),
    AXLE_OPTION_STRING("ready", "", "file each slice appends to half-way"),
    AXLE_OPTION_STRING("gate", "", "file each slice waits for half-way"),
    AXLE_OPTION_END};

static const axle_input inputs[] = {
    AXLE_INPUT_DATASET("source", false, "optional upstream dataset (for order)"),
    AXLE_INPUT_END};

AXLE_METHOD(test_gate, "1.0", "waits half-way for a file (test method)", options, inputs);

static axle_writer *out;

int
prepare(axle_job *job)
{
    out = axle_writer_new(job, "default", NULL, NULL);
    return out && axle_writer_add(out, "n", AXLE_INT64) == 0 ? AXLE_OK : AXLE_EINTERNAL;
}

static int
say_ready(axle_job *job, int sliceno)
{
    int fd = open(axle_opt_string(job, "ready"), O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0)
        return axle_error(job, AXLE_EIO, "cannot open %s", axle_opt_string(job, "ready"));
    char line[32];
    int len = snprintf(line, sizeof line, "slice %d\n", sliceno);
    int ok = write(fd, line, (size_t)len) == len;
    close(fd);
    return ok ? AXLE_OK : axle_error(job, AXLE_EIO, "cannot write the ready file");
}

static void
wait_for(const char *path)
{
    struct timespec ts = {0, 20000000};
    while (access(path, F_OK) < 0)
        nanosleep(&ts, NULL);
}

int
analysis(axle_job *job, int sliceno)
{
    int64_t items = axle_opt_int(job, "items");
    for (int64_t i = 0; i < items; i++) {
        if (i == items / 2) {
            if (say_ready(job, sliceno) < 0)
                return AXLE_EIO;
            wait_for(axle_opt_string(job, "gate"));
        }
        if (axle_put_int64(out, 0, sliceno * 100000 + i) < 0 || axle_writer_end_row(out) < 0)
            return AXLE_EINTERNAL;
        axle_progress(job, (uint64_t)i + 1, (uint64_t)items);
    }
    return AXLE_OK;
}

int
synthesis(axle_job *job)
{
    char json[64];
    snprintf(json, sizeof json, "{\"rows\": %lld}",
             (long long)axle_opt_int(job, "items") * axle_slices(job));
    axle_set_result_json(job, json);
    return AXLE_OK;
}
