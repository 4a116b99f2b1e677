/* test_pipeline_util.c - scratch folders, files and captured stderr. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test_pipeline_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char scratch[4096];
static char origin[4096];
static int saved_stderr = -1;
static FILE *capture_file;

static void
die(const char *what)
{
    perror(what);
    exit(99); /* a broken harness is a hard error, not a test failure */
}

const char *
tp_enter(void)
{
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/axle-pipeline-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!getcwd(origin, sizeof origin) || !mkdtemp(tmpl) || !realpath(tmpl, scratch) ||
        chdir(scratch) < 0)
        die("scratch folder");
    return scratch;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void
tp_leave(void)
{
    if (chdir(origin) < 0 || nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0)
        die("leaving the scratch folder");
}

void
tp_write(const char *path, const char *text)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(dir, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        die(path);
}

void
tp_capture(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    saved_stderr = dup(STDERR_FILENO);
    if (!capture_file || saved_stderr < 0 || dup2(fileno(capture_file), STDERR_FILENO) < 0)
        die("capturing stderr");
}

char *
tp_captured(void)
{
    fflush(stderr);
    if (dup2(saved_stderr, STDERR_FILENO) < 0)
        die("restoring stderr");
    close(saved_stderr);
    saved_stderr = -1;
    struct stat st;
    int fd = fileno(capture_file);
    if (fstat(fd, &st) < 0)
        die("reading captured stderr");
    size_t len = (size_t)st.st_size;
    char *text = calloc(1, len + 1);
    if (!text || pread(fd, text, len, 0) != (ssize_t)len)
        die("reading captured stderr");
    fclose(capture_file);
    capture_file = NULL;
    return text;
}

double
tp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
