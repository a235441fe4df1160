/* document.c -- article readers: .txt, .json, .jsonl/.ndjson, .html/.htm and
 * standard input, one ext_doc at a time. See document.h.
 *
 * What it does: reads bytes, checks them (UTF-8, NUL, binary, size), pulls the
 * fields out of JSON objects (Jansson, always with an explicit length), strips
 * HTML down to text, and hands back NFC-normalised text.
 * What it does not do: guess languages, split sentences or parse dates beyond
 * the YYYY-MM-DD prefix of a publication timestamp. It never prints.
 *
 * Memory: a .txt/.json/.html file is read whole (at most EXT_DOC_MAX_BYTES);
 * a JSONL file is read line by line, so only one line (at most
 * EXT_DOC_MAX_BYTES) is held at a time whatever the file size.
 *
 * JSON field precedence (first present wins):
 *   text      : "text" > "maintext" > "body" > "content"
 *   title     : "title"
 *   id        : "id" (string or integer) > file base name (+ ":N", N the JSONL
 *               line or the 1-based array index)
 *   published : "published" > "date_publish" > "date"
 *   lang      : "lang" > "language"
 *   url       : "url" > "source_domain"
 */
#include "document.h"

#include "cx_buf.h"
#include "cx_text.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_TXT, FMT_JSON, FMT_JSONL, FMT_HTML, FMT_SNIFF };

/* Bytes read from a file or from a caller's buffer, with a small pushback of
 * what sniffing already consumed. */
typedef struct src {
    FILE *fp; /* owned unless it is stdin */
    bool own_fp;
    const char *mem; /* borrowed (ext_reader_open_mem) */
    size_t mem_len, mem_pos;
    char peek[64]; /* sniffed bytes not yet handed out */
    size_t peek_len, peek_pos;
    int io_errno; /* errno of a failed read, 0 otherwise */
} src;

struct ext_reader {
    char path[512]; /* as given ("-" for stdin) */
    char base[256]; /* base name: the default document id */
    int fmt;
    src in;
    bool done;
    /* JSON file (whole-document formats): the parsed array and where we are */
    json_t *root;
    size_t index;
    /* JSONL state */
    char chunk[65536];
    size_t chunk_len, chunk_pos;
    bool eof;
    long line;        /* lines consumed so far */
    long long offset; /* byte offset of the next unread byte */
    cx_buf line_buf;
};

/* ===== Byte source ===== */

static size_t src_read(src *s, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n && s->peek_pos < s->peek_len)
        buf[got++] = s->peek[s->peek_pos++];
    if (got == n)
        return got;
    if (s->mem) {
        size_t k = s->mem_len - s->mem_pos;
        if (k > n - got)
            k = n - got;
        memcpy(buf + got, s->mem + s->mem_pos, k);
        s->mem_pos += k;
        return got + k;
    }
    if (!s->fp)
        return got;
    size_t k = fread(buf + got, 1, n - got, s->fp);
    if (k < n - got && ferror(s->fp))
        s->io_errno = errno ? errno : EIO;
    return got + k;
}

/* ===== Small helpers ===== */

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static const char *ext_of(const char *path)
{
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    return dot ? dot + 1 : "";
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

static int format_of(const char *path)
{
    if (strcmp(path, "-") == 0)
        return FMT_SNIFF;
    const char *e = ext_of(path);
    if (ieq(e, "jsonl") || ieq(e, "ndjson"))
        return FMT_JSONL;
    if (ieq(e, "json"))
        return FMT_JSON;
    if (ieq(e, "html") || ieq(e, "htm"))
        return FMT_HTML;
    return FMT_TXT;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i]))
            return false;
    return true;
}

/* Known magic numbers, or NUL plus many control bytes near the start. */
static bool looks_binary(const char *s, size_t n)
{
    static const struct {
        const char *m;
        size_t n;
    } magic[] = {
        {"\x89PNG", 4},
        {"\x1f\x8b", 2},
        {"%PDF", 4},
        {"\x7f"
         "ELF",
         4},
        {"PK\x03\x04", 4},
        {"SQLite format 3", 16},
        {"\xff\xd8\xff", 3},
        {"GIF8", 4},
        {"BZh", 3},
        {"\xfd"
         "7zXZ",
         5},
    };
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if (n >= magic[i].n && memcmp(s, magic[i].m, magic[i].n) == 0)
            return true;
    size_t sample = n < 4096 ? n : 4096, nul = 0, ctrl = 0;
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            nul++;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
            ctrl++;
    }
    return nul > 0 && ctrl * 10 > sample;
}

/* Reject invalid UTF-8 and NUL bytes; `base` is the file offset of s[0]. */
static int check_text(const char *s, size_t n, const char *source, long line, long long base,
                      cx_err *err)
{
    size_t bad = 0;
    if (cx_utf8_valid(s, n, &bad))
        return 0;
    if (s[bad] == '\0')
        return cx_err_set(err, CX_EFORMAT, source, line, "NUL byte at byte offset %lld",
                          base + (long long)bad);
    return cx_err_set(err, CX_EFORMAT, source, line,
                      "invalid UTF-8 at byte offset %lld (byte 0x%02x)", base + (long long)bad,
                      (unsigned)(unsigned char)s[bad]);
}

/* "YYYY-MM-DD..." -> "YYYY-MM-DD", else "". */
static void take_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s)
        return;
    while (*s == ' ')
        s++;
    for (int i = 0; i < 10; i++) {
        bool digit = i != 4 && i != 7;
        if (digit ? !isdigit((unsigned char)s[i]) : s[i] != '-')
            return;
    }
    int mo = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || isdigit((unsigned char)s[10]))
        return;
    memcpy(out, s, 10);
    out[10] = '\0';
}

/* "fr-FR" -> "fr"; keep letters of the primary subtag, lower-cased. */
static void take_lang(const char *s, char out[8])
{
    size_t k = 0;
    out[0] = '\0';
    if (!s)
        return;
    for (; *s && k < 7 && isalpha((unsigned char)*s); s++)
        out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

/* Turn CRLF and lone CR into LF, in place; returns the new length. */
static size_t unix_newlines(char *s, size_t n)
{
    const char *cr = memchr(s, '\r', n); /* most text has none */
    if (!cr)
        return n;
    size_t w = (size_t)(cr - s);
    for (size_t i = w; i < n; i++) {
        if (s[i] == '\r') {
            s[w++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
        } else {
            s[w++] = s[i];
        }
    }
    return w;
}

/* Code points that NFC leaves alone and cx_text_normalize does not map:
 * ASCII but the backtick, the precomposed Latin letters U+00C0..U+024F
 * (starters, never composed with a following starter), and the Latin-1
 * signs and general punctuation of news text (« » – — “ ” … € °), each
 * checked against Unicode's NFC. A combining mark after any of them starts
 * a run one code point early, so compositions are still made. */
static bool nfc_plain(long cp)
{
    if (cp >= 0 && cp < 0x80)
        return cp != '`';
    if (cp >= 0xC0 && cp <= 0x24F)
        return true;
    if (cp >= 0xA1 && cp <= 0xBF)
        return cp != 0xAD && cp != 0xB4;
    return (cp >= 0x2012 && cp <= 0x2017) || (cp >= 0x201A && cp <= 0x2027) || cp == 0x2030 ||
           cp == 0x2039 || cp == 0x203A || cp == 0x20AC;
}

/* cx_text_normalize(s) appended to `out`, faster: runs of plain code points
 * are copied, and only the other runs -- with the code point before them,
 * which a combining mark may compose with -- go through utf8proc. Gives the
 * same bytes as one cx_text_normalize call (checked by test_document and
 * the reader fuzz target); on French news text, 3 to 5 times faster. */
static int normalize_fast(const char *s, size_t n, cx_buf *out)
{
    size_t i = 0, plain_from = 0, prev = 0; /* prev: start of the last code point */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull,
                   ticks = 0x6060606060606060ull; /* '`' */
    if (cx_buf_reserve(out, n + n / 16) != 0)
        return CX_ENOMEM;
    while (i < n) {
        /* eight ASCII bytes without a backtick at a time: most of any text */
        if (i + 8 <= n) {
            uint64_t v, t;
            memcpy(&v, s + i, sizeof v);
            t = v ^ ticks;
            if (((v | ((t - ones) & ~t)) & highs) == 0) {
                i += 8;
                prev = i - 1;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && c != '`') {
            prev = i++;
            continue;
        }
        size_t at = i;
        long cp = cx_utf8_next(s, n, &i);
        if (nfc_plain(cp)) {
            prev = at;
            continue;
        }
        /* a typographic apostrophe or space alone (no mark follows): mapped
         * here, as cx_text_normalize would */
        char rep;
        int mapped = cp >= 0x80 ? cx_text_map_cp(cp, &rep) : -1;
        size_t after = i;
        if (mapped >= 0 && (i >= n || nfc_plain(cx_utf8_next(s, n, &after)))) {
            int rc = cx_buf_append(out, s + plain_from, at - plain_from);
            if (rc == 0 && mapped)
                rc = cx_buf_putc(out, rep);
            if (rc != 0)
                return rc;
            plain_from = i;
            prev = at;
            continue;
        }
        /* A run of other code points from `at`; start it one code point early. */
        size_t from = at > plain_from ? prev : at;
        size_t end = i;
        while (end < n) {
            size_t j = end;
            long cp2 = cx_utf8_next(s, n, &j);
            if (nfc_plain(cp2))
                break;
            end = j;
        }
        int rc = cx_buf_append(out, s + plain_from, from - plain_from);
        if (rc == 0)
            rc = cx_text_normalize(s + from, end - from, out);
        if (rc != 0)
            return rc;
        plain_from = i = prev = end;
    }
    return cx_buf_append(out, s + plain_from, n - plain_from);
}

/* Normalise `s` into doc->text. */
static int set_text(ext_doc *doc, const char *s, size_t n, cx_err *err)
{
    cx_buf b = CX_BUF_INIT;
    int rc = normalize_fast(s, n, &b);
    if (rc == 0 && !b.data)
        rc = cx_buf_reserve(&b, 0);
    if (rc != 0) {
        cx_buf_free(&b);
        return cx_err_set(err, rc, doc->source, doc->line, "cannot normalise text: %s",
                          cx_strerror(rc));
    }
    doc->text_len = b.len;
    doc->text = cx_buf_steal(&b);
    if (!doc->text)
        return cx_err_set(err, CX_ENOMEM, doc->source, doc->line, "out of memory");
    return 0;
}

/* Read the whole remaining input (at most EXT_DOC_MAX_BYTES) into `out`. */
static int slurp(ext_reader *r, cx_buf *out, cx_err *err)
{
    char tmp[65536];
    for (;;) {
        size_t k = src_read(&r->in, tmp, sizeof tmp);
        if (k == 0)
            break;
        if (out->len + k > EXT_DOC_MAX_BYTES)
            return cx_err_set(err, CX_EFORMAT, r->path, 0, "document larger than the %u MB limit",
                              EXT_DOC_MAX_BYTES / (1024u * 1024u));
        if (cx_buf_append(out, tmp, k) != 0)
            return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    if (r->in.io_errno)
        return cx_err_set(err, CX_EIO, r->path, 0, "read error: %s", strerror(r->in.io_errno));
    if (!out->data && cx_buf_reserve(out, 0) != 0)
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    return 0;
}

static void doc_start(ext_reader *r, ext_doc *doc, long line)
{
    ext_doc_clear(doc);
    snprintf(doc->source, sizeof doc->source, "%s", r->path);
    doc->line = line;
}

/* ===== Text ===== */

/* A whole file read as one document (.txt, .html): the byte-order mark
 * skipped, and refused when empty, binary or not UTF-8. Sets *s and *n to
 * the text. Returns 0 or a CX_E* code with `err` naming the file. */
static int file_body(const ext_reader *r, cx_buf *raw, char **s_out, size_t *n_out, cx_err *err)
{
    char *s = raw->data;
    size_t n = raw->len;
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        n -= 3;
    }
    if (n == 0 || all_space(s, n))
        return cx_err_set(err, CX_EFORMAT, r->path, 0, "empty document");
    if (looks_binary(s, n))
        return cx_err_set(err, CX_EFORMAT, r->path, 0, "binary file, not text");
    int rc = check_text(s, n, r->path, 0, s - raw->data, err);
    *s_out = s;
    *n_out = n;
    return rc;
}

static int read_txt(ext_reader *r, ext_doc *doc, cx_buf *raw, cx_err *err)
{
    char *s;
    size_t n;
    int rc = file_body(r, raw, &s, &n, err);
    if (rc != 0)
        return rc;
    n = unix_newlines(s, n);
    if (!(doc->id = dup_n(r->base, strlen(r->base))))
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    if ((rc = set_text(doc, s, n, err)) != 0)
        return rc;
    /* Title: the first non-empty line, trimmed. */
    const char *t = doc->text, *end = doc->text + doc->text_len;
    while (t < end) {
        const char *nl = memchr(t, '\n', (size_t)(end - t));
        const char *le = nl ? nl : end;
        const char *a = t, *b = le;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        if (b > a) {
            if (!(doc->title = dup_n(a, (size_t)(b - a))))
                return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
            break;
        }
        t = le + (nl ? 1 : 0);
    }
    return 1;
}

/* ===== HTML ===== */

static const struct {
    const char *name;
    long cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},     {"laquo", 0xAB},   {"raquo", 0xBB},   {"rsquo", 0x2019}, {"lsquo", 0x2018},
    {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
    {"euro", 0x20AC},   {"copy", 0xA9},    {"deg", 0xB0},     {"middot", 0xB7},  {"shy", 0xAD},
    {"thinsp", 0x2009}, {"eacute", 0xE9},  {"Eacute", 0xC9},  {"egrave", 0xE8},  {"Egrave", 0xC8},
    {"ecirc", 0xEA},    {"Ecirc", 0xCA},   {"euml", 0xEB},    {"agrave", 0xE0},  {"Agrave", 0xC0},
    {"acirc", 0xE2},    {"Acirc", 0xC2},   {"auml", 0xE4},    {"ccedil", 0xE7},  {"Ccedil", 0xC7},
    {"icirc", 0xEE},    {"Icirc", 0xCE},   {"iuml", 0xEF},    {"ocirc", 0xF4},   {"Ocirc", 0xD4},
    {"ouml", 0xF6},     {"ugrave", 0xF9},  {"ucirc", 0xFB},   {"uuml", 0xFC},    {"oelig", 0x153},
    {"OElig", 0x152},   {"aelig", 0xE6},   {"szlig", 0xDF},   {"ntilde", 0xF1},  {"aacute", 0xE1},
    {"iacute", 0xED},   {"oacute", 0xF3},  {"uacute", 0xFA},  {"yuml", 0xFF},
};

static int put_utf8(cx_buf *b, long cp)
{
    char t[4];
    size_t n;
    if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return cx_buf_append(b, t, n);
}

/* Decode the entity at s[i] == '&'; appends it and returns bytes consumed,
 * or 0 when it is not an entity (the '&' is then copied as is). */
static size_t decode_entity(const char *s, size_t n, size_t i, cx_buf *out, int *rc)
{
    size_t j = i + 1;
    size_t lim = i + 12 < n ? i + 12 : n;
    if (j < n && s[j] == '#') {
        j++;
        int radix = 10;
        if (j < n && (s[j] == 'x' || s[j] == 'X')) {
            radix = 16;
            j++;
        }
        long cp = 0;
        size_t start = j;
        while (j < lim && isxdigit((unsigned char)s[j]) &&
               (radix == 16 || isdigit((unsigned char)s[j]))) {
            int d =
                isdigit((unsigned char)s[j]) ? s[j] - '0' : tolower((unsigned char)s[j]) - 'a' + 10;
            if (cp < 0x110000)
                cp = cp * radix + d;
            j++;
        }
        if (j == start)
            return 0;
        if (j < n && s[j] == ';')
            j++;
        *rc = put_utf8(out, cp);
        return j - i;
    }
    size_t start = j;
    while (j < lim && isalnum((unsigned char)s[j]))
        j++;
    if (j == start || j >= n || s[j] != ';')
        return 0;
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strlen(entities[k].name) == j - start &&
            memcmp(entities[k].name, s + start, j - start) == 0) {
            *rc = put_utf8(out, entities[k].cp);
            return j + 1 - i;
        }
    }
    return 0;
}

/* Case-insensitive "does s[i..] start with word w (followed by a non-name byte)". */
static bool tag_is(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    if (i + k > n)
        return false;
    for (size_t m = 0; m < k; m++)
        if (tolower((unsigned char)s[i + m]) != w[m])
            return false;
    return i + k == n || !isalnum((unsigned char)s[i + k]);
}

/* Find the case-insensitive string `w` from s[i]; returns its index or n. */
static size_t find_ci(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    for (; i + k <= n; i++) {
        size_t m = 0;
        while (m < k && tolower((unsigned char)s[i + m]) == w[m])
            m++;
        if (m == k)
            return i;
    }
    return n;
}

/* Value of attribute `name` inside the tag s[a..b) into out (raw, <= size-1). */
static bool tag_attr(const char *s, size_t a, size_t b, const char *name, char *out, size_t size)
{
    size_t k = strlen(name);
    for (size_t i = a; i + k < b; i++) {
        if (!(i == a || is_space(s[i - 1])) || !tag_is(s, b, i, name))
            continue;
        size_t j = i + k;
        while (j < b && is_space(s[j]))
            j++;
        if (j >= b || s[j] != '=')
            continue;
        j++;
        while (j < b && is_space(s[j]))
            j++;
        char q = j < b && (s[j] == '"' || s[j] == '\'') ? s[j++] : 0;
        size_t m = 0;
        while (j < b && (q ? s[j] != q : !is_space(s[j]) && s[j] != '>') && m + 1 < size)
            out[m++] = s[j++];
        out[m] = '\0';
        return true;
    }
    return false;
}

static bool block_tag(const char *s, size_t n, size_t i)
{
    static const char *const blocks[] = {
        "p",       "br",     "div",    "li",         "ul",    "ol",    "tr", "td",
        "th",      "h1",     "h2",     "h3",         "h4",    "h5",    "h6", "article",
        "section", "header", "footer", "blockquote", "title", "table", "hr", "figcaption"};
    if (i < n && s[i] == '/')
        i++;
    for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
        if (tag_is(s, n, i, blocks[k]))
            return true;
    return false;
}

/* Strip HTML to text: tags dropped (block tags become newlines), script, style
 * and comments removed, entities decoded. Fills title, published and lang
 * from <title>, <meta ... published_time|date> and <html lang>. */
static int html_to_text(const char *s, size_t n, ext_doc *doc, cx_buf *out)
{
    int rc = 0;
    size_t i = 0;
    bool in_title = false;
    cx_buf title = CX_BUF_INIT;
    while (i < n && rc == 0) {
        char c = s[i];
        if (c == '<') {
            size_t j = i + 1;
            if (j + 2 < n && memcmp(s + j, "!--", 3) == 0) {
                size_t e = find_ci(s, n, j + 3, "-->");
                i = e < n ? e + 3 : n;
                continue;
            }
            if (tag_is(s, n, j, "script") || tag_is(s, n, j, "style")) {
                const char *close = tag_is(s, n, j, "script") ? "</script" : "</style";
                size_t e = find_ci(s, n, j, close);
                size_t gt = e < n ? find_ci(s, n, e, ">") : n;
                i = gt < n ? gt + 1 : n;
                continue;
            }
            size_t gt = j;
            char q = 0;
            while (gt < n && (q || s[gt] != '>')) {
                if (q && s[gt] == q)
                    q = 0;
                else if (!q && (s[gt] == '"' || s[gt] == '\''))
                    q = s[gt];
                gt++;
            }
            if (gt >= n) /* an unclosed '<': keep the rest as text */
                gt = n;
            if (tag_is(s, gt, j, "title"))
                in_title = true;
            else if (tag_is(s, gt, j, "/title"))
                in_title = false;
            else if (tag_is(s, gt, j, "html") && !doc->lang[0]) {
                char v[16];
                if (tag_attr(s, j, gt, "lang", v, sizeof v))
                    take_lang(v, doc->lang);
            } else if (tag_is(s, gt, j, "meta") && !doc->published[0]) {
                char key[64] = "", v[64] = "";
                if ((tag_attr(s, j, gt, "property", key, sizeof key) ||
                     tag_attr(s, j, gt, "name", key, sizeof key) ||
                     tag_attr(s, j, gt, "itemprop", key, sizeof key)) &&
                    (strstr(key, "published") || strcmp(key, "date") == 0 ||
                     strcmp(key, "datePublished") == 0) &&
                    tag_attr(s, j, gt, "content", v, sizeof v))
                    take_date(v, doc->published);
            }
            if (block_tag(s, gt, j))
                rc = cx_buf_putc(out, '\n');
            i = gt < n ? gt + 1 : n;
            continue;
        }
        cx_buf *dst = in_title ? &title : out;
        if (c == '&') {
            size_t used = decode_entity(s, n, i, dst, &rc);
            if (used) {
                i += used;
                continue;
            }
        }
        rc = cx_buf_putc(dst, c);
        i++;
    }
    if (rc == 0 && title.len && !all_space(title.data, title.len)) {
        char *a = title.data, *b = title.data + title.len;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        if (!(doc->title = dup_n(a, (size_t)(b - a))))
            rc = CX_ENOMEM;
    }
    cx_buf_free(&title);
    return rc;
}

static int read_html(ext_reader *r, ext_doc *doc, cx_buf *raw, cx_err *err)
{
    char *s;
    size_t n;
    int rc = file_body(r, raw, &s, &n, err);
    if (rc != 0)
        return rc;
    cx_buf text = CX_BUF_INIT;
    if ((rc = html_to_text(s, n, doc, &text)) != 0) {
        cx_buf_free(&text);
        return cx_err_set(err, rc, r->path, 0, "out of memory");
    }
    if (text.len == 0 || all_space(text.data, text.len)) {
        cx_buf_free(&text);
        return cx_err_set(err, CX_EFORMAT, r->path, 0, "empty document (no text outside tags)");
    }
    /* Entities may have produced a NUL (&#0; is mapped to U+FFFD, so they cannot). */
    text.len = unix_newlines(text.data, text.len);
    if (!(doc->id = dup_n(r->base, strlen(r->base)))) {
        cx_buf_free(&text);
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    rc = set_text(doc, text.data, text.len, err);
    cx_buf_free(&text);
    return rc == 0 ? 1 : rc;
}

/* ===== JSON ===== */

static const char *field_str(json_t *obj, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(obj, names[i]);
        if (json_is_string(v))
            return json_string_value(v);
    }
    return NULL;
}

/* Fill `doc` from one JSON object. `index` (JSONL line or array index, 1-based)
 * makes the default id unique; 0 for a single object. */
static int doc_from_object(ext_reader *r, json_t *obj, long index, const char *what, ext_doc *doc,
                           cx_err *err)
{
    static const char *const text_f[] = {"text", "maintext", "body", "content"};
    static const char *const title_f[] = {"title"};
    static const char *const date_f[] = {"published", "date_publish", "date"};
    static const char *const lang_f[] = {"lang", "language"};
    static const char *const url_f[] = {"url", "source_domain"};
    long line = doc->line;
    if (!json_is_object(obj))
        return cx_err_set(err, CX_EFORMAT, r->path, line, "%sJSON value is not an object", what);

    json_t *jtext = NULL;
    for (size_t i = 0; i < 4 && !jtext; i++) {
        json_t *v = json_object_get(obj, text_f[i]);
        if (json_is_string(v))
            jtext = v;
    }
    if (!jtext)
        return cx_err_set(err, CX_EFORMAT, r->path, line,
                          "%sobject has no text (a string field \"text\", \"maintext\", "
                          "\"body\" or \"content\")",
                          what);
    const char *t = json_string_value(jtext);
    size_t tn = json_string_length(jtext);
    if (tn == 0 || all_space(t, tn))
        return cx_err_set(err, CX_EFORMAT, r->path, line, "%sempty document (blank text)", what);
    int rc = check_text(t, tn, r->path, line, 0, err);
    if (rc != 0)
        return rc;

    char idbuf[600];
    json_t *jid = json_object_get(obj, "id");
    if (json_is_string(jid) && json_string_length(jid) > 0)
        snprintf(idbuf, sizeof idbuf, "%s", json_string_value(jid));
    else if (json_is_integer(jid))
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
    else if (index > 0)
        snprintf(idbuf, sizeof idbuf, "%s:%ld", r->base, index);
    else
        snprintf(idbuf, sizeof idbuf, "%s", r->base);
    const char *title = field_str(obj, title_f, 1);
    const char *url = field_str(obj, url_f, 2);
    if (!(doc->id = dup_n(idbuf, strlen(idbuf))) ||
        (title && !(doc->title = dup_n(title, strlen(title)))) ||
        (url && !(doc->url = dup_n(url, strlen(url)))))
        return cx_err_set(err, CX_ENOMEM, r->path, line, "out of memory");
    take_date(field_str(obj, date_f, 3), doc->published);
    take_lang(field_str(obj, lang_f, 2), doc->lang);
    cx_buf tmp = CX_BUF_INIT;
    if (cx_buf_append(&tmp, t, tn) != 0) {
        cx_buf_free(&tmp);
        return cx_err_set(err, CX_ENOMEM, r->path, line, "out of memory");
    }
    tmp.len = unix_newlines(tmp.data, tmp.len);
    rc = set_text(doc, tmp.data, tmp.len, err);
    cx_buf_free(&tmp);
    return rc == 0 ? 1 : rc;
}

static int json_fail(ext_reader *r, long line, const json_error_t *je, const char *what,
                     cx_err *err)
{
    return cx_err_set(err, CX_EFORMAT, r->path, line, "%s: %s (column %d)", what, je->text,
                      je->column);
}

/* A .json file (or stdin starting with '['): one object or an array. */
static int read_json_next(ext_reader *r, ext_doc *doc, cx_err *err)
{
    if (!r->root) {
        cx_buf raw = CX_BUF_INIT;
        int rc = slurp(r, &raw, err);
        r->done = true; /* whatever happens, the file is read */
        if (rc == 0) {
            if (raw.len == 0 || all_space(raw.data, raw.len))
                rc = cx_err_set(err, CX_EFORMAT, r->path, 0, "empty document");
            else if (looks_binary(raw.data, raw.len))
                rc = cx_err_set(err, CX_EFORMAT, r->path, 0, "binary file, not text");
            else
                rc = check_text(raw.data, raw.len, r->path, 0, 0, err);
        }
        if (rc == 0) {
            json_error_t je;
            r->root = json_loadb(raw.data, raw.len, JSON_REJECT_DUPLICATES, &je);
            if (!r->root)
                rc = cx_err_set(err, CX_EFORMAT, r->path, je.line, "malformed JSON: %s (column %d)",
                                je.text, je.column);
        }
        cx_buf_free(&raw);
        if (rc != 0)
            return rc;
        if (!json_is_array(r->root) && !json_is_object(r->root))
            return cx_err_set(err, CX_EFORMAT, r->path, 0,
                              "JSON document is neither an object nor an array of objects");
        r->index = 0;
    }
    if (json_is_object(r->root)) {
        if (r->index++ > 0)
            return 0;
        return doc_from_object(r, r->root, 0, "", doc, err);
    }
    if (r->index >= json_array_size(r->root))
        return 0;
    size_t i = r->index++;
    char what[48];
    snprintf(what, sizeof what, "array element %zu: ", i + 1);
    return doc_from_object(r, json_array_get(r->root, i), (long)i + 1, what, doc, err);
}

/* ===== JSONL ===== */

/* Read the next line into r->line_buf (without its newline). Returns 1 with a
 * line, 0 at the end. *too_long is set when the line exceeded the limit (its
 * bytes were skipped); *no_newline when the file ended before its newline. */
static int next_line(ext_reader *r, bool *too_long, bool *no_newline, long long *start)
{
    cx_buf_reset(&r->line_buf);
    *too_long = *no_newline = false;
    *start = r->offset;
    bool any = false;
    for (;;) {
        if (r->chunk_pos == r->chunk_len) {
            if (r->eof)
                break;
            r->chunk_len = src_read(&r->in, r->chunk, sizeof r->chunk);
            r->chunk_pos = 0;
            if (r->chunk_len == 0) {
                r->eof = true;
                break;
            }
        }
        const char *p = r->chunk + r->chunk_pos;
        size_t avail = r->chunk_len - r->chunk_pos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) : avail;
        any = true;
        if (!*too_long) {
            if (r->line_buf.len + take > EXT_DOC_MAX_BYTES) {
                *too_long = true;
                cx_buf_free(&r->line_buf);
            } else if (cx_buf_append(&r->line_buf, p, take) != 0) {
                return CX_ENOMEM;
            }
        }
        r->chunk_pos += take + (nl ? 1 : 0);
        r->offset += (long long)(take + (nl ? 1 : 0));
        if (nl) {
            r->line++;
            return 1;
        }
    }
    if (!any)
        return 0;
    r->line++;
    *no_newline = true;
    return 1;
}

static int read_jsonl_next(ext_reader *r, ext_doc *doc, cx_err *err)
{
    for (;;) {
        bool too_long, no_nl;
        long long start;
        int got = next_line(r, &too_long, &no_nl, &start);
        if (got == CX_ENOMEM)
            return cx_err_set(err, CX_ENOMEM, r->path, r->line + 1, "out of memory");
        if (got == 0) {
            r->done = true;
            if (r->in.io_errno)
                return cx_err_set(err, CX_EIO, r->path, r->line, "read error: %s",
                                  strerror(r->in.io_errno));
            return 0;
        }
        long line = r->line;
        doc_start(r, doc, line);
        if (too_long)
            return cx_err_set(err, CX_EFORMAT, r->path, line,
                              "line longer than the %u MB document limit",
                              EXT_DOC_MAX_BYTES / (1024u * 1024u));
        char *s = r->line_buf.data;
        size_t n = r->line_buf.len;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
            s += 3;
            n -= 3;
            start += 3;
        }
        if (n == 0 || all_space(s, n))
            continue; /* blank lines separate nothing: skip them */
        if (line == 1 && looks_binary(s, n)) {
            r->done = true;
            return cx_err_set(err, CX_EFORMAT, r->path, line, "binary file, not text");
        }
        /* Jansson checks UTF-8 and NUL bytes itself: the byte-exact check
         * (a second pass over the line) runs only to explain a failure */
        json_error_t je;
        json_t *obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
        int rc;
        if (!obj && (rc = check_text(s, n, r->path, line, start, err)) != 0)
            return rc;
        if (!obj) {
            if (no_nl)
                return cx_err_set(err, CX_EFORMAT, r->path, line,
                                  "file ends in the middle of a JSON line (truncated?): "
                                  "%s (column %d)",
                                  je.text, je.column);
            return json_fail(r, line, &je, "malformed JSON line", err);
        }
        rc = doc_from_object(r, obj, line, "", doc, err);
        json_decref(obj);
        return rc;
    }
}

/* ===== Public API ===== */

static int sniff(ext_reader *r)
{
    src *s = &r->in;
    int fmt = FMT_TXT;
    while (s->peek_len < sizeof s->peek) {
        s->peek_pos = s->peek_len; /* nothing to drain: read from the source */
        size_t k = src_read(s, s->peek + s->peek_len, 1);
        if (k == 0)
            break;
        char c = s->peek[s->peek_len];
        s->peek_len += k;
        if (is_space(c) || (unsigned char)c == 0xEF || (unsigned char)c == 0xBB ||
            (unsigned char)c == 0xBF)
            continue;
        fmt = c == '{' ? FMT_JSONL : c == '[' ? FMT_JSON : c == '<' ? FMT_HTML : FMT_TXT;
        break;
    }
    s->peek_pos = 0;
    return fmt;
}

static ext_reader *reader_new(const char *name, cx_err *err)
{
    ext_reader *r = calloc(1, sizeof *r);
    if (!r) {
        cx_err_set(err, CX_ENOMEM, name, 0, "out of memory");
        return NULL;
    }
    snprintf(r->path, sizeof r->path, "%s", name);
    snprintf(r->base, sizeof r->base, "%s", strcmp(name, "-") == 0 ? "stdin" : base_name(name));
    r->fmt = format_of(name);
    return r;
}

ext_reader *ext_reader_open(const char *path, cx_err *err)
{
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "empty input path");
        return NULL;
    }
    ext_reader *r = reader_new(path, err);
    if (!r)
        return NULL;
    if (strcmp(path, "-") == 0) {
        r->in.fp = stdin;
    } else {
        r->in.fp = fopen(path, "rb");
        if (!r->in.fp) {
            int e = errno;
            cx_err_set(err, e == ENOENT ? CX_ENOTFOUND : CX_EIO, path, 0, "cannot open: %s",
                       strerror(e));
            free(r);
            return NULL;
        }
        r->in.own_fp = true;
    }
    if (r->fmt == FMT_SNIFF)
        r->fmt = sniff(r);
    return r;
}

ext_reader *ext_reader_open_mem(const char *name, const char *buf, size_t len, cx_err *err)
{
    ext_reader *r = reader_new(name && *name ? name : "-", err);
    if (!r)
        return NULL;
    static const char empty[1] = "";
    r->in.mem = buf ? buf : empty;
    r->in.mem_len = buf ? len : 0;
    if (r->fmt == FMT_SNIFF)
        r->fmt = sniff(r);
    return r;
}

int ext_reader_next(ext_reader *r, ext_doc *doc, cx_err *err)
{
    if (!r || !doc)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "ext_reader_next: NULL argument");
    ext_doc_clear(doc);
    if (r->fmt == FMT_JSONL) {
        if (r->done)
            return 0;
        return read_jsonl_next(r, doc, err);
    }
    doc_start(r, doc, 0);
    if (r->fmt == FMT_JSON) {
        if (r->done && !r->root)
            return 0;
        return read_json_next(r, doc, err);
    }
    if (r->done)
        return 0;
    r->done = true;
    cx_buf raw = CX_BUF_INIT;
    int rc = slurp(r, &raw, err);
    if (rc == 0)
        rc = r->fmt == FMT_HTML ? read_html(r, doc, &raw, err) : read_txt(r, doc, &raw, err);
    cx_buf_free(&raw);
    if (rc < 0) {
        char src_copy[sizeof doc->source];
        memcpy(src_copy, doc->source, sizeof src_copy);
        ext_doc_clear(doc);
        memcpy(doc->source, src_copy, sizeof src_copy);
    }
    return rc;
}

void ext_reader_close(ext_reader *r)
{
    if (!r)
        return;
    if (r->in.own_fp && r->in.fp)
        fclose(r->in.fp);
    json_decref(r->root);
    cx_buf_free(&r->line_buf);
    free(r);
}

void ext_doc_clear(ext_doc *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->url);
    free(doc->title);
    free(doc->text);
    memset(doc, 0, sizeof *doc);
}
