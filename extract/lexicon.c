/* lexicon.c -- load language and conflict knowledge from JSON data files
 * (Jansson) and compile it into phrase dictionaries. No word of any language
 * appears in this file: everything comes from data/. */
#include "lexicon.h"
#include "lexicon_json.h"
#include "model.h"
#include "extract.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "cx_buf.h"
#include "cx_mem.h"
#include "cx_text.h"
#include "inflect.h"

/* ===== Phrase dictionary ===== */

#define NBUCKETS 4096
#define NPREFIX 256 /* prefix first words are few (23 a language today) */
#define PREFIX_KEY 4 /* a prefix word ("bombard*") is filed under its first 4 bytes */

/* The phrases whose first word is one key: a whole word, or for prefix
 * first words the first PREFIX_KEY bytes. */
/* One phrase: its folded words, then (in the same arena block, after the
 * n word pointers) their n lengths and n prefix flags (1: the word is a
 * prefix); 24 bytes, for the dict's pages. */
typedef struct dphrase {
    char **words;
    int n;
    int cat;
    int val; /* number, month, actor index... */
} dphrase;

static inline const size_t *ph_lens(const dphrase *p)
{
    return (const size_t *)(const void *)(p->words + p->n);
}

static inline const unsigned char *ph_pre(const dphrase *p)
{
    return (const unsigned char *)(ph_lens(p) + p->n);
}

typedef struct bucket {
    const char *key; /* borrowed from the first phrase's first word */
    int *idx;        /* phrase indices, ascending (idx0 while they fit) */
    uint32_t *sig;   /* each one's second word (phrase_sig), read before the phrase */
    struct bucket *next;
    uint32_t klen, n, cap;
    bool bigrams;    /* some phrases of this first word are in the bigram table */
    /* the first two in the bucket itself: most first words start one or
     * two phrases, and every page the dict touches is a page fault */
    int idx0[2];
    uint32_t sig0[2];
} bucket;

/* The phrases of two words or more whose first two words are whole words
 * (not prefixes), by those two words: a token probes only the phrases that
 * go on with the next token's word, not every phrase of its first word
 * ("de", "the" start hundreds). */
#define NBIGRAMS 2048
typedef struct bigram {
    const char *w0, *w1; /* borrowed from the first phrase */
    int *idx;            /* phrase indices, ascending (idx0 while they fit) */
    struct bigram *next;
    uint32_t l0, l1, n, cap;
    int idx0[2];
} bigram;

/* The phrases' words, flags, lengths and the buckets are cut from an
 * arena freed together with the dict: no allocation per word while loading. */

struct extp_dict {
    cx_arena arena;
    dphrase *ph;
    size_t n, cap;
    bucket *b[NBUCKETS];      /* by whole first word */
    bucket *pre[NPREFIX];     /* by the first PREFIX_KEY bytes of a prefix first word */
    /* which slots of b and pre are used, one bit each: 1 KB that stays in
     * the L1 cache, where the slot tables (64 KB) do not; most tokens start
     * no phrase and stop here */
    uint64_t used_b[NBUCKETS / 64], used_pre[NPREFIX / 64];
    bigram *bi[NBIGRAMS];
    /* fold_words' buffers, kept from one phrase to the next while loading */
    cx_buf key, w;
};

/* FNV-1a, continued from `h` (FNV_INIT to start) */
#define FNV_INIT 2166136261u
static inline uint32_t fnv(uint32_t h, const char *k, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h;
}

/* A bigram's hash: its first word's (FNV state `h0`), a 0xff byte (in no
 * UTF-8 word), the second word. */
static unsigned hash_bigram(uint32_t h0, const char *w1, size_t l1)
{
    return fnv((h0 ^ 0xffu) * 16777619u, w1, l1) & (NBIGRAMS - 1);
}

/* The bucket of `key` in `table`, whose slot is `h`. */
static const bucket *find_bucket_at(bucket *const *table, const uint64_t *used, unsigned h,
                                    const char *key, size_t klen)
{
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

static void dict_free(extp_dict *d)
{
    if (!d)
        return;
    free(d->ph);
    cx_arena_free(&d->arena);
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

/* Bytes of a phrase by class: where the tokenizer splits words (space,
 * apostrophe, hyphen; 0xE2 may start U+2019, U+2011 or U+2010), and the
 * ASCII letters and digits, whose fold is their lower case. */
enum { PB_SEP = 1, PB_E2 = 2, PB_PLAIN = 4 };
static const unsigned char phrase_byte[256] = {
    [' '] = PB_SEP, ['\''] = PB_SEP, ['-'] = PB_SEP, [0xE2] = PB_E2,
    ['0'] = PB_PLAIN, ['1'] = PB_PLAIN, ['2'] = PB_PLAIN, ['3'] = PB_PLAIN, ['4'] = PB_PLAIN,
    ['5'] = PB_PLAIN, ['6'] = PB_PLAIN, ['7'] = PB_PLAIN, ['8'] = PB_PLAIN, ['9'] = PB_PLAIN,
#define PB_LETTERS(c) [c] = PB_PLAIN, [c + 32] = PB_PLAIN
    PB_LETTERS('A'), PB_LETTERS('B'), PB_LETTERS('C'), PB_LETTERS('D'), PB_LETTERS('E'),
    PB_LETTERS('F'), PB_LETTERS('G'), PB_LETTERS('H'), PB_LETTERS('I'), PB_LETTERS('J'),
    PB_LETTERS('K'), PB_LETTERS('L'), PB_LETTERS('M'), PB_LETTERS('N'), PB_LETTERS('O'),
    PB_LETTERS('P'), PB_LETTERS('Q'), PB_LETTERS('R'), PB_LETTERS('S'), PB_LETTERS('T'),
    PB_LETTERS('U'), PB_LETTERS('V'), PB_LETTERS('W'), PB_LETTERS('X'), PB_LETTERS('Y'),
    PB_LETTERS('Z'),
#undef PB_LETTERS
};

/* The length of the separator at s[i], 0 when none. */
static inline size_t word_sep(const char *s, size_t len, size_t i)
{
    unsigned k = phrase_byte[(unsigned char)s[i]];
    if (k & PB_SEP)
        return 1;
    /* U+2019, U+2011, U+2010 (a valid sequence never has E2 inside another) */
    if ((k & PB_E2) && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x91 ||
         (unsigned char)s[i + 2] == 0x90))
        return 3;
    return 0;
}

/* Split `s` into folded words the way the tokenizer does: apostrophes and
 * hyphens separate words; a word ending in '*' is a prefix. Returns the
 * number of words (0 for none or on failure); words, their prefix flags
 * and lengths are cut from the dict's arena in one block. */
static int fold_words(extp_dict *d, const extp_lang *lang, const char *s, size_t len,
                      char ***words_out, unsigned char **pre_out, size_t **lens_out)
{
    cx_buf key = d->key, w = d->w; /* given back at the end */
    cx_buf_reset(&key);
    int rc = cx_buf_reserve(&key, len + 1);
    /* fold word by word, so that accent-sensitive words keep their accent */
    for (size_t a = 0; rc == 0 && a < len;) {
        size_t sep = word_sep(s, len, a);
        if (sep) {
            a += sep;
            continue;
        }
        /* the word: up to the next separator; `other` counts its bytes
         * that are not ASCII letters or digits */
        size_t b = a, other = 0;
        for (; b < len; b++) {
            unsigned k = phrase_byte[(unsigned char)s[b]];
            if (k & (PB_SEP | PB_E2) && word_sep(s, len, b))
                break;
            other += !(k & PB_PLAIN);
        }
        bool star = s[b - 1] == '*';
        size_t wl = b - a - (star ? 1 : 0);
        bool plain = other == (star ? 1u : 0u); /* ASCII letters and digits */
        const char *f = w.data;
        size_t fl = 0;
        if (plain) {
            f = s + a;
            fl = wl;
        } else {
            rc = extp_fold_word(lang, s + a, wl, &w);
            f = w.data;
            fl = w.len;
        }
        if (rc == 0 && fl) {
            if (key.len)
                rc = cx_buf_putc(&key, ' ');
            if (rc == 0 && cx_buf_reserve(&key, fl + 1) != 0)
                rc = CX_ENOMEM;
            if (rc == 0) {
                char *o = key.data + key.len;
                if (plain)
                    for (size_t k = 0; k < fl; k++)
                        o[k] = (char)(f[k] | 0x20); /* a letter's lower case; digits have it */
                else
                    memcpy(o, f, fl);
                key.len += fl;
                key.data[key.len] = '\0';
            }
            if (rc == 0 && star)
                rc = cx_buf_putc(&key, '*');
        }
        a = b;
    }
    d->w = w;
    d->key = key;
    if (rc != 0 || key.len == 0)
        return 0;
    int n = 1;
    for (size_t k = 0; k < key.len; k++)
        n += key.data[k] == ' ';
    /* words, lens, flags and the words' bytes in one block */
    size_t nn = (size_t)n;
    char *blk = dict_alloc(d, nn * (sizeof(char *) + sizeof(size_t) + 1) + key.len + 1);
    if (!blk)
        return 0;
    char **words = (char **)(void *)blk;
    size_t *lens = (size_t *)(void *)(blk + nn * sizeof(char *));
    unsigned char *pre = (unsigned char *)(blk + nn * (sizeof(char *) + sizeof(size_t)));
    char *chars = (char *)pre + nn;
    memcpy(chars, key.data, key.len + 1);
    int wn = 0;
    char *save = chars;
    for (char *p = chars;; p++) {
        if (*p == ' ' || *p == '\0') {
            bool end = *p == '\0';
            size_t wl = (size_t)(p - save);
            *p = '\0';
            if (wl && save[wl - 1] == '*') {
                pre[wn] = 1;
                save[--wl] = '\0';
            }
            words[wn] = save;
            lens[wn] = wl;
            wn++;
            if (end)
                break;
            save = p + 1;
        }
    }
    *words_out = words;
    *pre_out = pre;
    *lens_out = lens;
    return n;
}

/* A phrase's second word as a bucket keeps it: its first byte (bits 0-7),
 * whether it is a prefix (bit 8), its length (bits 9-31); 0 for none (a
 * one-word phrase, or a word too long to say: phrase_at decides). */
#define SIG_PRE 0x100u
static uint32_t phrase_sig(const dphrase *p)
{
    if (p->n < 2 || ph_lens(p)[1] >= (1u << 23))
        return 0;
    return (uint32_t)ph_lens(p)[1] << 9 | (ph_pre(p)[1] ? SIG_PRE : 0) |
           (unsigned char)p->words[1][0];
}

/* Files phrase d->n (words `words`) under its first two words. */
static int add_bigram(extp_dict *d, uint32_t h0, char **words, const size_t *lens)
{
    unsigned h = hash_bigram(h0, words[1], lens[1]);
    bigram *g = d->bi[h];
    while (g && !(g->l0 == lens[0] && g->l1 == lens[1] && memcmp(g->w0, words[0], lens[0]) == 0 &&
                  memcmp(g->w1, words[1], lens[1]) == 0))
        g = g->next;
    if (!g) {
        if (!(g = dict_alloc(d, sizeof *g)))
            return CX_ENOMEM;
        *g = (bigram){.w0 = words[0], .w1 = words[1], .l0 = (uint32_t)lens[0],
                      .l1 = (uint32_t)lens[1], .next = d->bi[h], .cap = 2};
        g->idx = g->idx0;
        d->bi[h] = g;
    }
    if (g->n == g->cap) {
        if (g->cap >= UINT32_MAX / 2)
            return CX_ENOMEM;
        uint32_t cap = g->cap * 2;
        int *ix = dict_alloc(d, cap * sizeof *ix);
        if (!ix)
            return CX_ENOMEM;
        if (g->n)
            memcpy(ix, g->idx, g->n * sizeof *ix);
        g->idx = ix;
        g->cap = cap;
    }
    g->idx[g->n++] = (int)d->n;
    d->n++;
    return 0;
}

static int dict_add(extp_dict *d, const extp_lang *lang, const char *phrase, size_t len, int cat,
                    int val)
{
    char **words = NULL;
    unsigned char *pre = NULL;
    size_t *lens = NULL;
    int n = fold_words(d, lang, phrase, len, &words, &pre, &lens);
    if (n == 0)
        return 0; /* empty phrase: ignored */
    for (int k = 0; k < n; k++) {
        if ((pre[k] && lens[k] < 4) || words[k][0] == '\0')
            return 0; /* a too-short prefix is ignored */
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        dphrase *p = realloc(d->ph, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        d->ph = p;
        d->cap = cap;
    }
    d->ph[d->n] = (dphrase){words, n, cat, val}; /* pre and lens follow words */
    bucket **table = pre[0] ? d->pre : d->b;
    size_t kl = pre[0] ? PREFIX_KEY : lens[0];
    uint32_t h0 = fnv(FNV_INIT, words[0], kl);
    unsigned h = h0 & (pre[0] ? NPREFIX - 1 : NBUCKETS - 1);
    bucket *b = table[h];
    while (b && !(b->klen == kl && memcmp(b->key, words[0], kl) == 0))
        b = b->next;
    if (!b) {
        b = dict_alloc(d, sizeof *b);
        if (!b)
            return CX_ENOMEM;
        b->key = words[0]; /* lives as long as the phrase, hence the dict */
        b->klen = (uint32_t)kl;
        b->idx = b->idx0;
        b->sig = b->sig0;
        b->cap = 2;
        b->next = table[h];
        table[h] = b;
        uint64_t *used = pre[0] ? d->used_pre : d->used_b;
        used[h / 64] |= (uint64_t)1 << (h % 64);
    }
    if (!pre[0] && n >= 2 && !pre[1]) {
        b->bigrams = true;
        return add_bigram(d, h0, words, lens);
    }
    if (b->n == b->cap) {
        /* grown in the arena: the old arrays stay there, unused */
        if (b->cap >= UINT32_MAX / 2)
            return CX_ENOMEM;
        uint32_t cap = b->cap * 2;
        int *ix = dict_alloc(d, cap * (sizeof *ix + sizeof *b->sig));
        if (!ix)
            return CX_ENOMEM;
        uint32_t *sg = (uint32_t *)(void *)(ix + cap);
        if (b->n) {
            memcpy(ix, b->idx, b->n * sizeof *ix);
            memcpy(sg, b->sig, b->n * sizeof *sg);
        }
        b->idx = ix;
        b->sig = sg;
        b->cap = cap;
    }
    b->sig[b->n] = phrase_sig(&d->ph[d->n]);
    b->idx[b->n++] = (int)d->n;
    d->n++;
    return 0;
}

static inline bool word_eq(const dphrase *p, int k, const char *w, size_t wl)
{
    size_t pl = ph_lens(p)[k];
    if (ph_pre(p)[k])
        return wl >= pl && memcmp(w, p->words[k], pl) == 0;
    return wl == pl && memcmp(w, p->words[k], pl) == 0;
}

/* Whether phrase p matches at token i, its words from `from` on. */
static inline bool phrase_at(const dphrase *p, int from, const char *const *words,
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
    /* one pass of the hash over the word gives its prefix key's slot and
     * its own (and, continued, its bigram's) */
    const char *w = words[i];
    size_t wl = lens[i];
    uint32_t h4 = fnv(FNV_INIT, w, wl < PREFIX_KEY ? wl : PREFIX_KEY);
    uint32_t h0 = wl <= PREFIX_KEY ? h4 : fnv(h4, w + PREFIX_KEY, wl - PREFIX_KEY);
    /* the phrases whose first word is this word (it matched: start at the
     * second), those whose first two words are this word and the next (start
     * at the third), and those whose first word is a prefix of it; the
     * matches are kept in phrase order, as one list would give them */
    const bucket *whole = find_bucket_at(d->b, d->used_b, h0 & (NBUCKETS - 1), w, wl);
    const bucket *pfx = wl >= PREFIX_KEY ? find_bucket_at(d->pre, d->used_pre,
                                                          h4 & (NPREFIX - 1), w, PREFIX_KEY)
                                         : NULL;
    const char *w1 = i + 1 < n ? words[i + 1] : NULL; /* the next word */
    size_t l1 = w1 ? lens[i + 1] : 0;
    const bigram *g = NULL;
    if (whole && whole->bigrams && w1 && l1) {
        for (g = d->bi[hash_bigram(h0, w1, l1)]; g; g = g->next)
            if (g->l0 == wl && g->l1 == l1 && memcmp(g->w0, w, wl) == 0 &&
                memcmp(g->w1, w1, l1) == 0)
                break;
    }
    size_t a = 0, b = 0, c = 0, got = 0;
    size_t na = whole ? whole->n : 0, nb = pfx ? pfx->n : 0, nc = g ? g->n : 0;
    while (got < max && (a < na || b < nb || c < nc)) {
        /* the least phrase index of the three lists' heads */
        int ia = a < na ? whole->idx[a] : INT32_MAX, ib = b < nb ? pfx->idx[b] : INT32_MAX,
            ic = c < nc ? g->idx[c] : INT32_MAX;
        const dphrase *p;
        if (ia < ib && ia < ic) {
            /* its second word first, from the bucket (phrase_at's test:
             * most phrases of a first word fail there) */
            uint32_t sg = whole->sig[a++];
            p = &d->ph[ia];
            if (sg && (!w1 || ((sg & SIG_PRE) ? l1 < (sg >> 9) : l1 != (sg >> 9)) ||
                       (unsigned char)w1[0] != (sg & 0xffu)))
                continue;
            if (p->n > 1 && !phrase_at(p, 1, words, lens, n, i))
                continue; /* a one-word phrase matched with its bucket */
        } else if (ic < ib) {
            c++;
            p = &d->ph[ic];
            if (!phrase_at(p, 2, words, lens, n, i))
                continue;
        } else {
            b++;
            p = &d->ph[ib];
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

/* Every entry of the lexicon and the conflict file comes here: the one
 * place to add the forms an entry stands for (a hook that expands
 * inflections calls dict_add once per form, with the entry's cat and val). */
/* one form of a phrase (inflect.c) into the dictionary */
typedef struct add_ctx {
    extp_dict *d;
    const extp_lang *lang;
    int cat, val;
} add_ctx;

static int add_form(void *ctx, const char *phrase)
{
    const add_ctx *a = ctx;
    return dict_add(a->d, a->lang, phrase, strlen(phrase), a->cat, a->val);
}

static int add_phrase(extp_dict *d, const extp_lang *lang, const char *s, size_t len, int cat,
                      int val)
{
    /* "{open~v|opened} fire {at|on}": every form (inflect.h); most
     * entries have neither braces nor a class */
    bool compact = false;
    for (size_t i = 0; i < len && !compact; i++)
        compact = s[i] == '{' || s[i] == '}' || s[i] == '|' || s[i] == '~';
    if (!compact)
        return dict_add(d, lang, s, len, cat, val);
    char buf[512];
    if (len >= sizeof buf)
        return CX_EFORMAT;
    memcpy(buf, s, len);
    buf[len] = '\0';
    add_ctx ac = {d, lang, cat, val};
    return extp_inflect_expand(buf, add_form, &ac);
}

static int add_list(extp_dict *d, const extp_lang *lang, const extp_json *J, int arr, int cat,
                    int val)
{
    if (!extp_json_is(J, arr, EXTP_J_ARRAY))
        return 0;
    extp_json_foreach(J, arr, v)
    {
        size_t len;
        const char *s = extp_json_str(J, v, &len);
        if (s) {
            int rc = add_phrase(d, lang, s, len, cat, val);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int add_map(extp_dict *d, const extp_lang *lang, const extp_json *J, int obj, int cat)
{
    if (!extp_json_is(J, obj, EXTP_J_OBJECT))
        return 0;
    extp_json_foreach(J, obj, v)
    {
        if (extp_json_is(J, v, EXTP_J_INTEGER)) {
            const char *k = extp_json_key(J, v);
            int rc = add_phrase(d, lang, k, strlen(k), cat, (int)extp_json_integer(J, v));
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The strings of a JSON array, each through `key` (cx_fold_key, cx_lower).
 * Strings that fail or are not strings are left out. */
static int key_list(const extp_json *J, int arr, int (*key)(const char *, size_t, cx_buf *),
                    char ***out, size_t *n_out)
{
    size_t n = extp_json_array_size(J, arr);
    *out = NULL;
    *n_out = 0;
    if (n == 0)
        return 0;
    char **l = calloc(n, sizeof *l);
    if (!l)
        return CX_ENOMEM;
    cx_buf b = CX_BUF_INIT;
    size_t k = 0;
    extp_json_foreach(J, arr, v)
    {
        size_t len;
        const char *s = extp_json_str(J, v, &len);
        if (!s || key(s, len, &b))
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

static int fold_list(const extp_json *J, int arr, char ***out, size_t *n_out)
{
    return key_list(J, arr, cx_fold_key, out, n_out);
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Conflict phrases shared by every language's dictionary. */
static int add_conflict_phrases(extp_dict *d, const extp_lang *lang, const extp_json *C)
{
    int actors = extp_json_get(C, 0, "actors"), i = 0;
    if (!extp_json_is(C, actors, EXTP_J_ARRAY))
        actors = -1;
    extp_json_foreach(C, actors, a)
    {
        int rc = add_list(d, lang, C, extp_json_get(C, a, "patterns"), LX_ACTOR, i++);
        if (rc)
            return rc;
    }
    int wars = extp_json_get(C, 0, "wars");
    if (!extp_json_is(C, wars, EXTP_J_ARRAY))
        wars = -1;
    int w = 0;
    extp_json_foreach(C, wars, a)
    {
        int rc = w < 8 ? add_list(d, lang, C, extp_json_get(C, a, "patterns"), LX_ANAPHOR_DAY,
                                  EXTP_WAR_BASE + w) : 0;
        w++;
        if (rc)
            return rc;
    }
    return add_list(d, lang, C, extp_json_get(C, 0, "not_places"), LX_NOT_PLACE, 0);
}

static int lower_list(const extp_json *J, int arr, char ***out, size_t *n_out)
{
    return key_list(J, arr, cx_lower, out, n_out);
}

static int load_lang(extp_lang *L, const extp_json *J, const extp_json *conf)
{
    extp_dict *d = calloc(1, sizeof *d);
    if (!d)
        return CX_ENOMEM;
    L->dict = d;
    /* a phrase per string or member at most: the array is never copied as
     * it grows (more phrases than that, from a hook, still grow it) */
    d->cap = J->n + conf->n;
    if (!(d->ph = malloc(d->cap * sizeof *d->ph)))
        return CX_ENOMEM;
#define G(o, k) extp_json_get(J, (o), (k))
    const int root = 0;
    if (lower_list(J, G(root, "accent_sensitive"), &L->sensitive, &L->n_sensitive))
        return CX_ENOMEM;
    size_t nf = 0;
    if (fold_list(J, G(root, "accent_sensitive"), &L->sensitive_folded, &nf) ||
        nf != L->n_sensitive)
        return CX_ENOMEM;
    int tr = G(root, "triggers");
    int sh = G(tr, "shelling"), cl = G(tr, "clash"), ev = G(tr, "evacuation");
    int cas = G(root, "casualties"), dt = G(root, "dates");
    int cc = G(root, "claim_cues");
    int rc = 0;
#define L_(arr, cat) if (!rc) rc = add_list(d, L, J, (arr), (cat), 0)
    L_(G(root, "function_words"), LX_FUNCTION);
    L_(G(sh, "strong"), LX_SHELL_STRONG);
    L_(G(sh, "weak"), LX_SHELL_WEAK);
    L_(G(sh, "fire"), LX_SHELL_FIRE);
    L_(G(sh, "verbs"), LX_SHELL_VERB);
    L_(G(cl, "strong"), LX_CLASH_STRONG);
    L_(G(cl, "weak"), LX_CLASH_WEAK);
    L_(G(cl, "capture"), LX_CLASH_CAPTURE);
    L_(G(ev, "strong"), LX_EVAC_STRONG);
    L_(G(ev, "weak"), LX_EVAC_WEAK);
    L_(G(ev, "verbs"), LX_EVAC_VERB);
    L_(G(tr, "attack"), LX_ATTACK);
    L_(G(root, "not_triggers"), LX_NOT_TRIGGER);
    L_(G(root, "negation"), LX_NEGATION);
    L_(G(root, "neg_particles"), LX_NEG_PARTICLE);
    L_(G(root, "irrealis"), LX_IRREALIS);
    L_(G(root, "locative"), LX_LOCATIVE);
    L_(G(root, "near"), LX_NEAR);
    L_(G(root, "genitive"), LX_GENITIVE);
    L_(G(root, "determiners"), LX_DETERMINER);
    L_(G(root, "place_nouns"), LX_PLACE_NOUN);
    L_(G(root, "region_nouns"), LX_REGION_NOUN);
    L_(G(root, "settlement_nouns"), LX_SETTLEMENT_NOUN);
    L_(G(root, "water_nouns"), LX_WATER_NOUN);
    L_(G(root, "non_locative_heads"), LX_NONLOC_HEAD);
    L_(G(root, "person_titles"), LX_PERSON_TITLE);
    L_(G(root, "clause_breaks"), LX_CLAUSE_BREAK);
    L_(G(root, "list_conj"), LX_LIST_CONJ);
    L_(G(root, "apposition_cues"), LX_APPOSITION);
    L_(G(cc, "before"), LX_CLAIM_BEFORE);
    L_(G(cc, "verbs"), LX_CLAIM_VERB);
    L_(G(cc, "organisations"), LX_CLAIM_ORG);
    L_(G(cc, "not_claimants"), LX_NOT_CLAIMANT);
    L_(G(cas, "killed"), LX_KILLED);
    L_(G(cas, "injured"), LX_INJURED);
    L_(G(cas, "about"), LX_ABOUT);
    L_(G(cas, "people"), LX_PEOPLE);
    L_(G(cas, "cumulative"), LX_TOLL_CUE);
    L_(G(cas, "since"), LX_TOLL_SINCE);
#define V_(arr, cat, v) if (!rc) rc = add_list(d, L, J, (arr), (cat), (v))
    V_(G(cas, "campaigns"), LX_TOLL_SHAPE, EXTP_TOLL_CAMPAIGN);
    V_(G(cas, "relatives"), LX_TOLL_SHAPE, EXTP_TOLL_RELATIVE);
    V_(G(cas, "results"), LX_TOLL_SHAPE, EXTP_TOLL_RESULT);
    V_(G(cas, "range_from"), LX_TOLL_SPAN, EXTP_TOLL_FROM);
    V_(G(cas, "range_to"), LX_TOLL_SPAN, EXTP_TOLL_TO);
    V_(G(cas, "within"), LX_TOLL_SPAN, EXTP_TOLL_WITHIN);
    V_(G(cas, "over"), LX_TOLL_SPAN, EXTP_TOLL_OVER);
    V_(G(cas, "periods"), LX_TOLL_SPAN, EXTP_TOLL_PERIOD);
    V_(G(cas, "hours"), LX_TOLL_SPAN, EXTP_TOLL_HOURS);
    int rctx = G(root, "region_context");
    V_(G(rctx, "background"), LX_REGION_CTX, EXTP_RCTX_BACKGROUND);
    V_(G(rctx, "ongoing"), LX_REGION_CTX, EXTP_RCTX_ONGOING);
    V_(G(rctx, "groups"), LX_REGION_CTX, EXTP_RCTX_GROUP);
    V_(G(ev, "departures"), LX_EVAC_VERB, EXTP_EVAC_DEPARTURE);
    V_(G(ev, "groups"), LX_REGION_CTX, EXTP_RCTX_DISPLACED);
    V_(G(root, "irrealis_clauses"), LX_IRREALIS, EXTP_IRREALIS_CLAUSE);
    V_(G(sh, "fire_nouns"), LX_SHELL_FIRE, EXTP_FIRE_NOUN);
#undef V_
    L_(G(dt, "relative_weeks"), LX_RELWEEK);
    if (!rc) /* "last month": a vague span of the month before publication */
        rc = add_list(d, L, J, G(dt, "previous_month"), LX_RELWEEK, 1);
    L_(G(dt, "ordinals"), LX_ORDINAL);
    L_(G(dt, "year_cues"), LX_YEAR_CUE);
    L_(G(dt, "month_cues"), LX_MONTH_CUE);
    L_(G(dt, "past_markers"), LX_PAST_MARKER);
    L_(G(dt, "night_words"), LX_NIGHT);
    if (!rc)
        rc = add_list(d, L, J, G(dt, "war_start"), LX_ANAPHOR_DAY, EXTP_WAR_BASE + EXTP_WAR_START);
    L_(G(root, "agent_markers"), LX_AGENT);
    L_(G(root, "boilerplate"), LX_BOILERPLATE);
    L_(G(root, "own_forces"), LX_OWN_FORCES);
    L_(G(root, "enemy_forces"), LX_ENEMY);
    L_(G(root, "conflict_nouns"), LX_CONFLICT_NOUN);
    L_(G(root, "advisory_cues"), LX_ADVISORY);
    L_(G(root, "military_targets"), LX_MIL_TARGET);
    L_(G(root, "occupation_cues"), LX_OCCUPATION);
#undef L_
    /* "sub_event_types": {"shelling": {"artillery/missile": [phrases], ...}, ...} */
    static const char *const types[3] = {"shelling", "clash", "evacuation"};
    int sub = G(root, "sub_event_types");
    for (int ty = 0; ty < 3 && !rc; ty++) {
        int obj = G(sub, types[ty]);
        if (!extp_json_is(J, obj, EXTP_J_OBJECT))
            continue;
        extp_json_foreach(J, obj, arr) {
            if (rc || L->n_sub[ty] == 8)
                break;
            snprintf(L->sub_label[ty][L->n_sub[ty]], sizeof L->sub_label[ty][0], "%s",
                     extp_json_key(J, arr));
            rc = add_list(d, L, J, arr, LX_SUBEVENT, ty * 8 + (int)L->n_sub[ty]);
            L->n_sub[ty]++;
        }
    }
    if (!rc) rc = add_map(d, L, J, G(cas, "number_words"), LX_NUMWORD);
    if (!rc) rc = add_map(d, L, J, G(dt, "months"), LX_MONTH);
    if (!rc) rc = add_map(d, L, J, G(dt, "weekdays"), LX_WEEKDAY);
    if (!rc) rc = add_map(d, L, J, G(dt, "relative_days"), LX_RELDAY);
    if (!rc) rc = add_map(d, L, J, G(dt, "anaphoric_days"), LX_ANAPHOR_DAY);
    if (!rc) rc = add_conflict_phrases(d, L, conf);
    if (!rc) rc = fold_list(J, G(root, "abbreviations"), &L->abbrev, &L->n_abbrev);
    if (!rc) rc = fold_list(J, G(root, "elisions"), &L->elision, &L->n_elision);
    if (!rc) rc = fold_list(J, G(root, "detect"), &L->detect, &L->n_detect);
#undef G
    return rc;
}

static void copy_str(char *dst, size_t size, const extp_json *J, int v)
{
    const char *s = extp_json_str(J, v, NULL);
    snprintf(dst, size, "%s", s ? s : "");
}

static int load_conflict(struct ext_lexicon *lex, const extp_json *J, const char *path,
                         cx_err *err)
{
#define G(o, k) extp_json_get(J, (o), (k))
    const int conf = 0;
    copy_str(lex->conflict, sizeof lex->conflict, J, G(conf, "id"));
    int actors = G(conf, "actors");
    if (extp_json_array_size(J, actors) == 0)
        return cx_err_set(err, CX_EFORMAT, path, 0, "no \"actors\" array");
    lex->n_actors = extp_json_array_size(J, actors);
    lex->actors = calloc(lex->n_actors, sizeof *lex->actors);
    if (!lex->actors)
        return cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
    size_t i = 0;
    extp_json_foreach(J, actors, a)
    {
        copy_str(lex->actors[i].id, sizeof lex->actors[i].id, J, G(a, "id"));
        copy_str(lex->actors[i].label, sizeof lex->actors[i].label, J, G(a, "label"));
        copy_str(lex->actors[i].side, sizeof lex->actors[i].side, J, G(a, "side"));
        i++;
    }
    int th = G(conf, "theatre");
    if (th >= 0) {
        lex->theatre[0] = extp_json_number(J, G(th, "west"));
        lex->theatre[1] = extp_json_number(J, G(th, "south"));
        lex->theatre[2] = extp_json_number(J, G(th, "east"));
        lex->theatre[3] = extp_json_number(J, G(th, "north"));
    }
    int fc = G(conf, "focus_countries");
    if (extp_json_array_size(J, fc))
        extp_json_foreach(J, fc, v)
        {
            if (lex->n_focus < 8)
                copy_str(lex->focus[lex->n_focus++], 3, J, v);
        }
    int ctl = G(conf, "control");
    lex->n_control = extp_json_array_size(J, ctl);
    if (lex->n_control) {
        lex->control = calloc(lex->n_control, sizeof *lex->control);
        if (!lex->control)
            return cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
        i = 0;
        extp_json_foreach(J, ctl, v)
        {
            extp_control *c = &lex->control[i++];
            c->lat = extp_json_number(J, G(v, "lat"));
            c->lon = extp_json_number(J, G(v, "lon"));
            c->radius_km = extp_json_number(J, G(v, "radius_km"));
            copy_str(c->from, sizeof c->from, J, G(v, "from"));
            copy_str(c->to, sizeof c->to, J, G(v, "to"));
            copy_str(c->side, sizeof c->side, J, G(v, "side"));
        }
    }
    int wars = G(conf, "wars");
    if (extp_json_is(J, wars, EXTP_J_ARRAY))
        extp_json_foreach(J, wars, v)
        {
            if (lex->n_wars < 8) {
                copy_str(lex->wars[lex->n_wars][0], 11, J, G(v, "from"));
                copy_str(lex->wars[lex->n_wars][1], 11, J, G(v, "to"));
                lex->n_wars++;
            }
        }
    int sides = G(conf, "sides");
    if (extp_json_is(J, sides, EXTP_J_OBJECT))
        extp_json_foreach(J, sides, sv)
        {
            if (lex->n_sides < 8) {
                snprintf(lex->sides[lex->n_sides][0], 48, "%s", extp_json_key(J, sv));
                copy_str(lex->sides[lex->n_sides][1], 48, J, sv);
                lex->n_sides++;
            }
        }
    int cbc = G(conf, "control_by_country");
    if (extp_json_is(J, cbc, EXTP_J_OBJECT))
        extp_json_foreach(J, cbc, v)
        {
            if (lex->n_ctrl_country < 8) {
                snprintf(lex->ctrl_country[lex->n_ctrl_country][0], 8, "%s", extp_json_key(J, v));
                copy_str(lex->ctrl_country[lex->n_ctrl_country][1], 8, J, v);
                lex->n_ctrl_country++;
            }
        }
#undef G
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
    extp_json conf = {0}, root = {0}; /* root: each language's file in turn */
    DIR *dir = NULL;
    char **names = NULL;
    size_t n_names = 0;
    if (!lex) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    snprintf(path, sizeof path, "%s/conflicts/%s.json", data_dir, conflict);
    if (extp_json_load(path, &conf, err) != 0)
        goto fail;
    if (load_conflict(lex, &conf, path, err) != 0)
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
        if (extp_json_load(path, &root, err) != 0)
            goto fail;
        extp_lang *L = &lex->langs[lex->n_langs++];
        copy_str(L->code, sizeof L->code, &root, extp_json_get(&root, 0, "lang"));
        int rc = L->code[0] ? load_lang(L, &root, &conf) : CX_EFORMAT;
        if (rc != 0) {
            cx_err_set(err, rc, path, 0, "%s",
                       rc == CX_ENOMEM ? "out of memory"
                       : L->code[0]    ? "a phrase's {alternatives} or ~class is malformed"
                                       : "no \"lang\" code");
            goto fail;
        }
    }
    free_list(names, n_names);
    extp_json_free(&conf);
    extp_json_free(&root);
    names = NULL;
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
    extp_json_free(&conf);
    extp_json_free(&root);
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
