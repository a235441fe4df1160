/* incident.h -- the incident record that flows downstream of extraction:
 * extract/ fills it, geo/ annotates it (border distance), output/ writes it.
 * A plain struct; the strings it owns are freed by ext_incident_clear(). */
#ifndef EXT_INCIDENT_H
#define EXT_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { EXT_SHELLING = 0, EXT_CLASH = 1, EXT_EVACUATION = 2, EXT_NTYPES = 3 };

enum {
    EXT_PREC_DAY = 0,
    EXT_PREC_WEEK = 1,
    EXT_PREC_MONTH = 2,
    EXT_PREC_YEAR = 3,
    EXT_PREC_UNKNOWN = 4
};

/* The analyst's review of an incident (store/store_review.h). */
enum {
    EXT_REVIEW_UNREVIEWED = 0,
    EXT_REVIEW_ACCEPTED = 1,
    EXT_REVIEW_EDITED = 2,
    EXT_REVIEW_REJECTED = 3
};
/* Where a sentence names something (issue 21): the bytes [start, end) of
 * the evidence sentence it belongs to. start < 0 says why there is none:
 * EXT_SPAN_NONE, the sentence does not name it (a casualty follow-up has no
 * trigger; a pair made with the paragraph's scene has its place in another
 * sentence); EXT_SPAN_UNKNOWN, not recorded (a report stored before the
 * store's schema 4, an incident read from a layer). Outside the process
 * (store, layers, API) offsets are characters (ext_utf8_chars). */
typedef struct ext_span {
    int start, end;
} ext_span;
#define EXT_SPAN_NONE (-1)
#define EXT_SPAN_UNKNOWN (-2)

/* One source of an incident: a document that reports it, with what that
 * document says (issue 18). */
typedef struct ext_source {
    char *doc_id;        /* owned */
    char *url;           /* owned, NULL when the document gives none */
    char *outlet;        /* owned: the document's outlet, else the URL's host; may be NULL */
    char published[11];  /* the document's publication date as given, or "" */
    char *evidence;      /* owned: the sentence of this document, may be NULL */
    char claimed_by[128];/* who claims it in this document, or "" */
    uint64_t text_fp;    /* fingerprint of the document's normalised text; 0 unknown */
    ext_span trig_span, place_span; /* trigger, place in `evidence` (issue 21) */
} ext_source;

typedef struct ext_incident {
    int type;              /* EXT_SHELLING, EXT_CLASH, EXT_EVACUATION */
    char date[11];         /* "YYYY-MM-DD", "YYYY-MM", "YYYY", or "" when unknown */
    int date_prec;         /* EXT_PREC_* */
    char place[128];       /* the name as the text wrote it */
    char place_name[128];  /* gazetteer canonical name (cli/ renames it for --names) */
    char place_alt[128];   /* the other side's name of a two-sided place, or "" */
    char place_id[48];     /* "geonames:174875" */
    char country[3];       /* ISO 3166-1 alpha-2 */
    char admin1[96];
    char admin2[96];       /* second-level unit (district, municipality), or "" */
    int geo_prec;          /* ACLED's scale: 1 the place itself, 2 near it or part of
                            * it, 3 only a larger area is known (a region's centroid,
                            * or the enclosing unit of a place the gazetteer lacks) */
    char place_unit[128];  /* with geo_prec 3 for a place the gazetteer lacks: the
                            * enclosing unit whose point is used ("Tovuz District");
                            * "" when the place itself was found */
    char sub_event_type[32]; /* ACLED-style: "artillery/missile", "air/drone strike",
                              * "armed clash", "attack", "organised evacuation",
                              * "flight", "arrival"; "" when the text does not say */
    double lon, lat;       /* WGS84 */
    char actor1[64];       /* normalised actor label, "" when unknown */
    char actor2[64];
    char claimed_by[128];  /* claimants, "; "-separated when merged */
    int fatalities;        /* -1 when the text gives none */
    int fatalities_max;    /* -1 when unknown; > fatalities when reports differ */
    int injured;           /* -1 when the text gives none */
    int injured_max;       /* -1 when unknown; > injured when reports differ */
    char **doc_ids;        /* owned array of owned strings */
    size_t n_doc_ids;
    int n_sources;
    char *evidence;        /* owned: the sentence */
    double confidence;     /* 0..1 */
    double border_km;      /* geodesic distance to the nearest international border; NAN unknown */
    bool contested;        /* merged reports disagree on who acted */
    size_t offset;         /* byte offset of the evidence in its document (sorting) */
    long long store_id;    /* the store's incident_id (sto_export), 0 outside a store */
    int review;            /* EXT_REVIEW_*: the analyst's verdict (store_review.h) */
    /* issue 18: provenance and ids */
    ext_source *srcs;      /* owned: one per document (aligned with doc_ids for a report
                            * fresh from extraction or a pool record), sorted by doc id
                            * in a merged incident; may be empty */
    size_t n_srcs;
    int n_reprints;        /* documents whose text repeats one already counted
                            * (n_sources counts distinct texts) */
    char published[11];    /* publication date of the report's document (the earliest
                            * of a merged incident's); "" unknown. An undated report
                            * merges only with undated reports of the same year */
    char incident_id[24];  /* stable id (mrg_incident_id), "" until merged */
    /* issue 21: in `evidence`, the trigger the model paired and the mention of
     * the place the report is pinned to (ext_span) */
    ext_span trig_span, place_span;
    size_t body_trig, body_trig_len; /* the trigger of a report of the document folded
                            * into this one (bytes of the document's text; len 0
                            * none): ext_incident_prefer_body marks it when it
                            * moves the evidence to that sentence */
} ext_incident;

/** Initialise `inc` to an empty incident (unknown numbers -1, NAN border,
 *  spans EXT_SPAN_UNKNOWN). */
void ext_incident_init(ext_incident *inc);

/** Free the strings `inc` owns and re-initialise it. NULL-safe. */
void ext_incident_clear(ext_incident *inc);

/** Deep-copy `src` into `dst` (which must be initialised or cleared).
 *  Returns 0 or CX_ENOMEM. */
int ext_incident_copy(ext_incident *dst, const ext_incident *src);

/** Append a document id (copied) unless already present. Returns 0 or CX_ENOMEM. */
int ext_incident_add_doc(ext_incident *inc, const char *doc_id);

/** Append a source (every string copied; NULL strings stay NULL) for
 *  document `doc_id`, its spans EXT_SPAN_UNKNOWN. Returns 0 or CX_ENOMEM. */
int ext_incident_add_source(ext_incident *inc, const char *doc_id, const char *url,
                            const char *outlet, const char *published, const char *evidence,
                            const char *claimed_by, uint64_t text_fp);

/** Deep-copy source `src` into `dst` (zeroed). Returns 0 or CX_ENOMEM. */
int ext_source_copy(ext_source *dst, const ext_source *src);

/** Free what `s` owns and zero it. NULL-safe. */
void ext_source_clear(ext_source *s);

/** The host of `url` without "www." into `buf` ("" when it has none). */
void ext_url_host(const char *url, char *buf, size_t size);

/** Fingerprint of a text for reprint detection: FNV-1a 64 over its letters
 *  and digits, ASCII lower-cased, everything else (spaces, punctuation,
 *  markup left-overs) skipped; 0 is never returned for a non-empty text. */
uint64_t ext_text_fingerprint(const char *text, size_t len);

/** When `inc`'s evidence is the headline `title` (or the first line of
 *  `text`), replace it with the first body sentence of `text` that names
 *  the place as the report wrote it (inc->place) and says more (is longer):
 *  "Shelling at Jermuk" gives way to "The town of Jermuk was shelled on
 *  Tuesday by ...". Sentences end at ". ", "! ", "? " or a line break.
 *  Nothing changes when no such sentence exists. The spans follow: the
 *  place where the sentence names it, the trigger `body_trig` when the
 *  sentence holds it, else EXT_SPAN_NONE. Returns 0 or CX_ENOMEM. */
int ext_incident_prefer_body(ext_incident *inc, const char *title, const char *text,
                             size_t len);

/** A span of `text` that is valid: 0 <= start < end <= strlen(text) (NULL
 *  text: none is). An invalid one keeps its reason (start < 0) or becomes
 *  EXT_SPAN_UNKNOWN. */
ext_span ext_span_check(ext_span sp, const char *text);

/** The characters (code points) of UTF-8 `text` before byte `byte`; a
 *  negative `byte` is returned as it is. */
int ext_utf8_chars(const char *text, int byte);

/** The byte offset of character `chars` of UTF-8 `text`; a negative
 *  `chars` is returned as it is, one past the end is EXT_SPAN_UNKNOWN. */
int ext_utf8_bytes(const char *text, int chars);

/** "shelling", "clash", "evacuation". */
const char *ext_type_name(int type);
/** Layer name of a type: "shelling", "clashes", "evacuations". */
const char *ext_type_layer(int type);
/** "unreviewed", "accepted", "edited", "rejected" (EXT_REVIEW_*). */
const char *ext_review_name(int review);
/** "day", "week", "month", "year", "unknown". */
const char *ext_prec_name(int prec);

#endif
