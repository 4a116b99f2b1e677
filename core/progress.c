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
    uint64_t done = 0, total = 0;
    for (int i = 0; i <= v->slices; i++) {
        done += sh->slots[i].done;
        total += sh->slots[i].total;
    }
    if (total == 0)
        return;
    v->last_draw = now;
    double elapsed = now - v->started;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - (done < total ? done : total)) / rate : 0;
    fprintf(stderr, "%s%s: %s %llu/%llu items, %.0f/s, %.0fs left%s",
            v->tty ? "\r" : "", v->step, job_stage_names[sh->stage],
            (unsigned long long)done, (unsigned long long)total, rate, left,
            v->tty ? "\033[K" : "\n");
    v->drawn = v->tty;
}

void
progress_end(progress_view *v)
{
    if (v->drawn)
        fputs("\r\033[K", stderr);
    v->drawn = false;
}
