/* store.c -- the SQLite/SpatiaLite incident store. See store.h.
 *
 * Does: schema creation and checks, documents, reports, incremental merging
 * (re-merging only the components a new document touches), export with
 * filters, integrity checks.
 * Does not: extraction, output formats, printing. SpatiaLite is loaded as
 * an SQLite extension (cx_spatialite.h) on every connection that writes:
 * the spatial indexes' triggers call it. A read-only connection reads the
 * geometries as blobs and does without it. */
#include "store.h"
#include "merge.h"
#include "store_p.h"
#include "sha256.h"

#include "cx_buf.h"
#include "cx_mem.h"
#include "cx_spatialite.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements of the write path, prepared once per connection. */
enum {
    Q_DOC_STATE,
    Q_INS_DOC,
    Q_INS_REP,
    Q_INS_SPAN,
    Q_INS_PSPAN,
    Q_NEAR,
    Q_REP_BY_ID,
    Q_COMP,
    Q_DEL_INC,
    Q_INS_INC,
    Q_UPD_REP,
    Q_UPD_INC_COMP,
    Q_APART_ANY,
    Q_APART,
    Q_COUNT
};

struct sto_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT]; /* see cached() */
    char path[512];
    bool readonly;
    bool scratch; /* sto_set_scratch: no geometries, no fsync, one merge at export */
    bool pending; /* scratch: reports added since the last merge_all */
    bool plain;   /* sto_open_scratch: no SpatiaLite, report_incident built by merge_all */
    bool replace; /* sto_set_replace: a document with other content replaces the stored one */
    int busy_ms;
    mrg_options mopts;
};

#define STO_OLD_SCHEMA 1 /* check_version: read-only store of an older version */

/* ===== Errors ===== */

static int db_err(sto_store *st, cx_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(st->db);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        return cx_err_set(err, CX_EDB, st->path, 0,
                          "store %s is locked by another incimap process (waited %d ms)",
                          st->path, st->busy_ms);
    /* SQLite says "disk I/O error"; the system says why (No space left on
     * device, File too large) */
    char why[128] = "";
    int sys = sqlite3_system_errno(st->db), prim = code & 0xff;
    if (sys && (prim == SQLITE_IOERR || prim == SQLITE_FULL || prim == SQLITE_CANTOPEN))
        snprintf(why, sizeof why, " (%s)", strerror(sys));
    if (!what)
        return cx_err_set(err, CX_EDB, st->path, 0, "%s%s", sqlite3_errmsg(st->db), why);
    return cx_err_set(err, CX_EDB, st->path, 0, "%s: %s%s", what, sqlite3_errmsg(st->db), why);
}

static int exec(sto_store *st, const char *sql, cx_err *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    return db_err(st, err, NULL); /* SQLite's message says it all ("database or disk is full") */
}

static int prepare(sto_store *st, const char *sql, sqlite3_stmt **out, cx_err *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) == SQLITE_OK)
        return 0;
    *out = NULL;
    return db_err(st, err, "preparing a statement");
}

/* The cached statement `which` (prepared from `sql` the first time), reset
 * and with its bindings cleared. */
static int cached(sto_store *st, int which, const char *sql, sqlite3_stmt **out, cx_err *err)
{
    if (!st->q[which]) {
        int rc = prepare(st, sql, &st->q[which], err);
        if (rc)
            return rc;
    }
    sqlite3_reset(st->q[which]);
    sqlite3_clear_bindings(st->q[which]);
    *out = st->q[which];
    return 0;
}

/* ===== Schema ===== */

/* Where and when each report is, for the search of the reports a new one
 * may merge with: R*Trees over (lon, lat, days since 1970) and over (a hash
 * of type and place_id, days); an unknown date is the day NO_DAY. A box or a
 * place alone would return every report of a busy region or town, whatever
 * its date, and make adding a document linear in the size of the store.
 * Hash collisions only add candidates, which mrg_compatible then rejects. */
#define NO_DAY (-10000000)
#define SPAN_SQL                                                                         \
    "CREATE VIRTUAL TABLE report_span USING rtree(id, x0, x1, y0, y1, d0, d1);"           \
    "CREATE VIRTUAL TABLE report_pspan USING rtree_i32(id, k0, k1, d0, d1);"

/* The columns shared by report and incidents. */
#define INC_COLUMNS                                                                      \
    " type INTEGER NOT NULL, date TEXT NOT NULL, date_prec INTEGER NOT NULL,"            \
    " date_lo INTEGER, date_hi INTEGER, place TEXT NOT NULL, place_name TEXT NOT NULL,"  \
    " place_id TEXT NOT NULL, country TEXT NOT NULL, admin1 TEXT NOT NULL,"              \
    " geo_prec INTEGER NOT NULL, lon REAL, lat REAL, actor1 TEXT NOT NULL,"              \
    " actor2 TEXT NOT NULL, claimed_by TEXT NOT NULL, fatalities INTEGER NOT NULL,"      \
    " fatalities_max INTEGER NOT NULL, injured INTEGER NOT NULL, n_sources INTEGER NOT NULL," \
    " evidence TEXT, confidence REAL, border_km REAL, contested INTEGER NOT NULL,"        \
    " evidence_offset INTEGER NOT NULL," V3_COLUMNS

/* Added by version 3 (issue 18), at the end of both tables (ALTER TABLE
 * appends them to an older store). `uid` is the exported incident_id. */
#define V3_COLUMNS_OF(SEP)                                                               \
    " admin2 TEXT NOT NULL DEFAULT ''" SEP " place_unit TEXT NOT NULL DEFAULT ''" SEP      \
    " sub_event_type TEXT NOT NULL DEFAULT ''" SEP " injured_max INTEGER NOT NULL DEFAULT -1" SEP \
    " n_reprints INTEGER NOT NULL DEFAULT 0" SEP " published TEXT NOT NULL DEFAULT ''" SEP  \
    " uid TEXT NOT NULL DEFAULT ''" SEP " place_alt TEXT NOT NULL DEFAULT ''"
#define V3_COLUMNS V3_COLUMNS_OF(",")
/* A report's source: its document's URL, outlet and text fingerprint. */
#define V3_REPORT_COLUMNS_OF(SEP)                                                        \
    " src_url TEXT" SEP " src_outlet TEXT" SEP " src_fp TEXT"

/* Added by version 4 (issue 21) to report and incidents: where `evidence`
 * names the trigger the model paired and the place of the report, in
 * characters [start, end); -1 the sentence has none, NULL not recorded (a
 * row of an older store). */
#define V4_COLUMNS_OF(SEP)                                                               \
    " trig_start INTEGER" SEP " trig_end INTEGER" SEP " place_start INTEGER" SEP          \
    " place_end INTEGER"
#define SPAN_NAMES "trig_start, trig_end, place_start, place_end"

/* Every source of every incident, keyed by the exported incident_id. */
#define SOURCES_VIEW_V3                                                                  \
    "CREATE VIEW sources AS SELECT i.uid AS incident_id, r.doc_id AS doc_id,"            \
    " r.src_url AS url, r.src_outlet AS outlet, r.published AS published,"               \
    " r.evidence AS evidence, r.claimed_by AS claimed_by"                                 \
    " FROM report r JOIN incidents i ON i.incident_id = r.incident_id;"
/* Version 4: and the trigger's and the place's characters in the evidence
 * (NULL when the sentence has none or the row does not say). */
#define SOURCES_VIEW                                                                     \
    "CREATE VIEW sources AS SELECT i.uid AS incident_id, r.doc_id AS doc_id,"            \
    " r.src_url AS url, r.src_outlet AS outlet, r.published AS published,"               \
    " r.evidence AS evidence, r.claimed_by AS claimed_by,"                                \
    " CASE WHEN r.trig_start >= 0 THEN r.trig_start END AS trigger_start,"               \
    " CASE WHEN r.trig_start >= 0 THEN r.trig_end END AS trigger_end,"                   \
    " CASE WHEN r.place_start >= 0 THEN r.place_start END AS place_start,"               \
    " CASE WHEN r.place_start >= 0 THEN r.place_end END AS place_end"                    \
    " FROM report r JOIN incidents i ON i.incident_id = r.incident_id;"

static const char *const schema_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE documents("
    " id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT, published TEXT,"
    " lang TEXT, added TEXT NOT NULL, n_reports INTEGER NOT NULL, url TEXT, outlet TEXT);"
    "CREATE INDEX documents_hash ON documents(content_hash);"
    "CREATE TABLE incidents(incident_id INTEGER PRIMARY KEY, component INTEGER NOT NULL,"
    " sort_key TEXT NOT NULL," INC_COLUMNS "," V4_COLUMNS_OF(",") ");"
    "CREATE INDEX incidents_order ON incidents(sort_key);"
    "CREATE INDEX incidents_component ON incidents(component);"
    "CREATE TABLE report(report_id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL REFERENCES documents(id), incident_id INTEGER, component INTEGER,"
    INC_COLUMNS "," V3_REPORT_COLUMNS_OF(",") "," V4_COLUMNS_OF(",") ");"
    "CREATE INDEX report_doc ON report(doc_id);"
    "CREATE INDEX report_incident ON report(incident_id);"
    "CREATE INDEX report_component ON report(component);"
    "CREATE INDEX report_place ON report(type, place_id, date_lo);"
    SPAN_SQL
    "SELECT InitSpatialMetadata(0, 'WGS84_ONLY');"
    "SELECT AddGeometryColumn('incidents', 'geom', 4326, 'POINT', 'XY');"
    "SELECT CreateSpatialIndex('incidents', 'geom');"
    "SELECT AddGeometryColumn('report', 'geom', 4326, 'POINT', 'XY');"
    "SELECT CreateSpatialIndex('report', 'geom');"
    SOURCES_VIEW;

/* The 33 shared columns, in the order of INC_COLUMNS, for SELECT and INSERT. */
#define INC_NAMES                                                                        \
    "type, date, date_prec, date_lo, date_hi, place, place_name, place_id, country, admin1," \
    " geo_prec, lon, lat, actor1, actor2, claimed_by, fatalities, fatalities_max, injured," \
    " n_sources, evidence, confidence, border_km, contested, evidence_offset,"             \
    " admin2, place_unit, sub_event_type, injured_max, n_reprints, published, uid, place_alt"
#define INC_PARAMS "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
#define INC_NCOLS 33

/* 1 when the meta table exists, 0 when not, <0 on error. */
static int has_meta(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'",
                     &s, err);
    if (rc)
        return rc;
    rc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) > 0 : db_err(st, err, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

static int count_tables(sto_store *st, long *n, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT count(*) FROM sqlite_master", &s, err);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    else
        rc = db_err(st, err, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

static int create_schema(sto_store *st, cx_err *err)
{
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    long n_tables = 0;
    if ((rc = has_meta(st, err)) < 0)
        goto fail;
    if (rc == 1) /* another process created it meanwhile */
        return exec(st, "COMMIT", err);
    if ((rc = count_tables(st, &n_tables, err)))
        goto fail;
    if (n_tables > 0) {
        rc = cx_err_set(err, CX_EDB, st->path, 0,
                        "%s is a SQLite database but not an incimap store", st->path);
        goto fail;
    }
    char meta[512];
    snprintf(meta, sizeof meta,
             "INSERT INTO meta VALUES('application', 'incimap store'),"
             "('schema_version', '%d'), ('merge_km', '%g,%g,%g');",
             STO_SCHEMA_VERSION, st->mopts.km_prec1, st->mopts.km_prec2, st->mopts.km_prec3);
    if ((rc = exec(st, schema_sql, err)) || (rc = exec(st, meta, err)))
        goto fail;
    return exec(st, "COMMIT", err);
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* The 32-bit key of (type, place_id) in report_pspan (FNV-1a). */
static sqlite3_int64 place_key(int type, const char *place_id)
{
    uint32_t h = 2166136261u ^ (uint32_t)type;
    for (const unsigned char *p = (const unsigned char *)place_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return (sqlite3_int64)(int32_t)h;
}

static void sql_place_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *pid = sqlite3_value_text(argv[1]);
    sqlite3_result_int64(ctx, place_key(sqlite3_value_int(argv[0]), pid ? (const char *)pid : ""));
}

/* Version 1 had no report_span: build it from the reports. */
static int migrate_v1(sto_store *st, cx_err *err)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "BEGIN IMMEDIATE;"
             "DROP INDEX IF EXISTS report_place;"
             "CREATE INDEX report_place ON report(type, place_id, date_lo);"
             SPAN_SQL
             "INSERT INTO report_span SELECT report_id, lon, lon, lat, lat,"
             " coalesce(date_lo, %d), coalesce(date_hi, %d) FROM report"
             " WHERE geo_prec >= 1 AND lon IS NOT NULL AND lat IS NOT NULL;"
             "INSERT INTO report_pspan SELECT report_id, incimap_place_key(type, place_id),"
             " incimap_place_key(type, place_id), coalesce(date_lo, %d), coalesce(date_hi, %d)"
             " FROM report WHERE place_id <> '';"
             "UPDATE meta SET value='2' WHERE key='schema_version';"
             "COMMIT;",
             NO_DAY, NO_DAY, NO_DAY, NO_DAY);
    int rc = exec(st, sql, err);
    if (rc)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Version 2 had no sources, stable ids or the ACLED-style fields: add
 * the columns (old rows take the defaults; their ids are computed at
 * export) and the sources view. */
static int bind_text(sqlite3_stmt *s, int i, const char *v);

/* 1 when `table` has column `col`, 0 when not, <0 on error. */
static int has_column(sto_store *st, const char *table, const char *col, cx_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = prepare(st, "SELECT count(*) FROM pragma_table_info(?1) WHERE name=?2", &q, err);
    if (rc)
        return rc;
    bind_text(q, 1, table);
    bind_text(q, 2, col);
    rc = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) > 0
                                       : db_err(st, err, "reading the schema");
    sqlite3_finalize(q);
    return rc;
}

/* Append to the upgrade script `sql` (of `size` bytes, `*n` used) the
 * ALTER TABLE that adds `decl` (`len` bytes: a column's name, its type,
 * its default) to `table` when the table lacks that column. Returns 0 or
 * <0 on error. */
static int add_column(sto_store *st, const char *table, const char *decl, int len, char *sql,
                      size_t size, int *n, cx_err *err)
{
    int c = 0, e;
    while (c < len && decl[c] == ' ')
        c++;
    for (e = c; e < len && decl[e] != ' ';)
        e++;
    char col[64];
    snprintf(col, sizeof col, "%.*s", e - c, decl + c);
    int has = has_column(st, table, col, err);
    if (has < 0)
        return has;
    if (!has && *n >= 0 && (size_t)*n < size)
        *n += snprintf(sql + *n, size - (size_t)*n, "ALTER TABLE %s ADD COLUMN %.*s;", table, len,
                       decl);
    return 0;
}

/* Run the upgrade script `sql` (opened by BEGIN IMMEDIATE, `n` bytes
 * used) ended by `tail` and COMMIT; rolled back when it fails. */
static int run_upgrade(sto_store *st, char *sql, size_t size, int n, const char *tail,
                       cx_err *err)
{
    if (n >= 0 && (size_t)n < size)
        n += snprintf(sql + n, size - (size_t)n, "%sCOMMIT;", tail);
    if (n < 0 || (size_t)n >= size)
        return cx_err_set(err, CX_EDB, st->path, 0, "schema upgrade too long");
    int rc = exec(st, sql, err);
    if (rc)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int migrate_v2(sto_store *st, cx_err *err)
{
    char sql[4096];
    int n = snprintf(sql, sizeof sql, "BEGIN IMMEDIATE;");
    const char *all = V3_COLUMNS_OF("|") "|" V3_REPORT_COLUMNS_OF("|");
    const char *tables[2] = {"report", "incidents"};
    for (int t = 0; t < 2; t++) {
        const char *p = all;
        int k = 0;
        while (*p) {
            size_t len = strcspn(p, "|");
            /* the src_ columns (the last three) belong to report only */
            int rc = 0;
            if (t == 0 || k < 8)
                rc = add_column(st, tables[t], p, (int)len, sql, sizeof sql, &n, err);
            if (rc)
                return rc;
            k++;
            p += len + (p[len] == '|');
        }
    }
    static const char *const doc_cols[] = {"url TEXT", "outlet TEXT"};
    for (int i = 0; i < 2; i++) {
        int rc = add_column(st, "documents", doc_cols[i], (int)strlen(doc_cols[i]), sql,
                            sizeof sql, &n, err);
        if (rc)
            return rc;
    }
    return run_upgrade(st, sql, sizeof sql, n,
                       "DROP VIEW IF EXISTS sources;" SOURCES_VIEW_V3
                       "UPDATE meta SET value='3' WHERE key='schema_version';",
                       err);
}

/* Version 3 did not keep where the evidence names the trigger and the place
 * (issue 21): the columns, NULL in the rows it stored (the review page
 * searches those sentences for the type's trigger words), and the sources
 * view with them. */
static int migrate_v3(sto_store *st, cx_err *err)
{
    char sql[2048];
    int n = snprintf(sql, sizeof sql, "BEGIN IMMEDIATE;");
    static const char *const tables[2] = {"report", "incidents"};
    static const char *const cols[4] = {"trig_start INTEGER", "trig_end INTEGER",
                                        "place_start INTEGER", "place_end INTEGER"};
    for (int t = 0; t < 2; t++)
        for (int c = 0; c < 4; c++) {
            int rc = add_column(st, tables[t], cols[c], (int)strlen(cols[c]), sql, sizeof sql, &n,
                                err);
            if (rc)
                return rc;
        }
    return run_upgrade(st, sql, sizeof sql, n,
                       "DROP VIEW IF EXISTS sources;" SOURCES_VIEW
                       "UPDATE meta SET value='4' WHERE key='schema_version';",
                       err);
}

static int check_version(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "SELECT value FROM meta WHERE key='schema_version'", &s, err);
    if (rc)
        return rc;
    int step = sqlite3_step(s), v = 0;
    if (step == SQLITE_ROW) {
        v = sqlite3_column_int(s, 0);
        /* versions 1 to 3 are upgraded when opened (read-only: by a
         * read-write connection first, see sto_open) */
        if (v < 1 || v > STO_SCHEMA_VERSION)
            rc = cx_err_set(err, CX_EDB, st->path, 0,
                            "store %s has schema version %d; this incimap reads version %d",
                            st->path, v, STO_SCHEMA_VERSION);
    } else if (step == SQLITE_DONE) {
        rc = cx_err_set(err, CX_EDB, st->path, 0, "%s is not an incimap store (no version)",
                        st->path);
    } else {
        rc = db_err(st, err, "reading the schema version");
    }
    sqlite3_finalize(s);
    if (rc == 0 && v == 1 && !st->readonly)
        rc = migrate_v1(st, err);
    if (rc == 0 && (v == 1 || v == 2) && !st->readonly)
        rc = migrate_v2(st, err);
    if (rc == 0 && v >= 1 && v <= 3 && !st->readonly)
        rc = migrate_v3(st, err);
    if (rc == 0 && v < STO_SCHEMA_VERSION && st->readonly)
        rc = STO_OLD_SCHEMA;
    return rc;
}

/* ===== Open / close ===== */

sto_store *sto_open(const char *path, int mode, cx_err *err)
{
    sto_store *st = calloc(1, sizeof *st);
    if (!st) {
        cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
        return NULL;
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    mrg_options_init(&st->mopts);
    st->readonly = mode == STO_OPEN_READONLY;
    int flags = mode == STO_OPEN_READONLY ? SQLITE_OPEN_READONLY
                : mode == STO_OPEN_EXISTING ? SQLITE_OPEN_READWRITE
                                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (!st->db || rc == SQLITE_CANTOPEN)
            cx_err_set(err, mode == STO_OPEN_CREATE ? CX_EIO : CX_ENOTFOUND, path, 0,
                       "cannot open store %s: %s", path,
                       st->db ? sqlite3_errmsg(st->db) : "out of memory");
        else
            db_err(st, err, "opening the store");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    st->busy_ms = STO_BUSY_TIMEOUT_MS;
    sqlite3_busy_timeout(st->db, st->busy_ms);
    if (!st->readonly && cx_spatialite_load(st->db, path, err) != 0)
        goto fail;
    sqlite3_create_function(st->db, "incimap_place_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                            NULL, sql_place_key, NULL, NULL);

    /* Touch the file: a non-SQLite file fails here. */
    int meta = has_meta(st, err);
    if (meta < 0) {
        cx_err_clear(err);
        cx_err_set(err, CX_EDB, path, 0, "%s is not an incimap store: %s", path,
                   sqlite3_errmsg(st->db));
        goto fail;
    }
    if (!st->readonly) {
        /* WAL: readers never block the writer; a killed writer leaves an
         * uncommitted tail that SQLite ignores on the next open. */
        if (exec(st, "PRAGMA journal_mode=WAL", err) ||
            exec(st, "PRAGMA synchronous=NORMAL", err))
            goto fail;
        if (!meta && mode == STO_OPEN_CREATE && create_schema(st, err))
            goto fail;
    }
    if (!meta && (mode != STO_OPEN_CREATE)) {
        cx_err_set(err, CX_EDB, path, 0, "%s is not an incimap store", path);
        goto fail;
    }
    int cv = check_version(st, err);
    if (cv == STO_OLD_SCHEMA) {
        /* an older store opened read-only: upgraded once by a read-write
         * connection (a brief write lock), then opened as asked */
        sto_close(st);
        sto_store *rw = sto_open(path, STO_OPEN_EXISTING, err);
        if (!rw)
            return NULL;
        sto_close(rw);
        return sto_open(path, mode, err);
    }
    if (cv)
        goto fail;
    return st;
fail:
    if (!err || !err->code)
        cx_err_set(err, CX_EDB, path, 0, "%s is not an incimap store", path);
    sto_close(st);
    return NULL;
}

void sto_close(sto_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->q[i]);
    if (st->db)
        sqlite3_close(st->db);
    free(st);
}

/* A scratch store's schema (sto_open_scratch): the tables and columns the
 * spill, merge_all and sto_export use, plain SQLite. No SpatiaLite: its
 * metadata cost about 80 M instructions to create and its triggers ran on
 * every row written; `geom` stays, always NULL, so that the statements name
 * the same columns. No index but the primary keys and the one sto_export
 * orders by: report_incident is built once, after merge_all (an index
 * filled row by row while the reports are linked cost more). */
static const char *const scratch_sql =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE documents("
    " id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT, published TEXT,"
    " lang TEXT, added TEXT NOT NULL, n_reports INTEGER NOT NULL, url TEXT, outlet TEXT);"
    "CREATE TABLE incidents(incident_id INTEGER PRIMARY KEY, component INTEGER NOT NULL,"
    " sort_key TEXT NOT NULL," INC_COLUMNS "," V4_COLUMNS_OF(",") ", geom BLOB, srcs BLOB);"
    "CREATE INDEX incidents_order ON incidents(sort_key);"
    "CREATE TABLE report(report_id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL, incident_id INTEGER, component INTEGER,"
    INC_COLUMNS "," V3_REPORT_COLUMNS_OF(",") "," V4_COLUMNS_OF(",") ", geom BLOB);";

/* exec() for sto_open_scratch: a write that fails at COMMIT with the
 * journal off leaves sqlite3_system_errno unset; the reason (disk full,
 * file too large) is still in errno. */
static int scratch_exec(sto_store *st, const char *sql, cx_err *err)
{
    errno = 0;
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    int e = errno, rc = db_err(st, err, NULL);
    if (err && !sqlite3_system_errno(st->db) && (e == EFBIG || e == ENOSPC || e == EDQUOT)) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (%s)", strerror(e));
    }
    return rc;
}

sto_store *sto_open_scratch(const char *path, cx_err *err)
{
    sto_store *st = calloc(1, sizeof *st);
    if (!st) {
        cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
        return NULL;
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    mrg_options_init(&st->mopts);
    st->busy_ms = STO_BUSY_TIMEOUT_MS;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    if (rc != SQLITE_OK) {
        cx_err_set(err, CX_EIO, path, 0, "cannot open store %s: %s", path,
                   st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sto_close(st);
        return NULL;
    }
    sqlite3_extended_result_codes(st->db, 1);
    long n_tables = 0;
    char meta[256];
    snprintf(meta, sizeof meta,
             "INSERT INTO meta VALUES('application', 'incimap store'),"
             "('schema_version', '%d'), ('scratch', '1');",
             STO_SCHEMA_VERSION);
    if (count_tables(st, &n_tables, err)) {
        sto_close(st);
        return NULL;
    }
    if (n_tables > 0) {
        cx_err_set(err, CX_EDB, path, 0, "%s exists: a scratch store must be new", path);
        sto_close(st);
        return NULL;
    }
    /* one transaction: a write that fails (disk full) fails at COMMIT */
    if (scratch_exec(st, "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF;"
                         " PRAGMA locking_mode=EXCLUSIVE; BEGIN", err) ||
        scratch_exec(st, scratch_sql, err) || scratch_exec(st, meta, err) ||
        scratch_exec(st, "COMMIT", err)) {
        sto_close(st);
        return NULL;
    }
    st->scratch = true;
    st->plain = true;
    return st;
}

int sto_set_scratch(sto_store *st, cx_err *err)
{
    /* Nobody else opens a scratch store, and it is deleted after the run
     * (after a failure too): no fsync, no rollback journal (a failed run
     * discards the file), one connection. No geometries (export reads
     * lon/lat), and only the indexes merge_all and sto_export read: the
     * incremental merge's search trees and indexes are not filled. */
    int rc = exec(st,
                  "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; PRAGMA locking_mode=EXCLUSIVE;"
                  "SELECT DisableSpatialIndex('report', 'geom');"
                  "SELECT DisableSpatialIndex('incidents', 'geom');"
                  "DROP INDEX documents_hash; DROP INDEX report_doc; DROP INDEX report_component;"
                  "DROP INDEX report_place; DROP INDEX incidents_component;",
                  err);
    if (rc == 0)
        st->scratch = true;
    return rc;
}

void sto_set_replace(sto_store *st, bool on)
{
    if (st)
        st->replace = on;
}

void sto_set_busy_timeout(sto_store *st, int ms)
{
    if (!st)
        return;
    st->busy_ms = ms;
    sqlite3_busy_timeout(st->db, ms);
}

/* ===== Rows ===== */

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
    return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static int bind_real(sqlite3_stmt *s, int i, double v)
{
    return isfinite(v) ? sqlite3_bind_double(s, i, v) : sqlite3_bind_null(s, i);
}

/* Bind the INC_NAMES columns of `inc` starting at parameter `first`. */
static int bind_incident(sqlite3_stmt *s, int first, const ext_incident *inc)
{
    long lo, hi;
    bool known = mrg_date_span(inc, &lo, &hi);
    int i = first, rc = 0;
    rc |= sqlite3_bind_int(s, i++, inc->type);
    rc |= bind_text(s, i++, inc->date);
    rc |= sqlite3_bind_int(s, i++, inc->date_prec);
    rc |= known ? sqlite3_bind_int64(s, i++, lo) : sqlite3_bind_null(s, i++);
    rc |= known ? sqlite3_bind_int64(s, i++, hi) : sqlite3_bind_null(s, i++);
    rc |= bind_text(s, i++, inc->place);
    rc |= bind_text(s, i++, inc->place_name);
    rc |= bind_text(s, i++, inc->place_id);
    rc |= bind_text(s, i++, inc->country);
    rc |= bind_text(s, i++, inc->admin1);
    rc |= sqlite3_bind_int(s, i++, inc->geo_prec);
    rc |= bind_real(s, i++, inc->lon);
    rc |= bind_real(s, i++, inc->lat);
    rc |= bind_text(s, i++, inc->actor1);
    rc |= bind_text(s, i++, inc->actor2);
    rc |= bind_text(s, i++, inc->claimed_by);
    rc |= sqlite3_bind_int(s, i++, inc->fatalities);
    rc |= sqlite3_bind_int(s, i++, inc->fatalities_max);
    rc |= sqlite3_bind_int(s, i++, inc->injured);
    rc |= sqlite3_bind_int(s, i++, inc->n_sources);
    rc |= inc->evidence ? bind_text(s, i++, inc->evidence) : sqlite3_bind_null(s, i++);
    rc |= bind_real(s, i++, inc->confidence);
    rc |= bind_real(s, i++, inc->border_km);
    rc |= sqlite3_bind_int(s, i++, inc->contested ? 1 : 0);
    rc |= sqlite3_bind_int64(s, i++, (sqlite3_int64)inc->offset);
    rc |= bind_text(s, i++, inc->admin2);
    rc |= bind_text(s, i++, inc->place_unit);
    rc |= bind_text(s, i++, inc->sub_event_type);
    rc |= sqlite3_bind_int(s, i++, inc->injured_max);
    rc |= sqlite3_bind_int(s, i++, inc->n_reprints);
    rc |= bind_text(s, i++, inc->published);
    rc |= bind_text(s, i++, inc->incident_id);
    rc |= bind_text(s, i++, inc->place_alt);
    return rc;
}

/* Span `sp` of `evidence` as characters at parameters i and i + 1 (issue
 * 21): NULL when not recorded, -1 when the sentence has none. */
static int bind_span(sqlite3_stmt *s, int i, ext_span sp, const char *evidence)
{
    sp = ext_span_check(sp, evidence);
    if (sp.start == EXT_SPAN_UNKNOWN)
        return sqlite3_bind_null(s, i) | sqlite3_bind_null(s, i + 1);
    if (sp.start < 0)
        return sqlite3_bind_int(s, i, -1) | sqlite3_bind_int(s, i + 1, -1);
    return sqlite3_bind_int(s, i, ext_utf8_chars(evidence, sp.start)) |
           sqlite3_bind_int(s, i + 1, ext_utf8_chars(evidence, sp.end));
}

/* The SPAN_NAMES columns of `inc` from parameter `first`. */
static int bind_spans(sqlite3_stmt *s, int first, const ext_incident *inc)
{
    return bind_span(s, first, inc->trig_span, inc->evidence) |
           bind_span(s, first + 2, inc->place_span, inc->evidence);
}

ext_span stop_col_span_chars(sqlite3_stmt *s, int i, const char *evidence)
{
    ext_span unknown = {EXT_SPAN_UNKNOWN, EXT_SPAN_UNKNOWN};
    if (sqlite3_column_type(s, i) == SQLITE_NULL || sqlite3_column_type(s, i + 1) == SQLITE_NULL)
        return unknown;
    sqlite3_int64 a = sqlite3_column_int64(s, i), b = sqlite3_column_int64(s, i + 1);
    if (a < 0)
        return (ext_span){EXT_SPAN_NONE, EXT_SPAN_NONE};
    if (b <= a || b > ext_utf8_chars(evidence, (int)strlen(evidence)))
        return unknown;
    return (ext_span){(int)a, (int)b};
}

/* The span in columns i and i + 1 as bytes of `evidence` (bind_span). */
static ext_span col_span(sqlite3_stmt *s, int i, const char *evidence)
{
    ext_span c = stop_col_span_chars(s, i, evidence);
    if (c.start < 0)
        return c;
    return ext_span_check(
        (ext_span){ext_utf8_bytes(evidence, c.start), ext_utf8_bytes(evidence, c.end)}, evidence);
}

/* The SPAN_NAMES columns from column `first` into `inc` (its evidence read). */
static void read_spans(sqlite3_stmt *s, int first, ext_incident *inc)
{
    inc->trig_span = col_span(s, first, inc->evidence);
    inc->place_span = col_span(s, first + 2, inc->evidence);
}

static void col_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(dst, size, "%s", v ? (const char *)v : "");
}

static double col_real(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

/* Read the INC_NAMES columns starting at column `first` into `inc`
 * (initialised). Returns 0 or CX_ENOMEM. */
static int read_incident(sqlite3_stmt *s, int first, ext_incident *inc)
{
    int i = first;
    inc->type = sqlite3_column_int(s, i++);
    col_text(s, i++, inc->date, sizeof inc->date);
    inc->date_prec = sqlite3_column_int(s, i++);
    i += 2; /* date_lo, date_hi: derived */
    col_text(s, i++, inc->place, sizeof inc->place);
    col_text(s, i++, inc->place_name, sizeof inc->place_name);
    col_text(s, i++, inc->place_id, sizeof inc->place_id);
    col_text(s, i++, inc->country, sizeof inc->country);
    col_text(s, i++, inc->admin1, sizeof inc->admin1);
    inc->geo_prec = sqlite3_column_int(s, i++);
    inc->lon = col_real(s, i++);
    inc->lat = col_real(s, i++);
    col_text(s, i++, inc->actor1, sizeof inc->actor1);
    col_text(s, i++, inc->actor2, sizeof inc->actor2);
    col_text(s, i++, inc->claimed_by, sizeof inc->claimed_by);
    inc->fatalities = sqlite3_column_int(s, i++);
    inc->fatalities_max = sqlite3_column_int(s, i++);
    inc->injured = sqlite3_column_int(s, i++);
    inc->n_sources = sqlite3_column_int(s, i++);
    const unsigned char *ev = sqlite3_column_text(s, i);
    if (ev) {
        size_t len = (size_t)sqlite3_column_bytes(s, i);
        if (!(inc->evidence = malloc(len + 1)))
            return CX_ENOMEM;
        memcpy(inc->evidence, ev, len + 1);
    }
    i++;
    inc->confidence = col_real(s, i++);
    if (isnan(inc->confidence))
        inc->confidence = 0;
    inc->border_km = col_real(s, i++);
    inc->contested = sqlite3_column_int(s, i++) != 0;
    inc->offset = (size_t)sqlite3_column_int64(s, i++);
    col_text(s, i++, inc->admin2, sizeof inc->admin2);
    col_text(s, i++, inc->place_unit, sizeof inc->place_unit);
    col_text(s, i++, inc->sub_event_type, sizeof inc->sub_event_type);
    inc->injured_max = sqlite3_column_int(s, i++);
    inc->n_reprints = sqlite3_column_int(s, i++);
    col_text(s, i++, inc->published, sizeof inc->published);
    col_text(s, i++, inc->incident_id, sizeof inc->incident_id);
    col_text(s, i++, inc->place_alt, sizeof inc->place_alt);
    return 0;
}

/* ===== Documents ===== */

/* Look up `doc`'s id; STO_DOC_* or <0. */
static int doc_state(sto_store *st, const rd_doc *doc, const char *hash, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = cached(st, Q_DOC_STATE, "SELECT content_hash FROM documents WHERE id=?", &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, doc->id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(s, 0);
        rc = h && strcmp((const char *)h, hash) == 0 ? STO_DOC_KNOWN : STO_DOC_CONFLICT;
    } else if (step == SQLITE_DONE) {
        rc = STO_DOC_NEW;
    } else {
        rc = db_err(st, err, "looking up a document");
    }
    sqlite3_reset(s);
    return rc;
}

static void doc_hash(const rd_doc *doc, char hex[65])
{
    stop_sha256_hex(doc->text ? doc->text : "", doc->text ? doc->text_len : 0, hex);
}

int sto_has_doc(sto_store *st, const rd_doc *doc, cx_err *err)
{
    if (!doc->id || !doc->id[0])
        return cx_err_set(err, CX_EINVAL, doc->source, doc->line, "document without an id");
    char hash[65];
    doc_hash(doc, hash);
    return doc_state(st, doc, hash, err);
}

/* ===== Incremental merge ===== */

typedef struct work {
    ext_incident *reps; /* reports to merge: the new ones, then the stored ones */
    sqlite3_int64 *ids; /* their report_id */
    sqlite3_int64 *old_inc, *old_comp; /* their stored incident_id, component; 0: none */
    size_t n, cap;
    sqlite3_int64 *comps; /* stored components the new reports link to (sorted, unique) */
    size_t n_comps, cap_comps;
    const int64_t (*span_keys)[4]; /* write_ready of a plain scratch store: each report's
                                    * SPAN_NAMES as stored (INT64_MIN: NULL); borrowed */
} work;

static void work_free(work *w)
{
    for (size_t i = 0; i < w->n; i++)
        ext_incident_clear(&w->reps[i]);
    free(w->reps);
    free(w->ids);
    free(w->old_inc);
    free(w->old_comp);
    free(w->comps);
}

/* Append a slot; returns it initialised, or NULL. */
static ext_incident *work_push(work *w, sqlite3_int64 id)
{
    /* four parallel arrays, grown alike from the same capacity */
    size_t need = w->n + 1, c1 = w->cap, c2 = w->cap, c3 = w->cap, c4 = w->cap;
    ext_incident *r = cx_grow(w->reps, &c1, need, sizeof *r, 16);
    if (!r)
        return NULL;
    w->reps = r;
    sqlite3_int64 *ids = cx_grow(w->ids, &c2, need, sizeof *ids, 16);
    if (!ids)
        return NULL;
    w->ids = ids;
    if (!(ids = cx_grow(w->old_inc, &c3, need, sizeof *ids, 16)))
        return NULL;
    w->old_inc = ids;
    if (!(ids = cx_grow(w->old_comp, &c4, need, sizeof *ids, 16)))
        return NULL;
    w->old_comp = ids;
    w->cap = c1;
    ext_incident_init(&w->reps[w->n]);
    w->ids[w->n] = id;
    w->old_inc[w->n] = w->old_comp[w->n] = 0;
    return &w->reps[w->n++];
}

/* Where component c is, or would go, in the sorted w->comps. */
static size_t comp_index(const work *w, sqlite3_int64 c)
{
    size_t lo = 0, hi = w->n_comps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->comps[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int add_comp(work *w, sqlite3_int64 c)
{
    size_t pos = comp_index(w, c);
    if (pos < w->n_comps && w->comps[pos] == c)
        return 0;
    sqlite3_int64 *g = cx_grow(w->comps, &w->cap_comps, w->n_comps + 1, sizeof *g, 16);
    if (!g)
        return CX_ENOMEM;
    w->comps = g;
    memmove(&w->comps[pos + 1], &w->comps[pos], (w->n_comps - pos) * sizeof *w->comps);
    w->comps[pos] = c;
    w->n_comps++;
    return 0;
}

/* Whether component c is among w's linked ones (kept sorted by add_comp). */
static bool has_comp(const work *w, sqlite3_int64 c)
{
    size_t k = comp_index(w, c);
    return k < w->n_comps && w->comps[k] == c;
}

#define SELECT_REPORT                                                                    \
    "SELECT report_id, doc_id, incident_id, component, " INC_NAMES                        \
    ", src_url, src_outlet, src_fp, " SPAN_NAMES " FROM report "

/* The report's source from its src_url, src_outlet, src_fp columns
 * (starting at column `first`) and its own fields. */
static int add_row_source(ext_incident *r, sqlite3_stmt *s, int first, const unsigned char *doc)
{
    const unsigned char *url = sqlite3_column_text(s, first);
    const unsigned char *outlet = sqlite3_column_text(s, first + 1);
    const unsigned char *fp = sqlite3_column_text(s, first + 2);
    uint64_t v = fp ? strtoull((const char *)fp, NULL, 16) : 0;
    if (ext_incident_add_source(r, doc ? (const char *)doc : "", (const char *)url,
                                (const char *)outlet, r->published, r->evidence, r->claimed_by,
                                v))
        return CX_ENOMEM;
    r->srcs[r->n_srcs - 1].trig_span = r->trig_span; /* its sentence is the report's */
    r->srcs[r->n_srcs - 1].place_span = r->place_span;
    return 0;
}

/* Read a SELECT_REPORT row into a new work slot. */
static int push_row(work *w, sqlite3_stmt *s)
{
    ext_incident *r = work_push(w, sqlite3_column_int64(s, 0));
    if (!r)
        return CX_ENOMEM;
    w->old_inc[w->n - 1] = sqlite3_column_int64(s, 2); /* NULL reads as 0 */
    w->old_comp[w->n - 1] = sqlite3_column_int64(s, 3);
    const unsigned char *doc = sqlite3_column_text(s, 1);
    if (read_incident(s, 4, r) || ext_incident_add_doc(r, doc ? (const char *)doc : ""))
        return CX_ENOMEM;
    read_spans(s, 4 + INC_NCOLS + 3, r);
    return add_row_source(r, s, 4 + INC_NCOLS, doc);
}

/* Find the stored components compatible with new report `r`. */
static int find_links(sto_store *st, sqlite3_stmt *near, const ext_incident *r, work *w,
                      cx_err *err)
{
    long lo, hi;
    bool known = mrg_date_span(r, &lo, &hi);
    double rmax = mrg_radius_km(&st->mopts, 3, 3);
    if (st->mopts.km_prec1 > rmax)
        rmax = st->mopts.km_prec1;
    if (st->mopts.km_prec2 > rmax)
        rmax = st->mopts.km_prec2;
    double dlat = rmax / 111.0 + 0.01, dlon = 360.0;
    bool coords = r->geo_prec >= 1 && isfinite(r->lon) && isfinite(r->lat);
    if (coords && fabs(r->lat) + dlat < 89.0)
        dlon = dlat / cos((fabs(r->lat) + dlat) * 3.14159265358979323846 / 180.0);
    sqlite3_reset(near);
    sqlite3_clear_bindings(near);
    sqlite3_bind_int(near, 1, r->type);
    bind_text(near, 2, r->place_id);
    if (coords) {
        sqlite3_bind_double(near, 3, r->lon - dlon);
        sqlite3_bind_double(near, 4, r->lon + dlon);
        sqlite3_bind_double(near, 5, r->lat - dlat);
        sqlite3_bind_double(near, 6, r->lat + dlat);
    } else { /* an empty box */
        sqlite3_bind_double(near, 3, 1);
        sqlite3_bind_double(near, 4, -1);
        sqlite3_bind_double(near, 5, 1);
        sqlite3_bind_double(near, 6, -1);
    }
    if (known) {
        sqlite3_bind_int64(near, 7, lo);
        sqlite3_bind_int64(near, 8, hi);
    }
    sqlite3_bind_int64(near, 9, known ? lo : NO_DAY);
    sqlite3_bind_int64(near, 10, known ? hi : NO_DAY);
    sqlite3_bind_int64(near, 11, place_key(r->type, r->place_id));
    sqlite3_stmt *one = NULL;
    int rc = cached(st, Q_REP_BY_ID, SELECT_REPORT "WHERE report_id=?", &one, err);
    if (rc)
        return rc;
    int step;
    ext_incident cand;
    ext_incident_init(&cand);
    while ((step = sqlite3_step(near)) == SQLITE_ROW) {
        /* a candidate of a component already linked adds nothing: it is
         * neither read nor compared (a busy place's year holds thousands) */
        sqlite3_int64 comp = sqlite3_column_int64(near, 1);
        if (has_comp(w, comp))
            continue;
        sqlite3_reset(one);
        sqlite3_bind_int64(one, 1, sqlite3_column_int64(near, 0));
        if (sqlite3_step(one) != SQLITE_ROW) {
            ext_incident_clear(&cand);
            return db_err(st, err, "reading a stored report");
        }
        ext_incident_clear(&cand);
        if (read_incident(one, 4, &cand))
            goto nomem;
        if (mrg_compatible(r, &cand, &st->mopts) && add_comp(w, comp))
            goto nomem;
    }
    sqlite3_reset(one);
    ext_incident_clear(&cand);
    if (step != SQLITE_DONE)
        return db_err(st, err, "searching stored reports");
    return 0;
nomem:
    sqlite3_reset(one);
    ext_incident_clear(&cand);
    return cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
}

/* The reports near a new one (same type; same place_id or in the box) whose
 * date span overlaps (or, for an unknown date, is unknown too). */
static const char *const near_sql =
    "SELECT report.report_id, report.component FROM ("
    " SELECT id FROM report_pspan WHERE ?2<>'' AND k0<=?11 AND k1>=?11 AND d1>=?9 AND d0<=?10"
    " UNION SELECT id FROM report_span WHERE x1>=?3 AND x0<=?4 AND y1>=?5 AND y0<=?6"
    "  AND d1>=?9 AND d0<=?10) AS near"
    " CROSS JOIN report ON report.report_id = near.id" /* CROSS: the R*Trees lead */
    " WHERE type=?1 AND component IS NOT NULL"
    " AND ((?7 IS NULL AND date_lo IS NULL) OR (date_lo<=?8 AND date_hi>=?7))";

static int cmp_i64(const void *pa, const void *pb)
{
    sqlite3_int64 a = *(const sqlite3_int64 *)pa, b = *(const sqlite3_int64 *)pb;
    return (a > b) - (a < b);
}

/* How many of the sorted `v[0..n)` equal x. */
static size_t count_i64(const sqlite3_int64 *v, size_t n, sqlite3_int64 x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first >= x */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && v[k] == x)
        k++;
    return k - lo;
}

/* The split keys of the reports of `w` (store_review.c: the review_apart
 * rows of active splits, split_id * 2 + side), for mrg_merge_apart: every
 * merge of stored reports goes through write_merge, so every path (a new
 * document, a replaced one, the analyst's split itself) keeps the parts
 * apart. *apart is NULL when no active split touches `w` (or the store
 * has no review tables); else one entry per report, keys in *keys. One
 * query when the store has no active split; else one lookup per report. */
static int load_apart(sto_store *st, const work *w, mrg_apart **apart, int64_t **keys,
                      cx_err *err)
{
    *apart = NULL;
    *keys = NULL;
    if (st->scratch) /* nobody reviews a scratch store (and a failed prepare per call cost) */
        return 0;
    if (!st->q[Q_APART_ANY]) {
        if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM review_split WHERE active = 1 LIMIT 1", -1,
                               &st->q[Q_APART_ANY], NULL) != SQLITE_OK) {
            st->q[Q_APART_ANY] = NULL;
            if (strstr(sqlite3_errmsg(st->db), "no such table"))
                return 0; /* never reviewed: no split */
            return db_err(st, err, "reading splits");
        }
    }
    sqlite3_stmt *q = st->q[Q_APART_ANY];
    sqlite3_reset(q);
    int step = sqlite3_step(q);
    sqlite3_reset(q);
    if (step == SQLITE_DONE)
        return 0;
    if (step != SQLITE_ROW)
        return db_err(st, err, "reading splits");
    int rc = cached(st, Q_APART,
                    "SELECT a.split_id * 2 + a.side FROM review_apart a"
                    " JOIN review_split s ON s.split_id = a.split_id"
                    " WHERE a.report_id = ? AND s.active = 1 ORDER BY 1",
                    &q, err);
    if (rc)
        return rc;
    int64_t *key = NULL;
    size_t n = 0, cap = 0, *at = calloc(w->n + 1, sizeof *at); /* first key of each report */
    if (!(*apart = calloc(w->n + 1, sizeof **apart)) || !at)
        rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < w->n; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, w->ids[i]);
        at[i] = n;
        while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
            int64_t *g = cx_grow(key, &cap, n + 1, sizeof *g, 16);
            if (!g)
                rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            else
                (key = g)[n++] = sqlite3_column_int64(q, 0);
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = db_err(st, err, "reading splits");
    }
    sqlite3_reset(q);
    for (size_t i = 0; rc == 0 && n && i < w->n; i++) /* key is final: point into it */
        (*apart)[i] = (mrg_apart){key + at[i], (i + 1 < w->n ? at[i + 1] : n) - at[i]};
    free(at);
    if (rc || n == 0) {
        free(*apart);
        free(key);
        *apart = NULL;
        return rc;
    }
    *keys = key;
    return 0;
}

/* Write the merge of `w` (whole stored components plus new reports): an
 * incident whose reports are exactly those of a stored incident is that
 * incident (its fields depend on its reports only) and stays as it is;
 * the other stored incidents of the components are deleted, the new ones
 * inserted, and only the reports whose incident or component changed are
 * updated. So a batch that adds a report to a large place-period rewrites
 * what changed, not the whole period. */
#define INS_INC_SQL(GEOM)                                                                \
    "INSERT INTO incidents(component, sort_key, " INC_NAMES ", geom, " SPAN_NAMES         \
    ") VALUES(?,?," INC_PARAMS ", " GEOM ", ?38, ?39, ?40, ?41)"
/* A plain scratch store's incident keeps its sources (srcs_blob) */
#define INS_INC_PLAIN_SQL                                                                \
    "INSERT INTO incidents(component, sort_key, " INC_NAMES ", geom, " SPAN_NAMES         \
    ", srcs) VALUES(?,?," INC_PARAMS ", NULL, ?38, ?39, ?40, ?41, ?42)"

/* ===== A plain scratch store's sources =====
 * sto_export gives an incident one source per document, the first of its
 * reports in the order ORDER BY doc_id, length(evidence) DESC, evidence,
 * SPAN_NAMES (then report_id, the order SQLite reads them in). A store
 * reads them back through report.incident_id; a plain scratch store keeps
 * them with the incident instead (the same sources, chosen here in that
 * order), so the merge does not link every report and the export does not
 * query the reports of every incident. */
typedef struct src_ref {
    size_t k;               /* the incident */
    const ext_incident *r;  /* the report (its one source, srcs[0]) */
    const int64_t *sk;      /* its SPAN_NAMES as stored */
    long len;               /* length(evidence) in characters, -1 NULL */
    int64_t id;             /* report_id */
} src_ref;

/* SQLite's length() of a text: characters before the first NUL, a lead
 * byte (>= 0xc0) taking the continuation bytes after it. */
static long sql_chars(const char *z)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)z;
    while (*p) {
        if (*p++ >= 0xc0)
            while ((*p & 0xc0) == 0x80)
                p++;
        n++;
    }
    return n;
}

static int cmp_src_ref(const void *pa, const void *pb)
{
    const src_ref *a = pa, *b = pb;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    const char *da = a->r->n_doc_ids ? a->r->doc_ids[0] : "";
    const char *db = b->r->n_doc_ids ? b->r->doc_ids[0] : "";
    int c = strcmp(da, db);
    if (c)
        return c;
    if (a->len != b->len) /* DESC, NULL last */
        return a->len < 0 ? 1 : b->len < 0 ? -1 : a->len > b->len ? -1 : 1;
    const char *ea = a->r->evidence, *eb = b->r->evidence;
    if (!ea || !eb) { /* NULL first */
        if (ea != eb)
            return ea ? 1 : -1;
    } else if ((c = strcmp(ea, eb)) != 0) {
        return c;
    }
    for (int j = 0; j < 4; j++)
        if (a->sk[j] != b->sk[j])
            return a->sk[j] < b->sk[j] ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int blob_str(cx_buf *b, const char *v, bool nullable)
{
    if (nullable && cx_buf_putc(b, v ? 1 : 0))
        return CX_ENOMEM;
    return v ? cx_buf_append(b, v, strlen(v) + 1) : nullable ? 0 : cx_buf_putc(b, 0);
}

static int blob_src(cx_buf *b, const ext_source *src)
{
    int32_t sp[4] = {src->trig_span.start, src->trig_span.end, src->place_span.start,
                     src->place_span.end};
    uint64_t fp = src->text_fp;
    return blob_str(b, src->doc_id ? src->doc_id : "", false) || blob_str(b, src->url, true) ||
           blob_str(b, src->outlet, true) || blob_str(b, src->published, false) ||
           blob_str(b, src->evidence, true) || blob_str(b, src->claimed_by, false) ||
           cx_buf_append(b, (const char *)&fp, sizeof fp) ||
           cx_buf_append(b, (const char *)sp, sizeof sp)
               ? CX_ENOMEM
               : 0;
}

/* The next string of a blob at *p (below end): NULL when absent or cut. */
static const char *unblob_str(const char **p, const char *end, bool nullable, bool *bad)
{
    if (nullable) {
        if (*p >= end) {
            *bad = true;
            return NULL;
        }
        if (*(*p)++ == 0)
            return NULL;
    }
    const char *v = *p, *z = memchr(v, 0, (size_t)(end - v));
    if (!z) {
        *bad = true;
        return NULL;
    }
    *p = z + 1;
    return v;
}

/* Add the sources of blob [p, end) to `inc` (and their doc ids).
 * Returns 0, CX_ENOMEM, or CX_EDB when the blob is cut. */
static int unblob_srcs(ext_incident *inc, const char *p, const char *end)
{
    while (p < end) {
        bool bad = false;
        const char *doc = unblob_str(&p, end, false, &bad);
        const char *url = unblob_str(&p, end, true, &bad);
        const char *outlet = unblob_str(&p, end, true, &bad);
        const char *published = unblob_str(&p, end, false, &bad);
        const char *evidence = unblob_str(&p, end, true, &bad);
        const char *claimed = unblob_str(&p, end, false, &bad);
        uint64_t fp;
        int32_t sp[4];
        if (bad || end - p < (ptrdiff_t)(sizeof fp + sizeof sp))
            return CX_EDB;
        memcpy(&fp, p, sizeof fp);
        memcpy(sp, p + sizeof fp, sizeof sp);
        p += sizeof fp + sizeof sp;
        if (ext_incident_add_doc(inc, doc) ||
            ext_incident_add_source(inc, doc, url, outlet, published, evidence, claimed, fp))
            return CX_ENOMEM;
        ext_source *src = &inc->srcs[inc->n_srcs - 1];
        src->trig_span = (ext_span){sp[0], sp[1]};
        src->place_span = (ext_span){sp[2], sp[3]};
    }
    return 0;
}

static int write_merge(sto_store *st, work *w, cx_err *err)
{
    mrg_result res = {0};
    sqlite3_stmt *del = NULL, *ins = NULL, *upd = NULL, *upd_comp = NULL;
    sqlite3_int64 *comp_id = NULL, *inc_id = NULL, *inc_comp = NULL, *same = NULL;
    sqlite3_int64 *olds = NULL, *kept = NULL;
    size_t *count = NULL, n_olds = 0, n_kept = 0;
    mrg_apart *apart = NULL;
    int64_t *apart_keys = NULL;
    src_ref *refs = NULL; /* plain scratch store: the sources of the incidents */
    cx_buf blob = {0};
    size_t at = 0;
    int rc = load_apart(st, w, &apart, &apart_keys, err);
    if (rc || (rc = mrg_merge_apart(w->reps, apart, w->n, &st->mopts, &res, err)))
        goto done;
    comp_id = malloc((res.n_components + 1) * sizeof *comp_id);
    inc_id = malloc((res.n + 1) * sizeof *inc_id);
    inc_comp = malloc((res.n + 1) * sizeof *inc_comp);
    same = malloc((res.n + 1) * sizeof *same);
    count = calloc(res.n + 1, sizeof *count);
    olds = malloc((w->n + 1) * sizeof *olds);
    kept = malloc((res.n + 1) * sizeof *kept);
    if (!comp_id || !inc_id || !inc_comp || !same || !count || !olds || !kept) {
        rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        goto done;
    }
    /* A component's id is its smallest report_id: stable while it lives. */
    for (size_t c = 0; c < res.n_components; c++)
        comp_id[c] = INT64_MAX;
    for (size_t i = 0; i < w->n; i++)
        if (w->ids[i] < comp_id[res.component[i]])
            comp_id[res.component[i]] = w->ids[i];
    /* same[k]: the stored incident every report of incident k had, or -1 */
    for (size_t i = 0; i < w->n; i++) {
        size_t k = res.of_input[i];
        sqlite3_int64 o = w->old_inc[i] > 0 ? w->old_inc[i] : -1;
        same[k] = count[k]++ == 0 || same[k] == o ? o : -1;
        inc_comp[k] = comp_id[res.component[i]];
        if (w->old_inc[i] > 0)
            olds[n_olds++] = w->old_inc[i];
    }
    qsort(olds, n_olds, sizeof *olds, cmp_i64);

    /* plain: each incident's sources, in export order (src_ref) */
    if (st->plain && w->span_keys) {
        if (!(refs = malloc((w->n + 1) * sizeof *refs))) {
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < w->n; i++)
            refs[i] = (src_ref){res.of_input[i], &w->reps[i], w->span_keys[i],
                                w->reps[i].evidence ? sql_chars(w->reps[i].evidence) : -1,
                                w->ids[i]};
        qsort(refs, w->n, sizeof *refs, cmp_src_ref);
    }
    if ((rc = cached(st, Q_DEL_INC, "DELETE FROM incidents WHERE incident_id=?", &del, err)) ||
        (rc = cached(st, Q_INS_INC,
                     st->plain ? INS_INC_PLAIN_SQL
                     : st->scratch ? INS_INC_SQL("NULL")
                                 : INS_INC_SQL("CASE WHEN ?36 IS NULL THEN NULL"
                                               " ELSE MakePoint(?36, ?37, 4326) END"),
                     &ins, err)) ||
        (rc = cached(st, Q_UPD_REP, "UPDATE report SET incident_id=?, component=? WHERE report_id=?",
                     &upd, err)) ||
        (rc = cached(st, Q_UPD_INC_COMP, "UPDATE incidents SET component=? WHERE incident_id=?",
                     &upd_comp, err)))
        goto done;
    /* kept: a stored incident with exactly these reports (all of its
     * reports are here: its whole component was loaded) */
    for (size_t k = 0; k < res.n; k++) {
        if (same[k] > 0 && count_i64(olds, n_olds, same[k]) != count[k])
            same[k] = -1;
        if (same[k] > 0)
            kept[n_kept++] = same[k];
        inc_id[k] = same[k];
    }
    qsort(kept, n_kept, sizeof *kept, cmp_i64);
    /* delete the stored incidents not kept (each once: olds is sorted) */
    for (size_t j = 0; j < n_olds; j++) {
        if ((j > 0 && olds[j] == olds[j - 1]) || count_i64(kept, n_kept, olds[j]))
            continue;
        sqlite3_reset(del);
        sqlite3_bind_int64(del, 1, olds[j]);
        if (sqlite3_step(del) != SQLITE_DONE) {
            rc = db_err(st, err, "replacing merged incidents");
            goto done;
        }
    }
    for (size_t k = 0; k < res.n; k++) {
        if (same[k] > 0)
            continue;
        const ext_incident *m = &res.items[k];
        char key[512];
        mrg_sort_key(m, key, sizeof key);
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        sqlite3_bind_int64(ins, 1, inc_comp[k]);
        bind_text(ins, 2, key);
        bind_incident(ins, 3, m);
        bind_spans(ins, 38, m);
        if (!st->scratch && m->geo_prec >= 1 && isfinite(m->lon) && isfinite(m->lat)) {
            sqlite3_bind_double(ins, 36, m->lon);
            sqlite3_bind_double(ins, 37, m->lat);
        }
        if (refs) { /* its reports are refs[at..] (sorted by incident) */
            cx_buf_reset(&blob);
            const char *last = NULL;
            while (at < w->n && refs[at].k < k) /* of an incident kept as it was */
                at++;
            for (; at < w->n && refs[at].k == k; at++) {
                const ext_incident *r = refs[at].r;
                const char *d = r->n_doc_ids ? r->doc_ids[0] : "";
                if ((last && strcmp(last, d) == 0) || !r->n_srcs)
                    continue; /* one source per document: the first */
                last = d;
                if (blob_src(&blob, &r->srcs[0])) {
                    rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
                    goto done;
                }
            }
            sqlite3_bind_blob(ins, 42, blob.len ? blob.data : "", (int)blob.len, SQLITE_STATIC);
        }
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = db_err(st, err, "storing a merged incident");
            goto done;
        }
        inc_id[k] = sqlite3_last_insert_rowid(st->db);
    }
    /* a kept incident's component, and each report's incident and
     * component, written where they changed (count[] marks kept incidents
     * done) */
    memset(count, 0, res.n * sizeof *count);
    for (size_t i = 0; i < w->n && !refs; i++) { /* plain: the sources are kept, no links */
        size_t k = res.of_input[i];
        sqlite3_int64 c = comp_id[res.component[i]];
        if (same[k] > 0 && !count[k]++ && w->old_comp[i] != c) {
            sqlite3_reset(upd_comp);
            sqlite3_bind_int64(upd_comp, 1, c);
            sqlite3_bind_int64(upd_comp, 2, inc_id[k]);
            if (sqlite3_step(upd_comp) != SQLITE_DONE) {
                rc = db_err(st, err, "storing a merged incident");
                goto done;
            }
        }
        if (w->old_inc[i] == inc_id[k] && w->old_comp[i] == c)
            continue;
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, inc_id[k]);
        sqlite3_bind_int64(upd, 2, c);
        sqlite3_bind_int64(upd, 3, w->ids[i]);
        if (sqlite3_step(upd) != SQLITE_DONE) {
            rc = db_err(st, err, "linking reports to incidents");
            goto done;
        }
    }
done:
    if (upd_comp)
        sqlite3_reset(upd_comp);
    if (upd)
        sqlite3_reset(upd);
    if (ins)
        sqlite3_reset(ins);
    if (del)
        sqlite3_reset(del);
    free(refs);
    cx_buf_free(&blob);
    free(apart);
    free(apart_keys);
    free(kept);
    free(olds);
    free(count);
    free(same);
    free(inc_comp);
    free(inc_id);
    free(comp_id);
    mrg_result_free(&res);
    return rc;
}

/* A corrected document replaces the stored one (sto_set_replace): its
 * reports, their search-tree rows and their incidents are deleted, the other
 * reports of those incidents unlinked, and their components queued in `w`
 * to be merged again with whatever the new text gives. Reports of the old
 * text still waiting in `w` (read earlier in the same batch) are dropped. */
static int remove_doc(sto_store *st, const char *id, work *w, cx_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = prepare(st, "SELECT report_id, incident_id, component FROM report WHERE doc_id=?",
                     &q, err);
    if (rc)
        return rc;
    bind_text(q, 1, id);
    sqlite3_int64 *gone = NULL;
    size_t n_gone = 0, cap = 0;
    int step;
    while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 *g = cx_grow(gone, &cap, n_gone + 1, sizeof *g, 16);
        if (!g) {
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            break;
        }
        gone = g;
        gone[n_gone++] = sqlite3_column_int64(q, 0);
        if (sqlite3_column_type(q, 2) != SQLITE_NULL && add_comp(w, sqlite3_column_int64(q, 2)))
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_err(st, err, "reading a replaced document");
    sqlite3_finalize(q);
    static const char *const del_sql =
        "DELETE FROM incidents WHERE incident_id IN"
        " (SELECT incident_id FROM report WHERE doc_id=?1);"
        "UPDATE report SET incident_id=NULL WHERE component IN"
        " (SELECT component FROM report WHERE doc_id=?1)"
        " AND incident_id NOT IN (SELECT incident_id FROM incidents);"
        "DELETE FROM report_span WHERE id IN (SELECT report_id FROM report WHERE doc_id=?1);"
        "DELETE FROM report_pspan WHERE id IN (SELECT report_id FROM report WHERE doc_id=?1);"
        "DELETE FROM report WHERE doc_id=?1;"
        "DELETE FROM documents WHERE id=?1;";
    /* the incidents first, while the reports still say which they are */
    const char *sql = del_sql;
    while (rc == 0 && *sql) {
        const char *tail = NULL;
        if (sqlite3_prepare_v2(st->db, sql, -1, &q, &tail) != SQLITE_OK) {
            rc = db_err(st, err, "replacing a document");
            break;
        }
        if (!q)
            break;
        bind_text(q, 1, id);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_err(st, err, "replacing a document");
        sqlite3_finalize(q);
        sql = tail;
    }
    /* drop the old text's reports still waiting in w */
    for (size_t i = 0; rc == 0 && i < w->n;) {
        bool drop = false;
        for (size_t j = 0; j < n_gone && !drop; j++)
            drop = w->ids[i] == gone[j];
        if (!drop) {
            i++;
            continue;
        }
        ext_incident_clear(&w->reps[i]);
        size_t rest = w->n - i - 1;
        memmove(&w->reps[i], &w->reps[i + 1], rest * sizeof *w->reps);
        memmove(&w->ids[i], &w->ids[i + 1], rest * sizeof *w->ids);
        memmove(&w->old_inc[i], &w->old_inc[i + 1], rest * sizeof *w->old_inc);
        memmove(&w->old_comp[i], &w->old_comp[i + 1], rest * sizeof *w->old_comp);
        w->n--;
    }
    free(gone);
    return rc;
}

/* A report row; GEOM its point (a scratch store has none: "NULL", and no
 * SpatiaLite to call MakePoint). */
#define INS_REP_SQL(GEOM)                                                                \
    "INSERT INTO report(doc_id, " INC_NAMES ", geom, src_url, src_outlet, src_fp, "        \
    SPAN_NAMES ") VALUES(?," INC_PARAMS ", " GEOM ", ?37, ?38, ?39, ?40, ?41, ?42, ?43)"

/* Store `doc` and its reports inside the open transaction, appending the
 * reports to `w`. Returns STO_DOC_NEW, STO_DOC_KNOWN or STO_DOC_CONFLICT
 * (nothing written), or <0 with `err` set. */
static int add_one(sto_store *st, const rd_doc *doc, const ext_incident *reports, size_t n,
                   work *w, cx_err *err)
{
    sqlite3_stmt *ins_doc = NULL, *ins_rep = NULL, *ins_span = NULL, *ins_pspan = NULL;
    char hash[65];
    int rc;

    if (st->scratch) /* nothing asks a scratch store whether it holds a text */
        hash[0] = '\0';
    else
        doc_hash(doc, hash); /* sto_add_docs checked the id */
    /* A scratch store takes what the run read, as the in-memory merge
     * does: two documents of the run under one id both count (the id's
     * first row stays). */
    bool replaced = false;
    if (!st->scratch && (rc = doc_state(st, doc, hash, err)) != STO_DOC_NEW) {
        if (rc != STO_DOC_CONFLICT || !st->replace)
            return rc; /* known, conflict, or an error: nothing to write */
        if ((rc = remove_doc(st, doc->id, w, err)))
            return rc;
        replaced = true;
    }

    /* OR IGNORE: only a scratch store meets an id twice (doc_state says
     * NEW for any other) */
    if ((rc = cached(st, Q_INS_DOC,
                     "INSERT OR IGNORE INTO documents(id, content_hash, source, published, lang,"
                     " added, n_reports, url, outlet) VALUES(?,?,?,?,?,"
                     " strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?)",
                     &ins_doc, err)) ||
        (rc = cached(st, Q_INS_REP,
                     st->scratch ? INS_REP_SQL("NULL")
                                 : INS_REP_SQL("CASE WHEN ?35 IS NULL THEN NULL ELSE"
                                               " MakePoint(?35, ?36, 4326) END"),
                     &ins_rep, err)) ||
        (!st->scratch && /* a scratch store has no search trees */
         ((rc = cached(st, Q_INS_SPAN, "INSERT INTO report_span VALUES(?,?,?,?,?,?,?)",
                       &ins_span, err)) ||
          (rc = cached(st, Q_INS_PSPAN, "INSERT INTO report_pspan VALUES(?,?,?,?,?)",
                       &ins_pspan, err)))))
        return rc;

    bind_text(ins_doc, 1, doc->id);
    bind_text(ins_doc, 2, hash);
    bind_text(ins_doc, 3, doc->source);
    bind_text(ins_doc, 4, doc->published);
    bind_text(ins_doc, 5, doc->lang);
    sqlite3_bind_int64(ins_doc, 6, (sqlite3_int64)n);
    if (doc->url) {
        char host[256];
        ext_url_host(doc->url, host, sizeof host);
        bind_text(ins_doc, 7, doc->url);
        if (host[0] && !doc->outlet)
            bind_text(ins_doc, 8, host);
    }
    if (doc->outlet) /* the outlet the document names, else the URL's host */
        bind_text(ins_doc, 8, doc->outlet);
    if (sqlite3_step(ins_doc) != SQLITE_DONE)
        return db_err(st, err, "storing a document");

    for (size_t i = 0; i < n; i++) {
        /* the row: the report with one source (its doc ids are not bound) */
        ext_incident row = reports[i];
        row.n_sources = 1;
        sqlite3_reset(ins_rep);
        sqlite3_clear_bindings(ins_rep);
        bind_text(ins_rep, 1, doc->id);
        bind_incident(ins_rep, 2, &row);
        bind_spans(ins_rep, 40, &row);
        if (!st->scratch && row.geo_prec >= 1 && isfinite(row.lon) && isfinite(row.lat)) {
            sqlite3_bind_double(ins_rep, 35, row.lon);
            sqlite3_bind_double(ins_rep, 36, row.lat);
        }
        /* its source: the one of this document (a pool record of the
         * spill path carries exactly one) */
        const ext_source *src = NULL;
        for (size_t j = 0; j < row.n_srcs && !src; j++)
            if (row.srcs[j].doc_id && strcmp(row.srcs[j].doc_id, doc->id) == 0)
                src = &row.srcs[j];
        if (!src && row.n_srcs == 1)
            src = &row.srcs[0];
        if (src) {
            char fp[17];
            snprintf(fp, sizeof fp, "%016llx", (unsigned long long)src->text_fp);
            if (src->url)
                bind_text(ins_rep, 37, src->url);
            if (src->outlet)
                bind_text(ins_rep, 38, src->outlet);
            if (src->text_fp)
                bind_text(ins_rep, 39, fp);
        }
        if (sqlite3_step(ins_rep) != SQLITE_DONE)
            return db_err(st, err, "storing a report");
        sqlite3_int64 id = sqlite3_last_insert_rowid(st->db);
        if (st->scratch) { /* merged once, by merge_all: not kept, no search trees */
            st->pending = true;
            continue;
        }
        /* kept for merge_new as the store will read it back: one doc id */
        ext_incident *r = work_push(w, id);
        if (!r || ext_incident_copy(r, &row))
            return cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        for (size_t j = 0; j < r->n_doc_ids; j++)
            free(r->doc_ids[j]);
        free(r->doc_ids);
        r->doc_ids = NULL;
        r->n_doc_ids = 0;
        if (ext_incident_add_doc(r, doc->id))
            return cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        long lo, hi;
        bool known = mrg_date_span(r, &lo, &hi);
        if (r->geo_prec >= 1 && isfinite(r->lon) && isfinite(r->lat)) {
            sqlite3_reset(ins_span);
            sqlite3_bind_int64(ins_span, 1, id);
            sqlite3_bind_double(ins_span, 2, r->lon);
            sqlite3_bind_double(ins_span, 3, r->lon);
            sqlite3_bind_double(ins_span, 4, r->lat);
            sqlite3_bind_double(ins_span, 5, r->lat);
            sqlite3_bind_int64(ins_span, 6, known ? lo : NO_DAY);
            sqlite3_bind_int64(ins_span, 7, known ? hi : NO_DAY);
            if (sqlite3_step(ins_span) != SQLITE_DONE)
                return db_err(st, err, "indexing a report");
        }
        if (r->place_id[0]) {
            sqlite3_int64 k = place_key(r->type, r->place_id);
            sqlite3_reset(ins_pspan);
            sqlite3_bind_int64(ins_pspan, 1, id);
            sqlite3_bind_int64(ins_pspan, 2, k);
            sqlite3_bind_int64(ins_pspan, 3, k);
            sqlite3_bind_int64(ins_pspan, 4, known ? lo : NO_DAY);
            sqlite3_bind_int64(ins_pspan, 5, known ? hi : NO_DAY);
            if (sqlite3_step(ins_pspan) != SQLITE_DONE)
                return db_err(st, err, "indexing a report");
        }
    }
    return replaced ? STO_DOC_REPLACED : STO_DOC_NEW;
}

/* Merge the new reports of `w` (all of it so far) with the stored
 * components they link to, inside the open transaction. */
/* The fields mrg_compatible reads of a report: equal ones link the same
 * stored reports. */
static int cmp_link_key(const ext_incident *a, const ext_incident *b)
{
    int c;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->geo_prec != b->geo_prec)
        return a->geo_prec < b->geo_prec ? -1 : 1;
    if (a->date_prec != b->date_prec)
        return a->date_prec < b->date_prec ? -1 : 1;
    if ((c = strcmp(a->date, b->date)) || (c = strcmp(a->place_id, b->place_id)) ||
        (c = strcmp(a->place_name, b->place_name)) || (c = strcmp(a->place, b->place)) ||
        (c = strcmp(a->published, b->published)))
        return c;
    if (a->lon != b->lon)
        return a->lon < b->lon ? -1 : 1;
    if (a->lat != b->lat)
        return a->lat < b->lat ? -1 : 1;
    return 0;
}

/* Sort the indices `ord` of `reps` by cmp_link_key: a bottom-up merge
 * sort (qsort has no context argument in C11). */
static void sort_by_link_key(const ext_incident *reps, size_t *ord, size_t n)
{
    size_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return; /* unsorted: equal kinds are only searched more than once */
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = cmp_link_key(&reps[ord[a]], &reps[ord[b]]) <= 0 ? ord[a++] : ord[b++];
            while (a < mid)
                tmp[k++] = ord[a++];
            while (b < hi)
                tmp[k++] = ord[b++];
        }
        memcpy(ord, tmp, n * sizeof *ord);
    }
    free(tmp);
}

static size_t uf_root(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static void uf_join(size_t *parent, size_t a, size_t b)
{
    a = uf_root(parent, a);
    b = uf_root(parent, b);
    if (a != b)
        parent[a < b ? b : a] = a < b ? a : b;
}

/* Merge group `g` (the new reports and stored components whose root in
 * `parent` is g) on its own: load its stored reports, mrg_merge, write. */
static int merge_group(sto_store *st, sqlite3_stmt *comp, const work *w, const size_t *parent,
                       size_t g, cx_err *err)
{
    work sub = {0};
    int rc = 0;
    size_t n = w->n;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (parent[i] != g)
            continue;
        ext_incident *r = work_push(&sub, w->ids[i]);
        if (!r || ext_incident_copy(r, &w->reps[i]))
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
    }
    for (size_t c = 0; c < w->n_comps && rc == 0; c++) {
        if (parent[n + c] != g)
            continue;
        sqlite3_reset(comp);
        sqlite3_bind_int64(comp, 1, w->comps[c]);
        int step;
        while ((step = sqlite3_step(comp)) == SQLITE_ROW)
            if (push_row(&sub, comp)) {
                rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
                break;
            }
        if (rc == 0 && step != SQLITE_DONE)
            rc = db_err(st, err, "reading stored reports");
    }
    if (rc == 0)
        rc = write_merge(st, &sub, err);
    work_free(&sub);
    return rc;
}

/* Merge the new reports of `w` (all of it so far) with the stored
 * components they link to, inside the open transaction. The new reports
 * and the components fall into independent groups (linked by compatible
 * pairs); each group is loaded and merged on its own, so memory holds the
 * largest group, not all that a batch touches. */
static int merge_new(sto_store *st, work *w, cx_err *err)
{
    sqlite3_stmt *near = NULL, *comp = NULL;
    size_t n = w->n;
    int rc;
    if (n == 0 && w->n_comps == 0)
        return 0;
    if ((rc = cached(st, Q_NEAR, near_sql, &near, err)) ||
        (rc = cached(st, Q_COMP, SELECT_REPORT "WHERE component=?", &comp, err)))
        return rc;
    /* Stored components linked to each new report: found before any new row
     * has a component, so the search sees stored reports only. Reports that
     * mrg_compatible cannot tell apart (a story reprinted by many outlets of
     * a batch) link the same components: one search for each kind. */
    size_t *ord = malloc((n ? n : 1) * sizeof *ord), *parent = NULL;
    work *links = calloc(n ? n : 1, sizeof *links); /* comps of each search, by its first report */
    mrg_result among = {0};
    if (!ord || !links) {
        rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    sort_by_link_key(w->reps, ord, n);
    for (size_t k = 0, head = 0; k < n; k++) {
        if (k > 0 && cmp_link_key(&w->reps[ord[head]], &w->reps[ord[k]]) == 0)
            continue;
        head = k;
        if ((rc = find_links(st, near, &w->reps[ord[k]], &links[ord[k]], err)))
            goto done;
        for (size_t c = 0; c < links[ord[k]].n_comps; c++)
            if (add_comp(w, links[ord[k]].comps[c])) {
                rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
                goto done;
            }
    }
    /* Groups: new reports joined with the components they link, and with
     * each other when compatible (mrg_merge's components among them). */
    if ((rc = mrg_merge(w->reps, n, &st->mopts, &among, err)))
        goto done;
    parent = malloc((n + w->n_comps) * sizeof *parent);
    size_t *first = malloc((among.n_components ? among.n_components : 1) * sizeof *first);
    if (!parent || !first) {
        free(first);
        rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n + w->n_comps; i++)
        parent[i] = i;
    for (size_t c = 0; c < among.n_components; c++)
        first[c] = SIZE_MAX;
    for (size_t k = 0, head = 0; k < n; k++) {
        size_t i = ord[k];
        if (k > 0 && cmp_link_key(&w->reps[ord[head]], &w->reps[i]) != 0)
            head = k;
        const work *l = &links[ord[head]];
        for (size_t c = 0; c < l->n_comps; c++)
            uf_join(parent, i, n + comp_index(w, l->comps[c]));
        size_t *f = &first[among.component[i]];
        if (*f == SIZE_MAX)
            *f = i;
        else
            uf_join(parent, *f, i);
    }
    free(first);
    for (size_t i = 0; i < n + w->n_comps; i++)
        parent[i] = uf_root(parent, i);
    /* every group with a new report, and the components of a replaced
     * document that no new report reaches */
    for (size_t g = 0; g < n + w->n_comps && rc == 0; g++)
        if (parent[g] == g)
            rc = merge_group(st, comp, w, parent, g, err);
done:
    if (links)
        for (size_t i = 0; i < n; i++)
            free(links[i].comps);
    free(links);
    free(parent);
    free(ord);
    mrg_result_free(&among);
    return rc;
}

/* ===== One merge of a whole scratch store =====
 * A scratch store is filled first and read once: merging each batch into
 * what is stored re-merged the components a batch touched, and a vague
 * report makes them large (a year-precision report links its place's
 * year), so a run cost time in the square of its size. merge_all reads the
 * reports once in date order through an mrg_sweep, which hands out each
 * component when it is complete, and writes that component's incidents. */

static void reset_all(sto_store *st);

#define SWEEP_SQL                                                                        \
    "SELECT report_id, type, date, date_prec, place, place_name, place_id, geo_prec, lon, lat," \
    " published FROM report ORDER BY date_lo IS NULL, date_lo, date_hi DESC"

/* Merge and write the components the sweep has ready. */
static int write_ready(sto_store *st, mrg_sweep *sw, sqlite3_stmt *one, cx_err *err)
{
    const int64_t *ids;
    size_t n;
    while (mrg_sweep_next(sw, &ids, &n)) {
        work w = {0};
        int rc = 0;
        int64_t (*keys)[4] = NULL; /* plain: the sources' order (write_merge) */
        if (st->plain && !(keys = malloc((n ? n : 1) * sizeof *keys)))
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        for (size_t i = 0; i < n && rc == 0; i++) {
            sqlite3_reset(one);
            sqlite3_bind_int64(one, 1, (sqlite3_int64)ids[i]);
            if (sqlite3_step(one) != SQLITE_ROW)
                rc = db_err(st, err, "reading a stored report");
            else if (push_row(&w, one))
                rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            for (int c = 0; rc == 0 && keys && c < 4; c++) /* SELECT_REPORT's SPAN_NAMES */
                keys[i][c] = sqlite3_column_type(one, 4 + INC_NCOLS + 3 + c) == SQLITE_NULL
                                 ? INT64_MIN
                                 : sqlite3_column_int64(one, 4 + INC_NCOLS + 3 + c);
        }
        sqlite3_reset(one);
        w.span_keys = (const int64_t (*)[4])keys;
        if (rc == 0)
            rc = write_merge(st, &w, err);
        work_free(&w);
        free(keys);
        if (rc)
            return rc;
    }
    return 0;
}

static int merge_all(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL, *one = NULL;
    mrg_sweep *sw = mrg_sweep_new(&st->mopts);
    ext_incident r;
    ext_incident_init(&r);
    if (!sw)
        return cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
    int rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc) {
        mrg_sweep_free(sw);
        return rc;
    }
    /* the ORDER BY sorts into a temporary b-tree (in bounded memory, on
     * disk past the cache) before the first row: the updates of write_merge
     * do not change what this statement returns. Incidents of an earlier
     * merge_all are replaced or kept by write_merge (a component only
     * grows, so each holds the whole of its earlier incidents). */
    /* plain: the reports are not linked to their incidents, so a second
     * merge (an export, then more reports) starts again from none */
    if (st->plain && (rc = exec(st, "DELETE FROM incidents", err)))
        goto done;
    if ((rc = prepare(st, SWEEP_SQL, &s, err)) ||
        (rc = cached(st, Q_REP_BY_ID, SELECT_REPORT "WHERE report_id=?", &one, err)))
        goto done;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        r.type = sqlite3_column_int(s, 1);
        col_text(s, 2, r.date, sizeof r.date);
        r.date_prec = sqlite3_column_int(s, 3);
        col_text(s, 4, r.place, sizeof r.place);
        col_text(s, 5, r.place_name, sizeof r.place_name);
        col_text(s, 6, r.place_id, sizeof r.place_id);
        r.geo_prec = sqlite3_column_int(s, 7);
        r.lon = col_real(s, 8);
        r.lat = col_real(s, 9);
        col_text(s, 10, r.published, sizeof r.published);
        if ((rc = mrg_sweep_add(sw, &r, sqlite3_column_int64(s, 0), err)) ||
            (rc = write_ready(st, sw, one, err)))
            goto done;
    }
    if (step != SQLITE_DONE) {
        rc = db_err(st, err, "reading stored reports");
        goto done;
    }
    if ((rc = mrg_sweep_finish(sw, err)) || (rc = write_ready(st, sw, one, err)))
        goto done;
    sqlite3_finalize(s);
    s = NULL;

    if ((rc = exec(st, "COMMIT", err)) == 0)
        st->pending = false;
done:
    sqlite3_finalize(s);
    if (rc) {
        reset_all(st);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    mrg_sweep_free(sw);
    return rc;
}

/* Reset the cached statements, so that none holds a read open. */
static void reset_all(sto_store *st)
{
    for (int i = 0; i < Q_COUNT; i++)
        if (st->q[i])
            sqlite3_reset(st->q[i]);
}

int sto_add_doc(sto_store *st, const rd_doc *doc, const ext_incident *reports, size_t n,
                cx_err *err)
{
    sto_batch_doc one = {doc, reports, n, 0};
    int rc = sto_add_docs(st, &one, 1, err);
    return rc < 0 ? rc : one.state;
}

int sto_add_docs(sto_store *st, sto_batch_doc *docs, size_t n_docs, cx_err *err)
{
    work w = {0};
    int rc;
    if (st->readonly)
        return cx_err_set(err, CX_EINVAL, st->path, 0, "store %s is open read-only", st->path);
    for (size_t i = 0; i < n_docs; i++)
        if (!docs[i].doc->id || !docs[i].doc->id[0])
            return cx_err_set(err, CX_EINVAL, docs[i].doc->source, docs[i].doc->line,
                              "document without an id");
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
        return rc;
    for (size_t i = 0; i < n_docs; i++) {
        rc = add_one(st, docs[i].doc, docs[i].reports, docs[i].n, &w, err);
        if (rc < 0)
            goto rollback;
        docs[i].state = rc;
    }
    if ((!st->scratch && (rc = merge_new(st, &w, err))) || (rc = exec(st, "COMMIT", err)))
        goto rollback;
    reset_all(st);
    work_free(&w);
    return 0;
rollback:
    reset_all(st);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    work_free(&w);
    return rc;
}

/* ===== Export ===== */

/* "YYYY-MM-DD" to days since 1970 through mrg_date_span. */
static bool filter_day(const char *s, long *day)
{
    ext_incident tmp;
    long hi;
    ext_incident_init(&tmp);
    if (strlen(s) != 10)
        return false;
    memcpy(tmp.date, s, 11);
    tmp.date_prec = EXT_PREC_DAY;
    return mrg_date_span(&tmp, day, &hi);
}

typedef struct pending {
    ext_incident *items;
    size_t n, cap;
} pending;

static int cmp_inc(const void *a, const void *b) { return mrg_cmp(a, b); }

/* Emit the buffered incidents (equal sort keys) in mrg_cmp order. */
static int flush(pending *p, sto_export_fn fn, void *ctx, size_t *count, cx_err *err)
{
    int rc = 0;
    if (p->n > 1)
        qsort(p->items, p->n, sizeof *p->items, cmp_inc);
    for (size_t i = 0; i < p->n; i++) {
        if (!rc && (rc = fn(ctx, &p->items[i], err)) == 0)
            (*count)++;
        ext_incident_clear(&p->items[i]);
    }
    p->n = 0;
    return rc;
}

int sto_export(sto_store *st, const sto_filter *filter, sto_export_fn fn, void *ctx,
               size_t *n_out, cx_err *err)
{
    sto_filter none = {0};
    const sto_filter *f = filter ? filter : &none;
    sqlite3_stmt *s = NULL, *docs = NULL;
    pending p = {0};
    char prev_key[512] = "";
    size_t count = 0;
    long from = 0, to = 0;
    char country[3] = "";
    int rc;

    if (n_out)
        *n_out = 0;
    if (st->pending && (rc = merge_all(st, err)))
        return rc;
    if (f->from && !filter_day(f->from, &from))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad date '%s' (want YYYY-MM-DD)", f->from);
    if (f->to && !filter_day(f->to, &to))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad date '%s' (want YYYY-MM-DD)", f->to);
    if (f->country) {
        if (strlen(f->country) != 2)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "bad country code '%s'", f->country);
        country[0] = (char)toupper((unsigned char)f->country[0]);
        country[1] = (char)toupper((unsigned char)f->country[1]);
    }
#define EXPORT_SQL(MORE)                                                                 \
    "SELECT incident_id, sort_key, " INC_NAMES ", " SPAN_NAMES MORE " FROM incidents WHERE"  \
    " (?1 IS NULL OR date_hi>=?1) AND (?2 IS NULL OR date_lo<=?2)"                          \
    " AND (?3=0 OR ((1<<type)&?3)<>0)"                                                     \
    " AND (?4=0 OR (lon BETWEEN ?5 AND ?7 AND lat BETWEEN ?6 AND ?8))"                      \
    " AND (?9='' OR country=?9)"                                                           \
    " ORDER BY sort_key"
    rc = prepare(st, st->plain ? EXPORT_SQL(", srcs") : EXPORT_SQL(""), &s, err);
    if (rc || (rc = prepare(st,
                            "SELECT doc_id, src_url, src_outlet, src_fp, published, evidence,"
                            " claimed_by, " SPAN_NAMES " FROM report WHERE incident_id=?"
                            " ORDER BY doc_id, length(evidence) DESC, evidence, " SPAN_NAMES,
                            &docs, err)))
        goto done;
    if (f->from)
        sqlite3_bind_int64(s, 1, from);
    if (f->to)
        sqlite3_bind_int64(s, 2, to);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)f->types);
    sqlite3_bind_int(s, 4, f->has_bbox ? 1 : 0);
    sqlite3_bind_double(s, 5, f->west);
    sqlite3_bind_double(s, 6, f->south);
    sqlite3_bind_double(s, 7, f->east);
    sqlite3_bind_double(s, 8, f->north);
    bind_text(s, 9, country);

    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *key = sqlite3_column_text(s, 1);
        if (p.n && strcmp(prev_key, key ? (const char *)key : "") != 0 &&
            (rc = flush(&p, fn, ctx, &count, err)))
            goto done;
        snprintf(prev_key, sizeof prev_key, "%s", key ? (const char *)key : "");
        if (p.n == p.cap) {
            size_t cap = p.cap ? 2 * p.cap : 8;
            ext_incident *g = realloc(p.items, cap * sizeof *g);
            if (!g)
                goto nomem;
            p.items = g;
            p.cap = cap;
        }
        ext_incident *inc = &p.items[p.n++];
        ext_incident_init(inc);
        if (read_incident(s, 2, inc))
            goto nomem;
        read_spans(s, 2 + INC_NCOLS, inc);
        inc->store_id = sqlite3_column_int64(s, 0);
        if (st->plain) { /* the sources kept with it (write_merge) */
            const char *b = sqlite3_column_blob(s, 2 + INC_NCOLS + 4);
            int blen = sqlite3_column_bytes(s, 2 + INC_NCOLS + 4);
            int urc = b ? unblob_srcs(inc, b, b + blen) : 0;
            if (urc == CX_ENOMEM)
                goto nomem;
            if (urc) {
                rc = cx_err_set(err, CX_EDB, st->path, 0, "store %s: damaged sources", st->path);
                goto done;
            }
            if (!inc->incident_id[0])
                mrg_incident_id(inc);
            continue;
        }
        sqlite3_reset(docs);
        sqlite3_bind_int64(docs, 1, sqlite3_column_int64(s, 0));
        int ds;
        while ((ds = sqlite3_step(docs)) == SQLITE_ROW) {
            /* one source per document: its longest sentence */
            const char *d = (const char *)sqlite3_column_text(docs, 0);
            d = d ? d : "";
            if (inc->n_doc_ids && strcmp(inc->doc_ids[inc->n_doc_ids - 1], d) == 0)
                continue;
            const unsigned char *fp = sqlite3_column_text(docs, 3);
            if (ext_incident_add_doc(inc, d) ||
                ext_incident_add_source(
                    inc, d, (const char *)sqlite3_column_text(docs, 1),
                    (const char *)sqlite3_column_text(docs, 2),
                    (const char *)sqlite3_column_text(docs, 4),
                    (const char *)sqlite3_column_text(docs, 5),
                    (const char *)sqlite3_column_text(docs, 6),
                    fp ? strtoull((const char *)fp, NULL, 16) : 0))
                goto nomem;
            ext_source *src = &inc->srcs[inc->n_srcs - 1];
            src->trig_span = col_span(docs, 7, src->evidence);
            src->place_span = col_span(docs, 9, src->evidence);
        }
        if (!inc->incident_id[0]) /* merged by an older incimap */
            mrg_incident_id(inc);
        if (ds != SQLITE_DONE) {
            rc = db_err(st, err, "reading document ids");
            goto done;
        }
    }
    if (step != SQLITE_DONE) {
        rc = db_err(st, err, "reading incidents");
        goto done;
    }
    rc = flush(&p, fn, ctx, &count, err);
    goto done;
nomem:
    rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
done:
    for (size_t i = 0; i < p.n; i++)
        ext_incident_clear(&p.items[i]);
    free(p.items);
    sqlite3_finalize(docs);
    sqlite3_finalize(s);
    if (n_out)
        *n_out = count;
    return rc;
}

/* ===== Counts and checks ===== */

static int one_int(sto_store *st, const char *sql, long *out, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, sql, &s, err);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        rc = db_err(st, err, sql);
    sqlite3_finalize(s);
    return rc;
}

int sto_count(sto_store *st, sto_counts *out, cx_err *err)
{
    int rc;
    if ((rc = one_int(st, "SELECT count(*) FROM documents", &out->documents, err)) ||
        (rc = one_int(st, "SELECT count(*) FROM report", &out->reports, err)) ||
        (rc = one_int(st, "SELECT count(*) FROM incidents", &out->incidents, err)))
        return rc;
    return 0;
}

int sto_check(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, "PRAGMA integrity_check", &s, err);
    if (rc)
        return rc;
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = db_err(st, err, "integrity_check");
    } else {
        const unsigned char *v = sqlite3_column_text(s, 0);
        if (!v || strcmp((const char *)v, "ok") != 0)
            rc = cx_err_set(err, CX_EDB, st->path, 0, "store %s is damaged: %s", st->path,
                            v ? (const char *)v : "?");
    }
    sqlite3_finalize(s);
    if (rc)
        return rc;
    static const struct {
        const char *sql, *what;
        bool linked; /* reads report.incident_id: not in a plain scratch store */
    } checks[] = {
        {"SELECT count(*) FROM documents d WHERE n_reports <>"
         " (SELECT count(*) FROM report r WHERE r.doc_id=d.id)",
         "documents with missing reports", false},
        {"SELECT count(*) FROM report WHERE incident_id IS NULL OR incident_id NOT IN"
         " (SELECT incident_id FROM incidents)",
         "reports without an incident", true},
        {"SELECT count(*) FROM incidents i WHERE n_sources + n_reprints <>"
         " (SELECT count(DISTINCT doc_id) FROM report r WHERE r.incident_id=i.incident_id)",
         "incidents whose n_sources does not match their documents", true},
        {"SELECT count(*) FROM report WHERE doc_id NOT IN (SELECT id FROM documents)",
         "reports of unknown documents", false},
        {"SELECT count(*) FROM incidents i WHERE NOT EXISTS"
         " (SELECT 1 FROM report r WHERE r.incident_id=i.incident_id)",
         "incidents without a report", true},
        {"SELECT count(*) FROM report r JOIN incidents i ON i.incident_id=r.incident_id"
         " WHERE r.component IS NOT i.component",
         "reports in another component than their incident", true},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        long bad = 0;
        if (checks[i].linked && st->plain)
            continue;
        if ((rc = one_int(st, checks[i].sql, &bad, err)))
            return rc;
        if (bad)
            return cx_err_set(err, CX_EDB, st->path, 0, "store %s: %ld %s", st->path, bad,
                              checks[i].what);
    }
    return 0;
}

/* ===== For the other files of store/ (store_p.h) ===== */

sqlite3 *stop_db(sto_store *st) { return st->db; }

const char *stop_path(sto_store *st) { return st->path; }

int stop_readonly(sto_store *st) { return st->readonly; }

int stop_get_incident(sto_store *st, long long incident_id, ext_incident *inc, cx_err *err)
{
    sqlite3_stmt *s = NULL, *docs = NULL;
    int rc = prepare(st, "SELECT incident_id, sort_key, " INC_NAMES ", " SPAN_NAMES
                         " FROM incidents WHERE incident_id=?", &s, err);
    if (rc || (rc = prepare(st, "SELECT DISTINCT doc_id FROM report WHERE incident_id=?"
                                " ORDER BY doc_id", &docs, err)))
        goto done;
    sqlite3_bind_int64(s, 1, incident_id);
    int step = sqlite3_step(s);
    if (step == SQLITE_DONE) {
        rc = cx_err_set(err, CX_ENOTFOUND, st->path, 0, "no incident %lld", incident_id);
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = db_err(st, err, "reading an incident");
        goto done;
    }
    if (read_incident(s, 2, inc)) {
        rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
        goto done;
    }
    read_spans(s, 2 + INC_NCOLS, inc);
    inc->store_id = incident_id;
    sqlite3_bind_int64(docs, 1, incident_id);
    while ((step = sqlite3_step(docs)) == SQLITE_ROW)
        if (ext_incident_add_doc(inc, (const char *)sqlite3_column_text(docs, 0))) {
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            goto done;
        }
    if (step != SQLITE_DONE)
        rc = db_err(st, err, "reading document ids");
done:
    sqlite3_finalize(docs);
    sqlite3_finalize(s);
    return rc;
}

int stop_remerge(sto_store *st, long long incident_id, cx_err *err)
{
    sqlite3_stmt *q = NULL, *comp = NULL;
    work w = {0};
    int rc = prepare(st, "SELECT component FROM incidents WHERE incident_id=?", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, incident_id);
    int step = sqlite3_step(q);
    sqlite3_int64 c = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    if (step == SQLITE_DONE)
        rc = cx_err_set(err, CX_ENOTFOUND, st->path, 0, "no incident %lld", incident_id);
    else if (step != SQLITE_ROW)
        rc = db_err(st, err, "reading an incident");
    sqlite3_finalize(q);
    if (rc || (rc = cached(st, Q_COMP, SELECT_REPORT "WHERE component=?", &comp, err)))
        return rc;
    sqlite3_bind_int64(comp, 1, c);
    while ((step = sqlite3_step(comp)) == SQLITE_ROW)
        if (push_row(&w, comp)) {
            rc = cx_err_set(err, CX_ENOMEM, st->path, 0, "out of memory");
            break;
        }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_err(st, err, "reading stored reports");
    sqlite3_reset(comp);
    if (rc == 0)
        rc = write_merge(st, &w, err);
    reset_all(st);
    work_free(&w);
    return rc;
}
