/* map.h -- static maps of incidents for reports (`incimap map`).
 *
 * Reads incident point layers and the country polygons through GDAL/OGR,
 * projects through PROJ (a conic or transverse Mercator centred on the
 * extent, never plate carree) and draws with cairo to PNG, SVG or PDF.
 * It does not link the gazetteer or the extractor: its input is a layer
 * that incimap (or anyone) wrote, with the field names of PRODUCT.md.
 * No global state; library code never prints. */
#ifndef MAP_MAP_H
#define MAP_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

enum { MAP_SHELLING = 0, MAP_CLASH = 1, MAP_EVACUATION = 2, MAP_NTYPES = 3 };
enum { MAP_FMT_PNG = 0, MAP_FMT_SVG = 1, MAP_FMT_PDF = 2 };
enum { MAP_SIZE_SOURCES = 0, MAP_SIZE_FATALITIES = 1, MAP_SIZE_NONE = 2 };

/* ===== Incidents ===== */

/** One incident as the map sees it (a plain value). */
typedef struct map_incident {
    int type;        /* MAP_SHELLING, MAP_CLASH, MAP_EVACUATION */
    char date[11];   /* "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" */
    char place[128]; /* label: place_name, else place, else "" */
    char place_id[48]; /* gazetteer id, "" when the layer has none (--names renames by it) */
    double lon, lat; /* WGS84 degrees */
    int n_sources;   /* >= 1 */
    int fatalities;  /* -1 when unknown */
    int geo_prec;    /* ACLED's geo_precision: 1 the place, 2 near it, 3 a region's or
                        unit's centre (drawn hollow with a dashed outline); 0 unknown */
} map_incident;

/** A growable array of incidents. Initialise with MAP_LIST_INIT. */
typedef struct map_list {
    map_incident *items;
    size_t n, cap;
} map_list;

#define MAP_LIST_INIT {NULL, 0, 0}

/** Append a copy of `inc`. Returns 0 or CX_ENOMEM. */
int map_list_add(map_list *l, const map_incident *inc);

/** Release the storage and reset `l`. NULL-safe. */
void map_list_free(map_list *l);

/** Which incidents to draw. Zero-initialise for "everything". */
typedef struct map_filter {
    char from[11]; /* "YYYY[-MM[-DD]]" or "" (open) */
    char to[11];   /* same */
    unsigned types; /* bit (1u << MAP_*) per type to keep; 0 keeps all */
} map_filter;

/** The type of a name: "shelling", "clash"/"clashes", "evacuation"/
 *  "evacuations" (ASCII case-insensitive). Returns MAP_* or -1. */
int map_type_parse(const char *name);

/** Legend label of a type: "Shelling", "Clashes", "Evacuations". */
const char *map_type_label(int type);

/** The same in `lang`: "fr" gives "Bombardements", "Affrontements",
 *  "Évacuations"; anything else (NULL, "en", "local") English. */
const char *map_type_label_lang(int type, const char *lang);

/** Parse a comma-separated type list ("shelling,clash") into a bit set.
 *  Returns 0, or CX_EINVAL with `err` naming the bad word. */
int map_types_parse(const char *csv, unsigned *types, cx_err *err);

/** Check a date bound "YYYY", "YYYY-MM" or "YYYY-MM-DD" (real month/day)
 *  and copy it to `out`. Returns 0 or CX_EINVAL with `err` set. */
int map_date_parse(const char *s, char out[11], cx_err *err);

/** True when `inc` passes `f`: its type is kept and its date interval
 *  overlaps [from, to]. Undated incidents pass only when no bound is set. */
bool map_filter_match(const map_filter *f, const map_incident *inc);

/** Read the incidents of `path` that pass `f` (NULL = all) and append them
 *  to `out`. `path` is a layer file any OGR driver reads (GeoJSON, GPKG,
 *  Shapefile, FlatGeobuf, CSV with X/Y or lon/lat columns) or a folder that
 *  holds an `incidents.*` layer. From a multi-layer file the `incidents`
 *  layer is read when present, else every layer. Point features only;
 *  coordinates are transformed to WGS84 when the layer has another SRS; the
 *  type comes from the `type` field, else from the layer name. Features
 *  with no usable type or geometry are skipped and counted in *skipped
 *  (OUT, may be NULL). Returns 0 or CX_EIO / CX_ENOTFOUND / CX_ENOMEM.
 *  Ownership: `out` keeps owning its storage. */
int map_read_layer(const char *path, const map_filter *f, map_list *out, size_t *skipped,
                   cx_err *err);

/* ===== Extent and projection ===== */

/** A lon/lat box in degrees. */
typedef struct map_bbox {
    double west, south, east, north;
} map_bbox;

/** Parse "W,S,E,N" (degrees; W < E, S < N, within +-180 / +-90).
 *  Returns 0 or CX_EINVAL with `err` set. */
int map_bbox_parse(const char *s, map_bbox *out, cx_err *err);

typedef struct map_view map_view; /* opaque: projection + page geometry */

/** Build the view of a map `width_px` wide at `dpi` (text and symbol sizes
 *  scale with dpi / 96). With `bbox` the frame covers it; with NULL the
 *  frame fits the incidents of `incs` with a margin and a minimum size of
 *  200 km. The projection is a Lambert conformal conic centred on the
 *  extent (transverse Mercator within 8 degrees of the equator). Returns
 *  NULL and fills `err` on failure (CX_EINVAL: no incidents to fit, bad
 *  size; CX_EIO: PROJ failed). Ownership: free with map_view_free(). */
map_view *map_view_new(const map_bbox *bbox, const map_list *incs, int width_px, double dpi,
                       cx_err *err);

/** Free `v`. NULL is a no-op. */
void map_view_free(map_view *v);

/** Page size in drawing units: pixels for PNG, and for SVG/PDF the same
 *  numbers scaled to points by 72/dpi. */
void map_view_size(const map_view *v, int *width, int *height);

/** Project lon/lat (degrees) to page coordinates (x right, y down, the
 *  same numbers as PNG pixels). Returns 0, or CX_EINVAL when PROJ cannot
 *  project the point. */
int map_project(map_view *v, double lon, double lat, double *x, double *y);

/** The PROJ string of the view's projection. Borrowed; valid until
 *  map_view_free(). */
const char *map_view_proj(const map_view *v);

/** Geodesic length in km of `px` page units drawn horizontally through the
 *  page point (x, y). Returns a negative number when PROJ fails. */
double map_view_km(map_view *v, double x, double y, double px);

/** The largest "nice" length (1, 2, 2.5 or 5 times a power of ten) not above
 *  `max_km`; 0 when max_km <= 0. */
double map_nice_km(double max_km);

/* ===== Labels ===== */

/** An axis-aligned rectangle in page units (x0 < x1, y0 < y1). */
typedef struct map_rect {
    double x0, y0, x1, y1;
} map_rect;

/** A label to place next to the anchor (x, y), whose symbol has radius r. */
typedef struct map_label_req {
    double x, y, r; /* anchor and symbol radius */
    double w, h;    /* text box size */
} map_label_req;

/** Greedy placement: labels are taken in the order given (most important
 *  first); each tries 8 positions around its anchor (E, W, NE, SE, NW, SW,
 *  N, S) and takes the first that stays inside `bounds` and overlaps
 *  neither an obstacle nor a label placed before; otherwise it is dropped.
 *  OUT: placed[i] is set and ok[i] says whether label i was placed.
 *  Returns the number placed. Ownership: all arrays are the caller's. */
size_t map_labels_place(const map_label_req *reqs, size_t n, const map_rect *obstacles,
                        size_t n_obstacles, map_rect bounds, map_rect *placed, bool *ok);

/* ===== Rendering ===== */

/** Output format from a file name's extension (.png, .svg, .pdf, any case).
 *  Returns MAP_FMT_* or -1. */
int map_format_from_path(const char *path);

/** One symbol as drawn: where (page units), how big, for which incident.
 *  Co-located incidents of different types are moved apart around their
 *  common place (x, y differ from the anchor ax, ay). */
typedef struct map_symbol {
    double x, y, r;   /* centre and radius as drawn */
    double ax, ay;    /* the incident's own projected place */
    int type;         /* MAP_* */
    int geo_prec;     /* as read */
    size_t index;     /* in the map_list given to map_render */
    bool displaced;   /* moved off its place to stay visible */
} map_symbol;

/** What map_render drew (OUT of map_render when map_options.report is set). */
typedef struct map_report {
    map_symbol *symbols;       /* owned: in drawing order */
    size_t n;                  /* symbols drawn (incidents PROJ could place) */
    size_t by_type[MAP_NTYPES];
    size_t n_displaced;        /* symbols moved apart from another type's */
    size_t n_approx;           /* geo_prec 3 symbols (hollow, dashed) */
    size_t n_labels;           /* place labels placed */
} map_report;

/** Free the report's storage and zero it. NULL-safe. */
void map_report_free(map_report *r);

typedef struct map_options {
    const char *output;    /* file to write (replaced atomically) */
    int format;            /* MAP_FMT_* */
    const char *title;     /* NULL = "Incidents" */
    const char *countries; /* Natural Earth TopoJSON/GeoJSON country polygons (required) */
    const char *lakes;     /* lake polygons, or NULL */
    const char *admin1;    /* first-level units (provinces, districts) drawn as thin
                              lines, or NULL */
    const char *from, *to; /* the date range asked for ("" or NULL = from the data) */
    int size_by;           /* MAP_SIZE_* */
    const char *lang;      /* legend, default title and attribution: "fr", else English */
    map_report *report;    /* OUT (may be NULL): what was drawn; free with map_report_free */
} map_options;

/** Draw `incs` on the view `v` and write the map to o->output. Returns 0,
 *  or CX_EIO (countries/lakes unreadable: err->source names the file),
 *  CX_EOUT (output not writable), CX_ENOMEM, CX_EINVAL. On failure no
 *  partial output replaces an existing file. */
int map_render(map_view *v, const map_list *incs, const map_options *o, cx_err *err);

/** Colour of a type as 0xRRGGBB (the QGIS styles' colours). */
unsigned map_type_rgb(int type);

/** Release cairo's and fontconfig's process-wide font caches so that leak
 *  checkers see a clean exit. Process-wide, like GDALDestroyDriverManager():
 *  call once, after the last map, just before exit (cli/cmd_map.c does). */
void map_library_cleanup(void);

#endif
