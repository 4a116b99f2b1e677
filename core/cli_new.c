/* cli_new.c - `axle new NAME [DIR]`: a method folder that builds and runs
 * as it is.
 *
 * The folder is the method template (datadir.h) with its name replaced:
 * every file, name and text alike, has "method_template" turned into
 * NAME, so whatever the template holds (source, Makefile, pipeline) is
 * what a new method starts from; nothing here knows its contents.  An
 * existing folder is never written into. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "datadir.h"
#include "diag.h"
#include "fsutil.h"

#define TEMPLATE_NAME "method_template"
#define MAX_NAME 64
#define MAX_TEMPLATE_FILE (1u << 20)

static const char new_usage[] =
    "usage: axle new NAME [DIR]\n"
    "\n"
    "Writes a new method folder DIR (default ./NAME) from the method\n"
    "template: NAME.c (builds as it is), a Makefile (make: NAME.so;\n"
    "make run: runs NAME.yaml on the sample images; make clean) and\n"
    "NAME.yaml.  NAME is the method's name: letters, digits and '_'.\n"
    "DIR must not exist yet.\n";

static bool
valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MAX_NAME || isdigit((unsigned char)name[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_')
            return false;
    return true;
}

/* `text` with every TEMPLATE_NAME replaced by `name`.  malloc'd. */
static char *
substitute(const char *text, const char *name)
{
    size_t tl = strlen(TEMPLATE_NAME), nl = strlen(name), count = 0;
    for (const char *p = text; (p = strstr(p, TEMPLATE_NAME)); p += tl)
        count++;
    char *out = malloc(strlen(text) + count * nl + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text, *hit; *p; p = hit + tl) {
        if (!(hit = strstr(p, TEMPLATE_NAME))) {
            strcpy(o, p);
            return out;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, name, nl);
        o += nl;
    }
    *o = '\0';
    return out;
}

/* A template file whole, NUL-terminated; NULL with the reason in why. */
static char *
read_template_file(const char *path, char *why, size_t whylen)
{
    int fd = fs_open_file(path, false, why, whylen);
    if (fd < 0)
        return NULL;
    char *buf = malloc(MAX_TEMPLATE_FILE + 1);
    size_t len = 0;
    ssize_t n = 1;
    while (buf && len < MAX_TEMPLATE_FILE &&
           (n = read(fd, buf + len, MAX_TEMPLATE_FILE - len)) > 0)
        len += (size_t)n;
    close(fd);
    if (!buf || n < 0 || len == MAX_TEMPLATE_FILE || memchr(buf, '\0', len)) {
        snprintf(why, whylen, "%s", n < 0 ? strerror(errno) : "not a small text file");
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static int
write_new_file(const char *path, const char *text, char *why, size_t whylen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    size_t len = strlen(text), done = 0;
    ssize_t n = 0;
    while (fd >= 0 && done < len && (n = write(fd, text + done, len - done)) > 0)
        done += (size_t)n;
    if (fd < 0 || done < len || close(fd) < 0) {
        snprintf(why, whylen, "%s", strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

/* What is copied: the template's files, not what building it left. */
static int
template_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    bool built = (n > 3 && strcmp(e->d_name + n - 3, ".so") == 0) ||
                 (n > 2 && strcmp(e->d_name + n - 2, ".o") == 0);
    return e->d_name[0] != '.' && !built;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* One template file into `dir`, renamed and substituted.  0, or -1 after
 * an error naming the file. */
static int
copy_one(const char *tdir, const char *fname, const char *dir, const char *name)
{
    char *src = NULL, *dst = NULL, *newname = substitute(fname, name), *text = NULL;
    char why[256];
    struct stat st;
    int rc = -1;
    if (!newname || asprintf(&src, "%s/%s", tdir, fname) < 0 ||
        asprintf(&dst, "%s/%s", dir, newname) < 0) {
        diag_error(NULL, 0, 0, "out of memory");
    } else if (stat(src, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = 0; /* a folder or anything else in the template: not a file to copy */
    } else if (!(text = read_template_file(src, why, sizeof why))) {
        diag_error(src, 0, 0, "cannot read the template: %s", why);
    } else {
        char *out = substitute(text, name);
        if (!out || write_new_file(dst, out, why, sizeof why) < 0)
            diag_error(dst, 0, 0, "cannot write: %s", out ? why : "out of memory");
        else
            rc = 0;
        free(out);
    }
    free(text);
    free(src);
    free(dst);
    free(newname);
    return rc;
}

/* Copies the template folder into the new folder `dir`, which it makes. */
static int
copy_template(const char *tdir, const char *dir, const char *name)
{
    struct dirent **ents;
    int k = scandir(tdir, &ents, template_file, by_name);
    if (k < 0) {
        diag_error(tdir, 0, 0, "cannot read the method template: %s (is axle "
                   "installed? `./setup.sh` installs it)", strerror(errno));
        return -1;
    }
    int rc = 0;
    if (mkdir(dir, 0777) < 0) {
        if (errno == EEXIST)
            diag_error(dir, 0, 0, "already exists: axle new writes a new folder and "
                       "never into one (give another NAME, or a DIR: axle new %s DIR)",
                       name);
        else
            diag_error(dir, 0, 0, "cannot make the folder: %s", strerror(errno));
        rc = -2;
    }
    for (int i = 0; i < k; i++) {
        if (rc == 0)
            rc = copy_one(tdir, ents[i]->d_name, dir, name);
        free(ents[i]);
    }
    free(ents);
    if (rc == -1)
        fs_remove_tree(dir); /* made here, half written: leave nothing behind */
    return rc;
}

static void
list_written(const char *dir, const char *tdir)
{
    struct dirent **ents;
    int k = scandir(dir, &ents, template_file, by_name);
    printf("axle new: wrote %s from the template in %s:\n", dir, tdir);
    for (int i = 0; i < k; i++) {
        printf("  %s/%s\n", dir, ents[i]->d_name);
        free(ents[i]);
    }
    if (k >= 0)
        free(ents);
    printf("next: cd %s && make run\n", dir);
}

int
cli_new(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(new_usage, stdout);
        return 0;
    }
    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
        fputs(new_usage, stderr);
        return 2;
    }
    const char *name = argv[1], *dir = argc > 2 ? argv[2] : argv[1];
    if (!valid_name(name)) {
        diag_error(NULL, 0, 0, "'%s' is not a method name: use up to %d letters, "
                   "digits and '_', not starting with a digit (it names the .so "
                   "and the method in pipelines)", name, MAX_NAME);
        return 2;
    }
    char *tdir = datadir_template();
    char *main_file = NULL;
    if (!tdir || asprintf(&main_file, "%s/" TEMPLATE_NAME ".c", tdir) < 0) {
        free(tdir);
        return 2;
    }
    int rc = 2;
    if (!fs_exists(main_file)) {
        diag_error(NULL, 0, 0, "no method template at %s (is axle installed? "
                   "`./setup.sh` installs it)", main_file);
    } else if (copy_template(tdir, dir, name) == 0) {
        list_written(dir, tdir);
        rc = 0;
    }
    free(main_file);
    free(tdir);
    return rc;
}
