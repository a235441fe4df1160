/* out_gdal_module.c -- the entry of incimap-gdal.so (out_module.h): the
 * table the executable finds with dlsym(). GDAL's drivers are registered
 * when the module is loaded, and torn down at the end of main(). */
#include "borders_p.h"
#include "commands.h"
#include "gazetteer.h"
#include "out_module.h"

#include <gdal.h>

out_writer *outm_writer_open(const char *path, const out_options *opts, cx_err *err);
int outm_writer_add(out_writer *w, const ext_incident *inc, cx_err *err);
int outm_writer_close(out_writer *w, cx_err *err);
void outm_writer_abort(out_writer *w);

static void init_gdal(void) { GDALAllRegister(); }

static const char *gdal_version(void) { return GDALVersionInfo("RELEASE_NAME"); }

static void shutdown_gdal(void) { GDALDestroyDriverManager(); }

extern const out_module incimap_gdal_module;
__attribute__((visibility("default"))) const out_module incimap_gdal_module = {
    .abi = OUT_MODULE_ABI,
    .init = init_gdal,
    .gdal_version = gdal_version,
    .writer_open = outm_writer_open,
    .writer_add = outm_writer_add,
    .writer_close = outm_writer_close,
    .writer_abort = outm_writer_abort,
    .borders_open = outp_borders_open_ogr,
    .cmd_map = cli_cmd_map,
    .gaz_build = gaz_build,
    .gaz_fetch = gaz_fetch,
    .shutdown = shutdown_gdal,
};
