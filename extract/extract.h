/* extract.h -- text to incidents: the main header of extract/. Documents
 * come from read/ (rd_doc, read.h); extract/ reads no file format. Language knowledge (trigger words, date
 * words, cues) and conflict knowledge (actors, place filters) come from data
 * files through ext_lexicon; the place names come from a gazetteer reached
 * through callbacks, so this module depends on nothing but common/. */
#ifndef EXT_EXTRACT_H
#define EXT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "cx_place.h"
#include "read.h"
#include "incident.h"

typedef struct ext_lexicon ext_lexicon; /* opaque */

/** Load the lexicons of every language in `data_dir`/lexicon/<lang>.json and the
 *  conflict file `data_dir`/conflicts/`conflict`.json, and the model
 *  `data_dir`/model/pairs.json. Returns NULL and fills
 *  `err` (file, line, column) on failure. Ownership: ext_lexicon_free(). */
ext_lexicon *ext_lexicon_load(const char *data_dir, const char *conflict, cx_err *err);

/** ext_lexicon_load() with the model's weights read from `model` instead of
 *  `data_dir`/model/pairs.json (NULL: that default). */
ext_lexicon *ext_lexicon_open(const char *data_dir, const char *conflict, const char *model,
                              cx_err *err);

/** Free `lex`; NULL is a no-op. */
void ext_lexicon_free(ext_lexicon *lex);

/** The conflict's theatre (west, south, east, north) into `bbox`. Returns
 *  false when the conflict file sets none. */
bool ext_lexicon_theatre(const ext_lexicon *lex, double bbox[4]);

/* Where a gazetteer candidate stands for the conflict's theatre gate. */
enum { EXT_GATE_CORE = 0, EXT_GATE_BOX = 1, EXT_GATE_OUTSIDE = 2 };

/** The theatre gate extraction applies to candidate `p`: EXT_GATE_CORE inside
 *  the theatre's box and in a focus country, EXT_GATE_BOX inside the box
 *  only, EXT_GATE_OUTSIDE beyond it. `*kept` (may be NULL): would extraction
 *  keep it as a candidate place? An exact name in the box (an exact
 *  namesake outside loses to one inside and is never a candidate); a
 *  transliteration or fuzzy key only in the core. */
int ext_place_gate(const ext_lexicon *lex, const cx_place *p, bool *kept);

/* The gazetteer as extraction sees it. */
typedef struct ext_gazetteer {
    void *ctx;
    /* Candidates for a name as written (UTF-8), best first; 0 or CX_E*. */
    int (*lookup)(void *ctx, const char *name, size_t len, cx_place *out, size_t max,
                  size_t *n_out);
    /* GAZ_PROBE_*-style mask for a folded key: 1 name, 2 prefix of a longer name. */
    int (*probe)(void *ctx, const char *key, size_t len);
} ext_gazetteer;

typedef struct ext_options {
    const char *lang;          /* "fr", "en", "auto" or NULL (auto) */
    const char *date;          /* publication date YYYY-MM-DD when the doc has none, or NULL */
    double min_confidence;     /* drop incidents below this probability (0: the model's threshold) */
    bool keep_pairs;           /* fill ext_result.pairs (for training and error analysis) */
} ext_options;

/* A candidate pair as the model saw it: for `incimap extract --dump-pairs`. */
typedef struct ext_pair {
    int type;                  /* EXT_* */
    char place[128];           /* as written */
    char place_id[64];
    double lat, lon;
    size_t sentence;           /* index of the trigger's sentence (0 = title) */
    double prob;               /* the model's probability */
    float *x;                  /* owned: ext_feature_count() values */
    float ax[16];              /* actor features (ext_actor_feature_name), shelling and clash */
    struct ext_date_option {
        char date[11];         /* YYYY-MM-DD, YYYY-MM or YYYY */
        float x[24];           /* date features (ext_date_feature_name) */
    } *dates;                  /* owned: the candidate dates of the pair's trigger */
    size_t n_dates;
} ext_pair;

/** Name of date-choice feature i (borrowed, static), NULL past the last. */
const char *ext_date_feature_name(int i);

/** Name of actor feature i (borrowed, static), NULL past the last. */
const char *ext_actor_feature_name(int i);

/** Number of features of a pair, and the name of feature i (borrowed, static). */
int ext_feature_count(void);
const char *ext_feature_name(int i);

typedef struct ext_result {
    ext_incident *items; /* owned */
    size_t n;
    size_t cap;
    /* diagnostics for -v */
    size_t n_sentences, n_toponyms, n_triggers;
    ext_pair *pairs;  /* owned; only with ext_options.keep_pairs */
    size_t n_pairs, cap_pairs;
    char *unplaced;   /* owned or NULL: names introduced as places that the gazetteer
                       * lacks, "Name (Unit)" ("Name" when no unit gives a pin),
                       * "; "-separated (incident.h: geo_prec 3, place_unit) */
} ext_result;

/** Extract the incidents of one document, appending them to `out` in text
 *  order. Returns 0 or a CX_E* code with `err` set. */
int ext_extract(const ext_lexicon *lex, const ext_gazetteer *gaz, const rd_doc *doc,
                const ext_options *opts, ext_result *out, cx_err *err);

/** Free the incidents of `res` and zero it. NULL-safe. */
void ext_result_free(ext_result *res);

#endif
