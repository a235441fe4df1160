#!/usr/bin/env python3
"""gen_fresh.py -- fresh news text for the extraction benchmark.

Every document is new: its sentences are drawn from templates written for
this benchmark (French and English, none copied from an article), and every
place name in it is drawn at random from the whole gazetteer (the Latin-script
names of the `names` table), so a cache of gazetteer look-ups cannot help the
way it does on reprints. Deterministic for a given seed and gazetteer.

    python3 bench/gen_fresh.py GAZETTEER OUT.jsonl MEGABYTES [SEED]
"""
import datetime
import random
import re
import sqlite3
import sys

FR = [
    "Des tirs d'artillerie ont visé {P} dans la nuit de {D}, selon le ministère de la Défense.",
    "Le village de {P} a été bombardé {D}, faisant {N} morts et {N2} blessés.",
    "Des affrontements ont éclaté près de {P} entre les forces arméniennes et azerbaïdjanaises.",
    "Les habitants de {P} ont été évacués vers {Q} après les frappes de drones.",
    "{P} a essuyé des tirs de mortier {D}, a indiqué un porte-parole.",
    "Selon les autorités locales, {N} civils ont fui {P} pour rejoindre {Q}.",
    "Les combats se poursuivaient {D} aux abords de {P}, à {K} km de {Q}.",
    "Un convoi humanitaire est arrivé à {P} {D}.",
    "Le maire de {P} a appelé au calme après une nuit de bombardements.",
    "Des roquettes sont tombées sur {P} et {Q}, sans faire de victime.",
    "La situation restait tendue {D} le long de la frontière, près de {P}.",
    "Les écoles de {P} sont restées fermées {D} par mesure de sécurité.",
    "Un soldat a été tué lors d'un échange de tirs près de {P}, a annoncé l'armée.",
    "Le marché de {P} a rouvert ses portes malgré les menaces.",
    "Des familles de {P} ont trouvé refuge dans une école de {Q}.",
    "Une délégation s'est rendue à {P} pour évaluer les dégâts.",
]
EN = [
    "Artillery fire hit {P} overnight on {D}, the defence ministry said.",
    "The village of {P} was shelled on {D}, killing {N} people and wounding {N2}.",
    "Clashes broke out near {P} between Armenian and Azerbaijani forces.",
    "Residents of {P} were evacuated to {Q} after drone strikes.",
    "{P} came under mortar fire on {D}, a spokesman said.",
    "According to local officials, {N} civilians fled {P} for {Q}.",
    "Fighting continued on {D} on the outskirts of {P}, {K} km from {Q}.",
    "An aid convoy reached {P} on {D}.",
    "The mayor of {P} called for calm after a night of shelling.",
    "Rockets landed on {P} and {Q}, causing no casualties.",
    "The situation remained tense on {D} along the border near {P}.",
    "Schools in {P} stayed closed on {D} as a precaution.",
    "A soldier was killed in an exchange of fire near {P}, the army announced.",
    "The market in {P} reopened despite the threats.",
    "Families from {P} found shelter in a school in {Q}.",
    "A delegation travelled to {P} to assess the damage.",
]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TITLE_FR = ["Nouveaux tirs près de {P}", "Évacuation à {P}", "Tensions autour de {P}"]
TITLE_EN = ["New fire near {P}", "Evacuation in {P}", "Tension around {P}"]

LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žƏəȘșȚț' .-]{3,40}$")


def main():
    gaz, out, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261207
    rnd = random.Random(seed)
    db = sqlite3.connect(f"file:{gaz}?mode=ro", uri=True)
    names = sorted({n for (n,) in db.execute("SELECT name FROM names") if LATIN.match(n)
                    and n[0].isupper()})
    db.close()
    target, size, i = int(mb * 1024 * 1024), 0, 0
    day0 = datetime.date(2019, 1, 1)
    with open(out, "w", encoding="utf-8") as f:
        while size < target:
            fr = i % 2 == 0
            tpl, days = (FR, DAYS_FR) if fr else (EN, DAYS_EN)
            sent = []
            for _ in range(rnd.randint(6, 14)):
                sent.append(rnd.choice(tpl).format(
                    P=rnd.choice(names), Q=rnd.choice(names), D=rnd.choice(days),
                    N=rnd.randint(1, 40), N2=rnd.randint(1, 90), K=rnd.randint(2, 60)))
            paras = []
            while sent:
                k = rnd.randint(2, 4)
                paras.append(" ".join(sent[:k]))
                sent = sent[k:]
            title = rnd.choice(TITLE_FR if fr else TITLE_EN).format(P=rnd.choice(names))
            day = day0 + datetime.timedelta(days=rnd.randrange(3000))
            line = '{"id": "fresh-%d", "published": "%s", "lang": "%s", "title": %s, "text": %s}\n' % (
                i, day.isoformat(), "fr" if fr else "en", json_str(title), json_str("\n\n".join(paras)))
            f.write(line)
            size += len(line.encode("utf-8"))
            i += 1


def json_str(s):
    import json
    return json.dumps(s, ensure_ascii=False)


if __name__ == "__main__":
    main()
