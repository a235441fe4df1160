/* store_review.c -- verdicts on the store's incidents. See store_review.h.
 *
 * Does: the review tables (created on demand, append-only verdicts
 * enforced by triggers), recording a verdict with a version check, undo,
 * and the overlay that applies the review to exported incidents.
 * Does not: merging (store.c), HTTP or JSON output (serve/). Every value
 * reaches SQL as a bound parameter; snapshots are JSON built with Jansson. */
#include "store_review.h"
#include "store_p.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ===== Schema ===== */

/* Verdicts follow a corrected article (review_schema 2). A replaced
 * document's reports are deleted (store.c, remove_doc) and its new text's
 * reports inserted with new ids. When a member report is deleted, its
 * items are parked under (doc_id, type, place_id) and the member row goes
 * (no member points at a deleted report, nor at a new report that reuses
 * its id); a report inserted later for the same document, type and place
 * joins those items again. A corrected report of another type or place is
 * new: the verdict stays with the item's other member reports, if any. Member
 * rows left dangling by a store reviewed before schema 2 are dropped. */
#define REVIEW_FOLLOW_SQL                                                                \
    "CREATE TABLE IF NOT EXISTS review_moved("                                           \
    " doc_id TEXT NOT NULL, type INTEGER NOT NULL, place_id TEXT NOT NULL,"             \
    " item_id INTEGER NOT NULL, PRIMARY KEY(doc_id, type, place_id, item_id)) WITHOUT ROWID;" \
    "CREATE TRIGGER IF NOT EXISTS review_report_gone AFTER DELETE ON report BEGIN"      \
    " INSERT OR IGNORE INTO review_moved(doc_id, type, place_id, item_id)"              \
    "  SELECT OLD.doc_id, OLD.type, OLD.place_id, item_id FROM review_member"           \
    "  WHERE report_id=OLD.report_id;"                                                   \
    " DELETE FROM review_member WHERE report_id=OLD.report_id; END;"                     \
    "CREATE TRIGGER IF NOT EXISTS review_report_back AFTER INSERT ON report"            \
    " WHEN EXISTS (SELECT 1 FROM review_moved WHERE doc_id=NEW.doc_id) BEGIN"           \
    " INSERT OR IGNORE INTO review_member(report_id, item_id)"                          \
    "  SELECT NEW.report_id, item_id FROM review_moved WHERE doc_id=NEW.doc_id"         \
    "  AND type=NEW.type AND place_id=NEW.place_id; END;"                                \
    "DELETE FROM review_member WHERE report_id NOT IN (SELECT report_id FROM report);"  \
    "INSERT OR REPLACE INTO meta VALUES('review_schema', '2');"

/* Splits (review_schema 3): a review_split row per split (active until
 * undone), a review_apart row per report of the split incident and side
 * (1 left, 0 stayed), read by every merge (store.c, load_apart). Like the
 * member rows, a deleted report's sides are parked under (doc_id, type,
 * place_id) and given to a report of a corrected text of the same type and
 * place, so a correction keeps the parts apart; the side rows of a deleted
 * report go with it (SQLite may give its id to a new report). */
#define REVIEW_SPLIT_SQL                                                                 \
    "CREATE TABLE IF NOT EXISTS review_split("                                           \
    " split_id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, part_item INTEGER NOT NULL," \
    " verdict_id INTEGER NOT NULL, active INTEGER NOT NULL);"                            \
    "CREATE INDEX IF NOT EXISTS review_split_verdict ON review_split(verdict_id);"       \
    "CREATE TABLE IF NOT EXISTS review_apart("                                           \
    " report_id INTEGER NOT NULL, split_id INTEGER NOT NULL, side INTEGER NOT NULL,"    \
    " PRIMARY KEY(report_id, split_id)) WITHOUT ROWID;"                                  \
    "CREATE TABLE IF NOT EXISTS review_apart_moved("                                     \
    " doc_id TEXT NOT NULL, type INTEGER NOT NULL, place_id TEXT NOT NULL,"             \
    " split_id INTEGER NOT NULL, side INTEGER NOT NULL,"                                 \
    " PRIMARY KEY(doc_id, type, place_id, split_id)) WITHOUT ROWID;"                     \
    "CREATE TRIGGER IF NOT EXISTS review_apart_gone AFTER DELETE ON report BEGIN"       \
    " INSERT OR IGNORE INTO review_apart_moved(doc_id, type, place_id, split_id, side)" \
    "  SELECT OLD.doc_id, OLD.type, OLD.place_id, split_id, side FROM review_apart"     \
    "  WHERE report_id=OLD.report_id;"                                                   \
    " DELETE FROM review_apart WHERE report_id=OLD.report_id; END;"                      \
    "CREATE TRIGGER IF NOT EXISTS review_apart_back AFTER INSERT ON report"             \
    " WHEN EXISTS (SELECT 1 FROM review_apart_moved WHERE doc_id=NEW.doc_id) BEGIN"     \
    " INSERT OR IGNORE INTO review_apart(report_id, split_id, side)"                    \
    "  SELECT NEW.report_id, split_id, side FROM review_apart_moved"                    \
    "  WHERE doc_id=NEW.doc_id AND type=NEW.type AND place_id=NEW.place_id; END;"        \
    "INSERT OR REPLACE INTO meta VALUES('review_schema', '3');"

static const char *const review_sql =
    "CREATE TABLE IF NOT EXISTS review_item("
    " item_id INTEGER PRIMARY KEY, state INTEGER NOT NULL, reason TEXT NOT NULL,"
    " edits TEXT NOT NULL, merged_into INTEGER, version INTEGER NOT NULL,"
    " updated TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS review_member("
    " report_id INTEGER NOT NULL, item_id INTEGER NOT NULL,"
    " PRIMARY KEY(report_id, item_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS review_member_item ON review_member(item_id);"
    "CREATE INDEX IF NOT EXISTS review_item_merged ON review_item(merged_into);"
    "CREATE TABLE IF NOT EXISTS verdicts("
    " verdict_id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, incident_id INTEGER,"
    " who TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL,"
    " before TEXT NOT NULL, after TEXT NOT NULL, undoes INTEGER);"
    "CREATE INDEX IF NOT EXISTS verdicts_item ON verdicts(item_id);"
    "CREATE TRIGGER IF NOT EXISTS verdicts_keep_update BEFORE UPDATE ON verdicts"
    " BEGIN SELECT RAISE(ABORT, 'verdicts are never overwritten'); END;"
    "CREATE TRIGGER IF NOT EXISTS verdicts_keep_delete BEFORE DELETE ON verdicts"
    " BEGIN SELECT RAISE(ABORT, 'verdicts are never deleted'); END;"
    REVIEW_FOLLOW_SQL REVIEW_SPLIT_SQL;

static int db_fail(sto_store *st, cx_err *err, const char *what)
{
    sqlite3 *db = stop_db(st);
    int code = sqlite3_errcode(db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return cx_err_set(err, CX_EDB, stop_path(st), 0,
                          "store %s is locked by another incimap process", stop_path(st));
    return cx_err_set(err, CX_EDB, stop_path(st), 0, "%s: %s", what, sqlite3_errmsg(db));
}

static int prep(sto_store *st, const char *sql, sqlite3_stmt **s, cx_err *err)
{
    if (sqlite3_prepare_v2(stop_db(st), sql, -1, s, NULL) == SQLITE_OK)
        return 0;
    *s = NULL;
    return db_fail(st, err, "preparing a statement");
}

/* 1 when the review tables exist, 0 when not, <0 on error. */
static int has_tables(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prep(st, "SELECT count(*) FROM sqlite_master WHERE type='table' AND"
                      " name IN ('review_item', 'review_member', 'verdicts')", &s, err);
    if (rc)
        return rc;
    rc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) == 3
                                       : db_fail(st, err, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

/* 1 when the schema-2 and schema-3 tables and triggers exist, 0 when not,
 * <0 on error. */
static int has_follow(sto_store *st, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prep(st, "SELECT count(*) FROM sqlite_master WHERE (type='table' AND"
                      " name IN ('review_moved', 'review_split', 'review_apart',"
                      " 'review_apart_moved')) OR (type='trigger' AND name IN"
                      " ('review_report_gone', 'review_report_back', 'review_apart_gone',"
                      " 'review_apart_back'))", &s, err);
    if (rc)
        return rc;
    rc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) == 8
                                       : db_fail(st, err, "reading the schema");
    sqlite3_finalize(s);
    return rc;
}

int rev_upgrade(sto_store *st, cx_err *err)
{
    int rc = has_tables(st, err);
    if (rc <= 0 || stop_readonly(st))
        return rc < 0 ? rc : 0;
    return rev_prepare(st, err);
}

int rev_prepare(sto_store *st, cx_err *err)
{
    int rc = has_tables(st, err);
    if (rc == 1)
        rc = has_follow(st, err);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (stop_readonly(st))
        return cx_err_set(err, CX_EINVAL, stop_path(st), 0, "store %s is open read-only",
                          stop_path(st));
    sqlite3 *db = stop_db(st);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "creating the review tables");
    if (sqlite3_exec(db, review_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "creating the review tables");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "creating the review tables");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

/* ===== Names ===== */

const char *rev_state_name(int state) { return ext_review_name(state); }

static const char *const action_names[REV_NACTIONS] = {"accept", "reject", "edit", "merge",
                                                        "undo", "split"};

const char *rev_action_name(int action)
{
    return action >= 0 && action < REV_NACTIONS ? action_names[action] : NULL;
}

int rev_action_parse(const char *name)
{
    for (int i = 0; name && i < REV_NACTIONS; i++)
        if (!strcmp(name, action_names[i]))
            return i;
    return -1;
}

/* ===== Items ===== */

/* The current state of an item (or of an incident never reviewed). */
typedef struct item {
    long long id;      /* 0: none */
    long long version; /* 0: none */
    int state;
    char reason[208];
    json_t *edits;     /* owned object */
    long long merged_into; /* an item id, or 0 */
    int n_verdicts;
} item;

static void item_clear(item *it)
{
    json_decref(it->edits);
    memset(it, 0, sizeof *it);
}

/* The item of the incident: the most recently changed item holding one of
 * its reports. Fills `it` (zeroed: none). */
#define ITEM_OF_INCIDENT                                                                 \
    "SELECT item_id, state, reason, edits, merged_into, version,"                       \
    " (SELECT count(*) FROM verdicts v WHERE v.item_id=review_item.item_id)"            \
    " FROM review_item WHERE item_id IN (SELECT m.item_id FROM review_member m"          \
    " JOIN report r ON r.report_id=m.report_id WHERE r.incident_id=?1)"                 \
    " ORDER BY updated DESC, item_id DESC LIMIT 1"

static int read_item_row(sqlite3_stmt *s, item *it)
{
    it->id = sqlite3_column_int64(s, 0);
    it->state = sqlite3_column_int(s, 1);
    const unsigned char *r = sqlite3_column_text(s, 2);
    snprintf(it->reason, sizeof it->reason, "%s", r ? (const char *)r : "");
    const unsigned char *e = sqlite3_column_text(s, 3);
    json_decref(it->edits);
    it->edits = json_loads(e ? (const char *)e : "{}", 0, NULL);
    if (!it->edits || !json_is_object(it->edits)) {
        json_decref(it->edits);
        it->edits = json_object();
    }
    it->merged_into = sqlite3_column_int64(s, 4);
    it->version = sqlite3_column_int64(s, 5);
    it->n_verdicts = sqlite3_column_int(s, 6);
    return it->edits ? 0 : CX_ENOMEM;
}

static int item_of(sto_store *st, sqlite3_stmt **cache, long long incident_id, item *it,
                   cx_err *err)
{
    item_clear(it);
    if (!*cache) {
        int rc = prep(st, ITEM_OF_INCIDENT, cache, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *s = *cache;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, incident_id);
    int step = sqlite3_step(s), rc = 0;
    if (step == SQLITE_ROW)
        rc = read_item_row(s, it) ? cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory") : 0;
    else if (step != SQLITE_DONE)
        rc = db_fail(st, err, "reading a review");
    sqlite3_reset(s);
    return rc;
}

/* The incident holding the item's first member report now, or 0. */
static long long incident_of_item(sto_store *st, long long item_id, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    if (prep(st, "SELECT r.incident_id FROM review_member m JOIN report r"
                 " ON r.report_id=m.report_id WHERE m.item_id=? AND r.incident_id IS NOT NULL"
                 " ORDER BY m.report_id LIMIT 1", &s, err))
        return -1;
    sqlite3_bind_int64(s, 1, item_id);
    long long id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return id;
}

/* The snapshot of an item's state, as stored in verdicts.before/after. */
static char *snapshot(const item *it)
{
    json_t *o = json_pack("{s:s, s:s, s:O, s:I}", "state", rev_state_name(it->state), "reason",
                          it->reason, "edits", it->edits ? it->edits : json_object(),
                          "merged_into", (json_int_t)it->merged_into);
    if (!o)
        return NULL;
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return s;
}

static int state_parse(const char *name)
{
    for (int i = 0; name && i < REV_NSTATES; i++)
        if (!strcmp(name, rev_state_name(i)))
            return i;
    return REV_UNREVIEWED;
}

/* Restore `it`'s state from a snapshot. */
static int restore(item *it, const char *snap)
{
    json_t *o = json_loads(snap, 0, NULL);
    if (!o)
        return CX_EFORMAT;
    it->state = state_parse(json_string_value(json_object_get(o, "state")));
    const char *r = json_string_value(json_object_get(o, "reason"));
    snprintf(it->reason, sizeof it->reason, "%s", r ? r : "");
    json_t *e = json_object_get(o, "edits");
    json_decref(it->edits);
    it->edits = json_is_object(e) ? json_deep_copy(e) : json_object();
    it->merged_into = json_integer_value(json_object_get(o, "merged_into"));
    json_decref(o);
    return it->edits ? 0 : CX_ENOMEM;
}

/* ===== Validation of edits ===== */

static bool valid_date(const char *d)
{
    size_t n = strlen(d);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? d[i] != '-' : !isdigit((unsigned char)d[i]))
            return false;
    int y = atoi(d), m = n >= 7 ? atoi(d + 5) : 1, day = n == 10 ? atoi(d + 8) : 1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && day == 29 && !leap);
}

static int type_parse(const char *s)
{
    for (int t = 0; s && t < EXT_NTYPES; t++)
        if (!strcmp(s, ext_type_name(t)))
            return t;
    return -1;
}

/* Check a JSON object of edits; the message names the first bad field. */
static int check_edits(json_t *e, cx_err *err)
{
    static const struct {
        const char *name;
        size_t max; /* text: max bytes; 0: number */
    } fields[] = {{"type", 16},       {"date", 10},      {"actor1", 63},  {"actor2", 63},
                  {"place_name", 127}, {"place_id", 47}, {"country", 2},  {"admin1", 95},
                  {"lon", 0},          {"lat", 0},       {"geo_prec", 0}};
    if (!json_is_object(e))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "edits must be a JSON object");
    if (json_object_size(e) == 0)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "edits is empty");
    const char *key;
    json_t *v;
    json_object_foreach(e, key, v) {
        size_t k = 0, n = sizeof fields / sizeof fields[0];
        while (k < n && strcmp(key, fields[k].name))
            k++;
        if (k == n)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "unknown field '%.40s' in edits", key);
        if (fields[k].max) {
            const char *s = json_string_value(v);
            if (!s)
                return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.%s must be a string", key);
            if (strlen(s) > fields[k].max)
                return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.%s is longer than %zu bytes",
                                  key, fields[k].max);
            if (!strcmp(key, "type") && type_parse(s) < 0)
                return cx_err_set(err, CX_EINVAL, NULL, 0,
                                  "edits.type must be shelling, clash or evacuation");
            if (!strcmp(key, "date") && s[0] && !valid_date(s))
                return cx_err_set(err, CX_EINVAL, NULL, 0,
                                  "edits.date must be YYYY, YYYY-MM or YYYY-MM-DD");
            if (!strcmp(key, "country") && s[0] &&
                !(isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])))
                return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.country must be 2 letters");
        } else {
            if (!json_is_number(v))
                return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.%s must be a number", key);
            double x = json_number_value(v);
            double lo = !strcmp(key, "lon") ? -180 : !strcmp(key, "lat") ? -90 : 1;
            double hi = !strcmp(key, "lon") ? 180 : !strcmp(key, "lat") ? 90 : 3;
            if (!isfinite(x) || x < lo || x > hi)
                return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.%s must be within %g..%g",
                                  key, lo, hi);
        }
    }
    if (json_object_get(e, "lon") && !json_object_get(e, "lat"))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.lon needs edits.lat");
    if (json_object_get(e, "lat") && !json_object_get(e, "lon"))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "edits.lat needs edits.lon");
    return 0;
}

/* ===== Recording a verdict ===== */

static void now_utc(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

/* Make sure `it` exists for the incident and holds all its reports. */
static int ensure_item(sto_store *st, long long incident_id, item *it, const char *now,
                       cx_err *err)
{
    sqlite3 *db = stop_db(st);
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (!it->id) {
        if ((rc = prep(st, "INSERT INTO review_item(state, reason, edits, merged_into, version,"
                           " updated) VALUES(0, '', '{}', NULL, 0, ?)", &s, err)))
            return rc;
        sqlite3_bind_text(s, 1, now, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = db_fail(st, err, "recording a review");
        sqlite3_finalize(s);
        if (rc)
            return rc;
        it->id = sqlite3_last_insert_rowid(db);
        if (!it->edits && !(it->edits = json_object()))
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    }
    if ((rc = prep(st, "INSERT OR IGNORE INTO review_member(report_id, item_id)"
                       " SELECT report_id, ? FROM report WHERE incident_id=?", &s, err)))
        return rc;
    sqlite3_bind_int64(s, 1, it->id);
    sqlite3_bind_int64(s, 2, incident_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a review");
    sqlite3_finalize(s);
    return rc;
}

static int write_item(sto_store *st, const item *it, const char *now, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    char *edits = json_dumps(it->edits, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = edits ? prep(st, "UPDATE review_item SET state=?, reason=?, edits=?,"
                              " merged_into=?, version=?, updated=? WHERE item_id=?", &s, err)
                   : cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    if (rc)
        goto done;
    sqlite3_bind_int(s, 1, it->state);
    sqlite3_bind_text(s, 2, it->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, edits, -1, SQLITE_TRANSIENT);
    if (it->merged_into)
        sqlite3_bind_int64(s, 4, it->merged_into);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int64(s, 5, it->version);
    sqlite3_bind_text(s, 6, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 7, it->id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a review");
done:
    sqlite3_finalize(s);
    free(edits);
    return rc;
}

static int write_verdict(sto_store *st, long long item_id, long long incident_id,
                         const char *who, const char *now, const char *action,
                         const char *before, const char *after, long long undoes, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prep(st, "INSERT INTO verdicts(item_id, incident_id, who, at, action, before,"
                      " after, undoes) VALUES(?,?,?,?,?,?,?,?)", &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, item_id);
    sqlite3_bind_int64(s, 2, incident_id);
    sqlite3_bind_text(s, 3, who, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, before, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 7, after, -1, SQLITE_TRANSIENT);
    if (undoes)
        sqlite3_bind_int64(s, 8, undoes);
    else
        sqlite3_bind_null(s, 8);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a verdict");
    sqlite3_finalize(s);
    return rc;
}

/* The latest verdict of the item that is neither an undo nor undone:
 * its id and its `before` snapshot (owned). 0 when none. */
static long long last_undoable(sto_store *st, long long item_id, char **before, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    *before = NULL;
    if (prep(st, "SELECT verdict_id, before FROM verdicts v WHERE item_id=?1 AND"
                 " action<>'undo' AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE"
                 " u.undoes=v.verdict_id) ORDER BY verdict_id DESC LIMIT 1", &s, err))
        return -1;
    sqlite3_bind_int64(s, 1, item_id);
    long long id = 0;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0);
        const unsigned char *b = sqlite3_column_text(s, 1);
        if (!(*before = strdup(b ? (const char *)b : "{}")))
            id = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    } else if (step != SQLITE_DONE) {
        id = db_fail(st, err, "reading verdicts");
    }
    sqlite3_finalize(s);
    return id;
}

static bool incident_exists(sto_store *st, long long id, cx_err *err, int *rc)
{
    sqlite3_stmt *s = NULL;
    *rc = prep(st, "SELECT 1 FROM incidents WHERE incident_id=?", &s, err);
    if (*rc)
        return false;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        *rc = db_fail(st, err, "reading an incident");
    sqlite3_finalize(s);
    return step == SQLITE_ROW;
}

/* ===== Splits ===== */

#define REV_MAX_SPLIT 1000 /* reports named by one split */

/* What a split or its undo does beyond the item (rev_apply, after the
 * verdict row). */
typedef struct split_ctx {
    long long part_item;  /* the item of the part that leaves (or left) */
    long long undo_split; /* undo of a split: its review_split id */
} split_ctx;

/* One bound statement run to its end. */
static int run1(sto_store *st, const char *sql, long long a, long long b, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prep(st, sql, &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, a);
    if (sqlite3_bind_parameter_count(s) >= 2)
        sqlite3_bind_int64(s, 2, b);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a split");
    sqlite3_finalize(s);
    return rc;
}

/* The first column of the first row of `sql` bound to `a`, 0 when none. */
static long long one_id(sto_store *st, const char *sql, long long a, cx_err *err)
{
    sqlite3_stmt *s = NULL;
    if (prep(st, sql, &s, err))
        return -1;
    sqlite3_bind_int64(s, 1, a);
    int step = sqlite3_step(s);
    long long id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        id = db_fail(st, err, "reading reports");
    sqlite3_finalize(s);
    return id;
}

static bool named(const rev_verdict *v, long long report_id)
{
    for (size_t i = 0; i < v->n_reports; i++)
        if (v->reports[i] == report_id)
            return true;
    return false;
}

/* The reports a split names: each once, each a report of the incident,
 * at least one of its reports left behind. The message names the report. */
static int check_split(sto_store *st, long long incident_id, const rev_verdict *v, cx_err *err)
{
    if (!v->reports || v->n_reports == 0)
        return cx_err_set(err, CX_EINVAL, NULL, 0,
                          "reports is empty: name the reports (sources) that leave the incident");
    if (v->n_reports > REV_MAX_SPLIT)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "reports names more than %d reports",
                          REV_MAX_SPLIT);
    sqlite3_stmt *s = NULL;
    int rc = prep(st, "SELECT incident_id FROM report WHERE report_id=?", &s, err);
    for (size_t i = 0; rc == 0 && i < v->n_reports; i++) {
        long long r = v->reports[i];
        for (size_t k = 0; k < i && rc == 0; k++)
            if (v->reports[k] == r)
                rc = cx_err_set(err, CX_EINVAL, NULL, 0, "report %lld is named twice", r);
        if (rc)
            break;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, r);
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE)
            rc = cx_err_set(err, CX_EINVAL, NULL, 0, "no report %lld", r);
        else if (step != SQLITE_ROW)
            rc = db_fail(st, err, "reading reports");
        else if (sqlite3_column_int64(s, 0) != incident_id)
            rc = cx_err_set(err, CX_EINVAL, NULL, 0,
                            "report %lld is not a source of incident %lld (it is in incident %lld)",
                            r, incident_id, (long long)sqlite3_column_int64(s, 0));
    }
    sqlite3_finalize(s);
    if (rc)
        return rc;
    long long n = one_id(st, "SELECT count(*) FROM report WHERE incident_id=?", incident_id, err);
    if (n < 0)
        return (int)n;
    if ((long long)v->n_reports >= n)
        return cx_err_set(err, CX_EINVAL, NULL, 0,
                          "all %lld reports of incident %lld would leave it: at least one stays",
                          n, incident_id);
    return 0;
}

/* The split's item moves: a new item (unreviewed) for the reports that
 * leave, which leave the incident's item. */
static int split_items(sto_store *st, const item *it, const rev_verdict *v, split_ctx *sx,
                       cx_err *err)
{
    sqlite3_stmt *s = NULL;
    char now[32];
    now_utc(now);
    int rc = prep(st, "INSERT INTO review_item(state, reason, edits, merged_into, version,"
                      " updated) VALUES(0, '', '{}', NULL, 0, ?)", &s, err);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a split");
    sqlite3_finalize(s);
    sx->part_item = sqlite3_last_insert_rowid(stop_db(st));
    for (size_t i = 0; rc == 0 && i < v->n_reports; i++)
        if ((rc = run1(st, "DELETE FROM review_member WHERE report_id=?1 AND item_id=?2",
                       v->reports[i], it->id, err)) == 0)
            rc = run1(st, "INSERT OR IGNORE INTO review_member(report_id, item_id) VALUES(?1, ?2)",
                      v->reports[i], sx->part_item, err);
    return rc;
}

/* After the split's verdict row `verdict_id`: the split and its sides,
 * then the incident's component merged again (two incidents). */
static int record_split(sto_store *st, long long incident_id, const item *it,
                        const split_ctx *sx, long long verdict_id, const rev_verdict *v,
                        cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = prep(st, "INSERT INTO review_split(item_id, part_item, verdict_id, active)"
                      " VALUES(?, ?, ?, 1)", &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, it->id);
    sqlite3_bind_int64(s, 2, sx->part_item);
    sqlite3_bind_int64(s, 3, verdict_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, err, "recording a split");
    sqlite3_finalize(s);
    long long split_id = sqlite3_last_insert_rowid(stop_db(st));
    if (rc || (rc = run1(st, "INSERT INTO review_apart(report_id, split_id, side)"
                             " SELECT report_id, ?2, 0 FROM report WHERE incident_id=?1",
                         incident_id, split_id, err)))
        return rc;
    for (size_t i = 0; rc == 0 && i < v->n_reports; i++)
        rc = run1(st, "UPDATE review_apart SET side=1 WHERE report_id=?1 AND split_id=?2",
                  v->reports[i], split_id, err);
    return rc ? rc : stop_remerge(st, incident_id, err);
}

/* Undo of a split: lifted, the part's reports back in the item, the
 * component merged again (one incident). */
static int lift_split(sto_store *st, long long incident_id, const item *it,
                      const split_ctx *sx, cx_err *err)
{
    int rc;
    if ((rc = run1(st, "UPDATE review_split SET active=0 WHERE split_id=?1", sx->undo_split, 0,
                   err)) ||
        (rc = run1(st, "INSERT OR IGNORE INTO review_member(report_id, item_id)"
                       " SELECT report_id, ?2 FROM review_member WHERE item_id=?1",
                   sx->part_item, it->id, err)) ||
        (rc = run1(st, "DELETE FROM review_member WHERE item_id=?1", sx->part_item, 0, err)))
        return rc;
    return stop_remerge(st, incident_id, err);
}

/* The verdict's snapshot after, with what a split did. */
static char *snapshot_split(const item *it, const rev_verdict *v, const split_ctx *sx)
{
    char *base = snapshot(it);
    json_t *o = base ? json_loads(base, 0, NULL) : NULL, *ids = json_array();
    free(base);
    char *out = NULL;
    if (o && ids) {
        for (size_t i = 0; v->action == REV_SPLIT && i < v->n_reports; i++)
            json_array_append_new(ids, json_integer(v->reports[i]));
        json_t *x = v->action == REV_SPLIT
                        ? json_pack("{s:I, s:O}", "part_item", (json_int_t)sx->part_item,
                                    "reports", ids)
                        : json_pack("{s:I, s:I}", "part_item", (json_int_t)sx->part_item,
                                    "split_lifted", (json_int_t)sx->undo_split);
        if (x && json_object_set_new(o, v->action == REV_SPLIT ? "split" : "unsplit", x) == 0)
            out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    }
    json_decref(ids);
    json_decref(o);
    return out;
}

/* Apply verdict `v` to `it` (whose snapshot before is known). */
static int change(sto_store *st, long long incident_id, const rev_verdict *v, item *it,
                  long long *undoes, split_ctx *sx, cx_err *err)
{
    int rc = 0;
    switch (v->action) {
    case REV_ACCEPT:
        it->state = json_object_size(it->edits) ? REV_EDITED : REV_ACCEPTED;
        it->reason[0] = '\0';
        it->merged_into = 0;
        return 0;
    case REV_REJECT: {
        const char *r = v->reason ? v->reason : "";
        if (strlen(r) > 200)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "reason is longer than 200 bytes");
        it->state = REV_REJECTED;
        snprintf(it->reason, sizeof it->reason, "%s", r);
        return 0;
    }
    case REV_EDIT: {
        json_error_t jerr;
        json_t *e = json_loads(v->edits ? v->edits : "", 0, &jerr);
        if (!e)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "edits: bad JSON: %s", jerr.text);
        if ((rc = check_edits(e, err)) == 0) {
            json_object_update(it->edits, e);
            it->state = REV_EDITED;
            it->reason[0] = '\0';
            it->merged_into = 0;
        }
        json_decref(e);
        return rc;
    }
    case REV_MERGE: {
        if (v->into == incident_id)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "an incident cannot be merged into itself");
        if (!incident_exists(st, v->into, err, &rc))
            return rc ? rc : cx_err_set(err, CX_ENOTFOUND, NULL, 0, "no incident %lld to merge into",
                                        v->into);
        item target = {0};
        sqlite3_stmt *cache = NULL;
        char now[32];
        now_utc(now);
        if ((rc = item_of(st, &cache, v->into, &target, err)) == 0 &&
            (rc = ensure_item(st, v->into, &target, now, err)) == 0) {
            if (target.id == it->id)
                rc = cx_err_set(err, CX_EINVAL, NULL, 0, "the two incidents are one review item");
            else if (target.merged_into)
                rc = cx_err_set(err, CX_EINVAL, NULL, 0,
                                "incident %lld is itself merged into another", v->into);
        }
        if (rc == 0) {
            it->state = REV_REJECTED;
            snprintf(it->reason, sizeof it->reason, "duplicate");
            it->merged_into = target.id;
        }
        sqlite3_finalize(cache);
        item_clear(&target);
        return rc;
    }
    case REV_UNDO: {
        char *before = NULL;
        long long id = last_undoable(st, it->id, &before, err);
        if (id < 0)
            return (int)id;
        if (id == 0)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "nothing to undo");
        rc = restore(it, before) ? cx_err_set(err, CX_EDB, NULL, 0, "a stored verdict is damaged")
                                 : 0;
        free(before);
        *undoes = id;
        if (rc == 0) { /* the verdict undone was a split: lift it */
            sqlite3_stmt *s = NULL;
            if ((rc = prep(st, "SELECT split_id, part_item FROM review_split"
                               " WHERE verdict_id=? AND active=1", &s, err)))
                return rc;
            sqlite3_bind_int64(s, 1, id);
            int step = sqlite3_step(s);
            if (step == SQLITE_ROW) {
                sx->undo_split = sqlite3_column_int64(s, 0);
                sx->part_item = sqlite3_column_int64(s, 1);
            } else if (step != SQLITE_DONE) {
                rc = db_fail(st, err, "reading splits");
            }
            sqlite3_finalize(s);
        }
        return rc;
    }
    case REV_SPLIT:
        if ((rc = check_split(st, incident_id, v, err)))
            return rc;
        return split_items(st, it, v, sx, err);
    default:
        return cx_err_set(err, CX_EINVAL, NULL, 0, "unknown action");
    }
}

long long rev_apply(sto_store *st, long long incident_id, const rev_verdict *v, cx_err *err)
{
    sqlite3 *db = stop_db(st);
    sqlite3_stmt *cache = NULL;
    item it = {0};
    split_ctx sx = {0};
    char *before = NULL, *after = NULL, now[32];
    long long undoes = 0, result = 0, anchor = 0;
    int rc;
    if (!v->who || !v->who[0] || strlen(v->who) > 63)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "who must be 1 to 63 bytes");
    if (!rev_action_name(v->action))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "unknown action");
    if ((rc = rev_prepare(st, err)))
        return rc;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "recording a verdict");
    now_utc(now);
    if (!incident_exists(st, incident_id, err, &rc)) {
        if (!rc)
            rc = cx_err_set(err, CX_ENOTFOUND, NULL, 0, "no incident %lld", incident_id);
        goto fail;
    }
    if ((rc = item_of(st, &cache, incident_id, &it, err)))
        goto fail;
    if (v->version != it.version) {
        rc = cx_err_set(err, REV_ESTALE, NULL, 0,
                        "incident %lld was changed meanwhile (version %lld, not %lld): reload it",
                        incident_id, it.version, v->version);
        goto fail;
    }
    if (v->action == REV_UNDO && !it.id) {
        rc = cx_err_set(err, CX_EINVAL, NULL, 0, "nothing to undo");
        goto fail;
    }
    /* the report that says where the incident is after the verdict: its
     * smallest one (that stays, for a split) */
    if (v->parts) {
        sqlite3_stmt *s = NULL;
        if ((rc = prep(st, "SELECT report_id FROM report WHERE incident_id=? ORDER BY report_id",
                       &s, err)))
            goto fail;
        sqlite3_bind_int64(s, 1, incident_id);
        while (!anchor && sqlite3_step(s) == SQLITE_ROW)
            if (v->action != REV_SPLIT || !named(v, sqlite3_column_int64(s, 0)))
                anchor = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    if ((rc = ensure_item(st, incident_id, &it, now, err)))
        goto fail;
    if (!(before = snapshot(&it))) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if ((rc = change(st, incident_id, v, &it, &undoes, &sx, err)))
        goto fail;
    it.version++;
    if (!(after = v->action == REV_SPLIT || sx.undo_split ? snapshot_split(&it, v, &sx)
                                                          : snapshot(&it))) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if ((rc = write_item(st, &it, now, err)) ||
        (rc = write_verdict(st, it.id, incident_id, v->who, now, rev_action_name(v->action),
                            before, after, undoes, err)))
        goto fail;
    sqlite3_finalize(cache);
    cache = NULL;
    if (v->action == REV_SPLIT)
        rc = record_split(st, incident_id, &it, &sx, sqlite3_last_insert_rowid(db), v, err);
    else if (sx.undo_split)
        rc = lift_split(st, incident_id, &it, &sx, err);
    if (rc)
        goto fail;
    if (v->parts) {
        const char *where = "SELECT coalesce(incident_id, 0) FROM report WHERE report_id=?";
        v->parts[0] = anchor ? one_id(st, where, anchor, err) : incident_id;
        v->parts[1] = v->action == REV_SPLIT ? one_id(st, where, v->reports[0], err) : 0;
        if (v->parts[0] < 0 || v->parts[1] < 0) {
            rc = (int)(v->parts[0] < 0 ? v->parts[0] : v->parts[1]);
            goto fail;
        }
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "recording a verdict");
        goto fail;
    }
    result = it.version;
    goto done;
fail:
    sqlite3_finalize(cache);
    cache = NULL;
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    result = rc;
done:
    free(before);
    free(after);
    item_clear(&it);
    return result;
}

/* ===== The overlay ===== */

typedef struct overlay {
    sto_store *st;
    bool tables;
    int which;
    rev_list_fn fn;
    void *ctx;
    sqlite3_stmt *item_q, *merged_docs, *target_inc;
    size_t n;
    int rc;
} overlay;

static void set_text(char *dst, size_t size, json_t *v)
{
    const char *s = json_string_value(v);
    if (s)
        snprintf(dst, size, "%s", s);
}

/* Apply the item's edits to `inc`. */
static void apply_edits(ext_incident *inc, const json_t *e)
{
    json_t *v;
    if ((v = json_object_get(e, "type")) && type_parse(json_string_value(v)) >= 0)
        inc->type = type_parse(json_string_value(v));
    if ((v = json_object_get(e, "date"))) {
        const char *d = json_string_value(v);
        if (d) {
            snprintf(inc->date, sizeof inc->date, "%s", d);
            size_t n = strlen(d);
            inc->date_prec = n == 10 ? EXT_PREC_DAY : n == 7 ? EXT_PREC_MONTH
                             : n == 4 ? EXT_PREC_YEAR : EXT_PREC_UNKNOWN;
        }
    }
    set_text(inc->actor1, sizeof inc->actor1, json_object_get(e, "actor1"));
    set_text(inc->actor2, sizeof inc->actor2, json_object_get(e, "actor2"));
    if ((v = json_object_get(e, "place_name"))) {
        set_text(inc->place_name, sizeof inc->place_name, v);
        inc->place_alt[0] = '\0';
    }
    set_text(inc->place_id, sizeof inc->place_id, json_object_get(e, "place_id"));
    set_text(inc->country, sizeof inc->country, json_object_get(e, "country"));
    set_text(inc->admin1, sizeof inc->admin1, json_object_get(e, "admin1"));
    if ((v = json_object_get(e, "lon")) && json_is_number(v) && json_object_get(e, "lat")) {
        inc->lon = json_number_value(v);
        inc->lat = json_number_value(json_object_get(e, "lat"));
        inc->border_km = NAN; /* the writer measures it again */
        if (!json_object_get(e, "geo_prec"))
            inc->geo_prec = 1;
    }
    if ((v = json_object_get(e, "geo_prec")) && json_is_number(v))
        inc->geo_prec = (int)json_number_value(v);
}

/* Apply the review to `inc`; fills `info`. */
static int apply_review(overlay *o, ext_incident *inc, rev_info *info, cx_err *err)
{
    item it = {0};
    int rc = 0;
    memset(info, 0, sizeof *info);
    info->incident_id = inc->store_id;
    inc->review = REV_UNREVIEWED;
    if (!o->tables)
        return 0;
    if ((rc = item_of(o->st, &o->item_q, inc->store_id, &it, err)))
        return rc;
    if (it.id) {
        info->item_id = it.id;
        info->version = it.version;
        info->state = it.state;
        info->n_verdicts = it.n_verdicts;
        snprintf(info->reason, sizeof info->reason, "%s", it.reason);
        if (it.merged_into) {
            long long target = incident_of_item(o->st, it.merged_into, err);
            if (target < 0) {
                rc = (int)target;
                goto done;
            }
            info->merged_into = target;
        }
        apply_edits(inc, it.edits);
        inc->review = it.state;
        /* the sources of the incidents merged into this one */
        if (!o->merged_docs &&
            (rc = prep(o->st, "SELECT DISTINCT r.doc_id FROM review_item i"
                              " JOIN review_member m ON m.item_id=i.item_id"
                              " JOIN report r ON r.report_id=m.report_id"
                              " WHERE i.merged_into=? ORDER BY r.doc_id", &o->merged_docs, err)))
            goto done;
        sqlite3_reset(o->merged_docs);
        sqlite3_bind_int64(o->merged_docs, 1, it.id);
        int step;
        while ((step = sqlite3_step(o->merged_docs)) == SQLITE_ROW)
            if (ext_incident_add_doc(inc, (const char *)sqlite3_column_text(o->merged_docs, 0))) {
                rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
                goto done;
            }
        sqlite3_reset(o->merged_docs);
        if (step != SQLITE_DONE) {
            rc = db_fail(o->st, err, "reading merged sources");
            goto done;
        }
        inc->n_sources = (int)inc->n_doc_ids;
    }
done:
    item_clear(&it);
    return rc;
}

static int overlay_one(void *ctx, const ext_incident *stored, cx_err *err)
{
    overlay *o = ctx;
    ext_incident inc;
    rev_info info;
    ext_incident_init(&inc);
    int rc = ext_incident_copy(&inc, stored);
    if (rc)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    if ((rc = apply_review(o, &inc, &info, err)) == 0) {
        bool keep = o->which == REV_LIST_ALL ||
                    inc.review == REV_ACCEPTED || inc.review == REV_EDITED;
        if (keep && (rc = o->fn(o->ctx, &inc, &info, err)) == 0)
            o->n++;
    }
    ext_incident_clear(&inc);
    return rc;
}

static void overlay_free(overlay *o)
{
    sqlite3_finalize(o->item_q);
    sqlite3_finalize(o->merged_docs);
    sqlite3_finalize(o->target_inc);
}

int rev_list(sto_store *st, const sto_filter *filter, int which, rev_list_fn fn, void *ctx,
             size_t *n_out, cx_err *err)
{
    overlay o = {.st = st, .which = which, .fn = fn, .ctx = ctx};
    int rc = has_tables(st, err);
    if (rc < 0)
        return rc;
    o.tables = rc == 1;
    rc = sto_export(st, filter, overlay_one, &o, NULL, err);
    overlay_free(&o);
    if (n_out)
        *n_out = o.n;
    return rc;
}

int rev_get(sto_store *st, long long incident_id, ext_incident *inc, rev_info *info,
            cx_err *err)
{
    overlay o = {.st = st};
    int rc = has_tables(st, err);
    if (rc < 0)
        return rc;
    o.tables = rc == 1;
    if ((rc = stop_get_incident(st, incident_id, inc, err)) == 0)
        rc = apply_review(&o, inc, info, err);
    overlay_free(&o);
    return rc;
}

/* ===== Sources and history ===== */

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? (const char *)v : "";
}

int rev_sources(sto_store *st, long long incident_id, rev_source_fn fn, void *ctx,
                cx_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = has_tables(st, err);
    if (rc < 0)
        return rc;
    bool tables = rc == 1;
    if (!incident_exists(st, incident_id, err, &rc))
        return rc ? rc : cx_err_set(err, CX_ENOTFOUND, NULL, 0, "no incident %lld", incident_id);
    /* its own reports, then those of the items merged into its item */
    rc = prep(st, tables
                      ? "SELECT r.report_id, r.doc_id, d.source, d.published, r.evidence,"
                        " r.claimed_by, r.date, r.date_prec, r.place, r.confidence, r.trig_start,"
                        " r.trig_end, r.place_start, r.place_end, r.incident_id, r.src_url, r.src_outlet FROM report r"
                        " LEFT JOIN documents d ON d.id=r.doc_id WHERE r.incident_id=?1"
                        " OR r.report_id IN (SELECT m2.report_id FROM review_item i2"
                        "  JOIN review_member m2 ON m2.item_id=i2.item_id WHERE i2.merged_into IN"
                        "  (SELECT m.item_id FROM review_member m JOIN report r1"
                        "   ON r1.report_id=m.report_id WHERE r1.incident_id=?1))"
                        " ORDER BY r.doc_id, r.evidence_offset"
                      : "SELECT r.report_id, r.doc_id, d.source, d.published, r.evidence,"
                        " r.claimed_by, r.date, r.date_prec, r.place, r.confidence, r.trig_start,"
                        " r.trig_end, r.place_start, r.place_end, r.incident_id, r.src_url, r.src_outlet FROM report r"
                        " LEFT JOIN documents d ON d.id=r.doc_id WHERE r.incident_id=?1"
                        " ORDER BY r.doc_id, r.evidence_offset",
              &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, incident_id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *doc = col(s, 1), *source = col(s, 2), *url = col(s, 15);
        rev_source src = {
            .report_id = sqlite3_column_int64(s, 0),
            .doc_id = doc,
            /* the source's own URL (issue 18's src_url), else an id or a
             * source name that is one */
            .url = !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8)    ? url
                   : !strncmp(doc, "http://", 7) || !strncmp(doc, "https://", 8) ? doc
                   : !strncmp(source, "http://", 7) || !strncmp(source, "https://", 8)
                       ? source
                       : "",
            .outlet = col(s, 16),
            .title = "",
            .published = col(s, 3),
            .evidence = col(s, 4),
            .claimed_by = col(s, 5),
            .date = col(s, 6),
            .date_prec = sqlite3_column_int(s, 7),
            .place = col(s, 8),
            .confidence = sqlite3_column_double(s, 9),
            .own = sqlite3_column_int64(s, 14) == incident_id,
        };
        src.trig_span = stop_col_span_chars(s, 10, src.evidence);
        src.place_span = stop_col_span_chars(s, 12, src.evidence);
        if ((rc = fn(ctx, &src, err)))
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = db_fail(st, err, "reading sources");
    sqlite3_finalize(s);
    return rc;
}

int rev_verdicts(sto_store *st, long long incident_id, rev_row_fn fn, void *ctx, cx_err *err)
{
    sqlite3_stmt *s = NULL, *cache = NULL;
    item it = {0};
    int rc = has_tables(st, err);
    if (rc <= 0)
        return rc;
    if (incident_id && ((rc = item_of(st, &cache, incident_id, &it, err)) || !it.id))
        goto done;
    if ((rc = prep(st, "SELECT verdict_id, item_id, incident_id, coalesce(undoes, 0), who, at,"
                       " action, before, after FROM verdicts WHERE ?1=0 OR item_id=?1"
                       " ORDER BY verdict_id", &s, err)))
        goto done;
    sqlite3_bind_int64(s, 1, it.id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        rev_row row = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                       sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3), col(s, 4),
                       col(s, 5), col(s, 6), col(s, 7), col(s, 8)};
        if ((rc = fn(ctx, &row, err)))
            goto done;
    }
    if (step != SQLITE_DONE)
        rc = db_fail(st, err, "reading verdicts");
done:
    sqlite3_finalize(s);
    sqlite3_finalize(cache);
    item_clear(&it);
    return rc;
}
