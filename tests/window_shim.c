/* window_shim.c - an LD_PRELOAD library that runs a command at one chosen
 * moment of `axle run`: when the core makes the job folder named
 * $AXLE_WINDOW_AT, which is after that job's identity pass and before its
 * prepare.  A test changes a photo there, in the window between the core's
 * stat of the photos and the import's use of them, deterministically.
 *
 *     AXLE_WINDOW_AT=wd-3 AXLE_WINDOW_CMD='cp x.jpg photos/a.jpg' \
 *         LD_PRELOAD=.../window_shim.so axle run p.yaml
 *
 * The command runs once (through system(3)), before the folder is made;
 * everything else passes through to the C library. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

int
mkdir(const char *path, mode_t mode)
{
    static int (*real)(const char *, mode_t);
    if (!real)
        real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
    const char *at = getenv("AXLE_WINDOW_AT"), *cmd = getenv("AXLE_WINDOW_CMD");
    const char *slash = strrchr(path, '/'); /* glibc declares path nonnull */
    const char *base = slash ? slash + 1 : path;
    if (at && cmd && strcmp(base, at) == 0) {
        unsetenv("AXLE_WINDOW_AT"); /* once, and not in the command's children */
        if (system(cmd) != 0)
            abort(); /* the test's setup failed: never a silent pass */
    }
    return real(path, mode);
}
