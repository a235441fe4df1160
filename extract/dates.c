/* dates.c -- calendar arithmetic and date expressions. See dates.h.
 * Month names, weekday names and relative words come from the lexicon
 * (categories LX_MONTH, LX_WEEKDAY, LX_RELDAY, LX_RELWEEK...); the shapes
 * (day month year, month day, ranges, a relative word before a stated date)
 * are the same for every language. It does not decide which expression dates
 * an event: that is the caller's (extract.c, nearest in the clause). */
#include "dates.h"
#include "incident.h"

#include <string.h>

/* Howard Hinnant's civil calendar algorithms. */
long ext_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

void ext_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int ext_weekday(int y, int m, int d)
{
    long z = ext_days_from_civil(y, m, d);
    int w = (int)((z + 3) % 7); /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    if (w < 0)
        w += 7;
    return w + 1;
}

bool ext_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

/* The value of `n` decimal digits at `s`, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool ext_date_parse_iso(const char *s, ext_date *out)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    int y = n >= 4 ? digits(s, 4) : -1;
    if (y < 0 || (n > 4 && s[4] != '-'))
        return false;
    if (n == 4) { /* "YYYY" */
        if (!ext_date_valid(y, 1, 1))
            return false;
        *out = (ext_date){y, 0, 0, EXT_PREC_YEAR};
        return true;
    }
    int m = n >= 7 ? digits(s + 5, 2) : -1;
    if (m < 0)
        return false;
    if (n == 7) { /* "YYYY-MM" */
        if (!ext_date_valid(y, m, 1))
            return false;
        *out = (ext_date){y, m, 0, EXT_PREC_MONTH};
        return true;
    }
    int d = n >= 10 && s[7] == '-' ? digits(s + 8, 2) : -1; /* a time may follow */
    if (d < 0 || !ext_date_valid(y, m, d))
        return false;
    *out = (ext_date){y, m, d, EXT_PREC_DAY};
    return true;
}

/* Write `v` as `width` decimal digits (zero-padded) at `p`. */
static void put_digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

void ext_date_format(const ext_date *dt, char out[11])
{
    unsigned y = (unsigned)dt->y % 10000u, m = (unsigned)dt->m % 100u, d = (unsigned)dt->d % 100u;
    memset(out, 0, 11);
    switch (dt->prec) {
    case EXT_PREC_DAY:
    case EXT_PREC_WEEK: /* "YYYY-MM-DD" */
        put_digits(out + 8, d, 2);
        out[7] = '-';
        /* fall through */
    case EXT_PREC_MONTH: /* "YYYY-MM" */
        put_digits(out + 5, m, 2);
        out[4] = '-';
        /* fall through */
    case EXT_PREC_YEAR: /* "YYYY" */
        put_digits(out, y, 4);
        break;
    default:
        break;
    }
}

/* ===== Resolving against the publication date ===== */

static int pub_prec(const ext_date *pub) { return pub ? pub->prec : EXT_PREC_UNKNOWN; }

static long pub_days(const ext_date *pub) { return ext_days_from_civil(pub->y, pub->m, pub->d); }

static ext_date from_days(long z)
{
    ext_date r = {0, 0, 0, EXT_PREC_DAY};
    ext_civil_from_days(z, &r.y, &r.m, &r.d);
    return r;
}

/* A date relative to publication: `days` after the publication day.
 * Decision for publication dates known to the month (or year) only: the
 * result keeps that precision, the publication month. "hier", "mardi" or a
 * night of the past week fall a few days before publication, so nearly always
 * in its month; only an article of the first days of a month would be one
 * month off, and a month-only date cannot tell which one it is. The GUIDE
 * allows month precision when the publication month is certain. Returns
 * false without any publication date. */
static bool relative(const ext_date *pub, long days, ext_date *out)
{
    switch (pub_prec(pub)) {
    case EXT_PREC_DAY:
        *out = from_days(pub_days(pub) + days);
        return true;
    case EXT_PREC_MONTH:
        *out = (ext_date){pub->y, pub->m, 0, EXT_PREC_MONTH};
        return true;
    case EXT_PREC_YEAR:
        *out = (ext_date){pub->y, 0, 0, EXT_PREC_YEAR};
        return true;
    default:
        return false;
    }
}

/* Days back from the publication day to the last weekday `wd` on or before
 * it (0 when publication falls on that weekday, 7 with `past` then: "mardi
 * dernier" published on a Tuesday). Needs a publication day. */
static int weekday_back(const ext_date *pub, int wd, bool past)
{
    int back = (ext_weekday(pub->y, pub->m, pub->d) - wd + 7) % 7;
    return back == 0 && past ? 7 : back;
}

/* A year given without one: the publication year, or the previous one when
 * that would put the date after publication (two days of slack for a day
 * publication date; a later month for a month one). 0 when unknown. */
static int infer_year(const ext_date *pub, int m, int d)
{
    switch (pub_prec(pub)) {
    case EXT_PREC_DAY:
        if (ext_days_from_civil(pub->y, m, d > 0 ? d : 1) > pub_days(pub) + 2)
            return pub->y - 1;
        return pub->y;
    case EXT_PREC_MONTH:
        return m > pub->m ? pub->y - 1 : pub->y;
    case EXT_PREC_YEAR:
        return pub->y;
    default:
        return 0;
    }
}

/* ===== Phrase matches ===== */

static int match_val(const extp_match *ms, size_t n, int cat, int *len)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].cat == cat) {
            if (len)
                *len = ms[i].len;
            return ms[i].val;
        }
    return -1;
}

static bool has_cat(const extp_match *ms, size_t n, int cat)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].cat == cat)
            return true;
    return false;
}

/* A one-word phrase of category `cat` at token i. */
static bool has_word(const extp_match *ms, size_t n, int cat)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].cat == cat && ms[i].len == 1)
            return true;
    return false;
}

/* The longest phrase of category `cat` at token i that ends before `end`
 * (phrases are matched over the whole text: found by fuzz_text, "depuis deux
 * <blank lines> jours"). Its length in tokens, 0 when none; its value in *val. */
static int longest(const extp_match *ms, size_t n, int cat, size_t i, size_t end, int *val)
{
    int len = 0;
    for (size_t k = 0; k < n; k++)
        if (ms[k].cat == cat && ms[k].len > len && i + (size_t)ms[k].len <= end) {
            len = ms[k].len;
            *val = ms[k].val;
        }
    return len;
}

static bool is_year(long v) { return v >= 1900 && v <= 2100; }

/* A day number: "6", or "1er", "6th" (words the tokenizer gives a number). */
static bool is_day(const extp_token *tk) { return tk->num >= 1 && tk->num <= 31; }

static bool is_punct(const extp_token *tk, unsigned c)
{
    return tk->kind == TK_PUNCT && tk->punct == c;
}

/* ===== Date atoms ===== */

/* What one date phrase states, before resolution: "dimanche", "6",
 * "samedi 3", "7 octobre", "October 6, 2020", "septembre 2020". */
typedef struct atom {
    size_t len;  /* tokens; 0 when there is no date here */
    int wd;      /* weekday 1..7, 0 when not stated */
    int d, m, y; /* 0 when not stated */
} atom;

typedef struct scan {
    const extp_text *t;
    size_t first, end;
    const ext_date *pub;
    const extp_match *const *mt;
    const size_t *nm;
} scan;

static bool has_at(const scan *c, size_t i, int cat)
{
    return i < c->end && has_cat(c->mt[i], c->nm[i], cat);
}

static int month_at(const scan *c, size_t i)
{
    return i < c->end ? match_val(c->mt[i], c->nm[i], LX_MONTH, NULL) : -1;
}

/* An ordinal suffix glued to the number before it ("1er", "6th"). */
static size_t skip_ordinal(const scan *c, size_t k)
{
    if (has_at(c, k, LX_ORDINAL) && !(c->t->tok[k].flags & TF_SEP_SPACE))
        return k + 1;
    return k;
}

/* The date atom at token i: [WEEKDAY [,]] NUM [ordinal] [MONTH [YEAR]],
 * [WEEKDAY [,]] MONTH NUM [ordinal] [,] [YEAR], MONTH YEAR, MONTH, or
 * WEEKDAY. A bare NUM is an atom only for ranges ("du 6 au 7 octobre"). */
static atom atom_at(const scan *c, size_t i)
{
    const extp_token *tok = c->t->tok;
    atom a = {0, 0, 0, 0, 0};
    size_t j = i;
    bool comma = false;
    int wlen = 1;
    int wd = match_val(c->mt[i], c->nm[i], LX_WEEKDAY, &wlen);
    if (wd != -1 && i + (size_t)wlen <= c->end) { /* "lundi", "week-end" (two words) */
        a.wd = wd;
        a.len = (size_t)wlen;
        j += (size_t)wlen;
        /* "Sunday, October 4": the comma is part of the date when one follows */
        comma = j + 1 < c->end && is_punct(&tok[j], ',') &&
                (month_at(c, j + 1) != -1 || is_day(&tok[j + 1]));
        j += comma;
    }
    if (j < c->end && is_day(&tok[j])) {
        size_t k = skip_ordinal(c, j + 1);
        /* "the 28th of September": a genitive after an ordinal */
        bool ordinal = k > j + 1 || tok[j].kind != TK_NUM; /* "28 th", "28th" */
        if (ordinal && k + 1 < c->end && month_at(c, k) == -1 &&
            has_word(c->mt[k], c->nm[k], LX_GENITIVE) && month_at(c, k + 1) != -1)
            k++;
        int mo = month_at(c, k);
        if (mo != -1) {
            a.d = (int)tok[j].num;
            a.m = mo;
            size_t e = k + 1;
            /* "28 sept. 2020": the abbreviation's full stop */
            if (e + 1 < c->end && is_punct(&tok[e], '.') && !(tok[e].flags & TF_SEP_SPACE) &&
                tok[e + 1].kind == TK_NUM && is_year(tok[e + 1].num))
                e++;
            if (e < c->end && tok[e].kind == TK_NUM && is_year(tok[e].num))
                a.y = (int)tok[e++].num;
            a.len = e - i;
        } else if (!comma) {
            a.d = (int)tok[j].num; /* a bare day, maybe with its weekday */
            a.len = k - i;
        }
        return a;
    }
    int mo = month_at(c, j);
    if (mo == -1)
        return a;
    size_t k = j + 1;
    /* an abbreviation's full stop: "Sept. 28", "oct. 2020" */
    if (k + 1 < c->end && is_punct(&tok[k], '.') && !(tok[k].flags & TF_SEP_SPACE) &&
        tok[k + 1].kind == TK_NUM)
        k++;
    if (k < c->end && is_day(&tok[k])) {
        a.d = (int)tok[k].num;
        a.m = mo;
        size_t e = skip_ordinal(c, k + 1), e2 = e;
        if (e2 < c->end && is_punct(&tok[e2], ','))
            e2++;
        if (e2 < c->end && tok[e2].kind == TK_NUM && is_year(tok[e2].num)) {
            a.y = (int)tok[e2].num;
            e = e2 + 1;
        }
        a.len = e - i;
    } else if (a.wd == 0) {
        a.m = mo;
        if (k < c->end && tok[k].kind == TK_NUM && is_year(tok[k].num))
            a.y = (int)tok[k++].num;
        a.len = k - i;
    }
    return a;
}

/* The day (days since 1970) an atom with a day and a month names, its year
 * stated or inferred. False when it cannot be placed. */
static bool atom_days(const scan *c, const atom *a, long *z)
{
    int y = a->y ? a->y : infer_year(c->pub, a->m, a->d);
    if (!y || !ext_date_valid(y, a->m, a->d))
        return false;
    *z = ext_days_from_civil(y, a->m, a->d);
    return true;
}

/* `d` in the month before (-1) or after (+1) `m` of `y`, or in that month (0). */
static bool month_step(int d, int m, int y, int step, long *z)
{
    m += step;
    if (m < 1) {
        m = 12;
        y--;
    } else if (m > 12) {
        m = 1;
        y++;
    }
    if (!ext_date_valid(y, m, d))
        return false;
    *z = ext_days_from_civil(y, m, d);
    return true;
}

/* ===== Ranges ===== */

/* The longest span a range may cover: beyond, two dates are two events. */
#define MAX_RANGE_DAYS 62

/* A range at token i starting with atom `a`: "de dimanche à lundi", "du 6 au
 * 7 octobre", "Sunday into Monday", "6 to 7 October", "October 6-7", "samedi
 * et dimanche". The two dates are joined by one word that is not a clause
 * break, or by a hyphen. No word of any language is needed: two consecutive
 * days joined by anything but a list conjunction are a night, which takes
 * the date of the morning it ended (the later day); any other span is an
 * ongoing flow, which takes its first stated day.
 * Returns the tokens of the range (0 when there is none) and sets *out, or
 * leaves it unknown when the range cannot be placed (no publication date). */
static size_t range_at(const scan *c, size_t i, const atom *a, ext_date *out)
{
    const extp_token *tok = c->t->tok;
    size_t j = i + a->len, bi;
    bool conj = false;
    out->prec = EXT_PREC_UNKNOWN;
    if (!a->d && !a->wd)
        return 0;
    if (j < c->end && is_day(&tok[j]) && (tok[j].flags & TF_SEP_HYPHEN)) {
        bi = j;
    } else if (j + 1 < c->end && tok[j].kind == TK_WORD &&
               !has_cat(c->mt[j], c->nm[j], LX_CLAUSE_BREAK)) {
        conj = has_word(c->mt[j], c->nm[j], LX_LIST_CONJ);
        bi = j + 1;
    } else {
        return 0;
    }
    atom b = atom_at(c, bi);
    if (b.len == 0)
        return 0;
    size_t e = bi + b.len;
    long za = 0, zb = 0;
    bool a_full = a->d && a->m, b_full = b.d && b.m;
    if (a_full && b_full) {
        /* the year comes from where it is stated, else from the first date:
         * a span may run past publication ("du 27 septembre au 10 novembre") */
        int ay = a->y ? a->y : b.y ? b.y - (a->m > b.m) : infer_year(c->pub, a->m, a->d);
        int by = b.y ? b.y : ay + (b.m < a->m);
        if (!ay)
            return e - i; /* a range, but no year to place it */
        if (!ext_date_valid(ay, a->m, a->d) || !ext_date_valid(by, b.m, b.d))
            return 0;
        za = ext_days_from_civil(ay, a->m, a->d);
        zb = ext_days_from_civil(by, b.m, b.d);
    } else if (b_full) {
        if (!atom_days(c, &b, &zb))
            return e - i; /* a range, but no year to place it */
        int by, bm, bd;
        ext_civil_from_days(zb, &by, &bm, &bd);
        /* the first date borrows what it leaves out from the second */
        if (a->d) {
            if (!month_step(a->d, bm, by, a->d >= bd ? -1 : 0, &za))
                return 0;
        } else {
            int diff = (ext_weekday(by, bm, bd) - a->wd + 7) % 7;
            za = zb - (diff ? diff : 7);
        }
    } else if (a_full && b.d && !b.m && !b.wd) {
        /* "October 6 to 7": a bare second day must end the phrase, else it
         * is an hour or a count ("October 6 at 7 in the morning") */
        bool ends = e >= c->end || is_punct(&tok[e], ',') || is_punct(&tok[e], ';') ||
                    is_punct(&tok[e], ')') ||
                    (is_punct(&tok[e], '.') &&
                     (e + 1 >= c->end || (tok[e + 1].flags & TF_SEP_SPACE)));
        if (!ends)
            return 0;
        if (!atom_days(c, a, &za))
            return e - i;
        int ay, am, ad;
        ext_civil_from_days(za, &ay, &am, &ad);
        if (!month_step(b.d, am, ay, b.d <= ad ? 1 : 0, &zb))
            return 0;
    } else if (a->wd && !a->d && b.wd && !b.d && !b.m) {
        int diff = (b.wd - a->wd + 7) % 7;
        if (diff == 0)
            return 0;
        if (pub_prec(c->pub) != EXT_PREC_DAY) {
            relative(c->pub, 0, out);
            return e - i;
        }
        zb = pub_days(c->pub) - weekday_back(c->pub, b.wd, false);
        za = zb - diff;
    } else {
        return 0;
    }
    if (zb - za < 1 || zb - za > MAX_RANGE_DAYS)
        return 0;
    *out = from_days(zb - za == 1 && !conj ? zb : za);
    return e - i;
}

/* ===== Nights ===== */

/* A word that only links a night word to its date: a genitive or a
 * determiner of the lexicon ("the night OF Monday", "la nuit DU 12"), and
 * after the date a locative too ("lundi DANS LA nuit"). Not a locative
 * before it: "the night ON October 11" places the night in that day (its
 * small hours), where "the night of October 11" names it by its evening. */
static bool night_link(const scan *c, size_t k, bool after)
{
    const extp_match *ms = c->mt[k];
    size_t n = c->nm[k];
    return c->t->tok[k].kind == TK_WORD &&
           (has_word(ms, n, LX_GENITIVE) || has_word(ms, n, LX_DETERMINER) ||
            (after && has_word(ms, n, LX_LOCATIVE)));
}

/* Is the single date at [i, e) a night, a night word before it ("la nuit de
 * lundi", "the night of 12 September", "overnight Monday") or after it
 * ("Monday night", "lundi dans la nuit"), at most two linking words apart?
 * A night named by the day it began ended the next morning, and GUIDE.md
 * dates an overnight event by that morning. An evening, a morning, a dawn
 * ("late Monday evening", "tard dans la soirée de lundi", "early on
 * Tuesday", "à l'aube") is the day itself: no night word, no shift. */
static bool night_of(const scan *c, size_t i, size_t e)
{
    for (size_t back = 1, links = 0; back <= 3 && i >= c->first + back; back++) {
        size_t k = i - back;
        if (has_cat(c->mt[k], c->nm[k], LX_NIGHT))
            return true;
        if (!night_link(c, k, false) || ++links > 2)
            break;
    }
    for (size_t k = e, links = 0; k < c->end && k < e + 3; k++) {
        if (has_cat(c->mt[k], c->nm[k], LX_NIGHT))
            return true;
        if (!night_link(c, k, true) || ++links > 2)
            break;
    }
    return false;
}

/* The morning after a day named as a night, never past the publication day
 * ("Tuesday night" in an article of that Tuesday is still Tuesday). */
static ext_date night_next(const scan *c, long z)
{
    if (pub_prec(c->pub) == EXT_PREC_DAY && z + 1 > pub_days(c->pub))
        return from_days(z);
    return from_days(z + 1);
}

/* ===== Finding expressions ===== */

static extp_datex datex(size_t tok, size_t len, ext_date d, bool rel)
{
    extp_datex x = {tok, len, d, rel, 0, -1};
    return x;
}

size_t extp_dates_find(const extp_text *t, size_t first, size_t end, const ext_date *pub,
                       const extp_match *const *mt, const size_t *nm, extp_datex *out, size_t max)
{
    const scan c = {t, first, end, pub, mt, nm};
    size_t got = 0;
    for (size_t i = first; i < end && got < max; i++) {
        const extp_token *tk = &t->tok[i];
        /* every expression starts at a number ("12", "1er") or a word of the
         * lexicon (a month, a weekday, a relative word): most tokens are
         * neither */
        if (nm[i] == 0 && tk->kind != TK_NUM &&
            !(tk->fold_len && extp_fold(t, i)[0] >= '0' && extp_fold(t, i)[0] <= '9'))
            continue;
        size_t start = i;
        ext_date r;
        /* relative phrases: aujourd'hui, hier, last night (days); ces derniers
         * jours, la semaine dernière, in recent days (a vague span: the
         * publication month, as the GUIDE asks; week precision would print a
         * day that the text does not give) */
        int dval = 0, wval = 0, aval = 0;
        int alen = longest(mt[i], nm[i], LX_ANAPHOR_DAY, i, end, &aval);
        int dlen = longest(mt[i], nm[i], LX_RELDAY, i, end, &dval);
        int wlen = longest(mt[i], nm[i], LX_RELWEEK, i, end, &wval);
        /* "the day before yesterday" (a relative day) holds "the day before"
         * (an anaphor): the longer phrase is the expression */
        if (alen > 0 && (dlen > alen || wlen > alen))
            alen = 0;
        if (alen > 0 && aval >= EXTP_WAR_BASE) {
            /* "the 44-day war", "la première guerre du Karabakh", "since the
             * start of the war": the wars' days are the conflict file's. A
             * war after "since" is a reference, not a date ("les combats les
             * plus graves depuis la guerre de 2020") */
            bool since = false;
            for (size_t k = i; k > first && i - k < 3 && !since; k--)
                since = has_cat(mt[k - 1], nm[k - 1], LX_TOLL_SINCE);
            if (since && aval != EXTP_WAR_BASE + EXTP_WAR_START) {
                i += (size_t)alen - 1;
                continue;
            }
            /* "since the start of the war": as in "depuis dimanche", the
             * expression is what follows the since-word (which may end the
             * trigger's clause) */
            size_t at = i, n = (size_t)alen;
            if (n > 1 && has_cat(mt[i], nm[i], LX_TOLL_SINCE)) {
                at++;
                n--;
            }
            out[got++] = (extp_datex){at, n, (ext_date){0, 0, 0, EXT_PREC_UNKNOWN}, false, 0,
                                      aval - EXTP_WAR_BASE};
            i += (size_t)alen - 1;
            continue;
        }
        if (alen > 0) {
            /* "le lendemain", "the next day": after the last stated day */
            const extp_datex *prev = NULL;
            for (size_t k = got; k-- > 0 && !prev;)
                if (out[k].date.prec == EXT_PREC_DAY)
                    prev = &out[k];
            ext_date r2 = {0, 0, 0, EXT_PREC_UNKNOWN};
            if (prev)
                r2 =
                    from_days(ext_days_from_civil(prev->date.y, prev->date.m, prev->date.d) + aval);
            out[got++] = (extp_datex){i, (size_t)alen, r2, false, prev ? 0 : aval, -1};
            i += (size_t)alen - 1;
            continue;
        }
        if (wlen > dlen) {
            if (relative(pub, 0, &r)) {
                if (r.prec == EXT_PREC_DAY)
                    r = (ext_date){r.y, r.m, 0, EXT_PREC_MONTH};
                /* dates.previous_month: "last month", "le mois dernier": the
                 * month before */
                if (wval > 0 && r.prec == EXT_PREC_MONTH) {
                    int months = r.y * 12 + (r.m - 1) - wval;
                    r = (ext_date){months / 12, months % 12 + 1, 0, EXT_PREC_MONTH};
                }
                out[got++] = datex(i, (size_t)wlen, r, true);
            }
            i += (size_t)wlen - 1;
            continue;
        }
        if (dlen > 0) {
            /* a relative word right before a stated date only says when in
             * that day or night: "overnight Sunday into Monday" */
            size_t nx = i + (size_t)dlen;
            atom next = nx < end ? atom_at(&c, nx) : (atom){0, 0, 0, 0, 0};
            /* "dans la nuit DE lundi à mardi", "in the early hours OF Tuesday" */
            for (size_t links = 0;
                 !next.len && links < 2 && nx + 1 < end && night_link(&c, nx, true); links++)
                next = atom_at(&c, ++nx);
            ext_date unused;
            if (next.len &&
                (next.wd || (next.d && next.m) || (next.d && range_at(&c, nx, &next, &unused)))) {
                i = nx;
                tk = &t->tok[i];
            } else {
                if (relative(pub, dval, &r))
                    out[got++] = datex(i, (size_t)dlen, r, true);
                i += (size_t)dlen - 1;
                continue;
            }
        }
        /* numeric dates: 2022-09-13, 13.09.2022, 13/09/2022 */
        if (tk->kind == TK_NUM && i + 4 < end && t->tok[i + 2].kind == TK_NUM &&
            t->tok[i + 4].kind == TK_NUM) {
            const extp_token *s1 = &t->tok[i + 1], *s2 = &t->tok[i + 3];
            bool tight = !(s1->flags & TF_SEP_SPACE) && !(t->tok[i + 2].flags & TF_SEP_SPACE) &&
                         !(s2->flags & TF_SEP_SPACE) && !(t->tok[i + 4].flags & TF_SEP_SPACE);
            if (tight && s1->kind == TK_PUNCT && s2->kind == TK_PUNCT && s1->punct == s2->punct &&
                (s1->punct == '.' || s1->punct == '/')) {
                int d = (int)tk->num, m = (int)t->tok[i + 2].num, y = (int)t->tok[i + 4].num;
                if (ext_date_valid(y, m, d)) {
                    out[got++] =
                        datex(start, i + 5 - start, (ext_date){y, m, d, EXT_PREC_DAY}, false);
                    i += 4;
                    continue;
                }
            }
        }
        /* "le 28/09": a day and a two-digit month, no year (not "24/7") */
        if (tk->kind == TK_NUM && i + 2 < end && is_punct(&t->tok[i + 1], '/') &&
            t->tok[i + 2].kind == TK_NUM && t->tok[i + 2].len == 2 &&
            !(t->tok[i + 1].flags & TF_SEP_SPACE) && !(t->tok[i + 2].flags & TF_SEP_SPACE) &&
            !(i + 3 < end && is_punct(&t->tok[i + 3], '/'))) {
            atom dm = {3, 0, (int)tk->num, (int)t->tok[i + 2].num, 0};
            long z;
            if (dm.d >= 1 && dm.d <= 31 && dm.m >= 1 && dm.m <= 12 && atom_days(&c, &dm, &z)) {
                out[got++] = datex(start, 3, from_days(z), false);
                i += 2;
                continue;
            }
        }
        if (tk->kind == TK_NUM && is_year(tk->num) && i + 2 < end &&
            (t->tok[i + 1].flags & TF_SEP_HYPHEN) && (t->tok[i + 2].flags & TF_SEP_HYPHEN) &&
            t->tok[i + 1].kind == TK_NUM && t->tok[i + 2].kind == TK_NUM) {
            int y = (int)tk->num, m = (int)t->tok[i + 1].num, d = (int)t->tok[i + 2].num;
            if (ext_date_valid(y, m, d)) {
                out[got++] = datex(start, i + 3 - start, (ext_date){y, m, d, EXT_PREC_DAY}, false);
                i += 2;
                continue;
            }
        }
        atom a = atom_at(&c, i);
        if (a.len == 0) {
            /* a year with a cue: en 2020, in 2021, depuis 1994 */
            if (tk->kind == TK_NUM && is_year(tk->num) && i > first &&
                has_cat(mt[i - 1], nm[i - 1], LX_YEAR_CUE))
                out[got++] = datex(i, 1, (ext_date){(int)tk->num, 0, 0, EXT_PREC_YEAR}, false);
            continue;
        }
        size_t rl = range_at(&c, i, &a, &r);
        if (rl) {
            if (r.prec != EXT_PREC_UNKNOWN)
                out[got++] = datex(start, i + rl - start, r, !a.d && !a.m);
            i += rl - 1;
            continue;
        }
        if (a.d && a.m) { /* a stated day */
            long z;
            if (atom_days(&c, &a, &z))
                out[got++] =
                    datex(start, i + a.len - start,
                          night_of(&c, i, i + a.len) ? night_next(&c, z) : from_days(z), false);
            i += a.len - 1;
            continue;
        }
        if (a.m && a.y) { /* septembre 2020 */
            out[got++] =
                datex(start, i + a.len - start, (ext_date){a.y, a.m, 0, EXT_PREC_MONTH}, false);
            i += a.len - 1;
            continue;
        }
        if (a.m) {
            /* a bare month name needs a cue before it (en, in, début...) */
            int y = infer_year(pub, a.m, 1);
            if (i > first && has_cat(mt[i - 1], nm[i - 1], LX_MONTH_CUE) && y)
                out[got++] =
                    datex(start, i + 1 - start, (ext_date){y, a.m, 0, EXT_PREC_MONTH}, false);
            continue;
        }
        if (a.wd) {
            /* a weekday (its bare day number aside): the last such day on or
             * before publication; "mardi dernier", "last Tuesday" on a Tuesday
             * is a week before */
            int wl = 1;
            match_val(mt[i], nm[i], LX_WEEKDAY, &wl);
            size_t we = i + (size_t)(wl > 0 ? wl : 1); /* "week-end" is two words */
            bool past = (we < end && has_cat(mt[we], nm[we], LX_PAST_MARKER)) ||
                        (i > first && has_cat(mt[i - 1], nm[i - 1], LX_PAST_MARKER));
            long back = pub_prec(pub) == EXT_PREC_DAY ? weekday_back(pub, a.wd, past) : 0;
            if (pub_prec(pub) == EXT_PREC_DAY && night_of(&c, i, we))
                out[got++] = datex(start, we - start, night_next(&c, pub_days(pub) - back), true);
            else if (relative(pub, -back, &r))
                out[got++] = datex(start, we - start, r, true);
            i = we - 1;
            continue;
        }
        /* a bare day number alone is not a date */
    }
    return got;
}

ext_date extp_dates_anchor(const extp_text *t, const ext_date *pub, const extp_match *const *mt,
                           const size_t *nm)
{
    if (!pub || pub->prec != EXT_PREC_MONTH)
        return pub ? *pub : (ext_date){0, 0, 0, EXT_PREC_UNKNOWN};
    /* the latest stated day of the publication month, else of the month
     * before (an article of early October about the last days of September) */
    ext_date best[2] = {*pub, *pub};
    int py = pub->m == 1 ? pub->y - 1 : pub->y, pm = pub->m == 1 ? 12 : pub->m - 1;
    extp_datex dx[16];
    for (size_t si = 0; si < t->n_sent; si++) {
        const extp_sentence *se = &t->sent[si];
        size_t n = extp_dates_find(t, se->first, se->end, pub, mt, nm, dx, 16);
        for (size_t k = 0; k < n; k++) {
            const ext_date *d = &dx[k].date;
            int w = d->y == pub->y && d->m == pub->m ? 0 : d->y == py && d->m == pm ? 1 : -1;
            if (d->prec == EXT_PREC_DAY && w >= 0 &&
                (best[w].prec != EXT_PREC_DAY || d->d > best[w].d))
                best[w] = *d;
        }
    }
    return best[0].prec == EXT_PREC_DAY ? best[0] : best[1];
}

/* A dash that ends a dateline: "-", "–", "—" standing apart from words. */
static bool dateline_dash(const extp_token *tk)
{
    return tk->kind == TK_PUNCT && (tk->punct == 0x2014 || tk->punct == 0x2013 || tk->punct == '-');
}

bool extp_dates_dateline(const extp_text *t, const ext_date *pub, const extp_match *const *mt,
                         const size_t *nm, ext_date *out)
{
    for (size_t si = 0; si < t->n_sent; si++) {
        const extp_sentence *se = &t->sent[si];
        if (se->para < 1)
            continue;
        if (se->para > 3)
            break;
        if (si > 0 && t->sent[si - 1].para == se->para)
            continue; /* not the first sentence of its paragraph */
        if (se->first >= se->end || !(t->tok[se->first].flags & TF_CAP))
            continue;
        /* names, agencies, numbers and date words up to a dash */
        size_t dash = 0;
        for (size_t k = se->first + 1; k < se->end && k < se->first + 16 && !dash; k++) {
            const extp_token *tk = &t->tok[k];
            if (dateline_dash(tk))
                dash = k;
            else if (tk->kind == TK_WORD && !(tk->flags & TF_CAP) && tk->fold_len > 4 &&
                     !has_cat(mt[k], nm[k], LX_MONTH))
                break; /* a verb or a common word: the sentence has begun */
        }
        if (!dash)
            continue;
        extp_datex dx[4];
        size_t n = extp_dates_find(t, se->first, dash, pub, mt, nm, dx, 4);
        for (size_t k = 0; k < n; k++)
            if (dx[k].date.prec == EXT_PREC_DAY && !dx[k].rel) {
                *out = dx[k].date;
                return true;
            }
        return false; /* the first dateline decides */
    }
    return false;
}

ext_date extp_dates_reference(const extp_text *t, const ext_date *pub, const extp_match *const *mt,
                              const size_t *nm)
{
    ext_date dl, none = {0, 0, 0, EXT_PREC_UNKNOWN}, p = pub ? *pub : none;
    if (!extp_dates_dateline(t, pub, mt, nm, &dl))
        return p;
    switch (p.prec) {
    case EXT_PREC_DAY: {
        /* filed the day of publication or up to three days before (a page
         * dated by its last update, a time zone ahead) */
        long back = ext_days_from_civil(p.y, p.m, p.d) - ext_days_from_civil(dl.y, dl.m, dl.d);
        return back >= 0 && back <= 3 ? dl : p;
    }
    case EXT_PREC_MONTH:
        return dl.y == p.y && dl.m == p.m ? dl : p;
    case EXT_PREC_YEAR:
        return dl.y == p.y ? dl : p;
    default:
        return dl;
    }
}
