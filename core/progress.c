/* progress.c - items done of total, rate and time left, on stderr. */
#include "progress.h"

#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
progress_begin(progress_view *v, const char *step, int slices)
{
    const char *mode = getenv("AXLE_PROGRESS");
    const char *term = getenv("TERM");
    memset(v, 0, sizeof *v);
    v->step = step;
    v->slices = slices;
    v->started = v->last_draw = clock_now();
    v->tty = isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    v->enabled = !(mode && strcmp(mode, "never") == 0);
    if (mode && strcmp(mode, "always") == 0)
        v->tty = true;
}

void
progress_draw(progress_view *v, const job_shared *sh, double now)
{
    double interval = v->tty ? 0.1 : 10.0;
    if (!v->enabled || now - v->last_draw < interval)
        return;
    /* The stage running now: the slices in analysis, else the one slot
     * of prepare and synthesis. */
    int stage = sh->stage;
    int first = stage == STAGE_ANALYSIS ? 0 : v->slices;
    int last = stage == STAGE_ANALYSIS ? v->slices - 1 : v->slices;
    uint64_t done = 0, total = 0;
    for (int i = first; i <= last; i++) {
        done += sh->slots[i].done;
        total += sh->slots[i].total;
    }
    if (total == 0 || stage >= STAGE_COUNT)
        return;
    v->last_draw = now;
    /* rate and time left are the stage's own */
    double elapsed = now - (sh->stage_started > 0 ? sh->stage_started : v->started);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - (done < total ? done : total)) / rate : 0;
    char where[32] = "";
    if (stage != STAGE_ANALYSIS)
        snprintf(where, sizeof where, " (%s)", job_stage_names[stage]);
    fprintf(stderr, "%s%s%s: %llu/%llu items, %.0f/s, %.0f s left%s",
            v->tty ? "\r" : "", v->step, where, (unsigned long long)done,
            (unsigned long long)total, rate, left, v->tty ? "\033[K" : "\n");
    v->drawn = v->tty;
}

void
progress_end(progress_view *v)
{
    if (v->drawn)
        fputs("\r\033[K", stderr);
    v->drawn = false;
}
