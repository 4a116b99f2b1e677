/* main.c - axle's entry: picks the subcommand.  No logic lives here. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "axle/axle.h"
#include "cli.h"

static const char usage[] =
    "usage: axle COMMAND [ARGS]\n"
    "\n"
    "  run FILE [NAME=VALUE ...]   run a pipeline (a file, or an installed one\n"
    "                              by name: thumbnails), reusing unchanged jobs\n"
    "  job REF                     a job: options, inputs, timing, files, why built\n"
    "  ds REF[/NAME]               a dataset: columns, types, rows per slice\n"
    "  methods [NAME | PATH.so]    the methods found, their files and options\n"
    "  new NAME [DIR]              a new method folder that builds and runs as is\n"
    "  which FILE                  the job and chain of jobs that made an exported file\n"
    "  board [--port N]            a read-only web page of the workdir\n"
    "  runs [N]                    the run history, newest first; run N in full\n"
    "  status                      the status tree of the run in progress\n"
    "  gc [--keep N] [--dry-run]   removes the jobs the newest N runs do not need\n"
    "\n"
    "REF is a job id (axle-work-12), a step name of the latest run, or STEP@N\n"
    "(the step's job in run N of `axle runs`).\n"
    "`axle COMMAND --help` says more; `man axle` says all.\n";

int
main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("axle %s (SDK ABI %d.%d)\n", AXLE_VERSION, AXLE_ABI_MAJOR,
               AXLE_ABI_MINOR);
        return 0;
    }
    /* `pkill -USR1 axle` asks a run for its status tree (axle run installs
     * its handler); no other command may die of it. */
    signal(SIGUSR1, SIG_IGN);
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {{"run", cli_run}, {"job", cli_job}, {"ds", cli_ds},
                    {"methods", cli_methods}, {"new", cli_new},
                    {"which", cli_which}, {"board", cli_board},
                    {"runs", cli_runs}, {"status", cli_status},
                    {"gc", cli_gc}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "axle: error: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
