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
/* One function a table needs: its name and where the table keeps it.
 * dlsym's void * is copied into that function pointer (memcpy), the POSIX
 * way to turn an object pointer into a function pointer. */
struct lazy_symbol {
    const char *name;
    void *entry;
};

/* One library: where it is and what it serves, the functions to resolve,
 * and its loading's outcome, kept for the process. */
struct lazy_lib {
    pthread_once_t once;
    const char *soname, *reads;
    const struct lazy_symbol *symbols;
    size_t nsymbols;
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

/* The function `sym` of h into its entry; false (why set) when it is
 * missing. */
static bool
resolve(struct lazy_lib *lib, void *h, const struct lazy_symbol *sym)
{
    dlerror();
    void *fn = dlsym(h, sym->name);
    if (fn) {
        memcpy(sym->entry, &fn, sizeof fn);
        return true;
    }
    const char *reason = dlerror();
    snprintf(lib->why, sizeof lib->why, "%s has no %s (%s): a newer version is needed",
             lib->soname, sym->name, reason ? reason : "not found");
    return false;
}

/* Opens the library and fills its table, every function or none used:
 * a library missing one is closed again. */
static void
load_lib(struct lazy_lib *lib)
{
    void *h = open_lib(lib);
    bool ok = h != NULL;
    for (size_t i = 0; ok && i < lib->nsymbols; i++)
        ok = resolve(lib, h, &lib->symbols[i]);
    if (!ok && h)
        dlclose(h);
    lib->loaded = ok;
}

/* The library loaded once per process (init: load_lib on it), and the
 * outcome for this image. */
static bool
lazy_load(struct lazy_lib *lib, void (*init)(void), char *err, size_t errlen)
{
    pthread_once(&lib->once, init);
    if (!lib->loaded)
        img_fail(err, errlen, AXLE_EUNAVAILABLE, "%s images cannot be read: %s", lib->reads,
                 lib->why);
    return lib->loaded;
}

#define LAZY_SYMBOL(api, name) {#name, &api.name},
#define LAZY_LIB(soname, reads, symbols)                                                      \
    {PTHREAD_ONCE_INIT, soname, reads, symbols, sizeof symbols / sizeof symbols[0], false, ""}
#endif

#ifdef AXLE_HAVE_HEIF
struct img_heif_api img_heif_api;
#define HEIF_SYMBOL(name) LAZY_SYMBOL(img_heif_api, name)
static const struct lazy_symbol heif_symbols[] = {IMG_HEIF_FUNCTIONS(HEIF_SYMBOL)};
#undef HEIF_SYMBOL
static struct lazy_lib heif_lib = LAZY_LIB(AXLE_HEIF_SONAME, "HEIF/AVIF", heif_symbols);

static void
load_heif(void)
{
    load_lib(&heif_lib);
}

bool
img_heif_load(char *err, size_t errlen)
{
    return lazy_load(&heif_lib, load_heif, err, errlen);
}
#endif

#ifdef AXLE_HAVE_JXL
struct img_jxl_api img_jxl_api;
#define JXL_SYMBOL(name) LAZY_SYMBOL(img_jxl_api, name)
static const struct lazy_symbol jxl_symbols[] = {IMG_JXL_FUNCTIONS(JXL_SYMBOL)};
#undef JXL_SYMBOL
static struct lazy_lib jxl_lib = LAZY_LIB(AXLE_JXL_SONAME, "JPEG XL", jxl_symbols);

static void
load_jxl(void)
{
    load_lib(&jxl_lib);
}

bool
img_jxl_load(char *err, size_t errlen)
{
    return lazy_load(&jxl_lib, load_jxl, err, errlen);
}
#endif
