/* dlopen_shim.c - an LD_PRELOAD library that makes dlopen() of chosen
 * libraries fail, as a missing or broken install would:
 *
 *     AXLE_NO_DLOPEN="libheif libjxl" LD_PRELOAD=.../dlopen_shim.so axle ...
 *
 * A dlopen whose file name contains one of the words returns NULL, and
 * the next dlerror() says why (the shim's reason, naming the file).
 *
 *     AXLE_DLOPEN_AS="libjxl=libz.so.1" LD_PRELOAD=.../dlopen_shim.so axle ...
 *
 * opens the second library where the file name contains the first word:
 * a library without the functions asked for, as too old a one would be. */
#ifndef _GNU_SOURCE /* a sanitizer build defines it already */
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread char refused[512];
static __thread int pending;

/* True when the environment's word list names part of file. */
static int
blocked(const char *file)
{
    const char *words = getenv("AXLE_NO_DLOPEN");
    if (!file || !words)
        return 0;
    char list[512];
    snprintf(list, sizeof list, "%s", words);
    char *save = NULL;
    for (char *w = strtok_r(list, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (strstr(file, w))
            return 1;
    return 0;
}

/* The library AXLE_DLOPEN_AS opens instead of file, or file. */
static const char *
substitute(const char *file)
{
    const char *as = getenv("AXLE_DLOPEN_AS");
    const char *eq = as ? strchr(as, '=') : NULL;
    static __thread char word[256];
    if (!file || !eq || (size_t)(eq - as) >= sizeof word || eq == as)
        return file;
    memcpy(word, as, (size_t)(eq - as));
    word[eq - as] = '\0';
    return strstr(file, word) ? eq + 1 : file;
}

void *
dlopen(const char *file, int flags)
{
    static void *(*real)(const char *, int);
    file = substitute(file);
    if (blocked(file)) {
        snprintf(refused, sizeof refused, "%s: refused by the test's dlopen_shim", file);
        pending = 1;
        return NULL;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "dlopen");
    return real(file, flags);
}

char *
dlerror(void)
{
    static char *(*real)(void);
    if (pending) {
        pending = 0;
        return refused;
    }
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "dlerror");
    return real();
}
