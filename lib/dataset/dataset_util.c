/* dataset_util.c - small pieces the dataset writer, reader and finish
 * share: type names, UTF-8 checking, file writing and path arithmetic. */
#include "dataset_format.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const type_names[] = {
    [AXLE_INT64] = "int64", [AXLE_FLOAT64] = "float64", [AXLE_BOOL] = "bool",
    [AXLE_STRING] = "string", [AXLE_BYTES] = "bytes", [AXLE_JSON] = "json",
    [AXLE_IMAGE] = "image",
};

const char *
axle_type_name(axle_type t)
{
    if ((int)t < AXLE_INT64 || (int)t > AXLE_IMAGE)
        return "unknown";
    return type_names[t];
}

axle_type
ds_type_parse(const char *name)
{
    for (int t = AXLE_INT64; t <= AXLE_IMAGE; t++)
        if (name && strcmp(name, type_names[t]) == 0)
            return (axle_type)t;
    return (axle_type)0;
}

int
ds_type_width(axle_type t)
{
    switch (t) {
    case AXLE_INT64:
    case AXLE_FLOAT64:
        return 8;
    case AXLE_BOOL:
        return 1;
    default:
        return 0;
    }
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF.  ASCII runs are skipped eight bytes at a time. */
bool
ds_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        if (end - s >= 8) {
            uint64_t w;
            memcpy(&w, s, 8);
            if (!(w & 0x8080808080808080ull)) {
                s += 8;
                continue;
            }
        }
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        int n;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else
            return false;
        if (end - s <= n)
            return false;
        if (s[1] < lo || s[1] > hi)
            return false;
        for (int i = 2; i <= n; i++)
            if ((s[i] & 0xc0) != 0x80)
                return false;
        s += n + 1;
    }
    return true;
}

bool
ds_name_ok(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 200 || name[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++)
        if (name[i] == '/' || (unsigned char)name[i] < 0x20)
            return false;
    return ds_utf8_valid(name, len);
}

int
ds_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int
ds_write_file_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    /* the one atomic writer (unpredictable temporary, O_EXCL|O_NOFOLLOW) */
    if (axle_internal_write_atomic(path, text, strlen(text)) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

char *
ds_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *r = malloc(la + lb + 2);
    if (!r)
        return NULL;
    memcpy(r, a, la);
    r[la] = '/';
    memcpy(r + la + 1, b, lb + 1);
    return r;
}

char *
ds_realpath(const char *path)
{
    return axle_internal_realpath(path); /* dataset_paths.c */
}

/* Length of the next component of p (p not at '/'). */
static size_t
component_len(const char *p)
{
    const char *s = strchr(p, '/');
    return s ? (size_t)(s - p) : strlen(p);
}

char *
ds_relative(const char *from, const char *to)
{
    /* Skip the longest common run of whole components. */
    const char *f = from, *t = to;
    for (;;) {
        while (*f == '/')
            f++;
        while (*t == '/')
            t++;
        if (!*f || !*t)
            break;
        size_t lf = component_len(f), lt = component_len(t);
        if (lf != lt || memcmp(f, t, lf) != 0)
            break;
        f += lf;
        t += lt;
    }
    size_t ups = 0;
    for (const char *p = f; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        ups++;
        p += component_len(p);
    }
    size_t tl = strlen(t);
    while (tl > 0 && t[tl - 1] == '/')
        tl--;
    char *r = malloc(ups * 3 + tl + 2);
    if (!r)
        return NULL;
    char *o = r;
    for (size_t i = 0; i < ups; i++) {
        memcpy(o, "../", 3);
        o += 3;
    }
    memcpy(o, t, tl);
    o += tl;
    if (o == r)
        *o++ = '.';
    else if (tl == 0)
        o--; /* drop the last '/' of "../../" */
    *o = '\0';
    return r;
}

json_t *
ds_load_json(const char *path, char *err, size_t errlen)
{
    /* O_NONBLOCK and a regular file only: a FIFO named meta.json must not
     * hang a reader. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    json_error_t jerr;
    json_t *v = axle_internal_json_loadfd(fd, 0, &jerr);
    close(fd);
    if (!v)
        snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                 jerr.text);
    return v;
}

json_t *
ds_json_double(double v)
{
    if (v == v && v - v == 0)
        return json_real(v);
    return json_string(v > 0 ? "inf" : "-inf");
}
