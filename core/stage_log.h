/* stage_log.h - JOBDIR/log/STAGE.txt, kept bounded: a stage that prints
 * without end must not fill the disk.
 *
 * A log keeps the first STAGE_LOG_HEAD bytes and the last STAGE_LOG_TAIL
 * bytes of what its stage printed, with one line between them saying how
 * many bytes were left out.  Up to HEAD + TAIL bytes the file is simply
 * everything, written as it comes; past that the tail is held in memory
 * and written when the log is closed. */
#ifndef AXLE_STAGE_LOG_H
#define AXLE_STAGE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STAGE_LOG_HEAD ((size_t)1 << 20)
#define STAGE_LOG_TAIL ((size_t)1 << 20)

typedef struct stage_log {
    char path[4096];
    int fd;            /* -1 until the first byte (or when it cannot open) */
    uint64_t seen;     /* bytes the stage printed */
    char *tail;        /* ring of the last TAIL bytes past the head */
    bool tried;        /* the file was opened, or could not be */
    bool cut;          /* the file was cut back to the head */
    bool head_ends_line;
} stage_log;

/* `logdir` is created when the first byte comes, but never its parents:
 * a job folder that vanished is not recreated by its log. */
void stage_log_init(stage_log *l, const char *logdir, const char *name);
void stage_log_write(stage_log *l, const char *buf, size_t n);
/* Writes the "left out" line and the tail, if any, and closes. */
void stage_log_close(stage_log *l);

#endif
