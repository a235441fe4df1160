/* dates.h -- calendar arithmetic and date expressions in tokenized text.
 * Relative expressions resolve against the publication date; without an
 * anchor the result is unknown, never invented. */
#ifndef EXT_DATES_H
#define EXT_DATES_H

#include <stdbool.h>
#include <stddef.h>

#include "lexicon.h"
#include "tokens.h"

typedef struct ext_date {
    int y, m, d; /* m, d are 0 when not known at that precision */
    int prec;    /* EXT_PREC_* */
} ext_date;

/** Parse a publication date: "YYYY-MM-DD" (a longer ISO timestamp is fine)
 *  at day precision, or exactly "YYYY-MM" (month) or "YYYY" (year). Returns
 *  false, leaving `out` unchanged, for anything else or an impossible date.
 *  OUT: `out`. Nothing is allocated. */
bool ext_date_parse_iso(const char *s, ext_date *out);

/** Days since 1970-01-01 of a valid y-m-d. */
long ext_days_from_civil(int y, int m, int d);
/** Inverse of ext_days_from_civil. */
void ext_civil_from_days(long z, int *y, int *m, int *d);
/** ISO weekday 1 (Monday) .. 7 (Sunday). */
int ext_weekday(int y, int m, int d);
/** True when y-m-d is a real calendar date. */
bool ext_date_valid(int y, int m, int d);

/** Format as YYYY-MM-DD / YYYY-MM / YYYY by precision ("" when unknown). */
void ext_date_format(const ext_date *dt, char out[11]);

typedef struct extp_datex {
    size_t tok;   /* first token of the expression */
    size_t len;   /* tokens */
    ext_date date;
    bool rel;     /* resolved against publication (hier, mardi, last week),
                   * not stated (7 octobre, 2022-09-13) */
    int anaphor;  /* days after the narrative's date (le lendemain: 1), for an
                   * expression with no day before it in the span: its date is
                   * then unknown and the caller resolves it (extract.c) */
    int war;      /* -1, or a named war (its index in the conflict's wars)
                   * or EXTP_WAR_START ("since the start of
                   * the war"); its date is unknown here and the caller, who
                   * knows the wars' days, resolves it (extract.c) */
} extp_datex;

/** Find date expressions in tokens [first, end) of `t`, resolved against
 *  `pub` (may be NULL or unknown, or known to the month or year only).
 *  Writes up to `max` to `out` in text order; returns the count. `matches`
 *  gives, per token, the phrase matches at that token.
 *  - A weekday is the last such day on or before publication.
 *  - A night or span of two dates ("de dimanche à lundi", "du 6 au 7
 *    octobre", "Sunday into Monday") is one expression: a night (two
 *    consecutive days) takes the later day, a longer span its first day.
 *  - Vague recent spans (dates.relative_weeks: "ces derniers jours") give
 *    the publication month.
 *  - With a publication month only, stated days still resolve (the year is
 *    the publication's); relative ones give the publication month.
 *  - Anaphoric days (dates.anaphoric_days: "le lendemain", "the next day")
 *    count from the last day-precise expression before them in the span;
 *    without one their date is unknown and `anaphor` says the offset.
 *  Ownership: `out` is caller storage; nothing is allocated. */
size_t extp_dates_find(const extp_text *t, size_t first, size_t end, const ext_date *pub,
                       const extp_match *const *matches, const size_t *n_matches,
                       extp_datex *out, size_t max);

/** What relative dates of a document resolve against. A publication date
 *  known to the day is itself. One known to the month only ("published":
 *  "2023-09") is anchored, when the text states a day of that month
 *  ("mardi 19 septembre", "on 30 September"), to the latest such day (else of the month before):
 *  news is
 *  written on the day of the latest event it dates, so "samedi" and "hier"
 *  then resolve against it; without one it stays the month. Tokens [0,
 *  t->n) are searched; `matches` as for extp_dates_find. */
ext_date extp_dates_anchor(const extp_text *t, const ext_date *pub,
                           const extp_match *const *matches, const size_t *n_matches);

/** The date of a dateline ("BAKU, Sept 28 (Reuters) -", "Erevan, 14
 *  septembre 2022 (AFP) -"): the first sentence of one of the first three
 *  body paragraphs that starts with a capitalised word and holds only
 *  names, numbers and date words before a dash in its first 16 tokens, and
 *  a stated day there (its year stated, or inferred from `pub`). True with
 *  *out that day; false, *out unchanged, without one. */
bool extp_dates_dateline(const extp_text *t, const ext_date *pub, const extp_match *const *mt,
                         const size_t *nm, ext_date *out);

/** The day a document was written: its dateline's day (extp_dates_dateline)
 *  when the publication date is unknown, or known only to the month or year
 *  the dateline falls in, or a day up to three days after it (a wire story
 *  filed in Baku on the 28th, put online on the 29th: its "yesterday" is the
 *  27th); else the publication date itself. */
ext_date extp_dates_reference(const extp_text *t, const ext_date *pub, const extp_match *const *mt,
                              const size_t *nm);

#endif
