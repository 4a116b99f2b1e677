/* cli_board.c - `axle board`: serves a workdir's runs, jobs, datasets and
 * images as a local, read-only web page (board_*.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "ref.h"
#include "workdir.h"
#ifdef AXLE_HAVE_BOARD
#include "board/board.h"
#endif

#define BOARD_DEFAULT_PORT 8520

static const char board_usage[] =
    "usage: axle board [--port N] [--listen ADDR] [--workdir DIR | -p FILE]\n"
    "\n"
    "Serves the workdir as a read-only web page and prints its URL: the runs,\n"
    "each run's steps, jobs (options, why built, stage times and logs, result,\n"
    "files, skipped items), datasets (columns, rows, images) and a gallery of\n"
    "any image column.  JSON for scripts at /api/runs, /api/jobs/ID and\n"
    "/api/ds/ID/NAME.  Runs until Ctrl-C.\n"
    "\n"
    "  --port N        the port (default 8520; 0 picks a free one)\n"
    "  --listen ADDR   the address to listen on (default 127.0.0.1, this\n"
    "                  machine only; 0.0.0.0 or :: for every interface)\n"
    "  --workdir DIR   the workdir (default: ./axle-work)\n"
    "  -p FILE         the workdir of pipeline FILE\n";

static bool
parse_port(const char *s, int *port)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > 65535)
        return false;
    *port = (int)v;
    return true;
}

/* 0 ok, 1 --help shown, 2 usage error (printed). */
static int
parse_args(int argc, char **argv, int *port, const char **listen)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(board_usage, stdout);
            return 1;
        } else if ((strcmp(a, "--port") == 0 || strcmp(a, "--listen") == 0) &&
                   i + 1 >= argc) {
            diag_error(NULL, 0, 0, "board: %s wants a value", a);
            return 2;
        } else if (strcmp(a, "--port") == 0) {
            if (!parse_port(argv[++i], port)) {
                diag_error(NULL, 0, 0, "board: --port '%s' is not a port number "
                           "(0 to 65535)", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--listen") == 0) {
            *listen = argv[++i];
        } else {
            diag_error(NULL, 0, 0, "board: unexpected argument '%s' (see axle board "
                       "--help)", a);
            return 2;
        }
    }
    return 0;
}

int
cli_board(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(board_usage, stdout);
            return 0;
        }
    char *wd = ref_workdir_from_args(&argc, argv);
    if (!wd)
        return 2;
    int port = BOARD_DEFAULT_PORT;
    const char *listen = "127.0.0.1";
    int rc = parse_args(argc, argv, &port, &listen);
    if (rc != 0) {
        free(wd);
        return rc == 1 ? 0 : rc;
    }
#ifndef AXLE_HAVE_BOARD
    diag_error(NULL, 0, 0, "board: this axle was built without the board (configure "
               "found no libmicrohttpd, or was told --without-microhttpd): install "
               "libmicrohttpd-dev, then configure and build again");
    free(wd);
    return 2;
#endif
    workdir *w = workdir_open_existing(wd);
    if (!w) {
        diag_error(NULL, 0, 0, "board: no workdir at %s (give --workdir DIR or -p FILE)",
                   wd);
        free(wd);
        return 2;
    }
    workdir_close(w);
#ifdef AXLE_HAVE_BOARD
    rc = board_serve(wd, listen, port);
#endif
    free(wd);
    return rc;
}
