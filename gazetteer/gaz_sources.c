/* gaz_sources.c -- the gazetteer build's file readers: GeoNames dumps,
 * alternateNamesV2, admin1CodesASCII, country-state-city JSON, extra places
 * (CSV or any OGR vector file such as GeoJSON) and country polygons (OGR,
 * e.g. the world-atlas TopoJSON). Each reader streams its file (one line or
 * one feature in memory), reports malformed rows through gazp_reject() with
 * file:line and skips them, and fails on a missing or truncated file.
 * It does not decide the build order (gaz_build.c does). */
#include "gazp.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <strings.h>
#include <ogr_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cx_text.h"

#define PROGRESS_EVERY 50000L

static void progress(gazp_builder *b, const char *path, long rows, bool force)
{
    if (b->opts->progress && (force || rows % PROGRESS_EVERY == 0))
        b->opts->progress(b->opts->progress_ctx, path, rows);
}

static FILE *open_source(gazp_builder *b, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cx_err_set(b->err, CX_ENOTFOUND, path, 0, "source file not found");
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        cx_err_set(b->err, CX_EIO, path, 0, "source is not a regular file");
        return NULL;
    }
    if (st.st_size == 0) {
        cx_err_set(b->err, CX_EFORMAT, path, 0, "source file is empty");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        cx_err_set(b->err, CX_EIO, path, 0, "cannot open: %s", strerror(errno));
    return f;
}

/* Read one line; strips the newline (and a CR). *had_nl tells whether it
 * ended with one. Returns the length or -1 at EOF. */
static long read_line(FILE *f, char **line, size_t *cap, bool *had_nl)
{
    ssize_t n = getline(line, cap, f);
    if (n < 0)
        return -1;
    *had_nl = n > 0 && (*line)[n - 1] == '\n';
    if (*had_nl)
        (*line)[--n] = '\0';
    if (n > 0 && (*line)[n - 1] == '\r')
        (*line)[--n] = '\0';
    return (long)n;
}

static size_t split(char *s, char sep, char **fields, size_t max)
{
    size_t n = 0;
    fields[n++] = s;
    for (char *p = s; *p; p++) {
        if (*p == sep) {
            *p = '\0';
            if (n == max)
                return max + 1;
            fields[n++] = p + 1;
        }
    }
    return n;
}

static bool parse_double(const char *s, double *v)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    while (*end == ' ')
        end++;
    return errno == 0 && *end == '\0' && isfinite(*v);
}

static bool parse_long(const char *s, long long *v)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return errno == 0 && *end == '\0';
}

static bool valid_latlon(double lat, double lon)
{
    return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/* A source that ends mid-line with a malformed row was cut short. */
static int truncated(gazp_builder *b, const char *path, long line)
{
    return cx_err_set(b->err, CX_EFORMAT, path, line,
                      "truncated file: the last line is incomplete");
}

#define GN_FIELDS 19 /* columns of a GeoNames dump */

static bool seen_before(char *const *names, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (!strcmp(names[k], names[i]))
            return true;
    return false;
}

/* ===== Tab-separated sources: one driver, one row function each ===== */

/* One row of a source. Returns 1 for a valid row, 0 for a row to pass over
 * silently, or a negative CX_E* to stop the load; a malformed row writes its
 * reason into `why` (then the return value is ignored). */
typedef int (*row_fn)(gazp_builder *b, const char *path, long lineno, char *line, size_t n,
                      char *why, size_t why_size, void *ctx);

/* Stream `path` line by line through `fn`: a malformed row is rejected with
 * file:line (a malformed last line without a newline means a truncated file,
 * an error), a read error or a file without a single valid row is an error.
 * `label` goes to the meta table's sources. */
static int each_row(gazp_builder *b, const char *path, const char *label, const char *none,
                    row_fn fn, void *ctx)
{
    FILE *f = open_source(b, path);
    if (!f)
        return b->err ? b->err->code : CX_EIO;
    char *line = NULL, why[128];
    size_t cap = 0;
    long lineno = 0, valid = 0;
    bool nl = true;
    int rc = 0;
    long n;
    while (!rc && (n = read_line(f, &line, &cap, &nl)) >= 0) {
        lineno++;
        b->stats->rows_read++;
        progress(b, path, lineno, false);
        if (n == 0)
            continue;
        why[0] = '\0';
        int r = fn(b, path, lineno, line, (size_t)n, why, sizeof why, ctx);
        if (why[0]) {
            if (!nl)
                rc = truncated(b, path, lineno);
            else
                gazp_reject(b, path, lineno, "%s", why);
            continue;
        }
        if (r < 0)
            rc = r;
        else
            valid += r;
    }
    if (!rc && ferror(f))
        rc = cx_err_set(b->err, CX_EIO, path, lineno, "read error");
    if (!rc && valid == 0)
        rc = cx_err_set(b->err, CX_EFORMAT, path, 0, "%s", none);
    progress(b, path, lineno, true);
    if (!rc)
        gazp_note_source(b, path, label);
    free(line);
    fclose(f);
    return rc;
}

/* ===== GeoNames 19-column dumps ===== */

typedef struct alt_buf {
    char **alts;
    size_t cap;
} alt_buf;

static int geonames_row(gazp_builder *b, const char *path, long lineno, char *line, size_t n,
                        char *why, size_t why_size, void *ctx)
{
    alt_buf *ab = ctx;
    size_t bad;
    char *fl[GN_FIELDS + 1];
    if (!cx_utf8_valid(line, n, &bad)) {
        snprintf(why, why_size, "invalid UTF-8 at byte %zu", bad + 1);
        return 0;
    }
    size_t nf = split(line, '\t', fl, GN_FIELDS);
    long long gid, pop = 0;
    double lat, lon;
    const char *w = NULL;
    if (nf != GN_FIELDS)
        w = "expected 19 tab-separated columns";
    else if (!parse_long(fl[0], &gid) || gid <= 0)
        w = "bad geonameid";
    else if (!*fl[1])
        w = "empty name";
    else if (!parse_double(fl[4], &lat) || !parse_double(fl[5], &lon) || !valid_latlon(lat, lon))
        w = "bad latitude/longitude";
    else if (strlen(fl[6]) > 1 || strlen(fl[7]) > 10 || strlen(fl[8]) > 2)
        w = "bad feature class, code or country";
    else if (*fl[14] && (!parse_long(fl[14], &pop) || pop < 0))
        w = "bad population";
    if (w) {
        snprintf(why, why_size, "%s", w);
        return 0;
    }
    char src_id[48];
    snprintf(src_id, sizeof src_id, "geonames:%lld", gid);
    gazp_place p = {.src = "geonames",
                    .src_id = src_id,
                    .gid = gid,
                    .name = fl[1],
                    .fclass = fl[6],
                    .fcode = fl[7],
                    .kind = gazp_kind_of(fl[6], fl[7]),
                    .country = fl[8],
                    .admin1 = fl[10],
                    .admin1_name = NULL,
                    .population = (long)pop,
                    .radius_km = 0,
                    .lat = lat,
                    .lon = lon};
    long long id;
    int rc = gazp_add_place(b, &p, &id);
    if (rc)
        return rc;
    /* names: the main name, the ASCII name, the alternate names */
    size_t na = 0, need = 3;
    for (const char *q = fl[3]; *q; q++)
        need += *q == ',';
    if (need > ab->cap) {
        char **nv = realloc(ab->alts, need * sizeof *ab->alts);
        if (!nv)
            return cx_err_set(b->err, CX_ENOMEM, path, lineno, "out of memory");
        ab->alts = nv;
        ab->cap = need;
    }
    char **alts = ab->alts;
    alts[na++] = fl[1];
    alts[na++] = fl[2];
    if (*fl[3]) {
        char *s = fl[3];
        for (char *q = s;; q++) {
            if (*q == ',' || *q == '\0') {
                bool end = *q == '\0';
                *q = '\0';
                if (*s)
                    alts[na++] = s;
                if (end)
                    break;
                s = q + 1;
            }
        }
    }
    for (size_t i = 0; i < na && !rc; i++) {
        if (i > 0 && seen_before(alts, i))
            continue;
        int flags = i == 0 ? GAZP_NAME_MAIN : i == 1 ? GAZP_NAME_ASCII : 0;
        rc = gazp_add_name(b, id, alts[i], NULL, flags);
    }
    if (rc)
        return rc;
    b->stats->rows_kept++;
    return 1;
}

int gazp_load_geonames(gazp_builder *b, const char *path)
{
    alt_buf ab = {NULL, 0};
    int rc = each_row(b, path, "GeoNames",
                      "no valid GeoNames row (is this a 19-column GeoNames dump?)", geonames_row,
                      &ab);
    free(ab.alts);
    return rc;
}

/* ===== alternateNamesV2 ===== */

static bool is_code_lang(const char *lang)
{
    static const char *const skip[] = {"link", "post", "iata", "icao", "faac", "abbr",
                                       "wkdt", "unlc", "tcid", "fr_1793", NULL};
    for (size_t i = 0; skip[i]; i++)
        if (!strcmp(lang, skip[i]))
            return true;
    return false;
}

static int altnames_row(gazp_builder *b, const char *path, long lineno, char *line, size_t n,
                        char *why, size_t why_size, void *ctx)
{
    (void)path, (void)lineno, (void)n, (void)ctx;
    char *fl[11];
    size_t nf = split(line, '\t', fl, 10);
    long long aid, gid;
    const char *w = NULL;
    if (!cx_utf8_valid(line, strlen(line), NULL))
        w = "invalid UTF-8";
    else if (nf < 8 || nf > 10)
        w = "expected 8 to 10 tab-separated columns";
    else if (!parse_long(fl[0], &aid) || !parse_long(fl[1], &gid))
        w = "bad alternateNameId or geonameid";
    else if (!*fl[3])
        w = "empty name";
    if (w) {
        snprintf(why, why_size, "%s", w);
        return 0;
    }
    if (is_code_lang(fl[2]))
        return 1; /* valid, but a code, not a name */
    sqlite3_bind_int64(b->find_gid, 1, gid);
    int s = sqlite3_step(b->find_gid);
    long long id = s == SQLITE_ROW ? sqlite3_column_int64(b->find_gid, 0) : 0;
    sqlite3_reset(b->find_gid);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return gazp_db_error(b, "place by geonameid");
    if (!id)
        return 1; /* a place not in the loaded dumps */
    int flags = (!strcmp(fl[4], "1") ? GAZP_NAME_PREFERRED : 0) |
                (!strcmp(fl[5], "1") ? GAZP_NAME_SHORT : 0) |
                (!strcmp(fl[6], "1") ? GAZP_NAME_COLLOQUIAL : 0) |
                (!strcmp(fl[7], "1") ? GAZP_NAME_HISTORIC : 0);
    char lang[8];
    snprintf(lang, sizeof lang, "%s", fl[2]);
    int rc = gazp_add_name(b, id, fl[3], lang, flags);
    if (rc)
        return rc;
    b->stats->rows_kept++;
    return 1;
}

int gazp_load_altnames(gazp_builder *b, const char *path)
{
    return each_row(b, path, "GeoNames alternate names", "no valid alternate-name row",
                    altnames_row, NULL);
}

/* ===== admin1CodesASCII ===== */

static int admin1_row(gazp_builder *b, const char *path, long lineno, char *line, size_t n,
                      char *why, size_t why_size, void *ctx)
{
    (void)path, (void)lineno, (void)n, (void)ctx;
    char *fl[5];
    size_t nf = split(line, '\t', fl, 4);
    if (nf == 4 && !*fl[1])
        fl[1] = fl[2]; /* a few rows have only the ASCII name */
    if (nf != 4 || !strchr(fl[0], '.') || !*fl[1] || !cx_utf8_valid(fl[1], strlen(fl[1]), NULL)) {
        snprintf(why, why_size, "expected CC.code, name, asciiname, geonameid");
        return 0;
    }
    sqlite3_stmt *st = b->ins_admin1;
    sqlite3_bind_text(st, 1, fl[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fl[1], -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return gazp_db_error(b, "insert admin1");
    b->stats->rows_kept++;
    return 1;
}

int gazp_load_admin1(gazp_builder *b, const char *path)
{
    return each_row(b, path, "GeoNames admin-1 codes", "no valid admin-1 code row", admin1_row,
                    NULL);
}

/* ===== Merging a place into the gazetteer ===== */

/* Update a merged region-like place with curated values. */
static int update_region(gazp_builder *b, long long id, const gazp_place *p)
{
    if (!b->upd_place) {
        if (sqlite3_prepare_v2(b->db,
                               "UPDATE places SET kind = ?2, fcode = coalesce(?3, fcode),"
                               " radius_km = ?4, lat = ?5, lon = ?6,"
                               " geom = MakePoint(?6, ?5, 4326),"
                               " population = CASE WHEN ?7 > 0 THEN ?7 ELSE population END,"
                               " admin1_name = coalesce(?8, admin1_name)"
                               " WHERE id = ?1",
                               -1, &b->upd_place, NULL) != SQLITE_OK)
            return gazp_db_error(b, "prepare update");
    }
    sqlite3_stmt *st = b->upd_place;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, p->kind);
    if (p->fcode && *p->fcode)
        sqlite3_bind_text(st, 3, p->fcode, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_double(st, 4, p->radius_km);
    sqlite3_bind_double(st, 5, p->lat);
    sqlite3_bind_double(st, 6, p->lon);
    sqlite3_bind_int64(st, 7, p->population);
    if (p->admin1_name && *p->admin1_name)
        sqlite3_bind_text(st, 8, p->admin1_name, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 8);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    return s == SQLITE_DONE ? 0 : gazp_db_error(b, "update place");
}

typedef struct named {
    const char *name;
    const char *lang;
    int flags;
} named;

/* Add place `p` with names `nm` unless an existing place matches; then add
 * the names to whichever place it is. `override` lets the curated values of
 * region-like places replace the existing ones. */
static int merge_place(gazp_builder *b, const gazp_place *p, const named *nm, size_t n,
                       bool override, long long *id_out)
{
    const char *keys[64];
    size_t nk = 0;
    for (size_t i = 0; i < n && nk < 64; i++)
        keys[nk++] = nm[i].name;
    long long id = 0;
    double dist = 0;
    int rc = gazp_find_match(b, keys, nk, p->kind, p->country, p->lat, p->lon, p->radius_km,
                             &id, &dist);
    if (rc)
        return rc;
    if (id) {
        /* one entity, one place: the row's names join it, and its id is
         * kept as a link (links table). A curated settlement more than 5 km
         * away moves the place to its own point (GeoNames' "Hats'avan",
         * 8 km from Sisian, is Sisian with Sisian's population). */
        bool region = p->kind != CX_KIND_SETTLEMENT && p->kind != CX_KIND_OTHER &&
                      p->kind != CX_KIND_WATER;
        if (override && (region || (p->kind == CX_KIND_SETTLEMENT && dist > 5.0)))
            rc = update_region(b, id, p);
        if (!rc)
            rc = gazp_add_link(b, id, p->src_id);
        b->stats->merged++;
    } else {
        rc = gazp_add_place(b, p, &id);
    }
    for (size_t i = 0; i < n && !rc; i++)
        rc = gazp_add_name(b, id, nm[i].name, nm[i].lang, nm[i].flags);
    if (id_out)
        *id_out = id;
    return rc;
}

/* ===== country-state-city JSON ===== */

static const char *json_str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool json_coord(json_t *o, const char *k, double *v)
{
    json_t *j = json_object_get(o, k);
    if (json_is_number(j)) {
        *v = json_number_value(j);
        return true;
    }
    return json_is_string(j) && parse_double(json_string_value(j), v);
}

/* "Aragatsotn Region" -> "Aragatsotn" */
static void strip_admin_suffix(const char *name, char *out, size_t size)
{
    static const char *const suf[] = {" Region", " Province", " District", " Oblast",
                                      " Governorate", " County", " Rayon", " Prefecture",
                                      " Department", " Krai", " Municipality", " State",
                                      " Voivodeship", " Autonomous Republic", NULL};
    snprintf(out, size, "%s", name);
    size_t l = strlen(out);
    for (size_t i = 0; suf[i]; i++) {
        size_t s = strlen(suf[i]);
        if (l > s + 2 && !strcmp(out + l - s, suf[i])) {
            out[l - s] = '\0';
            return;
        }
    }
}

static json_t *load_json_array(gazp_builder *b, const char *path, int *rc)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *rc = cx_err_set(b->err, CX_ENOTFOUND, path, 0, "source file not found");
        return NULL;
    }
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        *rc = cx_err_set(b->err, CX_EFORMAT, path, je.line > 0 ? je.line : 0,
                         "bad or truncated JSON: %s", je.text);
        return NULL;
    }
    if (!json_is_array(root)) {
        json_decref(root);
        *rc = cx_err_set(b->err, CX_EFORMAT, path, 0, "expected a JSON array");
        return NULL;
    }
    return root;
}

static int load_countries_json(gazp_builder *b, const char *path)
{
    int rc = 0;
    json_t *root = load_json_array(b, path, &rc);
    if (!root)
        return rc;
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o)
    {
        b->stats->rows_read++;
        const char *name = json_str(o, "name"), *iso = json_str(o, "isoCode");
        double lat, lon;
        if (!name || !iso || strlen(iso) != 2 || !json_coord(o, "latitude", &lat) ||
            !json_coord(o, "longitude", &lon) || !valid_latlon(lat, lon)) {
            gazp_reject(b, path, (long)i + 1, "country entry %zu: missing name, code or "
                                               "coordinates", i + 1);
            continue;
        }
        char src_id[48];
        snprintf(src_id, sizeof src_id, "csc:%s", iso);
        gazp_place p = {.src = "csc", .src_id = src_id, .name = name, .fclass = "A",
                        .fcode = "PCLI", .kind = CX_KIND_COUNTRY, .country = iso,
                        .radius_km = GAZP_COUNTRY_RADIUS_KM, .lat = lat, .lon = lon};
        named nm[1] = {{name, NULL, GAZP_NAME_MAIN}};
        rc = merge_place(b, &p, nm, 1, false, NULL);
        if (rc)
            break;
        b->stats->rows_kept++;
    }
    json_decref(root);
    if (!rc)
        gazp_note_source(b, path, "country-state-city countries");
    return rc;
}

int gazp_load_states(gazp_builder *b, const char *path, const char *countries_json)
{
    int rc = 0;
    if (countries_json)
        rc = load_countries_json(b, countries_json);
    if (rc || !path)
        return rc;
    json_t *root = load_json_array(b, path, &rc);
    if (!root)
        return rc;
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o)
    {
        b->stats->rows_read++;
        const char *name = json_str(o, "name"), *iso = json_str(o, "isoCode"),
                   *cc = json_str(o, "countryCode");
        double lat, lon;
        if (!name || !*name || !iso || !cc || strlen(cc) != 2) {
            gazp_reject(b, path, (long)i + 1, "state entry %zu: missing name or codes", i + 1);
            continue;
        }
        if (!json_coord(o, "latitude", &lat) || !json_coord(o, "longitude", &lon) ||
            !valid_latlon(lat, lon)) {
            /* a handful of entries have null coordinates: nothing to place */
            gazp_reject(b, path, (long)i + 1, "state entry %zu (%s): no coordinates", i + 1,
                        name);
            continue;
        }
        char src_id[48], shortname[128];
        snprintf(src_id, sizeof src_id, "csc:%s-%s", cc, iso);
        strip_admin_suffix(name, shortname, sizeof shortname);
        gazp_place p = {.src = "csc", .src_id = src_id, .name = name, .fclass = "A",
                        .fcode = "ADM1", .kind = CX_KIND_ADMIN1, .country = cc,
                        .admin1_name = shortname, .radius_km = GAZP_ADMIN1_RADIUS_KM,
                        .lat = lat, .lon = lon};
        named nm[2] = {{name, NULL, GAZP_NAME_MAIN}, {shortname, NULL, GAZP_NAME_SHORT}};
        rc = merge_place(b, &p, nm, strcmp(name, shortname) ? 2 : 1, false, NULL);
        if (rc)
            break;
        b->stats->rows_kept++;
    }
    json_decref(root);
    if (!rc)
        gazp_note_source(b, path, "country-state-city admin-1");
    return rc;
}

/* ===== Extra places: CSV or OGR (GeoJSON) ===== */

enum {
    X_NAME, X_ALT, X_LAT, X_LON, X_KIND, X_FCODE, X_COUNTRY, X_ADMIN1, X_POP, X_RADIUS,
    X_ID, X_NFIELDS
};
static const char *const x_field_names[X_NFIELDS] = {
    "name", "alt_names", "lat", "lon", "kind", "fcode", "country", "admin1", "population",
    "radius_km", "id"};

#define X_MAX_LANGS 16
#define X_MAX_COLS 64

/* Which source column feeds which field: indices into the header, -1 none. */
typedef struct xmap {
    int col[X_NFIELDS];
    int lang_col[X_MAX_LANGS];
    char lang[X_MAX_LANGS][8];
    size_t n_langs;
} xmap;

/* The source column for our field `ours` (e.g. "name:fr"): the first entry
 * "ours=theirs" of the user's mapping whose column the header has, else a
 * column named `ours` itself, else -1. A field may be mapped several times
 * ("name=locality_en,name=shapeName") so that one mapping serves files with
 * different headers. */
static int find_col(char *const *hdr, size_t nh, const char *name)
{
    for (size_t i = 0; i < nh; i++)
        if (hdr[i] && !strcmp(hdr[i], name))
            return (int)i;
    return -1;
}

static int resolve_col(const char *columns, const char *ours, char *const *hdr, size_t nh)
{
    size_t ol = strlen(ours);
    const char *p = columns;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', l);
        if (eq && (size_t)(eq - p) == ol && !memcmp(p, ours, ol)) {
            char theirs[128];
            snprintf(theirs, sizeof theirs, "%.*s", (int)(l - ol - 1), eq + 1);
            int c = find_col(hdr, nh, theirs);
            if (c >= 0)
                return c;
        }
        p += l + (end ? 1 : 0);
    }
    return find_col(hdr, nh, ours);
}

/* A malformed mapping is an error; a needed field whose mapped column this
 * file lacks is a warning (the mapping may be meant for another --extra
 * file; the row checks then report what is missing). */
static int check_mapping(gazp_builder *b, const char *path, const char *columns,
                         char *const *hdr, size_t nh, bool has_geom)
{
    const char *p = columns;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', l);
        if (!eq || eq == p || (size_t)(eq - p) + 1 == l)
            return cx_err_set(b->err, CX_EINVAL, NULL, 0,
                              "--extra-columns: \"%.*s\" is not FIELD=COLUMN", (int)l, p);
        char theirs[128];
        snprintf(theirs, sizeof theirs, "%.*s", (int)(l - (size_t)(eq - p) - 1), eq + 1);
        char ours[64];
        snprintf(ours, sizeof ours, "%.*s", (int)(eq - p), p);
        /* only the fields a row needs: name, and lat/lon unless geometry */
        bool needed = !strcmp(ours, "name") ||
                      (!has_geom && (!strcmp(ours, "lat") || !strcmp(ours, "lon")));
        if (needed && find_col(hdr, nh, theirs) < 0 &&
            resolve_col(columns, ours, hdr, nh) < 0 && b->opts->warn) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     "--extra-columns: no column \"%s\" (for %s) in this file; ignored",
                     theirs, ours);
            b->opts->warn(b->opts->warn_ctx, path, 1, msg);
        }
        p += l + (end ? 1 : 0);
    }
    return 0;
}

static void build_map(const char *columns, char *const *hdr, size_t nh, xmap *m)
{
    memset(m, 0, sizeof *m);
    for (int f = 0; f < X_NFIELDS; f++)
        m->col[f] = resolve_col(columns, x_field_names[f], hdr, nh);
    /* name:LL columns: in the header, or in the mapping */
    for (size_t i = 0; i < nh && m->n_langs < X_MAX_LANGS; i++) {
        if (hdr[i] && !strncmp(hdr[i], "name:", 5) && strlen(hdr[i]) < 5 + 8) {
            snprintf(m->lang[m->n_langs], sizeof m->lang[0], "%s", hdr[i] + 5);
            m->lang_col[m->n_langs++] = (int)i;
        }
    }
    const char *p = columns;
    while (p && *p && m->n_langs < X_MAX_LANGS) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', l);
        if (eq && eq - p > 5 && eq - p < 5 + 8 && !strncmp(p, "name:", 5)) {
            char theirs[128];
            snprintf(theirs, sizeof theirs, "%.*s", (int)(l - (size_t)(eq - p) - 1), eq + 1);
            int c = find_col(hdr, nh, theirs);
            if (c >= 0) {
                snprintf(m->lang[m->n_langs], sizeof m->lang[0], "%.*s", (int)(eq - p - 5),
                         p + 5);
                m->lang_col[m->n_langs++] = c;
            }
        }
        p += l + (end ? 1 : 0);
    }
}

static int parse_kind(const char *s, const char *fcode)
{
    static const char *const names[] = {"settlement", "admin1", "admin2", "region",
                                        "country",    "water",  "other"};
    if (s && *s) {
        for (int i = 0; i < 7; i++)
            if (!strcmp(s, names[i]))
                return i;
        if (s[0] >= '0' && s[0] <= '6' && !s[1])
            return s[0] - '0';
        return -1;
    }
    if (fcode && *fcode) {
        if (!strncmp(fcode, "PPL", 3))
            return CX_KIND_SETTLEMENT;
        if (!strcmp(fcode, "ADM1"))
            return CX_KIND_ADMIN1;
        if (!strcmp(fcode, "ADM2"))
            return CX_KIND_ADMIN2;
        if (!strncmp(fcode, "PCL", 3))
            return CX_KIND_COUNTRY;
        if (!strcmp(fcode, "LK") || !strcmp(fcode, "STM") || !strcmp(fcode, "RSV"))
            return CX_KIND_WATER;
    }
    return CX_KIND_SETTLEMENT;
}

static const char *fclass_of_kind(int kind)
{
    switch (kind) {
    case CX_KIND_SETTLEMENT: return "P";
    case CX_KIND_WATER: return "H";
    case CX_KIND_OTHER: return "";
    default: return "A";
    }
}

/* One extra row: `v[f]` the values of our fields ("" when absent). */
static int add_extra_row(gazp_builder *b, const char *path, long line, const char *const *v,
                         const xmap *m, char *const *cols, bool curated,
                         const unsigned char *wkb, size_t wkb_len, double glat, double glon,
                         double grad)
{
    double lat = glat, lon = glon, radius = grad;
    long long pop = 0;
    const char *name = v[X_NAME];
    if (!*name) /* fall back on the first language name */
        for (size_t i = 0; i < m->n_langs && !*name; i++)
            name = cols[m->lang_col[i]];
    if (!*name) {
        gazp_reject(b, path, line, "no name");
        return 0;
    }
    if (!cx_utf8_valid(name, strlen(name), NULL)) {
        gazp_reject(b, path, line, "invalid UTF-8");
        return 0;
    }
    if (!wkb && (!parse_double(v[X_LAT], &lat) || !parse_double(v[X_LON], &lon) ||
                 !valid_latlon(lat, lon))) {
        gazp_reject(b, path, line, "bad or missing lat/lon for \"%s\"", name);
        return 0;
    }
    if (*v[X_POP] && (!parse_long(v[X_POP], &pop) || pop < 0)) {
        gazp_reject(b, path, line, "bad population \"%s\"", v[X_POP]);
        return 0;
    }
    if (*v[X_RADIUS] && (!parse_double(v[X_RADIUS], &radius) || radius < 0)) {
        gazp_reject(b, path, line, "bad radius_km \"%s\"", v[X_RADIUS]);
        return 0;
    }
    int kind = parse_kind(v[X_KIND], v[X_FCODE]);
    if (wkb && !*v[X_KIND] && !*v[X_FCODE])
        kind = CX_KIND_REGION; /* a polygon without kind or code */
    if (kind < 0) {
        gazp_reject(b, path, line, "unknown kind \"%s\"", v[X_KIND]);
        return 0;
    }
    if (*v[X_COUNTRY] && strlen(v[X_COUNTRY]) != 2) {
        gazp_reject(b, path, line, "country \"%s\" is not an ISO alpha-2 code", v[X_COUNTRY]);
        return 0;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char src_id[48];
    if (*v[X_ID])
        snprintf(src_id, sizeof src_id, "%s:%s", curated ? "incimap" : "extra", v[X_ID]);
    else
        snprintf(src_id, sizeof src_id, "%.24s:%ld", base, line);

    named nm[X_MAX_LANGS + 40];
    size_t n = 0;
    nm[n++] = (named){name, NULL, GAZP_NAME_MAIN | GAZP_NAME_PREFERRED};
    for (size_t i = 0; i < m->n_langs; i++) {
        const char *s = cols[m->lang_col[i]];
        if (*s && cx_utf8_valid(s, strlen(s), NULL))
            nm[n++] = (named){s, m->lang[i], GAZP_NAME_PREFERRED | GAZP_NAME_CURATED};
    }
    /* alt_names: "|"-separated, split in place (the buffer is ours) */
    char *alt = (char *)(uintptr_t)v[X_ALT];
    while (alt && *alt && n < sizeof nm / sizeof nm[0]) {
        char *bar = strchr(alt, '|');
        if (bar)
            *bar = '\0';
        while (*alt == ' ')
            alt++;
        size_t l = strlen(alt);
        while (l && alt[l - 1] == ' ')
            alt[--l] = '\0';
        if (*alt && cx_utf8_valid(alt, l, NULL))
            nm[n++] = (named){alt, NULL, 0};
        alt = bar ? bar + 1 : NULL;
    }
    gazp_place p = {.src = curated ? "incimap" : "extra",
                    .src_id = src_id,
                    .name = name,
                    .fclass = fclass_of_kind(kind),
                    .fcode = v[X_FCODE],
                    .kind = kind,
                    .country = v[X_COUNTRY],
                    .admin1_name = *v[X_ADMIN1] ? v[X_ADMIN1] : NULL,
                    .population = (long)pop,
                    .radius_km = radius,
                    .lat = lat,
                    .lon = lon};
    long long id;
    int rc = merge_place(b, &p, nm, n, true, &id);
    if (!rc && wkb)
        rc = gazp_add_region(b, id, p.country, name, kind, wkb, wkb_len);
    if (!rc)
        b->stats->rows_kept++;
    return rc;
}

/* Read one CSV record (RFC 4180: quoted fields may hold commas, "" and
 * newlines) into `rec`, splitting it into `cols` (pointers into rec). */
static long read_csv_record(FILE *f, cx_buf *rec, char **cols, size_t *ncols, long *lineno,
                            bool *had_nl, int *err)
{
    cx_buf_reset(rec);
    *ncols = 0;
    *err = 0;
    int c;
    bool inq = false, any = false;
    size_t start = 0;
    /* offsets first: the buffer may move while growing */
    size_t offs[X_MAX_COLS];
    size_t nc = 0;
    *had_nl = false;
    while ((c = getc(f)) != EOF) {
        any = true;
        if (inq) {
            if (c == '"') {
                int d = getc(f);
                if (d == '"') {
                    if (cx_buf_putc(rec, '"'))
                        return *err = CX_ENOMEM, -1;
                    continue;
                }
                inq = false;
                if (d == EOF)
                    break;
                c = d;
            } else {
                if (c == '\n')
                    (*lineno)++;
                if (cx_buf_putc(rec, (char)c))
                    return *err = CX_ENOMEM, -1;
                continue;
            }
        }
        if (c == '"' && rec->len == start) {
            inq = true;
            continue;
        }
        if (c == '\r')
            continue;
        if (c == ',' || c == '\n') {
            if (nc < X_MAX_COLS)
                offs[nc++] = start;
            if (cx_buf_putc(rec, '\0'))
                return *err = CX_ENOMEM, -1;
            start = rec->len;
            if (c == '\n') {
                *had_nl = true;
                (*lineno)++;
                break;
            }
            continue;
        }
        if (cx_buf_putc(rec, (char)c))
            return *err = CX_ENOMEM, -1;
    }
    if (!any)
        return -1;
    if (!*had_nl) {
        if (inq)
            *err = CX_EFORMAT; /* unterminated quote at EOF */
        if (nc < X_MAX_COLS)
            offs[nc++] = start;
        if (cx_buf_putc(rec, '\0'))
            return *err = CX_ENOMEM, -1;
    }
    for (size_t i = 0; i < nc; i++)
        cols[i] = rec->data + offs[i];
    *ncols = nc;
    return (long)nc;
}

static int load_extra_csv(gazp_builder *b, const char *path, const char *columns, bool curated)
{
    FILE *f = open_source(b, path);
    if (!f)
        return b->err ? b->err->code : CX_EIO;
    cx_buf rec = CX_BUF_INIT, hrec = CX_BUF_INIT;
    char *hdr[X_MAX_COLS], *cols[X_MAX_COLS];
    size_t nh = 0, nc;
    long lineno = 0, rec_line;
    bool nl;
    int perr, rc = 0;
    if (read_csv_record(f, &hrec, hdr, &nh, &lineno, &nl, &perr) < 0 || nh < 2) {
        rc = cx_err_set(b->err, perr == CX_ENOMEM ? CX_ENOMEM : CX_EFORMAT, path, 1,
                        "no CSV header line");
        goto done;
    }
    /* a UTF-8 BOM on the first column name */
    if (!strncmp(hdr[0], "\xEF\xBB\xBF", 3))
        hdr[0] += 3;
    rc = check_mapping(b, path, columns, hdr, nh, false);
    if (rc)
        goto done;
    xmap m;
    build_map(columns, hdr, nh, &m);
    if ((m.col[X_NAME] < 0 && m.n_langs == 0) || m.col[X_LAT] < 0 || m.col[X_LON] < 0) {
        rc = cx_err_set(b->err, CX_EFORMAT, path, 1,
                        "the header needs name (or name:LL), lat and lon columns "
                        "(map yours with --extra-columns)");
        goto done;
    }
    long kept_before = b->stats->rows_kept;
    for (;;) {
        rec_line = lineno + 1;
        if (read_csv_record(f, &rec, cols, &nc, &lineno, &nl, &perr) < 0) {
            if (perr == CX_ENOMEM)
                rc = cx_err_set(b->err, CX_ENOMEM, path, rec_line, "out of memory");
            break;
        }
        if (nc == 1 && !*cols[0])
            continue; /* blank line */
        b->stats->rows_read++;
        if (perr == CX_EFORMAT || (!nl && nc != nh)) {
            rc = truncated(b, path, rec_line);
            break;
        }
        if (nc != nh) {
            gazp_reject(b, path, rec_line, "%zu columns, the header has %zu", nc, nh);
            continue;
        }
        const char *v[X_NFIELDS];
        for (int k = 0; k < X_NFIELDS; k++)
            v[k] = m.col[k] >= 0 ? cols[m.col[k]] : "";
        rc = add_extra_row(b, path, rec_line, v, &m, cols, curated, NULL, 0, 0, 0, 0);
        if (rc)
            break;
    }
    if (!rc && b->stats->rows_kept == kept_before)
        rc = cx_err_set(b->err, CX_EFORMAT, path, 0, "no valid row in the extra file");
done:
    if (!rc)
        gazp_note_source(b, path, curated ? "incimap regional supplement" : "extra places");
    cx_buf_free(&rec);
    cx_buf_free(&hrec);
    fclose(f);
    return rc;
}

static int load_extra_ogr(gazp_builder *b, const char *path, const char *columns, bool curated)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRDataSourceH ds = OGROpen(path, FALSE, NULL);
    CPLPopErrorHandler();
    if (!ds)
        return cx_err_set(b->err, CX_EFORMAT, path, 0, "cannot read as a vector file: %s",
                          CPLGetLastErrorMsg());
    int rc = 0;
    OGRLayerH lyr = OGR_DS_GetLayer(ds, 0);
    OGRFeatureDefnH defn = lyr ? OGR_L_GetLayerDefn(lyr) : NULL;
    int nf = defn ? OGR_FD_GetFieldCount(defn) : 0;
    char *hdr[X_MAX_COLS] = {NULL};
    char *cols[X_MAX_COLS] = {NULL};
    size_t nh = 0;
    for (int i = 0; i < nf && nh < X_MAX_COLS; i++)
        hdr[nh++] = (char *)(uintptr_t)OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    rc = check_mapping(b, path, columns, hdr, nh, true);
    xmap m;
    build_map(columns, hdr, nh, &m);
    long kept_before = b->stats->rows_kept;
    OGRFeatureH feat;
    long line = 0;
    cx_buf vals = CX_BUF_INIT;
    while (!rc && lyr && (feat = OGR_L_GetNextFeature(lyr)) != NULL) {
        line++;
        b->stats->rows_read++;
        /* copy the values: the alt_names splitter writes into them */
        size_t offs[X_MAX_COLS];
        cx_buf_reset(&vals);
        for (size_t i = 0; i < nh && !rc; i++) {
            offs[i] = vals.len;
            const char *s = OGR_F_IsFieldSetAndNotNull(feat, (int)i)
                                ? OGR_F_GetFieldAsString(feat, (int)i)
                                : "";
            if (cx_buf_puts(&vals, s) || cx_buf_putc(&vals, '\0'))
                rc = cx_err_set(b->err, CX_ENOMEM, path, line, "out of memory");
        }
        if (rc) {
            OGR_F_Destroy(feat);
            break;
        }
        for (size_t i = 0; i < nh; i++)
            cols[i] = vals.data + offs[i];
        const char *v[X_NFIELDS];
        for (int k = 0; k < X_NFIELDS; k++)
            v[k] = m.col[k] >= 0 ? cols[m.col[k]] : "";
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        if (!g || OGR_G_IsEmpty(g)) {
            gazp_reject(b, path, line, "feature %ld has no geometry", line);
            OGR_F_Destroy(feat);
            continue;
        }
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
        char latb[32], lonb[32];
        if (t == wkbPoint) {
            snprintf(latb, sizeof latb, "%.7f", OGR_G_GetY(g, 0));
            snprintf(lonb, sizeof lonb, "%.7f", OGR_G_GetX(g, 0));
            v[X_LAT] = latb;
            v[X_LON] = lonb;
            rc = add_extra_row(b, path, line, v, &m, cols, curated, NULL, 0, 0, 0, 0);
        } else if (t == wkbPolygon || t == wkbMultiPolygon) {
            OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
            OGREnvelope env;
            OGR_G_GetEnvelope(g, &env);
            if (!c || OGR_G_Centroid(g, c) != OGRERR_NONE) {
                gazp_reject(b, path, line, "feature %ld: no centroid", line);
            } else {
                double clat = OGR_G_GetY(c, 0), clon = OGR_G_GetX(c, 0);
                double rad = 0.5 * fmax((env.MaxY - env.MinY) * 111.0,
                                        (env.MaxX - env.MinX) * 111.0 *
                                            cos(clat * 3.14159265358979 / 180.0));
                size_t sz = (size_t)OGR_G_WkbSize(g);
                unsigned char *wkb = malloc(sz ? sz : 1);
                if (!wkb)
                    rc = cx_err_set(b->err, CX_ENOMEM, path, line, "out of memory");
                else if (OGR_G_ExportToWkb(g, wkbNDR, wkb) != OGRERR_NONE)
                    gazp_reject(b, path, line, "feature %ld: cannot export geometry", line);
                else
                    rc = add_extra_row(b, path, line, v, &m, cols, curated, wkb, sz, clat,
                                       clon, rad);
                free(wkb);
            }
            OGR_G_DestroyGeometry(c);
        } else {
            gazp_reject(b, path, line, "feature %ld: geometry is neither point nor polygon",
                        line);
        }
        OGR_F_Destroy(feat);
    }
    cx_buf_free(&vals);
    OGR_DS_Destroy(ds);
    if (!rc && b->stats->rows_kept == kept_before)
        rc = cx_err_set(b->err, CX_EFORMAT, path, 0, "no valid feature in the extra file");
    if (!rc)
        gazp_note_source(b, path, curated ? "incimap regional supplement" : "extra places");
    return rc;
}

int gazp_load_extra(gazp_builder *b, const char *path, const char *columns)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cx_err_set(b->err, CX_ENOTFOUND, path, 0, "source file not found");
    size_t l = strlen(path);
    bool curated = columns == NULL && b->opts->data_dir &&
                   !strncmp(path, b->opts->data_dir, strlen(b->opts->data_dir));
    if (l > 4 && !strcasecmp(path + l - 4, ".csv"))
        return load_extra_csv(b, path, columns, curated);
    return load_extra_ogr(b, path, columns, curated);
}

/* ===== Country polygons and country-by-geometry ===== */

typedef struct country_poly {
    char cc[3];
    bool valid;  /* GEOS-valid: world-atlas's Russia and Fiji cross the antimeridian and are not */
    OGREnvelope env;
    OGRPreparedGeometryH prep;
    OGRGeometryH geom;
} country_poly;

typedef struct country_set {
    country_poly *v;
    size_t n, cap;
    OGRGeometryH pt; /* reused query point */
} country_set;

/* The numeric -> alpha-2 table (data/regional/iso3166-numeric.tsv). */
static void iso_lookup(const char *table, const char *id, const char *name, char cc[3])
{
    cc[0] = '\0';
    if (!table)
        return;
    FILE *f = fopen(table, "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *fl[4];
        if (split(line, '\t', fl, 3) != 3)
            continue;
        bool hit = (id && *id && strcmp(fl[0], "-") && atoi(fl[0]) == atoi(id)) ||
                   (name && !strcmp(fl[0], "-") && !strcmp(fl[2], name));
        if (hit && strlen(fl[1]) == 2) {
            memcpy(cc, fl[1], 3);
            break;
        }
    }
    fclose(f);
}

static void country_code_of(OGRFeatureH feat, const char *iso_table, char cc[3])
{
    cc[0] = '\0';
    static const char *const a2_fields[] = {"iso_a2", "ISO_A2", "iso2", "ISO2", "iso_a2_eh",
                                            "country", NULL};
    for (size_t i = 0; a2_fields[i]; i++) {
        int k = OGR_F_GetFieldIndex(feat, a2_fields[i]);
        if (k >= 0 && OGR_F_IsFieldSetAndNotNull(feat, k)) {
            const char *s = OGR_F_GetFieldAsString(feat, k);
            if (strlen(s) == 2 && isupper((unsigned char)s[0])) {
                memcpy(cc, s, 3);
                return;
            }
        }
    }
    int ki = OGR_F_GetFieldIndex(feat, "id"), kn = OGR_F_GetFieldIndex(feat, "name");
    const char *id = ki >= 0 && OGR_F_IsFieldSetAndNotNull(feat, ki)
                         ? OGR_F_GetFieldAsString(feat, ki)
                         : NULL;
    const char *name = kn >= 0 && OGR_F_IsFieldSetAndNotNull(feat, kn)
                           ? OGR_F_GetFieldAsString(feat, kn)
                           : NULL;
    iso_lookup(iso_table, id, name, cc);
}

static const char *countries_find(country_set *cs, double lat, double lon)
{
    for (size_t i = 0; i < cs->n; i++) {
        const country_poly *c = &cs->v[i];
        if (lon < c->env.MinX || lon > c->env.MaxX || lat < c->env.MinY || lat > c->env.MaxY)
            continue;
        OGR_G_SetPoint_2D(cs->pt, 0, lon, lat);
        if (c->prep ? OGRPreparedGeometryContains(c->prep, cs->pt)
                    : OGR_G_Contains(c->geom, cs->pt))
            return c->cc;
    }
    return NULL;
}

static void sql_country_of(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    country_set *cs = sqlite3_user_data(ctx);
    const char *cc = countries_find(cs, sqlite3_value_double(argv[0]),
                                    sqlite3_value_double(argv[1]));
    if (cc)
        sqlite3_result_text(ctx, cc, 2, SQLITE_STATIC);
    else
        sqlite3_result_null(ctx);
}

static void countries_free(country_set *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        if (cs->v[i].prep)
            OGRDestroyPreparedGeometry(cs->v[i].prep);
        OGR_G_DestroyGeometry(cs->v[i].geom);
    }
    free(cs->v);
    OGR_G_DestroyGeometry(cs->pt);
}

/* ===== Admin-1 centres outside their own country ===== */

/* Territories that the country polygons draw apart from their sovereign (or
 * de facto held by another state): an admin-1 row of the first country whose
 * point lies in the second is where it should be. */
static const char *const territories[][2] = {
    {"US", "PR"}, {"US", "VI"}, {"US", "GU"}, {"US", "AS"}, {"US", "MP"}, {"US", "UM"},
    {"FR", "MF"}, {"FR", "BL"}, {"FR", "PM"}, {"FR", "WF"}, {"FR", "PF"}, {"FR", "NC"},
    {"FR", "TF"}, {"FR", "RE"}, {"FR", "GP"}, {"FR", "MQ"}, {"FR", "GF"}, {"FR", "YT"},
    {"GB", "GG"}, {"GB", "JE"}, {"GB", "IM"}, {"GB", "GI"}, {"GB", "BM"}, {"GB", "KY"},
    {"GB", "VG"}, {"GB", "TC"}, {"GB", "MS"}, {"GB", "AI"}, {"GB", "FK"}, {"GB", "SH"},
    {"GB", "PN"}, {"GB", "IO"}, {"GB", "GS"}, {"NL", "AW"}, {"NL", "CW"}, {"NL", "SX"},
    {"NL", "BQ"}, {"DK", "GL"}, {"DK", "FO"}, {"NO", "SJ"}, {"AU", "CX"}, {"AU", "CC"},
    {"AU", "NF"}, {"AU", "HM"}, {"NZ", "CK"}, {"NZ", "NU"}, {"NZ", "TK"}, {"CN", "HK"},
    {"CN", "MO"}, {"FI", "AX"}, {"UA", "RU"}, {"MA", "EH"}, {"RS", "XK"}, {"CY", "CN"},
};

static bool is_territory(const char *cc, const char *geo)
{
    for (size_t i = 0; i < sizeof territories / sizeof territories[0]; i++)
        if (!strcmp(cc, territories[i][0]) && !strcmp(geo, territories[i][1]))
            return true;
    return false;
}

/* Is the point within `km` of a polygon of country `cc`? The point and rings
 * of points around it (every 22.5 degrees, at a quarter, half, three
 * quarters and all of `km`) are tested for containment: no polygon narrower
 * than the gaps between them is missed near the coasts that matter here. */
static bool country_near(country_set *cs, const char *cc, double lat, double lon, double km)
{
    const double d2r = 3.14159265358979323846 / 180.0;
    double coslat = cos(lat * d2r);
    if (coslat < 0.05)
        coslat = 0.05;
    for (int ring = 0; ring <= 4; ring++) {
        double r = km * ring / 4.0;
        for (int k = 0; k < (ring ? 16 : 1); k++) {
            double th = k * 22.5 * d2r;
            double plat = lat + r / 111.32 * cos(th);
            double plon = lon + r / (111.32 * coslat) * sin(th);
            for (size_t i = 0; i < cs->n; i++) {
                const country_poly *c = &cs->v[i];
                if (strcmp(c->cc, cc) || plon < c->env.MinX || plon > c->env.MaxX ||
                    plat < c->env.MinY || plat > c->env.MaxY)
                    continue;
                if (!c->valid)
                    return true; /* containment is not to be trusted: keep the row */
                OGR_G_SetPoint_2D(cs->pt, 0, plon, plat);
                if (c->prep ? OGRPreparedGeometryContains(c->prep, cs->pt)
                            : OGR_G_Contains(c->geom, cs->pt))
                    return true;
            }
        }
    }
    return false;
}

typedef struct outside_row {
    long long id;
    char cc[3], geo[3];
    double lat, lon;
} outside_row;

/* country-state-city gives some admin-1 centres on another continent
 * ("Aghjabadi District" AZ at 28.79N 77.52E, in India). Such a row is
 * repaired when another source has the same entity (a region-like place of
 * the same country, inside it, sharing a name): its names and id move there.
 * Else it is dropped. Counted in stats->outside_repaired / _dropped. */
static int repair_outside(gazp_builder *b, country_set *cs, const char *path)
{
    sqlite3_stmt *sel = NULL, *other = NULL, *move = NULL, *del_names = NULL,
                 *del_place = NULL, *srcid = NULL;
    outside_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (sqlite3_prepare_v2(b->db,
                           "SELECT id, country, coalesce(geo_country, ''), lat, lon FROM places"
                           " WHERE src = 'csc' AND kind IN (1, 2)"
                           " AND (geo_country IS NULL OR geo_country <> country)",
                           -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db,
                           "SELECT p.id FROM names a JOIN names o ON o.key = a.key"
                           " JOIN places p ON p.id = o.place_id"
                           " WHERE a.place_id = ?1 AND p.id <> ?1 AND p.country = ?2"
                           " AND p.geo_country = p.country AND p.kind IN (1, 2, 3)"
                           " ORDER BY p.src = 'csc', p.src <> 'incimap', p.kind, p.id LIMIT 1",
                           -1, &other, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db,
                           "INSERT INTO names(place_id, name, lang, flags, key, tkey)"
                           " SELECT ?2, a.name, a.lang, a.flags & ~1, a.key, a.tkey"
                           " FROM names a WHERE a.place_id = ?1 AND NOT EXISTS (SELECT 1"
                           " FROM names o WHERE o.place_id = ?2 AND o.key = a.key"
                           " AND coalesce(o.lang, '') = coalesce(a.lang, ''))",
                           -1, &move, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db, "DELETE FROM names WHERE place_id = ?1", -1, &del_names,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db, "DELETE FROM places WHERE id = ?1", -1, &del_place,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db,
                           "INSERT INTO links(place_id, src_id) SELECT ?2, src_id FROM places"
                           " WHERE id = ?1 UNION ALL SELECT ?2, src_id FROM links"
                           " WHERE place_id = ?1",
                           -1, &srcid, NULL) != SQLITE_OK) {
        rc = cx_err_set(b->err, CX_EDB, path, 0, "places outside their country: %s",
                        sqlite3_errmsg(b->db));
        goto done;
    }
    int s;
    while ((s = sqlite3_step(sel)) == SQLITE_ROW) {
        outside_row r;
        r.id = sqlite3_column_int64(sel, 0);
        const unsigned char *cc = sqlite3_column_text(sel, 1), *geo = sqlite3_column_text(sel, 2);
        cx_str_copy(r.cc, sizeof r.cc, cc ? (const char *)cc : "");
        cx_str_copy(r.geo, sizeof r.geo, geo ? (const char *)geo : "");
        r.lat = sqlite3_column_double(sel, 3);
        r.lon = sqlite3_column_double(sel, 4);
        if (!r.cc[0] || (r.geo[0] && is_territory(r.cc, r.geo)) ||
            country_near(cs, r.cc, r.lat, r.lon, GAZP_OUTSIDE_TOLERANCE_KM))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            outside_row *nv = realloc(rows, nc * sizeof *nv);
            if (!nv) {
                rc = cx_err_set(b->err, CX_ENOMEM, path, 0, "out of memory");
                goto done;
            }
            rows = nv;
            cap = nc;
        }
        rows[n++] = r;
    }
    if (s != SQLITE_DONE) {
        rc = gazp_db_error(b, "places outside their country");
        goto done;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(other, 1, rows[i].id);
        sqlite3_bind_text(other, 2, rows[i].cc, -1, SQLITE_STATIC);
        s = sqlite3_step(other);
        long long to = s == SQLITE_ROW ? sqlite3_column_int64(other, 0) : 0;
        sqlite3_reset(other);
        if (s != SQLITE_ROW && s != SQLITE_DONE) {
            rc = gazp_db_error(b, "place of the same entity");
            break;
        }
        if (to) {
            sqlite3_bind_int64(move, 1, rows[i].id);
            sqlite3_bind_int64(move, 2, to);
            sqlite3_bind_int64(srcid, 1, rows[i].id);
            sqlite3_bind_int64(srcid, 2, to);
            if (sqlite3_step(move) != SQLITE_DONE || sqlite3_step(srcid) != SQLITE_DONE)
                rc = gazp_db_error(b, "moving names");
            sqlite3_reset(move);
            sqlite3_reset(srcid);
            b->stats->outside_repaired++;
        } else {
            b->stats->outside_dropped++;
        }
        sqlite3_bind_int64(del_names, 1, rows[i].id);
        sqlite3_bind_int64(del_place, 1, rows[i].id);
        if (!rc && (sqlite3_step(del_names) != SQLITE_DONE ||
                    sqlite3_step(del_place) != SQLITE_DONE))
            rc = gazp_db_error(b, "dropping a place outside its country");
        sqlite3_reset(del_names);
        sqlite3_reset(del_place);
    }
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(other);
    sqlite3_finalize(move);
    sqlite3_finalize(del_names);
    sqlite3_finalize(del_place);
    sqlite3_finalize(srcid);
    free(rows);
    return rc;
}

int gazp_load_countries(gazp_builder *b, const char *path, const char *iso_table)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cx_err_set(b->err, CX_ENOTFOUND, path, 0, "country polygon file not found");
    if (OGRGetDriverCount() == 0)
        return cx_err_set(b->err, CX_EINVAL, path, 0,
                          "no GDAL driver registered (call GDALAllRegister first)");
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRDataSourceH ds = OGROpen(path, FALSE, NULL);
    CPLPopErrorHandler();
    if (!ds)
        return cx_err_set(b->err, CX_EFORMAT, path, 0,
                          "cannot read country polygons (truncated or not a vector file)");
    OGRLayerH lyr = OGR_DS_GetLayerByName(ds, "countries");
    if (!lyr)
        lyr = OGR_DS_GetLayer(ds, 0);
    country_set cs = {NULL, 0, 0, OGR_G_CreateGeometry(wkbPoint)};
    int rc = 0;
    OGRFeatureH feat;
    long line = 0;
    bool prepared = OGRHasPreparedGeometrySupport();
    while (!rc && lyr && (feat = OGR_L_GetNextFeature(lyr)) != NULL) {
        line++;
        b->stats->rows_read++;
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbUnknown;
        char cc[3];
        country_code_of(feat, iso_table, cc);
        int kn = OGR_F_GetFieldIndex(feat, "name");
        const char *name = kn >= 0 ? OGR_F_GetFieldAsString(feat, kn) : cc;
        if (!g || (t != wkbPolygon && t != wkbMultiPolygon) || !cc[0]) {
            if (g && (t == wkbPolygon || t == wkbMultiPolygon))
                gazp_reject(b, path, line, "country feature %ld (%s): no ISO code", line, name);
            else
                gazp_reject(b, path, line, "country feature %ld: not a polygon", line);
            OGR_F_Destroy(feat);
            continue;
        }
        if (cs.n == cs.cap) {
            size_t nc = cs.cap ? cs.cap * 2 : 64;
            country_poly *nv = realloc(cs.v, nc * sizeof *nv);
            if (!nv) {
                rc = cx_err_set(b->err, CX_ENOMEM, path, line, "out of memory");
                OGR_F_Destroy(feat);
                break;
            }
            cs.v = nv;
            cs.cap = nc;
        }
        country_poly *c = &cs.v[cs.n++];
        memcpy(c->cc, cc, 3);
        c->geom = OGR_G_Clone(g);
        /* world-atlas's Russia and Fiji cross the antimeridian: GEOS finds
         * them (and some quantised rings elsewhere) invalid, and containment
         * in them is not to be trusted (country_near) */
        CPLPushErrorHandler(CPLQuietErrorHandler);
        c->valid = OGR_G_IsValid(c->geom);
        CPLPopErrorHandler();
        OGR_G_GetEnvelope(c->geom, &c->env);
        c->prep = prepared ? OGRCreatePreparedGeometry(c->geom) : NULL;
        size_t sz = (size_t)OGR_G_WkbSize(g);
        unsigned char *wkb = malloc(sz ? sz : 1);
        if (!wkb)
            rc = cx_err_set(b->err, CX_ENOMEM, path, line, "out of memory");
        else if (OGR_G_ExportToWkb(g, wkbNDR, wkb) == OGRERR_NONE)
            rc = gazp_add_region(b, 0, cc, name, CX_KIND_COUNTRY, wkb, sz);
        free(wkb);
        b->stats->rows_kept++;
        OGR_F_Destroy(feat);
    }
    OGR_DS_Destroy(ds);
    if (!rc && cs.n == 0)
        rc = cx_err_set(b->err, CX_EFORMAT, path, 0, "no country polygon with an ISO code");
    if (!rc && sqlite3_create_function(b->db, "gaz_country_of", 2, SQLITE_UTF8, &cs,
                                       sql_country_of, NULL, NULL) != SQLITE_OK)
        rc = gazp_db_error(b, "register gaz_country_of");
    if (!rc) {
        char *msg = NULL;
        if (sqlite3_exec(b->db,
                         "UPDATE places SET geo_country = gaz_country_of(lat, lon);"
                         "UPDATE places SET country = geo_country"
                         " WHERE country IS NULL AND geo_country IS NOT NULL;",
                         NULL, NULL, &msg) != SQLITE_OK) {
            rc = cx_err_set(b->err, CX_EDB, path, 0, "country by geometry: %s",
                            msg ? msg : "SQLite error");
        }
        sqlite3_free(msg);
        sqlite3_create_function(b->db, "gaz_country_of", 2, SQLITE_UTF8, NULL, NULL, NULL,
                                NULL);
    }
    if (!rc)
        rc = repair_outside(b, &cs, path);
    if (!rc && sqlite3_exec(b->db,
                            "INSERT OR REPLACE INTO meta(key, value) SELECT 'country_mismatch',"
                            " count(*) FROM places WHERE country <> geo_country",
                            NULL, NULL, NULL) != SQLITE_OK)
        rc = gazp_db_error(b, "country mismatches");
    countries_free(&cs);
    if (!rc)
        gazp_note_source(b, path, "country polygons");
    return rc;
}
