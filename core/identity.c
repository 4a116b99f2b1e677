/* identity.c - building, hashing and comparing identity records. */
#include "identity.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axle_internal.h"
#include "decimal.h"
#include "fsutil.h"
#include "stat_batch.h"
#include "libaxle_digest.h"
#include "workdir.h"

/* What the digest of one path option's files is made of, as they come. */
struct files_digest {
    stat_pipe *pipe;
    digest_stream *d;
    json_int_t count;
    bool failed; /* out of memory: the identity must not match */
    int facts_fd; /* the same bytes, kept for the job (identity_file_facts), or -1 */
    /* lines gathered, hashed a buffer at a time: the same bytes, without
     * a digest call (and its overhead) per path and per line */
    size_t used;
    char buf[64 * 1024];
};

/* Appends bytes to the facts file; a failed write only costs the
 * hand-over (the job then lists and stats the files itself). */
static void
facts_write(struct files_digest *fd, const void *data, size_t len)
{
    const char *p = data;
    while (fd->facts_fd >= 0 && len > 0) {
        ssize_t n = write(fd->facts_fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd->facts_fd);
            fd->facts_fd = -1;
            break;
        }
        p += n;
        len -= (size_t)n;
    }
}

static void
digest_flush(struct files_digest *fd)
{
    digest_update(fd->d, fd->buf, fd->used);
    facts_write(fd, fd->buf, fd->used);
    fd->used = 0;
}

/* Appends bytes to the digest's buffer. */
static void
digest_put(struct files_digest *fd, const void *data, size_t len)
{
    if (fd->used + len > sizeof fd->buf) {
        digest_flush(fd);
        if (len > sizeof fd->buf) {
            digest_update(fd->d, data, len);
            facts_write(fd, data, len);
            return;
        }
    }
    memcpy(fd->buf + fd->used, data, len);
    fd->used += len;
}

/* A batch's files into the digest, in their order: one line per file
 * found (a file gone since the walk is left out); the path's NUL ends it
 * unambiguously. */
static bool
digest_batch(void *ctx, const stat_batch *b)
{
    struct files_digest *fd = ctx;
    for (size_t i = 0; i < stat_batch_count(b); i++) {
        const stat_fact *f = stat_batch_fact(b, i);
        if (f->err)
            continue;
        const char *path = stat_batch_path(b, i);
        char line[96], *end = line; /* "\t%lld\t%lld.%09ld\n" */
        *end++ = '\t';
        end = decimal_put(end, f->size, 0);
        *end++ = '\t';
        end = decimal_put(end, f->mtime_sec, 0);
        *end++ = '.';
        end = decimal_put(end, f->mtime_nsec, 9);
        *end++ = '\n';
        digest_put(fd, path, strlen(path) + 1);
        digest_put(fd, line, (size_t)(end - line));
        fd->count++;
    }
    return true;
}

static int
digest_file(void *ctx, const char *path)
{
    struct files_digest *fd = ctx;
    if (!stat_pipe_add(fd->pipe, path, 0, 0)) {
        fd->failed = true;
        return AXLE_ENOMEM;
    }
    return AXLE_OK;
}

/* ---- the identity pass's file facts, handed over to the job ----
 *
 * The lines hashed for a path option ("PATH\0\tSIZE\tSEC.NSEC\n", sorted)
 * are written as they are hashed to an unnamed temporary file, so that a
 * job built for this identity (import_images) takes the files and their
 * stat as the identity saw them instead of walking and stat'ing the
 * collection again (axle_file_facts_open).  A temporary file, not memory:
 * the core's memory stays flat in the number of photos.  The file lives
 * until the step is done (identity_forget_files). */

struct kept_facts {
    const json_t *record; /* the identity record they belong to */
    char *option;
    int fd;
};

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept_facts *kept;
static size_t nkept;

/* An unnamed file for the facts: in TMPDIR (else /tmp), else in memory;
 * -1 when neither can be made (no hand-over, nothing else lost). */
static int
facts_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && dir && *dir)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        fd = memfd_create("axle-identity-files", MFD_CLOEXEC);
    return fd;
}

/* Keeps `fd` as record's facts for `option`; closes it when it cannot. */
static void
keep_facts(const json_t *record, const char *option, int fd)
{
    pthread_mutex_lock(&kept_lock);
    struct kept_facts *grown = realloc(kept, (nkept + 1) * sizeof *kept);
    char *name = strdup(option);
    if (grown && name) {
        kept = grown;
        kept[nkept++] = (struct kept_facts){record, name, fd};
        fd = -1;
    } else {
        kept = grown ? grown : kept;
        free(name);
    }
    pthread_mutex_unlock(&kept_lock);
    if (fd >= 0)
        close(fd);
}

json_t *
identity_file_facts(const json_t *record)
{
    json_t *facts = NULL;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < nkept; i++) {
        if (kept[i].record != record)
            continue;
        if (!facts)
            facts = json_object();
        json_object_set_new(facts, kept[i].option, json_integer(kept[i].fd));
    }
    pthread_mutex_unlock(&kept_lock);
    return facts;
}

void
identity_forget_files(const json_t *record)
{
    pthread_mutex_lock(&kept_lock);
    size_t k = 0;
    for (size_t i = 0; i < nkept; i++) {
        if (kept[i].record == record) {
            close(kept[i].fd);
            free(kept[i].option);
        } else {
            kept[k++] = kept[i];
        }
    }
    nkept = k;
    pthread_mutex_unlock(&kept_lock);
}

/* The digested lines of one option, ready to be kept for the job; -1
 * when they are not the whole story of its files (an expansion that
 * failed or left entries out, which the job must report itself). */
static int
facts_ready(struct files_digest *fd, int rc, size_t left_out)
{
    int facts = fd->facts_fd;
    fd->facts_fd = -1;
    if (facts >= 0 && (rc != AXLE_OK || left_out || fd->failed || fd->count == 0)) {
        close(facts);
        facts = -1;
    }
    return facts;
}

/* Input files named by path options: the SHA-256 and count of their
 * sorted list of paths with size and mtime, so a changed photo rebuilds
 * its import.  The list itself is not kept in the record (job.json would
 * grow with the collection), nor in memory: the files come as a stream
 * and are stat'ed in batches over threads (stat_batch.h).  import_images
 * writes the list to its job folder (inputs.txt), where an incremental
 * import diffs it.  Expansion errors are left for the method to report;
 * identity just reflects what is there now. */
static json_t *
input_files(const method *m, json_t *options, json_t *record)
{
    json_t *files = json_object();
    const axle_option *o = m->desc->options;
    json_t *rec = json_object_get(options, "recursive");
    bool recursive = !json_is_false(rec);
    for (; o && o->name; o++) {
        if (o->type != AXLE_OPT_PATH && o->type != AXLE_OPT_PATHS)
            continue;
        json_t *v = json_object_get(options, o->name);
        size_t n = json_is_array(v) ? json_array_size(v) : json_is_string(v);
        const char **pats = calloc(n + 1, sizeof *pats);
        for (size_t i = 0; i < n; i++)
            pats[i] = json_is_array(v) ? json_string_value(json_array_get(v, i))
                                       : json_string_value(v);
        char err[512];
        struct files_digest *fd = malloc(sizeof *fd);
        if (!fd) { /* never the identity of a complete expansion */
            json_object_set_new(files, o->name, json_pack("{s:I, s:s}", "count",
                                                          (json_int_t)0, "sha256",
                                                          "out of memory"));
            free(pats);
            continue;
        }
        *fd = (struct files_digest){NULL, digest_begin(), 0, false, facts_file(), 0, {0}};
        fd->pipe = stat_pipe_new(AT_FDCWD, digest_batch, fd);
        fd->failed = !fd->pipe;
        int rc = AXLE_EINVAL; /* no paths, or no pipe: no files */
        size_t left_out = 0;
        if (fd->pipe && pats && n)
            rc = axle_internal_expand_each(pats, n, recursive, digest_file, fd, &left_out,
                                           err, sizeof err);
        if (rc == AXLE_OK) {
            stat_pipe_finish(fd->pipe);
            digest_flush(fd);
        }
        char hex[DIGEST_HEX_LEN];
        digest_end(fd->d, hex);
        if (rc != AXLE_OK) { /* as for no file at all; the method says why */
            fd->count = 0;
            digest_bytes("", 0, hex);
        }
        if (fd->failed) /* never the identity of a complete expansion */
            snprintf(hex, sizeof hex, "out of memory");
        stat_pipe_free(fd->pipe);
        json_object_set_new(files, o->name,
                            json_pack("{s:I, s:s}", "count", fd->count, "sha256", hex));
        int facts = facts_ready(fd, rc, left_out);
        if (facts >= 0)
            keep_facts(record, o->name, facts);
        free(fd);
        free(pats);
    }
    return files;
}

json_t *
identity_record(const method *m, json_t *options, json_t *inputs, int slices)
{
    /* The run checks up front that libaxle could be digested; should it
     * not have, no identity may match an earlier one. */
    char err[512];
    const char *libaxle = libaxle_sha256(NULL, err, sizeof err);
    json_t *record = json_pack("{s:s, s:s, s:O, s:O, s:i, s:i, s:o, s:s}",
                               "method", m->desc->name, "so_sha256", m->sha256,
                               "options", options, "inputs", inputs, "slices", slices,
                               "format", WORKDIR_FORMAT, "libraries",
                               axle_internal_library_versions(), "libaxle_sha256",
                               libaxle ? libaxle : err);
    /* after the record exists: the files' facts are kept under it */
    if (record)
        json_object_set_new(record, "files", input_files(m, options, record));
    return record;
}

void
identity_digest(json_t *record, char hex[DIGEST_HEX_LEN])
{
    char *text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS |
                                        JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17));
    digest_bytes(text, strlen(text), hex);
    free(text);
}

void
identity_recipe(json_t *record, char hex[DIGEST_HEX_LEN])
{
    json_t *r = json_deep_copy(record);
    json_object_del(r, "inputs");
    json_object_del(r, "files");
    identity_digest(r, hex);
    json_decref(r);
}

static char *
compact(json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)
             : strdup("(none)");
}

static void
explain_object(json_t *out, const char *what, json_t *a, json_t *b)
{
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v) {
        json_t *old = json_object_get(a, key);
        if (old && json_equal(old, v))
            continue;
        char *x = compact(old), *y = compact(v);
        if (strlen(x) + strlen(y) > 200)
            json_array_append_new(out, json_sprintf("%s %s changed", what, key));
        else
            json_array_append_new(out,
                                  json_sprintf("%s %s changed: %s -> %s", what, key, x, y));
        free(x);
        free(y);
    }
    json_object_foreach(a, key, v) {
        if (!json_object_get(b, key))
            json_array_append_new(out, json_sprintf("%s %s removed", what, key));
    }
}

json_t *
identity_explain(json_t *before, json_t *now)
{
    json_t *out = json_array();
    if (!before) {
        json_array_append_new(out, json_string("no earlier job of this step"));
        return out;
    }
    if (!json_equal(json_object_get(before, "method"), json_object_get(now, "method")))
        json_array_append_new(out, json_string("the method changed"));
    else if (!json_equal(json_object_get(before, "so_sha256"),
                         json_object_get(now, "so_sha256")))
        json_array_append_new(out, json_string("the .so changed"));
    explain_object(out, "option", json_object_get(before, "options"),
                   json_object_get(now, "options"));
    explain_object(out, "input", json_object_get(before, "inputs"),
                   json_object_get(now, "inputs"));
    explain_object(out, "input files of option", json_object_get(before, "files"),
                   json_object_get(now, "files"));
    if (!json_equal(json_object_get(before, "libaxle_sha256"),
                    json_object_get(now, "libaxle_sha256")))
        json_array_append_new(out, json_string("libaxle changed"));
    if (!json_equal(json_object_get(before, "libraries"),
                    json_object_get(now, "libraries")))
        json_array_append_new(out, json_string("a library version changed"));
    if (!json_equal(json_object_get(before, "slices"), json_object_get(now, "slices")))
        json_array_append_new(out, json_string("the slice count changed"));
    if (json_array_size(out) == 0)
        json_array_append_new(out, json_string("same identity as the earlier job, "
                                               "which did not complete"));
    return out;
}

/* ---- overlap: a step's recipe before its input files are walked ---- */

void
identity_recipe_of(const method *m, json_t *options, int slices, char hex[DIGEST_HEX_LEN])
{
    /* identity_record's fields but the inputs and files, which the recipe
     * leaves out: a field missing here only makes reuse_early.h skip (or
     * waste) an early check, never trust a wrong job */
    char err[512];
    const char *libaxle = libaxle_sha256(NULL, err, sizeof err);
    json_t *r = json_pack("{s:s, s:s, s:O, s:i, s:i, s:o, s:s}", "method", m->desc->name,
                          "so_sha256", m->sha256, "options", options, "slices", slices,
                          "format", WORKDIR_FORMAT, "libraries",
                          axle_internal_library_versions(), "libaxle_sha256",
                          libaxle ? libaxle : err);
    if (!r) {
        hex[0] = '\0'; /* the recipe of no job */
        return;
    }
    identity_digest(r, hex);
    json_decref(r);
}
