/* date_choice.h -- which date a report takes, as a scored choice among the
 * candidate dates of its trigger: every date expression of its sentence,
 * the narrative date carried from earlier sentences, and the publication
 * day. Each candidate is a vector of named, language-free 0/1 features
 * (EXTD_LIST); a logistic regression fitted by scripts/train_dates.py
 * ("dates" in the model file) scores them and the highest wins. Without
 * fitted weights the caller keeps the hand-set rule (nearest expression in
 * the clause, else the carried date). Private to extract/. */
#ifndef EXT_DATE_CHOICE_H
#define EXT_DATE_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "dates.h"

#define EXTD_LIST(X)                                                                               \
    X(in_clause)         /* an expression in the trigger's clause */                               \
    X(in_sentence_only)  /* an expression of its sentence, in another clause */                    \
    X(nearest_in_clause) /* the expression nearest the trigger in its clause */                    \
    X(before_trigger)    /* the expression starts before the trigger */                            \
    X(distance_0_3)      /* tokens between expression and trigger */                               \
    X(distance_4_10)                                                                               \
    X(distance_11_plus)                                                                            \
    X(trigger_between) /* another event word lies between them */                                  \
    X(precision_day)   /* the candidate's precision (a week counts as a day) */                    \
    X(precision_month)                                                                             \
    X(precision_year)                                                                              \
    X(relative)            /* resolved against publication (hier, Monday night) */                 \
    X(carried)             /* the narrative date of earlier sentences */                           \
    X(publication)         /* the publication day, the news of the day */                          \
    X(agrees_with_carried) /* an expression whose date is the carried one */                       \
    X(is_publication_day)  /* an expression whose date is the publication day */                   \
    X(title)               /* the trigger is in the title */                                       \
    X(background)          /* more than a year before publication */                               \
    X(after_publication)   /* later than the day after publication */                              \
    X(clause_has_own)      /* carried or publication, while the clause dates itself */             \
    X(carried_exists)      /* publication, while a narrative date is carried */
enum {
#define EXTD_ENUM(name) EXTD_##name,
    EXTD_LIST(EXTD_ENUM)
#undef EXTD_ENUM
        EXTD_N
};

/** The name of date feature i (static), or NULL past the last. */
const char *extp_date_feature_name(int i);

/* Where a candidate comes from: an expression of the sentence (its index in
 * the array given), the carried narrative date, or the publication day. */
enum { EXTD_SRC_CARRIED = -1, EXTD_SRC_PUBLICATION = -2 };

typedef struct extp_date_cand {
    ext_date date;
    int src;         /* index into ctx->dx, or EXTD_SRC_* */
    float x[EXTD_N]; /* 0/1 features */
} extp_date_cand;

/* What the choice sees of a trigger. */
typedef struct extp_date_ctx {
    size_t tok;           /* the trigger's first token (a follow-up: its sentence's first) */
    size_t ca, cb;        /* its clause, tokens [ca, cb) */
    const extp_datex *dx; /* the date expressions of its sentence, in text order */
    size_t ndx;
    const size_t *others; /* the first tokens of the sentence's other live triggers */
    size_t n_others;
    ext_date carry; /* the narrative date (EXT_PREC_UNKNOWN when none) */
    ext_date pub;   /* the publication date (only a day one is a candidate) */
    bool title;     /* the trigger's sentence is the title */
} extp_date_ctx;

/** Fill `out` (up to `max`) with the candidates of `c`: its expressions in
 *  text order, then the carried date, then the publication day (not for a
 *  title, whose undated reports take the body's date: extract.c). Returns
 *  the count. Nothing is allocated. */
size_t extp_date_candidates(const extp_date_ctx *c, extp_date_cand *out, size_t max);

/** The index of the candidate whose score bias + sum(w[i] x[i]) is highest
 *  (the first on a tie), or -1 when n is 0. `w` has EXTD_N weights. */
int extp_date_choose(double bias, const double *w, const extp_date_cand *cands, size_t n);

#endif
