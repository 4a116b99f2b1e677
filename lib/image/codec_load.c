/* codec_load.c - libheif and libjxl dlopen()ed by their SONAME (configure
 * found it: AXLE_HEIF_SONAME, AXLE_JXL_SONAME in config.h; tests/fuzz/run.sh
 * defines them itself) the first time an image needs one, their functions
 * resolved into codec_load.h's tables.  Once per process (pthread_once): a
 * failure is remembered and given to every later image rather than
 * retried. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "codec_load.h"
#include "image_internal.h"

#if defined AXLE_HAVE_HEIF && !defined AXLE_HEIF_SONAME
#error "AXLE_HEIF_SONAME (configure's) is not defined: libheif's SONAME, e.g. from objdump -p"
#endif
#if defined AXLE_HAVE_JXL && !defined AXLE_JXL_SONAME
#error "AXLE_JXL_SONAME (configure's) is not defined: libjxl's SONAME, e.g. from objdump -p"
#endif

#if defined AXLE_HAVE_HEIF || defined AXLE_HAVE_JXL
/* One library's loading: its outcome, kept for the process. */
struct lazy_lib {
    pthread_once_t once;
    const char *soname, *reads;
    bool loaded;
    char why[400];
};

/* dlopen the library: its handle, or NULL with the loader's reason in why. */
static void *
open_lib(struct lazy_lib *lib)
{
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *reason = dlerror();
        snprintf(lib->why, sizeof lib->why, "%s cannot be loaded: %s", lib->soname,
                 reason ? reason : "no reason given");
    }
    return h;
}

/* The function `name` of h into *slot; false (why set) when it is missing. */
static bool
resolve(struct lazy_lib *lib, void *h, const char *name, void **slot)
{
    dlerror();
    *slot = dlsym(h, name);
    if (*slot)
        return true;
    const char *reason = dlerror();
    snprintf(lib->why, sizeof lib->why, "%s has no %s (%s): a newer version is needed",
             lib->soname, name, reason ? reason : "not found");
    return false;
}

static bool
answer(const struct lazy_lib *lib, char *err, size_t errlen)
{
    if (!lib->loaded)
        img_fail(err, errlen, AXLE_EUNAVAILABLE, "%s images cannot be read: %s", lib->reads,
                 lib->why);
    return lib->loaded;
}
#endif

/* Each function pointer is filled through a void * (dlsym's type), the
 * POSIX way to turn an object pointer into a function pointer. */
#define IMG_CODEC_RESOLVE(name)                                                               \
    if (ok) {                                                                                 \
        void *fn;                                                                             \
        ok = resolve(lib, h, #name, &fn);                                                     \
        memcpy(&api->name, &fn, sizeof fn);                                                   \
    }

#ifdef AXLE_HAVE_HEIF
struct img_heif_api img_heif_api;
static struct lazy_lib heif_lib = {PTHREAD_ONCE_INIT, AXLE_HEIF_SONAME, "HEIF/AVIF", false, ""};

static void
load_heif(void)
{
    struct lazy_lib *lib = &heif_lib;
    struct img_heif_api *api = &img_heif_api;
    void *h = open_lib(lib);
    bool ok = h != NULL;
    IMG_HEIF_FUNCTIONS(IMG_CODEC_RESOLVE)
    if (!ok && h)
        dlclose(h);
    lib->loaded = ok;
}

bool
img_heif_load(char *err, size_t errlen)
{
    pthread_once(&heif_lib.once, load_heif);
    return answer(&heif_lib, err, errlen);
}
#endif

#ifdef AXLE_HAVE_JXL
struct img_jxl_api img_jxl_api;
static struct lazy_lib jxl_lib = {PTHREAD_ONCE_INIT, AXLE_JXL_SONAME, "JPEG XL", false, ""};

static void
load_jxl(void)
{
    struct lazy_lib *lib = &jxl_lib;
    struct img_jxl_api *api = &img_jxl_api;
    void *h = open_lib(lib);
    bool ok = h != NULL;
    IMG_JXL_FUNCTIONS(IMG_CODEC_RESOLVE)
    if (!ok && h)
        dlclose(h);
    lib->loaded = ok;
}

bool
img_jxl_load(char *err, size_t errlen)
{
    pthread_once(&jxl_lib.once, load_jxl);
    return answer(&jxl_lib, err, errlen);
}
#endif
