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

/* Kills child `pid` (a number in text) and waits for it, when it is
 * still our child; true when it was.  *running counts those that were
 * not zombies yet. */
static bool
end_child(const char *pid, pid_t self, int *running)
{
    pid_t ppid;
    char state;
    if (!proc_parent(pid, &ppid, &state) || ppid != self)
        return false;
    pid_t child = (pid_t)atoi(pid);
    if (state != 'Z')
        (*running)++;
    kill(child, SIGKILL);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
    return true;
}

/* The children of each of our threads, as the kernel lists them
 * (/proc/self/task/TID/children): what the whole /proc would say, without
 * reading the state of every process on the machine (a scan after each
 * job read a thousand /proc/PID/stat files on a busy machine).  Returns
 * how many were ended, or -1 when the kernel does not list children. */
static int
kill_listed_children(int *running)
{
    DIR *tasks = opendir("/proc/self/task");
    if (!tasks)
        return -1;
    pid_t self = getpid();
    int found = 0;
    struct dirent *t;
    while (found >= 0 && (t = readdir(tasks))) {
        if (!isdigit((unsigned char)t->d_name[0]))
            continue;
        char path[300], list[4096];
        snprintf(path, sizeof path, "/proc/self/task/%s/children", t->d_name);
        FILE *f = fopen(path, "re");
        if (!f) {
            if (errno == ENOENT && found == 0)
                found = -1; /* no such file: a kernel without the lists */
            continue;
        }
        /* read whole first: waiting for a child changes the list */
        size_t n = fread(list, 1, sizeof list - 1, f);
        fclose(f);
        list[n] = '\0';
        char *last = n == sizeof list - 1 ? strrchr(list, ' ') : NULL;
        if (last) /* a long list: its last number may be cut short, and it
                     and the rest are ended in the next round */
            *last = '\0';
        for (char *save = NULL, *pid = strtok_r(list, " \n", &save); pid;
             pid = strtok_r(NULL, " \n", &save))
            found += end_child(pid, self, running);
    }
    closedir(tasks);
    return found;
}

/* One round: kill every child now alive, wait for each.  Returns how many
 * children there were (-1 if /proc cannot be read); *running counts those
 * that were not zombies yet. */
static int
kill_round(int *running)
{
    int listed = kill_listed_children(running);
    if (listed >= 0)
        return listed;

    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    pid_t self = getpid();
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (isdigit((unsigned char)e->d_name[0]))
            found += end_child(e->d_name, self, running);
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
