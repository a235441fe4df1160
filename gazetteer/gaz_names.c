/* gaz_names.c -- the name a report prints for a place (--names en|fr|local):
 * the conflict file's two-sided forms, else the gazetteer's language-tagged
 * names, else the ASCII name, else the canonical name. Results are cached
 * per place id. It does not change lookups or merging (they use ids).
 * The rule is documented in docs/gazetteer.md ("Names"). */
#include "gazp.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cx_text.h"

#define NAME_MAX_LEN 128

/* A place whose two sides use two names: its gazetteer row and its forms. */
typedef struct two_sided {
    long long place; /* places.id */
    char name[2][NAME_MAX_LEN]; /* [0] the language's press form, [1] the other side's */
} two_sided;

typedef struct slot {
    char *id;                  /* NULL: empty */
    char name[NAME_MAX_LEN];
    char alt[NAME_MAX_LEN];
} slot;

struct gaz_namer {
    gaz_db *g;
    int names;
    sqlite3_stmt *by_src, *by_link, *names_of;
    two_sided *ts;
    size_t n_ts;
    slot *cache;
    size_t cap, used;
};

int gaz_names_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "en"))
        return GAZ_NAMES_EN;
    if (!strcmp(s, "fr"))
        return GAZ_NAMES_FR;
    if (!strcmp(s, "local"))
        return GAZ_NAMES_LOCAL;
    return -1;
}

void gaz_namer_free(gaz_namer *n)
{
    if (!n)
        return;
    sqlite3_finalize(n->by_src);
    sqlite3_finalize(n->by_link);
    sqlite3_finalize(n->names_of);
    for (size_t i = 0; i < n->cap; i++)
        free(n->cache[i].id);
    free(n->cache);
    free(n->ts);
    free(n);
}

/* places.id of a src_id, directly or through links; 0 when unknown. */
static int place_of(gaz_namer *n, const char *src_id, long long *id, char *canon, size_t size,
                    cx_err *err)
{
    *id = 0;
    if (canon)
        canon[0] = '\0';
    sqlite3_stmt *st = n->by_src;
    sqlite3_bind_text(st, 1, src_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        const unsigned char *s = sqlite3_column_text(st, 1);
        if (canon)
            cx_str_copy(canon, size, s ? (const char *)s : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cx_err_set(err, CX_EDB, gazp_db_path(n->g), 0, "place by id: %s",
                          sqlite3_errmsg(gazp_db_handle(n->g)));
    if (*id || !n->by_link)
        return 0;
    st = n->by_link;
    sqlite3_bind_text(st, 1, src_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        const unsigned char *s = sqlite3_column_text(st, 1);
        if (canon)
            cx_str_copy(canon, size, s ? (const char *)s : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cx_err_set(err, CX_EDB, gazp_db_path(n->g), 0, "place by link: %s",
                          sqlite3_errmsg(gazp_db_handle(n->g)));
    return 0;
}

/* "two_sided_names": {"places": [{"ids": [...], "en": [A, B], "fr": [A, B]}, ...]} */
static int load_two_sided(gaz_namer *n, const char *path, cx_err *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return cx_err_set(err, CX_EFORMAT, path, je.line > 0 ? je.line : 0,
                          "cannot read the conflict file: %s", je.text);
    int rc = 0;
    json_t *ts = json_object_get(root, "two_sided_names");
    json_t *places = ts ? json_object_get(ts, "places") : NULL;
    if (!ts)
        goto done;
    if (!json_is_array(places)) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0,
                        "two_sided_names: expected an object with a \"places\" array");
        goto done;
    }
    const char *lang = n->names == GAZ_NAMES_FR ? "fr" : "en";
    size_t i;
    json_t *e;
    json_array_foreach(places, i, e)
    {
        json_t *ids = json_object_get(e, "ids"), *forms = json_object_get(e, lang);
        if (!json_is_array(ids) || !json_is_array(forms) || json_array_size(forms) != 2 ||
            !json_is_string(json_array_get(forms, 0)) ||
            !json_is_string(json_array_get(forms, 1))) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0,
                            "two_sided_names: place %zu needs \"ids\" and two \"%s\" names", i + 1,
                            lang);
            goto done;
        }
        if (n->names == GAZ_NAMES_LOCAL)
            continue;
        size_t k;
        json_t *id;
        json_array_foreach(ids, k, id)
        {
            long long pid = 0;
            if (!json_is_string(id))
                continue;
            rc = place_of(n, json_string_value(id), &pid, NULL, 0, err);
            if (rc)
                goto done;
            if (!pid)
                continue; /* another gazetteer may lack it */
            two_sided *nv = realloc(n->ts, (n->n_ts + 1) * sizeof *nv);
            if (!nv) {
                rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
                goto done;
            }
            n->ts = nv;
            two_sided *t = &n->ts[n->n_ts++];
            t->place = pid;
            cx_str_copy(t->name[0], NAME_MAX_LEN, json_string_value(json_array_get(forms, 0)));
            cx_str_copy(t->name[1], NAME_MAX_LEN, json_string_value(json_array_get(forms, 1)));
            break; /* the first id the gazetteer knows */
        }
    }
done:
    json_decref(root);
    return rc;
}

gaz_namer *gaz_namer_new(gaz_db *db, int names, const char *conflict_path, cx_err *err)
{
    if (!db || names < GAZ_NAMES_EN || names > GAZ_NAMES_LOCAL) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_namer_new: bad arguments");
        return NULL;
    }
    gaz_namer *n = calloc(1, sizeof *n);
    if (!n) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    n->g = db;
    n->names = names;
    sqlite3 *h = gazp_db_handle(db);
    if (sqlite3_prepare_v2(h, "SELECT id, name FROM places WHERE src_id = ?1 LIMIT 1", -1,
                           &n->by_src, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h,
                           "SELECT n.place_id, n.name, n.lang, n.flags FROM names n"
                           " WHERE n.place_id = ?1 ORDER BY n.rowid",
                           -1, &n->names_of, NULL) != SQLITE_OK) {
        cx_err_set(err, CX_EDB, gazp_db_path(db), 0, "preparing name queries: %s",
                   sqlite3_errmsg(h));
        gaz_namer_free(n);
        return NULL;
    }
    /* gazetteers built before the links table have none: ids only */
    if (sqlite3_prepare_v2(h,
                           "SELECT l.place_id, p.name FROM links l JOIN places p"
                           " ON p.id = l.place_id WHERE l.src_id = ?1 LIMIT 1",
                           -1, &n->by_link, NULL) != SQLITE_OK)
        n->by_link = NULL;
    if (conflict_path && load_two_sided(n, conflict_path, err) != 0) {
        gaz_namer_free(n);
        return NULL;
    }
    return n;
}

/* ===== Choosing a name ===== */

/* Rank of a name for language `lang` (higher is better; 0 not a candidate):
 * a curated name:LL, then a preferred one, then any other of that language;
 * historic and colloquial names are never chosen. */
static int rank_in(const char *nlang, int flags, const char *lang)
{
    if (!nlang || strcmp(nlang, lang) || (flags & (GAZP_NAME_HISTORIC | GAZP_NAME_COLLOQUIAL)))
        return 0;
    if (flags & GAZP_NAME_CURATED)
        return 3;
    if (flags & GAZP_NAME_PREFERRED)
        return (flags & GAZP_NAME_SHORT) ? 1 : 2;
    return 1;
}

static int choose(gaz_namer *n, long long pid, const char *canon, char *name, size_t size,
                  cx_err *err)
{
    cx_str_copy(name, size, canon);
    if (n->names == GAZ_NAMES_LOCAL)
        return 0;
    /* fr falls back on en (an English form reads better to a French reader
     * than a GeoNames romanisation), both on the ASCII name */
    const char *langs[2] = {n->names == GAZ_NAMES_FR ? "fr" : "en", "en"};
    int nl = n->names == GAZ_NAMES_FR ? 2 : 1;
    int best_rank[2] = {0, 0};
    char best[2][NAME_MAX_LEN] = {"", ""};
    char ascii[NAME_MAX_LEN] = "";
    sqlite3_stmt *st = n->names_of;
    sqlite3_bind_int64(st, 1, pid);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *nm = sqlite3_column_text(st, 1), *lg = sqlite3_column_text(st, 2);
        int flags = sqlite3_column_int(st, 3);
        if (!nm)
            continue;
        for (int i = 0; i < nl; i++) {
            int r = rank_in((const char *)lg, flags, langs[i]);
            /* curated names: the last merged row wins (the press-spelling
             * files load after the settlements CSV) */
            if (r > best_rank[i] || (r == 3 && best_rank[i] == 3)) {
                best_rank[i] = r;
                cx_str_copy(best[i], NAME_MAX_LEN, (const char *)nm);
            }
        }
        if ((flags & GAZP_NAME_ASCII) && !ascii[0])
            cx_str_copy(ascii, sizeof ascii, (const char *)nm);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return cx_err_set(err, CX_EDB, gazp_db_path(n->g), 0, "names of a place: %s",
                          sqlite3_errmsg(gazp_db_handle(n->g)));
    for (int i = 0; i < nl; i++)
        if (best_rank[i]) {
            cx_str_copy(name, size, best[i]);
            return 0;
        }
    if (ascii[0])
        cx_str_copy(name, size, ascii);
    return 0;
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static int cache_grow(gaz_namer *n)
{
    size_t nc = n->cap ? n->cap * 2 : 1024;
    slot *nv = calloc(nc, sizeof *nv);
    if (!nv)
        return CX_ENOMEM;
    for (size_t i = 0; i < n->cap; i++) {
        if (!n->cache[i].id)
            continue;
        size_t j = hash_str(n->cache[i].id) & (nc - 1);
        while (nv[j].id)
            j = (j + 1) & (nc - 1);
        nv[j] = n->cache[i];
    }
    free(n->cache);
    n->cache = nv;
    n->cap = nc;
    return 0;
}

int gaz_namer_name(gaz_namer *n, const char *place_id, char *name, size_t name_size,
                   char *alt, size_t alt_size, cx_err *err)
{
    if (name && name_size)
        name[0] = '\0';
    if (alt && alt_size)
        alt[0] = '\0';
    if (!n || !place_id || !name || !alt)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_namer_name: bad arguments");
    if (!*place_id)
        return 0;
    if (2 * (n->used + 1) > n->cap && cache_grow(n) != 0)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    size_t j = hash_str(place_id) & (n->cap - 1);
    while (n->cache[j].id && strcmp(n->cache[j].id, place_id))
        j = (j + 1) & (n->cap - 1);
    slot *s = &n->cache[j];
    if (!s->id) {
        long long pid = 0;
        char canon[NAME_MAX_LEN];
        int rc = place_of(n, place_id, &pid, canon, sizeof canon, err);
        if (rc)
            return rc;
        if (pid) {
            const two_sided *t = NULL;
            for (size_t i = 0; i < n->n_ts && !t; i++)
                if (n->ts[i].place == pid)
                    t = &n->ts[i];
            if (t) {
                cx_str_copy(s->name, sizeof s->name, t->name[0]);
                cx_str_copy(s->alt, sizeof s->alt, t->name[1]);
            } else if ((rc = choose(n, pid, canon, s->name, sizeof s->name, err)) != 0) {
                return rc;
            }
        }
        if (!(s->id = strdup(place_id)))
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        n->used++;
    }
    cx_str_copy(name, name_size, s->name);
    cx_str_copy(alt, alt_size, s->alt);
    return 0;
}
