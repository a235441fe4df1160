/* out_module.c -- find and load incimap-gdal.so (out_module.h). The loaded
 * module is process-wide state by nature (dlopen loads a library once per
 * process): it is kept here, behind a pthread_once, and nowhere else. */
#include "out_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef OUT_MODULE_NAME
#define OUT_MODULE_NAME "incimap-gdal.so"
#endif
#ifndef OUT_MODULE_REL_PATH /* from the executable's folder, installed */
#define OUT_MODULE_REL_PATH "../lib/incimap/" OUT_MODULE_NAME
#endif
#ifndef OUT_MODULE_INSTALL_PATH
#define OUT_MODULE_INSTALL_PATH "/usr/local/lib/incimap/" OUT_MODULE_NAME
#endif

static pthread_once_t mod_once = PTHREAD_ONCE_INIT;
static const out_module *mod_table;
static char mod_error[3 * PATH_MAX + 1024];

/* The module's path: $INCIMAP_MODULE, else beside the executable (a build
 * tree), else <exe>/../<libdir>/incimap/ (an install under any prefix), else
 * the install path compiled in. `tried` lists what was looked at. */
static int module_path(char *buf, size_t size, char *tried, size_t tsize)
{
    const char *env = getenv("INCIMAP_MODULE");
    if (env && *env) {
        snprintf(tried, tsize, "%s ($INCIMAP_MODULE)", env);
        return snprintf(buf, size, "%s", env) < (int)size ? 0 : -1;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            slash[1] = '\0';
            if (snprintf(buf, size, "%s%s", exe, OUT_MODULE_NAME) < (int)size &&
                access(buf, F_OK) == 0)
                return 0;
            if (snprintf(buf, size, "%s%s", exe, OUT_MODULE_REL_PATH) < (int)size &&
                access(buf, F_OK) == 0)
                return 0;
            snprintf(tried, tsize, "%s%s, %s%s, ", exe, OUT_MODULE_NAME, exe, OUT_MODULE_REL_PATH);
        }
    }
    size_t used = strlen(tried);
    snprintf(tried + used, tsize - used, "%s", OUT_MODULE_INSTALL_PATH);
    return snprintf(buf, size, "%s", OUT_MODULE_INSTALL_PATH) < (int)size ? 0 : -1;
}

static void load_once(void)
{
    char path[PATH_MAX + 64], tried[2 * PATH_MAX + 128] = "";
    if (module_path(path, sizeof path, tried, sizeof tried) != 0) {
        snprintf(mod_error, sizeof mod_error, "the GDAL module's path is too long");
        return;
    }
    if (access(path, F_OK) != 0) {
        snprintf(mod_error, sizeof mod_error,
                 "the GDAL module (GDAL formats, maps, gazetteer build) is missing: "
                 "looked for %s",
                 tried);
        return;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(mod_error, sizeof mod_error, "cannot load the GDAL module %s: %s", path,
                 why ? why : "unknown reason");
        return;
    }
    const out_module *m = (const out_module *)dlsym(h, OUT_MODULE_SYMBOL);
    if (!m) {
        snprintf(mod_error, sizeof mod_error, "%s is not incimap's GDAL module (no %s)", path,
                 OUT_MODULE_SYMBOL);
        dlclose(h);
        return;
    }
    if (m->abi != OUT_MODULE_ABI) {
        snprintf(mod_error, sizeof mod_error,
                 "%s is the GDAL module of another incimap version (interface %d, this "
                 "incimap needs %d): reinstall incimap",
                 path, m->abi, OUT_MODULE_ABI);
        dlclose(h);
        return;
    }
    m->init();
    mod_table = m; /* never unloaded: GDAL's own threads and atexit handlers */
}

const out_module *out_module_get(cx_err *err)
{
    pthread_once(&mod_once, load_once);
    if (!mod_table)
        cx_err_set(err, CX_ENOTFOUND, NULL, 0, "%s", mod_error);
    return mod_table;
}

void out_module_shutdown(void)
{
    if (mod_table)
        mod_table->shutdown();
}
