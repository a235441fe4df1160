/* store_p.h -- what store.c shares with the other files of store/ (the
 * review overlay, store_review.c), not with the rest of incimap. */
#ifndef STO_STORE_P_H
#define STO_STORE_P_H

#include <sqlite3.h>

#include "store.h"

/** The store's connection. Borrowed; valid until sto_close. */
sqlite3 *stop_db(sto_store *st);

/** The store's path, for messages. Borrowed; valid until sto_close. */
const char *stop_path(sto_store *st);

/** Whether the store was opened read-only. */
int stop_readonly(sto_store *st);

/** Read the incident `incident_id` (its fields and sorted doc_ids) into
 *  `inc` (initialised). Returns 0, CX_ENOTFOUND, CX_ENOMEM or CX_EDB. */
int stop_get_incident(sto_store *st, long long incident_id, ext_incident *inc, cx_err *err);

/** Merge again, inside the caller's transaction, the component of the
 *  incident `incident_id` (every merge honours the analyst's splits, the
 *  review_apart rows: store_review.c calls it after a split or its undo).
 *  Returns 0, CX_ENOTFOUND, CX_ENOMEM or CX_EDB. */
int stop_remerge(sto_store *st, long long incident_id, cx_err *err);

/** Columns i and i + 1 of a row as a span of `evidence` in characters, as
 *  stored (issue 21): EXT_SPAN_UNKNOWN when NULL (a report stored before
 *  schema 4) or not within the sentence, EXT_SPAN_NONE when negative (the
 *  sentence has none). */
ext_span stop_col_span_chars(sqlite3_stmt *s, int i, const char *evidence);

#endif
