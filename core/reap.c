/* reap.c - kill and wait for every descendant, found through /proc. */
#include "reap.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
reap_become_subreaper(void)
{
    return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 ? 0 : -1;
}

/* Parent pid and state letter of process `pid`, from /proc/PID/stat:
 * "PID (COMM) STATE PPID ...", where COMM may hold spaces and ')'. */
static bool
proc_parent(const char *pid, pid_t *ppid, char *state)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    int parent;
    if (!close_paren || sscanf(close_paren + 1, " %c %d", state, &parent) != 2)
        return false;
    *ppid = parent;
    return true;
}

/* One round: kill every child now alive, wait for each.  Returns how many
 * children there were (-1 if /proc cannot be read); *running counts those
 * that were not zombies yet. */
static int
kill_round(int *running)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    pid_t self = getpid();
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        pid_t ppid;
        char state;
        if (!isdigit((unsigned char)e->d_name[0]) ||
            !proc_parent(e->d_name, &ppid, &state) || ppid != self)
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (state != 'Z')
            (*running)++;
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        found++;
    }
    closedir(d);
    return found;
}

int
reap_children(void)
{
    int running = 0;
    while (kill_round(&running) > 0)
        ;
    /* Children that ended on their own are zombies /proc may have shown
     * already reaped: collect whatever is left without blocking. */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    return running;
}
