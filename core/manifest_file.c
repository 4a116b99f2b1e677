/* manifest_file.c - writing and streaming JOBDIR/manifest.txt. */
#include "manifest_file.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle_internal.h"
#include "decimal.h"
#include "fsutil.h"

#define MANIFEST_HEADER "axle-manifest 1\n"

/* Lines are gathered and hashed and written a block at a time: a call
 * of each per line showed at 100,000 entries (a change run at 100,000
 * photos writes that many, carried over from the base). */
#define MANIFEST_BLOCK (64 * 1024)

struct manifest_writer {
    fs_stream *out;
    digest_stream *sha;
    size_t entries;
    int err; /* the first write error, for commit */
    size_t used;
    char block[MANIFEST_BLOCK];
};

/* The gathered lines into the digest and the file. */
static void
writer_flush(manifest_writer *w)
{
    digest_update(w->sha, w->block, w->used);
    if (!w->err && fwrite(w->block, 1, w->used, w->out->f) != w->used)
        w->err = errno ? errno : EIO;
    w->used = 0;
}

manifest_writer *
manifest_writer_open(const char *jobdir)
{
    manifest_writer *w = calloc(1, sizeof *w);
    char *path = NULL;
    if (!w || asprintf(&path, "%s/%s", jobdir, MANIFEST_FILE) < 0) {
        free(w);
        errno = ENOMEM;
        return NULL;
    }
    w->out = fs_stream_begin(path);
    int e = errno;
    free(path);
    w->sha = w->out ? digest_begin() : NULL;
    if (!w->sha) {
        fs_stream_abort(w->out);
        free(w);
        errno = e ? e : ENOMEM;
        return NULL;
    }
    fputs(MANIFEST_HEADER, w->out->f);
    digest_update(w->sha, MANIFEST_HEADER, strlen(MANIFEST_HEADER));
    return w;
}

/* A path as one line: backslash and newline escaped. */
static size_t
escape_path(const char *path, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = path; *p && n + 2 < size; p++) {
        if (*p == '\\' || *p == '\n') {
            out[n++] = '\\';
            out[n++] = *p == '\n' ? 'n' : '\\';
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return n;
}

int
manifest_writer_add(manifest_writer *w, const char *path, long long size,
                    long long mtime_ns)
{
    char line[2 * 4096 + 64]; /* every byte of a PATH_MAX path escaped */
    if (strlen(path) >= 4096) {
        w->err = ENAMETOOLONG;
        errno = w->err;
        return -1;
    }
    char *end = decimal_put(line, size, 0); /* "%lld %lld ", without snprintf */
    *end++ = ' ';
    end = decimal_put(end, mtime_ns, 0);
    *end++ = ' ';
    size_t head = (size_t)(end - line);
    size_t len = head + escape_path(path, line + head, sizeof line - head - 1);
    line[len++] = '\n';
    if (w->used + len > sizeof w->block)
        writer_flush(w);
    if (w->err) {
        errno = w->err;
        return -1;
    }
    memcpy(w->block + w->used, line, len); /* a line fits: len < 2 * 4096 + 64 */
    w->used += len;
    w->entries++;
    return 0;
}

int
manifest_writer_commit(manifest_writer *w, char sha[DIGEST_HEX_LEN], size_t *entries)
{
    writer_flush(w);
    *entries = w->entries;
    digest_end(w->sha, sha);
    int e = w->err;
    if (e)
        fs_stream_abort(w->out);
    else if (fs_stream_commit(w->out) < 0)
        e = errno;
    free(w);
    errno = e;
    return e ? -1 : 0;
}

void
manifest_writer_abort(manifest_writer *w)
{
    if (!w)
        return;
    digest_end(w->sha, NULL);
    fs_stream_abort(w->out);
    free(w);
}

/* ---- reading ---- */

char *
refusal_reason(const char *fmt, ...)
{
    char *out = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&out, fmt, ap) < 0)
        out = strdup("the job could not be checked (out of memory)");
    va_end(ap);
    return out;
}

/* A decimal "%lld" at *pp, which moves past it; false when there is none
 * or it overflows.  By hand, not strtoll (locale, spaces, signs): a
 * reuse check parses two a file, 200,000 at 100,000 exported files. */
static bool
parse_decimal(char **pp, long long *out)
{
    char *p = *pp;
    bool negative = *p == '-';
    if (negative)
        p++;
    char *digits = p;
    long long v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        int d = *p - '0';
        if (v > (LLONG_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (p == digits)
        return false;
    *out = negative ? -v : v;
    *pp = p;
    return true;
}

/* Parses "SIZE MTIME PATH" in place (the newline already cut); false
 * when the line is not one. */
static bool
parse_line(char *line, long long *size, long long *mtime, char **path)
{
    char *end = line;
    if (!parse_decimal(&end, size) || *end != ' ')
        return false;
    end++;
    if (!parse_decimal(&end, mtime) || *end != ' ' || !end[1])
        return false;
    char *in = end + 1, *out = in;
    *path = in;
    for (; *in; in++) {
        if (*in != '\\') {
            *out++ = *in;
            continue;
        }
        in++;
        if (*in == 'n')
            *out++ = '\n';
        else if (*in == '\\')
            *out++ = '\\';
        else
            return false;
    }
    *out = '\0';
    return true;
}

/* manifest_check's reading: lines handed to fn until it gives a reason,
 * then only counted. */
struct reading {
    manifest_entry_fn fn;
    void *ctx;
    char *first;  /* the first reason fn gave */
    size_t seen;  /* entry lines */
    bool header;  /* the header line was read, and was one */
    bool damaged; /* a line that does not parse, or no header */
};

/* The whole lines of text[0..len), each ending in '\n', judged in order;
 * returns how many bytes they take (the rest is an unfinished line). */
static size_t
take_lines(struct reading *rd, char *text, size_t len)
{
    size_t done = 0;
    char *nl;
    while (!rd->damaged && (nl = memchr(text + done, '\n', len - done)) != NULL) {
        char *line = text + done;
        size_t n = (size_t)(nl - line) + 1;
        done += n;
        if (!rd->header) {
            rd->header = n == strlen(MANIFEST_HEADER) &&
                         memcmp(line, MANIFEST_HEADER, n) == 0;
            rd->damaged = !rd->header;
            continue;
        }
        rd->seen++;
        if (rd->first)
            continue; /* read on for the digest and the count only */
        long long size, mtime;
        char *file;
        *nl = '\0';
        if (!parse_line(line, &size, &mtime, &file))
            rd->damaged = true;
        else
            rd->first = rd->fn(file, size, mtime, rd->ctx);
    }
    return done;
}

char *
manifest_check(const char *jobdir, const char *id, const char *sha, size_t entries,
               manifest_entry_fn fn, void *ctx)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", jobdir, MANIFEST_FILE) < 0)
        return refusal_reason("the job could not be checked (out of memory)");
    char why[256];
    int fd = fs_open_file(path, false, why, sizeof why);
    free(path);
    if (fd < 0)
        return refusal_reason("%s of %s cannot be read: %s", MANIFEST_FILE, id, why);
    struct reading rd = {fn, ctx, NULL, 0, false, false};
    digest_stream *d = digest_begin();
    /* a block at a time into the digest, then split into lines: a digest
     * call per line showed at 100,000 entries; a line cut by the block's
     * end is moved to the front and completed by the next read */
    char *block = malloc(MANIFEST_BLOCK + 1);
    size_t kept = 0;
    ssize_t n = 0;
    while (block && !rd.damaged &&
           (n = read(fd, block + kept, MANIFEST_BLOCK - kept)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rd.damaged = true; /* unreadable: not the file job.json describes */
            break;
        }
        digest_update(d, block + kept, (size_t)n);
        size_t have = kept + (size_t)n, done = take_lines(&rd, block, have);
        kept = have - done;
        memmove(block, block + done, kept);
        if (kept == MANIFEST_BLOCK) /* a line longer than a block: never written */
            rd.damaged = true;
    }
    if (!block || kept || !rd.header) /* out of memory, a last line without its
                                         newline, or no header */
        rd.damaged = true;
    free(block);
    close(fd);
    char *first = rd.first;
    size_t seen = rd.seen;
    bool damaged = rd.damaged;
    char hex[DIGEST_HEX_LEN];
    digest_end(d, hex);
    if (damaged || !sha || strcmp(hex, sha) != 0 || seen != entries) {
        free(first);
        return refusal_reason("%s of %s was changed after the job finished (its digest is not the "
                      "one in job.json)", MANIFEST_FILE, id);
    }
    return first;
}
