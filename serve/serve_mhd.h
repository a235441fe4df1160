/* serve_mhd.h -- libmicrohttpd, loaded with dlopen() when a server starts
 * (issue 20, start-up). Linked to the executable, it and the GnuTLS it
 * needs cost every command, `extract` included, about 5 M instructions of
 * symbol relocation, GnuTLS's constructors and 150 page faults at load.
 * Only serve.c includes this, after <microhttpd.h>: its MHD_* calls go
 * through the table srvp_mhd_get() loaded. */
#ifndef SRV_SERVE_MHD_H
#define SRV_SERVE_MHD_H

#include <microhttpd.h>
#include <stdint.h>

#include "cx_err.h"

typedef struct srvp_mhd {
    struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port,
                                       MHD_AcceptPolicyCallback apc, void *apc_cls,
                                       MHD_AccessHandlerCallback dh, void *dh_cls, ...);
    void (*stop_daemon)(struct MHD_Daemon *daemon);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *daemon,
                                                   enum MHD_DaemonInfoType info_type, ...);
    enum MHD_Result (*is_feature_supported)(enum MHD_FEATURE feature);
    struct MHD_Response *(*create_response_from_buffer)(size_t size, void *buffer,
                                                        enum MHD_ResponseMemoryMode mode);
    void (*destroy_response)(struct MHD_Response *response);
    enum MHD_Result (*add_response_header)(struct MHD_Response *response, const char *header,
                                           const char *content);
    enum MHD_Result (*queue_response)(struct MHD_Connection *connection,
                                      unsigned int status_code, struct MHD_Response *response);
    const char *(*lookup_connection_value)(struct MHD_Connection *connection,
                                           enum MHD_ValueKind kind, const char *key);
} srvp_mhd;

/** Load libmicrohttpd (once per process, like the GDAL module: a loaded
 *  library is process-wide by nature); NULL with `err` naming what was
 *  looked for when it cannot be. */
const srvp_mhd *srvp_mhd_get(cx_err *err);

/** The table srvp_mhd_get() loaded (only called after it succeeded). */
const srvp_mhd *srvp_mhd_table(void);

#ifndef SRVP_MHD_IMPL
#define MHD_start_daemon (srvp_mhd_table()->start_daemon)
#define MHD_stop_daemon (srvp_mhd_table()->stop_daemon)
#define MHD_get_daemon_info (srvp_mhd_table()->get_daemon_info)
#define MHD_is_feature_supported (srvp_mhd_table()->is_feature_supported)
#define MHD_create_response_from_buffer (srvp_mhd_table()->create_response_from_buffer)
#define MHD_destroy_response (srvp_mhd_table()->destroy_response)
#define MHD_add_response_header (srvp_mhd_table()->add_response_header)
#define MHD_queue_response (srvp_mhd_table()->queue_response)
#define MHD_lookup_connection_value (srvp_mhd_table()->lookup_connection_value)
#endif

#endif
