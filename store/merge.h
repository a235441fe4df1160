/* merge.h -- reports of the same incident merged into one incident.
 * Pure C, no I/O: the store (store.h) and the CLI both call it, so one run
 * and a store fed over several runs merge by the same rules.
 *
 * Two reports are COMPATIBLE (mrg_compatible) when they have the same type,
 * the same place (same non-empty place_id, or within a radius that depends on
 * the less precise geo_prec of the two: 2 km for 1, 10 km for 2, 50 km for 3
 * and anything else) and nested dates (a day inside a week, a month or a
 * year; equal spans; an unknown date only with another unknown date).
 *
 * mrg_merge groups reports in two steps that depend only on the set of
 * reports, never on their order:
 *   1. components: reports linked by chains of compatible pairs (found through
 *      buckets keyed by type, date span and a 0.5-degree grid cell or
 *      place_id, so there is no pass over all pairs);
 *   2. within a component, reports sorted most precise first are clustered
 *      greedily around an anchor (the first report of the cluster): a report
 *      joins the first cluster whose anchor place it matches and whose date
 *      span it nests with. So a vague report ("in October") cannot chain two
 *      different days into one incident.
 * docs/store.md describes every rule and the fields of a merged incident. */
#ifndef MRG_MERGE_H
#define MRG_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_err.h"
#include "incident.h"

/* Distance thresholds by geo_prec, in kilometres. */
typedef struct mrg_options {
    double km_prec1; /* geo_prec 1, the place itself: default 2 */
    double km_prec2; /* geo_prec 2, near it / part of it: default 10 */
    double km_prec3; /* geo_prec 3 and any other value: default 50 */
} mrg_options;

#define MRG_KM_PREC1 2.0
#define MRG_KM_PREC2 10.0
#define MRG_KM_PREC3 50.0

/** Fill `opts` with the default thresholds (2, 10, 50 km). */
void mrg_options_init(mrg_options *opts);

/* What mrg_merge returns. */
typedef struct mrg_result {
    ext_incident *items; /* merged incidents, owned, in canonical order (mrg_cmp) */
    size_t n;
    size_t *of_input;    /* owned, one per input report: index in `items` it went into */
    size_t *component;   /* owned, one per input report: its component number (0..n_components-1) */
    size_t n_components;
} mrg_result;

/** Merge the `n` reports `in` (each usually with one doc id) into `out`
 *  (zeroed or freed before). `opts` may be NULL (defaults). The result does
 *  not depend on the order of `in`. Returns 0, CX_EINVAL (negative or NaN
 *  threshold), or CX_ENOMEM; `err` is set on failure.
 *  Ownership: `in` is borrowed; free `out` with mrg_result_free(). */
int mrg_merge(const ext_incident *in, size_t n, const mrg_options *opts, mrg_result *out,
              cx_err *err);

/* Reports an analyst split apart (store_review.h, the `split` verdict):
 * each report's keys, split_id * 2 + side (0 the part that stayed, 1 the
 * part that left). Two reports with keys of one split and different sides
 * are never in one incident; a report joins first the incident holding a
 * report of its own split and side (the analyst said they are one event),
 * else the first one it fits as usual that holds no report of the other
 * side. So a report compatible with both parts goes to the part whose
 * first report comes first in the merge order (most precise first) and
 * never joins them. An incident holding side-1 keys has its incident_id
 * derived from the usual one and those keys (the two parts of one place
 * and date get two ids, stable while the split lasts). */
typedef struct mrg_apart {
    const int64_t *keys; /* sorted ascending; borrowed */
    size_t n;
} mrg_apart;

/** mrg_merge with `apart[i]` the keys of report i (`apart` NULL: none, the
 *  same as mrg_merge). Components are unchanged (they follow compatibility
 *  alone); only the incidents inside them follow the splits. */
int mrg_merge_apart(const ext_incident *in, const mrg_apart *apart, size_t n,
                    const mrg_options *opts, mrg_result *out, cx_err *err);

/** Free what `res` owns and zero it. NULL-safe. */
void mrg_result_free(mrg_result *res);

/** True when reports `a` and `b` may be the same incident (type, place,
 *  dates; see above). `opts` may be NULL. Pure; nothing is allocated. */
bool mrg_compatible(const ext_incident *a, const ext_incident *b, const mrg_options *opts);

/** The radius in km within which two reports of geo_prec `pa` and `pb` are at
 *  the same place: the threshold of the less precise one. `opts` may be NULL. */
double mrg_radius_km(const mrg_options *opts, int pa, int pb);

/** Great-circle distance in km (haversine, mean Earth radius). */
double mrg_distance_km(double lon1, double lat1, double lon2, double lat2);

/** The span of days `inc`'s date covers, as days since 1970-01-01 in OUT
 *  *lo and *hi (inclusive). A week is the 7 days starting at its date. The
 *  span follows date_prec, coarsened to what the string holds ("2020-10"
 *  with day precision is the month). Returns false when the date is unknown
 *  or unparseable (then *lo = *hi = 0). */
bool mrg_date_span(const ext_incident *inc, long *lo, long *hi);

/** Fill inc->incident_id with the incident's stable id: 16 hex digits of
 *  the SHA-256 of its type, place (place_id, else the point and the name as
 *  written) and date span (for an undated incident, the year of its earliest
 *  publication). Reports joining the incident keep it; it changes only when
 *  the merged type, place or date changes (a more precise report arriving).
 *  mrg_merge sets it on every incident. */
void mrg_incident_id(ext_incident *inc);

/** Write the canonical sort key of a merged incident into `buf` (always
 *  NUL-terminated): first day of its date span ("9999-99-99" when unknown),
 *  date precision, type, place_id, lon, lat, first doc id, offset, evidence.
 *  Ordering incidents by strcmp of this key is the export order. */
void mrg_sort_key(const ext_incident *inc, char *buf, size_t size);

/** Total order of merged incidents: mrg_sort_key, then every other field.
 *  Returns <0, 0, >0 like strcmp. */
int mrg_cmp(const ext_incident *a, const ext_incident *b);

/* ===== A pool of reports that folds repeats =====
 * The news repeats itself: a wire story is reprinted word for word by many
 * outlets, and each copy gives the same reports under another doc id. A pool
 * keeps one record per distinct report (every field equal but the doc ids)
 * and the doc ids of all its copies, the smallest first. mrg_merge of the
 * pool's items gives exactly what mrg_merge of every report one by one gives
 * (copies always fall in the same cluster, after their smallest copy, and
 * change none of its merged fields but the doc ids), in memory that grows
 * with the distinct reports, not with the copies. */
typedef struct mrg_pool {
    ext_incident *items; /* owned: the distinct reports, in order of first arrival */
    size_t n, cap;
    size_t n_added;      /* reports added, copies included */
    uint64_t *hash;      /* per item */
    size_t *slots;       /* open addressing: item index, or SIZE_MAX */
    size_t n_slots;      /* power of two, > 2 n */
} mrg_pool;

/** Add report `inc` to the pool `p` (zeroed at first): moved in when it is
 *  new, else its doc ids join the equal report's. Either way `inc` is left
 *  initialised (empty) and owns nothing. Returns 0 or CX_ENOMEM (then `inc`
 *  is still the caller's to clear, possibly without some of its doc ids). */
int mrg_pool_add(mrg_pool *p, ext_incident *inc);

/** True when `a` and `b` are equal in every field but doc_ids and n_sources. */
bool mrg_same_report(const ext_incident *a, const ext_incident *b);

/** Free what the pool owns and zero it. NULL-safe. */
void mrg_pool_free(mrg_pool *p);

/* ===== A streaming merge: components in date order =====
 * mrg_merge needs every report at once. A sweep takes the reports one by one
 * in date order (mrg_sweep_cmp: first day of the span ascending, then last
 * day descending, unknown dates last) and hands out each component (the
 * caller's ids of its reports) as soon as it is complete: when the next
 * report starts after the last day of all its members, nothing later can
 * nest with them. mrg_merge of each component handed out gives together
 * exactly what mrg_merge of all the reports gives. It holds only the reports
 * of components still open (about 200 bytes each: the fields the rules read,
 * with interned strings), not the run: a year-precision report holds its
 * place's year open, and reports of unknown date are held to the end. */
typedef struct mrg_sweep mrg_sweep;

/** A new sweep with thresholds `opts` (NULL: defaults). NULL when out of
 *  memory or a threshold is negative or NaN. Free with mrg_sweep_free(). */
mrg_sweep *mrg_sweep_new(const mrg_options *opts);

/** Add report `in` (borrowed for the call) under the caller's `id`. Reports
 *  must come in mrg_sweep_cmp order: CX_EINVAL otherwise (nothing added).
 *  Returns 0, CX_EINVAL or CX_ENOMEM; `err` is set on failure. Components
 *  completed by this report's date are then ready for mrg_sweep_next. */
int mrg_sweep_add(mrg_sweep *s, const ext_incident *in, int64_t id, cx_err *err);

/** No more reports: every component still open is ready. Returns 0 or
 *  CX_ENOMEM. Add nothing after it. */
int mrg_sweep_finish(mrg_sweep *s, cx_err *err);

/** The next ready component: true, with *ids (owned by the sweep, valid
 *  until the next call on `s`) and *n set; false when none is ready. */
bool mrg_sweep_next(mrg_sweep *s, const int64_t **ids, size_t *n);

/** Reports held (of components not handed out yet). */
size_t mrg_sweep_held(const mrg_sweep *s);

/** The order mrg_sweep_add wants: <0, 0, >0 like strcmp. */
int mrg_sweep_cmp(const ext_incident *a, const ext_incident *b);

/** Free the sweep. NULL-safe. */
void mrg_sweep_free(mrg_sweep *s);

#endif
