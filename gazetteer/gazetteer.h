/* gazetteer.h -- place-name lookup in a SpatiaLite gazetteer, and its build.
 * The only module that talks to SQLite/SpatiaLite. No global state: each
 * gaz_db owns its connection and its SpatiaLite cache. */
#ifndef GAZ_GAZETTEER_H
#define GAZ_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "cx_place.h"

typedef struct gaz_db gaz_db; /* opaque */

/* Schema version written in the meta table; gaz_open refuses other versions. */
#define GAZ_SCHEMA_VERSION 1

/** Open the gazetteer at `path` read-only. A missing file, a file that is not
 *  SQLite, or a SQLite file without incimap's schema (or of another schema
 *  version) is an error naming the path. Returns NULL and fills `err`.
 *  Ownership: caller closes with gaz_close(). */
gaz_db *gaz_open(const char *path, cx_err *err);

/** Close `db`; NULL is a no-op. */
void gaz_close(gaz_db *db);

/* Optional ranking context for a lookup. */
typedef struct gaz_query {
    const char *country;  /* ISO alpha-2 to prefer (not filter), or NULL */
    bool has_near;        /* rank by distance to near_lat/near_lon */
    double near_lat, near_lon;
    bool translit;        /* also return transliteration-key matches (ranked below exact) */
    bool only_country;    /* with `country`: drop candidates of other countries */
} gaz_query;

/** Find up to `max` places named `name` (UTF-8, `len` bytes), best first.
 *  Matching is on the folded key (cx_fold_key), then, when q->translit, on
 *  the transliteration key (cx_translit_key). `q` may be NULL.
 *  Writes the count to *n_out. Returns 0, or a CX_E* code with `err` set.
 *  Ownership: `out` is caller storage; nothing is allocated. */
int gaz_lookup(gaz_db *db, const char *name, size_t len, const gaz_query *q, cx_place *out,
               size_t max, size_t *n_out, cx_err *err);

enum {
    GAZ_PROBE_NAME = 1,  /* some name has exactly this folded key */
    GAZ_PROBE_PREFIX = 2 /* some multi-word name's folded key starts with key + " " */
};

/** Cheap existence test for toponym spotting: `key` is already a folded key
 *  (cx_fold_key). Returns a mask of GAZ_PROBE_* (0 when neither), or a
 *  negative CX_E* code. */
int gaz_probe(gaz_db *db, const char *key, size_t len, cx_err *err);

/** Answer gaz_lookup and gaz_probe from the read index (the same answers,
 *  without SQLite): FILE.idx beside the gazetteer, mapped read-only and
 *  shared between processes. Where it is missing or was made for another
 *  build of the gazetteer it is written, beside the gazetteer or, when that
 *  folder is not writable, in `cache_dir` (may be NULL). Returns 0 when the
 *  index is in use; a CX_E* code with `err` set when not, and the handle
 *  goes on answering from SQLite. */
int gaz_use_index(gaz_db *db, const char *cache_dir, cx_err *err);

/** Answer from the read index `from` uses (one mapping for the threads of
 *  a process; `from` must outlive `db`, both are read-only). For a handle of
 *  the same gazetteer file. Returns 0, or CX_EINVAL when `from` has none. */
int gaz_share_index(gaz_db *db, const gaz_db *from);

/** Whether gaz_use_index() succeeded on `db`. */
bool gaz_has_index(const gaz_db *db);

/** Write the read index of the gazetteer at `path` to `path`.idx (what
 *  `gazetteer build` does once the gazetteer is in place). Returns 0 or a
 *  CX_E* code with `err` set. */
int gaz_write_index(const char *path, cx_err *err);

/** Country (ISO alpha-2) and admin-1 name of the polygon containing the point,
 *  from the region polygons stored at build time. Empty strings when no
 *  polygon contains it. Returns 0 or a CX_E* code. */
int gaz_locate(gaz_db *db, double lat, double lon, char country[3], char *admin1,
               size_t admin1_size, cx_err *err);

/** A meta value ("schema_version", "built", "places", "names", "sources"...)
 *  into `buf`. Returns 0, CX_ENOTFOUND, or another CX_E* code. */
int gaz_meta(gaz_db *db, const char *key, char *buf, size_t size, cx_err *err);

/* ===== Names in the report's language (gaz_names.c) ===== */

/* Which name `place_name` carries (--names). */
enum {
    GAZ_NAMES_EN = 0,   /* the conventional English name (default) */
    GAZ_NAMES_FR = 1,   /* the conventional French name */
    GAZ_NAMES_LOCAL = 2 /* the gazetteer's canonical name (GeoNames' main name) */
};

/** "en", "fr", "local" -> GAZ_NAMES_*; -1 for anything else. */
int gaz_names_parse(const char *s);

typedef struct gaz_namer gaz_namer; /* opaque */

/** A namer for language `names` over `db`. `conflict_path` (may be NULL) is a
 *  conflict file whose "two_sided_names" key lists, per place, the forms the
 *  two sides use in each language (the first is the name, the second the
 *  alternative). A missing key is no error; an unreadable file or a
 *  malformed list is, naming the file. Returns NULL and fills `err`.
 *  Ownership: caller frees with gaz_namer_free(); `db` must outlive it. */
gaz_namer *gaz_namer_new(gaz_db *db, int names, const char *conflict_path, cx_err *err);

/** Free `n`; NULL is a no-op. */
void gaz_namer_free(gaz_namer *n);

/** The name of place `place_id` (a src_id such as "geonames:146970", or the
 *  id of a source row merged into it) in the namer's language, and for a
 *  two-sided place the other side's form, into `name` / `alt` ("" when there
 *  is none). `name` is "" when the gazetteer does not know the place: keep
 *  the incident's own. The rule is in docs/gazetteer.md ("Names").
 *  Returns 0 or a CX_E* code. Results are cached per place. */
int gaz_namer_name(gaz_namer *n, const char *place_id, char *name, size_t name_size,
                   char *alt, size_t alt_size, cx_err *err);

/* ===== Build ===== */

typedef struct gaz_build_opts {
    const char *const *geonames;  /* GeoNames 19-column dump files */
    size_t n_geonames;
    const char *alternate_names;  /* alternateNamesV2.txt or NULL */
    const char *admin1;           /* admin1CodesASCII.txt or NULL */
    const char *const *extra;     /* CSV or GeoJSON files of extra places */
    size_t n_extra;
    const char *extra_columns;    /* "name=locality_en,name:fr=locality_fr,..." or NULL */
    const char *countries;        /* world-atlas TopoJSON / any OGR polygon file, or NULL */
    const char *states;           /* country-state-city state.json, or NULL */
    bool defaults;                /* add the default sources found in `vendor_dir`/`data_dir` */
    const char *vendor_dir;       /* where setup unpacked the npm data packages */
    const char *data_dir;         /* the project's data/ (regional supplement) */
    /* Progress: called now and then with rows read so far; may be NULL. */
    void (*progress)(void *ctx, const char *source, long rows);
    void *progress_ctx;
    /* Per-row warnings (malformed row skipped): may be NULL. */
    void (*warn)(void *ctx, const char *source, long line, const char *msg);
    void *warn_ctx;
} gaz_build_opts;

typedef struct gaz_build_stats {
    long rows_read, rows_kept, rows_rejected;
    long places, names, regions;
    long merged;             /* source rows merged into a place of another source */
    long outside_repaired;   /* admin-1 rows outside their country, moved onto another
                                source's place of the same entity */
    long outside_dropped;    /* admin-1 rows outside their country with no such place */
    long homonyms;           /* village names that were their province's, renamed */
} gaz_build_stats;

/** Build a gazetteer at `out_path` from the sources in `opts`. Writes a
 *  temporary file beside the target and renames it into place only when the
 *  build is complete, so a failed or killed build never leaves a broken
 *  gazetteer there. Returns 0 or a CX_E* code with `err` set. */
int gaz_build(const char *out_path, const gaz_build_opts *opts, gaz_build_stats *stats,
              cx_err *err);

/* ===== Download ===== */

typedef struct gaz_fetch_opts {
    const char *base_url;           /* NULL: https://download.geonames.org/export/dump */
    const char *const *names;       /* "AM", "AZ", "allCountries", "cities500", or a
                                       plain file name such as "admin1CodesASCII.txt" */
    size_t n_names;
    bool alternate_names;           /* also alternateNamesV2.zip */
    const char *out_dir;            /* where CC.txt files are written (must exist) */
    /* Called after each file with its path; may be NULL. */
    void (*done)(void *ctx, const char *path, long long bytes);
    void *done_ctx;
    double timeout_s;      /* whole download, seconds; 0: 3600 */
    double stall_s;        /* fail when under 1 KB/s for this long; 0: 60 */
    long long max_bytes;   /* cap on a download and on a file extracted; 0: 4 GiB */
} gaz_fetch_opts;

/** Download GeoNames dumps (libcurl; any URL scheme curl supports, file://
 *  included): NAME.zip is fetched and NAME.txt extracted from it (GDAL
 *  /vsizip/) into out_dir; a NAME ending in ".txt" is fetched as is. Each file
 *  is written beside its target and renamed into place when complete, once
 *  checked: a zip must be one (an HTML error page is refused), a member may
 *  not inflate past max_bytes or 200 times the zip, and what arrives must be
 *  GeoNames tab-separated text (no NUL byte, the dump's column count on its
 *  first line). Stalls and trickles fail after stall_s, any download after
 *  timeout_s. Leftovers of killed fetches (NAME.txt.tmp-PID, NAME.tmp-PID.zip
 *  of dead processes) are removed first; a fatal signal removes this one's.
 *  Returns 0 or a CX_E* code with `err` naming the URL or file. */
int gaz_fetch(const gaz_fetch_opts *opts, cx_err *err);

#endif
