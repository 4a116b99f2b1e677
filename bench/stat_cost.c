/* stat_cost.c - what one stat of a file costs, by the ways a no-op run
 * could ask: fstatat through the file's folder (what axle does), statx
 * with only the size and time asked for, and statx with
 * AT_STATX_DONT_SYNC.  CPU (user + system, getrusage) per call over every
 * regular file of the folders given, several rounds.
 *
 * usage: cc -O2 -o stat_cost bench/stat_cost.c && ./stat_cost FOLDER...
 * (bench/scale.sh's corpus folders, say).  A benchmark, not a test. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct folder {
    int fd;
    char **names;
    size_t n;
};

static double
cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int
by_fstatat(int dirfd, const char *name)
{
    struct stat st;
    return fstatat(dirfd, name, &st, 0);
}

static int
by_statx(int dirfd, const char *name)
{
    struct statx sx;
    return statx(dirfd, name, 0, STATX_SIZE | STATX_MTIME, &sx);
}

static int
by_statx_nosync(int dirfd, const char *name)
{
    struct statx sx;
    return statx(dirfd, name, AT_STATX_DONT_SYNC, STATX_SIZE | STATX_MTIME, &sx);
}

int
main(int argc, char **argv)
{
    struct folder *f = calloc((size_t)argc, sizeof *f);
    size_t total = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        f[i].fd = open(argv[i], O_PATH | O_DIRECTORY);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_type != DT_REG)
                continue;
            f[i].names = realloc(f[i].names, (f[i].n + 1) * sizeof *f[i].names);
            f[i].names[f[i].n++] = strdup(e->d_name);
        }
        closedir(d);
        total += f[i].n;
    }
    static const struct {
        const char *what;
        int (*fn)(int, const char *);
    } ways[] = {{"fstatat", by_fstatat},
                {"statx size+mtime", by_statx},
                {"statx size+mtime, DONT_SYNC", by_statx_nosync}};
    for (int round = 0; round < 3; round++) {
        for (size_t w = 0; w < sizeof ways / sizeof *ways; w++) {
            double t0 = cpu_now();
            for (int i = 1; i < argc; i++)
                for (size_t k = 0; k < f[i].n; k++)
                    if (ways[w].fn(f[i].fd, f[i].names[k]) != 0)
                        perror(f[i].names[k]);
            double t = cpu_now() - t0;
            printf("round %d  %-30s %zu files  %.3f s CPU  %.2f us a call\n", round,
                   ways[w].what, total, t, t / (double)total * 1e6);
        }
    }
    return 0;
}
