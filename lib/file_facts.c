/* file_facts.c - reading the core's file facts (axle_file_facts_open).
 *
 * The core hashes, for a job's identity, each input file of a path option
 * as a line "PATH\0\tSIZE\tSEC.NSEC\n" (core/identity.c), sorted by path,
 * and keeps those bytes in an unnamed file whose descriptor the job
 * process inherits.  Reading goes through pread at an offset of its own,
 * so two readers (or a second pass) never move each other, and the
 * descriptor stays the core's.  A line that does not parse, or a path not
 * after the one before it, is damage: the reading stops and close says so,
 * since a list out of order would make a merge with it wrong. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle_internal.h"

#define FACTS_BUF (256 * 1024) /* holds any line: a path is < PATH_MAX */

struct axle_file_facts {
    axle_job *job;
    char *option;
    int fd;
    off_t offset;       /* of buf[0] in the file */
    char *buf;
    size_t len, pos;    /* bytes in buf, and where the next line starts */
    char *last;         /* the path before, for the order check */
    size_t last_cap;
    bool damaged;
    const char *why;
    axle_file_fact fact;
};

axle_file_facts *
axle_file_facts_open(axle_job *job, const char *option)
{
    json_t *fd = job && option ? json_object_get(job->file_facts, option) : NULL;
    if (!json_is_integer(fd))
        return NULL;
    axle_file_facts *f = calloc(1, sizeof *f);
    if (!f || !(f->buf = malloc(FACTS_BUF)) || !(f->option = strdup(option))) {
        if (f)
            free(f->buf);
        free(f);
        return NULL;
    }
    f->job = job;
    f->fd = (int)json_integer_value(fd);
    return f;
}

void
axle_file_facts_rewind(axle_file_facts *f)
{
    if (!f)
        return;
    f->offset = 0;
    f->len = f->pos = 0;
    f->damaged = false;
    if (f->last)
        f->last[0] = '\0';
}

/* Moves what is left of buf to its start and reads more after it; false
 * at the end of the file or on an error (f->why set for an error). */
static bool
fill(axle_file_facts *f)
{
    memmove(f->buf, f->buf + f->pos, f->len - f->pos);
    f->offset += (off_t)f->pos;
    f->len -= f->pos;
    f->pos = 0;
    for (;;) {
        ssize_t n = pread(f->fd, f->buf + f->len, FACTS_BUF - f->len,
                          f->offset + (off_t)f->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            f->why = strerror(errno);
        if (n <= 0)
            return false;
        f->len += (size_t)n;
        return true;
    }
}

/* A decimal number at *p (digits only); false when there is none. */
static bool
number(const char **p, const char *end, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    while (s < end && *s >= '0' && *s <= '9' && v <= (INT64_MAX - 9) / 10)
        v = v * 10 + (*s++ - '0');
    if (s == *p)
        return false;
    *p = s;
    *out = v;
    return true;
}

/* Parses the line at buf[pos, eol) into f->fact; false when damaged. */
static bool
parse_line(axle_file_facts *f, char *line, const char *eol)
{
    size_t plen = strnlen(line, (size_t)(eol - line));
    const char *p = line + plen + 1; /* past the path's NUL */
    int64_t size, sec, nsec;
    if (plen == 0 || p >= eol || *p++ != '\t' || !number(&p, eol, &size) || p >= eol ||
        *p++ != '\t' || !number(&p, eol, &sec) || p >= eol || *p++ != '.' ||
        !number(&p, eol, &nsec) || p != eol || nsec > 999999999)
        return false;
    if (f->last && f->last[0] && strcmp(f->last, line) >= 0)
        return false; /* not sorted, or twice */
    if (plen + 1 > f->last_cap) {
        char *grown = realloc(f->last, plen + 1);
        if (!grown)
            return false;
        f->last = grown;
        f->last_cap = plen + 1;
    }
    memcpy(f->last, line, plen + 1);
    f->fact = (axle_file_fact){line, size, sec, (long)nsec};
    return true;
}

const axle_file_fact *
axle_file_facts_next(axle_file_facts *f)
{
    if (!f || f->damaged)
        return NULL;
    char *eol = memchr(f->buf + f->pos, '\n', f->len - f->pos);
    while (!eol) {
        if (f->len - f->pos == FACTS_BUF || !fill(f)) {
            /* a line longer than any path, or bytes after the last line */
            f->damaged = f->why || f->len > f->pos;
            return NULL;
        }
        eol = memchr(f->buf + f->pos, '\n', f->len - f->pos);
    }
    char *line = f->buf + f->pos;
    f->pos = (size_t)(eol - f->buf) + 1;
    if (!parse_line(f, line, eol)) {
        f->damaged = true;
        return NULL;
    }
    return &f->fact;
}

int
axle_file_facts_close(axle_file_facts *f)
{
    if (!f)
        return AXLE_OK;
    int rc = AXLE_OK;
    if (f->damaged)
        rc = axle_error(f->job, AXLE_EFORMAT,
                        "the core's list of the files of option %s is damaged near byte "
                        "%lld%s%s: run the pipeline again",
                        f->option, (long long)(f->offset + (off_t)f->pos),
                        f->why ? ": " : "", f->why ? f->why : "");
    free(f->buf);
    free(f->last);
    free(f->option);
    free(f);
    return rc;
}
