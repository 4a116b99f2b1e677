/* cli_methods.c - `axle methods [NAME | PATH.so]`: every method found,
 * which file wins where a name is found twice, and each method's options. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "loader.h"

static const char methods_usage[] =
    "usage: axle methods [NAME | PATH.so]\n"
    "\n"
    "Lists the methods found in AXLE_METHOD_PATH's folders and then the\n"
    "installed method folder, with version, ABI and file; where a name is\n"
    "found more than once the first wins and the others are shadowed.\n"
    "With NAME: that method's options (type, default, range, help) and inputs;\n"
    "with a PATH (has '/' or ends in .so, like a pipeline's method: ./x.so),\n"
    "the same for that file.  Exit status 1 when the file is refused, 2 when\n"
    "none is found.\n";

static const char *
type_name(axle_opt_type t)
{
    static const char *names[] = {"?", "int", "float", "bool", "string",
                                  "enum", "path", "paths", "size", "outdir",
                                  "sizes", "colour", "template"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int
so_only(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

/* Sorted unique method names over every search folder. */
static char **
all_names(size_t *count)
{
    char **names = NULL;
    size_t n = 0;
    const char *const *dirs = loader_search_dirs();
    for (size_t d = 0; dirs[d]; d++) {
        struct dirent **ents;
        int k = scandir(dirs[d], &ents, so_only, by_name);
        for (int i = 0; i < k; i++) {
            char *stem = strndup(ents[i]->d_name, strlen(ents[i]->d_name) - 3);
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strcmp(names[j], stem) == 0;
            if (seen) {
                free(stem);
            } else {
                names = realloc(names, (n + 1) * sizeof *names);
                names[n++] = stem;
            }
            free(ents[i]);
        }
        if (k > 0)
            free(ents);
    }
    *count = n;
    return names;
}

static void
print_options(const axle_method_desc *d)
{
    printf("  options:\n");
    const axle_option *o = d->options;
    if (!o || !o->name)
        printf("    (none)\n");
    for (; o && o->name; o++) {
        char range[96] = "";
        if (o->type == AXLE_OPT_ENUM && o->choices)
            snprintf(range, sizeof range, "one of %s", o->choices);
        else if (o->type == AXLE_OPT_TEMPLATE && o->choices)
            snprintf(range, sizeof range, "uses %s", o->choices);
        else if (o->min <= o->max)
            snprintf(range, sizeof range, "%g..%g", o->min, o->max);
        printf("    %-12s %-7s default %-14s %-16s %s\n", o->name, type_name(o->type),
               o->default_yaml ? o->default_yaml : "(required)", range,
               o->help ? o->help : "");
    }
    printf("  inputs:\n");
    const axle_input *in = d->inputs;
    if (!in || !in->name)
        printf("    (none)\n");
    for (; in && in->name; in++)
        printf("    %-12s %-7s %-8s %s\n", in->name,
               in->kind == AXLE_INPUT_JOB ? "job" : "dataset",
               in->required ? "required" : "optional", in->help ? in->help : "");
}

/* One file: its line (name, version, ABI, file), and with `detail` its
 * summary, options and inputs.  0, or 1 when the file is refused. */
static int
show_file(const char *label, const char *file, const char *role, bool detail)
{
    char err[1024];
    const method *m = loader_load_path(file, err, sizeof err);
    if (!m) {
        printf("%-16s refused: %s%s\n", label, err, role);
        return 1;
    }
    const axle_method_desc *d = m->desc;
    printf("%-16s %-8s ABI %u.%u  %s%s\n", d->name, d->version ? d->version : "",
           d->abi_major, d->abi_minor, m->path, role);
    if (detail) {
        if (d->summary)
            printf("  %s\n", d->summary);
        print_options(d);
    }
    return 0;
}

static int
show_method(const char *name, bool detail)
{
    char **files = loader_find_all(name);
    int rc = 0;
    for (size_t i = 0; files && files[i]; i++)
        if (show_file(name, files[i], i == 0 ? "" : "  (shadowed by the one above)",
                      detail && i == 0))
            rc = 1;
    if (!files || !files[0]) {
        fprintf(stderr, "axle: error: no method '%s' in AXLE_METHOD_PATH or %s\n",
                name, AXLE_METHODDIR);
        rc = 2;
    }
    for (size_t i = 0; files && files[i]; i++)
        free(files[i]);
    free(files);
    return rc;
}

/* `axle methods ./x.so`: the file named, as a pipeline's `method: ./x.so`
 * would load it (against the current folder here). */
static int
show_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "axle: error: %s: %s\n", path, strerror(errno));
        return 2;
    }
    return show_file(path, path, "", true);
}

int
cli_methods(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(methods_usage, stdout);
        return 0;
    }
    if (argc > 1 && loader_is_path_ref(argv[1]))
        return show_path(argv[1]); /* 1: refused, 2: not found */
    if (argc > 1)
        return show_method(argv[1], true);
    size_t n;
    char **names = all_names(&n);
    printf("search order:");
    for (const char *const *d = loader_search_dirs(); *d; d++)
        printf(" %s", *d);
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        show_method(names[i], false);
        free(names[i]);
    }
    free(names);
    return 0;
}
