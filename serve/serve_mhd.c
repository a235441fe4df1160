/* serve_mhd.c -- load libmicrohttpd when a server starts (serve_mhd.h).
 * The loaded library is process-wide state by nature: it is kept here,
 * behind a pthread_once, and nowhere else (as output/out_module.c keeps the
 * GDAL module). */
#define SRVP_MHD_IMPL
#include "serve_mhd.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef SRV_MHD_SONAME
#define SRV_MHD_SONAME "libmicrohttpd.so.12"
#endif

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static srvp_mhd mhd_fns;
static const srvp_mhd *mhd_table;
static char mhd_error[512];

/* dlsym's object pointer into a function pointer (ISO C has no cast). */
static int sym(void *h, const char *name, void *fn, size_t size)
{
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(mhd_error, sizeof mhd_error, "%s has no %s (another libmicrohttpd?)",
                 SRV_MHD_SONAME, name);
        return -1;
    }
    memcpy(fn, &p, size);
    return 0;
}

static void load_once(void)
{
    void *h = dlopen(SRV_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(mhd_error, sizeof mhd_error,
                 "cannot load libmicrohttpd (%s), which serve needs: %s (Debian: "
                 "libmicrohttpd12)",
                 SRV_MHD_SONAME, why ? why : "unknown reason");
        return;
    }
    srvp_mhd *m = &mhd_fns;
#define SYM(field, name) sym(h, name, &m->field, sizeof m->field)
    if (SYM(start_daemon, "MHD_start_daemon") || SYM(stop_daemon, "MHD_stop_daemon") ||
        SYM(get_daemon_info, "MHD_get_daemon_info") ||
        SYM(is_feature_supported, "MHD_is_feature_supported") ||
        SYM(create_response_from_buffer, "MHD_create_response_from_buffer") ||
        SYM(destroy_response, "MHD_destroy_response") ||
        SYM(add_response_header, "MHD_add_response_header") ||
        SYM(queue_response, "MHD_queue_response") ||
        SYM(lookup_connection_value, "MHD_lookup_connection_value")) {
        dlclose(h);
        return;
    }
#undef SYM
    mhd_table = m; /* never unloaded, as the GDAL module */
}

const srvp_mhd *srvp_mhd_get(cx_err *err)
{
    pthread_once(&mhd_once, load_once);
    if (!mhd_table)
        cx_err_set(err, CX_ENOTFOUND, NULL, 0, "%s", mhd_error);
    return mhd_table;
}

const srvp_mhd *srvp_mhd_table(void)
{
    return mhd_table;
}
