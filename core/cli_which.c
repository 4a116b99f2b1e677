/* cli_which.c - `axle which FILE`: the job that wrote an image file and
 * the chain of jobs behind it, down to the source photo.
 *
 * The file's own XMP names its job (provenance.h); a copy without it is
 * found by its image digest.  The workdir is the one named (--workdir,
 * -p), else the one the file lies in, else the one the manifest of the
 * export `dest` folder it lies in names, else ./axle-work. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "axle_internal.h"
#include "cli.h"
#include "dest_manifest.h"
#include "diag.h"
#include "fsutil.h"
#include "identity.h"
#include "job_record.h"
#include "provenance.h"
#include "ref.h"

static const char which_usage[] =
    "usage: axle which FILE [--workdir DIR | -p FILE]\n"
    "\n"
    "Names the job that wrote an exported image file and the chain of jobs\n"
    "behind it (export <- thumbs <- import, with methods and options) and\n"
    "the source photo.  The file is found by its image digest (the recipe\n"
    "in its XMP metadata says which options and method made it), or, for a\n"
    "file of an older axle, by the job id and identity in its XMP.\n"
    "The workdir is DIR, that of pipeline FILE, the one FILE lies in, the\n"
    "one named by the manifest of the export dest folder FILE lies in\n"
    "(.axle-export.json), or ./axle-work.  Exit 1 when no job of the\n"
    "workdir wrote the file.\n";

/* Files larger than this are not images axle wrote. */
#define WHICH_MAX_BYTES (1ul << 30)

static bool
names_workdir(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--workdir") == 0 || strcmp(argv[i], "-p") == 0 ||
            strcmp(argv[i], "--pipeline") == 0)
            return true;
    return false;
}

/* The workdir that holds `file`, or NULL. */
static char *
enclosing_workdir(const char *file)
{
    char *dir = realpath(file, NULL);
    while (dir) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
        char marker[PATH_MAX + 32];
        snprintf(marker, sizeof marker, "%s/%s", dir, WORKDIR_MARKER);
        if (fs_exists(marker))
            return dir;
    }
    free(dir);
    return NULL;
}

/* The whole file, or NULL after printing why. */
static unsigned char *
read_whole(const char *path, size_t *len)
{
    char why[256];
    int fd = fs_open_file(path, false, why, sizeof why);
    if (fd < 0) {
        diag_error(NULL, 0, 0, "%s: %s", path, why);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (ssize_t r = 1; buf && r > 0;) {
        if (n == cap) {
            unsigned char *grown = cap < WHICH_MAX_BYTES ? realloc(buf, cap *= 2) : NULL;
            if (!grown) {
                diag_error(NULL, 0, 0, "%s: too large to be an image axle wrote", path);
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            r = 1;
        else if (r < 0) {
            diag_error(NULL, 0, 0, "%s: %s", path, strerror(errno));
            free(buf);
            buf = NULL;
        } else {
            n += (size_t)r;
        }
    }
    close(fd);
    *len = n;
    return buf;
}

static void
print_escaped(const char *s)
{
    char *shown = axle_internal_escape(s ? s : "?");
    fputs(shown ? shown : "?", stdout);
    free(shown);
}

/* One line per job, its inputs indented below it ("<- source: ..."). */
static void
print_chain(const workdir *w, const char *id, const char *input, const char *expected,
            int depth)
{
    char *dir = workdir_job_dir(w, id);
    json_t *j = dir ? job_record_load(dir) : NULL;
    free(dir);
    printf("%*s%s%s%s", depth ? 10 + 2 * depth : 0, "", depth ? "<- " : "",
           input ? input : "", input ? ": " : "");
    if (!j) {
        printf("%s  (no such job in %s any more)\n", id, w->path);
        return;
    }
    json_t *rec = json_object_get(j, "identity_record");
    char *options = json_dumps(json_object_get(rec, "options"),
                               JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    const char *identity = json_string_value(json_object_get(j, "identity"));
    printf("%s  %s  %s  %s%s\n", json_string_value(json_object_get(j, "step")), id,
           json_string_value(json_object_get(j, "method")), options ? options : "{}",
           expected && identity && strcmp(expected, identity) != 0
               ? "  (not the job it was made from: its identity differs)" : "");
    free(options);
    json_t *inputs = json_object_get(json_object_get(j, "manifest"), "input_jobs");
    const char *name;
    json_t *v;
    json_object_foreach(inputs, name, v) {
        const char *want = json_string_value(
            json_object_get(json_object_get(json_object_get(rec, "inputs"), name), "identity"));
        if (json_is_string(v) && depth < 32)
            print_chain(w, json_string_value(v), name, want, depth + 1);
    }
    json_decref(j);
}

static void
print_match(const workdir *w, const char *file, const prov_match *m, const char *how,
            const prov_claim *c)
{
    printf("file      ");
    print_escaped(file);
    printf("\nfound by  %s\n", how);
    printf("job       %s in %s", m->job_id, w->path);
    if (m->file) {
        printf(", wrote ");
        print_escaped(m->file);
    }
    printf("\n");
    if (c->identity)
        printf("identity  %s (axle %s)\n", c->identity, c->version ? c->version : "?");
    if (c->recipe)
        printf("recipe    %s (axle %s)\n", c->recipe, c->version ? c->version : "?");
    json_t *j = job_record_load(m->job_dir);
    json_t *chain = json_object_get(j, "chain");
    if (chain) /* an incremental job: the earlier jobs hold the other items */
        printf("built on  %s (incrementally)\n",
               json_string_value(json_object_get(chain, "base")));
    json_decref(j);
    printf("source    ");
    print_escaped(m->source ? m->source : "unknown");
    if (m->source_path) {
        printf("  (");
        print_escaped(m->source_path);
        printf(")");
    }
    printf("\nchain     ");
    print_chain(w, m->job_id, NULL, NULL, 0);
}

/* How a file whose metadata names `recipe` was found by its digest. */
static const char *
recipe_note(const prov_match *m, const char *recipe)
{
    json_t *j = job_record_load(m->job_dir);
    char hex[DIGEST_HEX_LEN] = "";
    json_t *rec = json_object_get(j, "identity_record");
    if (rec)
        identity_recipe(rec, hex);
    json_decref(j);
    return strcmp(hex, recipe) == 0
               ? "its image digest, made by the recipe its metadata names"
               : "its image digest (its metadata names another recipe)";
}

/* Looks the file up and prints what wrote it; the exit status. */
static int
which(const workdir *w, const char *file, const unsigned char *data, size_t len)
{
    prov_claim c;
    bool claimed = prov_read_claim(data, len, &c);
    char digest[AXLE_DIGEST_HEX], err[256], *why = NULL;
    bool digested = axle_image_digest(data, len, digest, err, sizeof err) == AXLE_OK;
    prov_match *m = claimed && c.identity
                        ? prov_by_claim(w, &c, digested ? digest : NULL, &why) : NULL;
    int rc = 0;
    if (m) {
        print_match(w, file, m, "its embedded job id and identity", &c);
    } else {
        size_t n = 0;
        prov_match *all = digested ? prov_by_digest(w, digest, &n) : NULL;
        if (n > 0)
            print_match(w, file, &all[0],
                        !claimed ? "its image digest (the file has no axle metadata)"
                        : c.recipe ? recipe_note(&all[0], c.recipe)
                                   : "its image digest (the job its metadata names is gone)",
                        &c);
        for (size_t i = 1; i < n; i++) {
            printf("also      %s wrote the same image data as ", all[i].job_id);
            print_escaped(all[i].file);
            printf("\n");
        }
        if (n == 0 && claimed && c.recipe) {
            diag_error(NULL, 0, 0, "%s: its metadata names recipe %.12s... of axle %s, but "
                       "no export in %s wrote these bytes", file, c.recipe,
                       c.version ? c.version : "?", w->path);
            rc = 1;
        } else if (n == 0 && claimed) {
            diag_error(NULL, 0, 0, "%s: its metadata names job %s (identity %s), but %s; "
                       "and no export in %s wrote these bytes", file,
                       c.job ? c.job : "?", c.identity ? c.identity : "?",
                       why ? why : "that job is not there", w->path);
            rc = 1;
        } else if (n == 0) {
            diag_error(NULL, 0, 0, "%s: no axle metadata and no export in %s wrote these "
                       "bytes", file, w->path);
            rc = 1;
        }
        for (size_t i = 0; i < n; i++)
            prov_match_free(&all[i]);
        free(all);
    }
    prov_match_free(m);
    free(m);
    free(why);
    prov_claim_free(&c);
    return rc;
}

int
cli_which(int argc, char **argv)
{
    bool named = names_workdir(argc, argv);
    char *wdpath = ref_workdir_from_args(&argc, argv);
    const char *file = NULL;
    if (!wdpath)
        return 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(which_usage, stdout);
            free(wdpath);
            return 0;
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            fprintf(stderr, "axle: error: unexpected argument '%s'\n%s", argv[i], which_usage);
            free(wdpath);
            return 2;
        }
    }
    if (!file) {
        fputs(which_usage, stderr);
        free(wdpath);
        return 2;
    }
    char *inside = named ? NULL : enclosing_workdir(file);
    if (!named && !inside) /* a file in an export's dest folder */
        inside = dest_manifest_workdir_of(file, NULL);
    if (inside) {
        free(wdpath);
        wdpath = inside;
    }
    size_t len = 0;
    unsigned char *data = read_whole(file, &len);
    workdir *w = data ? workdir_open_existing(wdpath) : NULL;
    if (data && !w) {
        diag_error(NULL, 0, 0, "no workdir at %s (give --workdir DIR or -p FILE)", wdpath);
        prov_claim c;
        if (prov_read_claim(data, len, &c))
            diag_note("%s says it was written by %s %s (%s) of axle %s", file,
                      c.recipe ? "recipe" : "job", c.recipe ? c.recipe : c.job ? c.job : "?",
                      c.identity ? c.identity : "no identity", c.version ? c.version : "?");
        prov_claim_free(&c);
    }
    int rc = w ? which(w, file, data, len) : 2;
    workdir_close(w);
    free(data);
    free(wdpath);
    return rc;
}
