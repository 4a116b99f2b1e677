/* cli.h - the subcommands of axle; each takes argv after its own name
 * (argv[0] is the subcommand) and returns the process exit status. */
#ifndef AXLE_CLI_H
#define AXLE_CLI_H

int cli_run(int argc, char **argv);
int cli_job(int argc, char **argv);
int cli_ds(int argc, char **argv);
int cli_methods(int argc, char **argv);
int cli_new(int argc, char **argv);
int cli_which(int argc, char **argv);
int cli_board(int argc, char **argv);
int cli_runs(int argc, char **argv);
int cli_status(int argc, char **argv);
int cli_gc(int argc, char **argv);

#endif
