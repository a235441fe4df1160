/* test_extract.c -- the extractor on sentences written for these tests,
 * with an in-memory gazetteer: tokens and sentences, date expressions,
 * lexicon errors, triggers and what is left out (denials, hypotheticals,
 * history), lists, actors, claims, casualties, toponym resolution. */
#include "check.h"
#include "cx_buf.h"
#include "fake_gazetteer.h"
#include "cx_text.h"
#include "dates.h"
#include "extract.h"
#include "gazcache.h"
#include "lexicon.h"
#include "tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ===== Helpers ===== */

static ext_lexicon *lex;

static ext_result run_cut(const char *text, const char *lang, const char *published, double cut)
{
    rd_doc d = {0};
    char id[] = "t.txt";
    d.id = id;
    d.text = strdup(text);
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "%s", published);
    snprintf(d.lang, sizeof d.lang, "%s", lang);
    ext_options o = {0};
    o.min_confidence = cut;
    ext_result r = {0};
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
    free(d.text);
    return r;
}

static ext_result run(const char *text, const char *lang, const char *published)
{
    rd_doc d = {0};
    char id[] = "t.txt";
    d.id = id;
    d.text = strdup(text);
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "%s", published ? published : "");
    snprintf(d.lang, sizeof d.lang, "%s", lang ? lang : "");
    snprintf(d.source, sizeof d.source, "t.txt");
    ext_result r = {0};
    cx_err err;
    cx_err_clear(&err);
    int rc = ext_extract(lex, &gaz, &d, NULL, &r, &err);
    CHECK_INT_EQ(rc, 0);
    free(d.text);
    return r;
}

static const ext_incident *find(const ext_result *r, int type, const char *place_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].type == type && strcmp(r->items[i].place_id, place_id) == 0)
            return &r->items[i];
    return NULL;
}

static void test_tokens(void)
{
    const extp_lang *fr = extp_lang_find(lex, "fr");
    CHECK(fr != NULL);
    extp_text t;
    const char *s = "Titre\n\nM. Dupont est arrivé à Goris. Il est reparti l'après-midi ! "
                    "« Nous partons », a-t-il dit. Fin";
    CHECK_INT_EQ(extp_text_build(&t, s, strlen(s), fr), 0);
    CHECK_INT_EQ(t.n_sent, 5); /* title, M. not a break, !, the quote, Fin */
    CHECK_INT_EQ(t.sent[0].para, 0);
    CHECK(t.sent[1].para > 0);
    /* the elision is split, the hyphenated word too, accents folded */
    bool saw_apres = false, saw_l = false;
    for (size_t i = 0; i < t.n; i++) {
        if (!strcmp(extp_fold(&t, i), "apres"))
            saw_apres = (t.tok[i].flags & TF_SEP_APOS) != 0;
        if (!strcmp(extp_fold(&t, i), "l"))
            saw_l = true;
    }
    CHECK(saw_apres);
    CHECK(saw_l);
    extp_text_free(&t);
}

/* Does a phrase of category `cat` and `words` words match at the first
 * token of `text` (English)? */
static bool matches_at_0(const char *text, int cat, int words)
{
    const extp_lang *L = extp_lang_find(lex, "en");
    extp_text t;
    extp_text_build(&t, text, strlen(text), L);
    extp_match m[16];
    size_t n = t.n ? extp_dict_match(L->dict, t.words, t.lens, t.n, 0, m, 16) : 0;
    bool found = false;
    for (size_t k = 0; k < n; k++)
        found |= m[k].cat == cat && m[k].len == words;
    extp_text_free(&t);
    return found;
}

/* Phrase matching reads a phrase's second word first (length, prefix,
 * first byte): whole and prefix second words, the text ending after the
 * first word, a second word too short for the prefix or one letter off.
 * Phrases of data/lexicon/en.json. */
static void test_phrase_second_word(void)
{
    CHECK(matches_at_0("kamikaze drones", LX_SUBEVENT, 2));
    CHECK(matches_at_0("Kamikaze drone.", LX_SUBEVENT, 2));
    CHECK(!matches_at_0("kamikaze dron", LX_SUBEVENT, 2));
    CHECK(!matches_at_0("kamikaze trones", LX_SUBEVENT, 2));
    CHECK(!matches_at_0("kamikaze", LX_SUBEVENT, 2));
    CHECK(matches_at_0("bodies repatriated", LX_NOT_TRIGGER, 2));
    CHECK(!matches_at_0("bodies repatriate", LX_NOT_TRIGGER, 3));
    CHECK(matches_at_0("last night", LX_RELDAY, 2));
    CHECK(!matches_at_0("last nights", LX_RELDAY, 2));
    CHECK(!matches_at_0("last might", LX_RELDAY, 2));
    CHECK(!matches_at_0("last nigh", LX_RELDAY, 2));
    CHECK(!matches_at_0("last", LX_RELDAY, 2));
    /* list membership reads the first byte, then the length, then the rest */
    char a0[] = "abc", a1[] = "ab", a2[] = "", a3[] = "b";
    char *list[] = {a0, a1, a2, a3};
    CHECK(extp_is_in(list, 4, "ab", 2) && extp_is_in(list, 4, "abcd", 3));
    CHECK(extp_is_in(list, 4, "x", 0) && extp_is_in(list, 4, "b", 1));
    CHECK(!extp_is_in(list, 4, "a", 1) && !extp_is_in(list, 4, "abcd", 4));
    CHECK(!extp_is_in(list, 3, "b", 1) && !extp_is_in(list, 2, "", 0));
}

static ext_date date_in(const char *text, const char *lang, const char *pub)
{
    const extp_lang *L = extp_lang_find(lex, lang);
    extp_text t;
    ext_date p = {0, 0, 0, EXT_PREC_UNKNOWN}, none = {0, 0, 0, EXT_PREC_UNKNOWN};
    if (pub)
        ext_date_parse_iso(pub, &p);
    extp_text_build(&t, text, strlen(text), L);
    extp_match *mf = calloc(t.n * 12 + 1, sizeof *mf);
    const extp_match **mt = calloc(t.n + 1, sizeof *mt);
    size_t *nm = calloc(t.n + 1, sizeof *nm);
    for (size_t i = 0; i < t.n; i++) {
        mt[i] = mf + i * 12;
        nm[i] = extp_dict_match(L->dict, t.words, t.lens, t.n, i, mf + i * 12, 12);
    }
    extp_datex dx[8];
    size_t n = extp_dates_find(&t, 0, t.n, pub ? &p : NULL, mt, nm, dx, 8);
    ext_date r = n ? dx[0].date : none;
    free(mf);
    free(mt);
    free(nm);
    extp_text_free(&t);
    return r;
}

static void check_date(const char *text, const char *lang, const char *pub, const char *want)
{
    ext_date d = date_in(text, lang, pub);
    char got[11];
    ext_date_format(&d, got);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "  date of \"%s\" (pub %s)\n", text, pub ? pub : "none");
    CHECK_STR_EQ(got, want);
}

static void test_dates(void)
{
    /* 2020-09-28 is a Monday */
    check_date("hier", "fr", "2020-09-28", "2020-09-27");
    check_date("aujourd'hui", "fr", "2020-09-28", "2020-09-28");
    check_date("la nuit dernière", "fr", "2020-09-28", "2020-09-28"); /* the morning it ended */
    check_date("ce lundi 28 septembre 2020", "fr", "2020-10-02", "2020-09-28");
    check_date("le 27 septembre", "fr", "2020-10-29", "2020-09-27");
    check_date("le 27 décembre", "fr", "2021-01-05", "2020-12-27");  /* the year before */
    check_date("mardi", "fr", "2020-09-28", "2020-09-22");
    check_date("lundi", "fr", "2020-09-28", "2020-09-28");
    check_date("dans la nuit du 1er novembre", "fr", "2020-11-03", "2020-11-02");
    check_date("on Tuesday", "en", "2021-05-25", "2021-05-25");
    check_date("On September 13, around 00:05", "en", "2022-09-14", "2022-09-13");
    check_date("January 11, 2021", "en", "2022-01-01", "2021-01-11");
    check_date("12.01.2022", "fr", NULL, "2022-01-12");
    check_date("en septembre 2020", "fr", NULL, "2020-09");
    check_date("en 2016", "fr", "2020-09-28", "2016");
    check_date("depuis deux jours", "fr", "2020-09-28", "2020-09-28");
    check_date("yesterday", "en", "2020-03-01", "2020-02-29");
    /* without an anchor a relative date is unknown, never invented */
    check_date("hier", "fr", NULL, "");
    check_date("le 27 septembre", "fr", NULL, "");
    /* arithmetic */
    CHECK_INT_EQ(ext_weekday(2020, 9, 28), 1);
    int y, m, d;
    ext_civil_from_days(ext_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
    CHECK_INT_EQ(d, 29);
    CHECK(!ext_date_valid(2023, 2, 29));
}

static void test_lexicon_errors(const char *fixdir)
{
    cx_err err;
    cx_err_clear(&err);
    CHECK(ext_lexicon_load("/nonexistent", "armenia-azerbaijan", &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EFORMAT);
    CHECK(strstr(err.source, "/nonexistent/conflicts/armenia-azerbaijan.json") != NULL);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/badlex", fixdir);
    cx_err_clear(&err);
    CHECK(ext_lexicon_load(dir, "ok", &err) == NULL);
    CHECK(strstr(err.source, "fr.json") != NULL);
    CHECK(err.line == 3); /* the JSON error's line */
    CHECK(strlen(err.msg) > 0);
}

static void test_incidents(void)
{
    /* a list gives one incident per place, two kinds when two are told */
    ext_result r = run("Titre\n\nCe matin, les bombardements azerbaïdjanais ont touché les villages "
                       "de Goris, Sotk et Kut, dont les habitants sont évacués.",
                       "fr", "2022-09-13");
    CHECK_INT_EQ(r.n, 6);
    const ext_incident *k = find(&r, EXT_SHELLING, "t:kut-am");
    CHECK(k != NULL); /* Kut among Armenian villages is the Armenian Kut */
    CHECK(find(&r, EXT_SHELLING, "t:kut-iq") == NULL);
    if (k) {
        CHECK_STR_EQ(k->date, "2022-09-13");
        CHECK_STR_EQ(k->actor1, "Military Forces of Azerbaijan");
        CHECK_STR_EQ(k->place, "Kut");
        CHECK_INT_EQ(k->geo_prec, 1);
    }
    CHECK(find(&r, EXT_EVACUATION, "t:sotk") != NULL);
    ext_result_free(&r);

    /* a denial, a threat and a call are not incidents */
    r = run("Titre\n\nLe ministère a démenti avoir bombardé Goris. Bakou menace de bombarder "
            "Vardenis. Les parties sont appelées à cesser les combats à Sotk.",
            "fr", "2022-09-13");
    CHECK_INT_EQ(r.n, 0);
    ext_result_free(&r);

    /* a concrete past event at a named place counts, with its own date
     * (GUIDE.md, background events): year precision */
    r = run("Titre\n\nEn 1992, des combats ont eu lieu à Terter.", "fr", "2020-09-28");
    const ext_incident *h = find(&r, EXT_CLASH, "t:terter");
    CHECK(h != NULL);
    if (h) {
        CHECK_STR_EQ(h->date, "1992");
        CHECK_INT_EQ(h->date_prec, EXT_PREC_YEAR);
    }
    ext_result_free(&r);

    /* agent, claimant, casualties */
    r = run("Titre\n\nSelon Bakou, la ville de Terter a été pilonnée hier par les forces "
            "arméniennes : au moins cinq personnes ont été tuées et 12 blessées.",
            "fr", "2020-09-28");
    const ext_incident *t = find(&r, EXT_SHELLING, "t:terter");
    CHECK(t != NULL);
    if (t) {
        CHECK_STR_EQ(t->actor1, "Military Forces of Armenia");
        CHECK_STR_EQ(t->claimed_by, "Azerbaijan");
        CHECK_STR_EQ(t->date, "2020-09-27");
        CHECK_INT_EQ(t->fatalities, 5);
        CHECK_INT_EQ(t->injured, 12);
        CHECK(t->evidence && strstr(t->evidence, "pilonnée") != NULL);
    }
    CHECK(find(&r, EXT_SHELLING, "t:baku") == NULL); /* "selon Bakou" is a source */
    ext_result_free(&r);

    /* a person's name is not a place; a region holding a named town in the
     * same report is dropped for the town. Structural, whatever the weights:
     * every candidate is made a report (a cut near 0) */
    r = run_cut("Titre\n\nCharles Michel a condamné l'offensive. Stepanakert, au Haut-Karabakh, "
                "a été bombardée aujourd'hui.",
                "fr", "2023-09-19", 1e-6);
    CHECK(find(&r, EXT_CLASH, "t:michel") == NULL);
    CHECK(find(&r, EXT_SHELLING, "t:stepanakert") != NULL);
    CHECK(find(&r, EXT_SHELLING, "t:nk") == NULL);
    ext_result_free(&r);

    /* English: according to, a district's town, a region-level incident's
     * precision. Whether "fighting continued in X" is a report is the
     * model's (region_ongoing_sentence weighs against it): every candidate
     * is made a report here */
    r = run_cut("Title\n\nAzerbaijani forces shelled Sotk on Tuesday, according to the Armenian "
                "defence ministry. Fighting continued in Gegharkunik.",
                "en", "2022-09-14", 1e-6);
    const ext_incident *s = find(&r, EXT_SHELLING, "t:sotk");
    CHECK(s != NULL);
    if (s) {
        CHECK_STR_EQ(s->date, "2022-09-13");
        CHECK_STR_EQ(s->actor1, "Military Forces of Azerbaijan");
        CHECK_STR_EQ(s->claimed_by, "Armenia");
    }
    const ext_incident *g = find(&r, EXT_CLASH, "t:gegh");
    CHECK(g != NULL);
    if (g)
        CHECK_INT_EQ(g->geo_prec, 3);
    ext_result_free(&r);

    /* countries are not incident places; undated text gives an unknown date */
    r = run("Title\n\nClashes broke out in Armenia. Fighting was reported near Vardenis.", "en", NULL);
    CHECK(find(&r, EXT_CLASH, "t:am") == NULL);
    const ext_incident *v = find(&r, EXT_CLASH, "t:vardenis");
    CHECK(v != NULL);
    if (v) {
        CHECK_STR_EQ(v->date, "");
        CHECK_INT_EQ(v->date_prec, EXT_PREC_UNKNOWN);
        CHECK_INT_EQ(v->geo_prec, 2); /* near */
    }
    ext_result_free(&r);

    /* casualties told after their verb, an inverted speaker, a capital as
     * the place sources speak from */
    r = run("Title\n\nArmenian forces fired rockets at Terter, killing one civilian and "
            "wounding 32, the ministry said.",
            "en", "2020-10-05");
    const ext_incident *tt = find(&r, EXT_SHELLING, "t:terter");
    CHECK(tt != NULL);
    if (tt) {
        CHECK_INT_EQ(tt->fatalities, 1);
        CHECK_INT_EQ(tt->injured, 32);
    }
    ext_result_free(&r);
    r = run("Titre\n\nLa ville de Terter a été bombardée hier, a annoncé le ministère "
            "azerbaïdjanais. Les combats ont fait trois morts, selon des sources à Bakou.",
            "fr", "2020-10-05");
    tt = find(&r, EXT_SHELLING, "t:terter");
    CHECK(tt != NULL);
    if (tt)
        CHECK_STR_EQ(tt->claimed_by, "Azerbaijan");
    CHECK(find(&r, EXT_CLASH, "t:baku") == NULL);
    ext_result_free(&r);

    /* an offensive bombarding a town: the town is shelled, on the lead's day;
     * the headline's region adds no shelling (the body places it) */
    r = run("Offensive sur le Haut-Karabakh\n\nBakou a lancé mardi une vaste offensive "
            "militaire contre les séparatistes, bombardant Stepanakert.",
            "fr", "2023-09-20");
    const ext_incident *st = find(&r, EXT_SHELLING, "t:stepanakert");
    CHECK(st != NULL);
    if (st)
        CHECK_STR_EQ(st->date, "2023-09-19");
    CHECK(find(&r, EXT_SHELLING, "t:nk") == NULL);
    for (size_t i = 0; i < r.n; i++) /* whatever else is reported is dated by the lead */
        CHECK_STR_EQ(r.items[i].date, "2023-09-19");
    ext_result_free(&r);

    /* language detection without a lang field */
    r = run("Title\n\nThe village of Sotk was shelled today, the ministry said.", NULL, "2022-09-13");
    CHECK(find(&r, EXT_SHELLING, "t:sotk") != NULL);
    ext_result_free(&r);

    /* language detected on the article, not on the page furniture before it
     * (issue 19: more than 4 KB of English menus before a French article) */
    {
        cx_buf furn = CX_BUF_INIT;
        for (int i = 0; i < 120; i++)
            cx_buf_printf(&furn, "Home of the news and the sport\nSign in to your account\n");
        cx_buf_printf(&furn, "\nLes villages de Goris, Sotk et Kut ont été touchés lundi, a "
                          "annoncé le ministère dans un communiqué.\n");
        CHECK(furn.len > 4096 + 100);
        cx_buf_putc(&furn, '\0');
        r = run(furn.data, NULL, "2022-09-14");
        CHECK(find(&r, EXT_SHELLING, "t:goris") != NULL);
        CHECK(find(&r, EXT_SHELLING, "t:sotk") != NULL);
        ext_result_free(&r);
        cx_buf_free(&furn);
    }

    /* hostile text: no crash, no incident */
    r = run("", "fr", NULL);
    CHECK_INT_EQ(r.n, 0);
    ext_result_free(&r);
    char big[20000];
    memset(big, ' ', sizeof big);
    for (size_t i = 0; i + 6 < sizeof big; i += 6)
        memcpy(big + i, "Goris ", 6);
    big[sizeof big - 1] = '\0';
    r = run(big, "fr", NULL);
    CHECK_INT_EQ(r.n, 0);
    ext_result_free(&r);
}

/* Classes of sentences the lexicons must read (docs/lexicons.md), one
 * sentence of each written for this test: flight told as a narrative,
 * arrivals of displaced people, organisations taking their people out,
 * exodus words; and what is not an incident: going down to a shelter, a
 * shelter's name, sirens, a world war, a concessive "despite". */
/* claimed_by is a party or a named organisation, never a fragment; an
 * actor word before a name qualifies the name */
static void claim_is(const char *text, const char *lang, const char *want)
{
    ext_result r = run(text, lang, "2020-10-05");
    const ext_incident *t = find(&r, EXT_SHELLING, "t:terter");
    CHECK(t != NULL);
    if (t) {
        if (strcmp(t->claimed_by, want) != 0)
            fprintf(stderr, "  claimed_by of \"%s\"\n", text);
        CHECK_STR_EQ(t->claimed_by, want);
    }
    ext_result_free(&r);
}

static void test_claims(void)
{
    claim_is("Titre\n\nTerter a été bombardée hier, selon Armenpress qui cite des témoins.", "fr",
             "Armenpress");
    claim_is("Titre\n\nSelon Human Rights Watch, Terter a été bombardée hier.", "fr",
             "Human Rights Watch");
    claim_is("Title\n\nTerter was shelled yesterday, according to the press service of the "
             "Prosecutor General's Office.", "en", "press service of the Prosecutor General's Office");
    claim_is("Titre\n\nSelon nos sources locales, Terter a été bombardée hier.", "fr", "");
    claim_is("Title\n\nTerter was shelled yesterday, according to our local sources.", "en", "");
    claim_is("Titre\n\nD'après l'URL, Terter a été bombardée hier.", "fr", "");
    claim_is("Titre\n\nEn fin d'après-midi, Terter a été bombardée.", "fr", "");

    ext_result r = run("Title\n\nArmenian forces are shelling Azerbaijani Terter city with "
                       "artillery.", "en", "2020-10-05");
    const ext_incident *t = find(&r, EXT_SHELLING, "t:terter");
    CHECK(t != NULL);
    if (t)
        CHECK_STR_EQ(t->actor1, "Military Forces of Armenia");
    ext_result_free(&r);
}

static void expect_evac(const char *text, const char *lang, const char *place_id)
{
    ext_result r = run(text, lang, "2023-09-26");
    if (!find(&r, EXT_EVACUATION, place_id))
        fprintf(stderr, "no evacuation at %s in: %s\n", place_id, text);
    CHECK(find(&r, EXT_EVACUATION, place_id) != NULL);
    ext_result_free(&r);
}

static void expect_none(const char *text, const char *lang, int type, const char *place_id)
{
    ext_result r = run(text, lang, "2023-09-26");
    if (find(&r, type, place_id))
        fprintf(stderr, "unexpected incident %d at %s in: %s\n", type, place_id, text);
    CHECK(find(&r, type, place_id) == NULL);
    ext_result_free(&r);
}

/* "X was hit" (GUIDE.md, shelling): the passive of hit, touch, strike,
 * target, in every agreement */

/* ===== Candidates (recall): a pair of the type at the place reaches the
 * model, whatever it then decides ===== */

static ext_result run_pairs(const char *text, const char *lang)
{
    rd_doc d = {0};
    char id[] = "t.txt";
    d.id = id;
    d.text = strdup(text);
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "2022-09-14");
    snprintf(d.lang, sizeof d.lang, "%s", lang);
    snprintf(d.source, sizeof d.source, "t.txt");
    ext_result r = {0};
    ext_options o = {0};
    o.keep_pairs = true;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
    free(d.text);
    return r;
}

static bool has_pair(const ext_result *r, int type, const char *place_id)
{
    for (size_t i = 0; i < r->n_pairs; i++)
        if (r->pairs[i].type == type && strcmp(r->pairs[i].place_id, place_id) == 0)
            return true;
    return false;
}

static void expect_pair(const char *text, const char *lang, int type, const char *place_id)
{
    ext_result r = run_pairs(text, lang);
    if (!has_pair(&r, type, place_id))
        fprintf(stderr, "no %s candidate at %s in: %s\n", ext_type_name(type), place_id, text);
    CHECK(has_pair(&r, type, place_id));
    ext_result_free(&r);
}

/* Trigger forms written as a verb's inflections and collocations, in both
 * languages (docs/lexicons.md): each sentence must yield a candidate. */
static void test_candidate_forms(void)
{
    /* fire on a place, every form; fire with no weapon is also a clash */
    expect_pair("Title\n\nTroops began firing towards the towns of Goris, Sotk, Vardenis and Kut.",
                "en", EXT_SHELLING, "t:kut-am");
    expect_pair("Title\n\nTroops began firing towards the towns of Goris, Sotk, Vardenis and Kut.",
                "en", EXT_CLASH, "t:vardenis");
    expect_pair("Title\n\nSoldiers opens fire on positions near Sotk, the army says.", "en",
                EXT_CLASH, "t:sotk");
    expect_pair("Title\n\nThe units fired in the direction of Vardenis overnight.", "en",
                EXT_SHELLING, "t:vardenis");
    expect_pair("Titre\n\nLes troupes ont tiré sur les villes de Terter et Goris.", "fr",
                EXT_SHELLING, "t:goris");
    expect_pair("Titre\n\nLes séparatistes ont fait feu sur les districts de Terter et Goris.",
                "fr", EXT_SHELLING, "t:terter");
    expect_pair("Titre\n\nDes soldats ont ouvert le feu près du village de Sotk.", "fr", EXT_CLASH,
                "t:sotk");
    /* a capitalised first word after a dateline's dash or a colon opens
     * the sentence: it is a trigger, not a name */
    expect_pair("Title\n\nGoris, September 14 \u2013 Artillery fire hit the outskirts of Sotk.",
                "en", EXT_SHELLING, "t:sotk");
    expect_pair("Titre\n\nVARDENIS : Bombardements sur Sotk dans la nuit.", "fr", EXT_SHELLING,
                "t:sotk");
    /* targeting in the present, a place taken as a target */
    expect_pair("Title\n\nThe artillery again target Sotk and Kut villages.", "en", EXT_SHELLING,
                "t:sotk");
    expect_pair("Titre\n\nL'armée a pris pour cible la ville de Vardenis.", "fr", EXT_SHELLING,
                "t:vardenis");
    /* fighting told with other verbs */
    expect_pair("Title\n\nThe two armies fought near Terter on Monday.", "en", EXT_CLASH,
                "t:terter");
    expect_pair("Title\n\nTroops exchanged fire near Sotk.", "en", EXT_CLASH, "t:sotk");
    expect_pair("Title\n\nThe army repelled penetration attempts near Vardenis.", "en", EXT_CLASH,
                "t:vardenis");
    expect_pair("Titre\n\nL'armée a réussi à libérer les villes de Terter et de Goris.", "fr",
                EXT_CLASH, "t:goris");
    expect_pair("Titre\n\nSa ville, Terter, est tombée sous contrôle ennemi.", "fr", EXT_CLASH,
                "t:terter");
    /* a change of hands in every voice and tense (GUIDE.md: a capture is a
     * clash at the place): announcements of villages taken or retaken */
    expect_pair("Title\n\nThe villages of Sotk and Kut have been taken over by the army.", "en",
                EXT_CLASH, "t:kut-am");
    expect_pair("Title\n\nThe army is seizing Vardenis after a week.", "en", EXT_CLASH,
                "t:vardenis");
    expect_pair("Title\n\nTroops regained control of Terter on Friday.", "en", EXT_CLASH,
                "t:terter");
    expect_pair("Title\n\nGoris was retaken by the rebels.", "en", EXT_CLASH, "t:goris");
    expect_pair("Title\n\nVardenis has fallen to the separatists.", "en", EXT_CLASH,
                "t:vardenis");
    expect_pair("Titre\n\nL'armée s'est emparée de Vardenis dimanche.", "fr", EXT_CLASH,
                "t:vardenis");
    expect_pair("Titre\n\nLes troupes ont repris le contrôle de Terter.", "fr", EXT_CLASH,
                "t:terter");
    expect_pair("Titre\n\nGoris est tombée entre les mains des séparatistes.", "fr", EXT_CLASH,
                "t:goris");
    expect_pair("Titre\n\nLes forces ont reconquis Sotk et Kut.", "fr", EXT_CLASH, "t:sotk");
    /* the 2023 offensive under its official name, and attempts to advance */
    expect_pair("Title\n\nBaku announced an anti-terrorist operation in Karabakh.", "en",
                EXT_CLASH, "t:nk");
    expect_pair("Titre\n\nL'armée a lancé une opération antiterroriste au Haut-Karabakh.", "fr",
                EXT_CLASH, "t:nk");
    expect_pair("Title\n\nUnits resisted attempts to advance into Karabakh.", "en", EXT_CLASH,
                "t:nk");
    /* a span of fighting sums a war up, it tells no incident at its place;
     * an event told after it still counts */
    {
        ext_result r = run_pairs("Title\n\nMany in Goris remember the last round of fighting.",
                                 "en");
        CHECK(!has_pair(&r, EXT_CLASH, "t:goris"));
        ext_result_free(&r);
        r = run_pairs("Titre\n\nAprès six semaines de combats pour Terter, la trêve tient.", "fr");
        CHECK(!has_pair(&r, EXT_CLASH, "t:terter"));
        ext_result_free(&r);
        r = run_pairs("Title\n\nMonths of fighting around Terter ended in a truce.", "en");
        CHECK(!has_pair(&r, EXT_CLASH, "t:terter"));
        ext_result_free(&r);
    }
    expect_pair("Title\n\nAfter weeks of fighting, the army captured Terter.", "en", EXT_CLASH,
                "t:terter");
    /* flight, refuge, arrival */
    expect_pair("Title\n\nMost residents have left for Goris, officials said.", "en", EXT_EVACUATION,
                "t:goris");
    expect_pair("Title\n\nFamilies were relocated to Goris after the shelling.", "en",
                EXT_EVACUATION, "t:goris");
    expect_pair("Titre\n\nLes familles ont été relogées à Goris.", "fr", EXT_EVACUATION,
                "t:goris");
    /* ".?" at the end of a scraped sentence is not a question */
    expect_pair("Title\n\nArrivals of refugees have been reported in Goris.?", "en", EXT_EVACUATION,
                "t:goris");
}


/* Places the gazetteer lacks (docs/extraction.md): a name introduced as a
 * place gets the point of the smallest unit the sentence gives, geo_prec 3,
 * the unit in place_unit, the name as written; it is listed, never dropped.
 * Theatre first: a namesake far away, found by a transliteration key, never
 * carries it. */
static void test_unplaced(void)
{
    static const struct {
        const char *text, *lang, *place, *unit;
    } cases[] = {
        {"Title\n\nArtillery shelled the village of Zorakert in the Syunik province.", "en",
         "Zorakert", "Syunik"},
        {"Titre\n\nLes villages de Tsaghkavan, Norashen et Zorakert, dans la région du "
         "Gegharkunik, ont été bombardés.", "fr", "Norashen", "Gegharkunik"},
        {"Title\n\nShelling hit Aygedzor and Norashen villages of Syunik province.", "en",
         "Aygedzor", "Syunik"},
        {"Title\n\nTroops shelled Zangibeyli, in the Syunik province, on Monday.", "en",
         "Zangibeyli", "Syunik"},
        /* a region with no admin1 of its own is the village's admin1 */
        {"Title\n\nArtillery shelled the village of Madrakert in Nagorno-Karabakh.", "en",
         "Madrakert", "Haut-Karabakh"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rd_doc d = {0};
        char id[] = "t.txt";
        d.id = id;
        d.text = strdup(cases[c].text);
        d.text_len = strlen(d.text);
        snprintf(d.published, sizeof d.published, "2022-09-14");
        snprintf(d.lang, sizeof d.lang, "%s", cases[c].lang);
        ext_result r = {0};
        ext_options o = {0};
        o.keep_pairs = true;
        o.min_confidence = 1e-6; /* every candidate a report: the placement is tested */
        cx_err err;
        cx_err_clear(&err);
        CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
        free(d.text);
        const ext_incident *hit = NULL;
        for (size_t i = 0; i < r.n; i++)
            if (r.items[i].type == EXT_SHELLING && strcmp(r.items[i].place, cases[c].place) == 0)
                hit = &r.items[i];
        if (!hit)
            fprintf(stderr, "no shelling at %s in: %s\n", cases[c].place, cases[c].text);
        CHECK(hit != NULL);
        if (hit) {
            CHECK_INT_EQ(hit->geo_prec, 3);
            CHECK_STR_EQ(hit->place_unit, cases[c].unit);
            CHECK_STR_EQ(hit->admin1, cases[c].unit); /* the unit's, never none */
            CHECK(strncmp(hit->place_id, "unplaced:", 9) == 0);
            CHECK(hit->lat > 38.3 && hit->lat < 41.9); /* never the far namesake */
        }
        /* listed for the analyst, with its unit */
        char want[128];
        snprintf(want, sizeof want, "%s (%s)", cases[c].place, cases[c].unit);
        CHECK(r.unplaced && strstr(r.unplaced, want));
        ext_result_free(&r);
    }
    /* the unit named right after a village contradicts the gazetteer's only
     * place of that name, far from it: the village is one the gazetteer
     * lacks, pinned at the unit, and so are its other mentions */
    ext_result r0 = run_cut("Title\n\nDrones struck the village of Terter in the Syunik province. "
                            "Terter was hit again at noon.",
                            "en", "2022-09-14", 1e-6);
    const ext_incident *t0 = NULL;
    for (size_t i = 0; i < r0.n; i++)
        if (r0.items[i].type == EXT_SHELLING && strcmp(r0.items[i].place, "Terter") == 0)
            t0 = &r0.items[i];
    CHECK(t0 && t0->geo_prec == 3 && strcmp(t0->place_unit, "Syunik") == 0);
    CHECK(find(&r0, EXT_SHELLING, "t:terter") == NULL);
    ext_result_free(&r0);
    /* a sibling in a list is not the unit: "the districts of X, Terter and
     * Goris" pins X nowhere (listed without a unit) */
    r0 = run_cut("Title\n\nTroops shelled the districts of Zorakert, Terter and Goris.", "en",
                 "2022-09-14", 1e-6);
    CHECK(r0.unplaced && strcmp(r0.unplaced, "Zorakert") == 0);
    ext_result_free(&r0);
    /* no unit, but a known village listed with it: pinned there */
    r0 = run_cut("Title\n\nTroops took the villages of Sotk, Zorakert and Aygedzor.", "en",
                 "2022-09-14", 1e-6);
    CHECK(r0.unplaced && strstr(r0.unplaced, "Zorakert (Sotk)") != NULL);
    ext_result_free(&r0);
    /* a lake is a place of the map */
    expect_pair("Titre\n\nDes tirs d'artillerie ont été entendus du lac de Sevan jusqu'à Goris.",
                "fr", EXT_SHELLING, "t:sevan");
    /* a headline's capitalised place noun does not make the name a person's */
    expect_pair("Shooting near Sotk Village, Soldiers Wounded\n\nText.", "en", EXT_CLASH, "t:sotk");
    /* a far namesake reached by a transliteration key, not introduced as a
     * place and with no unit: no pin at all, and not a candidate abroad */
    ext_result r = run_pairs("Title\n\nZangibeyli was shelled on Monday.", "en");
    CHECK(!has_pair(&r, EXT_SHELLING, "t:far"));
    ext_result_free(&r);
    /* a capitalised word that is no place name and not introduced as one
     * is no place: nothing listed */
    r = run_pairs("Title\n\nMonitors from Ostrava said shelling continued.", "en");
    CHECK(r.unplaced == NULL);
    ext_result_free(&r);
}


static bool any_pair_at(const ext_result *r, const char *place_id)
{
    for (size_t i = 0; i < r->n_pairs; i++)
        if (strcmp(r->pairs[i].place_id, place_id) == 0)
            return true;
    return false;
}

static const ext_incident *incident_named(const ext_result *r, const char *place)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].place, place) == 0)
            return &r->items[i];
    return NULL;
}

/* Lists of villages the gazetteer lacks (issue 16): a member is pinned at
 * the smallest enclosure the text gives, a village of its list that the
 * gazetteer knows when that village lies inside the unit the sentence
 * names ("X, Y and Z villages ... of Gegharkunik": X's point, not the
 * province's centre), else the unit. */
static void test_unplaced_lists(void)
{
    static const struct {
        const char *text, *lang, *place, *unit;
    } cases[] = {
        /* a known sibling inside the unit named after the list */
        {"Title\n\nTroops again shelled Sotk, Zorakert and Aygedzor villages, the emergency "
         "service of Gegharkunik said on Monday.", "en", "Zorakert", "Sotk"},
        {"Titre\n\nLes villages de Sotk, Zorakert et Aygedzor, dans la région du Gegharkunik, "
         "ont été bombardés.", "fr", "Aygedzor", "Sotk"},
        /* a known sibling far outside the unit: the unit holds it */
        {"Title\n\nTroops shelled Goris, Zorakert and Aygedzor villages of the Gegharkunik "
         "province.", "en", "Zorakert", "Gegharkunik"},
        /* a range and a direction: both ends are candidates */
        {"Title\n\nArtillery fire was heard from Zorakert to Aygedzor, in the Syunik province.",
         "en", "Aygedzor", "Syunik"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ext_result r = run_cut(cases[c].text, cases[c].lang, "2022-09-14", 1e-6);
        const ext_incident *hit = incident_named(&r, cases[c].place);
        if (!hit || strcmp(hit->place_unit, cases[c].unit) != 0)
            fprintf(stderr, "%s not at %s in: %s\n", cases[c].place, cases[c].unit, cases[c].text);
        CHECK(hit != NULL);
        if (hit) {
            CHECK_INT_EQ(hit->geo_prec, 3);
            CHECK_STR_EQ(hit->place_unit, cases[c].unit);
            CHECK(strncmp(hit->place_id, "unplaced:", 9) == 0);
        }
        ext_result_free(&r);
    }
    /* every member of a list tied to the event gets a candidate, and
     * two unplaced members stay two pins */
    ext_result r = run_pairs("Title\n\nAzerbaijani forces began firing towards the towns of Goris, "
                             "Vardenis and Sotk and the villages of Zorakert and Aygedzor, in the "
                             "Gegharkunik province.",
                             "en");
    CHECK(any_pair_at(&r, "t:goris") && any_pair_at(&r, "t:vardenis") && any_pair_at(&r, "t:sotk"));
    CHECK(any_pair_at(&r, "unplaced:zorakert") && any_pair_at(&r, "unplaced:aygedzor"));
    ext_result_free(&r);
    /* an apposition is no list: a name after "the town of X," that no
     * further member follows is a person, never an unplaced village */
    r = run_pairs("Title\n\nThe mayor of the town of Goris, Vardan Petrosyan, told reporters that "
                  "hundreds of residents had fled.",
                  "en");
    CHECK(any_pair_at(&r, "t:goris"));
    CHECK(!any_pair_at(&r, "unplaced:vardan petrosyan"));
    ext_result_free(&r);
    r = run_pairs("Title\n\nResidents fled the villages of Goris, Zorakert, Aygedzor and Sotk.", "en");
    CHECK(any_pair_at(&r, "unplaced:zorakert") && any_pair_at(&r, "unplaced:aygedzor"));
    ext_result_free(&r);
    /* no place noun, but listed with a village the gazetteer knows: the
     * list is one of villages, each its own pin at that village */
    r = run_cut("Title\n\nShelling hit Zorakert, Aygedzor and Sotk on Monday.", "en", "2022-09-14",
                1e-6);
    const ext_incident *z = incident_named(&r, "Zorakert");
    CHECK(z && z->geo_prec == 3 && strcmp(z->place_unit, "Sotk") == 0);
    CHECK(incident_named(&r, "Aygedzor") != NULL);
    ext_result_free(&r);
    /* not a list: a comma, then a capital that speaks; nor a list of
     * names with no known village */
    r = run_cut("Titre\n\nUn soldat tué près de Zorakert, Bakou accuse Erevan.", "fr", "2022-09-14",
                1e-6);
    z = incident_named(&r, "Zorakert");
    CHECK(z == NULL || strcmp(z->place_unit, "Bakou") != 0);
    ext_result_free(&r);
    /* a listed village whose only namesake lies far from every other
     * place of its sentence (those close together) is one the gazetteer
     * lacks, at a village of its list; not with a single other place */
    r = run_cut("Title\n\nArtillery shelled Stepanakert, Goris and Sarnaghbyur on Monday.", "en",
                "2022-09-14", 1e-6);
    const ext_incident *sa = incident_named(&r, "Sarnaghbyur");
    CHECK(sa && sa->geo_prec == 3 && strncmp(sa->place_id, "unplaced:", 9) == 0 && sa->lat < 40.2);
    CHECK(r.unplaced && strstr(r.unplaced, "Sarnaghbyur (") != NULL);
    ext_result_free(&r);
    r = run_cut("Title\n\nArtillery shelled Goris and Sarnaghbyur on Monday.", "en", "2022-09-14", 1e-6);
    CHECK(find(&r, EXT_SHELLING, "t:sarn-shirak") != NULL);
    ext_result_free(&r);
    r = run_pairs("Title\n\nPashinyan and Aliyev spoke after shelling hit Sotk.", "en");
    CHECK(r.unplaced == NULL);
    CHECK(any_pair_at(&r, "t:sotk"));
    ext_result_free(&r);
}

/* Places that stand for their authorities are no scene (GUIDE.md, issue
 * 16): a place cited as a source ("according to X", "selon X", "d'après
 * X"), a place speaking as a subject ("X said", "X accused", "Erevan
 * accuse"); and a name known only abroad before a place name is a first
 * name ("Armen Goris said"). The place of the event stays. */
static void test_claimant_places(void)
{
    static const struct {
        const char *text, *lang, *not_id, *id;
    } cases[] = {
        {"Title\n\nShelling hit Sotk on Monday, according to Stepanakert.", "en", "t:stepanakert",
         "t:sotk"},
        {"Title\n\nArmenian forces shelled Terter on Monday. Vardenis also came under fire, "
         "according to Stepanakert.", "en", "t:stepanakert", "t:vardenis"},
        {"Titre\n\nSelon Stepanakert, les forces azerbaïdjanaises ont bombardé Sotk lundi.", "fr",
         "t:stepanakert", "t:sotk"},
        {"Titre\n\nD'après Stepanakert, l'artillerie a bombardé Sotk lundi.", "fr",
         "t:stepanakert", "t:sotk"},
        {"Title\n\nShelling hit Sotk on Monday, Stepanakert said.", "en", "t:stepanakert",
         "t:sotk"},
        {"Title\n\nStepanakert accused Baku of shelling Sotk on Monday.", "en", "t:stepanakert",
         "t:sotk"},
        {"Titre\n\nStepanakert accuse les forces azerbaïdjanaises d'avoir bombardé Sotk lundi.",
         "fr", "t:stepanakert", "t:sotk"},
        {"Title\n\nArmen Goris said artillery shelled Sotk on Monday.", "en", "t:goris", "t:sotk"},
        {"Title\n\nThe Stepanakert-based rescue service said shelling hit Sotk on Monday.", "en",
         "t:stepanakert", "t:sotk"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ext_result r = run_pairs(cases[c].text, cases[c].lang);
        if (any_pair_at(&r, cases[c].not_id) || !any_pair_at(&r, cases[c].id))
            fprintf(stderr, "wrong places in: %s\n", cases[c].text);
        CHECK(!any_pair_at(&r, cases[c].not_id));
        CHECK(any_pair_at(&r, cases[c].id));
        ext_result_free(&r);
    }
    /* the same places as scenes stay candidates: shelled, with a reporter
     * elsewhere in the sentence; a list after "according to Baku" */
    ext_result r = run_pairs("Title\n\nStepanakert was shelled on Monday, officials said.", "en");
    CHECK(any_pair_at(&r, "t:stepanakert"));
    ext_result_free(&r);
    r = run_pairs("Title\n\nAccording to Baku, Terter and Vardenis were shelled on Monday.", "en");
    CHECK(any_pair_at(&r, "t:terter") && any_pair_at(&r, "t:vardenis"));
    ext_result_free(&r);
    r = run_pairs("Title\n\nThe mayor of Vardenis said artillery shelled Sotk on Monday.", "en");
    CHECK(any_pair_at(&r, "t:sotk"));
    ext_result_free(&r);
    r = run_pairs("Title\n\nArtillery shelled Stepanakert on Monday, Baku said.", "en");
    CHECK(any_pair_at(&r, "t:stepanakert"));
    ext_result_free(&r);
}

/* The gate `gazetteer lookup` shows is the one extraction applies. */
static void test_place_gate(void)
{
    cx_place p;
    memset(&p, 0, sizeof p);
    bool kept = true;
    /* a fuzzy key far away (Alibeyli met Örebro) */
    p.lat = 59.27; p.lon = 15.21; p.match = CX_MATCH_TRANSLIT;
    snprintf(p.country, sizeof p.country, "SE");
    CHECK_INT_EQ(ext_place_gate(lex, &p, &kept), EXT_GATE_OUTSIDE);
    CHECK(!kept);
    /* the same key inside the box, outside the focus countries */
    p.lat = 38.65; p.lon = 43.99;
    snprintf(p.country, sizeof p.country, "TR");
    CHECK_INT_EQ(ext_place_gate(lex, &p, &kept), EXT_GATE_BOX);
    CHECK(!kept);
    /* an exact name there is kept (it loses to a namesake in the core) */
    p.match = CX_MATCH_EXACT;
    CHECK_INT_EQ(ext_place_gate(lex, &p, &kept), EXT_GATE_BOX);
    CHECK(kept);
    /* in the core, both kept */
    p.lat = 40.2; p.lon = 45.87;
    snprintf(p.country, sizeof p.country, "AM");
    CHECK_INT_EQ(ext_place_gate(lex, &p, &kept), EXT_GATE_CORE);
    CHECK(kept);
    p.match = CX_MATCH_TRANSLIT;
    CHECK_INT_EQ(ext_place_gate(lex, &p, NULL), EXT_GATE_CORE);
    /* an exact name abroad is never a candidate */
    p.match = CX_MATCH_EXACT;
    p.lat = 32.51; p.lon = 45.82;
    snprintf(p.country, sizeof p.country, "IQ");
    CHECK_INT_EQ(ext_place_gate(lex, &p, &kept), EXT_GATE_OUTSIDE);
    CHECK(!kept);
    /* and extraction never carries the far key match: no pair abroad */
    ext_result r = run_pairs("Title\n\nArtillery shelled the village of Zangibeyli on Monday.", "en");
    CHECK(!any_pair_at(&r, "t:far"));
    ext_result_free(&r);
}

/* Theatre first (issue 16): a transliteration key never carries a match
 * outside the theatre's focus countries, even inside its box; a list
 * sibling known only by such a key is no unit for a village; a village
 * known only by such a key yields to a far unit of its paragraph; closed-
 * class words, news agencies and "Orient" are no places. */
static void test_theatre_core(void)
{
    /* the unit of the paragraph, not the Turkish namesake a sibling's key met */
    ext_result r = run_cut("Title\n\nThe army entered the Syunik province on Monday. The villages of "
                           "Bashkendli, Zorakert and Aygedzor were shelled.",
                           "en", "2022-09-14", 1e-6);
    CHECK(!any_pair_at(&r, "t:far-tr"));
    const ext_incident *z = incident_named(&r, "Zorakert");
    const ext_incident *b = incident_named(&r, "Bashkendli");
    CHECK(z && z->geo_prec == 3 && strcmp(z->place_unit, "Syunik") == 0);
    CHECK(b && b->geo_prec == 3 && strcmp(b->place_unit, "Syunik") == 0);
    CHECK(r.unplaced && strstr(r.unplaced, "Bashkendli (Syunik)") != NULL);
    ext_result_free(&r);
    /* a village of a focus country met by a key, 180 km from the province
     * the paragraph names: the province holds it */
    r = run_cut("Title\n\nFighting raged in the Syunik province. Troops shelled the villages of "
                "Dzhafarli and Zorakert.",
                "en", "2022-09-14", 1e-6);
    CHECK(!any_pair_at(&r, "t:far-am"));
    const ext_incident *d = incident_named(&r, "Dzhafarli");
    CHECK(d && d->geo_prec == 3 && strcmp(d->place_unit, "Syunik") == 0);
    ext_result_free(&r);
    /* no unit anywhere: a sibling known only by a key does not carry its
     * neighbours (Zorakert is listed without a unit, not put in Armavir) */
    r = run_cut("Title\n\nTroops took the villages of Dzhafarli, Zorakert and Aygedzor.", "en",
                "2022-09-14", 1e-6);
    CHECK(r.unplaced && strstr(r.unplaced, "Zorakert") != NULL &&
          strstr(r.unplaced, "Zorakert (") == NULL);
    ext_result_free(&r);
    /* a key of a three-letter name carries nothing unless the text
     * introduces the name as a place */
    r = run_pairs("Title\n\nResidents of Goris, Kos and Sotk fled the shelling.", "en");
    CHECK(!any_pair_at(&r, "t:far-kos") && !any_pair_at(&r, "t:kos-gr"));
    CHECK(any_pair_at(&r, "t:goris"));
    ext_result_free(&r);
    r = run_pairs("Title\n\nThe villages of Kos and Goris were shelled.", "en");
    CHECK(any_pair_at(&r, "t:far-kos"));
    ext_result_free(&r);
    /* a village whose head word alone is a name abroad: the whole run is
     * the place the gazetteer lacks, at its unit */
    r = run_cut("Titre\n\nLes habitants du village de Nor Zarin, dans la province de Syunik, ont "
                "fui les bombardements lundi.",
                "fr", "2022-09-14", 1e-6);
    CHECK(!any_pair_at(&r, "t:nor-fr"));
    const ext_incident *nz = incident_named(&r, "Nor Zarin");
    CHECK(nz && nz->geo_prec == 3 && strcmp(nz->place_unit, "Syunik") == 0);
    CHECK(r.unplaced && strstr(r.unplaced, "Nor Zarin (Syunik)") != NULL);
    ext_result_free(&r);
    /* not introduced as a place: no run taken for one */
    r = run_pairs("Title\n\nNor Zarin said the shelling of Goris continued.", "en");
    CHECK(r.unplaced == NULL || strstr(r.unplaced, "Nor Zarin") == NULL);
    ext_result_free(&r);
    /* closed-class words opening a sentence, an agency, "Orient" */
    static const struct {
        const char *text, *lang, *id;
    } words[] = {
        {"Titre\n\nPlusieurs maisons ont été bombardées à Goris lundi.", "fr", "t:far-plusieurs"},
        {"Title\n\nEach house in Goris was shelled on Monday.", "en", "t:far-each"},
        {"Title\n\nBRUSSELS (Belga) Artillery shelled Goris on Monday.", "en", "t:far-belga"},
        {"Titre\n\nL'association des Amis d'Orient a évacué ses volontaires de Goris après les "
         "bombardements.", "fr", "t:far-orient"},
        {"Titre\n\nLe Moyen-Orient suit les bombardements de Goris.", "fr", "t:far-orient"},
    };
    for (size_t c = 0; c < sizeof words / sizeof words[0]; c++) {
        r = run_pairs(words[c].text, words[c].lang);
        if (any_pair_at(&r, words[c].id) || !any_pair_at(&r, "t:goris"))
            fprintf(stderr, "wrong places in: %s\n", words[c].text);
        CHECK(!any_pair_at(&r, words[c].id));
        CHECK(any_pair_at(&r, "t:goris")); /* the sentence's place stays */
        ext_result_free(&r);
    }
}


/* sub_event_type comes from the words of the trigger's clause, mapped in the
 * lexicon (sub_event_types), never from C */
static void test_sub_event(void)
{
    static const struct {
        const char *text, *lang;
        int type;
        const char *id, *want;
    } cases[] = {
        {"Title\n\nA drone strike hit Sotk on Monday.", "en", EXT_SHELLING, "t:sotk",
         "air/drone strike"},
        {"Title\n\nArtillery shelled Sotk on Monday.", "en", EXT_SHELLING, "t:sotk",
         "artillery/missile"},
        {"Titre\n\nDes tirs de mortiers ont visé Sotk lundi.", "fr", EXT_SHELLING, "t:sotk",
         "artillery/missile"},
        {"Titre\n\nDes combats ont eu lieu près de Sotk lundi.", "fr", EXT_CLASH, "t:sotk",
         "armed clash"},
        {"Titre\n\nLes habitants de Goris ont été évacués lundi.", "fr", EXT_EVACUATION,
         "t:goris", "organised evacuation"},
        {"Title\n\nThousands fled Vardenis on Monday.", "en", EXT_EVACUATION, "t:vardenis",
         "flight"},
        {"Title\n\nHundreds of refugees arrived in Goris on Monday.", "en", EXT_EVACUATION,
         "t:goris", "arrival"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ext_result r = run_cut(cases[c].text, cases[c].lang, "2022-09-14", 1e-6);
        const ext_incident *i = find(&r, cases[c].type, cases[c].id);
        CHECK(i != NULL);
        if (i && strcmp(i->sub_event_type, cases[c].want) != 0)
            fprintf(stderr, "sub_event_type '%s', expected '%s' in: %s\n", i->sub_event_type,
                    cases[c].want, cases[c].text);
        CHECK(i && strcmp(i->sub_event_type, cases[c].want) == 0);
        ext_result_free(&r);
    }
}

static void test_passive_hits(void)
{
    ext_result r = run("Titre\n\nLes villages de Goris, Sotk et Kut ont été touchés lundi.", "fr",
                       "2022-09-14");
    CHECK(find(&r, EXT_SHELLING, "t:goris") != NULL);
    CHECK(find(&r, EXT_SHELLING, "t:sotk") != NULL);
    CHECK(find(&r, EXT_SHELLING, "t:kut-am") != NULL);
    ext_result_free(&r);
    r = run("Titre\n\nLa ville de Vardenis a été visée mardi soir.", "fr", "2022-09-14");
    CHECK(find(&r, EXT_SHELLING, "t:vardenis") != NULL);
    ext_result_free(&r);
    r = run("Title\n\nVardenis was hit on Tuesday evening.", "en", "2022-09-14");
    CHECK(find(&r, EXT_SHELLING, "t:vardenis") != NULL);
    ext_result_free(&r);
}

/* a place emptied of its people, a ghost town: a displacement told by its
 * result */
static void test_emptied(void)
{
    expect_evac("Titre\n\nSous les bombardements, Sotk s'est vidé de ses habitants.", "fr",
                "t:sotk");
    expect_evac("Titre\n\nTerter est devenue une ville fantôme.", "fr", "t:terter");
    expect_evac("Title\n\nShelling has turned Vardenis into a ghost town.", "en", "t:vardenis");
    expect_evac("Titre\n\nNous sommes partis du village de Sotk il y a trois jours.", "fr",
                "t:sotk");
}

static void test_lexicon_classes(void)
{
    /* flight told as a narrative: passé composé with être and agreement,
     * avoir, the present, the gerund; English past and past perfect */
    expect_evac("Titre\n\nNous nous sommes enfuis de Stepanakert avec nos enfants.", "fr",
                "t:stepanakert");
    expect_evac("Titre\n\nElle s'est enfuie de Terter au petit matin.", "fr", "t:terter");
    expect_evac("Titre\n\nIls ont fui Sotk à pied dans la nuit.", "fr", "t:sotk");
    expect_evac("Titre\n\nLes habitants fuient Vardenis par la route du nord.", "fr", "t:vardenis");
    expect_evac("Titre\n\nDes familles fuyant Terter sont arrivées à Goris.", "fr", "t:terter");
    expect_evac("Title\n\nWe fled Stepanakert with only our papers.", "en", "t:stepanakert");
    expect_evac("Title\n\nBy Monday they had fled Terter.", "en", "t:terter");
    expect_evac("Title\n\nThe family escaped to Goris on foot.", "en", "t:goris");
    expect_evac("Title\n\nThousands of people were fleeing Vardenis on Tuesday.", "en", "t:vardenis");

    /* arrivals tied to the displacement */
    expect_evac("Titre\n\nLes réfugiés arrivant à Goris sont accueillis dans une école.", "fr",
                "t:goris");
    expect_evac("Titre\n\nLes premiers réfugiés sont parvenus à Goris dans la soirée.", "fr",
                "t:goris");
    expect_evac("Titre\n\nDes bénévoles enregistrent les nouveaux arrivants à Goris.", "fr",
                "t:goris");
    expect_evac("Title\n\nThe first refugees reached Goris late on Sunday.", "en", "t:goris");
    expect_evac("Title\n\nVolunteers registered the new arrivals in Goris.", "en", "t:goris");

    /* organisations taking their people out of a place */
    expect_evac("Titre\n\nLa France a rapatrié ses ressortissants de Stepanakert.", "fr",
                "t:stepanakert");
    expect_evac("Titre\n\nL'organisation a retiré son personnel de Stepanakert mardi.", "fr",
                "t:stepanakert");
    expect_evac("Title\n\nThe embassy repatriated its citizens from Stepanakert.", "en",
                "t:stepanakert");
    expect_evac("Title\n\nThe agency withdrew its staff from Stepanakert on Monday.", "en",
                "t:stepanakert");
    /* ...but bodies and prisoners sent home are not an evacuation */
    expect_none("Titre\n\nLe rapatriement des corps de deux soldats tués à Terter a eu lieu lundi.",
                "fr", EXT_EVACUATION, "t:terter");
    expect_none("Title\n\nThe repatriation of prisoners from Terter began on Monday.", "en",
                EXT_EVACUATION, "t:terter");

    /* exodus words */
    expect_evac("Titre\n\nLes habitants de Sotk ont quitté leurs maisons dans la nuit.", "fr",
                "t:sotk");
    expect_evac("Titre\n\nLes familles de Vardenis ont été contraintes de quitter le village.",
                "fr", "t:vardenis");
    expect_evac("Title\n\nFamilies in Sotk abandoned their homes overnight.", "en", "t:sotk");

    /* going down to a shelter is not an evacuation */
    expect_none("Titre\n\nÀ Stepanakert, les habitants se sont réfugiés dans les caves.", "fr",
                EXT_EVACUATION, "t:stepanakert");
    expect_none("Titre\n\nÀ Stepanakert, les familles ont trouvé refuge dans les sous-sols.", "fr",
                EXT_EVACUATION, "t:stepanakert");
    expect_none("Title\n\nIn Stepanakert, residents fled to basements.", "en", EXT_EVACUATION,
                "t:stepanakert");
    /* a shelter's name is not a strike */
    expect_none("Titre\n\nLa mairie de Goris a ouvert trois abris anti-bombes.", "fr",
                EXT_SHELLING, "t:goris");
    /* sirens and alerts without a strike */
    ext_result r = run("Titre\n\nLes sirènes d'alerte aux frappes aériennes ont retenti à Goris.",
                       "fr", "2023-09-26");
    CHECK_INT_EQ(r.n, 0);
    ext_result_free(&r);
    r = run("Title\n\nAir raid sirens warning of missile strikes sounded in Vardenis.", "en",
            "2023-09-26");
    CHECK_INT_EQ(r.n, 0);
    ext_result_free(&r);
    /* a world war is another war */
    expect_none("Titre\n\nÀ Terter, durant la Seconde Guerre mondiale, les bombardements étaient "
                "rares.",
                "fr", EXT_SHELLING, "t:terter");
    /* a concessive is not a report */
    expect_none("Titre\n\nMalgré les combats, les habitants de Sotk restent chez eux.", "fr",
                EXT_CLASH, "t:sotk");
    expect_none("Title\n\nDespite the fighting, residents of Sotk stayed in their homes.", "en",
                EXT_CLASH, "t:sotk");
}

/* A title given apart from the text is read as its first line. */
static void test_title_field(void)
{
    rd_doc d = {0};
    char id[] = "t.json", title[] = "Frappes sur Sotk", text[] = "Des obus sont tombés ce matin.";
    d.id = id;
    d.title = title;
    d.text = text;
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "2022-09-13");
    snprintf(d.lang, sizeof d.lang, "fr");
    ext_result r = {0};
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, NULL, &r, &err), 0);
    const ext_incident *i = find(&r, EXT_SHELLING, "t:sotk");
    CHECK(i != NULL);
    if (i)
        CHECK_STR_EQ(i->date, "2022-09-13");
    ext_result_free(&r);
}

static void test_cache(void)
{
    ext_gazcache *c = ext_gazcache_new(&gaz, 4);
    CHECK(c != NULL);
    const ext_gazetteer *g = ext_gazcache_gazetteer(c);
    probe_count = 0;
    CHECK_INT_EQ(g->probe(g->ctx, "goris", 5), 1);
    CHECK_INT_EQ(g->probe(g->ctx, "goris", 5), 1);
    CHECK_INT_EQ(probe_count, 1);
    CHECK_INT_EQ(g->probe(g->ctx, "haut", 4), 2);
    for (int i = 0; i < 10; i++) { /* overflow empties and refills the table */
        char k[24];
        snprintf(k, sizeof k, "k%d", i);
        CHECK_INT_EQ(g->probe(g->ctx, k, strlen(k)), 0);
    }
    /* the overflow freed "goris": asked again, the gazetteer answers */
    int asked = probe_count;
    CHECK_INT_EQ(g->probe(g->ctx, "goris", 5), 1);
    CHECK_INT_EQ(probe_count, asked + 1);
    cx_place out[8];
    size_t n = 0;
    CHECK_INT_EQ(g->lookup(g->ctx, "Kut", 3, out, 8, &n), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(g->lookup(g->ctx, "Kut", 3, out, 8, &n), 0);
    CHECK_INT_EQ(n, 2);
    /* the cached candidates are the gazetteer's, whole, after the table
     * has been emptied and refilled many times (its chunks freed and cut
     * again), and a key longer than a chunk is kept too */
    cx_place first[8];
    memcpy(first, out, sizeof first);
    static char longkey[70000];
    memset(longkey, 'a', sizeof longkey - 1);
    for (int i = 0; i < 50; i++) {
        char k[24];
        snprintf(k, sizeof k, "Nowhere %d", i);
        CHECK_INT_EQ(g->lookup(g->ctx, k, strlen(k), out, 8, &n), 0);
        CHECK_INT_EQ(g->lookup(g->ctx, longkey, sizeof longkey - 1, out, 8, &n), 0);
        CHECK_INT_EQ(g->lookup(g->ctx, "Kut", 3, out, 8, &n), 0);
        CHECK_INT_EQ(n, 2);
        CHECK(memcmp(first, out, 2 * sizeof *out) == 0);
    }
    size_t hits, misses;
    ext_gazcache_stats(c, &hits, &misses);
    CHECK(hits >= 2);
    ext_gazcache_free(c);
}

/* The fatalities and injured of one report at `place` in `text`; -2 when
 * no such report. */
static void tolls_of(const char *text, const char *lang, int type, const char *place, int *killed,
                     int *injured)
{
    ext_result r = run(text, lang, "2020-10-12");
    const ext_incident *x = find(&r, type, place);
    *killed = x ? x->fatalities : -2;
    *injured = x ? x->injured : -2;
    ext_result_free(&r);
}

static void test_tolls(void)
{
    int k, i;
    /* a toll since the start of the war, in the next sentence, is not the
     * shelling's (before: 50 by the follow-up rule) */
    tolls_of("Titre\n\nLa ville de Terter a été bombardée hier. Depuis le début de la guerre, "
             "50 civils ont été tués et 200 blessés.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    CHECK_INT_EQ(i, -1);
    /* the same follow-up sentence without the cue is the shelling's */
    tolls_of("Titre\n\nLa ville de Terter a été bombardée hier. Cinq civils ont été tués et "
             "douze blessés.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, 5);
    CHECK_INT_EQ(i, 12);
    /* a day's toll and the war's total in one sentence: the day's only */
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday, killing two civilians and "
             "wounding seven; the death toll has risen to 61 killed and 280 injured.",
             "en", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, 2);
    CHECK_INT_EQ(i, 7);
    tolls_of("Titre\n\nLes forces arméniennes ont bombardé Terter dimanche, tuant deux civils, "
             "ce qui porte le bilan à 61 morts depuis le 27 septembre.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, 2);
    /* a sentence-leading cue governs the count that follows */
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday. So far, 61 civilians have been "
             "killed in the region.",
             "en", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday. Since September 27, 61 civilians "
             "have been killed.",
             "en", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    tolls_of("Titre\n\nTerter a été bombardée dimanche. Au total, 61 civils ont été tués au cours "
             "des derniers jours.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    /* the toll of a war or of weeks of fighting, even behind a clause word */
    tolls_of("Titre\n\nTerter a été bombardée dimanche, deux ans après une guerre qui a fait "
             "6 500 morts.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday. As of October 10, 61 civilians "
             "had been killed.",
             "en", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    /* the fighting's own toll, told in the next sentence, is the report's */
    tolls_of("Titre\n\nTerter a été bombardée dimanche. Les bombardements ont fait trois morts.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, 3);
    /* "depuis" that is not a date (fired from a place) keeps the toll */
    tolls_of("Titre\n\nTerter a été bombardée dimanche depuis les hauteurs : trois civils ont "
             "été tués.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, 3);
}

/* A toll over a period in the shapes issue 18 left: a clause word between
 * the cue and the count, a campaign's result, spans of dates, durations,
 * totals, published lists; and one incident's counts that look alike but
 * stay. -1: left off; -2: no report. */
static int killed_of(const char *text, const char *lang, int type)
{
    int k, i;
    tolls_of(text, lang, type, "t:terter", &k, &i);
    return k;
}

static void test_toll_shapes(void)
{
    int k, i;
    /* the antecedent of a relative clause governs its count */
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée dimanche par l'armée arménienne, au cœur "
                           "de l'offensive lancée en septembre, qui a fait 200 morts.",
                           "fr", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée dimanche, après trois semaines de combats "
                           "dans la région qui ont fait des centaines de morts.",
                           "fr", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday, as part of an offensive "
                           "which has killed 200 soldiers.",
                           "en", EXT_SHELLING), -1);
    /* a campaign as the subject of the count, or of a result participle */
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday. The military operation "
                           "has left 200 soldiers dead.",
                           "en", EXT_SHELLING), -1);
    tolls_of("Title\n\nAzerbaijan launched an offensive against Terter on Tuesday, resulting in 200 "
             "dead and 400 injured.",
             "en", EXT_CLASH, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    CHECK_INT_EQ(i, -1);
    tolls_of("Titre\n\nL'Azerbaïdjan a lancé mardi une opération militaire contre Terter, faisant 200 "
             "morts et 400 blessés.",
             "fr", EXT_CLASH, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    CHECK_INT_EQ(i, -1);
    /* spans of dates, in the count's part or told right after it */
    tolls_of("Titre\n\nLes forces arméniennes ont bombardé Terter ; 42 civils y ont été tués et 206 "
             "blessés entre le 27 septembre et le 13 octobre.",
             "fr", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    CHECK_INT_EQ(i, -1);
    CHECK_INT_EQ(killed_of("Titre\n\nLes forces arméniennes ont bombardé Terter dimanche ; 42 civils ont "
                           "été tués dans ces attaques, survenues du 27 septembre au 13 octobre.",
                           "fr", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday; 42 civilians were killed "
                           "from September 27 to October 13.",
                           "en", EXT_SHELLING), -1);
    /* durations */
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée dimanche ; 200 soldats ont été tués en "
                           "trois jours.",
                           "fr", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday; 200 soldiers were killed "
                           "in just 48 hours.",
                           "en", EXT_SHELLING), -1);
    /* totals and published lists */
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday. Overall, 200 soldiers have "
                           "been killed.",
                           "en", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday. A total of 200 soldiers "
                           "have been killed.",
                           "en", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée dimanche. Le ministère a publié une liste de "
                           "2 783 militaires tués.",
                           "fr", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday. The ministry published the "
                           "names of 2,783 servicemen killed.",
                           "en", EXT_SHELLING), -1);
    /* thousands, uncounted, are a war's toll */
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday. The sides suffered heavy losses "
             "\u2014 thousands of soldiers were killed and hundreds of civilians were wounded.",
             "en", EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(k, -1);
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée dimanche ; des milliers de soldats ont été "
                           "tués depuis l'automne.",
                           "fr", EXT_SHELLING), -1);
    /* one incident's counts stay */
    tolls_of("Title\n\nArmenian forces shelled Terter on Sunday, wounding 1,250 civilians.", "en",
             EXT_SHELLING, "t:terter", &k, &i);
    CHECK_INT_EQ(i, 1250);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday during the offensive, "
                           "killing two civilians.",
                           "en", EXT_SHELLING), 2);
    CHECK_INT_EQ(killed_of("Titre\n\nDans la nuit du 12 au 13 septembre, trois civils ont été tués par "
                           "des bombardements sur Terter.",
                           "fr", EXT_SHELLING), 3);
    CHECK_INT_EQ(killed_of("Titre\n\nTerter a été bombardée pendant deux heures dimanche, faisant trois "
                           "morts.",
                           "fr", EXT_SHELLING), 3);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter for over three hours on Sunday, "
                           "killing two civilians.",
                           "en", EXT_SHELLING), 2);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday; 200 soldiers have been "
                           "killed over three weeks.",
                           "en", EXT_SHELLING), -1);
    CHECK_INT_EQ(killed_of("Title\n\nThe shelling of Terter on Sunday, which killed three civilians, "
                           "was condemned.",
                           "en", EXT_SHELLING), 3);
    CHECK_INT_EQ(killed_of("Titre\n\nLes bombardements de Terter, qui ont fait trois morts dimanche, ont "
                           "été condamnés.",
                           "fr", EXT_SHELLING), 3);
    CHECK_INT_EQ(killed_of("Title\n\nArmenian forces shelled Terter on Sunday; between 10 and 20 soldiers "
                           "were killed.",
                           "en", EXT_SHELLING), 20);
}

/* Within one article, reports of one incident that give different counts
 * give a range, as across articles: the lowest and the highest. */
static void test_toll_range_in_doc(void)
{
    ext_result r = run("Titre\n\nLes forces arméniennes ont bombardé Terter dimanche, tuant deux civils. "
                       "Selon l'hôpital, le bombardement de Terter a fait trois morts.",
                       "fr", "2020-10-12");
    const ext_incident *x = find(&r, EXT_SHELLING, "t:terter");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT_EQ(x->fatalities, 2);
        CHECK_INT_EQ(x->fatalities_max, 3);
    }
    ext_result_free(&r);
    r = run("Title\n\nArmenian forces shelled Terter on Sunday, wounding five civilians. The shelling "
            "of Terter on Sunday wounded seven people, according to the hospital.",
            "en", "2020-10-12");
    x = find(&r, EXT_SHELLING, "t:terter");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT_EQ(x->injured, 5);
        CHECK_INT_EQ(x->injured_max, 7);
        CHECK_INT_EQ(x->fatalities_max, -1);
    }
    ext_result_free(&r);
    /* reports that agree give no range */
    r = run("Title\n\nArmenian forces shelled Terter on Sunday, wounding five civilians. The shelling "
            "of Terter on Sunday wounded five people, according to the hospital.",
            "en", "2020-10-12");
    x = find(&r, EXT_SHELLING, "t:terter");
    CHECK(x != NULL);
    if (x) {
        CHECK_INT_EQ(x->injured, 5);
        CHECK_INT_EQ(x->injured_max, -1);
    }
    ext_result_free(&r);
}

/* ===== Issue 21: where the evidence names the trigger and the place ===== */

/* The text of span `sp` of `ev` ("" when none), into buf. */
static const char *span_text(const char *ev, ext_span sp, char *buf, size_t size)
{
    buf[0] = '\0';
    if (ev && sp.start >= 0 && sp.end > sp.start && (size_t)sp.end <= strlen(ev) &&
        (size_t)(sp.end - sp.start) < size) {
        memcpy(buf, ev + sp.start, (size_t)(sp.end - sp.start));
        buf[sp.end - sp.start] = '\0';
    }
    return buf;
}

static void check_spans(const ext_incident *inc, const char *trig, const char *place)
{
    char b[128];
    CHECK(inc != NULL);
    if (!inc)
        return;
    if (trig)
        CHECK_STR_EQ(span_text(inc->evidence, inc->trig_span, b, sizeof b), trig);
    else
        CHECK_INT_EQ(inc->trig_span.start, EXT_SPAN_NONE);
    if (place)
        CHECK_STR_EQ(span_text(inc->evidence, inc->place_span, b, sizeof b), place);
    else
        CHECK_INT_EQ(inc->place_span.start, EXT_SPAN_NONE);
}

/* Structural, whatever the weights: every candidate is made a report (a
 * cut near 0), and the spans point at the trigger of the pair and the
 * place's mention. */
static void test_spans(void)
{
    /* French, accents before both: bytes and characters differ */
    ext_result r = run_cut("Titre\n\nSelon Bakou, la ville arménienne de Terter a été pilonnée "
                           "hier par les forces azerbaïdjanaises.",
                           "fr", "2020-09-28", 1e-6);
    const ext_incident *t = find(&r, EXT_SHELLING, "t:terter");
    check_spans(t, "pilonnée", "Terter");
    if (t) {
        CHECK(ext_utf8_chars(t->evidence, t->trig_span.start) < t->trig_span.start);
        CHECK_INT_EQ(ext_utf8_chars(t->evidence, t->trig_span.end) -
                         ext_utf8_chars(t->evidence, t->trig_span.start), 8); /* pilonnée */
        CHECK_INT_EQ(t->trig_span.end - t->trig_span.start, 9);
    }
    ext_result_free(&r);

    /* English; the place before the trigger */
    r = run_cut("Title\n\nIn Sotk, Azerbaijani forces shelled houses on Tuesday.", "en", "2022-09-13",
                1e-6);
    check_spans(find(&r, EXT_SHELLING, "t:sotk"), "shelled", "Sotk");
    ext_result_free(&r);

    /* the evidence collapses spaces and tabs: the spans follow it */
    r = run_cut("Titre\n\nLes  forces  azerbaïdjanaises\tont  bombardé   Goris  hier.", "fr",
                "2022-09-13", 1e-6);
    const ext_incident *g = find(&r, EXT_SHELLING, "t:goris");
    check_spans(g, "bombardé", "Goris");
    if (g)
        CHECK_STR_EQ(g->evidence, "Les forces azerbaïdjanaises ont bombardé Goris hier.");
    ext_result_free(&r);

    /* a casualty follow-up has no trigger in its sentence: none, its place */
    r = run_cut("Titre\n\nLes forces azerbaïdjanaises ont bombardé Goris hier. À Sotk, deux "
                "civils ont été tués.",
                "fr", "2022-09-13", 1e-6);
    const ext_incident *f = find(&r, EXT_SHELLING, "t:sotk");
    check_spans(f, NULL, "Sotk");
    if (f)
        CHECK(strstr(f->evidence, "tués") != NULL);
    check_spans(find(&r, EXT_SHELLING, "t:goris"), "bombardé", "Goris");
    ext_result_free(&r);

    /* a pair with the paragraph's scene: its place is in another sentence */
    r = run_cut("Title\n\nHeavy fighting broke out near Vardenis on Monday. The shelling "
                "continued through the night.",
                "en", "2022-09-13", 1e-6);
    const ext_incident *v = NULL;
    for (size_t i = 0; i < r.n; i++)
        if (r.items[i].type == EXT_SHELLING && strcmp(r.items[i].place_id, "t:vardenis") == 0 &&
            strstr(r.items[i].evidence, "night"))
            v = &r.items[i];
    CHECK(v != NULL);
    if (v) {
        char b[64];
        CHECK_INT_EQ(v->place_span.start, EXT_SPAN_NONE);
        CHECK_STR_EQ(span_text(v->evidence, v->trig_span, b, sizeof b), "shelling");
    }
    ext_result_free(&r);
}

/* A headline's report whose evidence moves to a body sentence (what
 * cli/cmd_extract.c does with every report): the trigger of the body's
 * report folded into it, when that sentence holds it; none otherwise. */
static void test_spans_headline(void)
{
    rd_doc d = {0};
    char id[] = "t.json", title[] = "Bombardements à Goris",
         text[] = "Erevan, 14 septembre – La ville arménienne de Goris a été bombardée mercredi "
                  "par l'armée azerbaïdjanaise. Les dégâts sont importants.";
    d.id = id;
    d.title = title;
    d.text = text;
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "2022-09-14");
    snprintf(d.lang, sizeof d.lang, "fr");
    ext_options o = {0};
    o.min_confidence = 1e-6;
    ext_result r = {0};
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
    ext_incident *g = NULL;
    for (size_t i = 0; i < r.n; i++)
        if (r.items[i].type == EXT_SHELLING && strcmp(r.items[i].place_id, "t:goris") == 0)
            g = &r.items[i];
    CHECK(g != NULL);
    if (g) {
        CHECK_STR_EQ(g->evidence, "Bombardements à Goris"); /* the headline's report... */
        check_spans(g, "Bombardements", "Goris");
        CHECK_INT_EQ(ext_incident_prefer_body(g, title, text, strlen(text)), 0);
        CHECK(strncmp(g->evidence, "Erevan, 14 septembre", 20) == 0); /* ...moves */
        check_spans(g, "bombardée", "Goris");
    }
    ext_result_free(&r);

    /* without a folded report in that sentence: the place only */
    ext_incident inc;
    ext_incident_init(&inc);
    inc.evidence = strdup("Bombardements à Goris");
    snprintf(inc.place, sizeof inc.place, "Goris");
    inc.trig_span = (ext_span){0, 13};
    inc.place_span = (ext_span){17, 22};
    CHECK_INT_EQ(ext_incident_prefer_body(&inc, title, text, strlen(text)), 0);
    check_spans(&inc, NULL, "Goris");
    ext_incident_clear(&inc);

    /* the place marked is the name as a whole word, not inside another */
    const char *t2 = "Bombardements à Goris\nLes Gorisiens disent que Goris a été touchée.";
    ext_incident_init(&inc);
    inc.evidence = strdup("Bombardements à Goris");
    snprintf(inc.place, sizeof inc.place, "Goris");
    CHECK_INT_EQ(ext_incident_prefer_body(&inc, NULL, t2, strlen(t2)), 0);
    CHECK_STR_EQ(inc.evidence, "Les Gorisiens disent que Goris a été touchée.");
    CHECK_INT_EQ(inc.place_span.start, 25);
    check_spans(&inc, NULL, "Goris");
    ext_incident_clear(&inc);

    /* bytes and characters */
    CHECK_INT_EQ(ext_utf8_chars("à Goris", 3), 2);
    CHECK_INT_EQ(ext_utf8_bytes("à Goris", 2), 3);
    CHECK_INT_EQ(ext_utf8_bytes("à Goris", 7), 8);
    CHECK_INT_EQ(ext_utf8_bytes("à Goris", 8), EXT_SPAN_UNKNOWN);
    CHECK_INT_EQ(ext_utf8_chars("à Goris", EXT_SPAN_NONE), EXT_SPAN_NONE);
    CHECK_INT_EQ(ext_span_check((ext_span){3, 9}, "à Goris").start, EXT_SPAN_UNKNOWN);
    CHECK_INT_EQ(ext_span_check((ext_span){3, 8}, "à Goris").end, 8);
    CHECK_INT_EQ(ext_span_check((ext_span){EXT_SPAN_NONE, 0}, "x").start, EXT_SPAN_NONE);
}

/* A text that opens on its body (read/boiler.c dropped the furniture over
 * its first paragraph: rd_doc.untitled) has no title: its first sentence
 * is the lead, not a headline whose places are the scene of the sentences
 * that name none. */
static size_t pairs_of_sentence(const char *text, bool untitled, size_t si)
{
    rd_doc d = {0};
    char id[] = "u.txt";
    d.id = id;
    d.text = strdup(text);
    d.text_len = strlen(text);
    d.untitled = untitled;
    snprintf(d.published, sizeof d.published, "2022-09-14");
    snprintf(d.lang, sizeof d.lang, "fr");
    ext_result r = {0};
    ext_options o = {0};
    o.keep_pairs = true;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
    size_t n = 0;
    for (size_t i = 0; i < r.n_pairs; i++)
        n += r.pairs[i].sentence == si;
    ext_result_free(&r);
    free(d.text);
    return n;
}

static void test_untitled(void)
{
    const char *t = "Des obus sont tombés sur Goris lundi, a indiqué la mairie.\n"
                    "Le bombardement a repris dans la nuit, selon les secours.\n";
    /* titled: the first line is the headline, Goris the scene of the second */
    CHECK(pairs_of_sentence(t, false, 1) > 0);
    /* untitled: two paragraphs of the body, the second names no place */
    CHECK_INT_EQ((long)pairs_of_sentence(t, true, 1), 0);
    CHECK(pairs_of_sentence(t, true, 0) > 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_extract DATA_DIR FIXTURE_DIR\n");
        return 2;
    }
    cx_err err;
    cx_err_clear(&err);
    lex = ext_lexicon_load(argv[1], "armenia-azerbaijan", &err);
    if (!lex) {
        fprintf(stderr, "%s:%ld: %s\n", err.source, err.line, err.msg);
        return 1;
    }
    test_tokens();
    test_phrase_second_word();
    test_dates();
    test_lexicon_errors(argv[2]);
    test_incidents();
    test_claims();
    test_lexicon_classes();
    test_passive_hits();
    test_candidate_forms();
    test_unplaced();
    test_theatre_core();
    test_unplaced_lists();
    test_claimant_places();
    test_place_gate();
    test_sub_event();
    test_emptied();
    test_title_field();
    test_cache();
    test_tolls();
    test_toll_shapes();
    test_toll_range_in_doc();
    test_spans();
    test_spans_headline();
    test_untitled();
    ext_lexicon_free(lex);
    CHECK_DONE();
}
