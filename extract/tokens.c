/* tokens.c -- tokenizer and sentence splitter. See tokens.h.
 * Knows Unicode classes and punctuation; the abbreviations that do not end a
 * sentence come from the language's lexicon. */
#include "tokens.h"
#include "cx_err.h"
#include "cx_text.h"

#include <stdlib.h>
#include <string.h>

#include "latin_fold.inc"

/* ASCII bytes by class, for the word scanner: most of any text */
enum { A_DIG = 1, A_LOW = 2, A_UP = 4 };
#define A_ALNUM (A_DIG | A_LOW | A_UP)
static const unsigned char ascii_class[128] = {
    ['0'] = A_DIG, ['1'] = A_DIG, ['2'] = A_DIG, ['3'] = A_DIG, ['4'] = A_DIG,
    ['5'] = A_DIG, ['6'] = A_DIG, ['7'] = A_DIG, ['8'] = A_DIG, ['9'] = A_DIG,
    ['a'] = A_LOW, ['b'] = A_LOW, ['c'] = A_LOW, ['d'] = A_LOW, ['e'] = A_LOW, ['f'] = A_LOW,
    ['g'] = A_LOW, ['h'] = A_LOW, ['i'] = A_LOW, ['j'] = A_LOW, ['k'] = A_LOW, ['l'] = A_LOW,
    ['m'] = A_LOW, ['n'] = A_LOW, ['o'] = A_LOW, ['p'] = A_LOW, ['q'] = A_LOW, ['r'] = A_LOW,
    ['s'] = A_LOW, ['t'] = A_LOW, ['u'] = A_LOW, ['v'] = A_LOW, ['w'] = A_LOW, ['x'] = A_LOW,
    ['y'] = A_LOW, ['z'] = A_LOW,
    ['A'] = A_UP, ['B'] = A_UP, ['C'] = A_UP, ['D'] = A_UP, ['E'] = A_UP, ['F'] = A_UP,
    ['G'] = A_UP, ['H'] = A_UP, ['I'] = A_UP, ['J'] = A_UP, ['K'] = A_UP, ['L'] = A_UP,
    ['M'] = A_UP, ['N'] = A_UP, ['O'] = A_UP, ['P'] = A_UP, ['Q'] = A_UP, ['R'] = A_UP,
    ['S'] = A_UP, ['T'] = A_UP, ['U'] = A_UP, ['V'] = A_UP, ['W'] = A_UP, ['X'] = A_UP,
    ['Y'] = A_UP, ['Z'] = A_UP,
};

/* The next code point, with the ASCII case inline (most of any text). */
static inline long next_cp(const char *s, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    return cx_utf8_next(s, len, i);
}

static int push_tok(extp_text *t, const extp_token *tk)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        extp_token *p = realloc(t->tok, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        t->tok = p;
        t->cap = cap;
    }
    t->tok[t->n++] = *tk;
    return 0;
}

static int push_sent(extp_text *t, size_t first, size_t end, int *para)
{
    if (end <= first)
        return 0;
    /* a sentence that starts a line starts a paragraph (scraped text puts
     * one paragraph per line); the first line is the title, paragraph 0 */
    if (t->n_sent > 0 && (t->tok[first].flags & TF_NL))
        (*para)++;
    if (t->n_sent == t->cap_sent) {
        size_t cap = t->cap_sent ? t->cap_sent * 2 : 64;
        extp_sentence *p = realloc(t->sent, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        t->sent = p;
        t->cap_sent = cap;
    }
    t->sent[t->n_sent++] = (extp_sentence){first, end, *para};
    return 0;
}

static bool is_apos(long cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC || cp == 0x2018; }
static bool is_hyphen(long cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

static bool is_word_cp(long cp)
{
    if (cp < 0)
        return false;
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp >= 0xC0 && cp < 0x260 && latin_fold[cp - 0xC0][0])
        return true;
    return cx_cp_is_letter(cp) || (cp >= 0x300 && cp <= 0x36F);
}

/* Letter and upper-case tests with fast paths for ASCII and the Latin
 * letters of the table; utf8proc for the rest. */
static bool is_letter(long cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (cp >= 0xC0 && cp < 0x260 && latin_fold[cp - 0xC0][0])
        return true;
    return cx_cp_is_letter(cp);
}

static bool is_upper(long cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    return cx_cp_is_upper(cp);
}

/* Fold a word whose letters are all in the fast table, appending to `out`;
 * false otherwise (out's length is then unspecified: the caller resets it).
 * A fold is never longer than its word (a 2-byte letter folds to 1 or 2). */
static bool fold_latin(const char *s, size_t len, cx_buf *out)
{
    if (cx_buf_reserve(out, len + 1) != 0)
        return false;
    char *d = out->data + out->len;
    size_t i = 0, w = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            d[w++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        long cp = cx_utf8_next(s, len, &i);
        if (cp < 0xC0 || cp >= 0x260 || !latin_fold[cp - 0xC0][0])
            return false;
        const char *f = latin_fold[cp - 0xC0];
        d[w++] = f[0];
        if (f[1])
            d[w++] = f[1];
    }
    out->len += w;
    return true;
}

/* Fold one word into the arena: a fast path for ASCII. */
static int fold_word(extp_text *t, const extp_lang *lang, const char *s, size_t len, bool ascii,
                     cx_buf *tmp, uint32_t *off, uint16_t *flen)
{
    *off = (uint32_t)t->arena.len;
    if (ascii) {
        /* the word and its NUL (the arena was sized from the text: it
         * seldom grows) */
        if (t->arena.len + len + 2 > t->arena.cap && cx_buf_reserve(&t->arena, len + 1) != 0)
            return CX_ENOMEM;
        char *d = t->arena.data + t->arena.len;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            d[i] = (char)(c | (ascii_class[c] & A_UP ? 0x20 : 0));
        }
        d[len] = '\0';
        t->arena.len += len + 1;
        d[len + 1] = '\0'; /* cx_buf's own NUL after its bytes */
        *flen = (uint16_t)(len > 65535 ? 65535 : len);
        return 0;
    }
    size_t mark = t->arena.len;
    if (fold_latin(s, len, &t->arena)) {
        size_t w = t->arena.len - mark;
        /* "à" is not "a": the language says which accents to keep (only
         * words whose plain fold is a sensitive word's twin are looked at) */
        if (lang && lang->n_sensitive && len <= 8 &&
            extp_is_in(lang->sensitive_folded, lang->n_sensitive, t->arena.data + mark, w)) {
            t->arena.len = mark;
            if (extp_fold_word(lang, s, len, tmp) != 0 ||
                cx_buf_append(&t->arena, tmp->data, tmp->len) != 0)
                return CX_ENOMEM;
            w = tmp->len;
        }
        *flen = (uint16_t)(w > 65535 ? 65535 : w);
        return cx_buf_putc(&t->arena, '\0');
    }
    t->arena.len = mark;
    if (cx_fold_key(s, len, tmp) != 0)
        return CX_ENOMEM;
    /* the fold may introduce spaces (never for a word): drop them */
    size_t w = 0;
    for (size_t i = 0; i < tmp->len; i++)
        if (tmp->data[i] != ' ')
            tmp->data[w++] = tmp->data[i];
    if (cx_buf_append(&t->arena, tmp->data, w) != 0)
        return CX_ENOMEM;
    *flen = (uint16_t)(w > 65535 ? 65535 : w);
    return cx_buf_putc(&t->arena, '\0');
}

static bool ends_sentence(const extp_text *t, const char *text, size_t i_punct,
                          const extp_lang *lang)
{
    const extp_token *p = &t->tok[i_punct];
    if (p->punct == '!' || p->punct == '?' || p->punct == 0x2026)
        return true;
    if (p->punct != '.')
        return false;
    if (i_punct == 0)
        return false;
    const extp_token *w = &t->tok[i_punct - 1];
    if (w->kind == TK_WORD && !(p->flags & TF_SEP_SPACE)) {
        const char *f = t->arena.data + w->fold;
        /* single capital letter: an initial */
        if (w->len == 1 && (w->flags & TF_CAP))
            return false;
        if (lang && extp_is_in(lang->abbrev, lang->n_abbrev, f, w->fold_len))
            return false;
    }
    (void)text;
    return true;
}

int extp_text_build(extp_text *t, const char *text, size_t len, const extp_lang *lang)
{
    memset(t, 0, sizeof *t);
    cx_buf tmp = CX_BUF_INIT;
    int rc = 0;
    /* sized from the text (news prose: a token per 5-6 bytes; folds are no
     * longer than their words, plus a NUL each) rather than grown by
     * doubling and copying; a huge document still grows past the cap */
    size_t guess = len < ((size_t)1 << 20) ? len : ((size_t)1 << 20);
    t->cap = guess / 4 + 32;
    if (!(t->tok = malloc(t->cap * sizeof *t->tok)) ||
        cx_buf_reserve(&t->arena, guess + guess / 4 + 64) != 0)
        return CX_ENOMEM;
    size_t i = 0;
    uint8_t pending = 0; /* separator flags for the next token */
    int newlines = 0;
    while (i < len && rc == 0) {
        size_t at = i;
        long cp = next_cp(text, len, &i);
        if (cp == '\n') {
            newlines++;
            continue;
        }
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x202F || cp == 0x2009 ||
            cp < 0) {
            pending |= TF_SEP_SPACE;
            continue;
        }
        uint8_t flags = pending;
        if (newlines)
            flags |= TF_NL | TF_SEP_SPACE;
        if (newlines >= 2)
            flags |= TF_PARA;
        newlines = 0;
        pending = 0;
        if (is_apos(cp) && t->n > 0 && t->tok[t->n - 1].kind == TK_WORD &&
            !(flags & TF_SEP_SPACE) && i < len) {
            size_t j = i;
            long nx = next_cp(text, len, &j);
            if (is_word_cp(nx)) {
                pending = TF_SEP_APOS;
                continue;
            }
        }
        if (is_hyphen(cp) && t->n > 0 && t->tok[t->n - 1].kind != TK_PUNCT &&
            !(flags & TF_SEP_SPACE) && i < len) {
            size_t j = i;
            long nx = next_cp(text, len, &j);
            if (is_word_cp(nx)) {
                pending = TF_SEP_HYPHEN;
                continue;
            }
        }
        extp_token tk = {0};
        tk.off = (uint32_t)at;
        tk.flags = flags;
        tk.num = -1;
        if (is_word_cp(cp)) {
            bool ascii = cp < 0x80, digits = cp >= '0' && cp <= '9', upper = true;
            bool first_upper = is_upper(cp);
            int letters = is_letter(cp) ? 1 : 0;
            if (letters && !first_upper)
                upper = false;
            size_t end = i;
            while (end < len) {
                /* ASCII letters and digits inline: most of any word */
                unsigned char a = (unsigned char)text[end];
                if (a < 0x80) {
                    unsigned k = ascii_class[a];
                    if (!(k & A_ALNUM))
                        break;
                    if (k & A_DIG) {
                        end++;
                        continue;
                    }
                    digits = false;
                    letters++;
                    upper &= (k & A_UP) != 0;
                    end++;
                    continue;
                }
                size_t j = end;
                long c2 = next_cp(text, len, &j);
                if (!is_word_cp(c2))
                    break;
                if (c2 >= 0x80)
                    ascii = false;
                if (!(c2 >= '0' && c2 <= '9'))
                    digits = false;
                if (is_letter(c2)) {
                    letters++;
                    if (!is_upper(c2))
                        upper = false;
                }
                end = j;
            }
            tk.len = (uint32_t)(end - at);
            tk.kind = digits ? TK_NUM : TK_WORD;
            if (first_upper)
                tk.flags |= TF_CAP;
            if (upper && letters >= 2)
                tk.flags |= TF_ALLCAP;
            if (ascii)
                tk.flags |= TF_ASCII;
            if (digits && tk.len <= 9) {
                long v = 0;
                for (size_t k = at; k < end; k++)
                    v = v * 10 + (text[k] - '0');
                tk.num = v;
            } else if (text[at] >= '0' && text[at] <= '9') {
                /* "1er", "13th": a number with an ordinal suffix */
                size_t k = at;
                long v = 0;
                while (k < end && k - at < 4 && text[k] >= '0' && text[k] <= '9')
                    v = v * 10 + (text[k++] - '0');
                if (end - k <= 3 && k < end && !(text[k] >= '0' && text[k] <= '9'))
                    tk.num = v;
            }
            rc = fold_word(t, lang, text + at, end - at, ascii, &tmp, &tk.fold, &tk.fold_len);
            i = end;
        } else {
            tk.kind = TK_PUNCT;
            tk.len = (uint32_t)(i - at);
            tk.punct = (uint32_t)cp;
            tk.fold = (uint32_t)t->arena.len;
            tk.fold_len = 0;
            rc = cx_buf_putc(&t->arena, '\0');
        }
        if (rc == 0)
            rc = push_tok(t, &tk);
    }
    cx_buf_free(&tmp);
    if (rc == 0 && !t->arena.data)
        rc = cx_buf_reserve(&t->arena, 0);
    if (rc != 0)
        return rc;

    /* word views for the phrase matcher */
    t->words = calloc(t->n ? t->n : 1, sizeof *t->words);
    t->lens = calloc(t->n ? t->n : 1, sizeof *t->lens);
    if (!t->words || !t->lens)
        return CX_ENOMEM;
    for (size_t k = 0; k < t->n; k++) {
        if (t->tok[k].kind != TK_PUNCT) {
            t->words[k] = t->arena.data + t->tok[k].fold;
            t->lens[k] = t->tok[k].fold_len;
        }
    }

    /* sentences: a line break always ends one (titles, captions, scraped
     * lines); . ! ? … end one unless after an abbreviation or an initial */
    size_t first = 0;
    int para = 0;
    for (size_t k = 0; k < t->n && rc == 0; k++) {
        if (k > first && (t->tok[k].flags & TF_NL)) {
            rc = push_sent(t, first, k, &para);
            first = k;
        }
        if (t->tok[k].kind == TK_PUNCT && ends_sentence(t, text, k, lang)) {
            /* closing quotes and brackets stay with the sentence */
            size_t e = k + 1;
            while (e < t->n && t->tok[e].kind == TK_PUNCT && !(t->tok[e].flags & TF_NL) &&
                   (t->tok[e].punct == 0xBB || t->tok[e].punct == '"' ||
                    t->tok[e].punct == 0x201D || t->tok[e].punct == ')' ||
                    t->tok[e].punct == '.' || t->tok[e].punct == 0x2026))
                e++;
            if (e < t->n && !(t->tok[e].flags & TF_NL)) {
                const extp_token *nx = &t->tok[e];
                /* ". lower case" still ends a sentence (sloppy scraped text),
                 * but "2.5" and "x.y" without a space do not */
                bool spaced = (nx->flags & TF_SEP_SPACE) != 0;
                if (!spaced && t->tok[k].punct == '.')
                    continue;
            }
            rc = push_sent(t, first, e, &para);
            first = e;
            k = e - 1;
        }
    }
    if (rc == 0)
        rc = push_sent(t, first, t->n, &para);
    return rc;
}

void extp_text_free(extp_text *t)
{
    if (!t)
        return;
    free(t->tok);
    free(t->sent);
    free(t->words);
    free(t->lens);
    cx_buf_free(&t->arena);
    memset(t, 0, sizeof *t);
}
