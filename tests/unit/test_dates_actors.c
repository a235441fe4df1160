/* test_dates_actors.c -- dates and actor side through the whole extractor,
 * on sentences written for these tests (issue 16: dates and actors on
 * unseen articles), with the in-memory gazetteer of fake_gazetteer.h and
 * the real lexicons, conflict file and model (data/). Each block names the
 * class of sentences it covers:
 *   dates:  datelines, publication dates known to the year or the month
 *           (read and resolution), "la veille" / "the day before", a date
 *           carried from the sentence before against a background date in
 *           the paragraph, anniversaries and past wars named by the
 *           conflict file, live-blog stamps;
 *   actors: "the enemy" / "l'adversaire" by claimant, a possessor or an
 *           adjective of the object after a trigger, the claimant of the
 *           paragraph, each ministry accusing the other, "according to
 *           Baku" / "selon Erevan", passive agents, separatists, the
 *           holder of a town that changed hands at the event's date.
 * The actor cues are checked on the pairs' actor features (model.h,
 * EXTA_LIST: +1 points to Armenia, the conflict's first focus party, -1 to
 * Azerbaijan), which do not depend on the fitted weights; the actor1 of a
 * report is checked where the cues and the controller of the place agree.
 * Calendar: 2020-10-04 is a Sunday, 2022-09-13 a Tuesday. */
#include "check.h"
#include "extract.h"
#include "fake_gazetteer.h"
#include "lexicon.h"
#include "read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ext_lexicon *lex;
/* 0: the model's threshold; else every candidate at least this confident is
 * a report (a date test that does not depend on which pairs the weights
 * keep) */
static double cut;

static ext_result run(const char *text, const char *lang, const char *published)
{
    rd_doc d = {0};
    char id[] = "t.txt";
    d.id = id;
    d.text = strdup(text);
    d.text_len = strlen(text);
    snprintf(d.published, sizeof d.published, "%s", published ? published : "");
    snprintf(d.lang, sizeof d.lang, "%s", lang);
    snprintf(d.source, sizeof d.source, "t.txt");
    ext_result r = {0};
    ext_options o = {0};
    o.keep_pairs = true;
    o.min_confidence = cut;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(ext_extract(lex, &gaz, &d, &o, &r, &err), 0);
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

/* The date of the report of `type` at `place_id` in `text`. */
static void check_date(const char *text, const char *lang, const char *pub, int type,
                       const char *place_id, const char *want)
{
    ext_result r = run(text, lang, pub);
    const ext_incident *inc = find(&r, type, place_id);
    if (!inc || strcmp(inc->date, want) != 0)
        fprintf(stderr, "  date at %s of \"%s\" (%s, published %s): got %s\n", place_id, text, lang,
                pub ? pub : "?", inc ? inc->date : "no report");
    if (!inc)
        for (size_t i = 0; i < r.n; i++)
            fprintf(stderr, "    (reported: %s at %s, %s)\n", ext_type_name(r.items[i].type),
                    r.items[i].place_id, r.items[i].date);
    CHECK(inc != NULL);
    if (inc)
        CHECK_STR_EQ(inc->date, want);
    ext_result_free(&r);
}

/* The actor1 label of the report of `type` at `place_id`. */
static void check_actor(const char *text, const char *lang, const char *pub, int type,
                        const char *place_id, const char *want)
{
    ext_result r = run(text, lang, pub);
    const ext_incident *inc = find(&r, type, place_id);
    if (!inc || strcmp(inc->actor1, want) != 0)
        fprintf(stderr, "  actor1 at %s of \"%s\": got %s\n", place_id, text,
                inc ? inc->actor1 : "no report");
    CHECK(inc != NULL);
    if (inc)
        CHECK_STR_EQ(inc->actor1, want);
    ext_result_free(&r);
}

static int actor_feature(const char *name)
{
    for (int i = 0; ext_actor_feature_name(i); i++)
        if (strcmp(ext_actor_feature_name(i), name) == 0)
            return i;
    return -1;
}

/* Actor feature `name` of the first pair of `type` at `place_id` whose
 * trigger is in sentence `sent` (the title is 0). */
static void check_cue(const char *text, const char *lang, const char *pub, int type,
                      const char *place_id, size_t sent, const char *name, float want)
{
    int f = actor_feature(name);
    CHECK(f >= 0);
    ext_result r = run(text, lang, pub);
    const ext_pair *p = NULL;
    for (size_t i = 0; i < r.n_pairs && !p; i++)
        if (r.pairs[i].type == type && r.pairs[i].sentence == sent &&
            strcmp(r.pairs[i].place_id, place_id) == 0)
            p = &r.pairs[i];
    if (!p || f < 0 || p->ax[f] != want)
        fprintf(stderr, "  %s at %s (sentence %zu) of \"%s\": got %g, want %g\n", name, place_id,
                sent, text, p && f >= 0 ? (double)p->ax[f] : -99.0, (double)want);
    CHECK(p != NULL);
    if (p && f >= 0)
        CHECK(p->ax[f] == want);
    ext_result_free(&r);
}

#define AM 1.0f
#define AZ (-1.0f)
#define NONE 0.0f
static const char *const ARMENIA = "Military Forces of Armenia";
static const char *const AZERBAIJAN = "Military Forces of Azerbaijan";

/* ===== Dates ===== */

/* A dateline gives the day the report was filed: relative dates resolve
 * against it when the publication date is unknown, known only to its month
 * or year, or a few days later; it is never the event's date by itself
 * being nearest. */
static void test_datelines(void)
{
    const char *fr = "Combats\n\nErevan, 14 septembre 2022 (AFP) - L'armée azerbaïdjanaise a "
                     "bombardé Goris mardi, selon le ministère arménien.";
    check_date(fr, "fr", NULL, EXT_SHELLING, "t:goris", "2022-09-13");
    check_date(fr, "fr", "2022-09", EXT_SHELLING, "t:goris", "2022-09-13");
    check_date(fr, "fr", "2022", EXT_SHELLING, "t:goris", "2022-09-13");
    /* the page dated a day after the wire story: "yesterday" of the story */
    const char *en = "Border\n\nGORIS, Sept 14 (Reuters) - Azerbaijani forces shelled Sotk "
                     "yesterday, the Armenian defence ministry said.";
    check_date(en, "en", "2022-09-15", EXT_SHELLING, "t:sotk", "2022-09-13");
    check_date(en, "en", "2022-09-14", EXT_SHELLING, "t:sotk", "2022-09-13");
    /* a dateline a week before publication is no anchor (an old story
     * reposted): the publication date stays */
    check_date(en, "en", "2022-09-21", EXT_SHELLING, "t:sotk", "2022-09-20");
    /* the dateline's date is the filing day, not the night it reports */
    check_date("Combats\n\nErevan, 14 septembre (AFP) - L'armée azerbaïdjanaise a bombardé Sotk "
               "dans la nuit de lundi à mardi, selon le ministère arménien.",
               "fr", "2022-09-14", EXT_SHELLING, "t:sotk", "2022-09-13");
    /* a first line that tells something is no dateline */
    check_date("Frontière\n\nLes forces azerbaïdjanaises ont bombardé Sotk le 12 septembre - un "
               "village déjà touché hier.",
               "fr", "2022-09", EXT_SHELLING, "t:sotk", "2022-09-12");
}

/* Publication dates known to the year or the month: read, not dropped, and
 * relative dates resolve at that precision (stated days keep their day). */
static void test_coarse_publication(void)
{
    static const char json[] =
        "{\"id\": \"y1\", \"published\": \"2020\", \"lang\": \"en\", \"text\": \"War\\n\\n"
        "Armenian forces shelled Terter yesterday.\"}\n"
        "{\"id\": \"m1\", \"published\": \"2020-07\", \"text\": \"x\"}\n"
        "{\"id\": \"n1\", \"published\": \"20201\", \"text\": \"x\"}\n";
    cx_err err;
    cx_err_clear(&err);
    rd_reader *rd = rd_reader_open_mem("coarse.jsonl", json, sizeof json - 1, &err);
    CHECK(rd != NULL);
    if (rd) {
        rd_doc d = {0};
        CHECK_INT_EQ(rd_reader_next(rd, &d, &err), 1);
        CHECK_STR_EQ(d.published, "2020");
        CHECK_INT_EQ(rd_reader_next(rd, &d, &err), 1);
        CHECK_STR_EQ(d.published, "2020-07");
        CHECK_INT_EQ(rd_reader_next(rd, &d, &err), 1);
        CHECK_STR_EQ(d.published, ""); /* five digits: no year */
        rd_doc_clear(&d);
        rd_reader_close(rd);
    }
    ext_result r = run("War\n\nArmenian forces shelled Terter yesterday.", "en", "2020");
    const ext_incident *t = find(&r, EXT_SHELLING, "t:terter");
    CHECK(t != NULL);
    if (t) {
        CHECK_INT_EQ(t->date_prec, EXT_PREC_YEAR);
        CHECK_STR_EQ(t->date, "2020");
    }
    ext_result_free(&r);
    check_date("Combats\n\nDes tirs d'artillerie ont touché Goris le 12 octobre.", "fr", "2020",
               EXT_SHELLING, "t:goris", "2020-10-12");
    /* month-only: a stated day, the next day counted from it */
    check_date("Clashes\n\nArmenian forces shelled Terter on 14 July, the Azerbaijani ministry "
               "said. The next day, shells hit Goris.",
               "en", "2020-07", EXT_SHELLING, "t:goris", "2020-07-15");
    r = run("Fighting\n\nOn Sunday, Armenian troops shelled Terter, Baku said.", "en", "2020-07");
    t = find(&r, EXT_SHELLING, "t:terter");
    CHECK(t != NULL);
    if (t) {
        CHECK_INT_EQ(t->date_prec, EXT_PREC_MONTH);
        CHECK(strncmp(t->date, "2020-07", 7) == 0);
    }
    ext_result_free(&r);
}

/* "la veille", "the day before": the day before the narrative's day (the
 * sentence's, else the one carried), or before the article's day when the
 * narrative has none yet. */
static void test_day_before(void)
{
    check_date("Guerre\n\nLe 5 octobre, Stepanakert a été bombardée. La veille, des tirs avaient "
               "visé Goris.",
               "fr", "2020-10-07", EXT_SHELLING, "t:goris", "2020-10-04");
    check_date("War\n\nStepanakert was shelled on 5 October. The day before, rockets hit Goris.",
               "en", "2020-10-07", EXT_SHELLING, "t:goris", "2020-10-04");
    check_date("Guerre\n\nLa veille, des roquettes ont frappé Goris, selon Erevan.", "fr",
               "2020-10-07", EXT_SHELLING, "t:goris", "2020-10-06");
    /* a flashback is a digression: the narrative's day goes on after it */
    const char *flash = "Guerre\n\nVingt civils ont été tués mercredi à Terter par des tirs de "
                        "roquettes. La veille, des tirs avaient déjà fait cinq morts à Goris."
                        "\n\nLe même jour, Stepanakert a été bombardée.";
    check_date(flash, "fr", "2020-10-29", EXT_SHELLING, "t:goris", "2020-10-27");
    check_date(flash, "fr", "2020-10-29", EXT_SHELLING, "t:stepanakert", "2020-10-28");
}

/* The narrative date carried to a sentence without one, not a background
 * date of the sentence between ("since 27 September", a war's anniversary,
 * the war of the 1990s); an ongoing flow "since" a day starts that day. */
static void test_carried_and_background(void)
{
    check_date("War\n\nOn Monday, Azerbaijani forces shelled Goris, officials said. Since 27 "
               "September, more than 40 civilians have been killed in Karabakh. Rockets also "
               "hit Sotk.",
               "en", "2020-10-13", EXT_SHELLING, "t:sotk", "2020-10-12");
    check_date("Guerre\n\nLundi, l'armée azerbaïdjanaise a bombardé Goris. Depuis le 27 "
               "septembre, plus de 40 civils ont été tués. Des roquettes ont aussi frappé Sotk.",
               "fr", "2020-10-13", EXT_SHELLING, "t:sotk", "2020-10-12");
    check_date("War\n\nStepanakert, which has been shelled since 27 September, was hit again on "
               "Monday.",
               "en", "2020-10-13", EXT_SHELLING, "t:stepanakert", "2020-10-12");
    check_date("Border\n\nOn the second anniversary of the war that began on 27 September 2020, "
               "Azerbaijani forces shelled Sotk on Tuesday.",
               "en", "2022-09-28", EXT_SHELLING, "t:sotk", "2022-09-27");
    check_date("Frontière\n\nDeux ans après la guerre de 2020, l'armée azerbaïdjanaise a "
               "bombardé Sotk mardi.",
               "fr", "2022-09-28", EXT_SHELLING, "t:sotk", "2022-09-27");
    check_date("Guerre\n\nLes forces azerbaïdjanaises ont bombardé Goris ce week-end.", "fr",
               "2020-10-06", EXT_SHELLING, "t:goris", "2020-10-03");
}

/* Wars the text names (conflict file "wars"): an event of a past war is
 * dated by its year (GUIDE.md, background events); "since the start of the
 * war" is the first day of the war going on at publication (an ongoing
 * flow takes its first stated day); the anniversary of a war is no date of
 * the day's event. */
static void test_wars(void)
{
    ext_result r = run("Anniversary\n\nDuring the 44-day war, Azerbaijani forces captured "
                       "Stepanakert.",
                       "en", "2022-09-28");
    const ext_incident *t = find(&r, EXT_CLASH, "t:stepanakert");
    CHECK(t != NULL);
    if (t) {
        CHECK_INT_EQ(t->date_prec, EXT_PREC_YEAR);
        CHECK(strncmp(t->date, "2020", 4) == 0);
    }
    ext_result_free(&r);
    r = run("Anniversaire\n\nPendant la guerre de 44 jours, l'armée azerbaïdjanaise a bombardé "
            "Stepanakert.",
            "fr", "2024-10-04");
    t = find(&r, EXT_SHELLING, "t:stepanakert");
    CHECK(t != NULL);
    if (t)
        CHECK(strncmp(t->date, "2020", 4) == 0);
    ext_result_free(&r);
    check_date("War\n\nThousands of residents have fled Stepanakert since the start of the war, "
               "officials said.",
               "en", "2020-10-26", EXT_EVACUATION, "t:stepanakert", "2020-09-27");
    check_date("Guerre\n\nDes milliers d'habitants ont fui Stepanakert depuis le début de la "
               "guerre.",
               "fr", "2020-10-26", EXT_EVACUATION, "t:stepanakert", "2020-09-27");
    /* an English since-word is a clause break, not before the war's start */
    check_date("War\n\nAbout 90,000 people from Karabakh have arrived in Goris since the war "
               "began, the ministry said.",
               "en", "2020-10-26", EXT_EVACUATION, "t:goris", "2020-09-27");
    /* during the war or just after it, its name dates nothing: the text's
     * own days do */
    check_date("War\n\nAzerbaijani forces shelled Stepanakert on Wednesday, in the second "
               "Karabakh war.",
               "en", "2020-11-05", EXT_SHELLING, "t:stepanakert", "2020-11-04");
    check_date("Border\n\nSotk was shelled on Tuesday, two years after the 44-day war.", "en",
               "2022-09-28", EXT_SHELLING, "t:sotk", "2022-09-27");
    /* "since the war" is a reference, not the event's date */
    check_date("Frontière\n\nCe sont les combats les plus graves depuis la guerre de 2020. Les "
               "bombardements azerbaïdjanais ont visé Sotk et Goris.",
               "fr", "2022-09-13", EXT_SHELLING, "t:sotk", "2022-09-13");
}

/* A past event told with its own day goes on in its paragraph ("On 9
 * October 2020, X was captured. Y and Z were also taken."): its day is the
 * narrative's there, and only there; a paragraph that already told the
 * day's news keeps the day's date after a digression into the past. */
static void test_past_paragraph(void)
{
    cut = 1e-6;
    const char *text = "Anniversaire\n\nLe 4 octobre 2020, l'artillerie a bombardé Goris. Les "
                       "villages de Sotk et Kut ont aussi été bombardés.\n\nHier, des "
                       "obus ont frappé Vardenis.";
    check_date(text, "fr", "2024-10-04", EXT_SHELLING, "t:sotk", "2020-10-04");
    check_date(text, "fr", "2024-10-04", EXT_SHELLING, "t:vardenis", "2024-10-03");
    check_date("Border\n\nOn Tuesday, Sotk was shelled. On 9 October 2020, Azerbaijani forces "
               "captured Stepanakert. Shells also hit Goris.",
               "en", "2022-09-28", EXT_SHELLING, "t:goris", "2022-09-27");
    cut = 0;
}

/* A sentence whose dated clause is not its event's ("Neuf civils ont été
 * tués dans la nuit de samedi à dimanche, quand un missile a frappé...")
 * still sets the narrative's day for the sentences after it ("au même
 * moment"). */
static void test_carry_other_clause(void)
{
    check_date("Guerre\n\nNeuf civils ont été tués dans la nuit de samedi à dimanche à Terter, "
               "quand un missile a frappé un immeuble.\n\nLe ministère arménien accuse "
               "l'Azerbaïdjan d'avoir, au même moment, bombardé Goris.",
               "fr", "2020-10-12", EXT_SHELLING, "t:goris", "2020-10-11");
}

/* The day a statement was made is no event's day: a sentence without an
 * event ("the ministry said on Wednesday that six soldiers had died") does
 * not set the narrative's date through its speech verb's date. */
static void test_speech_date(void)
{
    check_date("Border\n\nFighting broke out near Sotk on Tuesday.\n\nArmenia's defence "
               "ministry said on Wednesday that six soldiers had died. Azerbaijani units "
               "attacked Armenian positions near Goris with artillery.",
               "en", "2021-11-17", EXT_SHELLING, "t:goris", "2021-11-16");
    check_date("Frontière\n\nDes combats ont éclaté mardi près de Sotk.\n\nLe ministère "
               "arménien a indiqué mercredi que six soldats étaient morts. Des unités "
               "azerbaïdjanaises ont bombardé des positions arméniennes près de Goris.",
               "fr", "2021-11-17", EXT_SHELLING, "t:goris", "2021-11-16");
}

/* A live blog: each entry is dated by the day line above it; its clock
 * time is no date. */
static void test_live_blog(void)
{
    const char *blog = "Live updates\n\nOctober 4, 2020\n\n18:40 Armenian forces shelled Terter, "
                       "Azerbaijan's ministry said.\n\nOctober 5, 2020\n\n08:15 Stepanakert was "
                       "shelled again this morning.";
    check_date(blog, "en", "2020-10-05", EXT_SHELLING, "t:terter", "2020-10-04");
    check_date(blog, "en", "2020-10-05", EXT_SHELLING, "t:stepanakert", "2020-10-05");
}

/* ===== Actors ===== */

/* "the enemy", "l'adversaire": the party opposing whoever speaks, found in
 * the sentence or the paragraph's sentences just before; no claimant, no
 * party. */
static void test_enemy(void)
{
    check_cue("War\n\nThe enemy shelled Stepanakert overnight, the Azerbaijani defence ministry "
              "said.",
              "en", "2020-10-06", EXT_SHELLING, "t:stepanakert", 1, "subject_in_clause", AM);
    check_cue("Guerre\n\nSelon le ministère arménien de la Défense, l'adversaire a bombardé "
              "Goris.",
              "fr", "2022-09-14", EXT_SHELLING, "t:goris", 1, "subject_in_clause", AZ);
    check_actor("Guerre\n\nSelon le ministère arménien de la Défense, l'adversaire a bombardé "
                "Goris.",
                "fr", "2022-09-14", EXT_SHELLING, "t:goris", AZERBAIJAN);
    check_cue("Guerre\n\nLe ministère azerbaïdjanais de la Défense a fait état de combats. "
              "L'ennemi a pilonné Terter dans la nuit.",
              "fr", "2020-10-06", EXT_SHELLING, "t:terter", 2, "subject_in_clause", AM);
    check_cue("War\n\nThe enemy shelled Goris overnight.", "en", "2022-09-14", EXT_SHELLING,
              "t:goris", 1, "subject_in_clause", NONE);
    /* the enemy as the target: "fired at enemy positions" */
    check_cue("War\n\nOur units fired at enemy positions near Terter, the Armenian defence "
              "ministry said.",
              "en", "2020-10-06", EXT_SHELLING, "t:terter", 1, "target_opposes", AM);
}

/* An actor word after a trigger that owns or qualifies its object is what
 * was hit, not the agent. */
static void test_object_side(void)
{
    check_cue("War\n\nArmenia has been shelling Azerbaijan's towns, among them Terter.", "en",
              "2020-10-06", EXT_SHELLING, "t:terter", 1, "agent_or_adjective", NONE);
    check_cue("War\n\nArmenia has been shelling Azerbaijan's towns, among them Terter.", "en",
              "2020-10-06", EXT_SHELLING, "t:terter", 1, "subject_in_clause", AM);
    check_cue("War\n\nArmenian artillery shelled Azerbaijani positions near Terter.", "en",
              "2020-10-06", EXT_SHELLING, "t:terter", 1, "agent_or_adjective", NONE);
    check_cue("War\n\nArmenian artillery shelled Azerbaijani positions near Terter.", "en",
              "2020-10-06", EXT_SHELLING, "t:terter", 1, "target_opposes", AM);
    check_actor("War\n\nArmenian artillery shelled Azerbaijani positions near Terter.", "en",
                "2020-10-06", EXT_SHELLING, "t:terter", ARMENIA);
    check_cue("Border\n\nThe shelling of Armenian villages near Goris went on.", "en",
              "2022-09-14", EXT_SHELLING, "t:goris", 1, "target_opposes", AZ);
    check_cue("Border\n\nThe shelling of Armenian villages near Goris went on.", "en",
              "2022-09-14", EXT_SHELLING, "t:goris", 1, "agent_or_adjective", NONE);
    /* still agents: "tirs des forces arméniennes", "shelling by Armenian
     * forces", "bombardements azerbaïdjanais" */
    check_cue("Guerre\n\nTerter a subi des tirs des forces arméniennes.", "fr", "2020-10-06",
              EXT_SHELLING, "t:terter", 1, "agent_or_adjective", AM);
    check_cue("War\n\nTerter was shelled by Armenian forces on Monday.", "en", "2020-10-06",
              EXT_SHELLING, "t:terter", 1, "agent_or_adjective", AM);
    check_cue("Frontière\n\nLes bombardements azerbaïdjanais ont visé Goris.", "fr", "2022-09-14",
              EXT_SHELLING, "t:goris", 1, "agent_or_adjective", AZ);
}

/* With no cue in the text, the side opposing who held the place at the
 * date (conflict file control): Shusha, Armenian-held until 8 November
 * 2020, Azerbaijani after; the dates of a retrospective article's past
 * events decide it. */
static void test_controller(void)
{
    check_cue("War\n\nShusha was shelled on Monday.", "en", "2020-10-06", EXT_SHELLING,
              "t:shusha", 1, "controller_opposes", AZ);
    check_cue("Border\n\nShusha was shelled on Monday.", "en", "2021-05-12", EXT_SHELLING,
              "t:shusha", 1, "controller_opposes", AM);
    check_cue("Anniversary\n\nOn 5 October 2020, Shusha was shelled.", "en", "2024-10-04",
              EXT_SHELLING, "t:shusha", 1, "controller_opposes", AZ);
}

/* Claims: the claimant of the sentence, else of the paragraph's sentences
 * just before, accuses the other party; each ministry its own. */
static void test_claimants(void)
{
    check_cue("War\n\nThe Azerbaijani defence ministry said on Monday that the situation was "
              "tense. It said Terter was shelled overnight.",
              "en", "2020-10-06", EXT_SHELLING, "t:terter", 2, "claimant_accuses", AM);
    check_cue("Guerre\n\nLe ministère azerbaïdjanais de la Défense a fait état de combats "
              "intenses. Terter a été bombardée dans la nuit, a-t-il ajouté.",
              "fr", "2020-10-06", EXT_SHELLING, "t:terter", 2, "claimant_accuses", AM);
    /* a new paragraph does not inherit the source */
    check_cue("Guerre\n\nLe ministère azerbaïdjanais de la Défense a fait état de combats "
              "intenses.\n\nTerter a été bombardée dans la nuit.",
              "fr", "2020-10-06", EXT_SHELLING, "t:terter", 2, "claimant_accuses", NONE);
    /* each ministry accuses the other within one article */
    const char *both = "Border clashes\n\nArmenia's defence ministry said Goris was shelled "
                       "overnight. Azerbaijan's defence ministry said Terter had been shelled.";
    check_cue(both, "en", "2022-09-14", EXT_SHELLING, "t:goris", 1, "claimant_accuses", AZ);
    check_cue(both, "en", "2022-09-14", EXT_SHELLING, "t:terter", 2, "claimant_accuses", AM);
    check_actor(both, "en", "2022-09-14", EXT_SHELLING, "t:goris", AZERBAIJAN);
    check_actor(both, "en", "2022-09-14", EXT_SHELLING, "t:terter", ARMENIA);
    check_cue("Guerre\n\nGoris a été bombardée lundi, selon Erevan.", "fr", "2020-10-06",
              EXT_SHELLING, "t:goris", 1, "claimant_accuses", AZ);
    check_cue("War\n\nTerter was shelled on Monday, according to Baku.", "en", "2020-10-06",
              EXT_SHELLING, "t:terter", 1, "claimant_accuses", AM);
    check_actor("War\n\nSeparatist forces shelled Terter on Monday, Baku said.", "en",
                "2020-10-06", EXT_SHELLING, "t:terter", "Nagorno-Karabakh Defence Army");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_dates_actors DATA_DIR\n");
        return 2;
    }
    cx_err err;
    cx_err_clear(&err);
    lex = ext_lexicon_load(argv[1], "armenia-azerbaijan", &err);
    if (!lex) {
        fprintf(stderr, "%s:%ld: %s\n", err.source, err.line, err.msg);
        return 1;
    }
    test_datelines();
    test_coarse_publication();
    test_day_before();
    test_carried_and_background();
    test_wars();
    test_past_paragraph();
    test_speech_date();
    test_carry_other_clause();
    test_live_blog();
    test_enemy();
    test_object_side();
    test_claimants();
    test_controller();
    ext_lexicon_free(lex);
    CHECK_DONE();
}
