/* gaz_build.c -- build a SpatiaLite gazetteer: schema, bulk inserts, merging
 * of supplement places into existing ones, indexes, meta, and the atomic
 * rename into place. The file readers live in gaz_sources.c.
 *
 * Build order (each step may rely on the previous ones):
 *   admin-1 codes -> GeoNames dumps (bulk, no index) -> indexes ->
 *   alternate names -> countries + state.json admin-1 (merged) ->
 *   extra files (merged) -> admin-1 names -> country polygons and
 *   country-by-geometry -> spatial indexes, meta -> rename.
 * It does not open the result for lookups (gazetteer.c does). */
#include "cx_cleanup.h"
#include "cx_spatialite.h"
#include "gazp.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cx_text.h"

#define COMMIT_EVERY 100000L

/* ===== Helpers shared with gaz_sources.c ===== */

int gazp_db_error(gazp_builder *b, const char *what)
{
    return cx_err_set(b->err, CX_EDB, NULL, 0, "%s: %s", what, sqlite3_errmsg(b->db));
}

int gazp_kind_of(const char *fclass, const char *fcode)
{
    char c = fclass ? fclass[0] : 0;
    if (c == 'P')
        return CX_KIND_SETTLEMENT;
    if (c == 'H')
        return CX_KIND_WATER;
    if (c == 'A') {
        if (!strcmp(fcode, "ADM1") || !strcmp(fcode, "ADM1H"))
            return CX_KIND_ADMIN1;
        if (!strcmp(fcode, "ADM2") || !strcmp(fcode, "ADM2H"))
            return CX_KIND_ADMIN2;
        if (!strncmp(fcode, "PCL", 3))
            return CX_KIND_COUNTRY;
        return CX_KIND_REGION;
    }
    if (c == 'L' && (!strcmp(fcode, "RGN") || !strcmp(fcode, "AREA")))
        return CX_KIND_REGION;
    return CX_KIND_OTHER;
}

void gazp_reject(gazp_builder *b, const char *path, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->stats->rows_rejected++;
    if (b->opts->warn)
        b->opts->warn(b->opts->warn_ctx, path, line, msg);
}

void gazp_note_source(gazp_builder *b, const char *path, const char *what)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(b->sources);
    snprintf(b->sources + len, sizeof b->sources - len, "%s%s (%s)", len ? ", " : "", base,
             what);
}

int gazp_tick(gazp_builder *b)
{
    if (++b->pending < COMMIT_EVERY)
        return 0;
    b->pending = 0;
    if (sqlite3_exec(b->db, "COMMIT; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return gazp_db_error(b, "commit");
    return 0;
}

static int bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int step_done(gazp_builder *b, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return gazp_db_error(b, what);
    return 0;
}

int gazp_add_place(gazp_builder *b, const gazp_place *p, long long *id)
{
    sqlite3_stmt *st = b->ins_place;
    sqlite3_bind_text(st, 1, p->src, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->src_id, -1, SQLITE_TRANSIENT);
    if (p->gid)
        sqlite3_bind_int64(st, 3, p->gid);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, p->name, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 5, p->fclass);
    bind_text_or_null(st, 6, p->fcode);
    sqlite3_bind_int(st, 7, p->kind);
    bind_text_or_null(st, 8, p->country);
    bind_text_or_null(st, 9, p->admin1);
    bind_text_or_null(st, 10, p->admin1_name);
    sqlite3_bind_int64(st, 11, p->population);
    sqlite3_bind_double(st, 12, p->radius_km);
    sqlite3_bind_double(st, 13, p->lat);
    sqlite3_bind_double(st, 14, p->lon);
    int rc = step_done(b, st, "insert place");
    if (rc)
        return rc;
    *id = sqlite3_last_insert_rowid(b->db);
    b->stats->places++;
    return gazp_tick(b);
}

int gazp_add_name(gazp_builder *b, long long id, const char *name, const char *lang,
                  int flags)
{
    size_t len = strlen(name);
    int rc = cx_fold_key(name, len, &b->key);
    if (rc == CX_EFORMAT)
        return 0; /* not valid UTF-8: the reader has already checked; skip */
    if (rc)
        return cx_err_set(b->err, rc, NULL, 0, "folding \"%s\"", name);
    if (b->key.len == 0)
        return 0;
    rc = cx_translit_key(name, len, &b->tkey);
    if (rc)
        return cx_err_set(b->err, rc, NULL, 0, "transliterating \"%s\"", name);
    if (b->indexed) {
        /* Merging phase: skip a name the place already has in this language. */
        sqlite3_stmt *h = b->has_name;
        sqlite3_bind_int64(h, 1, id);
        sqlite3_bind_text(h, 2, b->key.data, (int)b->key.len, SQLITE_STATIC);
        sqlite3_bind_text(h, 3, lang ? lang : "", -1, SQLITE_STATIC);
        int s = sqlite3_step(h);
        sqlite3_reset(h);
        if (s == SQLITE_ROW)
            return 0;
        if (s != SQLITE_DONE)
            return gazp_db_error(b, "name check");
    }
    sqlite3_stmt *st = b->ins_name;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, (int)len, SQLITE_STATIC);
    bind_text_or_null(st, 3, lang);
    sqlite3_bind_int(st, 4, flags);
    sqlite3_bind_text(st, 5, b->key.data, (int)b->key.len, SQLITE_STATIC);
    bool same = b->tkey.len == b->key.len && !memcmp(b->tkey.data, b->key.data, b->key.len);
    if (same || b->tkey.len == 0)
        sqlite3_bind_null(st, 6);
    else
        sqlite3_bind_text(st, 6, b->tkey.data, (int)b->tkey.len, SQLITE_STATIC);
    rc = step_done(b, st, "insert name");
    if (rc)
        return rc;
    b->stats->names++;
    return gazp_tick(b);
}

int gazp_add_region(gazp_builder *b, long long place_id, const char *cc, const char *name,
                    int kind, const unsigned char *wkb, size_t wkb_len)
{
    sqlite3_stmt *st = b->ins_region;
    if (place_id)
        sqlite3_bind_int64(st, 1, place_id);
    else
        sqlite3_bind_null(st, 1);
    bind_text_or_null(st, 2, cc);
    bind_text_or_null(st, 3, name);
    sqlite3_bind_int(st, 4, kind);
    sqlite3_bind_blob(st, 5, wkb, (int)wkb_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return gazp_db_error(b, "insert region");
    if (sqlite3_changes(b->db) == 0)
        return 0;
    b->stats->regions++;
    return 0;
}

static bool kinds_compatible(int a, int b)
{
    bool ra = a == CX_KIND_ADMIN1 || a == CX_KIND_ADMIN2 || a == CX_KIND_REGION ||
              a == CX_KIND_COUNTRY;
    bool rb = b == CX_KIND_ADMIN1 || b == CX_KIND_ADMIN2 || b == CX_KIND_REGION ||
              b == CX_KIND_COUNTRY;
    if (ra || rb)
        return ra && rb;
    return a == b;
}

int gazp_add_link(gazp_builder *b, long long id, const char *src_id)
{
    sqlite3_stmt *st = b->ins_link;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, src_id, -1, SQLITE_TRANSIENT);
    return step_done(b, st, "insert link");
}

int gazp_find_match(gazp_builder *b, const char *const *names, size_t n, int kind,
                    const char *country, double lat, double lon, double radius_km,
                    long long *id, double *dist_km)
{
    *id = 0;
    double best = INFINITY;
    *dist_km = best;
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !*names[i])
            continue;
        if (cx_fold_key(names[i], strlen(names[i]), &b->key) != 0 || b->key.len == 0)
            continue;
        sqlite3_stmt *st = b->find_key;
        sqlite3_bind_text(st, 1, b->key.data, (int)b->key.len, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            long long pid = sqlite3_column_int64(st, 0);
            int pkind = sqlite3_column_int(st, 1);
            double plat = sqlite3_column_double(st, 2), plon = sqlite3_column_double(st, 3);
            double prad = sqlite3_column_double(st, 4);
            const unsigned char *pcc = sqlite3_column_text(st, 5);
            if (!kinds_compatible(kind, pkind))
                continue;
            /* settlements: one town in two sources can sit several km apart
             * (a GeoNames point and an election atlas's), so the same name in
             * the same country merges within 10 km */
            bool same_cc = country && *country && pcc && !strcmp(country, (const char *)pcc);
            double limit = kind == CX_KIND_SETTLEMENT || kind == CX_KIND_OTHER ||
                                   kind == CX_KIND_WATER
                               ? (same_cc && kind == CX_KIND_SETTLEMENT
                                      ? GAZP_SETTLEMENT_MERGE_KM
                                      : 5.0)
                               : fmax(30.0, fmax(radius_km, prad));
            double d = gazp_distance_km(lat, lon, plat, plon);
            if (d <= limit && d < best) {
                best = d;
                *id = pid;
                *dist_km = d;
            }
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return gazp_db_error(b, "match lookup");
    }
    return 0;
}

/* ===== Schema ===== */

static const char *const schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE places(id INTEGER PRIMARY KEY, src TEXT NOT NULL, src_id TEXT NOT NULL,"
    " gid INTEGER, name TEXT NOT NULL, fclass TEXT, fcode TEXT, kind INTEGER NOT NULL,"
    " country TEXT, geo_country TEXT, admin1 TEXT, admin1_name TEXT,"
    " population INTEGER NOT NULL DEFAULT 0, radius_km REAL NOT NULL DEFAULT 0,"
    " lat REAL NOT NULL, lon REAL NOT NULL);"
    "SELECT AddGeometryColumn('places', 'geom', 4326, 'POINT', 'XY');"
    "CREATE TABLE names(place_id INTEGER NOT NULL, name TEXT NOT NULL, lang TEXT,"
    " flags INTEGER NOT NULL DEFAULT 0, key TEXT NOT NULL, tkey TEXT);"
    "CREATE TABLE regions(id INTEGER PRIMARY KEY, place_id INTEGER, country TEXT, name TEXT,"
    " kind INTEGER NOT NULL);"
    "SELECT AddGeometryColumn('regions', 'geom', 4326, 'MULTIPOLYGON', 'XY');"
    "CREATE TABLE admin1(code TEXT PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE links(place_id INTEGER NOT NULL, src_id TEXT NOT NULL);";

static const char *const index_sql =
    "CREATE INDEX names_key ON names(key);"
    "CREATE INDEX names_tkey ON names(tkey) WHERE tkey IS NOT NULL;"
    "CREATE INDEX names_place ON names(place_id);"
    "CREATE INDEX places_gid ON places(gid) WHERE gid IS NOT NULL;"
    "CREATE INDEX places_src_id ON places(src_id);"
    /* naming a pin asks for a src_id here when places has none (a merged
     * source's id): without it, a scan of the table per pin */
    "CREATE INDEX links_src_id ON links(src_id);";

static int prepare(gazp_builder *b, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(b->db, sql, -1, st, NULL) != SQLITE_OK)
        return gazp_db_error(b, "prepare");
    return 0;
}

static int prepare_all(gazp_builder *b)
{
    int rc = prepare(b,
                     "INSERT INTO places(src, src_id, gid, name, fclass, fcode, kind, country,"
                     " admin1, admin1_name, population, radius_km, lat, lon, geom)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                     " MakePoint(?14, ?13, 4326))",
                     &b->ins_place);
    if (!rc)
        rc = prepare(b,
                     "INSERT INTO names(place_id, name, lang, flags, key, tkey)"
                     " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                     &b->ins_name);
    if (!rc)
        rc = prepare(b,
                     "INSERT INTO regions(place_id, country, name, kind, geom)"
                     " SELECT ?1, ?2, ?3, ?4, g FROM (SELECT CastToMultiPolygon("
                     "GeomFromWKB(?5, 4326)) AS g) WHERE g IS NOT NULL",
                     &b->ins_region);
    if (!rc)
        rc = prepare(b, "SELECT id FROM places WHERE gid = ?1", &b->find_gid);
    if (!rc)
        rc = prepare(b,
                     "SELECT p.id, p.kind, p.lat, p.lon, p.radius_km, p.country FROM names n"
                     " JOIN places p ON p.id = n.place_id WHERE n.key = ?1",
                     &b->find_key);
    if (!rc)
        rc = prepare(b,
                     "SELECT 1 FROM names WHERE place_id = ?1 AND key = ?2"
                     " AND coalesce(lang, '') = ?3",
                     &b->has_name);
    if (!rc)
        rc = prepare(b, "INSERT OR REPLACE INTO admin1(code, name) VALUES(?1, ?2)",
                     &b->ins_admin1);
    if (!rc)
        rc = prepare(b, "INSERT INTO links(place_id, src_id) VALUES(?1, ?2)", &b->ins_link);
    return rc;
}

static void finalize_all(gazp_builder *b)
{
    sqlite3_finalize(b->ins_place);
    sqlite3_finalize(b->ins_name);
    sqlite3_finalize(b->ins_region);
    sqlite3_finalize(b->find_gid);
    sqlite3_finalize(b->find_key);
    sqlite3_finalize(b->has_name);
    sqlite3_finalize(b->upd_place);
    sqlite3_finalize(b->ins_admin1);
    sqlite3_finalize(b->ins_link);
    b->ins_place = b->ins_name = b->ins_region = b->find_gid = b->find_key = b->has_name =
        b->upd_place = b->ins_admin1 = b->ins_link = NULL;
}

static int exec(gazp_builder *b, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(b->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cx_err_set(b->err, CX_EDB, NULL, 0, "%s: %s", what, msg ? msg : "SQLite error");
        sqlite3_free(msg);
        return CX_EDB;
    }
    return 0;
}

static int put_meta(gazp_builder *b, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(b, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", &st);
    if (!rc) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
        rc = step_done(b, st, "meta");
    }
    sqlite3_finalize(st);
    return rc;
}

static int put_meta_long(gazp_builder *b, const char *key, long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", v);
    return put_meta(b, key, tmp);
}

/* ===== Default sources ===== */

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The regional supplement: every *.csv and *.geojson of data/regional that
 * is an extra-places file (they all start with "places-"), sorted. */
#include <dirent.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list_supplement(const char *data_dir, char ***out, size_t *n, cx_err *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/regional", data_dir);
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return cx_err_set(err, CX_ENOTFOUND, dir, 0,
                          "regional supplement directory not found: %s", strerror(errno));
    struct dirent *e;
    char **v = NULL;
    size_t cnt = 0;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, "places-", 7) != 0)
            continue;
        if (!(l > 4 && !strcmp(e->d_name + l - 4, ".csv")) &&
            !(l > 8 && !strcmp(e->d_name + l - 8, ".geojson")))
            continue;
        char **nv = realloc(v, (cnt + 1) * sizeof *v);
        size_t need = strlen(dir) + l + 2;
        char *p = malloc(need);
        if (!nv || !p) {
            free(p);
            if (nv)
                v = nv;
            rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
            break;
        }
        v = nv;
        snprintf(p, need, "%s/%s", dir, e->d_name);
        v[cnt++] = p;
    }
    closedir(d);
    if (cnt)
        qsort(v, cnt, sizeof *v, cmp_str);
    *out = v;
    *n = cnt;
    return rc;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ===== Villages named like their province ===== */

/* A small settlement that bears the name of the admin-1 unit around it (the
 * village of Gegharkunik in Gegharkunik province, Shirak in Shirak) is not
 * what a text means by the bare name: the press writes "Gegharkunik" for the
 * province. Such a settlement (not a seat: no PPLA/PPLA2/PPLC; under 5,000
 * people; same
 * country, within the unit's radius or 50 km) loses the bare name and
 * answers "NAME village", "village de NAME" and "NAME (village)" instead.
 * Counted in stats->homonyms. */
static int rename_homonyms(gazp_builder *b)
{
    static const char *const find =
        "SELECT DISTINCT s.id, sn.key, sn.name, a.lat, a.lon, a.radius_km, s.lat, s.lon"
        " FROM places a JOIN names an ON an.place_id = a.id"
        " JOIN names sn ON sn.key = an.key JOIN places s ON s.id = sn.place_id"
        " WHERE a.kind = 1 AND s.kind = 0 AND s.country = a.country"
        " AND coalesce(s.fcode, '') NOT IN ('PPLA', 'PPLA2', 'PPLC') AND s.population < 5000"
        " AND abs(s.lat - a.lat) < 1.5 AND abs(s.lon - a.lon) < 2";
    sqlite3_stmt *st = NULL, *del = NULL;
    int rc = prepare(b, find, &st);
    if (!rc)
        rc = prepare(b, "DELETE FROM names WHERE place_id = ?1 AND key = ?2", &del);
    typedef struct hom {
        long long id;
        char key[128], name[128];
    } hom;
    hom *v = NULL;
    size_t n = 0, cap = 0;
    int s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        double alat = sqlite3_column_double(st, 3), alon = sqlite3_column_double(st, 4);
        double rad = sqlite3_column_double(st, 5);
        double d = gazp_distance_km(alat, alon, sqlite3_column_double(st, 6),
                                    sqlite3_column_double(st, 7));
        if (d > fmax(rad, GAZP_ADMIN1_RADIUS_KM))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            hom *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = cx_err_set(b->err, CX_ENOMEM, NULL, 0, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        v[n].id = sqlite3_column_int64(st, 0);
        cx_str_copy(v[n].key, sizeof v[n].key, (const char *)sqlite3_column_text(st, 1));
        cx_str_copy(v[n].name, sizeof v[n].name, (const char *)sqlite3_column_text(st, 2));
        n++;
    }
    if (!rc && s != SQLITE_DONE)
        rc = gazp_db_error(b, "villages named like their province");
    for (size_t i = 0; i < n && !rc; i++) {
        bool first = i == 0 || v[i - 1].id != v[i].id || strcmp(v[i - 1].key, v[i].key);
        if (!first)
            continue;
        sqlite3_bind_int64(del, 1, v[i].id);
        sqlite3_bind_text(del, 2, v[i].key, -1, SQLITE_STATIC);
        rc = step_done(b, del, "renaming a village");
        char buf[3][200];
        snprintf(buf[0], sizeof buf[0], "%s village", v[i].name);
        snprintf(buf[1], sizeof buf[1], "village de %s", v[i].name);
        snprintf(buf[2], sizeof buf[2], "%s (village)", v[i].name);
        for (int k = 0; k < 3 && !rc; k++)
            rc = gazp_add_name(b, v[i].id, buf[k], k == 1 ? "fr" : k == 0 ? "en" : "", 0);
        b->stats->homonyms++;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    free(v);
    return rc;
}

/* ===== The build ===== */

static int run_build(gazp_builder *b, const gaz_build_opts *o)
{
    char vpath[5][4096];
    const char *cities = NULL, *states = o->states, *countries = o->countries;
    char country_json[4096] = "", iso_table[4096] = "", admin1_def[4096] = "";
    char **supp = NULL;
    size_t n_supp = 0;
    int rc = 0;

    if (o->defaults) {
        if (!o->vendor_dir || !o->data_dir)
            return cx_err_set(b->err, CX_EINVAL, NULL, 0,
                              "default sources need the vendor and data directories");
        snprintf(vpath[0], sizeof vpath[0], "%s/cities500.txt", o->vendor_dir);
        snprintf(vpath[1], sizeof vpath[1], "%s/state.json", o->vendor_dir);
        snprintf(vpath[2], sizeof vpath[2], "%s/countries-10m.json", o->vendor_dir);
        snprintf(country_json, sizeof country_json, "%s/country.json", o->vendor_dir);
        for (int i = 0; i < 3; i++)
            if (!file_exists(vpath[i]))
                return cx_err_set(b->err, CX_ENOTFOUND, vpath[i], 0,
                                  "vendor data file missing; run scripts/fetch-data.sh "
                                  "(or set INCIMAP_VENDOR)");
        cities = vpath[0];
        if (!states)
            states = vpath[1];
        if (!countries)
            countries = vpath[2];
        if (!file_exists(country_json))
            country_json[0] = '\0';
        snprintf(admin1_def, sizeof admin1_def, "%s/regional/admin1CodesASCII.txt",
                 o->data_dir);
        rc = list_supplement(o->data_dir, &supp, &n_supp, b->err);
        if (rc)
            return rc;
    } else if (states) {
        /* country.json beside an explicit state.json is used when present */
        const char *slash = strrchr(states, '/');
        int dl = slash ? (int)(slash - states) : 1;
        snprintf(country_json, sizeof country_json, "%.*s/country.json", dl,
                 slash ? states : ".");
        if (!file_exists(country_json))
            country_json[0] = '\0';
    }
    if (o->data_dir) {
        snprintf(iso_table, sizeof iso_table, "%s/regional/iso3166-numeric.tsv", o->data_dir);
        if (!file_exists(iso_table))
            iso_table[0] = '\0';
    }

    if (admin1_def[0] && file_exists(admin1_def))
        rc = gazp_load_admin1(b, admin1_def);
    if (!rc && o->admin1)
        rc = gazp_load_admin1(b, o->admin1);
    if (!rc && cities)
        rc = gazp_load_geonames(b, cities);
    for (size_t i = 0; !rc && i < o->n_geonames; i++)
        rc = gazp_load_geonames(b, o->geonames[i]);
    if (!rc)
        rc = exec(b, index_sql, "creating indexes");
    if (!rc) {
        b->indexed = true;
        if (o->alternate_names)
            rc = gazp_load_altnames(b, o->alternate_names);
    }
    if (!rc && (states || country_json[0]))
        rc = gazp_load_states(b, states, country_json[0] ? country_json : NULL);
    for (size_t i = 0; !rc && i < n_supp; i++)
        rc = gazp_load_extra(b, supp[i], NULL);
    for (size_t i = 0; !rc && i < o->n_extra; i++)
        rc = gazp_load_extra(b, o->extra[i], o->extra_columns);
    if (!rc)
        rc = exec(b,
                  "UPDATE places SET admin1_name = (SELECT a.name FROM admin1 a"
                  " WHERE a.code = places.country || '.' || places.admin1)"
                  " WHERE admin1_name IS NULL AND admin1 IS NOT NULL",
                  "admin-1 names");
    if (!rc)
        rc = rename_homonyms(b);
    if (!rc && countries)
        rc = gazp_load_countries(b, countries, iso_table[0] ? iso_table : NULL);
    free_list(supp, n_supp);
    return rc;
}

/* Places and names after merges and repairs deleted some. */
static int recount(gazp_builder *b)
{
    static const char *const sql[2] = {"SELECT count(*) FROM places",
                                       "SELECT count(*) FROM names"};
    long *dst[2] = {&b->stats->places, &b->stats->names};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = NULL;
        int rc = prepare(b, sql[i], &st);
        if (rc)
            return rc;
        if (sqlite3_step(st) == SQLITE_ROW)
            *dst[i] = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return 0;
}

static int write_meta(gazp_builder *b)
{
    char built[32];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(built, sizeof built, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    char ver[16];
    snprintf(ver, sizeof ver, "%d", GAZ_SCHEMA_VERSION);
    int rc = put_meta(b, "schema_version", ver);
    if (!rc)
        rc = put_meta(b, "built", built);
    if (!rc)
        rc = put_meta(b, "sources", b->sources);
    if (!rc)
        rc = put_meta_long(b, "places", b->stats->places);
    if (!rc)
        rc = put_meta_long(b, "names", b->stats->names);
    if (!rc)
        rc = put_meta_long(b, "regions", b->stats->regions);
    if (!rc)
        rc = put_meta_long(b, "rows_read", b->stats->rows_read);
    if (!rc)
        rc = put_meta_long(b, "rows_kept", b->stats->rows_kept);
    if (!rc)
        rc = put_meta_long(b, "rows_rejected", b->stats->rows_rejected);
    if (!rc)
        rc = put_meta_long(b, "merged", b->stats->merged);
    if (!rc)
        rc = put_meta_long(b, "outside_repaired", b->stats->outside_repaired);
    if (!rc)
        rc = put_meta_long(b, "outside_dropped", b->stats->outside_dropped);
    if (!rc)
        rc = put_meta_long(b, "homonyms", b->stats->homonyms);
    return rc;
}

int gaz_build(const char *out_path, const gaz_build_opts *opts, gaz_build_stats *stats,
              cx_err *err)
{
    gaz_build_stats local_stats;
    if (!stats)
        stats = &local_stats;
    memset(stats, 0, sizeof *stats);
    if (!out_path || !*out_path || !opts)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_build: no output path");
    if (!opts->defaults && opts->n_geonames == 0 && opts->n_extra == 0 && !opts->states)
        return cx_err_set(err, CX_EINVAL, NULL, 0,
                          "no sources: give --geonames, --extra or --states, or use the "
                          "defaults");

    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out_path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return cx_err_set(err, CX_EINVAL, out_path, 0, "output path too long");
    unlink(tmp);
    /* a build killed by SIGKILL left FILE.tmp-PID (60 MB and more): remove
     * those of processes that are gone */
    {
        char dir[4096], prefix[4200];
        const char *slash = strrchr(out_path, '/');
        if (slash)
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - out_path), out_path);
        else
            snprintf(dir, sizeof dir, ".");
        snprintf(prefix, sizeof prefix, "%s.tmp-", slash ? slash + 1 : out_path);
        cx_cleanup_stale(slash == out_path ? "/" : dir, prefix, '\0', NULL, NULL);
    }
    int clean_slot = cx_cleanup_add(tmp);

    gazp_builder bs;
    memset(&bs, 0, sizeof bs);
    gazp_builder *b = &bs;
    b->opts = opts;
    b->stats = stats;
    b->err = err;
    int rc = 0;

    if (sqlite3_open_v2(tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = cx_err_set(err, CX_EIO, tmp, 0, "cannot create: %s",
                        b->db ? sqlite3_errmsg(b->db) : "out of memory");
        goto done;
    }
    if ((rc = cx_spatialite_load(b->db, tmp, err)) != 0)
        goto done;
    rc = exec(b,
              "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
              "PRAGMA locking_mode=EXCLUSIVE; PRAGMA page_size=4096;",
              "pragmas");
    if (!rc)
        rc = exec(b, "SELECT InitSpatialMetadata(1, 'WGS84')", "spatial metadata");
    if (!rc)
        rc = exec(b, schema_sql, "schema");
    if (!rc)
        rc = prepare_all(b);
    if (!rc)
        rc = exec(b, "BEGIN", "begin");
    if (!rc)
        rc = run_build(b, opts);
    if (!rc && b->stats->places == 0)
        rc = cx_err_set(err, CX_EFORMAT, NULL, 0, "no place could be read from the sources");
    if (!rc)
        rc = exec(b,
                  "SELECT CreateSpatialIndex('places', 'geom');"
                  "SELECT CreateSpatialIndex('regions', 'geom');",
                  "spatial indexes");
    if (!rc)
        rc = recount(b);
    if (!rc)
        rc = write_meta(b);
    if (!rc)
        rc = exec(b, "COMMIT", "commit");
    if (!rc)
        rc = exec(b, "PRAGMA analysis_limit=400; ANALYZE", "analyze");

done:
    finalize_all(b);
    if (b->db) {
        if (sqlite3_close(b->db) != SQLITE_OK && !rc)
            rc = cx_err_set(err, CX_EIO, tmp, 0, "closing: %s", sqlite3_errmsg(b->db));
    }
    cx_buf_free(&b->key);
    cx_buf_free(&b->tkey);
    cx_buf_free(&b->scratch);
    if (!rc && rename(tmp, out_path) != 0)
        rc = cx_err_set(err, CX_EIO, out_path, 0, "cannot rename %s into place: %s", tmp,
                        strerror(errno));
    if (rc)
        unlink(tmp);
    cx_cleanup_forget(clean_slot);
    /* the read index extraction maps (gaz_use_index), beside the gazetteer */
    if (!rc)
        rc = gaz_write_index(out_path, err);
    return rc;
}
