/* lexicon.c -- load language and conflict knowledge from JSON data files
 * (Jansson) and compile it into phrase dictionaries. No word of any language
 * appears in this file: everything comes from data/. */
#include "lexicon.h"
#include "model.h"
#include "extract.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "cx_buf.h"
#include "cx_mem.h"
#include "cx_text.h"

/* ===== Phrase dictionary ===== */

#define NBUCKETS 4096
#define PREFIX_KEY 4 /* a prefix word ("bombard*") is filed under its first 4 bytes */

/* The phrases whose first word is one key: a whole word, or for prefix
 * first words the first PREFIX_KEY bytes. */
typedef struct bucket {
    const char *key; /* borrowed from the first phrase's first word */
    size_t klen;
    int *idx;        /* phrase indices, ascending */
    uint32_t *sig;   /* each one's second word (phrase_sig), read before the phrase */
    size_t n, cap;
    struct bucket *next;
} bucket;

/* The phrases' words, flags, lengths and the buckets are cut from an
 * arena freed together with the dict: no allocation per word while loading. */

struct extp_dict {
    cx_arena arena;
    extp_phrase *ph;
    size_t n, cap;
    bucket *b[NBUCKETS];      /* by whole first word */
    bucket *pre[NBUCKETS];    /* by the first PREFIX_KEY bytes of a prefix first word */
    /* which slots of b and pre are used, one bit each: 1 KB that stays in
     * the L1 cache, where the slot tables (64 KB) do not; most tokens start
     * no phrase and stop here */
    uint64_t used_b[NBUCKETS / 64], used_pre[NBUCKETS / 64];
    /* fold_words' buffers, kept from one phrase to the next while loading */
    cx_buf tmp, key, w;
};

static unsigned hash_key(const char *k, size_t len)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h & (NBUCKETS - 1);
}

static const bucket *find_bucket(bucket *const *table, const uint64_t *used, const char *key,
                                 size_t klen)
{
    unsigned h = hash_key(key, klen);
    if (!(used[h / 64] >> (h % 64) & 1))
        return NULL;
    for (const bucket *b = table[h]; b; b = b->next)
        if (b->klen == klen && memcmp(b->key, key, klen) == 0)
            return b;
    return NULL;
}

/* `size` zeroed bytes, aligned for any type, from the dict's chunks; NULL
 * when out of memory. */
static void *dict_alloc(extp_dict *d, size_t size)
{
    void *p = cx_arena_alloc(&d->arena, size);
    if (p)
        memset(p, 0, size);
    return p;
}

static void free_buckets(bucket **table)
{
    for (size_t i = 0; i < NBUCKETS; i++)
        for (bucket *b = table[i]; b; b = b->next)
            free(b->idx), free(b->sig); /* the bucket itself lives in a chunk */
}

static void dict_free(extp_dict *d)
{
    if (!d)
        return;
    free(d->ph);
    free_buckets(d->b);
    free_buckets(d->pre);
    cx_arena_free(&d->arena);
    cx_buf_free(&d->tmp);
    cx_buf_free(&d->key);
    cx_buf_free(&d->w);
    free(d);
}

int extp_fold_word(const extp_lang *lang, const char *s, size_t len, cx_buf *out)
{
    if (lang && lang->n_sensitive && len <= 8) {
        bool ascii = true;
        for (size_t i = 0; i < len; i++)
            ascii &= (unsigned char)s[i] < 0x80;
        if (!ascii) {
            int rc = cx_lower(s, len, out);
            if (rc)
                return rc;
            for (size_t i = 0; i < lang->n_sensitive; i++)
                if (strcmp(lang->sensitive[i], out->data) == 0)
                    return 0;
        }
    }
    return cx_fold_key(s, len, out);
}

/* Split `s` into folded words the way the tokenizer does: apostrophes and
 * hyphens separate words. Returns the number of words (0 on failure). */
static int fold_words(extp_dict *d, const extp_lang *lang, const char *s, char ***words_out,
                      unsigned char **pre_out)
{
    cx_buf tmp = d->tmp, key = d->key, w = d->w; /* given back at the end */
    cx_buf_reset(&tmp);
    cx_buf_reset(&key);
    size_t len = strlen(s);
    size_t i = 0, run = 0; /* s[run, i): bytes kept as they are, appended at once */
    int rc = 0;
    while (rc == 0 && i < len) {
        size_t at = i;
        long cp = cx_utf8_next(s, len, &i);
        if (cp == '\'' || cp == '-' || cp == 0x2019 || cp == 0x2011 || cp == 0x2010) {
            rc = cx_buf_append(&tmp, s + run, at - run);
            if (rc == 0)
                rc = cx_buf_putc(&tmp, ' ');
            run = i;
        }
    }
    if (rc == 0 && run < len)
        rc = cx_buf_append(&tmp, s + run, len - run);
    /* fold word by word, so that accent-sensitive words keep their accent */
    for (size_t a = 0; rc == 0 && tmp.data && a < tmp.len;) {
        while (a < tmp.len && tmp.data[a] == ' ')
            a++;
        size_t b = a;
        while (b < tmp.len && tmp.data[b] != ' ')
            b++;
        if (b > a) {
            bool star = tmp.data[b - 1] == '*';
            rc = extp_fold_word(lang, tmp.data + a, b - a - (star ? 1 : 0), &w);
            if (rc == 0 && w.len) {
                if (key.len)
                    rc = cx_buf_putc(&key, ' ');
                if (rc == 0)
                    rc = cx_buf_append(&key, w.data, w.len);
                if (rc == 0 && star)
                    rc = cx_buf_putc(&key, '*');
            }
        }
        a = b;
    }
    d->tmp = tmp;
    d->w = w;
    d->key = key;
    if (rc != 0 || key.len == 0)
        return 0;
    int n = 1;
    for (size_t k = 0; k < key.len; k++)
        n += key.data[k] == ' ';
    char **words = dict_alloc(d, (size_t)n * sizeof *words);
    unsigned char *pre = dict_alloc(d, (size_t)n);
    if (!words || !pre)
        return 0;
    int wn = 0;
    char *save = key.data;
    for (char *p = key.data;; p++) {
        if (*p == ' ' || *p == '\0') {
            size_t wl = (size_t)(p - save);
            if (wl && save[wl - 1] == '*') {
                pre[wn] = 1;
                wl--;
            }
            words[wn] = dict_alloc(d, wl + 1);
            if (words[wn]) {
                memcpy(words[wn], save, wl);
                words[wn][wl] = '\0';
            }
            wn++;
            if (*p == '\0')
                break;
            save = p + 1;
        }
    }
    *words_out = words;
    *pre_out = pre;
    return n;
}

/* A phrase's second word as a bucket keeps it: its first byte (bits 0-7),
 * whether it is a prefix (bit 8), its length (bits 9-31); 0 for none (a
 * one-word phrase, or a word too long to say: phrase_at decides). */
#define SIG_PRE 0x100u
static uint32_t phrase_sig(const extp_phrase *p)
{
    if (p->n < 2 || p->lens[1] >= (1u << 23))
        return 0;
    return (uint32_t)p->lens[1] << 9 | (p->pre[1] ? SIG_PRE : 0) | (unsigned char)p->words[1][0];
}

static int dict_add(extp_dict *d, const extp_lang *lang, const char *phrase, int cat, int val)
{
    char **words = NULL;
    unsigned char *pre = NULL;
    int n = fold_words(d, lang, phrase, &words, &pre);
    if (n == 0)
        return 0; /* empty phrase: ignored */
    for (int k = 0; k < n; k++) {
        if (!words[k] || (pre[k] && strlen(words[k]) < 4) || words[k][0] == '\0')
            return words[k] ? 0 : CX_ENOMEM; /* a too-short prefix is ignored */
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        extp_phrase *p = realloc(d->ph, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        d->ph = p;
        d->cap = cap;
    }
    size_t *lens = dict_alloc(d, (size_t)n * sizeof *lens);
    if (!lens)
        return CX_ENOMEM;
    for (int k = 0; k < n; k++)
        lens[k] = strlen(words[k]);
    d->ph[d->n] = (extp_phrase){words, pre, lens, n, cat, val};
    bucket **table = pre[0] ? d->pre : d->b;
    size_t kl = pre[0] ? PREFIX_KEY : lens[0];
    unsigned h = hash_key(words[0], kl);
    bucket *b = table[h];
    while (b && !(b->klen == kl && memcmp(b->key, words[0], kl) == 0))
        b = b->next;
    if (!b) {
        b = dict_alloc(d, sizeof *b);
        if (!b)
            return CX_ENOMEM;
        b->key = words[0]; /* lives as long as the phrase, hence the dict */
        b->klen = kl;
        b->next = table[h];
        table[h] = b;
        uint64_t *used = pre[0] ? d->used_pre : d->used_b;
        used[h / 64] |= (uint64_t)1 << (h % 64);
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4;
        int *ix = realloc(b->idx, cap * sizeof *ix);
        if (!ix)
            return CX_ENOMEM;
        b->idx = ix;
        uint32_t *sg = realloc(b->sig, cap * sizeof *sg);
        if (!sg)
            return CX_ENOMEM;
        b->sig = sg;
        b->cap = cap;
    }
    b->sig[b->n] = phrase_sig(&d->ph[d->n]);
    b->idx[b->n++] = (int)d->n;
    d->n++;
    return 0;
}

static bool word_eq(const extp_phrase *p, int k, const char *w, size_t wl)
{
    size_t pl = p->lens[k];
    if (p->pre[k])
        return wl >= pl && memcmp(w, p->words[k], pl) == 0;
    return wl == pl && memcmp(w, p->words[k], pl) == 0;
}

/* Whether phrase p matches at token i, its words from `from` on. */
static bool phrase_at(const extp_phrase *p, int from, const char *const *words,
                      const size_t *lens, size_t n, size_t i)
{
    if (i + (size_t)p->n > n)
        return false;
    for (int k = from; k < p->n; k++)
        if (!words[i + k] || !word_eq(p, k, words[i + k], lens[i + k]))
            return false;
    return true;
}

size_t extp_dict_match(const extp_dict *d, const char *const *words, const size_t *lens,
                       size_t n, size_t i, extp_match *out, size_t max)
{
    if (!words[i] || lens[i] == 0)
        return 0;
    /* the phrases whose first word is this word (it matched: start at the
     * second), then those whose first word is a prefix of it; the matches
     * are kept in phrase order, as one list would give them */
    const bucket *whole = find_bucket(d->b, d->used_b, words[i], lens[i]);
    const bucket *pfx =
        lens[i] >= PREFIX_KEY ? find_bucket(d->pre, d->used_pre, words[i], PREFIX_KEY) : NULL;
    size_t a = 0, b = 0, got = 0;
    size_t na = whole ? whole->n : 0, nb = pfx ? pfx->n : 0;
    const char *w1 = i + 1 < n ? words[i + 1] : NULL; /* the next word */
    size_t l1 = w1 ? lens[i + 1] : 0;
    while (got < max && (a < na || b < nb)) {
        const extp_phrase *p;
        if (b >= nb || (a < na && whole->idx[a] < pfx->idx[b])) {
            /* its second word first, from the bucket (phrase_at's test:
             * most phrases of a first word fail there) */
            uint32_t sg = whole->sig[a];
            p = &d->ph[whole->idx[a++]];
            if (sg && (!w1 || ((sg & SIG_PRE) ? l1 < (sg >> 9) : l1 != (sg >> 9)) ||
                       (unsigned char)w1[0] != (sg & 0xffu)))
                continue;
            if (!phrase_at(p, 1, words, lens, n, i))
                continue;
        } else {
            p = &d->ph[pfx->idx[b++]];
            if (!phrase_at(p, 0, words, lens, n, i))
                continue;
        }
        out[got++] = (extp_match){p->cat, p->n, p->val};
    }
    return got;
}

bool extp_is_in(char *const *list, size_t n, const char *w, size_t len)
{
    /* the first byte before the length: most entries differ there */
    char c0 = len ? w[0] : '\0';
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == c0 && strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return true;
    return false;
}

/* ===== Loading ===== */

typedef struct loadctx {
    const char *path;
    cx_err *err;
} loadctx;

static int add_list(extp_dict *d, const extp_lang *lang, json_t *arr, int cat, int val)
{
    size_t i;
    json_t *v;
    if (!arr)
        return 0;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v)) {
            int rc = dict_add(d, lang, json_string_value(v), cat, val);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int add_map(extp_dict *d, const extp_lang *lang, json_t *obj, int cat)
{
    const char *k;
    json_t *v;
    if (!obj)
        return 0;
    json_object_foreach(obj, k, v)
    {
        if (json_is_integer(v)) {
            int rc = dict_add(d, lang, k, cat, (int)json_integer_value(v));
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The strings of a JSON array, each through `key` (cx_fold_key, cx_lower).
 * Strings that fail or are not strings are left out. */
static int key_list(json_t *arr, int (*key)(const char *, size_t, cx_buf *), char ***out,
                    size_t *n_out)
{
    size_t n = json_array_size(arr), i;
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return 0;
    char **l = calloc(n, sizeof *l);
    if (!l)
        return CX_ENOMEM;
    json_t *v;
    cx_buf b = CX_BUF_INIT;
    size_t k = 0;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v) || key(json_string_value(v), strlen(json_string_value(v)), &b))
            continue;
        if (!(l[k] = cx_buf_steal(&b)))
            break;
        k++;
    }
    cx_buf_free(&b);
    *out = l;
    *n_out = k;
    return 0;
}

static int fold_list(json_t *arr, char ***out, size_t *n_out)
{
    return key_list(arr, cx_fold_key, out, n_out);
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static json_t *load_json(const char *path, cx_err *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        cx_err_set(err, CX_EFORMAT, path, je.line, "column %d: %s", je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        cx_err_set(err, CX_EFORMAT, path, 0, "expected a JSON object");
        return NULL;
    }
    return root;
}

/* Conflict phrases shared by every language's dictionary. */
static int add_conflict_phrases(extp_dict *d, const extp_lang *lang, json_t *conf)
{
    json_t *actors = json_object_get(conf, "actors");
    size_t i;
    json_t *a;
    json_array_foreach(actors, i, a)
    {
        int rc = add_list(d, lang, json_object_get(a, "patterns"), LX_ACTOR, (int)i);
        if (rc)
            return rc;
    }
    json_t *wars = json_object_get(conf, "wars");
    json_array_foreach(wars, i, a)
    {
        int rc = i < 8 ? add_list(d, lang, json_object_get(a, "patterns"), LX_ANAPHOR_DAY,
                                        EXTP_WAR_BASE + (int)i) : 0;
        if (rc)
            return rc;
    }
    return add_list(d, lang, json_object_get(conf, "not_places"), LX_NOT_PLACE, 0);
}

static int lower_list(json_t *arr, char ***out, size_t *n_out)
{
    return key_list(arr, cx_lower, out, n_out);
}

static int load_lang(extp_lang *L, json_t *root, json_t *conf)
{
    extp_dict *d = calloc(1, sizeof *d);
    if (!d)
        return CX_ENOMEM;
    L->dict = d;
    if (lower_list(json_object_get(root, "accent_sensitive"), &L->sensitive, &L->n_sensitive))
        return CX_ENOMEM;
    size_t nf = 0;
    if (fold_list(json_object_get(root, "accent_sensitive"), &L->sensitive_folded, &nf) ||
        nf != L->n_sensitive)
        return CX_ENOMEM;
    json_t *tr = json_object_get(root, "triggers");
    json_t *sh = json_object_get(tr, "shelling"), *cl = json_object_get(tr, "clash"),
           *ev = json_object_get(tr, "evacuation");
    json_t *cas = json_object_get(root, "casualties"), *dt = json_object_get(root, "dates");
    json_t *cc = json_object_get(root, "claim_cues");
    int rc = 0;
#define L_(arr, cat) if (!rc) rc = add_list(d, L, (arr), (cat), 0)
    L_(json_object_get(root, "function_words"), LX_FUNCTION);
    L_(json_object_get(sh, "strong"), LX_SHELL_STRONG);
    L_(json_object_get(sh, "weak"), LX_SHELL_WEAK);
    L_(json_object_get(sh, "fire"), LX_SHELL_FIRE);
    L_(json_object_get(sh, "verbs"), LX_SHELL_VERB);
    L_(json_object_get(cl, "strong"), LX_CLASH_STRONG);
    L_(json_object_get(cl, "weak"), LX_CLASH_WEAK);
    L_(json_object_get(cl, "capture"), LX_CLASH_CAPTURE);
    L_(json_object_get(ev, "strong"), LX_EVAC_STRONG);
    L_(json_object_get(ev, "weak"), LX_EVAC_WEAK);
    L_(json_object_get(ev, "verbs"), LX_EVAC_VERB);
    L_(json_object_get(tr, "attack"), LX_ATTACK);
    L_(json_object_get(root, "not_triggers"), LX_NOT_TRIGGER);
    L_(json_object_get(root, "negation"), LX_NEGATION);
    L_(json_object_get(root, "neg_particles"), LX_NEG_PARTICLE);
    L_(json_object_get(root, "irrealis"), LX_IRREALIS);
    L_(json_object_get(root, "locative"), LX_LOCATIVE);
    L_(json_object_get(root, "near"), LX_NEAR);
    L_(json_object_get(root, "genitive"), LX_GENITIVE);
    L_(json_object_get(root, "determiners"), LX_DETERMINER);
    L_(json_object_get(root, "place_nouns"), LX_PLACE_NOUN);
    L_(json_object_get(root, "region_nouns"), LX_REGION_NOUN);
    L_(json_object_get(root, "settlement_nouns"), LX_SETTLEMENT_NOUN);
    L_(json_object_get(root, "water_nouns"), LX_WATER_NOUN);
    L_(json_object_get(root, "non_locative_heads"), LX_NONLOC_HEAD);
    L_(json_object_get(root, "person_titles"), LX_PERSON_TITLE);
    L_(json_object_get(root, "clause_breaks"), LX_CLAUSE_BREAK);
    L_(json_object_get(root, "list_conj"), LX_LIST_CONJ);
    L_(json_object_get(root, "apposition_cues"), LX_APPOSITION);
    L_(json_object_get(cc, "before"), LX_CLAIM_BEFORE);
    L_(json_object_get(cc, "verbs"), LX_CLAIM_VERB);
    L_(json_object_get(cc, "organisations"), LX_CLAIM_ORG);
    L_(json_object_get(cc, "not_claimants"), LX_NOT_CLAIMANT);
    L_(json_object_get(cas, "killed"), LX_KILLED);
    L_(json_object_get(cas, "injured"), LX_INJURED);
    L_(json_object_get(cas, "about"), LX_ABOUT);
    L_(json_object_get(cas, "people"), LX_PEOPLE);
    L_(json_object_get(cas, "cumulative"), LX_TOLL_CUE);
    L_(json_object_get(cas, "since"), LX_TOLL_SINCE);
#define V_(arr, cat, v) if (!rc) rc = add_list(d, L, (arr), (cat), (v))
    V_(json_object_get(cas, "campaigns"), LX_TOLL_SHAPE, EXTP_TOLL_CAMPAIGN);
    V_(json_object_get(cas, "relatives"), LX_TOLL_SHAPE, EXTP_TOLL_RELATIVE);
    V_(json_object_get(cas, "results"), LX_TOLL_SHAPE, EXTP_TOLL_RESULT);
    V_(json_object_get(cas, "range_from"), LX_TOLL_SPAN, EXTP_TOLL_FROM);
    V_(json_object_get(cas, "range_to"), LX_TOLL_SPAN, EXTP_TOLL_TO);
    V_(json_object_get(cas, "within"), LX_TOLL_SPAN, EXTP_TOLL_WITHIN);
    V_(json_object_get(cas, "over"), LX_TOLL_SPAN, EXTP_TOLL_OVER);
    V_(json_object_get(cas, "periods"), LX_TOLL_SPAN, EXTP_TOLL_PERIOD);
    V_(json_object_get(cas, "hours"), LX_TOLL_SPAN, EXTP_TOLL_HOURS);
    json_t *rctx = json_object_get(root, "region_context");
    V_(json_object_get(rctx, "background"), LX_REGION_CTX, EXTP_RCTX_BACKGROUND);
    V_(json_object_get(rctx, "ongoing"), LX_REGION_CTX, EXTP_RCTX_ONGOING);
    V_(json_object_get(rctx, "groups"), LX_REGION_CTX, EXTP_RCTX_GROUP);
#undef V_
    L_(json_object_get(dt, "relative_weeks"), LX_RELWEEK);
    if (!rc) /* "last month": a vague span of the month before publication */
        rc = add_list(d, L, json_object_get(dt, "previous_month"), LX_RELWEEK, 1);
    L_(json_object_get(dt, "ordinals"), LX_ORDINAL);
    L_(json_object_get(dt, "year_cues"), LX_YEAR_CUE);
    L_(json_object_get(dt, "month_cues"), LX_MONTH_CUE);
    L_(json_object_get(dt, "past_markers"), LX_PAST_MARKER);
    L_(json_object_get(dt, "night_words"), LX_NIGHT);
    if (!rc)
        rc = add_list(d, L, json_object_get(dt, "war_start"), LX_ANAPHOR_DAY,
                      EXTP_WAR_BASE + EXTP_WAR_START);
    L_(json_object_get(root, "agent_markers"), LX_AGENT);
    L_(json_object_get(root, "boilerplate"), LX_BOILERPLATE);
    L_(json_object_get(root, "own_forces"), LX_OWN_FORCES);
    L_(json_object_get(root, "enemy_forces"), LX_ENEMY);
    L_(json_object_get(root, "conflict_nouns"), LX_CONFLICT_NOUN);
    L_(json_object_get(root, "advisory_cues"), LX_ADVISORY);
    L_(json_object_get(root, "military_targets"), LX_MIL_TARGET);
    L_(json_object_get(root, "occupation_cues"), LX_OCCUPATION);
#undef L_
    /* "sub_event_types": {"shelling": {"artillery/missile": [phrases], ...}, ...} */
    static const char *const types[3] = {"shelling", "clash", "evacuation"};
    json_t *sub = json_object_get(root, "sub_event_types");
    for (int ty = 0; ty < 3 && !rc; ty++) {
        const char *label;
        json_t *arr;
        json_object_foreach(json_object_get(sub, types[ty]), label, arr) {
            if (rc || L->n_sub[ty] == 8)
                break;
            snprintf(L->sub_label[ty][L->n_sub[ty]], sizeof L->sub_label[ty][0], "%s", label);
            rc = add_list(d, L, arr, LX_SUBEVENT, ty * 8 + (int)L->n_sub[ty]);
            L->n_sub[ty]++;
        }
    }
    if (!rc) rc = add_map(d, L, json_object_get(cas, "number_words"), LX_NUMWORD);
    if (!rc) rc = add_map(d, L, json_object_get(dt, "months"), LX_MONTH);
    if (!rc) rc = add_map(d, L, json_object_get(dt, "weekdays"), LX_WEEKDAY);
    if (!rc) rc = add_map(d, L, json_object_get(dt, "relative_days"), LX_RELDAY);
    if (!rc) rc = add_map(d, L, json_object_get(dt, "anaphoric_days"), LX_ANAPHOR_DAY);
    if (!rc) rc = add_conflict_phrases(d, L, conf);
    if (!rc) rc = fold_list(json_object_get(root, "abbreviations"), &L->abbrev, &L->n_abbrev);
    if (!rc) rc = fold_list(json_object_get(root, "elisions"), &L->elision, &L->n_elision);
    if (!rc) rc = fold_list(json_object_get(root, "detect"), &L->detect, &L->n_detect);
    return rc;
}

static void copy_str(char *dst, size_t size, json_t *v)
{
    snprintf(dst, size, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int load_conflict(struct ext_lexicon *lex, json_t *conf, const char *path, cx_err *err)
{
    copy_str(lex->conflict, sizeof lex->conflict, json_object_get(conf, "id"));
    json_t *actors = json_object_get(conf, "actors");
    if (!json_is_array(actors) || json_array_size(actors) == 0)
        return cx_err_set(err, CX_EFORMAT, path, 0, "no \"actors\" array");
    lex->n_actors = json_array_size(actors);
    lex->actors = calloc(lex->n_actors, sizeof *lex->actors);
    if (!lex->actors)
        return cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
    size_t i;
    json_t *a;
    json_array_foreach(actors, i, a)
    {
        copy_str(lex->actors[i].id, sizeof lex->actors[i].id, json_object_get(a, "id"));
        copy_str(lex->actors[i].label, sizeof lex->actors[i].label, json_object_get(a, "label"));
        copy_str(lex->actors[i].side, sizeof lex->actors[i].side, json_object_get(a, "side"));
    }
    json_t *th = json_object_get(conf, "theatre");
    if (th) {
        lex->theatre[0] = json_number_value(json_object_get(th, "west"));
        lex->theatre[1] = json_number_value(json_object_get(th, "south"));
        lex->theatre[2] = json_number_value(json_object_get(th, "east"));
        lex->theatre[3] = json_number_value(json_object_get(th, "north"));
    }
    json_t *fc = json_object_get(conf, "focus_countries"), *v;
    json_array_foreach(fc, i, v)
    {
        if (lex->n_focus < 8)
            copy_str(lex->focus[lex->n_focus++], 3, v);
    }
    json_t *ctl = json_object_get(conf, "control");
    lex->n_control = json_array_size(ctl);
    if (lex->n_control) {
        lex->control = calloc(lex->n_control, sizeof *lex->control);
        if (!lex->control)
            return cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
    }
    json_array_foreach(ctl, i, v)
    {
        extp_control *c = &lex->control[i];
        c->lat = json_number_value(json_object_get(v, "lat"));
        c->lon = json_number_value(json_object_get(v, "lon"));
        c->radius_km = json_number_value(json_object_get(v, "radius_km"));
        copy_str(c->from, sizeof c->from, json_object_get(v, "from"));
        copy_str(c->to, sizeof c->to, json_object_get(v, "to"));
        copy_str(c->side, sizeof c->side, json_object_get(v, "side"));
    }
    json_t *wars = json_object_get(conf, "wars");
    json_array_foreach(wars, i, v)
    {
        if (lex->n_wars < 8) {
            copy_str(lex->wars[lex->n_wars][0], 11, json_object_get(v, "from"));
            copy_str(lex->wars[lex->n_wars][1], 11, json_object_get(v, "to"));
            lex->n_wars++;
        }
    }
    json_t *sides = json_object_get(conf, "sides");
    const char *sk;
    json_t *sv;
    json_object_foreach(sides, sk, sv)
    {
        if (lex->n_sides < 8) {
            snprintf(lex->sides[lex->n_sides][0], 48, "%s", sk);
            copy_str(lex->sides[lex->n_sides][1], 48, sv);
            lex->n_sides++;
        }
    }
    json_t *cbc = json_object_get(conf, "control_by_country");
    const char *k;
    json_object_foreach(cbc, k, v)
    {
        if (lex->n_ctrl_country < 8) {
            snprintf(lex->ctrl_country[lex->n_ctrl_country][0], 8, "%s", k);
            copy_str(lex->ctrl_country[lex->n_ctrl_country][1], 8, v);
            lex->n_ctrl_country++;
        }
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

ext_lexicon *ext_lexicon_load(const char *data_dir, const char *conflict, cx_err *err)
{
    return ext_lexicon_open(data_dir, conflict, NULL, err);
}

ext_lexicon *ext_lexicon_open(const char *data_dir, const char *conflict, const char *model,
                              cx_err *err)
{
    char path[4096];
    struct ext_lexicon *lex = calloc(1, sizeof *lex);
    json_t *conf = NULL;
    DIR *dir = NULL;
    char **names = NULL;
    size_t n_names = 0;
    if (!lex) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/conflicts/%s.json", data_dir, conflict);
    if (!(conf = load_json(path, err)))
        goto fail;
    if (load_conflict(lex, conf, path, err) != 0)
        goto fail;

    snprintf(path, sizeof path, "%s/lexicon", data_dir);
    if (!(dir = opendir(path))) {
        cx_err_set(err, CX_ENOTFOUND, path, 0, "cannot open the lexicon folder");
        goto fail;
    }
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
            char **nn = realloc(names, (n_names + 1) * sizeof *nn);
            if (!nn)
                goto oom;
            names = nn;
            if (!(names[n_names] = strdup(de->d_name)))
                goto oom;
            n_names++;
        }
    }
    closedir(dir);
    dir = NULL;
    if (n_names == 0) {
        cx_err_set(err, CX_ENOTFOUND, path, 0, "no <lang>.json lexicon");
        goto fail;
    }
    qsort(names, n_names, sizeof *names, cmp_str);
    lex->langs = calloc(n_names, sizeof *lex->langs);
    if (!lex->langs)
        goto oom;
    for (size_t i = 0; i < n_names; i++) {
        snprintf(path, sizeof path, "%s/lexicon/%s", data_dir, names[i]);
        json_t *root = load_json(path, err);
        if (!root)
            goto fail;
        extp_lang *L = &lex->langs[lex->n_langs++];
        copy_str(L->code, sizeof L->code, json_object_get(root, "lang"));
        int rc = L->code[0] ? load_lang(L, root, conf) : CX_EFORMAT;
        json_decref(root);
        if (rc != 0) {
            cx_err_set(err, rc, path, 0, rc == CX_ENOMEM ? "out of memory" : "no \"lang\" code");
            goto fail;
        }
    }
    free_list(names, n_names);
    json_decref(conf);
    names = NULL;
    conf = NULL;
    n_names = 0;
    /* the model that decides which pairs are incidents (data/model/pairs.json) */
    if (model)
        snprintf(path, sizeof path, "%s", model);
    else
        snprintf(path, sizeof path, "%s/model/pairs.json", data_dir);
    if (!(lex->model = calloc(1, sizeof *lex->model)))
        goto oom;
    if (extp_model_load(path, lex->model, err) != 0)
        goto fail;
    return lex;
oom:
    cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
fail:
    if (dir)
        closedir(dir);
    free_list(names, n_names);
    json_decref(conf);
    ext_lexicon_free(lex);
    return NULL;
}

void ext_lexicon_free(ext_lexicon *lex)
{
    if (!lex)
        return;
    for (size_t i = 0; i < lex->n_langs; i++) {
        extp_lang *L = &lex->langs[i];
        dict_free(L->dict);
        free_list(L->abbrev, L->n_abbrev);
        free_list(L->elision, L->n_elision);
        free_list(L->detect, L->n_detect);
        free_list(L->sensitive, L->n_sensitive);
        free_list(L->sensitive_folded, L->n_sensitive);
    }
    free(lex->langs);
    free(lex->actors);
    free(lex->control);
    free(lex->model);
    free(lex);
}

bool ext_lexicon_theatre(const ext_lexicon *lex, double bbox[4])
{
    const double *t = lex->theatre;
    if (t[0] == 0 && t[1] == 0 && t[2] == 0 && t[3] == 0)
        return false;
    memcpy(bbox, t, 4 * sizeof *bbox);
    return true;
}

const extp_lang *extp_lang_find(const struct ext_lexicon *lex, const char *code)
{
    for (size_t i = 0; i < lex->n_langs; i++)
        if (strcmp(lex->langs[i].code, code) == 0)
            return &lex->langs[i];
    return NULL;
}
