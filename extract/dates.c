/* dates.c -- calendar arithmetic and date expressions. See dates.h.
 * Month names, weekday names and relative words come from the lexicon
 * (categories LX_MONTH, LX_WEEKDAY, LX_RELDAY, LX_RELWEEK...). */
#include "dates.h"
#include "incident.h"

#include <stdio.h>
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

bool ext_date_parse_iso(const char *s, ext_date *out)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) < 10)
        return false;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3)
        return false;
    if (s[4] != '-' || s[7] != '-' || !ext_date_valid(y, m, d))
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

static bool has_pub(const ext_date *pub) { return pub && pub->prec == EXT_PREC_DAY; }

static ext_date shift(const ext_date *pub, long days, int prec)
{
    ext_date r;
    ext_civil_from_days(ext_days_from_civil(pub->y, pub->m, pub->d) + days, &r.y, &r.m, &r.d);
    r.prec = prec;
    return r;
}

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

/* A year given without one: the publication year, or the previous one when
 * that would put the date after publication. */
static int infer_year(const ext_date *pub, int m, int d)
{
    if (!has_pub(pub))
        return 0;
    int y = pub->y;
    long z = ext_days_from_civil(y, m, d > 0 ? d : 1);
    if (z > ext_days_from_civil(pub->y, pub->m, pub->d) + 2)
        y--;
    return y;
}

static bool is_year(long v) { return v >= 1900 && v <= 2100; }

size_t extp_dates_find(const extp_text *t, size_t first, size_t end, const ext_date *pub,
                       const extp_match *const *mt, const size_t *nm, extp_datex *out,
                       size_t max)
{
    size_t got = 0;
    for (size_t i = first; i < end && got < max; i++) {
        const extp_token *tk = &t->tok[i];
        int len = 0;
        /* relative day phrases: aujourd'hui, hier, last night... */
        /* phrases are matched over the whole text: keep those inside [first, end)
         * (found by fuzz_text: "depuis deux <blank lines> jours") */
        if (has_cat(mt[i], nm[i], LX_RELDAY)) {
            int rel = 0;
            len = 0;
            for (size_t k = 0; k < nm[i]; k++)
                if (mt[i][k].cat == LX_RELDAY && mt[i][k].len > len &&
                    i + (size_t)mt[i][k].len <= end) {
                    len = mt[i][k].len;
                    rel = mt[i][k].val;
                }
            if (len == 0)
                continue;
            if (has_pub(pub))
                out[got++] = (extp_datex){i, (size_t)len, shift(pub, rel, EXT_PREC_DAY)};
            i += (size_t)len - 1;
            continue;
        }
        if (has_cat(mt[i], nm[i], LX_RELWEEK)) {
            int l = 0;
            for (size_t k = 0; k < nm[i]; k++)
                if (mt[i][k].cat == LX_RELWEEK && mt[i][k].len > l &&
                    i + (size_t)mt[i][k].len <= end)
                    l = mt[i][k].len;
            if (l == 0)
                continue;
            if (has_pub(pub))
                out[got++] = (extp_datex){i, (size_t)l, shift(pub, 0, EXT_PREC_WEEK)};
            i += (size_t)l - 1;
            continue;
        }
        /* numeric dates: 2022-09-13, 13.09.2022, 13/09/2022 */
        if (tk->kind == TK_NUM && i + 4 < end && t->tok[i + 2].kind == TK_NUM &&
            t->tok[i + 4].kind == TK_NUM) {
            const extp_token *s1 = &t->tok[i + 1], *s2 = &t->tok[i + 3];
            bool tight = !(s1->flags & TF_SEP_SPACE) && !(t->tok[i + 2].flags & TF_SEP_SPACE) &&
                         !(s2->flags & TF_SEP_SPACE) && !(t->tok[i + 4].flags & TF_SEP_SPACE);
            if (tight && s1->kind == TK_PUNCT && s2->kind == TK_PUNCT &&
                s1->punct == s2->punct && (s1->punct == '.' || s1->punct == '/')) {
                int d = (int)tk->num, m = (int)t->tok[i + 2].num, y = (int)t->tok[i + 4].num;
                if (ext_date_valid(y, m, d)) {
                    out[got++] = (extp_datex){i, 5, {y, m, d, EXT_PREC_DAY}};
                    i += 4;
                    continue;
                }
            }
        }
        if (tk->kind == TK_NUM && is_year(tk->num) && i + 2 < end &&
            (t->tok[i + 1].flags & TF_SEP_HYPHEN) && (t->tok[i + 2].flags & TF_SEP_HYPHEN) &&
            t->tok[i + 1].kind == TK_NUM && t->tok[i + 2].kind == TK_NUM) {
            int y = (int)tk->num, m = (int)t->tok[i + 1].num, d = (int)t->tok[i + 2].num;
            if (ext_date_valid(y, m, d)) {
                out[got++] = (extp_datex){i, 3, {y, m, d, EXT_PREC_DAY}};
                i += 2;
                continue;
            }
        }
        /* [weekday] NUM [ordinal] MONTH [YEAR] */
        size_t j = i;
        int wd = match_val(mt[j], nm[j], LX_WEEKDAY, NULL);
        if (wd != -1)
            j++;
        if (j < end && t->tok[j].num >= 1 && t->tok[j].num <= 31) {
            size_t k = j + 1;
            if (k < end && has_cat(mt[k], nm[k], LX_ORDINAL) &&
                !(t->tok[k].flags & TF_SEP_SPACE))
                k++;
            int mo = k < end ? match_val(mt[k], nm[k], LX_MONTH, NULL) : -1;
            if (mo != -1) {
                int d = (int)t->tok[j].num, y = 0;
                size_t e = k + 1;
                if (e < end && t->tok[e].kind == TK_NUM && is_year(t->tok[e].num)) {
                    y = (int)t->tok[e].num;
                    e++;
                } else {
                    y = infer_year(pub, mo, d);
                }
                if (y && ext_date_valid(y, mo, d))
                    out[got++] = (extp_datex){i, e - i, {y, mo, d, EXT_PREC_DAY}};
                i = e - 1;
                continue;
            }
        }
        /* MONTH NUM [,] [YEAR]  (English order)  or  MONTH YEAR */
        int mo = match_val(mt[i], nm[i], LX_MONTH, NULL);
        if (mo != -1) {
            size_t k = i + 1;
            if (k < end && t->tok[k].kind == TK_NUM && t->tok[k].num >= 1 &&
                t->tok[k].num <= 31) {
                int d = (int)t->tok[k].num, y = 0;
                size_t e = k + 1;
                if (e < end && has_cat(mt[e], nm[e], LX_ORDINAL) &&
                    !(t->tok[e].flags & TF_SEP_SPACE))
                    e++;
                size_t e2 = e;
                if (e2 < end && t->tok[e2].kind == TK_PUNCT && t->tok[e2].punct == ',')
                    e2++;
                if (e2 < end && t->tok[e2].kind == TK_NUM && is_year(t->tok[e2].num)) {
                    y = (int)t->tok[e2].num;
                    e = e2 + 1;
                } else {
                    y = infer_year(pub, mo, d);
                }
                if (y && ext_date_valid(y, mo, d))
                    out[got++] = (extp_datex){i, e - i, {y, mo, d, EXT_PREC_DAY}};
                i = e - 1;
                continue;
            }
            if (k < end && t->tok[k].kind == TK_NUM && is_year(t->tok[k].num)) {
                out[got++] = (extp_datex){i, 2, {(int)t->tok[k].num, mo, 0, EXT_PREC_MONTH}};
                i = k;
                continue;
            }
            /* a bare month name needs a cue before it (en, in, début...) */
            if (i > first && has_cat(mt[i - 1], nm[i - 1], LX_MONTH_CUE)) {
                int y = infer_year(pub, mo, 1);
                if (y)
                    out[got++] = (extp_datex){i, 1, {y, mo, 0, EXT_PREC_MONTH}};
            }
            continue;
        }
        /* a weekday alone: the last such day on or before publication */
        if (wd != -1) {
            if (has_pub(pub)) {
                int pw = ext_weekday(pub->y, pub->m, pub->d);
                int back = (pw - wd + 7) % 7;
                if (i + 1 < end && has_cat(mt[i + 1], nm[i + 1], LX_PAST_MARKER) && back == 0)
                    back = 7;
                if (i > first && has_cat(mt[i - 1], nm[i - 1], LX_PAST_MARKER) && back == 0)
                    back = 7;
                out[got++] = (extp_datex){i, 1, shift(pub, -back, EXT_PREC_DAY)};
            }
            continue;
        }
        /* a year with a cue: en 2020, in 2021, depuis 1994 */
        if (tk->kind == TK_NUM && is_year(tk->num) && i > first &&
            has_cat(mt[i - 1], nm[i - 1], LX_YEAR_CUE)) {
            out[got++] = (extp_datex){i, 1, {(int)tk->num, 0, 0, EXT_PREC_YEAR}};
            continue;
        }
    }
    return got;
}
