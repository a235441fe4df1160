/* inflect.c -- expand a compactly written lexicon phrase into its forms:
 * alternatives in braces and a word's inflection class (inflect.h). The
 * classes know a language's regular endings only; an irregular form is
 * written out, as an alternative ("{shoot|shoots|shot|shooting} at"). No
 * word of any language is listed here: the endings are the classes. */
#include "inflect.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cx_err.h"

#define PHRASE_MAX 512 /* bytes of one expanded phrase */
#define FORM_MAX 64    /* bytes of one inflected word */
#define FORMS_MAX 40   /* forms of one word */
#define EXPANSIONS_MAX 4096

typedef struct expansion {
    extp_inflect_emit emit;
    void *ctx;
    int n; /* forms emitted so far */
} expansion;

typedef struct forms {
    char f[FORMS_MAX][FORM_MAX];
    int n;
} forms;

/* ===== Inflection classes ===== */

/* stem[0, len) + suffix as one more form; false when it does not fit */
static bool add_form(forms *fs, const char *stem, size_t len, const char *suffix)
{
    size_t sl = strlen(suffix);
    if (fs->n >= FORMS_MAX || len + sl + 1 > FORM_MAX)
        return false;
    memcpy(fs->f[fs->n], stem, len);
    memcpy(fs->f[fs->n] + len, suffix, sl + 1);
    fs->n++;
    return true;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool ends_with(const char *w, size_t len, const char *end)
{
    size_t el = strlen(end);
    return len >= el && memcmp(w + len - el, end, el) == 0;
}

/* English: the -s of a plural or of a verb's third person */
static bool english_s(forms *fs, const char *w, size_t len)
{
    if (len >= 2 && w[len - 1] == 'y' && !is_vowel(w[len - 2]))
        return add_form(fs, w, len - 1, "ies");
    if (ends_with(w, len, "s") || ends_with(w, len, "x") || ends_with(w, len, "z") ||
        ends_with(w, len, "ch") || ends_with(w, len, "sh"))
        return add_form(fs, w, len, "es");
    return add_form(fs, w, len, "s");
}

/* English regular verb: -s, -ed, -ing; `dbl` doubles the last consonant
 * before -ed and -ing (repel: repelled, repelling) */
static bool english_verb(forms *fs, const char *w, size_t len, bool dbl)
{
    bool ok = add_form(fs, w, len, "");
    if (ends_with(w, len, "o") && len >= 2 && !is_vowel(w[len - 2]))
        ok &= add_form(fs, w, len, "es");
    else
        ok &= english_s(fs, w, len);
    char d[FORM_MAX];
    size_t dl = len;
    if (len + 1 >= FORM_MAX)
        return false;
    memcpy(d, w, len);
    if (dbl && len > 0)
        d[dl++] = w[len - 1];
    bool cons_y = len >= 2 && w[len - 1] == 'y' && !is_vowel(w[len - 2]);
    if (ends_with(w, len, "e"))
        ok &= add_form(fs, w, len, "d");
    else if (cons_y)
        ok &= add_form(fs, w, len - 1, "ied");
    else
        ok &= add_form(fs, d, dl, "ed");
    if (ends_with(w, len, "ie"))
        ok &= add_form(fs, w, len - 2, "ying");
    else if (ends_with(w, len, "e") && len > 2 && !ends_with(w, len, "ee") &&
             !ends_with(w, len, "oe") && !ends_with(w, len, "ye"))
        ok &= add_form(fs, w, len - 1, "ing");
    else
        ok &= add_form(fs, d, dl, "ing");
    return ok;
}

/* French first group (-er), the persons a report uses (third, and the
 * first plural of a witness): present, imperfect, simple past, present and
 * past participles with their agreement, infinitive. No future and no
 * conditional: a forecast or a hypothesis reports nothing (GUIDE.md). */
static bool french_er(forms *fs, const char *w, size_t len)
{
    static const char *const hard[] = {"e", "es", "ent", "èrent", "er", "é", "ée", "és", "ées"};
    static const char *const soft[] = {"ait", "aient", "a", "ant",
                                       "ons"}; /* after g: ge (ravageait), c: ç (folded c) */
    if (!ends_with(w, len, "er") || len < 4)
        return false;
    size_t sl = len - 2;
    bool ok = true;
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
        ok &= add_form(fs, w, sl, hard[i]);
    char g[FORM_MAX];
    size_t gl = sl;
    memcpy(g, w, sl);
    if (w[sl - 1] == 'g')
        g[gl++] = 'e';
    for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
        ok &= add_form(fs, g, gl, soft[i]);
    /* essuyer: essuie, essuient */
    if (w[sl - 1] == 'y') {
        char y[FORM_MAX];
        memcpy(y, w, sl - 1);
        y[sl - 1] = 'i';
        ok &= add_form(fs, y, sl, "e") && add_form(fs, y, sl, "es") && add_form(fs, y, sl, "ent");
    }
    return ok;
}

/* French second group (-ir, -issons): envahir, anéantir */
static bool french_ir(forms *fs, const char *w, size_t len)
{
    static const char *const end[] = {"ir", "it", "issons", "issent", "issait", "issaient", "i",
                                      "ie", "is", "ies", "issant", "irent"};
    if (!ends_with(w, len, "ir") || len < 4)
        return false;
    bool ok = true;
    for (size_t i = 0; i < sizeof end / sizeof end[0]; i++)
        ok &= add_form(fs, w, len - 2, end[i]);
    return ok;
}

/* French agreement of a participle or an adjective: -e, -s, -es */
static bool french_agree(forms *fs, const char *w, size_t len)
{
    bool ok = add_form(fs, w, len, "");
    if (ends_with(w, len, "e"))
        return ok && add_form(fs, w, len, "s");
    ok &= add_form(fs, w, len, "e");
    if (!ends_with(w, len, "s") && !ends_with(w, len, "x"))
        ok &= add_form(fs, w, len, "s");
    return ok && add_form(fs, w, len, "es");
}

/* The forms of word w[0, len) by class cls[0, cl); false for an unknown
 * class or a word the class cannot inflect */
static bool inflect_word(forms *fs, const char *w, size_t len, const char *cls, size_t cl)
{
    fs->n = 0;
    if (len == 0)
        return false;
    if (cl == 1 && cls[0] == 'v')
        return english_verb(fs, w, len, false);
    if (cl == 2 && memcmp(cls, "vv", 2) == 0)
        return english_verb(fs, w, len, true);
    if (cl == 1 && cls[0] == 's')
        return add_form(fs, w, len, "") && english_s(fs, w, len);
    if (cl == 2 && memcmp(cls, "er", 2) == 0)
        return french_er(fs, w, len);
    if (cl == 2 && memcmp(cls, "ir", 2) == 0)
        return french_ir(fs, w, len);
    if (cl == 1 && cls[0] == 'e')
        return french_agree(fs, w, len);
    return false;
}

/* ===== Expansion ===== */

static int emit_phrase(expansion *x, char *out, size_t olen)
{
    while (olen > 0 && out[olen - 1] == ' ')
        olen--;
    out[olen] = '\0';
    if (olen == 0)
        return 0; /* "{|...}" alone: nothing */
    if (++x->n > EXPANSIONS_MAX)
        return CX_EFORMAT;
    return x->emit(x->ctx, out);
}

/* s has no braces: each word with a ~class becomes each of its forms */
static int expand_words(expansion *x, const char *s, char *out, size_t olen)
{
    while (*s == ' ')
        s++;
    if (*s == '\0')
        return emit_phrase(x, out, olen);
    size_t wl = strcspn(s, " ");
    const char *tilde = memchr(s, '~', wl);
    if (!tilde) {
        if (olen + wl + 1 >= PHRASE_MAX)
            return CX_EFORMAT;
        memcpy(out + olen, s, wl);
        out[olen + wl] = ' ';
        return expand_words(x, s + wl, out, olen + wl + 1);
    }
    forms fs;
    if (!inflect_word(&fs, s, (size_t)(tilde - s), tilde + 1, wl - (size_t)(tilde - s) - 1))
        return CX_EFORMAT;
    for (int i = 0; i < fs.n; i++) {
        size_t fl = strlen(fs.f[i]);
        if (olen + fl + 1 >= PHRASE_MAX)
            return CX_EFORMAT;
        memcpy(out + olen, fs.f[i], fl);
        out[olen + fl] = ' ';
        int rc = expand_words(x, s + wl, out, olen + fl + 1);
        if (rc)
            return rc;
    }
    return 0;
}

/* the first brace group of `rest` becomes each of its alternatives */
static int expand_braces(expansion *x, const char *rest, char *out, size_t olen)
{
    const char *open = strchr(rest, '{');
    size_t head = open ? (size_t)(open - rest) : strlen(rest);
    if (memchr(rest, '}', head) || memchr(rest, '|', head))
        return CX_EFORMAT; /* a closing brace or a bar outside a group */
    if (olen + head >= PHRASE_MAX)
        return CX_EFORMAT;
    memcpy(out + olen, rest, head);
    olen += head;
    if (!open) {
        out[olen] = '\0';
        char words[PHRASE_MAX];
        return expand_words(x, out, words, 0);
    }
    const char *close = strchr(open + 1, '}');
    if (!close || memchr(open + 1, '{', (size_t)(close - open - 1)))
        return CX_EFORMAT; /* unclosed, or nested */
    for (const char *a = open + 1;;) {
        size_t al = strcspn(a, "|}");
        if (olen + al >= PHRASE_MAX)
            return CX_EFORMAT;
        char next[PHRASE_MAX];
        memcpy(next, out, olen);
        memcpy(next + olen, a, al);
        int rc = expand_braces(x, close + 1, next, olen + al);
        if (rc)
            return rc;
        if (a[al] == '}')
            break;
        a += al + 1;
    }
    return 0;
}

int extp_inflect_expand(const char *phrase, extp_inflect_emit emit, void *ctx)
{
    if (!strpbrk(phrase, "{}|~"))
        return emit(ctx, phrase); /* most phrases: as written */
    expansion x = {emit, ctx, 0};
    char out[PHRASE_MAX];
    return expand_braces(&x, phrase, out, 0);
}
