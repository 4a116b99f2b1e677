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
 *   - walks and wildcards never enter an axle workdir (a folder holding
 *     .axle-workdir): a workdir inside the input folder would otherwise
 *     feed every run the previous run's outputs.  Only a path spelled out
 *     in a pattern leads into one; a workdir named as an input is an error;
 *   - what a walk or a wildcard meets and cannot list (a folder it cannot
 *     read, a FIFO, a device, a dangling link, a name that is not UTF-8)
 *     is reported to the caller, never fatal: one bad corner of a photo
 *     folder must not stop the import of the rest;
 *   - the result is sorted bytewise and deduplicated, so the same input
 *     gives the same list on any machine;
 *   - a pattern that yields no file (and nothing reported) is an error
 *     naming it. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "axle_internal.h"

struct plist {
    char **v;
    size_t n, cap;
};

struct skips {
    axle_path_skip *v; /* path and reason owned */
    size_t n, cap;
};

struct expander {
    struct plist list;
    struct skips skips;
    bool recursive;
    char *err;
    size_t errlen;
    int rc;
    /* when set, files go here as they are found instead of into `list`
     * (axle_internal_expand_each on one named folder: they come sorted) */
    axle_internal_path_fn *each;
    void *each_ctx;
    size_t found; /* files found, streamed or listed */
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
plist_push(struct plist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static void
plist_free(struct plist *l)
{
    axle_free_paths(l->v, l->n);
    memset(l, 0, sizeof *l);
}

static int
add(struct expander *x, const char *path)
{
    x->found++;
    if (x->each) {
        int rc = x->each(x->each_ctx, path);
        return rc == AXLE_OK ? rc : fail(x, rc, "stopped at %s", path);
    }
    if (plist_push(&x->list, path) != 0)
        return fail(x, AXLE_ENOMEM, "out of memory listing files");
    return AXLE_OK;
}

/* Notes an entry left out, with why; the caller hears of it at the end. */
static void
report(struct expander *x, const char *path, axle_path_issue issue, int errnum,
       const char *fmt, ...) AXLE_PRINTF(5, 6);

static void
report(struct expander *x, const char *path, axle_path_issue issue, int errnum,
       const char *fmt, ...)
{
    struct skips *s = &x->skips;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        axle_path_skip *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            fail(x, AXLE_ENOMEM, "out of memory listing files");
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    char *reason = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&reason, fmt, ap) < 0)
        reason = NULL;
    va_end(ap);
    char *shown = axle_internal_escape(path);
    if (!reason || !shown) {
        free(reason);
        free(shown);
        fail(x, AXLE_ENOMEM, "out of memory listing files");
        return;
    }
    s->v[s->n++] = (axle_path_skip){shown, issue, errnum, reason};
}

static void
skips_free(struct skips *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->v[i].path);
        free((char *)s->v[i].reason);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

static char *
join(const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0) /* relative patterns give relative paths */
        return strdup(name);
    /* by hand, not asprintf: a walk joins every photo's path */
    size_t dl = strcmp(dir, "/") == 0 ? 0 : strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
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

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What a folder's reading hands each entry to: its name and d_type; 0 to
 * go on, or an errno to stop with. */
typedef int folder_entry_fn(void *ctx, const char *name, unsigned char d_type);

/* Reads `dir`, handing `take` each entry but "." and "..", and names
 * starting with a dot only when `dots`.  0, or the errno that stopped it
 * (the folder's, or take's). */
static int
read_folder(const char *dir, bool dots, folder_entry_fn *take, void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    int e = 0;
    for (;;) {
        errno = 0;
        struct dirent *ent = readdir(d);
        if (!ent) {
            e = errno; /* 0 at the end */
            break;
        }
        const char *nm = ent->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || (nm[0] == '.' && !dots))
            continue;
        if ((e = take(ctx, nm, ent->d_type)) != 0)
            break;
    }
    closedir(d);
    return e;
}

static int
take_name(void *names, const char *name, unsigned char d_type)
{
    (void)d_type;
    return plist_push(names, name) == 0 ? 0 : ENOMEM;
}

/* Entry names of a folder, sorted bytewise; names starting with a dot only
 * when `dots` (never "." and "..").  0, or the errno that stopped it. */
static int
list_dir(const char *dir, bool dots, struct plist *names)
{
    memset(names, 0, sizeof *names);
    int e = read_folder(dir, dots, take_name, names);
    if (e) {
        plist_free(names);
        return e;
    }
    if (names->n)
        qsort(names->v, names->n, sizeof *names->v, cmp_str);
    return 0;
}

static bool
is_workdir(const char *dir)
{
    char *marker = join(dir, WORKDIR_MARKER);
    struct stat st;
    bool yes = marker && lstat(marker, &st) == 0;
    free(marker);
    return yes;
}

/* A folder an export keeps as its `dest` (it holds the export's manifest):
 * thumbnails, not photos; a walk that meets it (a dest inside the input
 * folder) passes it over, as it does a workdir. */
static bool
is_export_dest(const char *dir)
{
    char *manifest = join(dir, ".axle-export.json");
    struct stat st;
    bool yes = manifest && lstat(manifest, &st) == 0;
    free(manifest);
    return yes;
}

/* What a folder entry is, not following a link to a folder. */
enum kind {
    K_GONE,       /* vanished since it was listed */
    K_FILE,       /* a regular file, or a link to one */
    K_DIR,
    K_LINKED_DIR, /* a link to a folder: not walked, not reported */
    K_OTHER,      /* FIFO, socket, device, dangling link: `what` says */
    K_UNREADABLE  /* could not be looked at: `errnum` says why */
};

struct look {
    enum kind kind;
    const char *what;
    int errnum;
};

static const char *
type_name(mode_t mode)
{
    return S_ISFIFO(mode) ? "FIFO" : S_ISSOCK(mode) ? "socket"
         : S_ISCHR(mode) ? "character device" : S_ISBLK(mode) ? "block device"
         : "unknown kind of file";
}

static struct look
look_at(const char *path, bool known_file)
{
    if (known_file) /* the folder's listing said so: no lstat needed */
        return (struct look){K_FILE, NULL, 0};
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? (struct look){K_GONE, NULL, 0}
                               : (struct look){K_UNREADABLE, NULL, errno};
    bool link = S_ISLNK(st.st_mode);
    if (link && stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return (struct look){K_OTHER, "dangling symbolic link", 0};
        if (errno == ELOOP)
            return (struct look){K_OTHER, "symbolic link loop", 0};
        return (struct look){K_UNREADABLE, NULL, errno};
    }
    if (S_ISREG(st.st_mode))
        return (struct look){K_FILE, NULL, 0};
    if (S_ISDIR(st.st_mode))
        return (struct look){link ? K_LINKED_DIR : K_DIR, NULL, 0};
    return (struct look){K_OTHER, type_name(st.st_mode), 0};
}

/* Reports what `l` says about an entry that cannot be listed. */
static void
report_look(struct expander *x, const char *path, const struct look *l)
{
    if (l->kind == K_OTHER)
        report(x, path, AXLE_PATH_NOT_REGULAR, 0, "not a regular file: %s", l->what);
    else if (l->kind == K_UNREADABLE)
        report(x, path, AXLE_PATH_UNREADABLE, l->errnum, "cannot look at it: %s",
               strerror(l->errnum));
}

static void
report_bad_name(struct expander *x, const char *path)
{
    report(x, path, AXLE_PATH_BAD_NAME, 0, "the name is not valid UTF-8");
}

static void walk(struct expander *x, const char *dir, bool named);

/* One entry a walk met: a file is added, a folder walked (when recursive,
 * and not a workdir), anything else reported; links to folders and
 * entries gone since the listing are passed over. */
static void
walk_entry(struct expander *x, const char *path, const char *name, const struct look *l)
{
    if (l->kind == K_GONE || l->kind == K_LINKED_DIR || (l->kind == K_DIR && !x->recursive))
        return;
    if (!axle_internal_is_utf8(name))
        report_bad_name(x, path);
    else if (l->kind == K_FILE)
        add(x, path);
    else if (l->kind == K_DIR) {
        if (!is_workdir(path) && !is_export_dest(path))
            walk(x, path, false);
    } else
        report_look(x, path, l);
}

/* An entry of the folder being walked, looked at. */
struct walk_item {
    const char *name; /* the end of path */
    char *path;
    bool known_file;  /* the folder's listing says: a regular file */
    struct look look;
};

struct walk_list {
    struct walk_item *v;
    size_t n, cap;
};

static void
walk_list_free(struct walk_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    memset(l, 0, sizeof *l);
}

struct walk_take {
    const char *dir;
    struct walk_list *list;
};

static int
take_walk_item(void *ctx, const char *name, unsigned char d_type)
{
    struct walk_take *t = ctx;
    struct walk_list *l = t->list;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct walk_item *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    char *path = join(t->dir, name);
    if (!path)
        return ENOMEM;
    l->v[l->n++] = (struct walk_item){path + strlen(path) - strlen(name), path,
                                      d_type == DT_REG, {K_GONE, NULL, 0}};
    return 0;
}

/* The entries of `dir` a walk takes (no names starting with a dot), each
 * with its path, and known as a regular file when the folder's listing
 * says so (d_type), to be taken without an lstat: at 100,000 photos that
 * was a third of a no-op run's system calls.  0, or the errno that
 * stopped it. */
static int
list_walk(const char *dir, struct walk_list *l)
{
    memset(l, 0, sizeof *l);
    int e = read_folder(dir, false, take_walk_item, &(struct walk_take){dir, l});
    if (e)
        walk_list_free(l);
    return e;
}

/* The order a walk takes a folder's entries in: bytewise by name, with a
 * folder's name read as if a "/" followed it, since that is where its
 * files come among whole paths ("a.jpg" < "a/b.jpg" < "a0.jpg").  A walk
 * of one folder then yields its files in the order of the sorted list,
 * which can be streamed (axle_internal_expand_each) instead of held and
 * sorted: names hold no "/", so the virtual one decides alone. */
static int
cmp_walk_order(const void *pa, const void *pb)
{
    const struct walk_item *a = pa, *b = pb;
    if (a->look.kind != K_DIR && b->look.kind != K_DIR)
        return strcmp(a->name, b->name); /* the usual case, and libc's is fast */
    const unsigned char *p = (const unsigned char *)a->name;
    const unsigned char *q = (const unsigned char *)b->name;
    while (*p && *p == *q) {
        p++;
        q++;
    }
    unsigned cp = *p ? *p : a->look.kind == K_DIR ? '/' : 0;
    unsigned cq = *q ? *q : b->look.kind == K_DIR ? '/' : 0;
    return (cp > cq) - (cp < cq);
}

/* Adds the regular files of `dir` (and below, when recursive), in the
 * order of the sorted list.  A folder the user named that cannot be read
 * is an error; one met on the way is reported. */
static void
walk(struct expander *x, const char *dir, bool named)
{
    struct walk_list l;
    int e = list_walk(dir, &l);
    if (e == ENOMEM) {
        fail(x, AXLE_ENOMEM, "out of memory listing %s", dir);
        return;
    }
    if (e) {
        if (named)
            fail(x, AXLE_EIO, "%s: cannot read this folder: %s", dir, strerror(e));
        else
            report(x, dir, AXLE_PATH_UNREADABLE, e, "cannot read this folder: %s",
                   strerror(e));
        return;
    }
    for (size_t i = 0; i < l.n; i++)
        l.v[i].look = look_at(l.v[i].path, l.v[i].known_file);
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, cmp_walk_order);
    for (size_t i = 0; i < l.n && x->rc == AXLE_OK; i++)
        walk_entry(x, l.v[i].path, l.v[i].name, &l.v[i].look);
    walk_list_free(&l);
}

/* A glob's full match: a file is taken, a folder walked (the match was
 * checked not to be a workdir where a wildcard matched it). */
static void
add_match(struct expander *x, const char *path)
{
    struct look l = look_at(path, false);
    if (l.kind == K_FILE)
        add(x, path);
    else if (l.kind == K_DIR || l.kind == K_LINKED_DIR)
        walk(x, path, false);
    else
        report_look(x, path, &l);
}

static bool
has_wildcard(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

static void match(struct expander *x, const char *dir, char **comps, size_t i, size_t n);

/* A component without wildcards: followed if it is there. */
static void
match_fixed(struct expander *x, const char *dir, char **comps, size_t i, size_t n)
{
    char *p = join(dir, comps[i]);
    if (!p) {
        fail(x, AXLE_ENOMEM, "out of memory");
        return;
    }
    struct stat st;
    if (stat(p, &st) == 0) {
        if (i + 1 == n || S_ISDIR(st.st_mode))
            match(x, p, comps, i + 1, n);
    } else if (errno != ENOENT && errno != ENOTDIR) {
        int e = errno;
        report(x, p, AXLE_PATH_UNREADABLE, e, "cannot look at it: %s", strerror(e));
    }
    free(p);
}

/* One entry of `dir` that wildcard component i matched. */
static void
match_entry(struct expander *x, const char *dir, const char *name, char **comps,
            size_t i, size_t n)
{
    char *p = join(dir, name);
    if (!p) {
        fail(x, AXLE_ENOMEM, "out of memory");
        return;
    }
    bool globstar = strcmp(comps[i], "**") == 0, last = i + 1 == n;
    struct look l = look_at(p, false);
    bool wanted = l.kind == K_DIR || (!globstar && last && l.kind != K_GONE &&
                                      l.kind != K_LINKED_DIR);
    if (wanted && !axle_internal_is_utf8(name))
        report_bad_name(x, p);
    else if (wanted && l.kind == K_DIR) {
        if (!is_workdir(p) && !is_export_dest(p))
            match(x, p, comps, globstar ? i : i + 1, n); /* ** takes one more folder */
    } else if (wanted && l.kind == K_FILE)
        match(x, p, comps, i + 1, n);
    else if (wanted)
        report_look(x, p, &l);
    free(p);
}

/* Matches components comps[i..n) below `dir`. */
static void
match(struct expander *x, const char *dir, char **comps, size_t i, size_t n)
{
    if (x->rc != AXLE_OK)
        return;
    if (i == n) { /* the whole pattern matched `dir` itself */
        add_match(x, dir);
        return;
    }
    const char *c = comps[i];
    if (!has_wildcard(c)) {
        match_fixed(x, dir, comps, i, n);
        return;
    }
    if (strcmp(c, "**") == 0)
        match(x, dir, comps, i + 1, n); /* zero folders */
    struct plist names;
    int e = list_dir(dir, c[0] == '.', &names);
    if (e == ENOMEM) {
        fail(x, AXLE_ENOMEM, "out of memory listing %s", dir);
        return;
    }
    if (e) {
        report(x, dir, AXLE_PATH_UNREADABLE, e, "cannot read this folder: %s", strerror(e));
        return;
    }
    for (size_t j = 0; j < names.n && x->rc == AXLE_OK; j++)
        if (strcmp(c, "**") == 0 || fnmatch(c, names.v[j], FNM_PERIOD) == 0)
            match_entry(x, dir, names.v[j], comps, i, n);
    plist_free(&names);
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

/* A path the user named: a file is itself, a folder is walked (a named
 * link to a folder is followed). */
static void
expand_named(struct expander *x, const char *pattern, const char *pat)
{
    struct stat st;
    if (stat(pat, &st) != 0)
        fail(x, AXLE_EIO, "%s: %s", pattern, strerror(errno));
    else if (S_ISREG(st.st_mode))
        add(x, pat);
    else if (!S_ISDIR(st.st_mode))
        fail(x, AXLE_EINVAL, "%s: not a regular file or folder", pattern);
    else if (is_workdir(pat))
        fail(x, AXLE_EINVAL,
             "%s: an axle workdir (it holds %s); its files are results, not inputs",
             pattern, WORKDIR_MARKER);
    else
        walk(x, pat, true);
}

/* Adds one user pattern; an error when it yields nothing at all. */
static void
expand_one(struct expander *x, const char *pattern)
{
    size_t files = x->found, skips = x->skips.n;
    char *pat = normalise(pattern);
    if (!pat) {
        fail(x, AXLE_ENOMEM, "out of memory");
        return;
    }
    if (has_wildcard(pat))
        expand_glob(x, pat);
    else
        expand_named(x, pattern, pat);
    if (x->rc == AXLE_OK && x->found == files && x->skips.n == skips)
        fail(x, AXLE_EINVAL, "%s: %s", pattern,
             has_wildcard(pat) ? "no file matches this pattern"
                               : "the folder holds no files");
    free(pat);
}

/* True when the list is in strictly increasing order already. */
static bool
sorted_unique(const struct plist *l)
{
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->v[i - 1], l->v[i]) >= 0)
            return false;
    return true;
}

/* Sorts and drops repeats (two patterns may cover the same file).  One
 * folder's walk mostly comes out sorted already: a pass that finds so
 * spares the sort's n log n comparisons of long, alike paths. */
static void
sort_unique(struct plist *l)
{
    if (l->n == 0 || sorted_unique(l))
        return; /* qsort wants a non-null array even for none */
    qsort(l->v, l->n, sizeof *l->v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && strcmp(l->v[k - 1], l->v[i]) == 0)
            free(l->v[i]);
        else
            l->v[k++] = l->v[i];
    }
    l->n = k;
}

static int
cmp_skip(const void *a, const void *b)
{
    return strcmp(((const axle_path_skip *)a)->path, ((const axle_path_skip *)b)->path);
}

/* Tells the caller of each entry left out, once each, in path order. */
static void
tell_skips(struct skips *s, axle_path_skip_fn *on_skip, void *ctx)
{
    if (s->n == 0)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_skip);
    for (size_t i = 0; i < s->n; i++)
        if (on_skip && (i == 0 || strcmp(s->v[i - 1].path, s->v[i].path) != 0))
            on_skip(ctx, &s->v[i]);
}

int
axle_expand_paths_report(const char *const *patterns, size_t n, bool recursive,
                         axle_path_skip_fn *on_skip, void *ctx, char ***out,
                         size_t *nout, char *err, size_t errlen)
{
    struct expander x = {{NULL, 0, 0}, {NULL, 0, 0}, recursive, err, errlen, AXLE_OK,
                         NULL, NULL, 0};
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
    if (x.rc == AXLE_OK) {
        sort_unique(&x.list);
        tell_skips(&x.skips, on_skip, ctx);
        *out = x.list.v;
        *nout = x.list.n;
    } else {
        plist_free(&x.list);
    }
    skips_free(&x.skips);
    return x.rc;
}

int
axle_expand_paths(const char *const *patterns, size_t n, bool recursive,
                  char ***out, size_t *nout, char *err, size_t errlen)
{
    return axle_expand_paths_report(patterns, n, recursive, NULL, NULL, out, nout, err,
                                    errlen);
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

/* Counts the entries an expansion left out (axle_internal_expand_each). */
static void
count_left_out(void *ctx, const axle_path_skip *s)
{
    (void)s;
    ++*(size_t *)ctx;
}

int
axle_internal_expand_each(const char *const *patterns, size_t n, bool recursive,
                          axle_internal_path_fn *fn, void *ctx, size_t *left_out,
                          char *err, size_t errlen)
{
    size_t skipped = 0;
    /* One path without wildcards is one walk, whose files come sorted
     * and each once: streamed, so memory holds a folder's names, not the
     * collection's paths.  Anything else may overlap or come out of
     * order: listed, sorted, then handed over. */
    if (n == 1 && patterns[0] && patterns[0][0] && !has_wildcard(patterns[0])) {
        struct expander x = {{NULL, 0, 0}, {NULL, 0, 0}, recursive, err, errlen, AXLE_OK,
                             fn, ctx, 0};
        if (err && errlen)
            err[0] = '\0';
        expand_one(&x, patterns[0]);
        if (left_out)
            *left_out = x.skips.n;
        skips_free(&x.skips);
        return x.rc;
    }
    char **paths = NULL;
    size_t npaths = 0;
    int rc = axle_expand_paths_report(patterns, n, recursive, count_left_out, &skipped,
                                      &paths, &npaths, err, errlen);
    if (left_out)
        *left_out = skipped;
    for (size_t i = 0; i < npaths && rc == AXLE_OK; i++)
        rc = fn(ctx, paths[i]);
    axle_free_paths(paths, npaths);
    return rc;
}
