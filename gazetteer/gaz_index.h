/* gaz_index.h -- the gazetteer's read index: a compact, memory-mapped copy of
 * what look-ups and probes read (folded keys and their word prefixes,
 * transliteration keys, the name rows under each key, the place fields that
 * rank candidates), written beside the SQLite file as FILE.idx. Private to
 * gazetteer/: the rest of the program sees it only through gaz_lookup and
 * gaz_probe, which answer exactly as the SQLite queries do. */
#ifndef GAZ_INDEX_H
#define GAZ_INDEX_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "cx_place.h"

typedef struct gazp_index gazp_index; /* opaque */

/* Which keys a look-up reads. */
enum { GAZP_IX_KEY = 0, GAZP_IX_TKEY = 1 };

/** The identity of the gazetteer open on `db` (its build time and counts),
 *  which an index must carry to be used: into `buf`. Returns 0 or CX_EDB. */
int gazp_index_ident(sqlite3 *db, char *buf, size_t size);

/** Write the index of the gazetteer open on `db` to `path` (through a
 *  temporary file renamed into place). Returns 0 or a CX_E* code with `err`
 *  naming the path. */
int gazp_index_write(sqlite3 *db, const char *path, cx_err *err);

/** Map the index at `path` read-only. NULL when it is missing, unreadable,
 *  damaged or of another gazetteer than `ident` (err says which; CX_ENOTFOUND
 *  when missing). Ownership: gazp_index_close(). */
gazp_index *gazp_index_open(const char *path, const char *ident, cx_err *err);

/** Unmap `ix`; NULL is a no-op. */
void gazp_index_close(gazp_index *ix);

/** GAZ_PROBE_* mask of a folded key. */
int gazp_index_probe(const gazp_index *ix, const char *key, size_t len);

/* A name row as the index keeps it, with what ranks it (its place's fields
 * copied), so that a look-up reads its candidates in one place: the rows of
 * one folded key are consecutive (in the gazetteer's row order). Visible
 * here so that the look-up's loops read it inline; strings are offsets into
 * gazp_index_strings(). */
typedef struct gazp_ix_rec {
    int64_t id, population; /* the place's */
    double lat, lon;        /* the place's */
    uint32_t place;         /* index into the places */
    uint32_t matched, lang; /* strings */
    int32_t flags;
    int32_t bonus;          /* gazp_fcode_bonus() of the place */
    uint32_t incimap;       /* the place's src_id starts with "incimap:" */
} gazp_ix_rec;

/** The name rows under `key` (GAZP_IX_KEY: folded keys; GAZP_IX_TKEY:
 *  transliteration keys), in the gazetteer's row order, consecutive: *n of
 *  them from the one returned. NULL when none. Borrowed; valid until
 *  gazp_index_close(). */
const gazp_ix_rec *gazp_index_find(const gazp_index *ix, int which, const char *key,
                                   size_t len, size_t *n);

/** The index's string area (a row's `matched` and `lang` are offsets in it). */
const char *gazp_index_strings(const gazp_index *ix);

/* What ranks a candidate. */
typedef struct gazp_ix_view {
    long long id;
    long population;
    int flags, bonus;
    bool incimap;
    double lat, lon;
    const char *matched; /* the name as the gazetteer has it (borrowed) */
} gazp_ix_view;

/** The ranking fields of row `r` into `v`; `strings`: gazp_index_strings(). */
static inline void gazp_index_view(const gazp_ix_rec *r, const char *strings, gazp_ix_view *v)
{
    v->id = r->id;
    v->population = (long)r->population;
    v->flags = r->flags;
    v->bonus = r->bonus;
    v->incimap = r->incimap != 0;
    v->lat = r->lat;
    v->lon = r->lon;
    v->matched = strings + r->matched;
}

/** The country of row `r`'s place. Borrowed. */
const char *gazp_index_country(const gazp_index *ix, const gazp_ix_rec *r);

/** The candidate of row `r`: its place's fields, the matched name and its
 *  language into `p`, which the caller zeroed (score and match left for the
 *  caller), the name's flags into *flags. */
void gazp_index_candidate(const gazp_index *ix, const gazp_ix_rec *r, cx_place *p, int *flags);

/** The bonus of a feature code and kind in the ranking (gazetteer.c). */
double gazp_fcode_bonus(const char *fcode, int kind);

#endif
