/* import_list.c - which files import_images reads, and the folder their
 * dataset names are relative to.
 *
 * Expansion is the SDK's axle_expand_paths, the same function the core
 * uses to put the input files into the job's identity, so what is hashed
 * is what is read.  Names are relative to the deepest folder holding all
 * files, so 2023/a.jpg and 2024/a.jpg stay apart and a single file is
 * named by its base name. */
#include "import_list.h"
#include "import_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Length of the folder part of `path` (up to, not including, the last
 * slash; 1 for a file in "/"; 0 for a bare name). */
static size_t
dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    return slash == path ? 1 : (size_t)(slash - path);
}

/* The folder above the first `len` bytes of `p` (a folder path). */
static size_t
parent_len(const char *p, size_t len)
{
    if (len == 1 && p[0] == '/')
        return 0; /* the root has no parent */
    while (len > 0 && p[len - 1] != '/')
        len--;
    if (len == 0)
        return 0; /* a relative name of one component: "" */
    return len == 1 ? 1 : len - 1; /* "/x" -> "/", "/a/b" -> "/a" */
}

/* True when folder p[0..len) holds path q (at any depth). */
static int
holds(const char *p, size_t len, const char *q)
{
    if (len == 1 && p[0] == '/')
        return q[0] == '/';
    return strncmp(p, q, len) == 0 && q[len] == '/';
}

char *
import_list_common_folder(char **paths, size_t n)
{
    size_t len = dir_len(paths[0]);
    for (size_t i = 1; i < n; i++)
        while (len > 0 && !holds(paths[0], len, paths[i]))
            len = parent_len(paths[0], len);
    return strndup(paths[0], len);
}

bool
import_list_named_like_image(const char *path)
{
    static const char *const exts[] = {"jpg", "jpeg", "jpe", "jfif", "webp", "png",
                                       "gif", "bmp", "tif", "tiff", "heic", "heif",
                                       "avif", "jxl", NULL};
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    for (size_t i = 0; dot && exts[i]; i++)
        if (strcasecmp(dot + 1, exts[i]) == 0)
            return true;
    return false;
}

struct skip_ctx {
    axle_job *job;
    int rc;        /* the first failure, with on_error: fail */
    size_t count;
};

/* An entry the expansion left out.  A FIFO, device or dangling link is
 * named only when it is named like an image (someone may have meant it
 * as a photo); a folder or file that could not be read, or a name that is
 * not UTF-8, always. */
static void
on_left_out(void *ctx, const axle_path_skip *s)
{
    struct skip_ctx *c = ctx;
    if (c->rc != AXLE_OK)
        return;
    if (s->issue == AXLE_PATH_NOT_REGULAR && !import_list_named_like_image(s->path))
        return;
    int rc = axle_error(c->job, AXLE_EIO, "%s", s->reason);
    if (s->issue == AXLE_PATH_UNREADABLE && import_errno_is_transient(s->errnum))
        c->rc = axle_item_failed_transient(c->job, NULL, s->path, rc);
    else
        c->rc = axle_item_failed(c->job, NULL, s->path, rc);
    c->count += c->rc == AXLE_OK;
}

int
import_list_expand(axle_job *job, struct import_list *l)
{
    memset(l, 0, sizeof *l);
    size_t n = axle_opt_count(job, "files");
    const char **pats = calloc(n ? n : 1, sizeof *pats);
    if (!pats)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        pats[i] = axle_opt_string_at(job, "files", i);
    char err[1024];
    struct skip_ctx c = {job, AXLE_OK, 0};
    int rc = axle_expand_paths_report(pats, n, axle_opt_bool(job, "recursive"), on_left_out,
                                      &c, &l->paths, &l->n, err, sizeof err);
    free(pats);
    if (rc != AXLE_OK)
        return axle_error(job, rc, "files: %s", err);
    l->skipped = c.count;
    if (c.rc != AXLE_OK) {
        import_list_free(l);
        return c.rc;
    }
    l->base = l->n ? import_list_common_folder(l->paths, l->n) : strdup("");
    return l->base ? AXLE_OK : axle_error(job, AXLE_ENOMEM, "out of memory");
}

const char *
import_name_below(const char *folder, const char *p)
{
    size_t bl = strlen(folder);
    if (bl == 0)
        return p;
    if (strncmp(p, folder, bl) == 0 && p[bl] == '/')
        return p + bl + 1;
    if (bl == 1 && folder[0] == '/' && p[0] == '/')
        return p + 1;
    return p;
}

const char *
import_list_relname(const struct import_list *l, size_t i)
{
    return import_name_below(l->base, l->paths[i]);
}

static struct import_stamp
stamp_of(int dirfd, const char *path)
{
    struct stat st;
    struct import_stamp t = {0, 0, 0, false};
    if (fstatat(dirfd, path, &st, 0) == 0)
        t = (struct import_stamp){(long long)st.st_size, (long long)st.st_mtim.tv_sec,
                                  st.st_mtim.tv_nsec, true};
    return t;
}

struct import_stamp
import_list_stamp(const struct import_list *l, size_t i)
{
    return l->stamps ? l->stamps[i] : stamp_of(AT_FDCWD, l->paths[i]);
}

int
import_list_stamp_all(struct import_list *l)
{
    free(l->stamps);
    if (!(l->stamps = calloc(l->n ? l->n : 1, sizeof *l->stamps)))
        return AXLE_ENOMEM;
    int dirfd = -1;
    size_t dirlen = 0; /* of the open folder's path, slash included */
    for (size_t i = 0; i < l->n; i++) {
        const char *p = l->paths[i], *slash = strrchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) + 1 : 0;
        if (dirfd < 0 || len != dirlen || strncmp(p, l->paths[i - 1], len) != 0) {
            if (dirfd >= 0)
                close(dirfd);
            char *dir = len ? strndup(p, len) : NULL;
            dirfd = dir ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
            free(dir);
            dirlen = len;
        }
        /* a folder that cannot be opened: the whole path says why */
        l->stamps[i] = dirfd >= 0 ? stamp_of(dirfd, p + len) : stamp_of(AT_FDCWD, p);
    }
    if (dirfd >= 0)
        close(dirfd);
    return AXLE_OK;
}

/* `v` in decimal at `out`, zero-padded to `width` digits; the end.  By
 * hand: printf's cost showed at 100,000 lines a run. */
static char *
put_decimal(char *out, long long v, int width)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n < width)
        digits[n++] = '0';
    if (v < 0)
        *out++ = '-';
    while (n)
        *out++ = digits[--n];
    return out;
}

size_t
import_stamp_text(struct import_stamp t, char out[IMPORT_STAMP_TEXT])
{
    char *end = out;
    if (!t.ok) {
        memcpy(out, "-\t-", 4);
        end = out + 3;
    } else {
        end = put_decimal(end, t.size, 0);
        *end++ = '\t';
        end = put_decimal(end, t.sec, 0);
        *end++ = '.';
        end = put_decimal(end, t.nsec, 9);
    }
    *end = '\0';
    return (size_t)(end - out);
}

FILE *
import_inputs_open(axle_job *job, const char *folder)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/inputs.txt", axle_job_dir(job));
    /* a worker rank's prepare again (--mpi) writes nothing: rank 0's
     * inputs.txt is the one that agrees with the identity */
    FILE *f = fopen(axle_prepare_again(job) ? "/dev/null" : path, "w");
    if (!f) {
        axle_error(job, AXLE_EIO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    fprintf(f, "# size\tmtime\tpath (names are relative to %s)\n", folder);
    return f;
}

void
import_inputs_put(FILE *f, const char *path, struct import_stamp t)
{
    char stamp[IMPORT_STAMP_TEXT];
    size_t n = import_stamp_text(t, stamp);
    stamp[n++] = '\t';
    fwrite(stamp, 1, n, f);
    fputs(path, f);
    putc('\n', f);
}

int
import_inputs_close(axle_job *job, FILE *f)
{
    bool failed = ferror(f) != 0;
    if (fclose(f) != 0 || failed)
        return axle_error(job, AXLE_EIO, "%s/inputs.txt: %s", axle_job_dir(job),
                          strerror(errno ? errno : EIO));
    return AXLE_OK;
}

int
import_list_save_text(axle_job *job, const struct import_list *l)
{
    FILE *f = import_inputs_open(job, l->base);
    if (!f)
        return AXLE_EIO;
    for (size_t i = 0; i < l->n; i++)
        import_inputs_put(f, l->paths[i], import_list_stamp(l, i));
    return import_inputs_close(job, f);
}

/* ---- from the core's facts (axle_file_facts_open) ---- */

char *
import_facts_folder(axle_file_facts *facts, size_t *count)
{
    axle_file_facts_rewind(facts);
    char *first = NULL;
    size_t len = 0, n = 0;
    for (const axle_file_fact *f; (f = axle_file_facts_next(facts)) != NULL; n++) {
        if (!first) {
            if (!(first = strdup(f->path)))
                return NULL;
            len = dir_len(first);
            continue;
        }
        while (len > 0 && !holds(first, len, f->path))
            len = parent_len(first, len);
    }
    *count = n;
    if (!first)
        return NULL;
    first[len] = '\0';
    return first;
}

int
import_list_from_facts(axle_job *job, axle_file_facts *facts, const char *folder,
                       struct import_list *l)
{
    memset(l, 0, sizeof *l);
    size_t cap = 0;
    bool oom = !(l->base = strdup(folder));
    axle_file_facts_rewind(facts);
    for (const axle_file_fact *f; !oom && (f = axle_file_facts_next(facts)) != NULL;) {
        if (l->n == cap) {
            cap = cap ? 2 * cap : 1024;
            char **paths = realloc(l->paths, cap * sizeof *paths);
            if (paths)
                l->paths = paths;
            struct import_stamp *stamps = realloc(l->stamps, cap * sizeof *stamps);
            if (stamps)
                l->stamps = stamps;
            if ((oom = !paths || !stamps))
                break;
        }
        if ((oom = !(l->paths[l->n] = strdup(f->path))))
            break;
        l->stamps[l->n++] = (struct import_stamp){f->size, f->mtime_sec, f->mtime_nsec,
                                                  true};
    }
    if (oom) {
        import_list_free(l);
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    }
    return AXLE_OK;
}

/* The cuts as text, "0 57 100" ("" without cuts); malloc'd, NULL when out
 * of memory. */
static char *
cuts_text(const struct import_list *l)
{
    char *text = malloc(l->ncuts * 21 + 1), *p = text;
    if (!text)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < l->ncuts; i++)
        p += sprintf(p, i ? " %zu" : "%zu", l->cuts[i]);
    return text;
}

int
import_list_encode(const struct import_list *l, void **out, size_t *len)
{
    char count[32];
    snprintf(count, sizeof count, "%zu", l->skipped);
    char *cuts = cuts_text(l);
    if (!cuts)
        return AXLE_ENOMEM;
    size_t total = strlen(l->base) + 1 + strlen(count) + 1 + strlen(cuts) + 1;
    for (size_t i = 0; i < l->n; i++)
        total += strlen(l->paths[i]) + 1;
    char *buf = malloc(total), *p = buf;
    if (!buf) {
        free(cuts);
        return AXLE_ENOMEM;
    }
    p = stpcpy(p, l->base) + 1;
    p = stpcpy(p, count) + 1;
    p = stpcpy(p, cuts) + 1;
    for (size_t i = 0; i < l->n; i++)
        p = stpcpy(p, l->paths[i]) + 1;
    free(cuts);
    *out = buf;
    *len = total;
    return AXLE_OK;
}

/* Parses the cuts text into l->cuts; -1 when it is not a rising list
 * from 0 to l->n. */
static int
parse_cuts(struct import_list *l, const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == ' ';
    if (!*text)
        return 0;
    l->cuts = calloc(n + 1, sizeof *l->cuts);
    if (!l->cuts)
        return -1;
    const char *p = text;
    for (size_t i = 0; i <= n; i++) {
        char *end;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || (*end != ' ' && *end != '\0') || v > l->n ||
            (i > 0 && v < l->cuts[i - 1]))
            return -1;
        l->cuts[i] = (size_t)v;
        p = *end ? end + 1 : end;
    }
    l->ncuts = n + 1;
    return l->ncuts >= 2 && l->cuts[0] == 0 && l->cuts[n] == l->n ? 0 : -1;
}

int
import_list_decode(const void *data, size_t len, struct import_list *l)
{
    memset(l, 0, sizeof *l);
    if (!data || len == 0 || ((const char *)data)[len - 1] != '\0')
        return AXLE_EFORMAT;
    char *buf = malloc(len);
    if (!buf)
        return AXLE_ENOMEM;
    memcpy(buf, data, len);
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += buf[i] == '\0';
    l->blob = buf;
    l->base = buf;
    char *p = buf + strlen(buf) + 1, *end;
    if (count < 3 || (l->skipped = strtoull(p, &end, 10), *end != '\0')) {
        import_list_free(l);
        return AXLE_EFORMAT;
    }
    l->paths = calloc(count, sizeof *l->paths);
    if (!l->paths) {
        import_list_free(l);
        return AXLE_ENOMEM;
    }
    p += strlen(p) + 1;
    const char *cuts = p;
    for (p += strlen(p) + 1; p < buf + len; p += strlen(p) + 1)
        l->paths[l->n++] = p;
    if (parse_cuts(l, cuts) != 0) {
        import_list_free(l);
        return AXLE_EFORMAT;
    }
    return AXLE_OK;
}

void
import_list_free(struct import_list *l)
{
    free(l->cuts);
    free(l->stamps);
    if (l->blob) {
        free(l->paths); /* pointers into blob */
        free(l->blob);
    } else {
        axle_free_paths(l->paths, l->n);
        free(l->base);
    }
    memset(l, 0, sizeof *l);
}

/* ---- slices balanced by cost (issue 12) ----
 *
 * Slices split by count finish apart when photos differ in size (17 % in
 * bytes on a folder of real photos), and a step ends with its slowest
 * slice while the other core idles.  Decoding costs about what the bytes
 * are, so slices take contiguous ranges of the sorted list of about equal
 * bytes; a fixed amount per file stands for what every file costs however
 * small (opening it, its row, its thumbnail).  The ranges stay contiguous
 * and sorted, so the dataset read slice by slice is still in name order,
 * and the cuts depend only on the sorted sizes, which the job's identity
 * holds: the same inputs always give the same slices. */

#define FILE_COST 16384 /* bytes' worth of fixed work per file */

void
import_list_cut(const uint64_t *sizes, size_t n, size_t nslices, size_t *cuts)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sizes[i] + FILE_COST;
    /* A file goes to the slice its middle falls in: file i starts slice s
     * when twice its middle, 2 * before + cost, reaches 2 * total * s / N
     * (in halves, to stay in integers). */
    size_t i = 0;
    uint64_t before = 0;
    cuts[0] = 0;
    for (size_t s = 1; s < nslices; s++) {
        unsigned __int128 goal = (unsigned __int128)total * 2 * s / nslices;
        while (i < n && 2 * (unsigned __int128)before + sizes[i] + FILE_COST < goal)
            before += sizes[i++] + FILE_COST;
        cuts[s] = i;
    }
    cuts[nslices] = n;
}

int
import_list_balance(struct import_list *l, size_t nslices)
{
    free(l->cuts);
    l->cuts = NULL;
    l->ncuts = 0;
    uint64_t *sizes = calloc(l->n ? l->n : 1, sizeof *sizes);
    size_t *cuts = calloc(nslices + 1, sizeof *cuts);
    if (!sizes || !cuts) {
        free(sizes);
        free(cuts);
        return AXLE_ENOMEM;
    }
    for (size_t i = 0; i < l->n; i++) {
        struct import_stamp t = import_list_stamp(l, i); /* 0: skipped by its slice */
        sizes[i] = t.ok ? (uint64_t)t.size : 0;
    }
    import_list_cut(sizes, l->n, nslices, cuts);
    free(sizes);
    l->cuts = cuts;
    l->ncuts = nslices + 1;
    return AXLE_OK;
}

void
import_list_slice(const struct import_list *l, size_t sliceno, size_t nslices,
                  size_t *first, size_t *end)
{
    if (l->cuts && l->ncuts == nslices + 1) {
        *first = l->cuts[sliceno];
        *end = l->cuts[sliceno + 1];
        return;
    }
    *first = l->n * sliceno / nslices;
    *end = l->n * (sliceno + 1) / nslices;
}
