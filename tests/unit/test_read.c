/* test_read.c -- the article readers (read/): every format,
 * the field precedence of JSON, and every per-document error with its
 * message, source and line. Fixtures live in tests/fixtures/docs/ (path given
 * as argv[1]); hostile inputs are built in memory. */
#include "check.h"
#include "cx_buf.h"
#include "cx_text.h"
#include "read.h"
#include "jsonl_fast.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_dir[1024];

static const char *fx(const char *name)
{
    static char buf[2048];
    snprintf(buf, sizeof buf, "%s/%s", g_dir, name);
    return buf;
}

static bool contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

/* Read one document from memory; returns rd_reader_next's status. */
static int mem_one(const char *name, const char *buf, size_t len, rd_doc *doc, cx_err *err)
{
    cx_err_clear(err);
    rd_reader *r = rd_reader_open_mem(name, buf, len, err);
    if (!r)
        return -100;
    int rc = rd_reader_next(r, doc, err);
    rd_reader_close(r);
    return rc;
}

/* The same with --encoding `enc` (NULL: guess). */
static int mem_enc(const char *name, const char *buf, size_t len, const char *enc, rd_doc *doc,
                   cx_err *err)
{
    cx_err_clear(err);
    rd_reader *r = rd_reader_open_mem(name, buf, len, err);
    if (!r)
        return -100;
    int rc = rd_reader_set_encoding(r, enc, err);
    if (rc == 0)
        rc = rd_reader_next(r, doc, err);
    rd_reader_close(r);
    return rc;
}

static void test_txt(void)
{
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open(fx("frontiere.txt"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    rd_doc d = {0};
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "frontiere.txt");
    CHECK_STR_EQ(d.title, "Tirs d'artillerie près de Sotk"); /* trimmed, apostrophe normalised */
    CHECK(contains(d.text, "province de Gegharkunik"));
    CHECK(contains(d.text, "tirs d'artillerie"));
    CHECK_INT_EQ(strlen(d.text), d.text_len);
    CHECK_STR_EQ(d.published, "");
    CHECK_STR_EQ(d.lang, "");
    CHECK(d.url == NULL);
    CHECK(contains(d.source, "frontiere.txt"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_doc_clear(&d);
    rd_reader_close(r);

    r = rd_reader_open(fx("crlf.txt"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.text, "Ligne un\nLigne deux\n");
    CHECK_STR_EQ(d.title, "Ligne un");
    rd_doc_clear(&d);
    rd_reader_close(r);

    /* BOM dropped; NFC applied (e + combining acute -> é). */
    const char bom[] = "\xef\xbb\xbf"
                       "Cafe\xcc\x81 de Goris";
    CHECK_INT_EQ(mem_one("b.txt", bom, sizeof bom - 1, &d, &err), 1);
    CHECK_STR_EQ(d.text, "Café de Goris");
    rd_doc_clear(&d);
}

/* The reader's fast normalisation must give cx_text_normalize's bytes. */
static void test_normalize_same(void)
{
    static const char *const cases[] = {
        "Tirs d\xe2\x80\x99"
        "artillerie \xc2\xab\xc2\xa0pr\xc3\xa8s\xc2\xa0\xc2\xbb"
        " de Goris",
        "e\xcc\x81t\xc3\xa9 A\xcc\x8a \xcc\x81"
        "debut", /* combining marks */
        "\xcc\x81"
        "leading mark, then `backtick` and soft\xc2\xad"
        "hyphen",
        "\xc3\xa9\xcc\x81 \xc5\x93\xcc\xa3\xcc\x81 \xe1\x84\x80\xe1\x85\xa1 Hangul jamo",
        "\xef\xac\x81 ligature \xe2\x84\xab angstrom \xe2\x80\x89"
        "thin\xe2\x80\xaf"
        "narrow",
        "Ba\xc5\x9f\xc4\xb1 G\xc9\x99nc\xc9\x99 \xd5\x80\xd5\xa1\xd5\xb5 "
        "\xd0\x91\xd0\xb0\xd0\xba\xd1\x83",
        /* punctuation copied as it is (en and em dashes, curly quotes,
         * ellipsis, euro, degree), then each followed by a combining mark */
        "a\xe2\x80\x93" "b\xe2\x80\x94\xe2\x80\x9c" "c\xe2\x80\x9d\xe2\x80\xa6 5\xe2\x82\xac 3\xc2\xb0",
        "\xe2\x80\x93\xcc\x81 \xc2\xa8\xcc\x80 \xc2\xab\xcc\xa3x\xc2\xbb",
        /* mapped signs (right quote, no-break and narrow no-break spaces,
         * soft hyphen, non-breaking hyphen, acute) alone, at the ends,
         * doubled, and before a mark */
        "\xe2\x80\x99l\xe2\x80\x99\xe2\x80\x99" "a\xc2\xa0\xe2\x80\xaf:\xc2\xad-\xe2\x80\x91x\xc2\xb4",
        "\xe2\x80\x99\xcc\x81 \xc2\xa0\xcc\x88 \xc2\xb4\xcc\x81 \xe2\x80\x91\xcc\xa3 \xe2\x80\x99",
        "\xe2\x80\x80 en quad \xe2\x80\x81 em quad",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cx_err err;
        rd_doc d = {0};
        cx_buf want = CX_BUF_INIT;
        CHECK_INT_EQ(cx_text_normalize(cases[i], strlen(cases[i]), &want), 0);
        CHECK_INT_EQ(mem_one("n.txt", cases[i], strlen(cases[i]), &d, &err), 1);
        CHECK_STR_EQ(d.text, want.data);
        cx_buf_free(&want);
        rd_doc_clear(&d);
    }
}

static void test_txt_errors(void)
{
    cx_err err;
    rd_doc d = {0};

    CHECK_INT_EQ(mem_one("empty.txt", "", 0, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "empty document"));
    CHECK_STR_EQ(err.source, "empty.txt");
    CHECK_INT_EQ(mem_one("blank.txt", " \n\t\r\n", 5, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "empty document"));

    /* --encoding utf-8: strict, as before encodings were guessed */
    const char bad[] = "abc\xc3\x28 def";
    CHECK_INT_EQ(mem_enc("bad.txt", bad, sizeof bad - 1, "utf-8", &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "invalid UTF-8 at byte offset 3"));
    CHECK_STR_EQ(err.source, "bad.txt");
    CHECK(d.text == NULL && d.id == NULL);

    const char overlong[] = "ab\xc0\xaf";
    CHECK_INT_EQ(mem_enc("ol.txt", overlong, sizeof overlong - 1, "UTF8", &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "invalid UTF-8 at byte offset 2"));
    const char surrogate[] = "x\xed\xa0\x80y";
    CHECK_INT_EQ(mem_enc("sg.txt", surrogate, sizeof surrogate - 1, "utf-8", &d, &err),
                 CX_EFORMAT);
    CHECK(contains(err.msg, "invalid UTF-8 at byte offset 1"));
    /* guessing (the default): not UTF-8, nothing declared: windows-1252 */
    CHECK_INT_EQ(mem_one("bad.txt", bad, sizeof bad - 1, &d, &err), 1);
    CHECK_STR_EQ(d.text, "abc\xc3\x83( def");
    CHECK_STR_EQ(d.encoding, "windows-1252");
    CHECK(d.encoding_guessed);
    rd_doc_clear(&d);
    CHECK_INT_EQ(mem_one("ol.txt", overlong, sizeof overlong - 1, &d, &err), 1);
    CHECK_STR_EQ(d.text, "ab\xc3\x80\xc2\xaf");
    rd_doc_clear(&d);
    CHECK_INT_EQ(mem_enc("x.txt", "abc", 3, "no-such-encoding", &d, &err), CX_EINVAL);
    CHECK(contains(err.msg, "unknown encoding 'no-such-encoding'"));

    const char nul[] = "Un texte normal avec un\0octet nul au milieu.";
    CHECK_INT_EQ(mem_one("nul.txt", nul, sizeof nul - 1, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "NUL byte at byte offset 23"));

    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    CHECK_INT_EQ(mem_one("img.txt", png, sizeof png - 1, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "binary file"));
    char bin[256];
    for (int i = 0; i < 256; i++)
        bin[i] = (char)(i % 7 == 0 ? 0 : i % 31);
    CHECK_INT_EQ(mem_one("blob.txt", bin, sizeof bin, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "binary file"));

    /* UTF-16 without a byte-order mark: told by its NUL bytes (issue 19) */
    {
        const char *plain = "Le village de Sotk a \xc3\xa9t\xc3\xa9 touch\xc3\xa9 cette nuit.";
        char le[128], be[128];
        size_t k = 0;
        for (const unsigned char *p = (const unsigned char *)plain; *p; p++) {
            unsigned cp = *p;
            if (*p >= 0xC0) { /* the two-byte sequences of this sentence */
                cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
                p++;
            }
            le[k] = (char)(cp & 0xFF), le[k + 1] = (char)(cp >> 8);
            be[k] = (char)(cp >> 8), be[k + 1] = (char)(cp & 0xFF);
            k += 2;
        }
        CHECK_INT_EQ(mem_one("u16le.txt", le, k, &d, &err), 1);
        CHECK_STR_EQ(d.text, plain);
        CHECK_STR_EQ(d.encoding, "UTF-16LE");
        CHECK_INT_EQ(mem_one("u16be.txt", be, k, &d, &err), 1);
        CHECK_STR_EQ(d.text, plain);
        CHECK_STR_EQ(d.encoding, "UTF-16BE");
        /* NUL-heavy bytes that are not UTF-16: refused, with the option named */
        CHECK_INT_EQ(mem_one("blob2.txt", bin, sizeof bin, &d, &err), CX_EFORMAT);
        CHECK(contains(err.msg, "--encoding"));
    }

    /* Too big: one byte over the limit. */
    size_t big = RD_DOC_MAX_BYTES + 1;
    char *huge = malloc(big);
    CHECK(huge != NULL);
    if (huge) {
        memset(huge, 'a', big);
        CHECK_INT_EQ(mem_one("huge.txt", huge, big, &d, &err), CX_EFORMAT);
        CHECK(contains(err.msg, "larger than the 64 MB limit"));
        free(huge);
    }

    /* Missing file. */
    cx_err_clear(&err);
    CHECK(rd_reader_open(fx("no-such-file.txt"), &err) == NULL);
    CHECK_INT_EQ(err.code, CX_ENOTFOUND);
    CHECK(contains(err.msg, "cannot open"));
    CHECK(contains(err.source, "no-such-file.txt"));
    cx_err_clear(&err);
    CHECK(rd_reader_open("", &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EINVAL);
    /* A directory opens but cannot be read. */
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open(g_dir, &err);
    if (r) {
        CHECK(rd_reader_next(r, &d, &err) < 0);
        CHECK(contains(err.msg, "read error"));
        rd_reader_close(r);
    }
    rd_doc_clear(&d);
}

static void test_json(void)
{
    cx_err err;
    cx_err_clear(&err);
    rd_doc d = {0};
    rd_reader *r = rd_reader_open(fx("single.json"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "art-42");
    CHECK_STR_EQ(d.url, "https://example.invalid/art-42");
    CHECK_STR_EQ(d.title, "Combats à la frontière");
    CHECK_STR_EQ(d.published, "2022-09-13");
    CHECK_STR_EQ(d.lang, "fr");
    CHECK(contains(d.text, "près de Jermuk"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_reader_close(r);

    /* An array: good, no text, body+date, not an object, content. */
    cx_err_clear(&err);
    r = rd_reader_open(fx("array.json"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "7");
    CHECK_STR_EQ(d.published, "2023-09-25");
    CHECK_STR_EQ(d.lang, "fr");
    CHECK_STR_EQ(d.url, "exemple.invalid");
    CHECK_STR_EQ(d.text, "Évacuation des habitants de Goris.");
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "array element 2: object has no text"));
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "array.json:3");
    CHECK_STR_EQ(d.published, "2021-11-16");
    CHECK_STR_EQ(d.text, "Des obus sont tombés sur Tegh.");
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "array element 4: JSON value is not an object"));
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.published, ""); /* "pas une date" is not a date */
    CHECK_STR_EQ(d.text, "Un civil a été blessé à Kapan.");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_doc_clear(&d);
    rd_reader_close(r);
}

static void test_json_errors(void)
{
    cx_err err;
    rd_doc d = {0};
    const char *bad = "{\"text\": \"a\",\n \"title\": }";
    CHECK_INT_EQ(mem_one("bad.json", bad, strlen(bad), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "malformed JSON"));
    CHECK_INT_EQ(err.line, 2);
    CHECK(contains(err.msg, "column"));

    const char *num = "42";
    CHECK_INT_EQ(mem_one("num.json", num, strlen(num), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "malformed JSON: '[' or '{' expected"));

    const char *notext = "{\"title\": \"x\", \"text\": 3}";
    CHECK_INT_EQ(mem_one("nt.json", notext, strlen(notext), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "object has no text"));

    const char *esc_nul = "{\"text\": \"a\\u0000b\"}";
    CHECK_INT_EQ(mem_one("en.json", esc_nul, strlen(esc_nul), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "malformed JSON"));

    const char *dup = "{\"text\": \"a\", \"text\": \"b\"}";
    CHECK_INT_EQ(mem_one("dup.json", dup, strlen(dup), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "duplicate"));

    /* Deeply nested: an error, not a stack overflow. */
    size_t depth = 200000;
    char *deep = malloc(2 * depth + 1);
    CHECK(deep != NULL);
    if (deep) {
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        CHECK_INT_EQ(mem_one("deep.json", deep, 2 * depth, &d, &err), CX_EFORMAT);
        CHECK(contains(err.msg, "malformed JSON"));
        CHECK(contains(err.msg, "maximum parsing depth"));
        free(deep);
    }
    const char *empty = "  \n";
    CHECK_INT_EQ(mem_one("e.json", empty, strlen(empty), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "empty document"));
    rd_doc_clear(&d);
}

static void test_jsonl(void)
{
    cx_err err;
    cx_err_clear(&err);
    rd_doc d = {0};
    rd_reader *r = rd_reader_open(fx("docs.jsonl"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "a1");
    CHECK_INT_EQ(d.line, 1);
    CHECK_STR_EQ(d.published, "2020-09-27");
    /* line 2 is blank and skipped; line 3 is malformed */
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 3);
    CHECK(contains(err.msg, "malformed JSON line"));
    CHECK(contains(err.source, "docs.jsonl"));
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 4);
    CHECK(contains(err.msg, "object has no text"));
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "docs.jsonl:5");
    CHECK_INT_EQ(d.line, 5);
    CHECK_STR_EQ(d.lang, "en");
    CHECK_STR_EQ(d.published, "2020-10-06");
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 6);
    CHECK(contains(err.msg, "empty document"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_doc_clear(&d);
    rd_reader_close(r);

    /* Cut mid-line: the complete line is read, the cut one reported. */
    cx_err_clear(&err);
    r = rd_reader_open(fx("cut.jsonl"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "c1");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 2);
    CHECK(contains(err.msg, "file ends in the middle of a JSON line"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_doc_clear(&d);
    rd_reader_close(r);

    /* A last line without newline that is complete is fine; CRLF too. */
    const char *nonl = "{\"text\": \"un\"}\r\n{\"text\": \"deux\"}";
    cx_err_clear(&err);
    r = rd_reader_open_mem("x.ndjson", nonl, strlen(nonl), &err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.text, "un");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.text, "deux");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_reader_close(r);

    /* Invalid UTF-8 and NUL in a line: file offset and line; the next line goes on. */
    const char bad[] =
        "{\"text\": \"ok\"}\n{\"text\": \"a\xff\"}\n{\"text\": \"b\0\"}\n{\"text\": \"fin\"}\n";
    cx_err_clear(&err);
    r = rd_reader_open_mem("bad.jsonl", bad, sizeof bad - 1, &err);
    CHECK_INT_EQ(rd_reader_set_encoding(r, "utf-8", &err), 0);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 2);
    CHECK(contains(err.msg, "invalid UTF-8 at byte offset 26"));
    cx_err_clear(&err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
    CHECK_INT_EQ(err.line, 3);
    CHECK(contains(err.msg, "NUL byte at byte offset 41"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.text, "fin");
    CHECK_INT_EQ(d.line, 4);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_doc_clear(&d);
    rd_reader_close(r);

    /* A line over the limit is skipped in bounded memory; the next is read. */
    size_t big = RD_DOC_MAX_BYTES + 100;
    char *huge = malloc(big + 32);
    CHECK(huge != NULL);
    if (huge) {
        memset(huge, 'x', big);
        huge[0] = '{';
        memcpy(huge + big, "\n{\"text\":\"apres\"}\n", 19);
        cx_err_clear(&err);
        r = rd_reader_open_mem("big.jsonl", huge, big + 18, &err);
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
        CHECK(contains(err.msg, "line longer than the 64 MB"));
        CHECK_INT_EQ(err.line, 1);
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK_STR_EQ(d.text, "apres");
        CHECK_INT_EQ(d.line, 2);
        rd_reader_close(r);
        free(huge);
    }
    rd_doc_clear(&d);
}

static void test_html(void)
{
    cx_err err;
    cx_err_clear(&err);
    rd_doc d = {0};
    rd_reader *r = rd_reader_open(fx("page.html"), &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "page.html");
    CHECK_STR_EQ(d.title, "Bombardement & évacuation à Chouchi");
    CHECK_STR_EQ(d.published, "2020-10-08");
    CHECK_STR_EQ(d.lang, "fr");
    CHECK(contains(d.text,
                   "La cathédrale de Chouchi a été touchée « deux fois », selon les autorités!"));
    CHECK(contains(d.text, "évacués… &unknown; &amp reste"));
    CHECK(!contains(d.text, "ne pas lire"));
    CHECK(!contains(d.text, "caché"));
    CHECK(!contains(d.text, "color"));
    CHECK(!contains(d.text, "<"));
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_reader_close(r);

    const char *tags = "<html><body><p></p><script>x</script></body></html>";
    CHECK_INT_EQ(mem_one("t.htm", tags, strlen(tags), &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "no text outside tags"));
    const char *unclosed = "<p>Texte <b";
    CHECK_INT_EQ(mem_one("u.html", unclosed, strlen(unclosed), &d, &err), 1);
    CHECK(contains(d.text, "Texte"));
    const char *ent0 = "<p>a&#0;b&#x110000;c&#55296;</p>";
    CHECK_INT_EQ(mem_one("e.html", ent0, strlen(ent0), &d, &err), 1);
    /* libxml2 drops references to NUL, surrogates and past U+10FFFF: no NUL
     * byte reaches the text */
    CHECK(contains(d.text, "a") && contains(d.text, "b") && contains(d.text, "c"));
    CHECK_INT_EQ(strlen(d.text), d.text_len);
    rd_doc_clear(&d);
}

/* A news page of my own: menus, a related-headlines list, share buttons, a
 * cookie banner and comments around a three-paragraph article. */
static const char news_page[] =
    "<!DOCTYPE html><html lang=\"en-GB\"><head>"
    "<title>Villages shelled overnight near the border | The Example Post</title>"
    "<meta property=\"article:published_time\" content=\"2022-09-14T06:00:00Z\">"
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
    "\"@type\":\"NewsArticle\",\"datePublished\":\"2022-09-13T22:10:00+04:00\"}</script>"
    "</head><body>"
    "<div class=\"cookie-banner\">We use cookies to improve your experience. Accept all</div>"
    "<nav><ul><li><a href=\"/k\">Karabakh</a></li><li><a href=\"/a\">Armenia</a></li>"
    "<li><a href=\"/z\">Azerbaijan</a></li></ul></nav>"
    "<header class=\"site-header\"><a href=\"/\">The Example Post</a></header>"
    "<div class=\"page\"><div class=\"main-column\">"
    "<h1>Villages shelled overnight near the border</h1>"
    "<p class=\"standfirst\">Families spent the night in a school gym after the overnight "
    "exchange of fire.</p>"
    "<time datetime=\"2022-09-15\">15 September</time>"
    "<div class=\"share-buttons\"><a href=\"#\">Share this</a> <a href=\"#\">Tweet</a></div>"
    "<div class=\"article-body\">"
    "<p>Two villages in the border district were shelled overnight, the district head said on "
    "Wednesday, and several houses were damaged, although no one was hurt.</p>"
    "<p>Residents spent the night in basements, according to the local council, which opened "
    "the school gym as a shelter for families whose homes were hit.</p>"
    "<p>The ministry said that its units returned fire, and that the situation had calmed by "
    "morning, while both sides accused each other of starting the exchange.</p>"
    "</div>"
    "<div class=\"related-stories\"><h3>Related</h3><ul>"
    "<li><a href=\"/1\">Shelling in Tavush kills two</a></li>"
    "<li><a href=\"/2\">Clashes reported at the frontier post</a></li></ul></div>"
    "<div id=\"comments\"><p>Leave a reply: your email address will not be published, "
    "required fields are marked.</p></div>"
    "</div><aside class=\"sidebar\"><p>Most read: evacuation ordered in the north, "
    "officials say, as the storm nears.</p></aside></div>"
    "<footer><p>Copyright The Example Post, all rights reserved.</p></footer>"
    "</body></html>";

static void test_html_main(void)
{
    cx_err err;
    rd_doc d = {0};
    /* the article: body kept, furniture gone; the headline without the site's name */
    CHECK_INT_EQ(mem_one("news.html", news_page, strlen(news_page), &d, &err), 1);
    CHECK_STR_EQ(d.title, "Villages shelled overnight near the border");
    CHECK_STR_EQ(d.lang, "en");
    CHECK_STR_EQ(d.published, "2022-09-13"); /* JSON-LD before the meta and <time> */
    CHECK(contains(d.text, "Two villages in the border district were shelled overnight"));
    CHECK(contains(d.text, "the school gym as a shelter"));
    CHECK(contains(d.text, "the situation had calmed by morning"));
    static const char *const furniture[] = {"Karabakh", "Shelling in Tavush", "Clashes reported",
                                            "Share this", "cookies", "Leave a reply",
                                            "Most read", "Copyright", NULL};
    for (const char *const *f = furniture; *f; f++)
        if (contains(d.text, *f)) {
            fprintf(stderr, "furniture kept: %s\n", *f);
            CHECK(!contains(d.text, *f));
        }
    /* the standfirst under the headline comes first */
    CHECK(d.text && strncmp(d.text, "Families spent the night in a school gym", 40) == 0);
    /* paragraphs are separated by blank lines */
    CHECK(contains(d.text, "no one was hurt.\n\nResidents"));

    /* --html whole: every text node */
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem("news.html", news_page, strlen(news_page), &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_INT_EQ(rd_reader_set_html(r, "whole", &err), 0);
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK(contains(d.text, "Shelling in Tavush kills two"));
        CHECK(contains(d.text, "Karabakh"));
        CHECK(contains(d.text, "no one was hurt"));
        CHECK(!contains(d.text, "schema.org"));
        CHECK_INT_EQ(rd_reader_set_html(r, "most", &err), CX_EINVAL);
        CHECK(contains(err.msg, "'most'"));
        rd_reader_close(r);
    }

    /* the date: meta when no JSON-LD, then <time datetime>, then the URL */
    const char *meta = "<html><head><meta name=\"pubdate\" content=\"2021-05-02\"></head>"
                       "<body><time datetime=\"2021-05-03T10:00\">x</time><p>Some text that "
                       "is long enough to be a paragraph, with a comma.</p></body></html>";
    CHECK_INT_EQ(mem_one("m.html", meta, strlen(meta), &d, &err), 1);
    CHECK_STR_EQ(d.published, "2021-05-02");
    const char *tm = "<html><body><time datetime=\"2021-05-03T10:00\">x</time><p>Some text "
                     "that is long enough to be a paragraph, with a comma.</p></body></html>";
    CHECK_INT_EQ(mem_one("t.html", tm, strlen(tm), &d, &err), 1);
    CHECK_STR_EQ(d.published, "2021-05-03");

    /* JSON-LD articleBody picks the candidate that holds it over a longer block */
    cx_buf pg = CX_BUF_INIT;
    const char *story = "Soldiers and civilians were evacuated from the hill villages after the "
                        "night of shelling, officials said, and roads were closed, while aid "
                        "convoys waited at the checkpoint for permission to go on. ";
    cx_buf_printf(&pg, "<html><head><script type=\"application/ld+json\">{\"articleBody\":"
                       "\"%s%s\"}</script></head><body><div class=\"x1\">",
                  story, story);
    for (int i = 0; i < 6; i++)
        cx_buf_printf(&pg, "<p>An unrelated long paragraph of another story, number %d, with "
                           "commas, clauses, and words, and more words, to weigh more.</p>",
                      i);
    cx_buf_printf(&pg, "</div><div class=\"x2\"><p>%s</p><p>%s</p></div></body></html>", story,
                  story);
    CHECK_INT_EQ(mem_one("ld.html", pg.data, pg.len, &d, &err), 1);
    CHECK(contains(d.text, "aid convoys waited"));
    CHECK(!contains(d.text, "An unrelated long paragraph"));
    cx_buf_free(&pg);
    rd_doc_clear(&d);
}

/* A WARC response whose HTTP body is gzip-encoded (Content-Encoding: gzip):
 * the body is decoded before it is read as HTML (issue 19). */
/* The outlet a document names itself, per reader (issue 18): JSON fields
 * in their order, as a string or an object's "name"; og:site_name and
 * JSON-LD publisher.name; a feed's title. */
static void test_outlets(void)
{
    cx_err err;
    rd_doc d = {0};
    const char *j = "{\"text\": \"Goris a ete bombardee.\", \"url\": \"https://www.x.example/a\","
                    " \"publisher\": {\"@type\": \"Organization\", \"name\": \" Le Petit Journal \"},"
                    " \"source\": \"Other\"}";
    CHECK_INT_EQ(mem_one("a.json", j, strlen(j), &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Le Petit Journal");
    const char *l = "{\"text\": \"a\", \"site_name\": \"Courrier du Sud\", \"source\": \"S\"}\n"
                    "{\"text\": \"b\", \"source\": \"https://news.example/x\"}\n"
                    "{\"text\": \"c\", \"outlet\": \"  \", \"source\": {\"id\": null, \"name\": "
                    "\"Wire\"}}\n";
    rd_reader *r = rd_reader_open_mem("a.jsonl", l, strlen(l), &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK_STR_EQ(d.outlet, "Courrier du Sud");
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK(d.outlet == NULL); /* a URL is no name: the host stands for it */
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK_STR_EQ(d.outlet, "Wire");
        rd_reader_close(r);
    }
    /* a field holding more than a name (300 bytes) is passed over */
    cx_buf big = CX_BUF_INIT;
    cx_buf_puts(&big, "{\"text\": \"a\", \"outlet\": \"");
    for (int k = 0; k < 30; k++)
        cx_buf_puts(&big, "long text ");
    cx_buf_puts(&big, "\", \"source\": \"Short Name\"}\n");
    CHECK_INT_EQ(mem_one("b.jsonl", big.data, big.len, &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Short Name");
    cx_buf_free(&big);
    const char *h = "<html><head><meta property=\"og:site_name\" content=\"Gazette de Sisian\">"
                    "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", "
                    "\"publisher\": {\"name\": \"LD Name\"}}</script></head><body><p>Sisian a ete "
                    "bombardee dimanche soir par les forces adverses.</p></body></html>";
    CHECK_INT_EQ(mem_one("p.html", h, strlen(h), &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Gazette de Sisian");
    h = "<html><head><script type=\"application/ld+json\">[{\"@type\": \"NewsArticle\", "
        "\"publisher\": {\"@type\": \"Organization\", \"name\": \"Voix du Syunik\"}}]</script>"
        "</head><body><p>Sisian a ete bombardee dimanche soir par les forces adverses.</p></body>"
        "</html>";
    CHECK_INT_EQ(mem_one("p.html", h, strlen(h), &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Voix du Syunik");
    h = "<html><body><p>Sisian a ete bombardee dimanche soir par les forces adverses.</p></body>"
        "</html>";
    CHECK_INT_EQ(mem_one("p.html", h, strlen(h), &d, &err), 1);
    CHECK(d.outlet == NULL);
    const char *rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Radio "
                      "Vardenis</title><link>https://radio.example/</link><item><title>Tirs</title>"
                      "<link>https://radio.example/1</link><description>Vardenis a ete bombardee."
                      "</description></item></channel></rss>";
    CHECK_INT_EQ(mem_one("f.rss", rss, strlen(rss), &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Radio Vardenis");
    CHECK_STR_EQ(d.title, "Tirs");
    const char *atom = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
                       "<title>Atom Daily</title><entry><title>Shelling</title><id>e1</id><content>"
                       "Jermuk was shelled.</content></entry></feed>";
    CHECK_INT_EQ(mem_one("f.atom", atom, strlen(atom), &d, &err), 1);
    CHECK_STR_EQ(d.outlet, "Atom Daily");
    rd_doc_clear(&d);
}

static void test_warc_gzip(void)
{
    static const char gz[] =
        "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x25\x8d\xc1\x0d\xc3\x20\x10\x04\x5b\xd9"
        "\x02\xac\xd0\x00\xa2\x82\xfc\x52\x01\x81\x55\x8c\x72\x70\xb6\x39\x2c\xa5\xfb\x10"
        "\xe7\x39\xd2\x8c\xc6\xaf\x56\x25\xf8\xa7\xe6\x4f\xf0\x5b\xb8\x13\x67\x11\x89\x2f"
        "\x22\x13\x0f\xb5\x37\x22\x68\x84\xe9\x48\x2b\x91\x68\x13\xda\x28\xb6\xa0\x53\xb4"
        "\x41\x88\x1a\xcb\xc1\x05\xfb\x28\x53\xce\xac\xb1\xe5\x5f\xde\xa7\x91\x74\x1c\xfd"
        "\xe6\xdd\x16\xbc\xfb\x3f\xdc\x35\xfc\x02\x78\x1d\xdb\xec\x77\x00\x00\x00";
    const size_t gz_len = sizeof gz - 1;
    const char *http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                       "Content-Encoding: gzip\r\n\r\n";
    cx_buf block = CX_BUF_INIT, w = CX_BUF_INIT;
    cx_buf_puts(&block, http);
    cx_buf_append(&block, gz, gz_len);
    cx_buf_printf(&w, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: "
                      "https://example.org/2022/09/14/sotk\r\nContent-Type: application/http; "
                      "msgtype=response\r\nContent-Length: %zu\r\n\r\n",
                  block.len);
    cx_buf_append(&w, block.data, block.len);
    cx_buf_puts(&w, "\r\n\r\n");
    cx_err err;
    rd_doc d = {0};
    CHECK_INT_EQ(mem_one("crawl.warc", w.data, w.len, &d, &err), 1);
    CHECK(d.text && contains(d.text, "Le village de Sotk a ete touche cette nuit"));
    CHECK_STR_EQ(d.published, "2022-09-14");
    /* a WARC record names no outlet: the URI's host stands for it (cli/) */
    CHECK(d.outlet == NULL);
    CHECK_STR_EQ(d.url, "https://example.org/2022/09/14/sotk");
    /* a body that says gzip and is not: an error naming the record, not text */
    cx_buf_reset(&block);
    cx_buf_reset(&w);
    cx_buf_puts(&block, http);
    cx_buf_append(&block, gz, 40); /* cut */
    cx_buf_printf(&w, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: "
                      "https://example.org/cut\r\nContent-Length: %zu\r\n\r\n",
                  block.len);
    cx_buf_append(&w, block.data, block.len);
    cx_buf_puts(&w, "\r\n\r\n");
    CHECK(mem_one("crawl.warc", w.data, w.len, &d, &err) < 0);
    CHECK(contains(err.msg, "https://example.org/cut"));
    CHECK(contains(err.msg, "compressed body"));
    rd_doc_clear(&d);
    cx_buf_free(&block);
    cx_buf_free(&w);
}

/* One RSS item too large for the item limit (a 12 MB text node): that item is
 * skipped with a message naming it, the feed's other items are read
 * (issue 19: the whole feed was refused). */
static void test_feed_big_item(void)
{
    cx_buf f = CX_BUF_INIT;
    cx_buf_puts(&f, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
                    "<item><guid>a1</guid><description>Le village de Sotk a été touché cette "
                    "nuit.</description></item><item><guid>a2</guid><description>");
    for (size_t i = 0; i < 12u * 1024u * 1024u / 8u; i++)
        cx_buf_puts(&f, "un mot, ");
    cx_buf_puts(&f, "</description></item><item><guid>a3</guid><description>La ville de Goris a "
                    "été visée mardi soir.</description></item></channel></rss>");
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem("news.rss", f.data, f.len, &err);
    CHECK(r != NULL);
    if (r) {
        rd_doc d = {0};
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK_STR_EQ(d.id, "a1");
        cx_err_clear(&err);
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), CX_EFORMAT);
        CHECK(contains(err.msg, "item 2"));
        CHECK(contains(err.msg, "limit"));
        cx_err_clear(&err);
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
        CHECK_STR_EQ(d.id, "a3");
        CHECK(d.text && contains(d.text, "Goris"));
        CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
        rd_doc_clear(&d);
        rd_reader_close(r);
    }
    cx_buf_free(&f);
}

/* Control characters in ids, urls and titles (issue 19): an id stays one
 * printable line (escaped), a title is text (spaces). */
static void test_control_names(void)
{
    const char *j = "{\"id\": \"a\\nb\\u001b]0;x\\u0007\", \"url\": \"https://e.org/\\r\", "
                    "\"title\": \"Un\\ttitre\\nsur deux lignes\", \"text\": \"Du texte.\"}";
    cx_err err;
    rd_doc d = {0};
    CHECK_INT_EQ(mem_one("c.json", j, strlen(j), &d, &err), 1);
    CHECK_STR_EQ(d.id, "a\\nb\\x1b]0;x\\x07");
    CHECK_STR_EQ(d.url, "https://e.org/\\r");
    CHECK_STR_EQ(d.title, "Un titre sur deux lignes");
    rd_doc_clear(&d);
}

static void test_sniff(void)
{
    cx_err err;
    rd_doc d = {0};
    const char *jl = "  {\"id\":\"s1\",\"text\":\"un\"}\n{\"id\":\"s2\",\"text\":\"deux\"}\n";
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem("-", jl, strlen(jl), &err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "s1");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "s2");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_reader_close(r);

    const char *arr = "\n[{\"text\":\"un\"},{\"text\":\"deux\"}]";
    r = rd_reader_open_mem(NULL, arr, strlen(arr), &err);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_STR_EQ(d.id, "stdin:1");
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 0);
    rd_reader_close(r);

    const char *html = "<p>Salut &amp; merci</p>";
    CHECK_INT_EQ(mem_one("-", html, strlen(html), &d, &err), 1);
    CHECK(contains(d.text, "Salut & merci"));
    CHECK_STR_EQ(d.id, "stdin");
    const char *txt = "Titre\nCorps du texte.";
    CHECK_INT_EQ(mem_one("-", txt, strlen(txt), &d, &err), 1);
    CHECK_STR_EQ(d.title, "Titre");
    CHECK_STR_EQ(d.text, txt);
    CHECK_INT_EQ(mem_one("-", "", 0, &d, &err), CX_EFORMAT);
    CHECK(contains(err.msg, "empty document"));
    CHECK_INT_EQ(mem_one("-", NULL, 0, &d, &err), CX_EFORMAT);
    rd_doc_clear(&d);
    rd_doc_clear(NULL);
    rd_reader_close(NULL);
}

/* Plain-text and scraped JSON text: furniture lines at the head and the tail
 * go by how they read (short, no sentence end, no comma, no figure); the
 * title and the sentences stay; --html whole keeps everything. Sentences of
 * our own. */
static int mem_mode(const char *name, const char *buf, const char *mode, rd_doc *doc,
                    cx_err *err)
{
    cx_err_clear(err);
    rd_reader *r = rd_reader_open_mem(name, buf, strlen(buf), err);
    if (!r)
        return -100;
    int rc = mode ? rd_reader_set_html(r, mode, err) : 0;
    if (rc == 0)
        rc = rd_reader_next(r, doc, err);
    rd_reader_close(r);
    return rc;
}

static void test_boiler(void)
{
    rd_doc d = {0};
    cx_err err;
    /* furniture at both ends goes; the title comes from what stays */
    const char *t1 = "Pass it on\nthe main menu\n\nShells fell on the market of Askeran\n"
                     "The shells fell on Monday, the mayor said.\n"
                     "Nobody was hurt.\n\nWrite a comment\nFollow us\n";
    CHECK_INT_EQ(mem_mode("a.txt", t1, NULL, &d, &err), 1);
    CHECK(!contains(d.text, "Pass it on"));
    CHECK(!contains(d.text, "main menu"));
    CHECK(!contains(d.text, "Write a comment"));
    CHECK(!contains(d.text, "Follow us"));
    CHECK(contains(d.text, "Nobody was hurt."));
    CHECK(d.title && strcmp(d.title, "Shells fell on the market of Askeran") == 0);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(d.text));
    rd_doc_clear(&d);
    /* furniture over a sentence of the body goes, and the document has no
     * title line (the sentence is never given the title slot); the tail
     * goes too */
    const char *t0 = "Pass it on\nShells fell on the market on Monday, the mayor said.\nFollow us\n";
    CHECK_INT_EQ(mem_mode("a.txt", t0, NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "Shells fell on the market on Monday, the mayor said.") == 0);
    CHECK(!d.title && d.untitled);
    rd_doc_clear(&d);
    /* --html whole keeps every line */
    CHECK_INT_EQ(mem_mode("a.txt", t1, "whole", &d, &err), 1);
    CHECK(contains(d.text, "Pass it on") && contains(d.text, "Follow us"));
    rd_doc_clear(&d);
    /* headlines stay: five words, a name after the first word, a figure */
    const char *heads[] = {"Villagers leave their homes near the border\nThey left at dawn, with what they could carry.\n",
                           "Shelling near Goris\nThe town was hit twice, the police said.\n",
                           "Drone strike: 3 dead\nThe strike hit a car, witnesses said.\n"};
    for (size_t i = 0; i < 3; i++) {
        CHECK_INT_EQ(mem_mode("h.txt", heads[i], NULL, &d, &err), 1);
        CHECK(d.title && strncmp(d.title, heads[i], strlen(d.title)) == 0);
        CHECK_INT_EQ((long)d.text_len, (long)strlen(heads[i]));
        rd_doc_clear(&d);
    }
    /* a short unpunctuated line inside the body stays; so does a tail sentence */
    const char *t2 = "Roads closed after the attack\nThe road was cut at noon.\nMore soon\n"
                     "The army said the road would reopen.\n";
    CHECK_INT_EQ(mem_mode("b.txt", t2, NULL, &d, &err), 1);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(t2));
    rd_doc_clear(&d);
    /* a one-line document, and one of short lines only, are left whole */
    CHECK_INT_EQ(mem_mode("c.txt", "Read more", NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "Read more") == 0);
    rd_doc_clear(&d);
    CHECK_INT_EQ(mem_mode("c.txt", "Home\nNews\nContact us\n", NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "Home\nNews\nContact us\n") == 0);
    rd_doc_clear(&d);
    /* JSON Lines text: the same; other fields untouched */
    const char *j = "{\"id\":\"x\",\"title\":\"T\",\"text\":\"Like and share\\nour partners\\nTroops fire on a post near Tegh\\n"
                    "Troops fired on the post at night, the ministry said.\\nSee also\"}\n";
    CHECK_INT_EQ(mem_mode("d.jsonl", j, NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "Troops fire on a post near Tegh\nTroops fired on the post at night, the ministry said.") == 0);
    CHECK(d.title && strcmp(d.title, "T") == 0);
    rd_doc_clear(&d);
    rd_reader *r = rd_reader_open_mem("d.jsonl", j, strlen(j), &err);
    CHECK(r != NULL);
    rdp_reader_no_fast(r);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "Troops fire on a post near Tegh\nTroops fired on the post at night, the ministry said.") == 0);
    rd_reader_close(r);
    rd_doc_clear(&d);
    /* one short line over a headline that shares nothing with the text (a
     * section's name): it goes, the headline takes the title slot */
    const char *t5 = "Society\nShells fell on the market of Askeran\nThe shells fell at dawn on "
                     "Askeran, the mayor said.\n";
    CHECK_INT_EQ(mem_mode("g.txt", t5, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Shells fell on the market of Askeran") == 0);
    CHECK(!contains(d.text, "Society"));
    rd_doc_clear(&d);
    /* nor to a dateline or a byline of fewer than five words */
    const char *t4 = "Share this\n12 May By Staff\nThe drone hit a depot, the army said.\n";
    CHECK_INT_EQ(mem_mode("f.txt", t4, NULL, &d, &err), 1);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(t4));
    rd_doc_clear(&d);
    /* below the sixth line (read only as far as decides furniture): a tail
     * line of nine unpunctuated words stays, one of eight goes, and so does
     * everything after the last line with a late comma or a late figure */
    const char *body = "Shells fell on the market of Askeran\nThe shells fell at dawn, the mayor said.\n"
                       "Two houses burned.\nThe fire was put out.\nThe road was cut.\n"
                       "The school stayed shut.\nThe market will reopen.\n";
    static const struct {
        const char *tail;
        bool kept; /* its first line stays */
    } tails[] = {
        {"Nine words in this line without any punctuation at all\nFollow us\n", true},
        {"Eight words in this line without any punctuation\nFollow us\n", false},
        {"Eight words in this line and then a, comma\nFollow us\n", true},
        {"Eight words in this line and then year 2020\nFollow us\n", true},
        {"Eight words in this line without punctuation ends.\nFollow us\n", true},
    };
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "%s%s", body, tails[i].tail);
        CHECK_INT_EQ(mem_mode("t.txt", doc, NULL, &d, &err), 1);
        size_t want = strlen(body) - 1 + (tails[i].kept ? 1 + strcspn(tails[i].tail, "\n") : 0);
        CHECK_INT_EQ((long)d.text_len, (long)want);
        CHECK(d.text && strncmp(d.text, doc, want) == 0);
        rd_doc_clear(&d);
    }
    /* a dateline at the head stays (a figure), a sign-off label at the tail goes */
    const char *t3 = "12 March\nArtillery hit the school, teachers said.\nTags:\n";
    CHECK_INT_EQ(mem_mode("e.txt", t3, NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, "12 March\nArtillery hit the school, teachers said.") == 0);
    rd_doc_clear(&d);
}

/* The head of a scraped text: the lines over the headline that share no
 * word with the text below go (share buttons, notices, cookie lines,
 * section names), in any language; titles and datelines stay. */
static void test_boiler_head(void)
{
    rd_doc d = {0};
    cx_err err;
    /* one share button over the headline, English and French */
    const char *en = "Spread the love\n\nShelling hits the outskirts of Martuni\n\n"
                     "Artillery shells hit Martuni on Tuesday night, local officials said. "
                     "Two houses burned on the outskirts.\n\nThe ministry said the army returned fire.\n";
    CHECK_INT_EQ(mem_mode("en.txt", en, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Shelling hits the outskirts of Martuni") == 0);
    CHECK(d.text && strncmp(d.text, "Shelling hits the outskirts of Martuni\n", 39) == 0);
    CHECK(contains(d.text, "returned fire."));
    rd_doc_clear(&d);
    const char *fr = "Partagez cet article\n"
                     "Des tirs d'artillerie visent les villages autour de Berdzor\n\n"
                     "Plusieurs villages autour de Berdzor ont été visés par des tirs d'artillerie "
                     "dans la nuit, selon les autorités locales.\n";
    CHECK_INT_EQ(mem_mode("fr.txt", fr, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Des tirs d'artillerie visent les villages autour de Berdzor") == 0);
    CHECK(!contains(d.text, "Partagez"));
    rd_doc_clear(&d);
    /* a word said three times on a head line counts once: this line shares
     * one stem of four with the text (counted three times, it would be a
     * headline and the button over it would go) */
    const char *rep = "Share this\nAskeran Askeran Askeran market news today\n"
                      "Shells fell on Askeran at dawn, the mayor said.\n";
    CHECK_INT_EQ(mem_mode("rep.txt", rep, NULL, &d, &err), 1);
    CHECK(d.text && strcmp(d.text, rep) == 0);
    rd_doc_clear(&d);
    /* the same button over a headline, above a short text (its words in a
     * table on the stack) and a long one (on the heap) */
    for (int big = 0; big < 2; big++) {
        static char doc[16384];
        size_t n = (size_t)snprintf(doc, sizeof doc, "Share this\nShells fell on the market of Askeran\n");
        for (int k = 0; k < (big ? 120 : 2); k++)
            n += (size_t)snprintf(doc + n, sizeof doc - n,
                                  "The shells fell on the market of Askeran at dawn, the mayor said.\n");
        CHECK(n < sizeof doc - 1 && (big ? n > 4096 : n < 1024));
        CHECK_INT_EQ(mem_mode("long.txt", doc, NULL, &d, &err), 1);
        CHECK(d.title && strcmp(d.title, "Shells fell on the market of Askeran") == 0);
        CHECK(d.text && !contains(d.text, "Share this"));
        rd_doc_clear(&d);
    }
    /* a site's licence notice (punctuated like a sentence, its words found
     * nowhere below) and a section's name, over a French headline */
    const char *notice =
        "Orbit Press Licence is not activated, Open the settings panel to activate the licence, "
        "One licence covers one website only.\n"
        "Informations du jour\n\n"
        "Haut-Karabakh : des roquettes tombent sur Martakert, deux civils blessés\n\n"
        "Des roquettes sont tombées mardi sur Martakert. Deux civils ont été blessés, "
        "selon les secours du Haut-Karabakh.\n";
    CHECK_INT_EQ(mem_mode("n.txt", notice, NULL, &d, &err), 1);
    CHECK(d.title &&
          strcmp(d.title, "Haut-Karabakh : des roquettes tombent sur Martakert, deux civils blessés") == 0);
    CHECK(!contains(d.text, "Licence") && !contains(d.text, "Informations du jour"));
    CHECK(contains(d.text, "selon les secours du Haut-Karabakh."));
    rd_doc_clear(&d);
    /* a cookie line, in a JSON Lines text without a title field */
    const char *ck = "{\"id\":\"c\",\"text\":\"Ce site utilise des cookies pour améliorer votre expérience, "
                     "en poursuivant vous acceptez leur usage.\\nTroops shell a checkpoint near Tegh\\n"
                     "Troops shelled the checkpoint near Tegh overnight, the border guards said.\"}\n";
    CHECK_INT_EQ(mem_mode("c.jsonl", ck, NULL, &d, &err), 1);
    CHECK(d.text && strncmp(d.text, "Troops shell a checkpoint near Tegh\n", 36) == 0);
    rd_doc_clear(&d);
    /* an English cookie banner whose capitalised words come again below
     * only in lower case ("policy"): not a name, it goes */
    const char *cb = "We use cookies to improve your experience on our website. By continuing "
                     "you accept our Privacy Policy and our Terms.\n"
                     "Evacuation buses leave Stepanakert for Goris\n"
                     "Buses carrying families left Stepanakert for Goris on Monday, under a "
                     "policy agreed by both sides, officials said.\n";
    CHECK_INT_EQ(mem_mode("cb.txt", cb, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Evacuation buses leave Stepanakert for Goris") == 0);
    rd_doc_clear(&d);
    /* any script: a share button over a Russian headline */
    const char *ru = "Поделиться\nОбстрел окраин Мартуни\n"
                     "Артиллерия обстреляла окраины Мартуни ночью, сообщили местные власти.\n";
    CHECK_INT_EQ(mem_mode("ru.txt", ru, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Обстрел окраин Мартуни") == 0);
    rd_doc_clear(&d);
    /* --html whole keeps the head as it is */
    CHECK_INT_EQ(mem_mode("en.txt", en, "whole", &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Spread the love") == 0);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(en));
    rd_doc_clear(&d);
    /* titles that share few words with the text stay: a name the text
     * goes on about, over a headline-like standfirst */
    const char *ti = "A long night in the cellars of Martuni\n"
                     "Shells fell until dawn while families waited underground\n"
                     "Families in Martuni spent the night underground as shells fell until dawn, "
                     "a nurse said.\n";
    CHECK_INT_EQ(mem_mode("t.txt", ti, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "A long night in the cellars of Martuni") == 0);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(ti));
    rd_doc_clear(&d);
    /* ... a short title over a standfirst that is a sentence */
    const char *t2 = "Nuit blanche\n"
                     "Les habitants de Goris ont passé la nuit dans les abris.\n"
                     "Les sirènes ont retenti trois fois, a indiqué la mairie de Goris.\n";
    CHECK_INT_EQ(mem_mode("t2.txt", t2, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Nuit blanche") == 0);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(t2));
    rd_doc_clear(&d);
    /* ... and a first line over a headline when it shares a word with the text */
    const char *t3 = "Cessez-le-feu rompu\n"
                     "Des obus tombent sur Tegh malgré le cessez-le-feu\n"
                     "Des obus sont tombés sur Tegh, a indiqué la mairie de Tegh, malgré le "
                     "cessez-le-feu.\n";
    CHECK_INT_EQ(mem_mode("t3.txt", t3, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Cessez-le-feu rompu") == 0);
    rd_doc_clear(&d);
    /* a dateline over the headline stays, and so does what is above it */
    const char *dl = "Spread the love\n12 October 2020, 10:45\n"
                     "Shelling hits the outskirts of Martuni\n"
                     "Artillery shells hit Martuni on Tuesday night, local officials said.\n";
    CHECK_INT_EQ(mem_mode("dl.txt", dl, NULL, &d, &err), 1);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(dl));
    rd_doc_clear(&d);
    /* a share button over the body's first sentence goes too, and the
     * document is untitled: that sentence must not be read as a headline */
    const char *pr = "Partagez cet article\n"
                     "Des tirs d'artillerie ont visé Berdzor dans la nuit, selon les autorités locales.\n"
                     "Aucune victime n'est signalée à Berdzor.\n";
    CHECK_INT_EQ(mem_mode("pr.txt", pr, NULL, &d, &err), 1);
    CHECK(!d.title && d.untitled);
    CHECK(d.text && strncmp(d.text, "Des tirs d'artillerie", 21) == 0);
    rd_doc_clear(&d);
    /* ... but not over a line shorter than a paragraph: it could be a
     * standfirst or a one-sentence title */
    const char *by = "Spread the love\nShells hit Martuni overnight, officials say.\n"
                     "The shells hit Martuni on Tuesday night, local officials said, and two "
                     "houses burned.\n";
    CHECK_INT_EQ(mem_mode("by.txt", by, NULL, &d, &err), 1);
    CHECK(d.title && strcmp(d.title, "Spread the love") == 0 && !d.untitled);
    rd_doc_clear(&d);
    /* a text that opens with a sentence of its body (a lead, no headline)
     * keeps every line, and that sentence is no title */
    const char *ld = "Les forces azerbaïdjanaises ont bombardé le village de Tegh mardi soir, "
                     "selon le ministère arménien de la Défense.\n"
                     "Deux maisons ont été touchées à Tegh.\n";
    CHECK_INT_EQ(mem_mode("ld.txt", ld, NULL, &d, &err), 1);
    CHECK(!d.title && d.untitled);
    CHECK_INT_EQ((long)d.text_len, (long)strlen(ld));
    rd_doc_clear(&d);
    /* a headline of ten words without a full stop stays the title */
    const char *hd = "Azerbaijani forces shell the village of Tegh for a second night\n"
                     "The village of Tegh was shelled again on Tuesday night, officials said.\n";
    CHECK_INT_EQ(mem_mode("hd.txt", hd, NULL, &d, &err), 1);
    CHECK(d.title && !d.untitled);
    rd_doc_clear(&d);
    /* a text of one line (an analyst's one-sentence note) has no headline:
     * its line is a sentence of the body, short or long, with or without a
     * blank line around it */
    const char *one[] = {"Azerbaijani forces shelled Tegh on Tuesday night, officials said.\n",
                         "\n  Tirs sur Tegh  \n\n", "Shelling in Tegh"};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        CHECK_INT_EQ(mem_mode("one.txt", one[i], NULL, &d, &err), 1);
        CHECK(!d.title && d.untitled);
        rd_doc_clear(&d);
    }
    /* the words the head shares with the text are looked for as far as the
     * text goes (the table is read only as far as settles the first line):
     * a headline whose words come again in the last paragraph only stays
     * the title; without them it is furniture over the body and goes */
    for (int late = 0; late < 2; late++) {
        char doc[8192];
        size_t o = (size_t)snprintf(doc, sizeof doc, "Orchard harvest festival postponed\n");
        for (int k = 0; k < 40; k++)
            o += (size_t)snprintf(doc + o, sizeof doc - o,
                                  "Paragraph %d tells of roads, bridges and the weather, the "
                                  "council said in its weekly note to residents.\n", k);
        snprintf(doc + o, sizeof doc - o, "%s\n",
                 late ? "The orchard festival and its harvest market were postponed, the mayor said."
                      : "Nothing else was decided, the mayor said.");
        CHECK_INT_EQ(mem_mode("late.txt", doc, NULL, &d, &err), 1);
        if (late)
            CHECK(d.title && strcmp(d.title, "Orchard harvest festival postponed") == 0);
        else
            CHECK(!d.title && d.text && strncmp(d.text, "Paragraph 0 ", 12) == 0);
        rd_doc_clear(&d);
    }
}

/* rd_reader_defer_trim (extract -j N trims on its workers): a JSON text
 * comes with its furniture and trim_pending, and rd_doc_trim gives what the
 * reader gives without deferring, untitled flag included, on the one-pass
 * and the Jansson path; a text file is trimmed at once. Sentences of our own. */
static void test_defer_trim(void)
{
    const char *lines[] = {
        "{\"id\":\"x\",\"title\":\"T\",\"text\":\"Like and share\\nour partners\\nTroops fire on a post near Tegh\\n"
        "Troops fired on the post at night, the ministry said.\\nSee also\"}\n",
        "{\"id\":\"y\",\"text\":\"Pass it on\\nShells fell on the market on Monday, the mayor said.\\nFollow us\"}\n",
        "{\"id\":\"z\",\"text\":\"Nothing to drop here, the mayor said.\"}\n",
    };
    for (int slow = 0; slow < 2; slow++)
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
            rd_doc want = {0}, got = {0};
            cx_err err;
            cx_err_clear(&err);
            rd_reader *r = rd_reader_open_mem("d.jsonl", lines[i], strlen(lines[i]), &err);
            CHECK(r != NULL);
            if (slow)
                rdp_reader_no_fast(r);
            CHECK_INT_EQ(rd_reader_next(r, &want, &err), 1);
            rd_reader_close(r);
            CHECK(!want.trim_pending);
            r = rd_reader_open_mem("d.jsonl", lines[i], strlen(lines[i]), &err);
            CHECK(r != NULL);
            if (slow)
                rdp_reader_no_fast(r);
            rd_reader_defer_trim(r, true);
            CHECK_INT_EQ(rd_reader_next(r, &got, &err), 1);
            rd_reader_close(r);
            CHECK(got.trim_pending);
            if (i < 2) /* furniture still there */
                CHECK(got.text_len > want.text_len);
            rd_doc_trim(&got);
            CHECK(!got.trim_pending);
            CHECK(got.text && want.text && strcmp(got.text, want.text) == 0);
            CHECK_INT_EQ((long)got.text_len, (long)want.text_len);
            CHECK(got.untitled == want.untitled);
            rd_doc_trim(&got); /* a second time: nothing */
            CHECK(strcmp(got.text, want.text) == 0);
            rd_doc_clear(&want);
            rd_doc_clear(&got);
        }
    /* a text file is trimmed by the reader, deferred or not (its title
     * comes from the trimmed text) */
    const char *t = "Pass it on\nthe main menu\n\nShells fell on the market of Askeran\n"
                    "The shells fell on Monday, the mayor said.\n";
    rd_doc d = {0};
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem("a.txt", t, strlen(t), &err);
    CHECK(r != NULL);
    rd_reader_defer_trim(r, true);
    CHECK_INT_EQ(rd_reader_next(r, &d, &err), 1);
    rd_reader_close(r);
    CHECK(!d.trim_pending && !contains(d.text, "Pass it on"));
    CHECK(d.title && strcmp(d.title, "Shells fell on the market of Askeran") == 0);
    rd_doc_clear(&d);
    rd_doc_trim(NULL);
    rd_reader_defer_trim(NULL, true);
}

int main(int argc, char **argv)
{
    snprintf(g_dir, sizeof g_dir, "%s", argc > 1 ? argv[1] : "tests/fixtures/docs");
    test_txt();
    test_normalize_same();
    test_txt_errors();
    test_json();
    test_json_errors();
    test_jsonl();
    test_html();
    test_html_main();
    test_warc_gzip();
    test_feed_big_item();
    test_control_names();
    test_sniff();
    test_boiler();
    test_outlets();
    test_boiler_head();
    test_defer_trim();
    CHECK_DONE();
}
