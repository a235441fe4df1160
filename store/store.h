/* store.h -- the incident store: a SQLite/SpatiaLite file that keeps the
 * documents read and the incidents merged from them across runs.
 *
 * Every report (one extracted incident of one document) is kept in the
 * `report` table; the `incidents` table holds what mrg_merge makes of them.
 * Adding a document re-merges only the reports linked to its new reports, so
 * a store fed in several runs holds exactly what one run would (merge.h).
 *
 * Documents: a document is KNOWN when a stored document has the same id and
 * the same content hash (SHA-256 of its text): reading it again adds nothing.
 * The same text under another id is another report (it raises n_sources of
 * its incidents). The same id with different text is a CONFLICT: refused.
 *
 * Writes: one transaction per document (BEGIN IMMEDIATE), WAL journal. A
 * second writer waits up to the busy timeout (10 s), then fails with "store
 * PATH is locked by another incimap process". A killed process leaves every
 * committed document complete and nothing of the one in progress.
 * The only module besides gazetteer/ that includes sqlite3.h. */
#ifndef STO_STORE_H
#define STO_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "read.h"
#include "incident.h"

typedef struct sto_store sto_store; /* opaque */

#define STO_SCHEMA_VERSION 4
#define STO_BUSY_TIMEOUT_MS 10000

enum {
    STO_OPEN_CREATE = 0,   /* read-write; create the file and schema when missing */
    STO_OPEN_EXISTING = 1, /* read-write; the store must exist */
    STO_OPEN_READONLY = 2  /* read-only; the store must exist (export) */
};

/* What sto_has_doc / sto_add_doc say about a document. */
enum {
    STO_DOC_NEW = 0,     /* not stored yet (sto_add_doc: now stored) */
    STO_DOC_KNOWN = 1,   /* same id and same content already stored: nothing to do */
    STO_DOC_CONFLICT = 2, /* the id is stored with other content: refused */
    STO_DOC_REPLACED = 3  /* sto_add_doc(s) with sto_set_replace: the stored document of
                           * that id had other content and was replaced */
};

/** With `on`, sto_add_doc(s) replaces a stored document whose id comes
 *  again with other content (a corrected article): its reports and their
 *  incidents are removed and the incidents around them re-derived from the
 *  other reports and the new text (state STO_DOC_REPLACED). Off (the
 *  default): such a document is refused (STO_DOC_CONFLICT). */
void sto_set_replace(sto_store *st, bool on);

/** Open the store at `path` in `mode` (STO_OPEN_*), creating the schema
 *  when the file is new. Errors name the path: not a SQLite file, not an
 *  incimap store, another schema version, missing file (EXISTING/READONLY),
 *  locked for longer than the busy timeout. Returns NULL and fills `err`.
 *  Ownership: caller closes with sto_close(). */
sto_store *sto_open(const char *path, int mode, cx_err *err);

/** Close `st`; NULL is a no-op. */
void sto_close(sto_store *st);

/** How long a write waits for another process's transaction (default
 *  STO_BUSY_TIMEOUT_MS). */
void sto_set_busy_timeout(sto_store *st, int ms);

/** Create a new scratch store at `path` (which must not hold a store):
 *  what sto_open and sto_set_scratch make, in plain SQLite (no SpatiaLite,
 *  no geometries, no content hash), at a fraction of the cost of creating
 *  and filling it. Its merge keeps each incident's sources beside it
 *  instead of linking every report (sto_export gives the same; sto_check
 *  skips the link checks). Returns NULL and fills `err` on failure.
 *  Ownership: caller closes with sto_close() and deletes the file. */
sto_store *sto_open_scratch(const char *path, cx_err *err);

/** Make `st` (just created, empty) a scratch store: for a temporary store
 *  deleted at the end of the run, whose loss costs nothing. No fsync, no
 *  rollback journal (a failed write leaves it unusable), one connection,
 *  no point geometries or SpatiaLite index (it cannot be opened as layers).
 *  sto_add_doc(s) only store the reports; sto_export first merges the whole
 *  store once, in date order (mrg_sweep), and gives what it would give
 *  merged document by document. sto_check passes after an export only.
 *  Returns 0 or a negative CX_E* code with `err` set. */
int sto_set_scratch(sto_store *st, cx_err *err);

/** Whether `doc` (its id and the SHA-256 of its text) is stored: returns
 *  STO_DOC_NEW, STO_DOC_KNOWN, STO_DOC_CONFLICT, or a negative CX_E* code
 *  with `err` set. Lets the caller skip extraction of known documents.
 *  Ownership: nothing is kept. */
int sto_has_doc(sto_store *st, const rd_doc *doc, cx_err *err);

/** Store `doc` and its `n` reports `reports` (the incidents ext_extract found
 *  in it; their doc_ids are ignored: each report belongs to `doc`) in one
 *  transaction, and merge them into the stored incidents. A document with no
 *  report is stored too, so it is not read again.
 *  Returns STO_DOC_NEW (stored), STO_DOC_KNOWN or STO_DOC_CONFLICT (nothing
 *  written), or a negative CX_E* code with `err` set (nothing written;
 *  CX_EDB "store PATH is locked by another incimap process" after the busy
 *  timeout). Ownership: `doc` and `reports` are borrowed. */
int sto_add_doc(sto_store *st, const rd_doc *doc, const ext_incident *reports, size_t n,
                cx_err *err);

/* One document of a batch and its reports (borrowed); `state` is set by
 * sto_add_docs to what sto_add_doc would return for it. */
typedef struct sto_batch_doc {
    const rd_doc *doc;
    const ext_incident *reports;
    size_t n;
    int state; /* out: STO_DOC_NEW, STO_DOC_KNOWN or STO_DOC_CONFLICT */
} sto_batch_doc;

/** sto_add_doc for `n_docs` documents in one transaction and one merge:
 *  the stored components their reports touch are re-merged once for the
 *  batch, not once per document (a bulk load of many reports of the same
 *  places). All or nothing: returns 0 (each `state` set), or a negative
 *  CX_E* code with `err` set and nothing written. */
int sto_add_docs(sto_store *st, sto_batch_doc *docs, size_t n_docs, cx_err *err);

/* Which incidents sto_export returns. Zeroed = everything. */
typedef struct sto_filter {
    const char *from;    /* "YYYY-MM-DD": incidents whose date span ends on/after it, or NULL */
    const char *to;      /* "YYYY-MM-DD": incidents whose date span starts on/before it, or NULL */
    unsigned types;      /* bit t set = type t (EXT_SHELLING...); 0 = every type */
    bool has_bbox;       /* keep incidents with west <= lon <= east, south <= lat <= north */
    double west, south, east, north;
    const char *country; /* ISO 3166-1 alpha-2 (case-insensitive), or NULL */
} sto_filter;

/* Called once per exported incident; a non-zero return stops the export and
 * is returned by sto_export. `inc` is borrowed for the call only. */
typedef int (*sto_export_fn)(void *ctx, const ext_incident *inc, cx_err *err);

/** Call `fn` for every incident matching `filter` (NULL = all), in the
 *  canonical order (mrg_cmp), with doc_ids sorted. With from/to, incidents
 *  of unknown date are left out. Writes the count to *n_out when non-NULL.
 *  Returns 0, CX_EINVAL (bad filter date), CX_EDB, or what `fn` returned.
 *  Ownership: nothing is kept. */
int sto_export(sto_store *st, const sto_filter *filter, sto_export_fn fn, void *ctx,
               size_t *n_out, cx_err *err);

/* Sizes of the store. */
typedef struct sto_counts {
    long documents, reports, incidents;
} sto_counts;

/** Fill `out` with the number of documents, reports and incidents.
 *  Returns 0 or CX_EDB. */
int sto_count(sto_store *st, sto_counts *out, cx_err *err);

/** Check the store: SQLite integrity_check, every document has all its
 *  reports, every report an incident of its component, every incident a
 *  report, n_sources matches the documents.
 *  Returns 0, or CX_EDB with the first problem in `err`. */
int sto_check(sto_store *st, cx_err *err);

#endif
