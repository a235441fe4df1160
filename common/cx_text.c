/* cx_text.c -- UTF-8, NFC, folded and transliteration keys (utf8proc).
 * This file knows letters, not languages: the romanisation rules below are
 * the generic Latin-script correspondences documented in docs/matching.md;
 * no place name appears here. */
#include "cx_text.h"
#include "cx_err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ===== UTF-8 ===== */

long cx_utf8_next(const char *s, size_t len, size_t *i)
{
    /* ASCII and 2-byte sequences (Latin letters, « », NBSP) inline, with
     * utf8proc's rules: no overlong form (C0, C1), a continuation byte */
    if (*i >= len) {
        (*i)++;
        return -1;
    }
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = len - *i;
    if (u[0] < 0x80) {
        (*i)++;
        return u[0];
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF && left >= 2 && (u[1] & 0xC0) == 0x80) {
        *i += 2;
        return ((long)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(len - *i), &cp);
    if (n <= 0) {
        (*i)++;
        return -1;
    }
    *i += (size_t)n;
    return cp;
}

/* Eight bytes at s: all ASCII and none NUL (a word at a time: most text is
 * ASCII, and this runs over every byte read). */
static inline bool ascii8_no_nul(const char *s)
{
    uint64_t v;
    memcpy(&v, s, sizeof v);
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    return ((v | ((v - ones) & ~v)) & highs) == 0;
}

bool cx_utf8_valid(const char *s, size_t len, size_t *bad_off)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len && ascii8_no_nul(s + i)) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            if (bad_off)
                *bad_off = i;
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t at = i;
        if (cx_utf8_next(s, len, &i) < 0) {
            if (bad_off)
                *bad_off = at;
            return false;
        }
    }
    return true;
}

size_t cx_str_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src), k = n < size ? n : size - 1;
    memcpy(dst, src, k);
    dst[k] = '\0';
    return n;
}

static size_t control_len(const unsigned char *u, size_t i, size_t n)
{
    if (u[i] < 0x20 || u[i] == 0x7f)
        return 1;
    if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
        return 2;
    return 0;
}

bool cx_has_controls(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++)
        if (control_len(u, i, n))
            return true;
    return false;
}

int cx_escape_controls(const char *s, size_t n, cx_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t from = 0;
    for (size_t i = 0; i < n;) {
        size_t k = control_len(u, i, n);
        if (!k) {
            i++;
            continue;
        }
        if (cx_buf_append(out, s + from, i - from) != 0)
            return CX_ENOMEM;
        int rc;
        if (k == 2)
            rc = cx_buf_printf(out, "\\u%04x", u[i + 1]);
        else if (u[i] == '\n')
            rc = cx_buf_puts(out, "\\n");
        else if (u[i] == '\t')
            rc = cx_buf_puts(out, "\\t");
        else if (u[i] == '\r')
            rc = cx_buf_puts(out, "\\r");
        else
            rc = cx_buf_printf(out, "\\x%02x", u[i]);
        if (rc != 0)
            return CX_ENOMEM;
        i += k;
        from = i;
    }
    return cx_buf_append(out, s + from, n - from) != 0 ? CX_ENOMEM : 0;
}

bool cx_cp_is_upper(long cp)
{
    if (cp < 0)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool cx_cp_is_letter(long cp)
{
    if (cp < 0)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

long cx_cp_lower(long cp)
{
    if (cp < 0)
        return cp;
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    return utf8proc_tolower((utf8proc_int32_t)cp);
}

static int put_cp(cx_buf *out, long cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, tmp);
    return cx_buf_append(out, (const char *)tmp, (size_t)n);
}

int cx_text_map_cp(long cp, char *rep)
{
    switch (cp) {
    case 0x2019: case 0x2018: case 0x02BC: case 0x0060: case 0x00B4: case 0x2032:
        *rep = '\'';
        return 1;
    case 0x00A0: case 0x202F: case 0x2009: case 0x2007: case 0x2002: case 0x2003:
        *rep = ' ';
        return 1;
    case 0x00AD: case 0x200B: case 0xFEFF:
        return 0;
    case 0x2010: case 0x2011:
        *rep = '-';
        return 1;
    default:
        return -1;
    }
}

int cx_text_normalize(const char *s, size_t len, cx_buf *out)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CX_ENOMEM : CX_EFORMAT;
    int rc = cx_buf_reserve(out, (size_t)n);
    size_t i = 0;
    while (rc == 0 && i < (size_t)n) {
        long cp = cx_utf8_next((const char *)nfc, (size_t)n, &i);
        char rep;
        int m = cx_text_map_cp(cp, &rep);
        if (m > 0)
            rc = cx_buf_putc(out, rep);
        else if (m < 0 && cp >= 0)
            rc = put_cp(out, cp);
    }
    free(nfc);
    return rc;
}

/* ===== Folded key ===== */

/* Letters that neither decomposition nor case folding reduces to ASCII. */
static const char *special_fold(long cp)
{
    switch (cp) {
    case 0x0131: return "i";  /* dotless i */
    case 0x0259: case 0x018F: return "e"; /* schwa */
    case 0x00F8: return "o";
    case 0x00E6: return "ae";
    case 0x0153: return "oe";
    case 0x0111: return "d";
    case 0x0142: return "l";
    case 0x00DF: return "ss";
    case 0x00F0: return "d";
    case 0x00FE: return "th";
    default: return NULL;
    }
}

static bool is_apostrophe(long cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
           cp == 0x0060 || cp == 0x00B4 || cp == 0x2032 || cp == 0x02B9 || cp == 0x055A;
}

static bool is_separator(long cp)
{
    if (cp == ' ' || cp == '-' || cp == '.' || cp == '_' || cp == '/' || cp == ',' || cp == '(' ||
        cp == ')' || cp == '"' || cp == '\t' || cp == '\n' || cp == '\r')
        return true;
    if (cp < 0x80)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_PD || c == UTF8PROC_CATEGORY_ZL ||
           c == UTF8PROC_CATEGORY_ZP;
}

/* cx_fold_key of a string of ASCII bytes, without utf8proc: what its map
 * does to ASCII (no decomposition, no mark, no ignorable; case folding is
 * A-Z to a-z), then the same loop. Byte-identical to the general path
 * (unit_common checks every byte and random strings against it). */
/* The key byte of the ASCII byte `c`: A-Z to a-z, others kept; -1 when it
 * adds none (an apostrophe, a control, a separator: which leaves a space
 * pending when the key has begun). Both fold paths below read ASCII so. */
static inline int ascii_key_byte(unsigned char c, size_t out_len, bool *pending_space)
{
    /* most bytes: a letter (lowered) or a digit */
    if ((unsigned)((c | 32u) - 'a') < 26u)
        return c | 32;
    if ((unsigned)(c - '0') < 10u)
        return c;
    if (c == '\'' || c == '`')
        return -1;
    if (is_separator(c)) {
        *pending_space = out_len > 0;
        return -1;
    }
    if (c < 0x20 || c == 0x7f) /* Cc */
        return -1;
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The key is never longer than the text (a pending space stands for a
 * separator byte): room is made once and the bytes written in place. */
static int fold_ascii(const char *s, size_t len, cx_buf *out)
{
    if (cx_buf_reserve(out, len) != 0)
        return CX_ENOMEM;
    char *d = out->data + out->len;
    size_t o = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len; i++) {
        int k = ascii_key_byte((unsigned char)s[i], out->len + o, &pending_space);
        if (k < 0)
            continue;
        if (pending_space) {
            d[o++] = ' ';
            pending_space = false;
        }
        d[o++] = (char)k;
    }
    out->len += o;
    out->data[out->len] = '\0';
    return 0;
}

#include "latin_fold.inc"

/* cx_fold_key of a text of ASCII and the Latin letters of latin_fold (the
 * fold of each such letter alone, which is its fold in any text: NFKD,
 * case folding and mark stripping act on it alone, and it is no
 * separator, apostrophe or mark), without utf8proc. 1 when folded; 0 when
 * another character is met (out then holds a part); < 0 on error. */
static int fold_latin_key(const char *s, size_t len, cx_buf *out)
{
    /* each letter folds to at most as many bytes as it has (latin_fold: at
     * most two for a two-byte letter), a pending space stands for a
     * separator: the key fits in len bytes, written in place */
    if (cx_buf_reserve(out, len) != 0)
        return CX_ENOMEM;
    char *d = out->data + out->len;
    size_t o = 0;
    bool pending_space = false;
    size_t i = 0;
    int rc = 1;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *f;
        char one[2] = {0, 0};
        if (c < 0x80) {
            i++;
            int k = ascii_key_byte(c, out->len + o, &pending_space);
            if (k < 0)
                continue;
            one[0] = (char)k;
            f = one;
        } else {
            long cp = cx_utf8_next(s, len, &i);
            /* (U+00C0..U+025F take two bytes: a longer fold, were the
             * table to hold one, takes the slow path) */
            if (cp < 0xC0 || cp >= 0x260 || !latin_fold[cp - 0xC0][0] ||
                (latin_fold[cp - 0xC0][1] && latin_fold[cp - 0xC0][2])) {
                rc = 0;
                break;
            }
            f = latin_fold[cp - 0xC0];
        }
        if (pending_space) {
            d[o++] = ' ';
            pending_space = false;
        }
        while (*f)
            d[o++] = *f++;
    }
    out->len += o;
    out->data[out->len] = '\0';
    return rc;
}

int cx_fold_key(const char *s, size_t len, cx_buf *out)
{
    cx_buf_reset(out);
    size_t k = 0;
    while (k < len && (unsigned char)s[k] < 0x80)
        k++;
    if (k == len)
        return fold_ascii(s, len, out);
    int fast = fold_latin_key(s, len, out);
    if (fast < 0)
        return fast;
    if (fast == 1)
        return out->data ? 0 : cx_buf_reserve(out, 0);
    cx_buf_reset(out);
    return cx_fold_key_unicode(s, len, out);
}

int cx_fold_key_unicode(const char *s, size_t len, cx_buf *out)
{
    cx_buf_reset(out);
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                     UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CX_ENOMEM : CX_EFORMAT;
    int rc = 0;
    bool pending_space = false;
    size_t i = 0;
    while (rc == 0 && i < (size_t)n) {
        long cp = cx_utf8_next((const char *)m, (size_t)n, &i);
        if (cp < 0 || is_apostrophe(cp))
            continue;
        if (is_separator(cp)) {
            pending_space = out->len > 0;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
        if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_CC ||
            cat == UTF8PROC_CATEGORY_CF)
            continue;
        if (pending_space) {
            rc = cx_buf_putc(out, ' ');
            pending_space = false;
        }
        const char *sp = special_fold(cp);
        if (rc == 0)
            rc = sp ? cx_buf_puts(out, sp) : put_cp(out, cp);
    }
    free(m);
    if (rc == 0 && !out->data)
        rc = cx_buf_reserve(out, 0);
    return rc;
}

int cx_lower(const char *s, size_t len, cx_buf *out)
{
    cx_buf_reset(out);
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? CX_ENOMEM : CX_EFORMAT;
    int rc = cx_buf_append(out, (const char *)m, (size_t)n);
    free(m);
    return rc;
}

/* ===== Transliteration key ===== */

/* Letters whose presence marks the Azerbaijani Latin alphabet, where c, x and
 * q read as j, kh and g. */
static bool has_az_letters(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        long cp = cx_utf8_next(s, len, &i);
        switch (cp) {
        case 0x0259: case 0x018F: /* ə Ə */
        case 0x0131:              /* ı */
        case 0x015F: case 0x015E: /* ş Ş */
        case 0x011F: case 0x011E: /* ğ Ğ */
        case 0x00E7: case 0x00C7: /* ç Ç */
            return true;
        default:
            break;
        }
    }
    return false;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Pre-pass: spell the letters with a hook or cedilla as digraphs before
 * their marks are stripped, into `dst` (room for 2 * len bytes: no
 * replacement is longer than twice the bytes it replaces, and a code point
 * is written back in as many bytes as it was read). Returns the length. */
static size_t spell_out(const char *s, size_t len, bool az, char *dst)
{
    size_t i = 0, o = 0;
    while (i < len) {
        long cp = cx_utf8_next(s, len, &i);
        const char *rep = NULL;
        switch (cp) {
        case 0x015F: case 0x015E: rep = "sh"; break;
        case 0x00E7: case 0x00C7: rep = "ch"; break;
        case 0x011F: case 0x011E: rep = "gh"; break;
        case 0x0259: case 0x018F: rep = "a"; break;
        case 'c': case 'C': if (az) rep = "j"; break;
        case 'x': case 'X': rep = "kh"; break;
        case 'q': case 'Q': if (az) rep = "g"; break;
        default: break;
        }
        if (rep) {
            while (*rep)
                dst[o++] = *rep++;
        } else if (cp >= 0) {
            o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)dst + o);
        }
    }
    return o;
}

/* The letters of a folded key (a-z only, at most `cap` - 1), into w. */
static size_t key_letters(const char *k, size_t klen, char *w, size_t cap)
{
    size_t wl = 0;
    for (size_t i = 0; i < klen && wl + 1 < cap; i++)
        if (k[i] >= 'a' && k[i] <= 'z')
            w[wl++] = k[i];
    return wl;
}

/* The letters of the folded key of an ASCII name after spell_out, without
 * either: spell_out only turns x into kh there (no letter of the
 * Azerbaijani alphabet), and the ASCII fold only lowers A-Z, drops
 * apostrophes and controls and turns separators into spaces, none of them
 * a letter. Byte for byte the letters key_letters reads from the general
 * path (unit_common compares them). */
static size_t ascii_letters(const char *s, size_t len, char *w, size_t cap)
{
    size_t wl = 0;
    for (size_t i = 0; i < len && wl + 1 < cap; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == 'x') {
            w[wl++] = 'k';
            if (wl + 1 < cap)
                w[wl++] = 'h';
        } else if (c >= 'a' && c <= 'z') {
            w[wl++] = c;
        }
    }
    return wl;
}

/* Does spell_out leave `s` (valid UTF-8) as it is: no letter of the
 * Azerbaijani alphabet (the hooks, the cedilla and the schwa among them)
 * and no x. */
static bool spelled_as_is(const char *s, size_t len)
{
    if (memchr(s, 'x', len) || memchr(s, 'X', len))
        return false;
    return !has_az_letters(s, len);
}

static int translit_key(const char *s, size_t len, const char *fold, size_t fold_len,
                        cx_buf *out)
{
    int rc = 0;
    char w[512];
    size_t wl, ascii = 0;
    while (ascii < len && (unsigned char)s[ascii] < 0x80)
        ascii++;
    if (ascii == len) {
        cx_buf_reset(out);
        wl = ascii_letters(s, len, w, sizeof w);
    } else if (fold && spelled_as_is(s, len)) {
        /* spell_out(s) is s: its fold is the one given */
        for (size_t i = 0; i < fold_len; i++)
            if ((unsigned char)fold[i] >= 0x80) {
                cx_buf_reset(out);
                rc = cx_buf_append(out, fold, fold_len);
                return rc;
            }
        wl = key_letters(fold, fold_len, w, sizeof w);
        cx_buf_reset(out);
    } else {
        /* spelled out on the stack when short, else on the heap; folded
         * into `out`, which the letters are read from before it is
         * rewritten */
        char stack[1024], *sp = stack;
        if (len > sizeof stack / 2 && !(sp = malloc(2 * len)))
            return CX_ENOMEM;
        size_t sl = spell_out(s, len, has_az_letters(s, len), sp);
        rc = cx_fold_key(sl ? sp : "", sl, out);
        if (sp != stack)
            free(sp);
        if (rc != 0)
            return rc;
        /* Non-Latin names keep their folded key. */
        for (size_t i = 0; i < out->len; i++)
            if ((unsigned char)out->data[i] >= 0x80)
                return 0;
        wl = key_letters(out->data, out->len, w, sizeof w);
        cx_buf_reset(out);
    }
    /* Spaces are gone; a final mute e after a consonant goes (French
     * spelling). */
    if (wl > 4 && w[wl - 1] == 'e' && !is_vowel(w[wl - 2]))
        wl--;
    w[wl] = '\0';

    /* the symbols (at most one a letter) gathered here, appended at once */
    char sy[sizeof w];
    size_t ny = 0;
    char last = 0;
    for (size_t k = 0; k < wl;) {
        char sym = 0;
        size_t adv = 1;
        const char *p = w + k;
        /* w is NUL-terminated: a pair or triple of letters never matches
         * past its end (what strncmp with the literal did) */
        char c0 = p[0], c1 = p[1], c2 = c1 ? p[2] : 0;
        /* by the first letter: the digraphs and trigraphs it starts, in
         * the order of the rules (sch and tch before sh and th), else the
         * letter's own symbol */
        switch (c0) {
        case 's':
            if (c1 == 'c' && c2 == 'h') sym = 'S', adv = 3;
            else if (c1 == 'h') sym = 'S', adv = 2;
            else sym = 'S';
            break;
        case 't':
            if (c1 == 'c' && c2 == 'h') sym = 'S', adv = 3;
            else if (c1 == 'h') sym = 'T', adv = 2;
            else if (c1 == 's' || c1 == 'z') sym = 'C', adv = 2;
            else sym = 'T';
            break;
        case 'd':
            if (c1 == 'z' && c2 == 'h') sym = 'J', adv = 3;
            else if (c1 == 'j') sym = 'J', adv = 2;
            else sym = 'T';
            break;
        case 'c':
            if (c1 == 'h') sym = 'S', adv = 2;
            else if (c1 == 'k') sym = 'K', adv = 2;
            else sym = (k + 1 < wl && (c1 == 'e' || c1 == 'i')) ? 's' : 'K';
            break;
        case 'z': sym = c1 == 'h' ? (adv = 2, 'J') : 'Z'; break;
        case 'k': sym = 'K', adv = c1 == 'h' ? 2 : 1; break;
        case 'q':
            if (c1 == 'u' && k + 2 < wl && (c2 == 'e' || c2 == 'i')) sym = 'K', adv = 2;
            else sym = 'G';
            break;
        case 'g': sym = 'G', adv = c1 == 'h' ? 2 : 1; break;
        case 'p': sym = c1 == 'h' ? (adv = 2, 'F') : 'P'; break;
        case 'y':
            /* a glide before a vowel is dropped (Yerevan, Gyanja, Jabrayil) */
            if (k + 1 < wl && is_vowel(c1) && c1 != 'y') {
                k++;
                continue;
            }
            sym = 'a';
            break;
        case 'a': case 'e': case 'i': case 'o': case 'u': sym = 'a'; break;
        case 'w': case 'v': sym = 'V'; break;
        case 'j': sym = 'J'; break;
        case 'x': sym = 'K'; break;
        default: sym = (char)(c0 - 'a' + 'A'); break;
        }
        k += adv;
        if (sym == last)
            continue;
        sy[ny++] = sym;
        last = sym;
    }
    rc = ny ? cx_buf_append(out, sy, ny) : 0;
    if (rc == 0 && !out->data)
        rc = cx_buf_reserve(out, 0);
    return rc;
}

int cx_translit_key(const char *s, size_t len, cx_buf *out)
{
    return translit_key(s, len, NULL, 0, out);
}

int cx_translit_key_folded(const char *s, size_t len, const char *fold, size_t fold_len,
                           cx_buf *out)
{
    return translit_key(s, len, fold ? fold : "", fold_len, out);
}
