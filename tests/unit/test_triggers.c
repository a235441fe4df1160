/* test_triggers.c -- trigger phrasing in English and French (issue 16,
 * "Recall first"): the compact lexicon forms (inflect.c) expand to a word's
 * inflections and collocations; a malformed phrase is a clear load error;
 * and for each trigger family and form, a sentence written for this test
 * matches the trigger phrase and yields a candidate pair of its type at the
 * place. Sentences that GUIDE.md says report nothing (a threat, a shelter, an
 * idiom) yield no trigger or no incident. Uses the real data/lexicon and an
 * in-memory gazetteer (fake_gazetteer.h). */
#include "check.h"
#include "cx_err.h"
#include "fake_gazetteer.h"
#include "extract.h"
#include "inflect.h"
#include "lexicon.h"
#include "tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ext_lexicon *lex;

/* ===== Expansion of compact forms ===== */

typedef struct collected {
    char s[8192];
    int n;
} collected;

static int collect(void *ctx, const char *phrase)
{
    collected *c = ctx;
    size_t l = strlen(c->s);
    snprintf(c->s + l, sizeof c->s - l, "%s;", phrase);
    c->n++;
    return 0;
}

static int stop_at_second(void *ctx, const char *phrase)
{
    (void)phrase;
    return ++*(int *)ctx == 2 ? CX_EIO : 0;
}

/* every form of `phrase`, ";"-terminated, into c; the status */
static int expand(const char *phrase, collected *c)
{
    memset(c, 0, sizeof *c);
    return extp_inflect_expand(phrase, collect, c);
}

static bool has_form(const collected *c, const char *form)
{
    char k[256];
    snprintf(k, sizeof k, ";%s;", form);
    char all[8300];
    snprintf(all, sizeof all, ";%s", c->s);
    return strstr(all, k) != NULL;
}

static void test_expand(void)
{
    collected c;
    /* a phrase without braces or classes is itself */
    CHECK_INT_EQ(expand("came under fire", &c), 0);
    CHECK_STR_EQ(c.s, "came under fire;");
    /* English regular verbs: -s, -ed, -ing, with e-drop, y and doubling */
    CHECK_INT_EQ(expand("shell~v", &c), 0);
    CHECK_STR_EQ(c.s, "shell;shells;shelled;shelling;");
    CHECK_INT_EQ(expand("evacuate~v", &c), 0);
    CHECK_STR_EQ(c.s, "evacuate;evacuates;evacuated;evacuating;");
    CHECK_INT_EQ(expand("repel~vv", &c), 0);
    CHECK_STR_EQ(c.s, "repel;repels;repelled;repelling;");
    CHECK_INT_EQ(expand("bury~v", &c), 0);
    CHECK_STR_EQ(c.s, "bury;buries;buried;burying;");
    CHECK_INT_EQ(expand("flee~v", &c), 0); /* -ee keeps its e */
    CHECK(has_form(&c, "fleeing") && has_form(&c, "flees"));
    CHECK_INT_EQ(expand("ambush~v", &c), 0);
    CHECK(has_form(&c, "ambushes") && has_form(&c, "ambushed"));
    CHECK_INT_EQ(expand("barrage~s", &c), 0);
    CHECK_STR_EQ(c.s, "barrage;barrages;");
    /* French first group: present, imperfect, simple past, participles
     * with agreement, no future and no conditional */
    CHECK_INT_EQ(expand("bombarder~er", &c), 0);
    CHECK(has_form(&c, "bombarde") && has_form(&c, "bombardent") && has_form(&c, "bombardait"));
    CHECK(has_form(&c, "bombardaient") && has_form(&c, "bombardé") && has_form(&c, "bombardées"));
    CHECK(has_form(&c, "bombardèrent") && has_form(&c, "bombardant") && has_form(&c, "bombarder"));
    CHECK(!has_form(&c, "bombardera") && !has_form(&c, "bombarderont") &&
          !has_form(&c, "bombarderait") && !has_form(&c, "bombardez"));
    CHECK_INT_EQ(expand("ravager~er", &c), 0); /* g keeps its e before a and o */
    CHECK(has_form(&c, "ravageait") && has_form(&c, "ravageons") && !has_form(&c, "ravagait"));
    CHECK_INT_EQ(expand("essuyer~er", &c), 0); /* y turns i before a mute e */
    CHECK(has_form(&c, "essuie") && has_form(&c, "essuient") && has_form(&c, "essuyé"));
    CHECK_INT_EQ(expand("envahir~ir", &c), 0);
    CHECK(has_form(&c, "envahissent") && has_form(&c, "envahi") && has_form(&c, "envahissait"));
    CHECK_INT_EQ(expand("touché~e", &c), 0);
    CHECK_STR_EQ(c.s, "touché;touchée;touchés;touchées;");
    CHECK_INT_EQ(expand("pris~e", &c), 0);
    CHECK_STR_EQ(c.s, "pris;prise;prises;");
    /* alternatives, empty ones, several groups, and a class inside one */
    CHECK_INT_EQ(expand("{open~v|opened} fire {at|on}", &c), 0);
    CHECK_INT_EQ(c.n, 10);
    CHECK(has_form(&c, "opening fire at") && has_form(&c, "opened fire on"));
    CHECK_INT_EQ(expand("came under {heavy |}fire", &c), 0);
    CHECK_STR_EQ(c.s, "came under heavy fire;came under fire;");
    CHECK_INT_EQ(expand("{a|ont} été {touché}~e", &c), 0);
    CHECK_INT_EQ(c.n, 8);
    CHECK(has_form(&c, "ont été touchées"));
    /* malformed: unclosed, nested, stray, unknown class, wrong ending */
    CHECK_INT_EQ(expand("{open|opened fire", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("{a{b}}", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("fire} at", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("fire | at", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("shell~q", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("shell~", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("feu~er", &c), CX_EFORMAT);
    CHECK_INT_EQ(expand("{a|b|c|d|e|f|g|h|i} {a|b|c|d|e|f|g|h|i} {a|b|c|d|e|f|g|h|i} {a|b|c|d|e|f|g|h|i}",
                        &c),
                 CX_EFORMAT); /* 6561 > 4096 forms */
    /* the callback's status stops the expansion and is returned */
    int seen = 0;
    CHECK_INT_EQ(extp_inflect_expand("{a|b|c}", stop_at_second, &seen), CX_EIO);
    CHECK_INT_EQ(seen, 2);
}

/* a malformed phrase in a lexicon file: the load fails naming the file */
static void test_bad_phrase(const char *fixdir)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/badphrase", fixdir);
    cx_err err;
    cx_err_clear(&err);
    CHECK(ext_lexicon_load(dir, "ok", &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EFORMAT);
    CHECK(strstr(err.source, "xx.json") != NULL);
    CHECK(strstr(err.msg, "malformed") != NULL);
}

/* ===== Trigger phrasing, sentence by sentence ===== */

/* Does `phrase` (alone) match one lexicon phrase of category `cat` over
 * all its `words` words, in language `lang`? */
static bool phrase_is(const char *phrase, const char *lang, int cat, int words)
{
    const extp_lang *L = extp_lang_find(lex, lang);
    extp_text t;
    extp_text_build(&t, phrase, strlen(phrase), L);
    extp_match m[32];
    size_t n = t.n ? extp_dict_match(L->dict, t.words, t.lens, t.n, 0, m, 32) : 0;
    bool found = false;
    for (size_t k = 0; k < n; k++)
        found |= m[k].cat == cat && m[k].len == words;
    extp_text_free(&t);
    return found;
}

static ext_result run(const char *text, const char *lang, bool pairs)
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
    o.keep_pairs = pairs;
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

static bool has_incident(const ext_result *r, int type, const char *place_id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].type == type && strcmp(r->items[i].place_id, place_id) == 0)
            return true;
    return false;
}

typedef struct form_case {
    const char *lang;
    const char *trigger; /* as written in the sentence */
    int cat, words;      /* the lexicon phrase it must match */
    const char *sentence;
    int type;
    const char *place_id;
} form_case;

static const form_case forms_en[] = {
    /* shelling: passive, phrasal, nominal, weapons of calibres */
    {"en", "came under heavy shelling", LX_SHELL_STRONG, 4,
     "The village of Sotk came under heavy shelling on Monday.", EXT_SHELLING, "t:sotk"},
    {"en", "were hit by", LX_SHELL_STRONG, 3, "Houses in Vardenis were hit by rockets overnight.",
     EXT_SHELLING, "t:vardenis"},
    {"en", "were also hit", LX_SHELL_STRONG, 3, "Villages near Sotk were also hit on Tuesday.",
     EXT_SHELLING, "t:sotk"},
    {"en", "rained shells on", LX_SHELL_STRONG, 3,
     "Enemy units rained shells on Goris for three hours.", EXT_SHELLING, "t:goris"},
    {"en", "fired rockets at", LX_SHELL_STRONG, 3, "The separatists fired rockets at Terter on Sunday.",
     EXT_SHELLING, "t:terter"},
    {"en", "hit the town", LX_SHELL_STRONG, 3, "A missile hit the town of Goris on Tuesday.",
     EXT_SHELLING, "t:goris"},
    {"en", "artillery barrage", LX_SHELL_STRONG, 2, "An artillery barrage struck Sotk at dawn.",
     EXT_SHELLING, "t:sotk"},
    {"en", "subjected to artillery fire", LX_SHELL_STRONG, 4,
     "Kut was subjected to artillery fire for an hour.", EXT_SHELLING, "t:kut-am"},
    {"en", "air raid", LX_SHELL_STRONG, 2, "An air raid on Terter killed two people.", EXT_SHELLING,
     "t:terter"},
    {"en", "artillery duel", LX_SHELL_STRONG, 2, "An artillery duel raged near Sotk all night.",
     EXT_SHELLING, "t:sotk"},
    {"en", "heavy explosions", LX_SHELL_STRONG, 2, "Residents of Goris heard heavy explosions all night.",
     EXT_SHELLING, "t:goris"},
    /* fire on a place: phrasal forms */
    {"en", "opened fire towards", LX_SHELL_FIRE, 3,
     "Azerbaijani troops opened fire towards Vardenis late on Monday.", EXT_SHELLING, "t:vardenis"},
    {"en", "shooting towards", LX_SHELL_FIRE, 2, "Snipers were shooting towards Kut on Tuesday.",
     EXT_CLASH, "t:kut-am"},
    {"en", "fires into", LX_SHELL_FIRE, 2, "The garrison fires into Sotk with mortars.", EXT_SHELLING,
     "t:sotk"},
    {"en", "enemy fire", LX_SHELL_FIRE, 2, "A soldier was wounded by enemy fire in Sotk.", EXT_CLASH,
     "t:sotk"},
    {"en", "Fire was opened on", LX_SHELL_FIRE, 4, "Fire was opened on Sotk from the heights.",
     EXT_SHELLING, "t:sotk"},
    {"en", "fire", LX_SHELL_FIRE, 1, "A soldier was killed by Azerbaijani fire near Sotk.", EXT_CLASH,
     "t:sotk"},
    /* a weapon with a verb of impact */
    {"en", "dropped", LX_SHELL_VERB, 1, "Bombs were dropped on Vardenis at night.", EXT_SHELLING,
     "t:vardenis"},
    {"en", "landed", LX_SHELL_VERB, 1, "Two rockets landed in Vardenis on Monday.", EXT_SHELLING,
     "t:vardenis"},
    /* clash */
    {"en", "exchanged gunfire", LX_CLASH_STRONG, 2, "Border guards exchanged gunfire near Sotk on Tuesday.",
     EXT_CLASH, "t:sotk"},
    {"en", "gun battle", LX_CLASH_STRONG, 2, "A gun battle broke out in Vardenis.", EXT_CLASH,
     "t:vardenis"},
    {"en", "repelling an assault", LX_CLASH_STRONG, 3, "Troops were repelling an assault on Goris.",
     EXT_CLASH, "t:goris"},
    {"en", "came under sniper fire", LX_CLASH_STRONG, 4, "Positions near Kut came under sniper fire.",
     EXT_CLASH, "t:kut-am"},
    {"en", "tried to break through", LX_CLASH_STRONG, 4, "Enemy units tried to break through near Sotk.",
     EXT_CLASH, "t:sotk"},
    {"en", "engaged in combat", LX_CLASH_STRONG, 3, "Two units engaged in combat near Goris on Sunday.",
     EXT_CLASH, "t:goris"},
    {"en", "crossfire", LX_CLASH_STRONG, 1, "Two shepherds were caught in crossfire near Kut.",
     EXT_CLASH, "t:kut-am"},
    {"en", "border incident", LX_CLASH_WEAK, 2, "A border incident near Sotk left one soldier dead.",
     EXT_CLASH, "t:sotk"},
    {"en", "encircling", LX_CLASH_STRONG, 1, "Units were encircling Vardenis on Tuesday.", EXT_CLASH,
     "t:vardenis"},
    {"en", "was taken on", LX_CLASH_CAPTURE, 3, "The town of Sotk was taken on Monday, Baku said.",
     EXT_CLASH, "t:sotk"},
    {"en", "broke through the lines", LX_CLASH_STRONG, 4, "Tanks broke through the lines near Goris.",
     EXT_CLASH, "t:goris"},
    {"en", "advancing towards", LX_CLASH_STRONG, 2, "Infantry units were advancing towards Vardenis.",
     EXT_CLASH, "t:vardenis"},
    /* captures (GUIDE.md: a clash at the place) */
    {"en", "the town fell", LX_CLASH_CAPTURE, 3, "After two days of fighting the town fell, and Sotk was lost.",
     EXT_CLASH, "t:sotk"},
    {"en", "raised the flag over", LX_CLASH_CAPTURE, 4, "Soldiers raised the flag over Kut on Friday.",
     EXT_CLASH, "t:kut-am"},
    {"en", "lost control of", LX_CLASH_CAPTURE, 3, "The separatists lost control of Vardenis.", EXT_CLASH,
     "t:vardenis"},
    {"en", "came under attack", LX_ATTACK, 3, "Sotk came under attack on Monday.", EXT_CLASH,
     "t:sotk"},
    /* evacuation: departure, flight, arrival, registration */
    {"en", "sought refuge in", LX_EVAC_STRONG, 3, "Hundreds of families sought refuge in Goris.",
     EXT_EVACUATION, "t:goris"},
    {"en", "departure of residents", LX_EVAC_STRONG, 3,
     "The departure of residents from Stepanakert went on all day.", EXT_EVACUATION,
     "t:stepanakert"},
    {"en", "Residents left", LX_EVAC_STRONG, 2, "Residents left Sotk after the shelling.",
     EXT_EVACUATION, "t:sotk"},
    {"en", "abandoned the village", LX_EVAC_STRONG, 3, "Families abandoned the village of Kut.",
     EXT_EVACUATION, "t:kut-am"},
    {"en", "wave of refugees", LX_EVAC_STRONG, 3, "A new wave of refugees reached Goris overnight.",
     EXT_EVACUATION, "t:goris"},
    {"en", "arriving in", LX_EVAC_VERB, 2, "Buses carrying 300 people were arriving in Goris.",
     EXT_EVACUATION, "t:goris"},
    {"en", "headed for", LX_EVAC_VERB, 2, "About 5000 people headed for Goris on Tuesday.",
     EXT_EVACUATION, "t:goris"},
    {"en", "arrived", LX_EVAC_VERB, 1, "At the checkpoint near Goris, 300 people arrived overnight.",
     EXT_EVACUATION, "t:goris"},
    {"en", "took their children to", LX_EVAC_VERB, 4,
     "Many families of Sotk took their children to relatives in Goris.", EXT_EVACUATION, "t:sotk"},
    {"en", "moved to safety", LX_EVAC_VERB, 3, "Some 200 villagers of Sotk moved to safety.",
     EXT_EVACUATION, "t:sotk"},
    /* a departure verb after its group, the place between them */
    {"en", "left", LX_EVAC_VERB, 1, "The last residents of Kut left on Friday.", EXT_EVACUATION,
     "t:kut-am"},
    {"en", "left", LX_EVAC_VERB, 1, "\"We left Kut with what we could carry,\" she said.",
     EXT_EVACUATION, "t:kut-am"},
    {"en", "were leaving", LX_EVAC_VERB, 2, "Families from the town of Vardenis were leaving.",
     EXT_EVACUATION, "t:vardenis"},
};

static const form_case forms_fr[] = {
    /* bombardements: passé composé, passif, passé simple, nominal */
    {"fr", "essuyé des tirs", LX_SHELL_STRONG, 3,
     "Le village de Sotk a essuyé des tirs d'artillerie lundi.", EXT_SHELLING, "t:sotk"},
    {"fr", "bombardèrent", LX_SHELL_STRONG, 1, "Les chars bombardèrent Goris à l'aube.", EXT_SHELLING,
     "t:goris"},
    {"fr", "pluie d'obus", LX_SHELL_STRONG, 3, "Une pluie d'obus s'est abattue sur Terter.",
     EXT_SHELLING, "t:terter"},
    {"fr", "été touchées", LX_SHELL_STRONG, 2, "Des maisons de Goris ont été touchées lundi.",
     EXT_SHELLING, "t:goris"},
    {"fr", "été également touchés", LX_SHELL_STRONG, 3, "Les villages de Kut ont été également touchés mardi.",
     EXT_SHELLING, "t:kut-am"},
    {"fr", "fait l'objet de tirs", LX_SHELL_STRONG, 5, "Kut a fait l'objet de tirs mardi.",
     EXT_SHELLING, "t:kut-am"},
    {"fr", "ouvert le feu en direction de", LX_SHELL_FIRE, 6,
     "Les soldats ont ouvert le feu en direction de Sotk.", EXT_SHELLING, "t:sotk"},
    {"fr", "feu a été ouvert sur", LX_SHELL_FIRE, 5, "Le feu a été ouvert sur Sotk depuis les hauteurs.",
     EXT_SHELLING, "t:sotk"},
    {"fr", "ont visé", LX_SHELL_STRONG, 2, "Les forces ont visé des « cibles civiles » à Stepanakert.",
     EXT_SHELLING, "t:stepanakert"},
    {"fr", "tombées", LX_SHELL_VERB, 1, "Des roquettes sont tombées sur Vardenis.", EXT_SHELLING,
     "t:vardenis"},
    {"fr", "duel d'artillerie", LX_SHELL_STRONG, 3, "Un duel d'artillerie a opposé les deux camps à Sotk.",
     EXT_SHELLING, "t:sotk"},
    {"fr", "violentes explosions", LX_SHELL_STRONG, 2, "De violentes explosions ont secoué Terter dans la nuit.",
     EXT_SHELLING, "t:terter"},
    /* combats */
    {"fr", "percé les lignes", LX_CLASH_STRONG, 3, "Les blindés ont percé les lignes près de Goris.",
     EXT_CLASH, "t:goris"},
    {"fr", "heurts", LX_CLASH_STRONG, 1, "De violents heurts ont éclaté à Sotk mardi.", EXT_CLASH,
     "t:sotk"},
    {"fr", "échauffourées", LX_CLASH_STRONG, 1, "Des échauffourées ont eu lieu près de Sotk.",
     EXT_CLASH, "t:sotk"},
    {"fr", "s'affrontaient", LX_CLASH_STRONG, 2, "Les deux armées s'affrontaient près de Goris.",
     EXT_CLASH, "t:goris"},
    {"fr", "repoussaient plusieurs assauts", LX_CLASH_STRONG, 3,
     "Les défenseurs repoussaient plusieurs assauts à Vardenis.", EXT_CLASH, "t:vardenis"},
    {"fr", "tentatives de franchissement", LX_CLASH_STRONG, 3,
     "Deux tentatives de franchissement ont échoué près de Kut.", EXT_CLASH, "t:kut-am"},
    {"fr", "pris d'assaut", LX_CLASH_STRONG, 3, "Les commandos ont pris d'assaut le village de Sotk.",
     EXT_CLASH, "t:sotk"},
    {"fr", "échangé des tirs", LX_CLASH_STRONG, 3, "Les gardes ont échangé des tirs près de Sotk.",
     EXT_CLASH, "t:sotk"},
    {"fr", "encerclée", LX_CLASH_STRONG, 1, "La ville de Vardenis a été encerclée lundi.", EXT_CLASH,
     "t:vardenis"},
    {"fr", "incident armé", LX_CLASH_WEAK, 2, "Un incident armé s'est produit près de Kut.",
     EXT_CLASH, "t:kut-am"},
    {"fr", "a été prise par les forces", LX_CLASH_CAPTURE, 6,
     "La ville de Goris a été prise par les forces adverses.", EXT_CLASH, "t:goris"},
    {"fr", "ont conquis", LX_CLASH_CAPTURE, 2, "Les forces ont conquis Sotk en une journée.", EXT_CLASH,
     "t:sotk"},
    {"fr", "hissé le drapeau", LX_CLASH_CAPTURE, 3, "Les soldats ont hissé le drapeau à Kut vendredi.",
     EXT_CLASH, "t:kut-am"},
    {"fr", "village est tombé", LX_CLASH_CAPTURE, 3, "Le village est tombé : Vardenis a été perdu lundi.",
     EXT_CLASH, "t:vardenis"},
    {"fr", "attaquaient", LX_ATTACK, 1, "Les séparatistes attaquaient les positions près de Kut.",
     EXT_CLASH, "t:kut-am"},
    /* évacuations: départ, fuite, arrivée, enregistrement */
    {"fr", "départ des habitants", LX_EVAC_STRONG, 3,
     "Le départ des habitants de Stepanakert a commencé.", EXT_EVACUATION, "t:stepanakert"},
    {"fr", "Les habitants ont quitté", LX_EVAC_STRONG, 4, "Les habitants ont quitté Kut dimanche.",
     EXT_EVACUATION, "t:kut-am"},
    {"fr", "flot de réfugiés", LX_EVAC_STRONG, 3, "Un flot de réfugiés arrive à Goris depuis lundi.",
     EXT_EVACUATION, "t:goris"},
    {"fr", "déserté le village", LX_EVAC_STRONG, 3, "Les familles ont déserté le village de Kut.",
     EXT_EVACUATION, "t:kut-am"},
    {"fr", "pris la fuite", LX_EVAC_STRONG, 3, "Les villageois de Sotk ont pris la fuite.",
     EXT_EVACUATION, "t:sotk"},
    {"fr", "évacuaient", LX_EVAC_STRONG, 1, "Les autorités évacuaient Vardenis mardi.",
     EXT_EVACUATION, "t:vardenis"},
    {"fr", "se sont réfugiés en", LX_EVAC_STRONG, 4,
     "Les habitants de Sotk se sont réfugiés en Arménie.", EXT_EVACUATION, "t:sotk"},
    {"fr", "se sont enregistrées", LX_EVAC_VERB, 3, "Quelque 300 personnes se sont enregistrées à Goris.",
     EXT_EVACUATION, "t:goris"},
    {"fr", "sont arrivés à", LX_EVAC_VERB, 3, "Quelque 2000 réfugiés sont arrivés à Goris.",
     EXT_EVACUATION, "t:goris"},
    {"fr", "se dirigeaient vers", LX_EVAC_VERB, 3,
     "Des colonnes de 3000 personnes se dirigeaient vers Goris.", EXT_EVACUATION, "t:goris"},
    {"fr", "emmené leurs enfants", LX_EVAC_VERB, 3,
     "Les habitants de Kut ont emmené leurs enfants chez des proches à Goris.", EXT_EVACUATION,
     "t:kut-am"},
    {"fr", "sont entrés en", LX_EVAC_VERB, 3, "Quelque 500 réfugiés de Sotk sont entrés en Arménie.",
     EXT_EVACUATION, "t:sotk"},
    {"fr", "s'en sont allés", LX_EVAC_VERB, 4,
     "Les derniers habitants de Kut s'en sont allés vendredi.", EXT_EVACUATION, "t:kut-am"},
    {"fr", "déménagé", LX_EVAC_VERB, 1, "Les familles de Sotk ont déménagé.", EXT_EVACUATION,
     "t:sotk"},
};

static void check_forms(const form_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const form_case *fc = &cases[i];
        CHECK(strstr(fc->sentence, fc->trigger) != NULL); /* the table itself */
        bool matched = phrase_is(fc->trigger, fc->lang, fc->cat, fc->words);
        if (!matched)
            fprintf(stderr, "no lexicon phrase of %d words for \"%s\"\n", fc->words, fc->trigger);
        CHECK(matched);
        char text[512];
        snprintf(text, sizeof text, "Title\n\n%s", fc->sentence);
        ext_result r = run(text, fc->lang, true);
        bool pair = has_pair(&r, fc->type, fc->place_id);
        if (!pair)
            fprintf(stderr, "no %s candidate at %s in: %s\n", ext_type_name(fc->type),
                    fc->place_id, fc->sentence);
        CHECK(pair);
        ext_result_free(&r);
    }
}

/* The value of feature `name` on the pair of `type` at `place_id` (-1 when
 * there is no such pair) */
static double pair_feature(const ext_result *r, int type, const char *place_id, const char *name)
{
    int f = -1;
    for (int i = 0; i < ext_feature_count(); i++)
        if (strcmp(ext_feature_name(i), name) == 0)
            f = i;
    CHECK(f >= 0);
    for (size_t i = 0; f >= 0 && i < r->n_pairs; i++)
        if (r->pairs[i].type == type && strcmp(r->pairs[i].place_id, place_id) == 0)
            return r->pairs[i].x[f];
    return -1;
}

/* A movement verb is supported by a count of people or by a group of
 * people before it ("Plusieurs familles ont quitté X"); alone it is not */
static void test_movement_support(void)
{
    static const struct {
        const char *lang, *sentence, *place_id;
        double with_count;
    } cases[] = {
        {"fr", "Plusieurs familles ont quitté Kut pour Goris.", "t:kut-am", 1},
        {"en", "Villagers from Sotk arrived in Goris on Monday.", "t:goris", 1},
        {"fr", "Quelque 300 personnes ont quitté Kut.", "t:kut-am", 1},
        {"fr", "Un convoi humanitaire a quitté Kut.", "t:kut-am", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "Title\n\n%s", cases[i].sentence);
        ext_result r = run(text, cases[i].lang, true);
        double v = pair_feature(&r, EXT_EVACUATION, cases[i].place_id, "trigger_movement_with_count");
        if (v != cases[i].with_count)
            fprintf(stderr, "trigger_movement_with_count %g, expected %g: %s\n", v,
                    cases[i].with_count, cases[i].sentence);
        CHECK(v == cases[i].with_count);
        ext_result_free(&r);
    }
}

/* What GUIDE.md says reports nothing: threats, plans, shelters, idioms */
static void no_pair(const char *sentence, const char *lang, int type, const char *place_id)
{
    char text[512];
    snprintf(text, sizeof text, "Title\n\n%s", sentence);
    ext_result r = run(text, lang, true);
    if (has_pair(&r, type, place_id))
        fprintf(stderr, "unexpected %s candidate at %s in: %s\n", ext_type_name(type), place_id,
                sentence);
    CHECK(!has_pair(&r, type, place_id));
    ext_result_free(&r);
}

static void no_incident(const char *sentence, const char *lang, int type, const char *place_id)
{
    char text[512];
    snprintf(text, sizeof text, "Title\n\n%s", sentence);
    ext_result r = run(text, lang, false);
    if (has_incident(&r, type, place_id))
        fprintf(stderr, "unexpected %s at %s in: %s\n", ext_type_name(type), place_id, sentence);
    CHECK(!has_incident(&r, type, place_id));
    ext_result_free(&r);
}

static void test_not_incidents(void)
{
    /* going down to a shelter is no evacuation, in any form of the verb */
    no_pair("Residents of Goris sought refuge in basements.", "en", EXT_EVACUATION, "t:goris");
    no_pair("The families of Sotk are taking refuge in the bomb shelters.", "en", EXT_EVACUATION,
            "t:sotk");
    no_pair("Les habitants de Goris se sont réfugiés dans les caves.", "fr", EXT_EVACUATION,
            "t:goris");
    /* "left" without a group before it tells a toll, or nothing */
    no_pair("The strike on Kut left two soldiers dead.", "en", EXT_EVACUATION, "t:kut-am");
    no_pair("Officials left Goris after the meeting.", "en", EXT_EVACUATION, "t:goris");
    no_pair("Le parti de Goris a tenu un congrès.", "fr", EXT_EVACUATION, "t:goris");
    /* a decision taken is no place taken; a wounded man taken to hospital
     * is no capture */
    no_pair("La décision a été prise par le gouvernement à Goris.", "fr", EXT_CLASH, "t:goris");
    no_pair("A wounded man was taken to the hospital in Goris.", "en", EXT_CLASH, "t:goris");
    /* "visant à": aiming to, not aiming at */
    no_pair("Une mission visant à aider Goris a été annoncée.", "fr", EXT_SHELLING, "t:goris");
    /* armed forces moving are an advance, not people fleeing */
    no_pair("Azerbaijani troops reached Sotk on Tuesday.", "en", EXT_EVACUATION, "t:sotk");
    no_pair("Les troupes sont arrivées à Goris dans la nuit.", "fr", EXT_EVACUATION, "t:goris");
    no_pair("Les troupes sont entrées à Vardenis mardi.", "fr", EXT_EVACUATION, "t:vardenis");
    /* medical evacuations move the wounded, not the displaced */
    no_pair("The Red Cross carried out medical evacuations from Kut.", "en", EXT_EVACUATION,
            "t:kut-am");
    no_pair("Le CICR a repris les évacuations médicales depuis Terter.", "fr", EXT_EVACUATION,
            "t:terter");
    /* "fire" alone is fire only after an actor */
    no_pair("A fire broke out in a market in Goris.", "en", EXT_SHELLING, "t:goris");
    no_pair("A fire broke out in a market in Goris.", "en", EXT_CLASH, "t:goris");
    /* a mine is no shelling */
    no_pair("Several mine explosions wounded shepherds near Sotk.", "en", EXT_SHELLING, "t:sotk");
    /* sirens are no strike (GUIDE.md) */
    no_pair("Air raid sirens sounded in Goris on Monday.", "en", EXT_SHELLING, "t:goris");
    /* idioms built on a trigger verb */
    no_pair("Il faut tirer les leçons de Goris, a dit le ministre.", "fr", EXT_SHELLING, "t:goris");
    no_pair("Le ministre a lancé un appel aux habitants de Sotk.", "fr", EXT_CLASH, "t:sotk");
    /* threats and plans: the new forms keep their modality */
    no_incident("Baku threatened to open fire on Sotk.", "en", EXT_SHELLING, "t:sotk");
    no_incident("L'armée menace de bombarder Goris.", "fr", EXT_SHELLING, "t:goris");
    no_incident("Officials prepared a school in case the village of Sotk had to be evacuated.", "en",
                EXT_EVACUATION, "t:sotk");
    no_incident("Un gymnase est prêt au cas où Kut devrait être évacué.", "fr", EXT_EVACUATION,
                "t:kut-am");
    no_incident("The ministry denied that its units fired rockets at Terter.", "en", EXT_SHELLING,
                "t:terter");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_triggers DATA_DIR FIXTURE_DIR\n");
        return 2;
    }
    test_expand();
    test_bad_phrase(argv[2]);
    cx_err err;
    cx_err_clear(&err);
    lex = ext_lexicon_load(argv[1], "armenia-azerbaijan", &err);
    if (!lex) {
        fprintf(stderr, "%s:%ld: %s\n", err.source, err.line, err.msg);
        return 1;
    }
    check_forms(forms_en, sizeof forms_en / sizeof forms_en[0]);
    check_forms(forms_fr, sizeof forms_fr / sizeof forms_fr[0]);
    test_movement_support();
    test_not_incidents();
    ext_lexicon_free(lex);
    CHECK_DONE();
}
