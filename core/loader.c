/* loader.c - resolve a method by name or path, hash it, dlopen it, check it.
 *
 * The bytes hashed are exactly the bytes loaded: the file is opened once,
 * hashed through that descriptor and loaded as /proc/self/fd/N, so a .so
 * replaced between the two steps cannot slip in under the old digest. */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "pipeline.h"
#include "near_miss.h"

#define MAX_LOADED 256
#define MAX_DIRS 64

static method loaded[MAX_LOADED];
static size_t nloaded;

bool
loader_is_path_ref(const char *ref)
{
    size_t n = strlen(ref);
    return strchr(ref, '/') || (n > 3 && strcmp(ref + n - 3, ".so") == 0);
}

/* The methods beside a core run from its build tree (X/core/.libs/axle,
 * libtool's real binary, with X/config.status): without this a build's
 * `axle run` would load the methods an earlier `make install` left in
 * AXLE_METHODDIR, older than the core and the libaxle it runs with.  Found
 * at run time, so no build path is compiled into the binary. */
static const char *
build_tree_methods(void)
{
    static char dir[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    static const char *const tails[] = {"/core/.libs/axle", "/core/.libs/lt-axle",
                                        "/core/axle"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t len = strlen(tails[i]);
        if ((size_t)n <= len || strcmp(exe + n - len, tails[i]) != 0)
            continue;
        exe[n - len] = '\0';
        char probe[PATH_MAX];
        struct stat st;
        if (snprintf(probe, sizeof probe, "%s/config.status", exe) >= (int)sizeof probe ||
            stat(probe, &st) != 0)
            return NULL;
        if (snprintf(dir, sizeof dir, "%s/plugins/.libs", exe) >= (int)sizeof dir ||
            stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return NULL;
        return dir;
    }
    return NULL;
}

const char *const *
loader_search_dirs(void)
{
    static const char *dirs[MAX_DIRS + 2];
    static char *env_copy;
    static bool done;
    if (done)
        return dirs;
    done = true;
    size_t n = 0;
    const char *env = getenv("AXLE_METHOD_PATH");
    if (env && *env) {
        env_copy = strdup(env);
        for (char *save = NULL, *d = strtok_r(env_copy, ":", &save);
             d && n < MAX_DIRS; d = strtok_r(NULL, ":", &save))
            dirs[n++] = d;
    }
    const char *build = build_tree_methods();
    if (build)
        dirs[n++] = build;
    dirs[n++] = AXLE_METHODDIR;
    dirs[n] = NULL;
    return dirs;
}

char **
loader_find_all(const char *name)
{
    const char *const *dirs = loader_search_dirs();
    size_t n = 0;
    while (dirs[n])
        n++;
    char **found = calloc(n + 1, sizeof *found);
    size_t k = 0;
    for (size_t i = 0; found && dirs[i]; i++) {
        char *path;
        if (asprintf(&path, "%s/%s.so", dirs[i], name) < 0)
            continue;
        if (access(path, F_OK) == 0)
            found[k++] = path;
        else
            free(path);
    }
    return found;
}

static const method *
already_loaded(const char *path)
{
    for (size_t i = 0; i < nloaded; i++)
        if (strcmp(loaded[i].path, path) == 0)
            return &loaded[i];
    return NULL;
}

/* The method name a file must declare: its base name without ".so". */
static void
file_stem(const char *path, char *out, size_t outlen)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, outlen, "%s", base);
    size_t n = strlen(out);
    if (n > 3 && strcmp(out + n - 3, ".so") == 0)
        out[n - 3] = '\0';
}

static int
check_descriptor(const method *m, const char *path, char *err, size_t errlen)
{
    const axle_method_desc *d = m->desc;
    if (d->abi_major != AXLE_ABI_MAJOR || d->abi_minor > AXLE_ABI_MINOR) {
        snprintf(err, errlen, "%s: built for SDK ABI %u.%u, host is %d.%d", path,
                 d->abi_major, d->abi_minor, AXLE_ABI_MAJOR, AXLE_ABI_MINOR);
        return -1;
    }
    if (d->struct_size < sizeof(axle_method_desc)) {
        snprintf(err, errlen, "%s: method descriptor is %u bytes, SDK ABI %d.%d "
                 "needs %zu", path, d->struct_size, AXLE_ABI_MAJOR, AXLE_ABI_MINOR,
                 sizeof(axle_method_desc));
        return -1;
    }
    if (!d->name || !*d->name) {
        snprintf(err, errlen, "%s: method descriptor has no name", path);
        return -1;
    }
    char stem[4096];
    file_stem(path, stem, sizeof stem);
    if (strcmp(stem, d->name) != 0) {
        snprintf(err, errlen,
                 "%s: method name '%s' does not match file name '%s'", path,
                 d->name, stem);
        return -1;
    }
    if (!m->prepare && !m->analysis && !m->synthesis) {
        snprintf(err, errlen,
                 "%s: exports none of prepare, analysis, synthesis", path);
        return -1;
    }
    return 0;
}

/* True when `p` points into a loaded object (the method's own .so, say),
 * where a string the descriptor names must be: a number written where a
 * string belongs (AXLE_OPTION_INT("q", 85, ...) built by a compiler that
 * only warned) points nowhere, and reading it would crash. */
static bool
is_mapped(const void *p)
{
    Dl_info info;
    return p && dladdr(p, &info) != 0;
}

/* The strings of each option are where a string can be, and its default
 * fits its own type, range and choices: a method whose table is wrong is
 * refused when loaded, not at the first run that leaves an option out. */
static int
check_options(const axle_method_desc *d, const char *path, char *err, size_t errlen)
{
    const struct {
        const char *what;
        size_t offset;
    } fields[] = {{"default", offsetof(axle_option, default_yaml)},
                  {"choices", offsetof(axle_option, choices)},
                  {"help", offsetof(axle_option, help)}};
    if (d->options && !is_mapped(d->options)) {
        snprintf(err, errlen, "%s: its option table is not a valid pointer", path);
        return -1;
    }
    for (const axle_option *o = d->options; o && o->name; o++) {
        if (!is_mapped(o->name)) {
            snprintf(err, errlen, "%s: option %zu's name is not a string", path,
                     (size_t)(o - d->options) + 1);
            return -1;
        }
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            const char *s = *(const char *const *)(const void *)((const char *)o +
                                                                 fields[i].offset);
            if (s && !is_mapped(s)) {
                snprintf(err, errlen, "%s: option '%s': its %s is not a string; write it "
                         "in quotes (AXLE_OPTION_INT(\"q\", \"85\", ...), not 85) and "
                         "rebuild", path, o->name, fields[i].what);
                return -1;
            }
        }
    }
    char why[1024];
    if (options_check_defaults(d, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s; fix its AXLE_OPTION_* line and rebuild", path, why);
        return -1;
    }
    return 0;
}

/* Exported names one typo away from a missing entry point (`analyse`)
 * are said: in the refusal of a method that exports no entry point, else
 * as a warning.  Returns `refused` unchanged. */
static int
say_near_misses(int fd, const method *m, const char *path, int refused, char *err,
                size_t errlen)
{
    bool have[3] = {m->prepare != NULL, m->analysis != NULL, m->synthesis != NULL};
    char typos[512];
    if (near_miss_find(fd, have, typos, sizeof typos) == 0)
        return refused;
    if (refused < 0 && !have[0] && !have[1] && !have[2]) {
        size_t used = strlen(err);
        snprintf(err + used, errlen - used, "; it exports %s", typos);
    } else if (refused == 0) {
        diag_warning(path, 0, 0, "exports %s, which axle never calls: the "
                     "entry points are prepare, analysis and synthesis", typos);
    }
    return refused;
}

const method *
loader_load_path(const char *path_in, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (!realpath(path_in, path)) {
        snprintf(err, errlen, "%s: %s", path_in, strerror(errno));
        return NULL;
    }
    const method *m = already_loaded(path);
    if (m)
        return m;
    if (nloaded == MAX_LOADED) {
        snprintf(err, errlen, "%s: too many methods loaded", path);
        return NULL;
    }
    /* Never blocks on a FIFO, never hashes a device without end. */
    char reason[128];
    int fd = fs_open_file(path, false, reason, sizeof reason);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, reason);
        return NULL;
    }
    method cand = {0};
    if (digest_fd(fd, cand.sha256) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    /* The descriptor stays open for good, like the mapping: the dynamic
     * loader knows objects by name, and a reused fd number would make it
     * hand back the previous object. */
    void *h = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        close(fd);
        const char *why = dlerror();
        const char *colon = why ? strstr(why, ": ") : NULL;
        snprintf(err, errlen, "%s: cannot load: %s", path,
                 colon ? colon + 2 : why ? why : "unknown error");
        return NULL;
    }
    cand.desc = dlsym(h, "axle_method");
    if (!cand.desc) {
        snprintf(err, errlen,
                 "%s: not an axle method (no 'axle_method' descriptor)", path);
        return NULL; /* never dlclose: see the header */
    }
    *(void **)&cand.prepare = dlsym(h, "prepare");
    *(void **)&cand.analysis = dlsym(h, "analysis");
    *(void **)&cand.synthesis = dlsym(h, "synthesis");
    const int *row_wise = dlsym(h, "axle_row_wise"); /* AXLE_ROW_WISE */
    cand.row_wise = row_wise && *row_wise == 1;
    int refused = say_near_misses(fd, &cand, path,
                                  check_descriptor(&cand, path, err, errlen), err, errlen);
    if (refused < 0 || check_options(cand.desc, path, err, errlen) < 0)
        return NULL;
    cand.path = strdup(path);
    loaded[nloaded] = cand;
    return &loaded[nloaded++];
}

const method *
loader_load(const char *ref, const char *base_dir, char *err, size_t errlen)
{
    if (loader_is_path_ref(ref)) {
        char path[PATH_MAX];
        if (ref[0] == '/' || !base_dir)
            snprintf(path, sizeof path, "%s", ref);
        else
            snprintf(path, sizeof path, "%s/%s", base_dir, ref);
        return loader_load_path(path, err, errlen);
    }
    char **found = loader_find_all(ref);
    if (!found || !found[0]) {
        int n = snprintf(err, errlen, "unknown method '%s' (looked for %s.so in",
                         ref, ref);
        const char *const *dirs = loader_search_dirs();
        for (size_t i = 0; dirs[i] && n > 0 && (size_t)n < errlen; i++)
            n += snprintf(err + n, errlen - (size_t)n, "%s %s",
                          i ? "," : "", dirs[i]);
        if (n > 0 && (size_t)n < errlen)
            snprintf(err + n, errlen - (size_t)n, ")");
        free(found);
        return NULL;
    }
    const method *m = loader_load_path(found[0], err, errlen);
    for (size_t i = 0; found[i]; i++)
        free(found[i]);
    free(found);
    return m;
}
