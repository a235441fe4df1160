/* jsonl_fast.c -- flat JSON objects in one pass. See jsonl_fast.h.
 * Grammar (RFC 8259) restricted to: ws { ws "key" ws : ws value ws , ... } ws
 * where value is a string, an integer (no fraction, no exponent, within
 * long long), true, false or null. */
#include "jsonl_fast.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "cx_text.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex4(const char *s, size_t n, size_t i, unsigned *out)
{
    if (i + 4 > n)
        return false;
    unsigned v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(s[i + k]);
        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return true;
}

static bool put_utf8(cx_buf *b, unsigned cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    return cx_buf_append(b, u, k) == 0;
}

/* The end of the plain run of a string from s[q]: the first '"', '\\' or
 * control byte (or n); *non_ascii says whether a byte of the run has its
 * high bit set. Eight bytes at a time where none of them is one:
 * each test flags a byte equal to '"' or '\\', or below 0x20, and
 * flags nothing in a word without one (a borrow only reaches the bytes above
 * a flagged one); the bytes of a flagged word are then read one by one. */
static size_t plain_end(const char *s, size_t n, size_t q, bool *non_ascii)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull,
                   quotes = 0x2222222222222222ull, slashes = 0x5c5c5c5c5c5c5c5cull,
                   spaces = 0x2020202020202020ull;
    uint64_t high = 0;
    while (q + 8 <= n) {
        uint64_t v;
        memcpy(&v, s + q, sizeof v);
        uint64_t a = v ^ quotes, b = v ^ slashes;
        if ((((a - ones) & ~a) | ((b - ones) & ~b) | ((v - spaces) & ~v)) & highs)
            break;
        high |= v;
        q += 8;
    }
    while (q < n && s[q] != '"' && s[q] != '\\' && (unsigned char)s[q] >= 0x20)
        high |= (unsigned char)s[q++];
    *non_ascii = (high & highs) != 0;
    return q;
}

/* A string starting at s[*i] == '"': decoded into f->buf (NUL-terminated);
 * *off and *len say where. */
static bool parse_string(rdp_flat *f, const char *s, size_t n, size_t *i, size_t *off,
                         size_t *len)
{
    size_t p = *i + 1;
    *off = f->buf.len;
    for (;;) {
        bool non_ascii;
        size_t q = plain_end(s, n, p, &non_ascii);
        if (q > p) {
            /* a run holds no byte below 0x20 (no NUL): ASCII is UTF-8 */
            if ((non_ascii && !cx_utf8_valid(s + p, q - p, NULL)) ||
                cx_buf_append(&f->buf, s + p, q - p) != 0)
                return false;
        }
        if (q >= n || (unsigned char)s[q] < 0x20)
            return false; /* unterminated, or a control character */
        if (s[q] == '"') {
            p = q + 1;
            break;
        }
        /* an escape */
        if (q + 1 >= n)
            return false;
        char e = s[q + 1];
        char c;
        p = q + 2;
        switch (e) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            unsigned cp;
            if (!hex4(s, n, p, &cp))
                return false;
            p += 4;
            if (cp == 0)
                return false; /* Jansson refuses NUL in strings */
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return false; /* a lone low surrogate */
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p + 2 > n || s[p] != '\\' || s[p + 1] != 'u' || !hex4(s, n, p + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (!put_utf8(&f->buf, cp))
                return false;
            continue;
        }
        default: return false;
        }
        if (cx_buf_putc(&f->buf, c) != 0)
            return false;
    }
    *len = f->buf.len - *off;
    if (cx_buf_putc(&f->buf, '\0') != 0)
        return false;
    *i = p;
    return true;
}

/* An integer as Jansson reads one: -?(0|[1-9][0-9]*), no fraction or
 * exponent (those are reals: left to Jansson), within long long. */
static bool parse_integer(const char *s, size_t n, size_t *i, long long *out)
{
    size_t p = *i;
    bool neg = false;
    if (p < n && s[p] == '-') {
        neg = true;
        p++;
    }
    if (p >= n || s[p] < '0' || s[p] > '9')
        return false;
    if (s[p] == '0' && p + 1 < n && s[p + 1] >= '0' && s[p + 1] <= '9')
        return false; /* a leading zero */
    unsigned long long v = 0;
    size_t d0 = p;
    while (p < n && s[p] >= '0' && s[p] <= '9') {
        if (p - d0 >= 19)
            return false; /* too long to be sure: Jansson decides */
        v = v * 10 + (unsigned)(s[p] - '0');
        p++;
    }
    if (p < n && (s[p] == '.' || s[p] == 'e' || s[p] == 'E'))
        return false;
    if ((!neg && v > (unsigned long long)LLONG_MAX) ||
        (neg && v > (unsigned long long)LLONG_MAX + 1ULL))
        return false;
    *out = neg ? (long long)(0 - v) : (long long)v;
    *i = p;
    return true;
}

static bool literal(const char *s, size_t n, size_t *i, const char *word)
{
    size_t k = strlen(word);
    if (*i + k > n || memcmp(s + *i, word, k) != 0)
        return false;
    *i += k;
    return true;
}

bool rdp_flat_parse(rdp_flat *f, const char *s, size_t n)
{
    f->n = 0;
    cx_buf_reset(&f->buf);
    size_t i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    if (i >= n || s[i] != '{')
        return false;
    i++;
    while (i < n && is_ws(s[i]))
        i++;
    if (i < n && s[i] == '}') {
        i++;
    } else {
        for (;;) {
            if (f->n == RDP_FLAT_MAX || i >= n || s[i] != '"')
                return false;
            rdp_flat_member *m = &f->m[f->n];
            if (!parse_string(f, s, n, &i, &m->key, &m->key_len))
                return false;
            while (i < n && is_ws(s[i]))
                i++;
            if (i >= n || s[i] != ':')
                return false;
            i++;
            while (i < n && is_ws(s[i]))
                i++;
            if (i >= n)
                return false;
            if (s[i] == '"') {
                m->type = RDP_FLAT_STRING;
                if (!parse_string(f, s, n, &i, &m->val, &m->val_len))
                    return false;
            } else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
                m->type = RDP_FLAT_INTEGER;
                if (!parse_integer(s, n, &i, &m->integer))
                    return false;
            } else if (literal(s, n, &i, "true") || literal(s, n, &i, "false") ||
                       literal(s, n, &i, "null")) {
                m->type = RDP_FLAT_OTHER;
            } else {
                return false; /* nested, or not JSON: Jansson decides */
            }
            /* a key seen before: Jansson refuses the line (duplicates) */
            for (size_t k = 0; k < f->n; k++)
                if (f->m[k].key_len == m->key_len &&
                    memcmp(f->buf.data + f->m[k].key, f->buf.data + m->key, m->key_len) == 0)
                    return false;
            f->n++;
            while (i < n && is_ws(s[i]))
                i++;
            if (i < n && s[i] == ',') {
                i++;
                while (i < n && is_ws(s[i]))
                    i++;
                continue;
            }
            if (i < n && s[i] == '}') {
                i++;
                break;
            }
            return false;
        }
    }
    while (i < n && is_ws(s[i]))
        i++;
    return i == n; /* anything after the object: Jansson's error */
}

const rdp_flat_member *rdp_flat_get(const rdp_flat *f, const char *key)
{
    size_t kl = strlen(key);
    for (size_t k = 0; k < f->n; k++)
        if (f->m[k].key_len == kl && memcmp(f->buf.data + f->m[k].key, key, kl) == 0)
            return &f->m[k];
    return NULL;
}

const char *rdp_flat_str(const rdp_flat *f, size_t off)
{
    return f->buf.data + off;
}

void rdp_flat_free(rdp_flat *f)
{
    cx_buf_free(&f->buf);
    f->n = 0;
}
