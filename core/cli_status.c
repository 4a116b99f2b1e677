/* cli_status.c - `axle status`: the status tree of the run going on in a
 * workdir, as that run published it (run_status.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "ref.h"
#include "run_status.h"
#include "workdir.h"

static const char status_usage[] =
    "usage: axle status [--workdir DIR | -p FILE] [--json]\n"
    "\n"
    "Prints the status tree of the run in progress in the workdir: every\n"
    "step with its job and state, and for the running step its stage and\n"
    "slices with items done, rate and elapsed time; \"no run in progress\"\n"
    "when there is none.  The run refreshes it every second.  SIGUSR1 to the\n"
    "running axle prints the same tree on its stderr.\n";

int
cli_status(int argc, char **argv)
{
    char *wd = ref_workdir_from_args(&argc, argv);
    if (!wd)
        return 2;
    bool as_json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(status_usage, stdout);
            free(wd);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            as_json = true;
        } else {
            diag_error(NULL, 0, 0, "unexpected argument '%s' for status", argv[i]);
            fputs(status_usage, stderr);
            free(wd);
            return 2;
        }
    }
    workdir *w = workdir_open_existing(wd);
    if (!w) {
        diag_error(NULL, 0, 0, "no workdir at %s (give --workdir DIR or -p FILE)", wd);
        free(wd);
        return 2;
    }
    long stale;
    json_t *st = run_status_read(w->path, &stale);
    if (st && as_json) {
        char *text = json_dumps(st, JSON_INDENT(2));
        puts(text);
        free(text);
    } else if (st) {
        run_status_print(stdout, st);
    } else if (stale) {
        printf("no run in progress in %s (run %ld was cut off)\n", w->path, stale);
    } else {
        printf("no run in progress in %s\n", w->path);
    }
    json_decref(st);
    workdir_close(w);
    free(wd);
    return 0;
}
