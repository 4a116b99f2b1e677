/* files.c - turning the paths a user wrote (files, folders, globs) into
 * the sorted list of input files.
 *
 * import_images reads these files, and the core hashes the same list (path,
 * size, mtime) into the job's identity, so both must expand the same way:
 * hence one function in the SDK.  Rules:
 *   - a file is itself; a folder gives its files, walked into subfolders
 *     when `recursive`;
 *   - a pattern with *, ? or [...] is matched per path component with
 *     fnmatch(3); a component "**" matches zero or more folders;
 *   - names starting with "." are left out of walks and wildcard matches
 *     (as a shell does), unless the pattern spells the dot;
 *   - only regular files are listed; a symbolic link to a file counts as
 *     a file, but walks and globs do not descend into linked folders (as
 *     find(1) and os.walk do not), so a link back up cannot loop or list
 *     a folder twice; a linked folder named explicitly is followed;
 *   - the result is sorted bytewise and deduplicated, so the same input
 *     gives the same list on any machine;
 *   - a pattern that yields no file is an error naming it. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "axle/axle.h"

struct plist {
    char **v;
    size_t n, cap;
};

struct expander {
    struct plist list;
    bool recursive;
    char *err;
    size_t errlen;
    int rc;
};

static int
fail(struct expander *x, int code, const char *fmt, ...) AXLE_PRINTF(3, 4);

static int
fail(struct expander *x, int code, const char *fmt, ...)
{
    if (x->rc == AXLE_OK && x->err && x->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    if (x->rc == AXLE_OK)
        x->rc = code;
    return code;
}

static int
add(struct expander *x, const char *path)
{
    if (x->list.n == x->list.cap) {
        size_t cap = x->list.cap ? 2 * x->list.cap : 64;
        char **v = realloc(x->list.v, cap * sizeof *v);
        if (!v)
            return fail(x, AXLE_ENOMEM, "out of memory listing files");
        x->list.v = v;
        x->list.cap = cap;
    }
    if (!(x->list.v[x->list.n] = strdup(path)))
        return fail(x, AXLE_ENOMEM, "out of memory listing files");
    x->list.n++;
    return AXLE_OK;
}

static char *
join(const char *dir, const char *name)
{
    char *p = NULL;
    if (strcmp(dir, ".") == 0) /* relative patterns give relative paths */
        return strdup(name);
    if (strcmp(dir, "/") == 0)
        return asprintf(&p, "/%s", name) < 0 ? NULL : p;
    return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

/* Collapses "//" and "/./" and drops a trailing "/", lexically (no ".."
 * handling: that would change meaning through symbolic links). */
static char *
normalise(const char *in)
{
    char *out = malloc(strlen(in) + 2), *o = out;
    if (!out)
        return NULL;
    for (const char *p = in; *p;) {
        if (p[0] == '/' && o > out && o[-1] == '/') {
            p++;
        } else if (p[0] == '.' && p[1] == '/' && (p == in || p[-1] == '/') && p[2]) {
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    for (;;) { /* trailing "/" and "/." */
        if (o - out > 1 && o[-1] == '/')
            o--;
        else if (o - out > 2 && o[-1] == '.' && o[-2] == '/')
            o -= 2;
        else
            break;
    }
    if (o == out)
        *o++ = '.';
    *o = '\0';
    return out;
}

/* Sorted entry names of a folder; names starting with a dot only when
 * `dots` (never "." and ".."). */
static int
list_dir(struct expander *x, const char *dir, bool dots, char ***names, size_t *n)
{
    struct dirent **ents = NULL;
    int k = scandir(dir, &ents, NULL, alphasort);
    *names = NULL;
    *n = 0;
    if (k < 0)
        return fail(x, AXLE_EIO, "%s: %s", dir, strerror(errno));
    char **v = malloc(((size_t)k + 1) * sizeof *v);
    for (int i = 0; i < k; i++) {
        const char *nm = ents[i]->d_name;
        bool dot = nm[0] == '.', special = strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0;
        if (v && !special && (!dot || dots))
            if ((v[*n] = strdup(nm)) != NULL)
                (*n)++;
        free(ents[i]);
    }
    free(ents);
    if (!v)
        return fail(x, AXLE_ENOMEM, "out of memory listing %s", dir);
    *names = v;
    return AXLE_OK;
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* What a folder entry is, not following a link to a folder. */
enum kind { K_OTHER, K_FILE, K_DIR };

static enum kind
kind_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return K_OTHER;
    if (S_ISLNK(st.st_mode))
        return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? K_FILE : K_OTHER;
    return S_ISREG(st.st_mode) ? K_FILE : S_ISDIR(st.st_mode) ? K_DIR : K_OTHER;
}

/* Adds the regular files of `dir` (and below, when recursive). */
static int
walk(struct expander *x, const char *dir)
{
    char **names;
    size_t n;
    if (list_dir(x, dir, false, &names, &n) != AXLE_OK)
        return x->rc;
    for (size_t i = 0; i < n && x->rc == AXLE_OK; i++) {
        char *path = join(dir, names[i]);
        if (!path) {
            fail(x, AXLE_ENOMEM, "out of memory");
            break;
        }
        enum kind k = kind_of(path);
        if (k == K_FILE)
            add(x, path);
        else if (k == K_DIR && x->recursive)
            walk(x, path);
        free(path);
    }
    free_names(names, n);
    return x->rc;
}

/* A path the user named, or a glob's full match: files are taken, folders
 * walked (a named link to a folder is followed). */
static int
add_path(struct expander *x, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return AXLE_OK;
    if (S_ISREG(st.st_mode))
        return add(x, path);
    if (S_ISDIR(st.st_mode))
        return walk(x, path);
    return AXLE_OK; /* devices, sockets: never inputs */
}

static bool
has_wildcard(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* Matches components comps[i..n) below `dir`. */
static void
match(struct expander *x, const char *dir, char **comps, size_t i, size_t n)
{
    if (x->rc != AXLE_OK)
        return;
    if (i == n) { /* the whole pattern matched `dir` itself */
        add_path(x, dir);
        return;
    }
    const char *c = comps[i];
    if (!has_wildcard(c)) {
        char *p = join(dir, c);
        if (!p) {
            fail(x, AXLE_ENOMEM, "out of memory");
            return;
        }
        struct stat st;
        if (stat(p, &st) == 0 && (i + 1 == n || S_ISDIR(st.st_mode)))
            match(x, p, comps, i + 1, n);
        free(p);
        return;
    }
    bool globstar = strcmp(c, "**") == 0;
    if (globstar)
        match(x, dir, comps, i + 1, n); /* zero folders */
    char **names;
    size_t k;
    if (list_dir(x, dir, c[0] == '.', &names, &k) != AXLE_OK) {
        x->rc = AXLE_OK; /* an unreadable folder inside a glob is not fatal */
        if (x->err && x->errlen)
            x->err[0] = '\0';
        return;
    }
    for (size_t j = 0; j < k && x->rc == AXLE_OK; j++) {
        if (!globstar && fnmatch(c, names[j], FNM_PERIOD) != 0)
            continue;
        char *p = join(dir, names[j]);
        if (!p) {
            fail(x, AXLE_ENOMEM, "out of memory");
            break;
        }
        enum kind kd = kind_of(p);
        if (globstar && kd == K_DIR)
            match(x, p, comps, i, n); /* one more folder */
        else if (!globstar && (kd == K_DIR || (kd == K_FILE && i + 1 == n)))
            match(x, p, comps, i + 1, n);
        free(p);
    }
    free_names(names, k);
}

/* Splits a normalised pattern into its components; the leading fixed part
 * becomes the starting folder. */
static void
expand_glob(struct expander *x, const char *pat)
{
    char *copy = strdup(pat);
    char **comps = calloc(strlen(pat) / 2 + 2, sizeof *comps);
    if (!copy || !comps) {
        fail(x, AXLE_ENOMEM, "out of memory");
        free(copy);
        free(comps);
        return;
    }
    size_t n = 0;
    for (char *s = strtok(copy, "/"); s; s = strtok(NULL, "/"))
        comps[n++] = s;
    match(x, pat[0] == '/' ? "/" : ".", comps, 0, n);
    free(comps);
    free(copy);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds one user pattern; an error when it yields nothing. */
static void
expand_one(struct expander *x, const char *pattern)
{
    size_t before = x->list.n;
    char *pat = normalise(pattern);
    if (!pat) {
        fail(x, AXLE_ENOMEM, "out of memory");
        return;
    }
    struct stat st;
    if (has_wildcard(pat)) {
        expand_glob(x, pat);
    } else if (stat(pat, &st) != 0) {
        fail(x, AXLE_EIO, "%s: %s", pattern, strerror(errno));
    } else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        fail(x, AXLE_EINVAL, "%s: not a regular file or folder", pattern);
    } else {
        add_path(x, pat);
    }
    if (x->rc == AXLE_OK && x->list.n == before)
        fail(x, AXLE_EINVAL, "%s: %s", pattern,
             has_wildcard(pat) ? "no file matches this pattern"
                               : "the folder holds no files");
    free(pat);
}

int
axle_expand_paths(const char *const *patterns, size_t n, bool recursive,
                  char ***out, size_t *nout, char *err, size_t errlen)
{
    struct expander x = {{NULL, 0, 0}, recursive, err, errlen, AXLE_OK};
    if (err && errlen)
        err[0] = '\0';
    if (!out || !nout)
        return fail(&x, AXLE_EINVAL, "no place for the file list");
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return fail(&x, AXLE_EINVAL, "no input paths given");
    for (size_t i = 0; i < n && x.rc == AXLE_OK; i++) {
        if (!patterns[i] || !patterns[i][0])
            fail(&x, AXLE_EINVAL, "an empty path among the inputs");
        else
            expand_one(&x, patterns[i]);
    }
    if (x.rc != AXLE_OK) {
        axle_free_paths(x.list.v, x.list.n);
        return x.rc;
    }
    qsort(x.list.v, x.list.n, sizeof *x.list.v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < x.list.n; i++) {
        if (k && strcmp(x.list.v[k - 1], x.list.v[i]) == 0)
            free(x.list.v[i]);
        else
            x.list.v[k++] = x.list.v[i];
    }
    *out = x.list.v;
    *nout = k;
    return AXLE_OK;
}

void
axle_free_paths(char **paths, size_t n)
{
    if (!paths)
        return;
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}
