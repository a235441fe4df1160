/* store_review.h -- the analyst's verdicts on the store's incidents.
 *
 * A verdict (accept, reject, edit, merge, undo) is a row of `verdicts`:
 * who, when, the state before and the state after. Rows are never updated
 * or deleted (SQLite triggers refuse it); an undo is one more row. The
 * current state of a reviewed incident is a `review_item`: its state
 * (accepted, edited, rejected), the reason of a rejection, the edited
 * fields (JSON object), the item it was merged into, and a version that
 * every verdict raises (a verdict naming another version is refused:
 * two browser tabs never lose an edit silently).
 *
 * An item is tied to the *reports* of the incident it was given for
 * (`review_member`), not to the incident row: a re-import re-merges the
 * incidents, but reports never change, so the incident that holds a
 * reviewed report holds its verdict (a rejected incident stays rejected
 * when a new article reports it, an edited place stays edited). New
 * reports of a reviewed incident join its item at the next verdict. A
 * corrected article (same document id, new text) replaces its reports:
 * its new reports of the same type and place take the old ones' items;
 * no member row ever points at a deleted report.
 *
 * Tables are created by rev_prepare (a store without them reads as all
 * unreviewed). Prefix rev_. SQL only here and in store.c. */
#ifndef STO_STORE_REVIEW_H
#define STO_STORE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "incident.h"
#include "store.h"

/* Review states (ext_incident.review). */
enum {
    REV_UNREVIEWED = EXT_REVIEW_UNREVIEWED,
    REV_ACCEPTED = EXT_REVIEW_ACCEPTED,
    REV_EDITED = EXT_REVIEW_EDITED,
    REV_REJECTED = EXT_REVIEW_REJECTED,
    REV_NSTATES = 4
};

/* Return codes beyond CX_E*: the verdict names a version that is not the
 * current one (HTTP 409). */
#define REV_ESTALE (-40)

/** "unreviewed", "accepted", "edited", "rejected". */
const char *rev_state_name(int state);

/** Create the review tables in `st` (open for writing) when missing.
 *  Idempotent. Returns 0 or a negative CX_E* code with `err` set. */
int rev_prepare(sto_store *st, cx_err *err);

/** On a writable store that has review tables, bring them to the current
 *  review schema (the triggers that make verdicts follow a corrected
 *  article's reports); a store without them is left alone. Call it before
 *  importing into a store (`extract --db`). Returns 0 or CX_EDB. */
int rev_upgrade(sto_store *st, cx_err *err);

enum { REV_ACCEPT = 0, REV_REJECT, REV_EDIT, REV_MERGE, REV_UNDO, REV_SPLIT, REV_NACTIONS };

/** "accept", "reject", "edit", "merge", "undo", "split"; NULL for a bad value. */
const char *rev_action_name(int action);
/** The action named `name`, or -1. */
int rev_action_parse(const char *name);

/* One verdict to record. */
typedef struct rev_verdict {
    int action;         /* REV_ACCEPT ... */
    const char *who;    /* the analyst (1..63 bytes) */
    long long version;  /* the version the analyst saw (0: never reviewed) */
    const char *reason; /* reject: "" or one of "not an event", "wrong place",
                         * "wrong type", "duplicate", or free text (<= 200 bytes) */
    const char *edits;  /* edit: a JSON object of fields to set: type, date,
                         * actor1, actor2, place_name, place_id, lon, lat,
                         * country, admin1, geo_prec */
    long long into;     /* merge: the incident_id this one is merged into */
    const long long *reports; /* split: the report ids (sources) that leave the
                               * incident for a new one: 1 .. all but one of its
                               * reports, each once */
    size_t n_reports;
    long long *parts;   /* out, may be NULL: [0] the incident that now holds the
                         * verdict's incident (its smallest report that stayed:
                         * a split or its undo merges again, with new ids),
                         * [1] after a split the new incident, else 0 */
} rev_verdict;

/* A SPLIT keeps the chosen reports apart from the others for good: a
 * `review_split` row (active until undone) and one `review_apart` row per
 * report of the incident (side 1 the reports that leave, 0 those that
 * stay), which every merge of the store honours (store.c, write_merge:
 * mrg_merge_apart), so `extract --db` re-imports keep the two parts; a
 * corrected article's new report of the same type and place takes the
 * old one's side. The part that stays keeps the item and its verdicts;
 * the part that leaves gets a new item, unreviewed. Undoing the split
 * (from the part that stayed) lifts it and merges the parts again. */

/** Record verdict `v` on the incident `incident_id` in one transaction.
 *  Returns the new version (> 0), or: CX_ENOTFOUND (no such incident),
 *  REV_ESTALE (v->version is not the current version: nothing written),
 *  CX_EINVAL (bad verdict: the message names the field or the report),
 *  CX_EDB.
 *  Ownership: nothing is kept. */
long long rev_apply(sto_store *st, long long incident_id, const rev_verdict *v, cx_err *err);

/* What the review says about one incident. */
typedef struct rev_info {
    long long incident_id; /* the store's incidents.incident_id */
    long long item_id;     /* 0: never reviewed */
    long long version;     /* 0: never reviewed */
    int state;             /* REV_* */
    char reason[208];
    long long merged_into; /* the incident_id it was merged into, else 0 */
    int n_verdicts;
} rev_info;

/* Called per incident with the review applied (`inc->review` set, edited
 * fields replaced, the sources of incidents merged into it added). */
typedef int (*rev_list_fn)(void *ctx, const ext_incident *inc, const rev_info *info,
                           cx_err *err);

/* Which incidents rev_list gives. */
enum {
    REV_LIST_ALL = 0,      /* every incident, rejected ones included */
    REV_LIST_REVIEWED = 1  /* accepted and edited ones only */
};

/** Call `fn` for every incident matching `filter` (as sto_export, in its
 *  order) with its review applied. `which` is REV_LIST_*. Works on a
 *  read-only store without review tables (all unreviewed). Writes the
 *  count given to `fn` to *n_out when non-NULL.
 *  Returns 0, or what sto_export / `fn` return. */
int rev_list(sto_store *st, const sto_filter *filter, int which, rev_list_fn fn, void *ctx,
             size_t *n_out, cx_err *err);

/** Read one incident with its review applied into `inc` (initialised) and
 *  `info`. Returns 0, CX_ENOTFOUND or CX_EDB. Ownership: `inc` is the
 *  caller's to clear. */
int rev_get(sto_store *st, long long incident_id, ext_incident *inc, rev_info *info,
            cx_err *err);

/* One source (report) of an incident. Strings borrowed for the call. */
typedef struct rev_source {
    const char *doc_id, *url, *title, *published, *evidence, *claimed_by, *date, *place;
    const char *outlet; /* the source's outlet (issue 18), "" when unknown */
    int date_prec;
    double confidence;
    long long report_id;
    /* issue 21: the trigger and the place in `evidence`, in characters (as
     * stored); start EXT_SPAN_NONE when the sentence has none,
     * EXT_SPAN_UNKNOWN when the report was stored before schema 4 */
    ext_span trig_span, place_span;
    int own; /* 1: a report of the incident itself (a split may name it); 0: of an
              * incident merged into it by a verdict */
} rev_source;

typedef int (*rev_source_fn)(void *ctx, const rev_source *src, cx_err *err);

/** Call `fn` for every report of the incident and of the incidents merged
 *  into it, by document id. Returns 0, CX_ENOTFOUND, CX_EDB or what `fn`
 *  returned. */
int rev_sources(sto_store *st, long long incident_id, rev_source_fn fn, void *ctx,
                cx_err *err);

/* One verdict row. Strings borrowed for the call. */
typedef struct rev_row {
    long long verdict_id, item_id, incident_id, undoes;
    const char *who, *at, *action, *before, *after;
} rev_row;

typedef int (*rev_row_fn)(void *ctx, const rev_row *row, cx_err *err);

/** Call `fn` for every verdict (all items when incident_id is 0, else the
 *  item of that incident), oldest first. Returns 0, CX_EDB or what `fn`
 *  returned. */
int rev_verdicts(sto_store *st, long long incident_id, rev_row_fn fn, void *ctx, cx_err *err);

#endif
