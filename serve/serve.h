/* serve.h -- the review page's HTTP server (libmicrohttpd) and the offline
 * HTML map. A thin adapter: requests become calls of store/ (store_review.h)
 * and gazetteer/, JSON in and out through Jansson; no SQL, no business
 * logic. The only module that includes microhttpd.h.
 *
 * Safe by default: one server thread (the store connection is used by it
 * alone); static files are a fixed whitelist read into memory at start,
 * never a path joined from the URL; every state-changing request needs the
 * CSRF token the page reads from /api/session (and a custom header, which a
 * cross-site form cannot send); bodies are capped at SRV_MAX_BODY bytes and
 * validated; a non-loopback bind needs a token (cookie, bearer header or
 * ?token= on the first page load). Prefix srv_. */
#ifndef SRV_SERVE_H
#define SRV_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "gazetteer.h"
#include "incident.h"
#include "store.h"

#define SRV_MAX_BODY 65536 /* bytes of a request body */

typedef struct srv_server srv_server; /* opaque */

typedef struct srv_options {
    const char *bind;       /* IPv4 or IPv6 address, default "127.0.0.1" */
    int port;               /* default 8765; 0 picks a free port */
    const char *token;      /* required for a non-loopback bind, else NULL */
    const char *www_dir;    /* serve/www: index.html, app.js, style.css */
    const char *vendor_dir; /* leaflet.js, ... (scripts/fetch-data.sh) */
    const char *data_dir;   /* data/: lexicon/en.json, lexicon/fr.json (trigger words) */
    const char *tile_url;   /* a tile layer URL template, or NULL (borders only) */
    int max_connections;    /* default 256 */
} srv_options;

/** Whether `addr` is a loopback address (127.0.0.0/8, ::1, "localhost"). */
bool srv_is_loopback(const char *addr);

/** Start serving `st` (open read-write; review tables created) and `gaz`
 *  (may be NULL: no place search) on opts->bind:port in a thread of its
 *  own. Errors: a non-loopback bind without a token, a missing asset, an
 *  address in use. Returns NULL and fills `err`. Ownership: `st` and `gaz`
 *  are borrowed until srv_stop(); caller stops with srv_stop(). */
srv_server *srv_start(const srv_options *opts, sto_store *st, gaz_db *gaz, cx_err *err);

/** The port the server listens on (the chosen one when opts->port was 0). */
int srv_port(const srv_server *s);

/** Stop serving: waits for the request in progress, then frees `s`.
 *  NULL is a no-op. */
void srv_stop(srv_server *s);

/* What the offline HTML map is made of. */
typedef struct srv_map_options {
    const char *www_dir, *vendor_dir, *data_dir;
    const char *title;    /* or NULL */
    const char *tile_url; /* or NULL */
} srv_map_options;

typedef struct srv_map srv_map; /* opaque: incidents collected for the page */

/** A new, empty collection. Returns NULL on out of memory. Caller frees
 *  with srv_map_free(). */
srv_map *srv_map_new(void);
void srv_map_free(srv_map *m);

/** Add one incident (copied; `review` and `store_id` included). Returns 0
 *  or CX_ENOMEM. */
int srv_map_add(srv_map *m, const ext_incident *inc);

/** Add the features of a GeoJSON layer written by incimap (incidents.geojson).
 *  Returns 0, CX_EIO or CX_EFORMAT with `err` naming the file. */
int srv_map_add_geojson(srv_map *m, const char *path, cx_err *err);

/** Number of incidents added. */
size_t srv_map_count(const srv_map *m);

/** Write one self-contained page to `out_path` (written aside, renamed
 *  into place): the page, its script and stylesheet, Leaflet and the
 *  country borders inlined, the incidents as data; read-only, nothing
 *  fetched from outside. Returns 0, CX_EIO or CX_ENOMEM with `err` set. */
int srv_map_write(const srv_map *m, const srv_map_options *opts, const char *out_path,
                  cx_err *err);

#endif
