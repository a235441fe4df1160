/* document.c -- article readers: .txt, .json, .jsonl/.ndjson, .html/.htm and
 * standard input, one rd_doc at a time. See read.h.
 *
 * What it does: reads bytes, checks them (UTF-8, NUL, binary, size), pulls the
 * fields out of JSON objects (Jansson, always with an explicit length), strips
 * HTML down to text, drops the furniture lines of a plain text's head and
 * tail (boiler.c), and hands back NFC-normalised text.
 * What it does not do: guess languages, split sentences or parse dates beyond
 * the YYYY-MM-DD prefix of a publication timestamp. It never prints.
 *
 * Memory: a .txt/.json/.html file is read whole (at most RD_DOC_MAX_BYTES);
 * a JSONL file is read line by line, so only one line (at most
 * RD_DOC_MAX_BYTES) is held at a time whatever the file size.
 *
 * JSON field precedence (first present wins):
 *   text      : "text" > "maintext" > "body" > "content"
 *   title     : "title"
 *   id        : "id" (string or integer) > file base name (+ ":N", N the JSONL
 *               line or the 1-based array index)
 *   published : "published" > "date_publish" > "date"
 *   lang      : "lang" > "language"
 *   url       : "url" > "source_domain"
 *   outlet    : "outlet" > "site_name" > "publisher" > "source", a string or
 *               an object's "name" ({"name": "Reuters"}, as NewsAPI writes
 *               "source"); a value that holds a URL ("://") or is longer
 *               than OUTLET_MAX is not a name and is passed over. None: the URL's host stands for it
 *               (cli/, store/).
 * HTML pages name their outlet in og:site_name, else JSON-LD
 * publisher.name; a feed's items take the channel's (RSS) or the feed's
 * (Atom) title; WARC records have no field for it (their pages' metadata
 * does, else the record's URI gives the host).
 */
#include "read.h"

#include "archives.h"
#include "boiler.h"
#include "cx_buf.h"
#include "cx_text.h"
#include "decode.h"
#include "feed.h"
#include "html.h"
#include "jsonl_fast.h"
#include "warc.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_TXT, FMT_JSON, FMT_JSONL, FMT_HTML, FMT_SNIFF, FMT_XML, FMT_WARC, FMT_MEMBERS };

/* Bytes read from a file or from a caller's buffer, with a small pushback of
 * what sniffing already consumed. */
typedef struct src {
    FILE *fp; /* owned unless it is stdin */
    bool own_fp;
    const char *mem; /* borrowed (rd_reader_open_mem) */
    size_t mem_len, mem_pos;
    rdp_archive *arc; /* borrowed: the bytes of its current member */
    char peek[512]; /* sniffed bytes not yet handed out (a tar header is 512) */
    size_t peek_len, peek_pos;
    int io_errno; /* errno of a failed read, 0 otherwise */
    int arc_code; /* CX_EFORMAT (bad member) or CX_EIO (corrupt archive), 0 otherwise */
    char arc_msg[256];
} src;

struct rd_reader {
    char path[512]; /* as given ("-" for stdin); "ARCHIVE:MEMBER" for a member */
    char base[512]; /* base name: the default document id */
    int fmt;
    src in;
    bool done;
    char encoding[48]; /* --encoding: "" guesses, a UTF-8 name is strict */
    int html_mode;     /* RDP_HTML_MAIN (the article) or RDP_HTML_WHOLE */
    bool defer_trim;   /* rd_reader_defer_trim: JSON texts left for rd_doc_trim */
    /* a compressed file or an archive: `raw` reads the file, `in` the
     * decompressed bytes of the current member */
    src raw;
    rdp_archive *arc;   /* owned (NULL in a member's reader) */
    rd_reader *member; /* zip/tar: the reader of the current member */
    bool pending_first; /* zip/tar: first_member is the next member to read */
    char first_member[512];
    /* a feed: its items, handed out one per call */
    rdp_feed feed;
    size_t feed_next;
    bool is_feed;
    rdp_warc *warc;
    long warc_records;
    cx_buf conv; /* text decoded from another encoding */
    char json_enc[24]; /* the encoding of a .json file, for each of its elements */
    bool json_enc_guessed;
    /* JSON file (whole-document formats): the parsed array and where we are */
    json_t *root;
    size_t index;
    /* JSONL state */
    rdp_flat flat;  /* the one-pass parse of a flat line */
    bool no_fast;   /* rdp_reader_no_fast: every line through Jansson (tests) */
    char chunk[65536];
    size_t chunk_len, chunk_pos;
    bool eof;
    long line;        /* lines consumed so far */
    long long offset; /* byte offset of the next unread byte */
    cx_buf line_buf;
};

/* Copy the string `a` then `b` (may be NULL) into dst[size], cut to fit:
 * names and messages that may be long are shortened, never overflowed. */
static void put2(char *dst, size_t size, const char *a, const char *b)
{
    size_t k = strlen(a);
    if (k >= size)
        k = size - 1;
    memcpy(dst, a, k);
    size_t m = b ? strlen(b) : 0;
    if (m > size - 1 - k)
        m = size - 1 - k;
    if (m)
        memcpy(dst + k, b, m);
    dst[k + m] = '\0';
}

/* ===== Byte source ===== */

static size_t src_read(src *s, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n && s->peek_pos < s->peek_len)
        buf[got++] = s->peek[s->peek_pos++];
    if (got == n)
        return got;
    if (s->arc) {
        while (got < n && !s->arc_code) {
            cx_err e;
            cx_err_clear(&e);
            long k = rdp_archive_read(s->arc, buf + got, n - got, &e);
            if (k < 0) {
                s->arc_code = (int)k;
                put2(s->arc_msg, sizeof s->arc_msg, e.msg, NULL);
            } else if (k == 0) {
                break;
            } else {
                got += (size_t)k;
            }
        }
        return got;
    }
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
    if (ieq(e, "rss") || ieq(e, "atom") || ieq(e, "xml"))
        return FMT_XML;
    if (ieq(e, "warc"))
        return FMT_WARC;
    return FMT_TXT;
}

/* Extensions of a compressed stream, and of archives of members. */
static bool compressed_ext(const char *e)
{
    return ieq(e, "gz") || ieq(e, "bz2") || ieq(e, "xz") || ieq(e, "zst") || ieq(e, "zstd");
}

static bool archive_ext(const char *e)
{
    return ieq(e, "zip") || ieq(e, "tar") || ieq(e, "tgz") || ieq(e, "tbz2") || ieq(e, "txz") ||
           ieq(e, "tzst");
}

int rd_reader_wanted(const char *path)
{
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    if (!dot || dot == b)
        return 0;
    const char *e = dot + 1;
    static const char *const exts[] = {"txt", "json", "jsonl", "ndjson", "html", "htm",
                                       "rss", "atom", "xml",  "warc"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ieq(e, exts[i]))
            return 1;
    if (compressed_ext(e) || archive_ext(e))
        return 2;
    return 0;
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

/* "YYYY-MM-DD..." -> "YYYY-MM-DD", "YYYY-MM" -> "YYYY-MM", "YYYY" -> "YYYY"
 * (a year known only: relative dates then resolve to the year), else "". */
static void take_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s)
        return;
    while (*s == ' ')
        s++;
    /* a year-only date, "2020": year precision, not dropped */
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
        (s[4] == '\0' || s[4] == ' ' || s[4] == '"')) {
        memcpy(out, s, 4);
        out[4] = '\0';
        return;
    }
    /* a month-only date, "2020-07": month precision, not dropped */
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
        isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
        (s[7] == '\0' || s[7] == ' ' || s[7] == '"')) {
        int mo = (s[5] - '0') * 10 + (s[6] - '0');
        if (mo >= 1 && mo <= 12) {
            memcpy(out, s, 7);
            out[7] = '\0';
        }
        return;
    }
    rdp_iso_day(s, out);
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
static int set_text(rd_doc *doc, const char *s, size_t n, cx_err *err)
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

/* Whether `s` holds at most one line with something other than spaces. */
static bool one_line(const char *s, size_t n)
{
    size_t lines = 0;
    bool seen = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            seen = false;
            continue;
        }
        if (!seen && !is_space(s[i])) {
            seen = true;
            if (++lines > 1)
                return false;
        }
    }
    return true;
}

/* Plain text and scraped JSON text: the furniture lines of its head and
 * tail dropped (boiler.c), unless --html whole keeps everything. */
static void drop_furniture(rd_doc *doc);

static void trim_furniture(const rd_reader *r, rd_doc *doc)
{
    if (r->html_mode != RDP_HTML_MAIN || !doc->text)
        return;
    drop_furniture(doc);
}

/* trim_furniture's work, also rd_doc_trim's (a deferring reader's). */
static void drop_furniture(rd_doc *doc)
{
    doc->text_len = rdp_boiler_trim(doc->text, doc->text_len, &doc->untitled);
    doc->text[doc->text_len] = '\0';
    /* A headline stands over a body: a text of one line (an analyst's
     * one-sentence note, a wire flash) is that line's sentence, not a title
     * over nothing. */
    if (!doc->untitled && one_line(doc->text, doc->text_len))
        doc->untitled = true;
}

/* Read the whole remaining input (at most RD_DOC_MAX_BYTES) into `out`. */
static int slurp(rd_reader *r, cx_buf *out, cx_err *err)
{
    char tmp[65536];
    for (;;) {
        size_t k = src_read(&r->in, tmp, sizeof tmp);
        if (k == 0)
            break;
        if (out->len + k > RD_DOC_MAX_BYTES)
            return cx_err_set(err, CX_EFORMAT, r->path, 0, "document larger than the %u MB limit%s",
                              RD_DOC_MAX_BYTES / (1024u * 1024u),
                              r->in.arc ? " once decompressed (a decompression bomb?)" : "");
        if (cx_buf_append(out, tmp, k) != 0)
            return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    if (r->in.arc_code)
        return cx_err_set(err, r->in.arc_code, r->path, 0, "%s", r->in.arc_msg);
    if (r->in.io_errno)
        return cx_err_set(err, CX_EIO, r->path, 0, "read error: %s", strerror(r->in.io_errno));
    if (!out->data && cx_buf_reserve(out, 0) != 0)
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    return 0;
}

static void doc_start(rd_reader *r, rd_doc *doc, long line)
{
    rd_doc_clear(doc);
    cx_str_copy(doc->source, sizeof doc->source, r->path); /* per document: no snprintf */
    doc->line = line;
}

/* ===== Text ===== */

/* A whole file as one text document: `s` is its UTF-8 text (mutable). */
static int read_txt(rd_reader *r, rd_doc *doc, char *s, size_t n, cx_err *err)
{
    int rc;
    n = unix_newlines(s, n);
    if (!(doc->id = dup_n(r->base, strlen(r->base))))
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    if ((rc = set_text(doc, s, n, err)) != 0)
        return rc;
    trim_furniture(r, doc);
    /* Title: the first non-empty line, trimmed; none when the furniture
     * over the first paragraph was dropped (doc->untitled). */
    const char *t = doc->text, *end = doc->untitled ? t : doc->text + doc->text_len;
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

/* ===== Encodings ===== */

/* The charset a page declares in its first 8 KB: <meta charset=X>,
 * <meta http-equiv="Content-Type" content="...; charset=X">, or an XML
 * declaration's encoding="X". "" when none. */
static void declared_charset(const char *s, size_t n, char out[40])
{
    out[0] = '\0';
    if (n > 8192)
        n = 8192;
    if (n > 5 && memcmp(s, "<?xml", 5) == 0) {
        const char *gt = memchr(s, '>', n);
        size_t e = gt ? (size_t)(gt - s) : n;
        char v[40];
        if (tag_attr(s, 5, e, "encoding", v, sizeof v)) {
            snprintf(out, 40, "%s", v);
            return;
        }
    }
    for (size_t i = find_ci(s, n, 0, "<meta"); i < n; i = find_ci(s, n, i + 5, "<meta")) {
        const char *gt = memchr(s + i, '>', n - i);
        size_t e = gt ? (size_t)(gt - s) : n;
        char v[128];
        if (tag_attr(s, i + 5, e, "charset", v, sizeof v)) {
            snprintf(out, 40, "%.39s", v); /* a charset name is short: cut, not overflowed */
            return;
        }
        if (tag_attr(s, i + 5, e, "content", v, sizeof v)) {
            size_t k = find_ci(v, strlen(v), 0, "charset=");
            if (k < strlen(v)) {
                const char *c = v + k + 8;
                size_t m = 0;
                while (c[m] && c[m] != ';' && c[m] != ' ' && c[m] != '"' && m < 39)
                    m++;
                snprintf(out, 40, "%.*s", (int)m, c);
                return;
            }
        }
    }
}

/* UTF-16 without a byte-order mark, told by its NUL bytes: text in Latin
 * script has a NUL in every other byte, all on the odd offsets (LE) or all on
 * the even ones (BE). "UTF-16LE", "UTF-16BE" or NULL. */
static const char *utf16_by_nuls(const char *s, size_t n)
{
    if (n < 8 || n % 2)
        return NULL;
    size_t sample = n < 4096 ? n : 4096, even = 0, odd = 0, pairs = sample / 2;
    for (size_t i = 0; i + 1 < sample; i += 2) {
        even += s[i] == '\0';
        odd += s[i + 1] == '\0';
    }
    if (odd * 10 >= pairs * 3 && even * 50 <= pairs)
        return "UTF-16LE";
    if (even * 10 >= pairs * 3 && odd * 50 <= pairs)
        return "UTF-16BE";
    return NULL;
}

static bool is_utf16(const char *enc)
{
    return enc && (ieq(enc, "utf-16") || ieq(enc, "utf-16le") || ieq(enc, "utf-16be") ||
                   ieq(enc, "utf16") || ieq(enc, "ucs-2"));
}

/* The bytes s[0..n) of one document as UTF-8 text. In order: a UTF-8
 * byte-order mark is dropped (and the text must then be UTF-8); a UTF-16
 * one decodes UTF-16; --encoding forces its encoding (a UTF-8 name: strict);
 * valid UTF-8 stays as it is; else the charset `declared` (HTTP header) or
 * declared by the page itself, else windows-1252, noted in doc->encoding
 * with encoding_guessed set so the caller can warn. Binary bytes (known
 * magic numbers, NUL-heavy) are refused before and after decoding.
 * Sets *out and *out_n to the text (in `s` or in r->conv; mutable). */
static int to_utf8(rd_reader *r, rd_doc *doc, char *s, size_t n, const char *declared,
                   char **out, size_t *out_n, cx_err *err)
{
    const char *src_name = doc->source[0] ? doc->source : r->path;
    bool strict = r->encoding[0] && rdp_decode_is_utf8(r->encoding);
    bool forced = r->encoding[0] && !strict;
    const char *enc = forced ? r->encoding : NULL;
    bool guessed = false;
    long long skipped = 0;
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3, n -= 3, skipped = 3;
        strict = !forced;
    } else if (!strict && n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)) &&
               (!forced || is_utf16(r->encoding))) {
        enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        s += 2, n -= 2, skipped = 2;
    }
    if (!strict && !forced && !enc)
        enc = utf16_by_nuls(s, n);
    if (!is_utf16(enc)) {
        if (n == 0 || all_space(s, n))
            return cx_err_set(err, CX_EFORMAT, src_name, doc->line, "empty document");
        if (looks_binary(s, n))
            return cx_err_set(err, CX_EFORMAT, src_name, doc->line, "binary file, not text%s",
                              memchr(s, '\0', n < 4096 ? n : 4096)
                                  ? " (if it is text in another encoding, --encoding NAME "
                                    "reads it: UTF-16LE, UTF-32...)"
                                  : "");
    }
    if (!enc) {
        size_t bad = 0;
        if (cx_utf8_valid(s, n, &bad)) {
            *out = s;
            *out_n = n;
            return 0;
        }
        if (strict || s[bad] == '\0')
            return check_text(s, n, src_name, doc->line, skipped, err);
        char decl[40] = "";
        if (declared && *declared)
            snprintf(decl, sizeof decl, "%s", declared);
        else if (!all_space(s, n))
            declared_charset(s, n, decl);
        if (decl[0] && !rdp_decode_is_utf8(decl) && rdp_decode_known(decl)) {
            enc = decl;
        } else {
            enc = "windows-1252";
            guessed = true;
        }
        put2(doc->encoding, sizeof doc->encoding, enc, NULL);
    } else {
        put2(doc->encoding, sizeof doc->encoding, enc, NULL);
    }
    doc->encoding_guessed = guessed;
    cx_buf_reset(&r->conv);
    int rc = rdp_decode(doc->encoding, s, n, &r->conv, NULL, err);
    if (rc != 0) {
        if (err && !err->source[0])
            put2(err->source, sizeof err->source, src_name, NULL);
        return rc;
    }
    if (!r->conv.data && cx_buf_reserve(&r->conv, 0) != 0)
        return cx_err_set(err, CX_ENOMEM, src_name, doc->line, "out of memory");
    s = r->conv.data;
    n = r->conv.len;
    if (n == 0 || all_space(s, n))
        return cx_err_set(err, CX_EFORMAT, src_name, doc->line, "empty document");
    if (looks_binary(s, n))
        return cx_err_set(err, CX_EFORMAT, src_name, doc->line, "binary file, not text");
    if ((rc = check_text(s, n, src_name, doc->line, 0, err)) != 0)
        return rc;
    *out = s;
    *out_n = n;
    return 0;
}

/* An HTML page (`s`, UTF-8) as one document, read in `mode` (RDP_HTML_*):
 * its article, or every text node. Fills the title, publication date and
 * language the page gives when the document has none yet. */
static int read_html(rd_reader *r, rd_doc *doc, const char *s, size_t n, int mode, cx_err *err)
{
    int rc;
    rdp_html_page page = {0};
    if ((rc = rdp_html_read(s, n, doc->url, mode, &page, err)) != 0) {
        rdp_html_page_free(&page);
        if (err && !err->source[0])
            put2(err->source, sizeof err->source, r->path, NULL);
        return rc;
    }
    if (!doc->title && page.title) {
        doc->title = page.title;
        page.title = NULL;
    }
    if (!doc->outlet && page.outlet) {
        doc->outlet = page.outlet;
        page.outlet = NULL;
    }
    if (!doc->published[0])
        memcpy(doc->published, page.published, sizeof doc->published);
    if (!doc->lang[0])
        take_lang(page.lang, doc->lang);
    cx_buf *text = &page.text;
    if (text->len == 0 || all_space(text->data, text->len)) {
        rdp_html_page_free(&page);
        return cx_err_set(err, CX_EFORMAT, r->path, 0, "empty document (no text outside tags)");
    }
    text->len = unix_newlines(text->data, text->len);
    if (!doc->id && !(doc->id = dup_n(r->base, strlen(r->base)))) {
        rdp_html_page_free(&page);
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    rc = set_text(doc, text->data, text->len, err);
    rdp_html_page_free(&page);
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

/* The fields of a JSON document, each list in its order of precedence
 * (see the head of this file); the Jansson and the flat path read the same. */
#define N_OF(a) (sizeof(a) / sizeof(a)[0])
static const char *const text_f[] = {"text", "maintext", "body", "content"};
static const char *const title_f[] = {"title"};
static const char *const date_f[] = {"published", "date_publish", "date"};
static const char *const lang_f[] = {"lang", "language"};
static const char *const url_f[] = {"url", "source_domain"};
static const char *const outlet_f[] = {"outlet", "site_name", "publisher", "source"};
#define N_OUTLET_F N_OF(outlet_f)

/* An outlet's name is at most this long: a longer value is some other
 * text in the field (the article, a description), not a name. */
#define OUTLET_MAX 256

/* Is `s` (`n` bytes) a name an outlet field may give: not blank, not a URL,
 * not longer than OUTLET_MAX? */
static bool outlet_name(const char *s, size_t n)
{
    if (n > OUTLET_MAX || all_space(s, n))
        return false;
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
            return false;
    return true;
}

/* doc->outlet from `s` (NULL: none), its blanks at the ends trimmed.
 * Returns 0 or CX_ENOMEM. */
static int take_outlet(rd_doc *doc, const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n || n > OUTLET_MAX)
        return 0;
    return (doc->outlet = dup_n(s, n)) ? 0 : CX_ENOMEM;
}

/* The outlet a JSON object names: the first field of outlet_f that is a
 * name, as a string or as an object's "name". */
static const char *object_outlet(json_t *obj)
{
    for (size_t i = 0; i < N_OUTLET_F; i++) {
        json_t *v = json_object_get(obj, outlet_f[i]);
        if (json_is_object(v))
            v = json_object_get(v, "name");
        if (json_is_string(v) && outlet_name(json_string_value(v), json_string_length(v)))
            return json_string_value(v);
    }
    return NULL;
}

/* Fill `doc` from one JSON object. `index` (JSONL line or array index, 1-based)
 * makes the default id unique; 0 for a single object. */
/* The end of a JSON document's construction, the same for the Jansson and
 * the fast path: the fields copied, the text with Unix newlines and its
 * furniture trimmed. Returns 1 (a document), or a CX_E* code with `err` set. */
static int fill_doc(rd_reader *r, rd_doc *doc, const char *id, const char *title,
                    const char *url, const char *outlet, const char *date, const char *lang,
                    const char *t, size_t tn, cx_err *err)
{
    long line = doc->line;
    if (!(doc->id = dup_n(id, strlen(id))) ||
        (title && !(doc->title = dup_n(title, strlen(title)))) ||
        (url && !(doc->url = dup_n(url, strlen(url)))) || take_outlet(doc, outlet) != 0)
        return cx_err_set(err, CX_ENOMEM, r->path, line, "out of memory");
    take_date(date, doc->published);
    take_lang(lang, doc->lang);
    cx_buf tmp = CX_BUF_INIT;
    if (cx_buf_append(&tmp, t, tn) != 0) {
        cx_buf_free(&tmp);
        return cx_err_set(err, CX_ENOMEM, r->path, line, "out of memory");
    }
    tmp.len = unix_newlines(tmp.data, tmp.len);
    int rc = set_text(doc, tmp.data, tmp.len, err);
    cx_buf_free(&tmp);
    if (rc == 0 && r->defer_trim && r->html_mode == RDP_HTML_MAIN && doc->text)
        doc->trim_pending = true; /* rd_doc_trim, in the caller's worker */
    else if (rc == 0)
        trim_furniture(r, doc);
    return rc == 0 ? 1 : rc;
}

static int doc_from_object(rd_reader *r, json_t *obj, long index, const char *what, rd_doc *doc,
                           cx_err *err)
{
    long line = doc->line;
    if (!json_is_object(obj))
        return cx_err_set(err, CX_EFORMAT, r->path, line, "%sJSON value is not an object", what);

    json_t *jtext = NULL;
    for (size_t i = 0; i < N_OF(text_f) && !jtext; i++) {
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
    return fill_doc(r, doc, idbuf, field_str(obj, title_f, N_OF(title_f)), field_str(obj, url_f, N_OF(url_f)),
                    object_outlet(obj), field_str(obj, date_f, N_OF(date_f)), field_str(obj, lang_f, N_OF(lang_f)), t,
                    tn, err);
}

/* doc_from_object() for a line the one-pass parser read (jsonl_fast.c): the
 * same fields, chosen by the same rules, the same errors. */
static const char *flat_str(const rdp_flat *f, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rdp_flat_member *v = rdp_flat_get(f, names[i]);
        if (v && v->type == RDP_FLAT_STRING)
            return rdp_flat_str(f, v->val);
    }
    return NULL;
}

static int doc_from_flat(rd_reader *r, const rdp_flat *f, long index, rd_doc *doc, cx_err *err)
{
    long line = doc->line;
    const rdp_flat_member *jtext = NULL;
    for (size_t i = 0; i < N_OF(text_f) && !jtext; i++) {
        const rdp_flat_member *v = rdp_flat_get(f, text_f[i]);
        if (v && v->type == RDP_FLAT_STRING)
            jtext = v;
    }
    if (!jtext)
        return cx_err_set(err, CX_EFORMAT, r->path, line,
                          "object has no text (a string field \"text\", \"maintext\", "
                          "\"body\" or \"content\")");
    const char *t = rdp_flat_str(f, jtext->val);
    size_t tn = jtext->val_len;
    if (tn == 0 || all_space(t, tn))
        return cx_err_set(err, CX_EFORMAT, r->path, line, "empty document (blank text)");
    /* no check_text: rdp_flat_parse checked every run of the string and
     * refuses \u0000 and lone surrogates, so what it decoded is UTF-8
     * without NUL (unit_jsonl_fast) */
    char idbuf[600];
    const rdp_flat_member *jid = rdp_flat_get(f, "id");
    if (jid && jid->type == RDP_FLAT_STRING && jid->val_len > 0)
        cx_str_copy(idbuf, sizeof idbuf, rdp_flat_str(f, jid->val));
    else if (jid && jid->type == RDP_FLAT_INTEGER)
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, (json_int_t)jid->integer);
    else if (index > 0)
        snprintf(idbuf, sizeof idbuf, "%s:%ld", r->base, index);
    else
        snprintf(idbuf, sizeof idbuf, "%s", r->base);
    /* (an object value, {"name": ...}, is not flat: Jansson reads that line) */
    const char *outlet = NULL;
    for (size_t i = 0; i < N_OUTLET_F && !outlet; i++) {
        const rdp_flat_member *v = rdp_flat_get(f, outlet_f[i]);
        if (v && v->type == RDP_FLAT_STRING && outlet_name(rdp_flat_str(f, v->val), v->val_len))
            outlet = rdp_flat_str(f, v->val);
    }
    return fill_doc(r, doc, idbuf, flat_str(f, title_f, N_OF(title_f)), flat_str(f, url_f, N_OF(url_f)), outlet,
                    flat_str(f, date_f, N_OF(date_f)), flat_str(f, lang_f, N_OF(lang_f)), t, tn, err);
}

void rdp_reader_no_fast(rd_reader *r)
{
    r->no_fast = true;
}

static int json_fail(rd_reader *r, long line, const json_error_t *je, const char *what,
                     cx_err *err)
{
    return cx_err_set(err, CX_EFORMAT, r->path, line, "%s: %s (column %d)", what, je->text,
                      je->column);
}

/* A .json file (or stdin starting with '['): one object or an array. */
static int read_json_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    if (!r->root) {
        cx_buf raw = CX_BUF_INIT;
        int rc = slurp(r, &raw, err);
        r->done = true; /* whatever happens, the file is read */
        char *t = NULL;
        size_t tn = 0;
        if (rc == 0)
            rc = to_utf8(r, doc, raw.data, raw.len, NULL, &t, &tn, err);
        if (rc == 0) {
            json_error_t je;
            r->root = json_loadb(t, tn, JSON_REJECT_DUPLICATES, &je);
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
    if (r->index == 0) {
        snprintf(r->json_enc, sizeof r->json_enc, "%s", doc->encoding);
        r->json_enc_guessed = doc->encoding_guessed;
    } else {
        snprintf(doc->encoding, sizeof doc->encoding, "%s", r->json_enc);
        doc->encoding_guessed = r->json_enc_guessed;
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
static int next_line(rd_reader *r, bool *too_long, bool *no_newline, long long *start)
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
            if (r->line_buf.len + take > RD_DOC_MAX_BYTES) {
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

static int read_jsonl_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    for (;;) {
        bool too_long, no_nl;
        long long start;
        int got = next_line(r, &too_long, &no_nl, &start);
        if (got == CX_ENOMEM)
            return cx_err_set(err, CX_ENOMEM, r->path, r->line + 1, "out of memory");
        if (r->in.arc_code && (got == 0 || no_nl)) {
            /* the decompression failed: what is left of the line is not the file's */
            r->done = true;
            return cx_err_set(err, r->in.arc_code, r->path, r->line, "%s", r->in.arc_msg);
        }
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
                              RD_DOC_MAX_BYTES / (1024u * 1024u));
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
        if (line == 1 && n >= 2 &&
            (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
             ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))) {
            r->done = true;
            return cx_err_set(err, CX_EFORMAT, r->path, line,
                              "UTF-16 JSON Lines are not read: convert the file to UTF-8 "
                              "(iconv -f UTF-16 -t UTF-8)");
        }
        if (line == 1 && looks_binary(s, n)) {
            r->done = true;
            return cx_err_set(err, CX_EFORMAT, r->path, line, "binary file, not text");
        }
        bool strict = r->encoding[0] && rdp_decode_is_utf8(r->encoding);
        bool forced = r->encoding[0] && !strict;
        const char *enc = NULL;
        int rc;
        if (forced) { /* every line from the encoding asked for */
            cx_buf_reset(&r->conv);
            if ((rc = rdp_decode(r->encoding, s, n, &r->conv, NULL, err)) != 0)
                return rc;
            if (!r->conv.data && cx_buf_reserve(&r->conv, 0) != 0)
                return cx_err_set(err, CX_ENOMEM, r->path, line, "out of memory");
            s = r->conv.data;
            n = r->conv.len;
            enc = r->encoding;
        }
        /* a flat object in one pass (jsonl_fast.c); anything else, and
         * every failure, through Jansson */
        if (!forced && !r->no_fast && rdp_flat_parse(&r->flat, s, n))
            return doc_from_flat(r, &r->flat, line, doc, err);
        /* Jansson checks UTF-8 and NUL bytes itself: the byte-exact check
         * (a second pass over the line) runs only to explain a failure */
        json_error_t je;
        json_t *obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
        size_t bad = 0;
        if (!obj && !strict && !forced && !cx_utf8_valid(s, n, &bad) && s[bad] != '\0') {
            /* not UTF-8 and nothing declared: read the line as windows-1252 */
            cx_buf_reset(&r->conv);
            if ((rc = rdp_decode("windows-1252", s, n, &r->conv, NULL, err)) != 0)
                return rc;
            obj = json_loadb(r->conv.data, r->conv.len, JSON_REJECT_DUPLICATES, &je);
            enc = "windows-1252";
        }
        if (!obj && !enc && (rc = check_text(s, n, r->path, line, start, err)) != 0)
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
        if (rc == 1 && enc) {
            put2(doc->encoding, sizeof doc->encoding, enc, NULL);
            doc->encoding_guessed = !forced;
        }
        return rc;
    }
}

/* ===== Feeds ===== */

/* Item `i` of the feed as a document. */
static int feed_item(rd_reader *r, rd_doc *doc, size_t i, cx_err *err)
{
    const rdp_feed_item *it = &r->feed.items[i];
    char what[48];
    snprintf(what, sizeof what, "item %zu: ", i + 1);
    if (!it->html || all_space(it->html, strlen(it->html)))
        return cx_err_set(err, CX_EFORMAT, r->path, 0, "%sempty document (no text)", what);
    size_t hl = strlen(it->html);
    if (hl > RDP_FEED_ITEM_MAX)
        return cx_err_set(err, CX_EFORMAT, r->path, 0,
                          "%s%zu MB of text, larger than the %u MB item limit: skipped", what,
                          hl / (1024u * 1024u), RDP_FEED_ITEM_MAX / (1024u * 1024u));
    char idbuf[700];
    if (it->id && *it->id)
        snprintf(idbuf, sizeof idbuf, "%s", it->id);
    else if (it->link && *it->link)
        snprintf(idbuf, sizeof idbuf, "%s", it->link);
    else
        snprintf(idbuf, sizeof idbuf, "%s:%zu", r->base, i + 1);
    if (!(doc->id = dup_n(idbuf, strlen(idbuf))) ||
        (it->link && !(doc->url = dup_n(it->link, strlen(it->link)))) ||
        take_outlet(doc, r->feed.title) != 0)
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    rdp_feed_date(it->date, doc->published);
    take_lang(it->lang, doc->lang);
    snprintf(doc->encoding, sizeof doc->encoding, "%s", r->json_enc);
    doc->encoding_guessed = r->json_enc_guessed;
    /* the title, stripped of markup as the text is */
    if (it->title && !all_space(it->title, strlen(it->title))) {
        rdp_html_page tp = {0};
        int rc = rdp_html_read(it->title, strlen(it->title), NULL, RDP_HTML_WHOLE, &tp, NULL);
        cx_buf t = tp.text;
        if (rc == 0 && t.len) {
            char *a = t.data, *b = t.data + t.len;
            while (a < b && is_space(*a))
                a++;
            while (b > a && is_space(b[-1]))
                b--;
            for (char *c = a; c < b; c++)
                if (*c == '\n')
                    *c = ' ';
            if (b > a && !(doc->title = dup_n(a, (size_t)(b - a))))
                rc = CX_ENOMEM;
        }
        rdp_html_page_free(&tp);
        t = (cx_buf)CX_BUF_INIT;
        cx_buf_free(&t);
        if (rc != 0)
            return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    /* the text: HTML stripped (a plain-text description goes through as it is) */
    char pub[11];
    memcpy(pub, doc->published, sizeof pub);
    char *title = doc->title;
    doc->title = NULL;
    int rc = read_html(r, doc, it->html, strlen(it->html), RDP_HTML_WHOLE, err);
    if (doc->title)
        free(doc->title);
    doc->title = title;
    if (pub[0])
        memcpy(doc->published, pub, sizeof pub);
    if (rc < 0 && err && strncmp(err->msg, "item ", 5) != 0) {
        char m[sizeof err->msg];
        put2(m, sizeof m, what, err->msg);
        memcpy(err->msg, m, sizeof m);
    }
    return rc;
}

/* ===== WARC ===== */

static size_t warc_read(void *ctx, char *buf, size_t n)
{
    return src_read(&((rd_reader *)ctx)->in, buf, n);
}

/* The bytes of a body in memory, for rdp_archive_open(). */
typedef struct mem_in {
    const char *p;
    size_t n, off;
} mem_in;

static size_t mem_in_read(void *ctx, char *buf, size_t n, bool *failed)
{
    mem_in *m = ctx;
    (void)failed;
    size_t k = m->n - m->off < n ? m->n - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return k;
}

/* Inflate the compressed stream `s` (`n` bytes) into `out`, at most
 * RD_DOC_MAX_BYTES. Returns 0, CX_EFORMAT or CX_ENOMEM (err set). */
static int inflate_body(const char *name, const char *s, size_t n, cx_buf *out, cx_err *err)
{
    mem_in m = {.p = s, .n = n};
    rdp_archive *a = rdp_archive_open(name, mem_in_read, &m, err);
    if (!a)
        return err && err->code ? err->code : CX_EFORMAT;
    const char *member = NULL;
    int rc = rdp_archive_next(a, &member, err);
    if (rc == 1 && !rdp_archive_is_stream(a))
        rc = cx_err_set(err, CX_EFORMAT, name, 0, "an archive, not a compressed page");
    else if (rc == 0)
        rc = cx_err_set(err, CX_EFORMAT, name, 0, "empty compressed stream");
    else if (rc == 1)
        rc = 0;
    char buf[16384];
    while (rc == 0) {
        long k = rdp_archive_read(a, buf, sizeof buf, err);
        if (k < 0) {
            rc = (int)k;
            break;
        }
        if (k == 0)
            break;
        if (out->len + (size_t)k > RD_DOC_MAX_BYTES) {
            rc = cx_err_set(err, CX_EFORMAT, name, 0, "larger than the %u MB document limit",
                            RD_DOC_MAX_BYTES / (1024u * 1024u));
            break;
        }
        if (cx_buf_append(out, buf, (size_t)k) != 0)
            rc = cx_err_set(err, CX_ENOMEM, name, 0, "out of memory");
    }
    rdp_archive_close(a);
    if (rc == 0 && !out->data && cx_buf_reserve(out, 0) != 0)
        rc = CX_ENOMEM;
    return rc < 0 ? rc : 0;
}

/* The next `response` record with an HTML payload, as a document. */
static int warc_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    if (!r->warc && !(r->warc = rdp_warc_new(r->path, warc_read, r, RD_DOC_MAX_BYTES)))
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    for (;;) {
        rdp_warc_record rec;
        cx_err e;
        cx_err_clear(&e);
        int got = rdp_warc_next(r->warc, &rec, &e);
        if (r->in.arc_code || r->in.io_errno) {
            r->done = true;
            if (r->in.arc_code)
                return cx_err_set(err, r->in.arc_code, r->path, 0, "%s", r->in.arc_msg);
            return cx_err_set(err, CX_EIO, r->path, 0, "read error: %s", strerror(r->in.io_errno));
        }
        if (got < 0) {
            r->done = true;
            return cx_err_set(err, got, r->path, 0, "%s", e.msg);
        }
        if (got == 0) {
            r->done = true;
            return 0;
        }
        r->warc_records++;
        if (strcmp(rec.type, "response") != 0)
            continue;
        if (rec.too_big)
            return cx_err_set(err, CX_EFORMAT, r->path, 0,
                              "record at byte %lld (%s): larger than the %u MB document limit",
                              rec.offset, rec.uri, RD_DOC_MAX_BYTES / (1024u * 1024u));
        const char *body = NULL;
        size_t body_len = 0;
        char ctype[64], charset[40];
        cx_buf dechunk = CX_BUF_INIT;
        int rc = rdp_warc_http(rec.block, rec.block_len, &body, &body_len, &dechunk, ctype,
                               charset);
        if (rc == 0 && strcmp(ctype, "text/html") != 0 && strcmp(ctype, "application/xhtml+xml"))
            rc = 1; /* not a page: skipped */
        if (rc != 0) {
            cx_buf_free(&dechunk);
            if (rc == CX_ENOMEM)
                return cx_err_set(err, rc, r->path, 0, "out of memory");
            continue;
        }
        /* a copy: decoding and stripping write into it; a body sent
         * compressed (Content-Encoding: gzip, as crawlers store it) is
         * inflated, with the bomb limit of any compressed input */
        cx_buf page = CX_BUF_INIT;
        if (rdp_archive_sniff(body, body_len < 512 ? body_len : 512) == RDP_ARC_STREAM) {
            cx_err ie;
            cx_err_clear(&ie);
            rc = inflate_body(r->path, body, body_len, &page, &ie);
            if (rc != 0) {
                cx_buf_free(&dechunk);
                cx_buf_free(&page);
                return cx_err_set(err, rc == CX_ENOMEM ? CX_ENOMEM : CX_EFORMAT, r->path, 0,
                                  "record at byte %lld (%s): compressed body cannot be "
                                  "decoded: %s",
                                  rec.offset, rec.uri, ie.msg);
            }
        } else {
            rc = cx_buf_append(&page, body, body_len);
        }
        cx_buf_free(&dechunk);
        if (rc == 0 && !page.data)
            rc = cx_buf_reserve(&page, 0);
        if (rc != 0) {
            cx_buf_free(&page);
            return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
        }
        doc_start(r, doc, 0);
        char src_name[sizeof doc->source];
        snprintf(src_name, sizeof src_name, "%s", r->path);
        const char *id = rec.uri[0] ? rec.uri : NULL;
        char idbuf[600];
        if (!id) {
            char num[24];
            snprintf(num, sizeof num, ":%ld", r->warc_records);
            put2(idbuf, sizeof idbuf, r->base, num);
            id = idbuf;
        }
        char *t = NULL;
        size_t tn = 0;
        rc = to_utf8(r, doc, page.data, page.len, charset, &t, &tn, err);
        if (rc == 0 && (!(doc->id = dup_n(id, strlen(id))) ||
                        (rec.uri[0] && !(doc->url = dup_n(rec.uri, strlen(rec.uri))))))
            rc = cx_err_set(err, CX_ENOMEM, src_name, 0, "out of memory");
        if (rc == 0)
            rc = read_html(r, doc, t, tn, r->html_mode, err);
        cx_buf_free(&page);
        if (rc == 1 && !doc->published[0])
            take_date(rec.date, doc->published);
        if (rc < 0 && err && rec.uri[0] && strlen(err->msg) + strlen(rec.uri) < sizeof err->msg - 4) {
            char m[sizeof err->msg];
            char pre[sizeof rec.uri + 2];
            put2(pre, sizeof pre, rec.uri, ": ");
            put2(m, sizeof m, pre, err->msg);
            memcpy(err->msg, m, sizeof m);
        }
        return rc;
    }
}

/* ===== Whole files: text, HTML, feeds ===== */

static int whole_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    if (r->is_feed) {
        if (r->feed_next >= r->feed.n)
            return 0;
        return feed_item(r, doc, r->feed_next++, err);
    }
    if (r->done)
        return 0;
    r->done = true;
    cx_buf raw = CX_BUF_INIT;
    char *t = NULL;
    size_t tn = 0;
    int rc = slurp(r, &raw, err);
    if (rc == 0)
        rc = to_utf8(r, doc, raw.data, raw.len, NULL, &t, &tn, err);
    if (rc == 0 && (r->fmt == FMT_XML || rdp_feed_sniff(t, tn))) {
        /* a feed, whatever its extension: every item a document */
        rc = rdp_feed_parse(t, tn, r->path, &r->feed, err);
        snprintf(r->json_enc, sizeof r->json_enc, "%s", doc->encoding);
        r->json_enc_guessed = doc->encoding_guessed;
        cx_buf_free(&raw);
        if (rc != 0)
            return rc;
        r->is_feed = true;
        doc_start(r, doc, 0);
        if (r->feed.n == 0)
            return cx_err_set(err, CX_EFORMAT, r->path, 0, "feed without items");
        return whole_next(r, doc, err);
    }
    if (rc == 0)
        rc = r->fmt == FMT_HTML ? read_html(r, doc, t, tn, r->html_mode, err)
                                : read_txt(r, doc, t, tn, err);
    cx_buf_free(&raw);
    return rc;
}

/* ===== Archives ===== */

static size_t raw_read(void *ctx, char *buf, size_t n, bool *failed)
{
    rd_reader *r = ctx;
    size_t k = src_read(&r->raw, buf, n);
    *failed = r->raw.io_errno != 0;
    return k;
}

static bool hidden_member(const char *name)
{
    for (const char *p = name; *p; p++)
        if (*p == '.' && (p == name || p[-1] == '/') && p[1] != '/' && p[1] != '\0' &&
            !(p[1] == '.' && (p[2] == '/' || p[2] == '\0')))
            return true;
    return false;
}

static rd_reader *reader_new(const char *name, cx_err *err);
static void reader_setup(rd_reader *r);

static int members_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    for (;;) {
        if (r->member) {
            int rc = rd_reader_next(r->member, doc, err);
            if (rc == CX_EIO) { /* the archive itself: nothing more */
                r->done = true;
                rd_reader_close(r->member);
                r->member = NULL;
            }
            if (rc != 0)
                return rc;
            rd_reader_close(r->member);
            r->member = NULL;
        }
        if (r->done)
            return 0;
        const char *name = NULL;
        doc_start(r, doc, 0);
        int got = 1;
        if (r->pending_first) /* open_container read the first header */
            name = r->first_member, r->pending_first = false;
        else
            got = rdp_archive_next(r->arc, &name, err);
        if (got <= 0) {
            r->done = true;
            return got;
        }
        if (hidden_member(name))
            continue;
        int want = rd_reader_wanted(name);
        if (want == 0)
            continue;
        char mpath[sizeof r->path];
        char pre[sizeof r->path + 1];
        put2(pre, sizeof pre, r->path, ":");
        put2(mpath, sizeof mpath, pre, name);
        if (want == 2) {
            snprintf(doc->source, sizeof doc->source, "%s", mpath);
            return cx_err_set(err, CX_EFORMAT, mpath, 0,
                              "archive inside an archive: not read (unpack it first)");
        }
        rd_reader *m = reader_new(mpath, err);
        if (!m)
            return CX_ENOMEM;
        put2(pre, sizeof pre, r->base, ":");
        put2(m->base, sizeof m->base, pre, name);
        snprintf(m->encoding, sizeof m->encoding, "%s", r->encoding);
        m->html_mode = r->html_mode;
        m->defer_trim = r->defer_trim;
        m->in.arc = r->arc;
        reader_setup(m);
        r->member = m;
    }
}

/* ===== Public API ===== */

/* Fill the peek buffer (up to its size) from the source. */
static void fill_peek(src *s)
{
    while (s->peek_len < sizeof s->peek) {
        s->peek_pos = s->peek_len; /* nothing to drain: read from the source */
        size_t k = src_read(s, s->peek + s->peek_len, sizeof s->peek - s->peek_len);
        if (k == 0)
            break;
        s->peek_len += k;
    }
    s->peek_pos = 0;
}

/* Standard input (or an unnamed stream): the first non-blank byte says. */
static int sniff(const src *s)
{
    for (size_t i = 0; i < s->peek_len; i++) {
        unsigned char c = (unsigned char)s->peek[i];
        if (is_space((char)c) || c == 0xEF || c == 0xBB || c == 0xBF)
            continue;
        return c == '{' ? FMT_JSONL : c == '[' ? FMT_JSON : c == '<' ? FMT_HTML : FMT_TXT;
    }
    return FMT_TXT;
}

static rd_reader *reader_new(const char *name, cx_err *err)
{
    rd_reader *r = calloc(1, sizeof *r);
    if (!r) {
        cx_err_set(err, CX_ENOMEM, name, 0, "out of memory");
        return NULL;
    }
    snprintf(r->path, sizeof r->path, "%s", name);
    snprintf(r->base, sizeof r->base, "%s", strcmp(name, "-") == 0 ? "stdin" : base_name(name));
    r->fmt = format_of(name);
    return r;
}

/* Look at the first bytes: a WARC file by content, whatever its name, and
 * standard input's format. */
static void reader_setup(rd_reader *r)
{
    fill_peek(&r->in);
    if (r->fmt != FMT_JSON && r->fmt != FMT_JSONL && r->in.peek_len >= 6 &&
        memcmp(r->in.peek, "WARC/", 5) == 0)
        r->fmt = FMT_WARC;
    if (r->fmt == FMT_SNIFF)
        r->fmt = sniff(&r->in);
}

/* The file's first bytes say it is compressed or an archive: read through
 * libarchive. A compressed stream keeps the format its name has without
 * the compression suffix (docs.jsonl.gz is JSON Lines), else sniffed. */
static int open_container(rd_reader *r, cx_err *err)
{
    r->raw = r->in;
    memset(&r->in, 0, sizeof r->in);
    r->in.own_fp = false;
    if (!(r->arc = rdp_archive_open(r->path, raw_read, r, err)))
        return err && err->code ? err->code : CX_EIO;
    const char *name = NULL;
    int got = rdp_archive_next(r->arc, &name, err);
    if (got < 0)
        return got;
    if (got == 0 || !rdp_archive_is_stream(r->arc)) {
        /* zip or tar: the first member is read by members_next */
        r->fmt = FMT_MEMBERS;
        if (got == 0) {
            r->done = true;
        } else {
            r->pending_first = true;
            snprintf(r->first_member, sizeof r->first_member, "%s", name ? name : "");
        }
        return 0;
    }
    r->in.arc = r->arc;
    char inner[sizeof r->path];
    snprintf(inner, sizeof inner, "%s", r->path);
    char *dot = strrchr(base_name(inner), '.');
    if (dot && compressed_ext(dot + 1))
        *dot = '\0';
    r->fmt = strcmp(r->path, "-") == 0 || !strrchr(base_name(inner), '.') ? FMT_SNIFF
                                                                          : format_of(inner);
    reader_setup(r);
    return 0;
}

static rd_reader *reader_open(rd_reader *r, cx_err *err)
{
    fill_peek(&r->in);
    if (r->in.io_errno) {
        cx_err_set(err, CX_EIO, r->path, 0, "read error: %s", strerror(r->in.io_errno));
        rd_reader_close(r);
        return NULL;
    }
    if (rdp_archive_sniff(r->in.peek, r->in.peek_len) != RDP_ARC_NONE) {
        if (open_container(r, err) != 0) {
            rd_reader_close(r);
            return NULL;
        }
        return r;
    }
    reader_setup(r);
    return r;
}

rd_reader *rd_reader_open(const char *path, cx_err *err)
{
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "empty input path");
        return NULL;
    }
    rd_reader *r = reader_new(path, err);
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
    return reader_open(r, err);
}

rd_reader *rd_reader_open_mem(const char *name, const char *buf, size_t len, cx_err *err)
{
    rd_reader *r = reader_new(name && *name ? name : "-", err);
    if (!r)
        return NULL;
    static const char empty[1] = "";
    r->in.mem = buf ? buf : empty;
    r->in.mem_len = buf ? len : 0;
    return reader_open(r, err);
}

int rd_reader_set_encoding(rd_reader *r, const char *name, cx_err *err)
{
    if (!r)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "rd_reader_set_encoding: NULL reader");
    if (name && *name && !rdp_decode_is_utf8(name) && !rdp_decode_known(name))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "unknown encoding '%s'", name);
    snprintf(r->encoding, sizeof r->encoding, "%s", name ? name : "");
    return 0;
}

static int next_doc(rd_reader *r, rd_doc *doc, cx_err *err);

/* Control characters out of what is printed and stored as a name: the id
 * and url escaped (\n, \x1b...: an id stays one line of a CSV and cannot
 * drive a terminal), the title's and the outlet's turned into spaces (they
 * are text). */
static int clean_names(rd_doc *doc)
{
    char **fields[] = {&doc->id, &doc->url};
    for (size_t i = 0; i < 2; i++) {
        char *v = *fields[i];
        if (!v || !cx_has_controls(v, strlen(v)))
            continue;
        cx_buf b = CX_BUF_INIT;
        if (cx_escape_controls(v, strlen(v), &b) != 0 || cx_buf_reserve(&b, 0) != 0) {
            cx_buf_free(&b);
            return CX_ENOMEM;
        }
        free(v);
        *fields[i] = cx_buf_steal(&b);
    }
    char *texts[] = {doc->title, doc->outlet};
    for (size_t i = 0; i < 2; i++)
        if (texts[i])
            for (unsigned char *t = (unsigned char *)texts[i]; *t; t++) {
                if (*t < 0x20 || *t == 0x7f)
                    *t = ' ';
                else if (t[0] == 0xc2 && t[1] >= 0x80 && t[1] <= 0x9f)
                    t[0] = ' ', t[1] = ' ';
            }
    return 0;
}

int rd_reader_next(rd_reader *r, rd_doc *doc, cx_err *err)
{
    int rc = next_doc(r, doc, err);
    if (rc == 1 && clean_names(doc) != 0) {
        rd_doc_clear(doc);
        return cx_err_set(err, CX_ENOMEM, r->path, 0, "out of memory");
    }
    return rc;
}

static int next_doc(rd_reader *r, rd_doc *doc, cx_err *err)
{
    if (!r || !doc)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "rd_reader_next: NULL argument");
    rd_doc_clear(doc);
    int rc;
    switch (r->fmt) {
    case FMT_JSONL:
        if (r->done)
            return 0;
        return read_jsonl_next(r, doc, err);
    case FMT_MEMBERS: return members_next(r, doc, err);
    case FMT_WARC:
        doc_start(r, doc, 0);
        if (r->done)
            return 0;
        rc = warc_next(r, doc, err);
        break;
    case FMT_JSON:
        doc_start(r, doc, 0);
        if (r->done && !r->root)
            return 0;
        rc = read_json_next(r, doc, err);
        break;
    default:
        doc_start(r, doc, 0);
        rc = whole_next(r, doc, err);
        break;
    }
    if (rc < 0) {
        char src_copy[sizeof doc->source];
        memcpy(src_copy, doc->source, sizeof src_copy);
        rd_doc_clear(doc);
        memcpy(doc->source, src_copy, sizeof src_copy);
    }
    return rc;
}

void rd_reader_close(rd_reader *r)
{
    if (!r)
        return;
    rd_reader_close(r->member);
    if (r->in.own_fp && r->in.fp)
        fclose(r->in.fp);
    if (r->raw.own_fp && r->raw.fp)
        fclose(r->raw.fp);
    rdp_archive_close(r->arc);
    rdp_warc_free(r->warc);
    rdp_feed_free(&r->feed);
    json_decref(r->root);
    cx_buf_free(&r->line_buf);
    cx_buf_free(&r->conv);
    rdp_flat_free(&r->flat);
    free(r);
}

void rd_doc_clear(rd_doc *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->url);
    free(doc->outlet);
    free(doc->title);
    free(doc->text);
    memset(doc, 0, sizeof *doc);
}

void rd_reader_defer_trim(rd_reader *r, bool defer)
{
    if (r)
        r->defer_trim = defer;
}

void rd_doc_trim(rd_doc *doc)
{
    if (!doc || !doc->trim_pending)
        return;
    doc->trim_pending = false;
    if (doc->text)
        drop_furniture(doc);
}

bool rd_encoding_known(const char *name)
{
    return name && (rdp_decode_is_utf8(name) || rdp_decode_known(name));
}

int rd_reader_set_html(rd_reader *r, const char *mode, cx_err *err)
{
    if (!mode || !*mode || strcmp(mode, "main") == 0)
        r->html_mode = RDP_HTML_MAIN;
    else if (strcmp(mode, "whole") == 0)
        r->html_mode = RDP_HTML_WHOLE;
    else
        return cx_err_set(err, CX_EINVAL, NULL, 0, "--html: '%s' is not 'main' or 'whole'", mode);
    return 0;
}
