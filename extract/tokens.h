/* tokens.h -- tokenizer and sentence splitter. Private to extract/.
 * Words are runs of letters and digits; apostrophes and hyphens split words
 * (and are remembered as the separator before the next word); punctuation
 * marks are tokens of their own. Every word carries its folded form. */
#ifndef EXT_TOKENS_H
#define EXT_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_buf.h"
#include "lexicon.h"

enum { TK_WORD = 0, TK_NUM = 1, TK_PUNCT = 2 };

enum {
    TF_CAP = 1,        /* first letter upper case */
    TF_ALLCAP = 2,     /* every letter upper case (2+ letters) */
    TF_SEP_SPACE = 4,  /* preceded by white space */
    TF_SEP_HYPHEN = 8, /* preceded by a hyphen (no space) */
    TF_SEP_APOS = 16,  /* preceded by an apostrophe (elision) */
    TF_NL = 32,        /* a line break precedes it */
    TF_PARA = 64,      /* a blank line precedes it */
    TF_ASCII = 128
};

typedef struct extp_token {
    uint32_t off, len;   /* bytes in the document text */
    uint32_t fold;       /* offset of the folded form in the fold arena */
    uint16_t fold_len;
    uint8_t kind;
    uint8_t flags;
    uint32_t punct;      /* the code point of a TK_PUNCT token */
    long num;            /* value of a TK_NUM token (digits only), else -1 */
} extp_token;

typedef struct extp_sentence {
    size_t first, end;   /* token range [first, end) */
    int para;            /* paragraph number (0 = title) */
} extp_sentence;

typedef struct extp_text {
    extp_token *tok; size_t n, cap;
    cx_buf arena;        /* folded forms, NUL-separated */
    extp_sentence *sent; size_t n_sent, cap_sent;
    /* per-token views for the phrase matcher */
    const char **words; size_t *lens;
} extp_text;

/** Tokenize `text` and split sentences using `lang` abbreviations.
 *  Returns 0 or CX_ENOMEM. */
int extp_text_build(extp_text *t, const char *text, size_t len, const extp_lang *lang);

/** Free everything `t` owns. */
void extp_text_free(extp_text *t);

/** The folded form of token i. */
static inline const char *extp_fold(const extp_text *t, size_t i)
{
    return t->arena.data + t->tok[i].fold;
}

#endif
