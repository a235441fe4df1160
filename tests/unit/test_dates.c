/* test_dates.c -- date expressions on sentences written for these tests:
 * overnight ranges, "since" with a time of day, weekdays against the
 * publication date, publication dates known to the month only, and vague
 * spans of recent days. The lexicon is the real one (data/lexicon). */
#include "check.h"
#include "dates.h"
#include "extract.h"
#include "incident.h"
#include "lexicon.h"
#include "tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ext_lexicon *lex;

/* The first date expression of `text` in `lang`, published `pub` (an ISO
 * date, possibly "YYYY-MM", or NULL), formatted ("" when none). */
static void first_date(const char *text, const char *lang, const char *pub, char out[11])
{
    const extp_lang *L = extp_lang_find(lex, lang);
    ext_date p = {0, 0, 0, EXT_PREC_UNKNOWN}, none = {0, 0, 0, EXT_PREC_UNKNOWN};
    extp_text t;
    memset(out, 0, 11);
    if (!L || (pub && !ext_date_parse_iso(pub, &p))) {
        CHECK(L != NULL);
        return;
    }
    CHECK_INT_EQ(extp_text_build(&t, text, strlen(text), L), 0);
    enum { PER_TOKEN = 16 };
    extp_match *mf = calloc(t.n * PER_TOKEN + 1, sizeof *mf);
    const extp_match **mt = calloc(t.n + 1, sizeof *mt);
    size_t *nm = calloc(t.n + 1, sizeof *nm);
    if (mf && mt && nm) {
        for (size_t i = 0; i < t.n; i++) {
            mt[i] = mf + i * PER_TOKEN;
            nm[i] = extp_dict_match(L->dict, t.words, t.lens, t.n, i, mf + i * PER_TOKEN,
                                    PER_TOKEN);
        }
        extp_datex dx[8];
        size_t n = extp_dates_find(&t, 0, t.n, pub ? &p : NULL, mt, nm, dx, 8);
        ext_date_format(n ? &dx[0].date : &none, out);
    }
    free(mf);
    free(mt);
    free(nm);
    extp_text_free(&t);
}

/* Names the sentence when its check below fails. */
static void explain(const char *text, const char *lang, const char *pub, const char *got,
                    const char *want)
{
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  date of \"%s\" (%s, published %s)\n", text, lang, pub ? pub : "?");
}

#define CHECK_DATE(text, lang, pub, want)                                              \
    do {                                                                               \
        char got_[11];                                                                 \
        first_date((text), (lang), (pub), got_);                                       \
        explain((text), (lang), (pub), got_, (want));                                  \
        CHECK_STR_EQ(got_, (want));                                                    \
    } while (0)

/* Calendar used below: 2020-10-04 is a Sunday, 2020-10-05 a Monday. */

/* ===== 1. Overnight ranges: the morning they ended ===== */

static void test_overnight(void)
{
    /* weekdays, resolved against publication (Tuesday 6th, Monday 5th) */
    CHECK_DATE("Les villages ont été pilonnés dans la nuit de dimanche à lundi.", "fr",
               "2020-10-06", "2020-10-05");
    CHECK_DATE("Dans la nuit de dimanche à lundi, des tirs ont été entendus.", "fr",
               "2020-10-05", "2020-10-05");
    CHECK_DATE("La nuit de samedi à dimanche a été calme.", "fr", "2020-10-05", "2020-10-04");
    CHECK_DATE("durant la nuit de jeudi à vendredi", "fr", "2020-10-05", "2020-10-02");
    /* across a week end: Sunday into Monday published on a Sunday is the
     * night that ended six days before */
    CHECK_DATE("dans la nuit de dimanche à lundi", "fr", "2020-10-04", "2020-09-28");
    /* day numbers, with "du", a month, an ordinal, a weekday on each side */
    CHECK_DATE("Une frappe a touché le dépôt dans la nuit du 6 au 7 octobre.", "fr",
               "2020-10-08", "2020-10-07");
    CHECK_DATE("dans la nuit du 30 septembre au 1er octobre", "fr", "2020-10-08",
               "2020-10-01");
    CHECK_DATE("dans la nuit du 31 au 1er novembre", "fr", "2020-11-03", "2020-11-01");
    CHECK_DATE("dans la nuit du samedi 3 au dimanche 4 octobre 2020", "fr", NULL,
               "2020-10-04");
    CHECK_DATE("dans la nuit de dimanche au lundi 5 octobre", "fr", "2020-10-09",
               "2020-10-05");
    /* English */
    CHECK_DATE("Shells fell on the town overnight Sunday into Monday.", "en", "2020-10-06",
               "2020-10-05");
    CHECK_DATE("The depot was hit on the night of 6 to 7 October.", "en", "2020-10-09",
               "2020-10-07");
    CHECK_DATE("Sirens sounded in the night from Saturday to Sunday.", "en", "2020-10-05",
               "2020-10-04");
    CHECK_DATE("Drones struck overnight October 6-7, officials said.", "en", "2020-10-09",
               "2020-10-07");
    CHECK_DATE("a strike during the night of October 6 to 7.", "en", "2020-10-09",
               "2020-10-07");
    /* a longer span is an ongoing flow: its first stated day */
    CHECK_DATE("Les combats du 27 septembre au 10 octobre ont fait des centaines de morts.",
               "fr", "2020-10-12", "2020-09-27");
    CHECK_DATE("une trêve du 27 septembre au 10 novembre", "fr", "2020-10-20", "2020-09-27");
    CHECK_DATE("du 28 décembre au 3 janvier", "fr", "2021-01-10", "2020-12-28");
    CHECK_DATE("dans la nuit du 31 décembre au 1er janvier", "fr", "2021-01-02", "2021-01-01");
    CHECK_DATE("from 30 December 2020 to 2 January 2021", "en", NULL, "2020-12-30");
    CHECK_DATE("Fighting from Saturday to Monday displaced hundreds.", "en", "2020-10-06",
               "2020-10-03");
    /* two days joined by "and" are a span too, not a night */
    CHECK_DATE("Les frappes de samedi et dimanche ont détruit un pont.", "fr", "2020-10-05",
               "2020-10-03");
    /* not ranges: an hour, a place after the date */
    CHECK_DATE("Le 6 octobre à 7 heures, une explosion a retenti.", "fr", "2020-10-09",
               "2020-10-06");
    CHECK_DATE("The shelling began on October 6 at 7 in the morning.", "en", "2020-10-09",
               "2020-10-06");
    CHECK_DATE("Lundi à Goris, deux maisons ont brûlé.", "fr", "2020-10-07", "2020-10-05");
    CHECK_DATE("Le 5 octobre, 3 soldats ont été blessés.", "fr", "2020-10-07", "2020-10-05");
    /* ranges cut by the end of the sentence (or of the span searched): the
     * night that began on the day left, which ended the next morning */
    CHECK_DATE("dans la nuit de dimanche à", "fr", "2020-10-07", "2020-10-05");
    CHECK_DATE("overnight October 6-", "en", "2020-10-09", "2020-10-07");
    /* without a publication day, a weekday night cannot be placed */
    CHECK_DATE("dans la nuit de dimanche à lundi", "fr", NULL, "");
}

/* ===== 1b. Nights, evenings, mornings named by one day ===== */

/* GUIDE.md: an overnight event takes the date of the morning it ended. A
 * night named by the day it began ("Monday night", "la nuit de lundi", "the
 * night of 12 September") is the next day, never past publication; an
 * evening, a morning, a dawn is the day itself. Nights with no day are the
 * publication day (the morning they ended). */
static void test_nights(void)
{
    /* a night word after the day, or before it through a genitive */
    CHECK_DATE("Heavy fighting broke out along the border on Monday night.", "en",
               "2020-10-07", "2020-10-06");
    CHECK_DATE("Les tirs ont repris dans la nuit de lundi, selon le ministère.", "fr",
               "2020-10-07", "2020-10-06");
    CHECK_DATE("Lundi dans la nuit, un dépôt a été touché.", "fr", "2020-10-07", "2020-10-06");
    CHECK_DATE("Drones hit the depot during the night of 12 September.", "en", "2020-09-20",
               "2020-09-13");
    CHECK_DATE("A l'hôpital, les sirènes ont retenti dans la nuit du 12 septembre.", "fr",
               "2020-09-20", "2020-09-13");
    CHECK_DATE("Shells fell on the village overnight Monday, residents said.", "en",
               "2020-10-08", "2020-10-06");
    /* a two-day night: its later day, whatever words open it */
    CHECK_DATE("Shelling went on during the night of 12 to 13 September.", "en", "2020-09-20",
               "2020-09-13");
    CHECK_DATE("Les villages ont été visés dans la nuit de lundi à mardi.", "fr", "2020-10-08",
               "2020-10-06");
    CHECK_DATE("in the early hours of Tuesday, the town was shelled", "en", "2020-10-08",
               "2020-10-06");
    /* never past publication: "Tuesday night" in Tuesday's article */
    CHECK_DATE("The town was shelled on Tuesday night.", "en", "2020-10-06", "2020-10-06");
    /* evenings, mornings, dawn: the day itself */
    CHECK_DATE("The village was shelled late Monday evening.", "en", "2020-10-07",
               "2020-10-05");
    CHECK_DATE("Le village a été bombardé tard dans la soirée de lundi.", "fr", "2020-10-07",
               "2020-10-05");
    CHECK_DATE("Fighting resumed early on Tuesday near the lake.", "en", "2020-10-08",
               "2020-10-06");
    CHECK_DATE("Lundi soir, deux obus sont tombés sur l'école.", "fr", "2020-10-07",
               "2020-10-05");
    CHECK_DATE("On the evening of 12 September, a post came under fire.", "en", "2020-09-20",
               "2020-09-12");
    /* nights and dawns without a day: the publication day */
    CHECK_DATE("The town was shelled overnight, the mayor said.", "en", "2020-10-07",
               "2020-10-07");
    CHECK_DATE("Stepanakert was shelled last night.", "en", "2020-10-07", "2020-10-07");
    CHECK_DATE("La ville a été bombardée la nuit dernière.", "fr", "2020-10-07", "2020-10-07");
    CHECK_DATE("Les frappes se sont poursuivies dans la nuit sur la ville.", "fr", "2020-10-07",
               "2020-10-07");
    CHECK_DATE("A dawn raid: the post was attacked at dawn.", "en", "2020-10-07", "2020-10-07");
    CHECK_DATE("L'offensive a commencé à l'aube.", "fr", "2020-10-07", "2020-10-07");
    CHECK_DATE("The first shells fell in the early hours.", "en", "2020-10-07", "2020-10-07");
    /* "the night on October 11" places the night in that day: its small hours */
    CHECK_DATE("Sirens sounded the whole night on October 11.", "en", "2020-10-13",
               "2020-10-11");
    /* a day with no night nearby is unchanged: a night word three words off */
    CHECK_DATE("Monday, the night shift of the hospital was evacuated", "en", "2020-10-07",
               "2020-10-05");
    /* without a publication day a weekday night cannot be placed */
    CHECK_DATE("on Monday night", "en", NULL, "");
}

/* ===== 2. "Since" a morning: that day ===== */

static void test_since(void)
{
    CHECK_DATE("Les tirs se poursuivent depuis le matin du 19 septembre.", "fr", "2020-09-21",
               "2020-09-19");
    CHECK_DATE("La ville est bombardée depuis dimanche matin.", "fr", "2020-09-28",
               "2020-09-27");
    CHECK_DATE("depuis dimanche matin", "fr", "2020-09-27", "2020-09-27");
    CHECK_DATE("The town has been under fire since the morning of September 19.", "en",
               "2020-09-21", "2020-09-19");
    CHECK_DATE("Shelling has continued since Sunday morning.", "en", "2020-09-28",
               "2020-09-27");
    CHECK_DATE("since the morning of 19 September", "en", "2020-09-21", "2020-09-19");
    CHECK_DATE("depuis l'aube du 27 septembre", "fr", "2020-09-29", "2020-09-27");
}

/* ===== 3. Weekdays: the last such day on or before publication ===== */

static void test_weekdays(void)
{
    static const char *const fr[] = {"lundi", "mardi", "mercredi", "jeudi",
                                     "vendredi", "samedi", "dimanche"};
    static const char *const en[] = {"on Monday", "on Tuesday", "on Wednesday", "on Thursday",
                                     "on Friday", "on Saturday", "on Sunday"};
    /* every weekday against every publication day of one week */
    for (int pd = 5; pd <= 11; pd++) {
        char pub[24]; /* room for any int: -Wformat-truncation */
        snprintf(pub, sizeof pub, "2020-10-%02d", pd);
        int pw = ext_weekday(2020, 10, pd);
        for (int w = 1; w <= 7; w++) {
            int back = (pw - w + 7) % 7;
            int y, m, d;
            ext_civil_from_days(ext_days_from_civil(2020, 10, pd) - back, &y, &m, &d);
            char want[11];
            ext_date want_d = {y, m, d, EXT_PREC_DAY};
            ext_date_format(&want_d, want);
            CHECK_DATE(fr[w - 1], "fr", pub, want);
            CHECK_DATE(en[w - 1], "en", pub, want);
        }
    }
    CHECK_DATE("mardi", "fr", "2020-10-06", "2020-10-06"); /* same weekday: that day */
    CHECK_DATE("mardi dernier", "fr", "2020-10-06", "2020-09-29");
    CHECK_DATE("last Tuesday", "en", "2020-10-06", "2020-09-29");
    CHECK_DATE("on Sunday, October 4", "en", "2020-10-20", "2020-10-04");
    CHECK_DATE("mardi", "fr", NULL, "");
    /* the weekend: its first day, Saturday, as a span takes its first day
     * (2020-10-03 is a Saturday); "dernier" on a Saturday is a week before */
    CHECK_DATE("ce week-end", "fr", "2020-10-06", "2020-10-03");
    CHECK_DATE("Over the weekend, the town was shelled.", "en", "2020-10-06", "2020-10-03");
    CHECK_DATE("this weekend", "en", "2020-10-04", "2020-10-03");
    CHECK_DATE("le week-end dernier", "fr", "2020-10-10", "2020-10-03");
    CHECK_DATE("last weekend", "en", "2020-10-10", "2020-10-03");
    CHECK_DATE("ce week-end", "fr", "2020-10", "2020-10");
    /* evenings are the day itself, in either order */
    CHECK_DATE("Le village a été bombardé tard lundi soir.", "fr", "2020-10-07", "2020-10-05");
    CHECK_DATE("dimanche en fin de soirée", "fr", "2020-10-07", "2020-10-04");
    CHECK_DATE("on Sunday evening", "en", "2020-10-07", "2020-10-04");
}

/* ===== 3a. Counted back from publication, abbreviations, numeric days ===== */

static void test_counted(void)
{
    /* 2020-09-30 is a Wednesday */
    CHECK_DATE("Stepanakert was shelled two days ago.", "en", "2020-09-30", "2020-09-28");
    CHECK_DATE("Three days ago, the town was shelled.", "en", "2020-09-30", "2020-09-27");
    CHECK_DATE("a week ago", "en", "2020-09-30", "2020-09-23");
    CHECK_DATE("Il y a deux jours, la ville a été bombardée.", "fr", "2020-09-30", "2020-09-28");
    CHECK_DATE("il y a 3 jours", "fr", "2020-09-30", "2020-09-27");
    CHECK_DATE("il y a une semaine", "fr", "2020-09-30", "2020-09-23");
    CHECK_DATE("the day before yesterday", "en", "2020-09-30", "2020-09-28");
    /* months and years back: month precision */
    CHECK_DATE("Last month, the town was shelled.", "en", "2020-10-20", "2020-09");
    CHECK_DATE("le mois dernier", "fr", "2021-01-05", "2020-12");
    /* abbreviations, ordinals of, numeric day and month */
    CHECK_DATE("The town was shelled on Sept. 28, officials said.", "en", "2020-09-30",
               "2020-09-28");
    CHECK_DATE("La ville, le 28 sept. 2020, a été bombardée.", "fr", NULL, "2020-09-28");
    CHECK_DATE("on the 28th of September", "en", "2020-09-30", "2020-09-28");
    CHECK_DATE("La ville a été bombardée le 28/09.", "fr", "2020-09-30", "2020-09-28");
    CHECK_DATE("open 24/7", "en", "2020-09-30", "");
    CHECK_DATE("le 28/09/2020", "fr", NULL, "2020-09-28");
}

/* ===== 3b. Days counted from the narrative ("le lendemain") ===== */

static void anchored_date(const char *text, const char *lang, const char *pub, char out[11]);

#define CHECK_LAST_DATE(text, lang, pub, want)                                        \
    do {                                                                              \
        char got_[11];                                                                \
        anchored_date((text), (lang), (pub), got_);                                   \
        explain((text), (lang), (pub), got_, (want));                                 \
        CHECK_STR_EQ(got_, (want));                                                   \
    } while (0)

/* dates.anaphoric_days count from the last stated day before them in the
 * sentence, not from publication; alone, their date is left to the caller
 * (the narrative date, extract.c), never the publication day. */
static void test_anaphoric(void)
{
    CHECK_LAST_DATE("On 18 September she turned 74, and the next day she fled her village.", "en",
                    "2020-09-25", "2020-09-19");
    CHECK_LAST_DATE("Le 12 octobre, Goris a été bombardée ; le lendemain, ce fut Sotk.", "fr",
                    "2020-10-20", "2020-10-13");
    CHECK_LAST_DATE("Fighting began on October 6 and two days later the road was cut.", "en",
                    "2020-10-20", "2020-10-08");
    CHECK_LAST_DATE("The town was calm on 7 October, but the previous day it was shelled.", "en",
                    "2020-10-20", "2020-10-06");
    /* a month is no day to count from */
    CHECK_LAST_DATE("En octobre 2020, le lendemain de la trêve, Sotk fut touchée.", "fr", "2020-10-20",
                    "");
    /* alone: unknown here (not the day after publication) */
    CHECK_DATE("The next day, shelling resumed near the lake.", "en", "2020-10-20", "");
    CHECK_DATE("Le lendemain, des tirs ont repris.", "fr", "2020-10-20", "");
}

/* ===== 4. Publication dates known to the month ===== */

static void test_month_publication(void)
{
    ext_date p;
    CHECK(ext_date_parse_iso("2020-10", &p));
    CHECK_INT_EQ(p.prec, EXT_PREC_MONTH);
    CHECK_INT_EQ(p.m, 10);
    CHECK(ext_date_parse_iso("2020", &p));
    CHECK_INT_EQ(p.prec, EXT_PREC_YEAR);
    CHECK(ext_date_parse_iso("2020-10-05T08:30:00Z", &p));
    CHECK_INT_EQ(p.prec, EXT_PREC_DAY);
    CHECK(!ext_date_parse_iso("2020-13", &p));
    CHECK(!ext_date_parse_iso("2020-1", &p));
    CHECK(!ext_date_parse_iso("2020-10-", &p));
    CHECK(!ext_date_parse_iso("2020-10x", &p));
    CHECK(!ext_date_parse_iso("20201", &p));
    CHECK(!ext_date_parse_iso("", &p));

    /* explicit dates take the publication year */
    CHECK_DATE("Le village a été frappé le 12 octobre.", "fr", "2020-10", "2020-10-12");
    CHECK_DATE("The village was hit on October 12.", "en", "2020-10", "2020-10-12");
    CHECK_DATE("le 3 juillet", "fr", "2020-07", "2020-07-03");
    CHECK_DATE("le 28 décembre", "fr", "2021-01", "2020-12-28"); /* after it: the year before */
    CHECK_DATE("dans la nuit du 6 au 7 octobre", "fr", "2020-10", "2020-10-07");
    CHECK_DATE("le 12 octobre", "fr", "2020", "2020-10-12");
    /* relative days cannot give a day: the publication month */
    CHECK_DATE("hier", "fr", "2020-10", "2020-10");
    CHECK_DATE("yesterday", "en", "2020-07", "2020-07");
    CHECK_DATE("mardi", "fr", "2020-10", "2020-10");
    CHECK_DATE("dans la nuit de dimanche à lundi", "fr", "2020-10", "2020-10");
    CHECK_DATE("ces derniers jours", "fr", "2020-10", "2020-10");
    CHECK_DATE("hier", "fr", "2020", "2020");
}

/* Month-only publication anchored on the text's latest stated day: the
 * last date expression of `text`, resolved against extp_dates_anchor. */
static void anchored_date(const char *text, const char *lang, const char *pub, char out[11])
{
    const extp_lang *L = extp_lang_find(lex, lang);
    ext_date p = {0, 0, 0, EXT_PREC_UNKNOWN}, none = {0, 0, 0, EXT_PREC_UNKNOWN};
    extp_text t;
    memset(out, 0, 11);
    if (!L || !ext_date_parse_iso(pub, &p)) {
        CHECK(L != NULL);
        return;
    }
    CHECK_INT_EQ(extp_text_build(&t, text, strlen(text), L), 0);
    enum { PER_TOKEN = 16 };
    extp_match *mf = calloc(t.n * PER_TOKEN + 1, sizeof *mf);
    const extp_match **mt = calloc(t.n + 1, sizeof *mt);
    size_t *nm = calloc(t.n + 1, sizeof *nm);
    if (mf && mt && nm) {
        for (size_t i = 0; i < t.n; i++) {
            mt[i] = mf + i * PER_TOKEN;
            nm[i] = extp_dict_match(L->dict, t.words, t.lens, t.n, i, mf + i * PER_TOKEN,
                                    PER_TOKEN);
        }
        ext_date anchor = extp_dates_anchor(&t, &p, mt, nm);
        extp_datex dx[8];
        size_t n = extp_dates_find(&t, 0, t.n, &anchor, mt, nm, dx, 8);
        ext_date_format(n ? &dx[n - 1].date : &none, out);
    }
    free(mf);
    free(mt);
    free(nm);
    extp_text_free(&t);
}

#define CHECK_ANCHORED(text, lang, pub, want)                                          \
    do {                                                                               \
        char got_[11];                                                                 \
        anchored_date((text), (lang), (pub), got_);                                    \
        explain((text), (lang), (pub), got_, (want));                                  \
        CHECK_STR_EQ(got_, (want));                                                    \
    } while (0)

static void test_month_anchor(void)
{
    /* 2023-09-19 is a Tuesday, 2023-09-30 a Saturday */
    CHECK_ANCHORED("Le cessez-le-feu a été signé le 30 septembre. Samedi, les familles sont parties.",
                   "fr", "2023-09", "2023-09-30");
    CHECK_ANCHORED("On Tuesday, September 19, the offensive began. The shelling went on "
                   "overnight. Residents had fled on Monday.",
                   "en", "2023-09", "2023-09-18");
    /* an article of early October about the end of September */
    CHECK_ANCHORED("Les derniers bus sont arrivés le samedi 30 septembre. Des tirs ont eu lieu hier.",
                   "fr", "2023-10", "2023-09-29");
    /* no stated day: relative dates stay the month */
    CHECK_ANCHORED("Samedi, les familles sont parties.", "fr", "2023-09", "2023-09");
    /* a stated day of another month does not anchor */
    CHECK_ANCHORED("La guerre a commencé le 27 septembre 2020. Hier, des tirs.", "fr", "2023-09",
                   "2023-09");
    /* a publication day is its own anchor */
    CHECK_ANCHORED("Le 12 octobre, rien. Hier, des tirs.", "fr", "2020-10-20", "2020-10-19");
}

/* ===== 5. Vague recent spans: the publication month ===== */

static void test_recent(void)
{
    CHECK_DATE("Ces derniers jours, les tirs se sont intensifiés.", "fr", "2020-10-06",
               "2020-10");
    CHECK_DATE("Ces dernières semaines, plusieurs villages ont été évacués.", "fr",
               "2020-10-06", "2020-10");
    CHECK_DATE("La semaine dernière, un drone a été abattu.", "fr", "2020-10-06", "2020-10");
    CHECK_DATE("au cours des derniers jours", "fr", "2020-10-06", "2020-10");
    CHECK_DATE("In recent days the front has moved.", "en", "2020-10-06", "2020-10");
    CHECK_DATE("Earlier this month, a bridge was destroyed.", "en", "2020-10-06", "2020-10");
    CHECK_DATE("in recent weeks", "en", "2020-10-06", "2020-10");
    CHECK_DATE("over the past few days", "en", "2020-10-06", "2020-10");
    CHECK_DATE("last week", "en", "2020-10-06", "2020-10");
    CHECK_DATE("ces derniers jours", "fr", NULL, "");
    /* still days: the relative-day words are unchanged */
    CHECK_DATE("hier", "fr", "2020-10-06", "2020-10-05");
    CHECK_DATE("overnight", "en", "2020-10-06", "2020-10-06");
    /* hours are the news of the day */
    CHECK_DATE("Les tirs durent depuis plusieurs heures.", "fr", "2020-10-06", "2020-10-06");
    CHECK_DATE("ces dernières heures", "fr", "2020-10-06", "2020-10-06");
    CHECK_DATE("in recent hours", "en", "2020-10-06", "2020-10-06");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_dates DATA_DIR\n");
        return 2;
    }
    cx_err err;
    cx_err_clear(&err);
    lex = ext_lexicon_load(argv[1], "armenia-azerbaijan", &err);
    if (!lex) {
        fprintf(stderr, "%s:%ld: %s\n", err.source, err.line, err.msg);
        return 1;
    }
    test_overnight();
    test_nights();
    test_anaphoric();
    test_since();
    test_weekdays();
    test_counted();
    test_month_publication();
    test_recent();
    test_month_anchor();
    ext_lexicon_free(lex);
    CHECK_DONE();
}
