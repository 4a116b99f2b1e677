/* reap.h - ending every process a job left behind.
 *
 * A method may fork, and its children may fork or leave their process
 * group (setsid).  The core and the job process are child subreapers, so
 * a descendant whose parent died becomes their child instead of init's;
 * reap_children then finds every one of them by its parent pid. */
#ifndef AXLE_REAP_H
#define AXLE_REAP_H

/* Makes this process the subreaper of its descendants.  0 or -1. */
int reap_become_subreaper(void);

/* SIGKILLs every child of this process and waits for it, round after
 * round (a killed child's children become ours), until none is left.
 * Only for a process whose every child belongs to the job: the core
 * between jobs, the job process between stages.
 * Returns how many were still running (zombies are only reaped). */
int reap_children(void);

#endif
