/* progress.h - drawing a running job's progress on stderr:
 *   thumbs 2/4: 1234/5000 items, 85/s, 44 s left
 * (the stage in brackets when it is prepare or synthesis).
 * On a terminal: one line redrawn at most 10 times a second; otherwise a
 * plain line every 10 seconds.  Quiet when AXLE_PROGRESS=never. */
#ifndef AXLE_PROGRESS_H
#define AXLE_PROGRESS_H

#include "job_process.h"

typedef struct progress_view {
    const char *step;    /* "thumbs 2/4": the step and its place in the run */
    int slices;
    double started, last_draw;
    bool tty, drawn, enabled;
} progress_view;

void progress_begin(progress_view *v, const char *step, int slices);
void progress_draw(progress_view *v, const job_shared *sh, double now);
/* Clears the line, if one was drawn. */
void progress_end(progress_view *v);

#endif
