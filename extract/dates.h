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

/** Parse "YYYY-MM-DD" (exactly; a longer ISO timestamp is fine). */
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
} extp_datex;

/** Find date expressions in tokens [first, end) of `t`, resolved against
 *  `pub` (may be NULL or unknown). Writes up to `max` to `out`; returns the
 *  count. `matches` gives, per token, the phrase matches at that token. */
size_t extp_dates_find(const extp_text *t, size_t first, size_t end, const ext_date *pub,
                       const extp_match *const *matches, const size_t *n_matches,
                       extp_datex *out, size_t max);

#endif
