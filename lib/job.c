/* job.c - what a method asks of its running job: identity, inputs,
 * results passed between stages, errors, logging and progress (options:
 * options_get.c).
 *
 * The core fills struct axle_job (axle_internal.h) before each stage;
 * everything here only reads it or writes files in the job folder, so a
 * slice started on another machine works the same way. */
#include "axle_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

axle_job *axle_internal_current;

const char *
axle_version(void)
{
    return AXLE_VERSION;
}

/* ---- errors and logging ---- */

/* Messages are printed on a terminal and often name files: control
 * characters and bytes that are not UTF-8 in them are escaped
 * (lib/escape.c), so a file name cannot rewrite the screen or forge a
 * line. */
static void
format_escaped(char *out, size_t outlen, const char *fmt, va_list ap)
{
    char raw[4096];
    vsnprintf(raw, sizeof raw, fmt, ap);
    char *safe = axle_internal_escape(raw);
    const char *src = safe ? safe : raw;
    size_t n = strlen(src);
    if (n >= outlen) { /* cut, but never inside a UTF-8 character */
        n = outlen - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, src, n);
    out[n] = '\0';
    free(safe);
}

int
axle_error(axle_job *job, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (job)
        format_escaped(job->errmsg, sizeof job->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

const char *
axle_errmsg(const axle_job *job)
{
    return job ? job->errmsg : "";
}

void
axle_log(axle_job *job, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    format_escaped(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (job->sliceno >= 0)
        fprintf(stderr, "%s[%d]: %s\n", job->method, job->sliceno, msg);
    else
        fprintf(stderr, "%s: %s\n", job->method, msg);
}

/* Per-process file so slices never contend; the core merges them. */
static char *
stage_file(const axle_job *job, const char *what)
{
    char *path = NULL;
    int rc;
    if (job->sliceno >= 0)
        rc = asprintf(&path, "%s/.%s.%d", job->dir, what, job->sliceno);
    else
        rc = asprintf(&path, "%s/.%s.%s", job->dir, what, job->stage);
    return rc < 0 ? NULL : path;
}

/* This process's list files (.files.N, .skipped.N), each kept open once
 * used: a registered file or a skip then costs one write() rather than
 * an open, a write and a close, which at 100,000 exported files is most of
 * the kernel's share of an export.  Known by path, so a slice forked from
 * the job process opens its own.  O_APPEND and one write per line: lines
 * are whole however the process ends. */
struct stage_list {
    char *path;
    int fd;
    size_t lines; /* written by this process */
};

static struct stage_list stage_lists[2] = {{NULL, -1, 0}, {NULL, -1, 0}};

static struct stage_list *
stage_list(const axle_job *job, const char *what)
{
    struct stage_list *l = &stage_lists[strcmp(what, "files") == 0 ? 0 : 1];
    char *path = stage_file(job, what);
    if (!path)
        return NULL;
    if (l->fd >= 0 && strcmp(l->path, path) == 0) {
        free(path);
        return l;
    }
    if (l->fd >= 0)
        close(l->fd);
    free(l->path);
    l->path = path;
    l->lines = 0;
    l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    return l->fd >= 0 ? l : NULL;
}

static void
append_json_line(const axle_job *job, const char *what, json_t *value)
{
    if (job->replay)
        return; /* rank 0's prepare kept it */
    struct stage_list *l = stage_list(job, what);
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    size_t len = text ? strlen(text) : 0;
    if (l && text) {
        text[len] = '\n'; /* json_dumps leaves room: the NUL is replaced */
        const char *p = text;
        size_t left = len + 1;
        while (left > 0) {
            ssize_t n = write(l->fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            p += n;
            left -= (size_t)n;
        }
        l->lines++;
    }
    free(text);
}

/* A skipped item is printed (one line on stderr) and kept as {file,
 * reason} in the job's skipped list.  Both show the item escaped where it
 * holds control characters or bytes that are not UTF-8: the line goes to a
 * terminal, and JSON can only hold UTF-8. */
static void
record_skip(axle_job *job, const char *item, bool transient, const char *fmt,
            va_list ap)
{
    char reason[1024];
    format_escaped(reason, sizeof reason, fmt, ap);
    char *shown = axle_internal_escape(item);
    const char *name = shown ? shown : "(out of memory)";
    /* One write per line, so lines of parallel slices never interleave. */
    char line[2048];
    const char *what = transient ? "skipped for now" : "skipped";
    if (job->sliceno >= 0)
        snprintf(line, sizeof line, "%s[%d]: %s %s: %s\n", job->method,
                 job->sliceno, what, name, reason);
    else
        snprintf(line, sizeof line, "%s: %s %s: %s\n", job->method, what, name,
                 reason);
    /* The first few of each process are shown; the core says how many
     * more there are and where the whole list is. */
    struct stage_list *l = stage_list(job, "skipped");
    if (!l || l->lines < AXLE_SKIPS_SHOWN)
        fputs(line, stderr);
    /* JSON escapes control characters itself: keep a UTF-8 name as it is. */
    bool as_is = item && axle_internal_is_utf8(item);
    json_t *entry = json_pack("{s:s, s:s}", "file", as_is ? item : name, "reason", reason);
    if (entry && transient)
        json_object_set_new(entry, "transient", json_true());
    if (entry)
        append_json_line(job, "skipped", entry);
    json_decref(entry);
    free(shown);
}

void
axle_skip(axle_job *job, const char *item, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record_skip(job, item, false, fmt, ap);
    va_end(ap);
}

void
axle_skip_transient(axle_job *job, const char *item, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record_skip(job, item, true, fmt, ap);
    va_end(ap);
}

void
axle_progress(axle_job *job, uint64_t done, uint64_t total)
{
    if (job && job->progress) {
        job->progress->total = total;
        job->progress->done = done;
    }
}

/* ---- the job ---- */

const char *
axle_job_id(const axle_job *job)
{
    return job->id;
}

const char *
axle_job_dir(const axle_job *job)
{
    return job->dir;
}

const char *
axle_job_identity(const axle_job *job)
{
    return job->identity ? job->identity : "";
}

int
axle_slices(const axle_job *job)
{
    return job->slices;
}

/* True when a component of `path` is "..": only that leaves the job
 * folder ("beach...sunset.jpg" does not). */
static bool
has_dotdot(const char *path)
{
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return true;
    return false;
}

int
axle_register_file(axle_job *job, const char *relpath)
{
    if (!relpath || relpath[0] == '/' || has_dotdot(relpath))
        return axle_error(job, AXLE_EINVAL,
                          "register_file wants a path inside the job folder, got '%s'",
                          relpath ? relpath : "(null)");
    /* The core fails a job whose registered file is gone at its end; a
     * file that is not there when registered is a mistake to name now. */
    struct stat st;
    char *path = NULL;
    if (asprintf(&path, "%s/%s", job->dir, relpath) < 0)
        return axle_error(job, AXLE_ENOMEM, "out of memory");
    int found = stat(path, &st), e = errno;
    free(path);
    if (found != 0)
        return axle_error(job, AXLE_EIO,
                          "axle_register_file: %s: %s in the job folder %s; write the "
                          "file first (axle_write_file writes and registers it)",
                          relpath, e == ENOENT ? "no such file" : strerror(e), job->dir);
    if (!S_ISREG(st.st_mode))
        return axle_error(job, AXLE_EIO,
                          "axle_register_file: %s in the job folder %s is not a regular "
                          "file", relpath, job->dir);
    return axle_internal_register_written(job, relpath);
}

int
axle_internal_register_written(axle_job *job, const char *relpath)
{
    json_t *s = json_string(relpath);
    if (!s)
        return axle_error(job, AXLE_EINVAL, "file name '%s' is not UTF-8", relpath);
    append_json_line(job, "files", s);
    json_decref(s);
    return AXLE_OK;
}

const char *
axle_job_step(const axle_job *job)
{
    return job->step ? job->step : "";
}

int
axle_register_outside(axle_job *job, const char *abspath)
{
    if (!abspath || abspath[0] != '/' || has_dotdot(abspath))
        return axle_error(job, AXLE_EINVAL,
                          "register_outside wants an absolute path without '..', got '%s'",
                          abspath ? abspath : "(null)");
    struct stat st;
    if (stat(abspath, &st) != 0)
        return axle_error(job, AXLE_EIO, "axle_register_outside: %s: %s", abspath,
                          strerror(errno));
    if (!S_ISREG(st.st_mode))
        return axle_error(job, AXLE_EIO, "axle_register_outside: %s is not a regular file",
                          abspath);
    /* Kept with the job's own files: the core's manifest takes an absolute
     * path as it is, and reuse checks it like the others. */
    json_t *s = json_string(abspath);
    if (!s)
        return axle_error(job, AXLE_EINVAL, "file name '%s' is not UTF-8", abspath);
    append_json_line(job, "files", s);
    json_decref(s);
    return AXLE_OK;
}

/* ---- bytes between stages, kept as files in the job folder ---- */

static int
write_file(axle_job *job, const char *path, const void *data, size_t len)
{
    if (job->replay)
        return AXLE_OK; /* rank 0's prepare wrote it */
    if (axle_internal_write_atomic(path, data, len) < 0)
        return axle_error(job, AXLE_EIO, "%s: %s", path, strerror(errno));
    return AXLE_OK;
}

static void *
read_file(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                break;
            buf = nb;
        }
        n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    fclose(f);
    return buf;
}

int
axle_set_prepare_result(axle_job *job, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/prepare.result", job->dir);
    int rc = write_file(job, path, data, len);
    if (rc == AXLE_OK) {
        free(job->prep);
        job->prep = malloc(len ? len : 1);
        if (!job->prep)
            return axle_error(job, AXLE_ENOMEM, "out of memory");
        memcpy(job->prep, data, len);
        job->prep_len = len;
        job->prep_loaded = true;
    }
    return rc;
}

const void *
axle_prepare_result(const axle_job *job, size_t *len)
{
    axle_job *j = (axle_job *)job;
    if (!j->prep_loaded) {
        char path[4096];
        snprintf(path, sizeof path, "%s/prepare.result", j->dir);
        j->prep = read_file(path, &j->prep_len);
        j->prep_loaded = true;
    }
    if (len)
        *len = j->prep_len;
    return j->prep;
}

int
axle_set_slice_result(axle_job *job, const void *data, size_t len)
{
    if (job->sliceno < 0)
        return axle_error(job, AXLE_EINVAL,
                          "axle_set_slice_result called in %s, not in analysis",
                          job->stage);
    char path[4096];
    snprintf(path, sizeof path, "%s/slice-%d.result", job->dir, job->sliceno);
    return write_file(job, path, data, len);
}

const void *
axle_slice_result(axle_job *job, int sliceno, size_t *len)
{
    if (len)
        *len = 0;
    if (sliceno < 0 || sliceno >= job->slices)
        return NULL;
    if (!job->slice_res) {
        job->slice_res = calloc((size_t)job->slices, sizeof *job->slice_res);
        job->slice_len = calloc((size_t)job->slices, sizeof *job->slice_len);
        if (!job->slice_res || !job->slice_len)
            return NULL;
        for (int i = 0; i < job->slices; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/slice-%d.result", job->dir, i);
            job->slice_res[i] = read_file(path, &job->slice_len[i]);
        }
    }
    if (len)
        *len = job->slice_len[sliceno];
    return job->slice_res[sliceno];
}

int
axle_set_result_json(axle_job *job, const char *json)
{
    json_error_t jerr;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
    if (!v)
        return axle_error(job, AXLE_EINVAL, "result is not JSON: %s (column %d)",
                          jerr.text, jerr.column);
    json_decref(v);
    char path[4096];
    snprintf(path, sizeof path, "%s/result.json", job->dir);
    return write_file(job, path, json, strlen(json));
}

/* ---- inputs ---- */

axle_dataset *
axle_input_dataset(axle_job *job, const char *name)
{
    const char *path = json_string_value(json_object_get(job->inputs, name));
    if (!path)
        return NULL;
    if (!job->opened)
        job->opened = json_object();
    json_t *cached = json_object_get(job->opened, name);
    if (cached)
        return (axle_dataset *)(uintptr_t)json_integer_value(cached);
    char err[512];
    axle_dataset *ds = axle_dataset_open(path, err, sizeof err);
    if (!ds) {
        axle_error(job, AXLE_EIO, "input '%s': %s", name, err);
        return NULL;
    }
    json_object_set_new(job->opened, name, json_integer((json_int_t)(uintptr_t)ds));
    return ds;
}

axle_dataset *
axle_input_column(axle_job *job, const char *name, const char *column,
                  axle_type type)
{
    axle_dataset *ds = axle_input_dataset(job, name);
    if (!ds) {
        if (!json_object_get(job->inputs, name))
            axle_error(job, AXLE_EINVAL, "no dataset bound to input '%s'", name);
        return NULL;
    }
    axle_type t = axle_dataset_column_type(ds, column);
    if (t != type) {
        axle_error(job, AXLE_EINVAL, "input '%s' (%s): column '%s' is %s, not %s",
                   name, axle_dataset_path(ds), column,
                   t ? axle_type_name(t) : "missing", axle_type_name(type));
        return NULL;
    }
    return ds;
}

const char *
axle_input_job_dir(const axle_job *job, const char *name)
{
    return json_string_value(json_object_get(job->job_inputs, name));
}

int
axle_prepare_again(const axle_job *job)
{
    if (!job)
        job = axle_internal_current;
    return job && job->replay ? 1 : 0;
}
