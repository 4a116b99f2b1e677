/* stage_log.c - a stage's log file with a bounded head and tail. */
#include "stage_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
stage_log_init(stage_log *l, const char *logdir, const char *name)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    snprintf(l->path, sizeof l->path, "%s/%s.txt", logdir, name);
}

static void
open_log(stage_log *l)
{
    l->tried = true;
    char dir[sizeof l->path];
    snprintf(dir, sizeof dir, "%s", l->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    /* One level only: if the job folder is gone, so is its log. */
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return;
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
}

/* A log that cannot be written (a full disk) stops: the stage goes on and
 * the terminal still shows its output.  A gap would make the log lie. */
static void
put(stage_log *l, const char *buf, size_t n)
{
    while (l->fd >= 0 && n > 0) {
        ssize_t w = write(l->fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(l->fd);
            l->fd = -1;
            return;
        }
        buf += w;
        n -= (size_t)w;
    }
}

/* Keeps the bytes past the head in the ring; `past` counts those before. */
static void
keep_tail(stage_log *l, uint64_t past, const char *buf, size_t n)
{
    if (!l->tail && past == 0)
        l->tail = malloc(STAGE_LOG_TAIL); /* tried once: a ring with a hole would lie */
    if (!l->tail)
        return;
    if (n > STAGE_LOG_TAIL) {
        past += n - STAGE_LOG_TAIL;
        buf += n - STAGE_LOG_TAIL;
        n = STAGE_LOG_TAIL;
    }
    size_t at = (size_t)(past % STAGE_LOG_TAIL);
    size_t first = n < STAGE_LOG_TAIL - at ? n : STAGE_LOG_TAIL - at;
    memcpy(l->tail + at, buf, first);
    memcpy(l->tail, buf + first, n - first);
}

void
stage_log_write(stage_log *l, const char *buf, size_t n)
{
    if (!l->tried)
        open_log(l);
    size_t head_room = l->seen < STAGE_LOG_HEAD ? STAGE_LOG_HEAD - (size_t)l->seen : 0;
    size_t to_head = n < head_room ? n : head_room;
    put(l, buf, to_head);
    if (to_head > 0)
        l->head_ends_line = buf[to_head - 1] == '\n';
    l->seen += to_head;
    buf += to_head;
    n -= to_head;
    if (n == 0)
        return;
    uint64_t past = l->seen - STAGE_LOG_HEAD;
    keep_tail(l, past, buf, n);
    l->seen += n;
    if (l->cut)
        return;
    if (l->seen <= STAGE_LOG_HEAD + STAGE_LOG_TAIL) {
        put(l, buf, n);
    } else if (l->fd >= 0) {
        /* From now on the file is the head; the tail waits in the ring. */
        if (ftruncate(l->fd, (off_t)STAGE_LOG_HEAD) < 0) {
            close(l->fd);
            l->fd = -1;
        }
        l->cut = true;
    }
}

static void
write_tail(stage_log *l)
{
    uint64_t past = l->seen - STAGE_LOG_HEAD;
    uint64_t kept = l->tail ? STAGE_LOG_TAIL : 0;
    char line[256];
    int len = snprintf(line, sizeof line, "%s[axle: %llu bytes left out here; a "
                       "stage log keeps its first %zu MiB and its last %zu MiB]\n",
                       l->head_ends_line ? "" : "\n",
                       (unsigned long long)(past - kept), STAGE_LOG_HEAD >> 20,
                       STAGE_LOG_TAIL >> 20);
    put(l, line, (size_t)len);
    if (!l->tail)
        return;
    size_t at = (size_t)(past % STAGE_LOG_TAIL);
    put(l, l->tail + at, STAGE_LOG_TAIL - at);
    put(l, l->tail, at);
}

void
stage_log_close(stage_log *l)
{
    if (l->fd >= 0 && l->cut)
        write_tail(l);
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    free(l->tail);
    l->tail = NULL;
}
