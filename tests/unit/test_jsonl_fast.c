/* test_jsonl_fast.c -- the one-pass reader of flat JSON Lines objects
 * (read/jsonl_fast.c): what it takes and what it leaves to Jansson, the
 * values it decodes, and (through fuzz/fuzz_jsonl.c, which traps on any
 * difference) that a file read with it and read through Jansson alone gives
 * the same documents and the same errors. */
#include "check.h"

#include <stdint.h>
#include <string.h>

#include "cx_text.h"
#include "jsonl_fast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool parses(rdp_flat *f, const char *s)
{
    return rdp_flat_parse(f, s, strlen(s));
}

int main(void)
{
    rdp_flat f = {0};
    /* flat objects: taken, values decoded */
    CHECK(parses(&f, " {\"id\": \"x-1\", \"text\": \"caf\\u00e9 \\\"q\\\" a\\/b\\n\", \"n\": -12,"
                     " \"ok\": true, \"no\": false, \"z\": null} "));
    CHECK_INT_EQ((long)f.n, 6);
    const rdp_flat_member *m = rdp_flat_get(&f, "text");
    CHECK(m && m->type == RDP_FLAT_STRING);
    if (m)
        CHECK_STR_EQ(rdp_flat_str(&f, m->val), "caf\xc3\xa9 \"q\" a/b\n");
    m = rdp_flat_get(&f, "n");
    CHECK(m && m->type == RDP_FLAT_INTEGER && m->integer == -12);
    CHECK(rdp_flat_get(&f, "ok") && rdp_flat_get(&f, "ok")->type == RDP_FLAT_OTHER);
    CHECK(rdp_flat_get(&f, "missing") == NULL);
    CHECK(parses(&f, "{}"));
    CHECK(parses(&f, "{\"t\": \"\\ud83d\\ude00\"}"));
    m = rdp_flat_get(&f, "t");
    CHECK(m && m->val_len == 4 && memcmp(rdp_flat_str(&f, m->val), "\xf0\x9f\x98\x80", 4) == 0);
    CHECK(parses(&f, "{\"t\": \"\xc3\xa9t\xc3\xa9\"}"));
    /* unusual: left to Jansson */
    static const char *const refused[] = {
        "{\"a\": {\"b\": 1}}",          /* nested */
        "{\"a\": [1]}",                 /* array */
        "{\"a\": 1.5}",                 /* real */
        "{\"a\": 1e3}",                 /* real */
        "{\"a\": 012}",                 /* leading zero */
        "{\"a\": 99999999999999999999}", /* too big */
        "{\"a\": \"x\", \"a\": \"y\"}",  /* duplicate */
        "{\"a\": \"\\u0000\"}",         /* NUL */
        "{\"a\": \"\\udc00\"}",         /* lone surrogate */
        "{\"a\": \"\\ud800x\"}",        /* high surrogate alone */
        "{\"a\": \"\x01\"}",            /* control character */
        "{\"a\": \"\xe9t\xe9\"}",       /* not UTF-8 */
        "{\"a\": \"x\"} x",             /* trailing bytes */
        "{\"a\": \"x\",}",              /* trailing comma */
        "{\"a\" \"x\"}",                /* no colon */
        "{\"a\": \"x\"",                /* cut */
        "[1, 2]",                       /* not an object */
        "{\"a\": tru}",                 /* bad literal */
        "{\"a\": \"\\x\"}",             /* bad escape */
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        CHECK(!parses(&f, refused[i]));
    /* a long string read eight bytes at a time: a quote, a backslash, a
     * control, a byte that is no UTF-8 at every position of the words */
    for (size_t at = 0; at < 40; at++) {
        char line[128], want[64];
        for (int kind = 0; kind < 5; kind++) {
            size_t o = (size_t)snprintf(line, sizeof line, "{\"t\": \"");
            size_t w = 0;
            for (size_t k = 0; k < 40; k++) {
                if (k != at) {
                    line[o++] = (char)('a' + k % 26);
                    want[w++] = (char)('a' + k % 26);
                    continue;
                }
                switch (kind) {
                case 0: line[o++] = '\\', line[o++] = '"', want[w++] = '"'; break;
                case 1: line[o++] = '\\', line[o++] = '\\', want[w++] = '\\'; break;
                case 2: line[o++] = '\\', line[o++] = 'n', want[w++] = '\n'; break;
                case 3: line[o++] = (char)(k % 2 ? 0x1f : 0x09); break; /* refused */
                default: line[o++] = (char)0xff; break;                /* refused */
                }
            }
            snprintf(line + o, sizeof line - o, "\"}");
            bool ok = parses(&f, line);
            CHECK(ok == (kind < 3));
            m = ok ? rdp_flat_get(&f, "t") : NULL;
            CHECK(!ok || (m && m->val_len == w && memcmp(rdp_flat_str(&f, m->val), want, w) == 0));
        }
    }
    /* what the escapes give is UTF-8 without NUL (document.c relies on it):
     * noncharacters, the last code point */
    CHECK(parses(&f, "{\"t\": \"\\uffff \\ufdd0 \\udbff\\udfff \\u0001\"}"));
    m = rdp_flat_get(&f, "t");
    CHECK(m && cx_utf8_valid(rdp_flat_str(&f, m->val), m->val_len, NULL));
    rdp_flat_free(&f);

    /* both paths give the same documents and errors (traps otherwise) */
    static const char *const files[] = {
        "{\"id\": \"a\", \"text\": \"Goris a \\u00e9t\\u00e9 bombard\\u00e9e.\", \"title\": \"T\","
        " \"published\": \"2022-09-14T10:00:00Z\", \"lang\": \"fr-FR\", \"url\": \"u\"}\n"
        "{\"id\": 7, \"maintext\": \"Shelling in Martuni.\", \"language\": \"en\"}\n"
        "{\"id\": \"\", \"body\": \"b\", \"date\": \"2021-01-02\", \"source_domain\": \"d\"}\n"
        "{\"text\": 5, \"content\": \"c\"}\n",
        "{\"text\": \"\"}\n{\"text\": \"  \"}\n{\"title\": \"x\"}\n{}\n[1]\n\"s\"\n",
        "{\"text\": \"a\", \"meta\": {\"k\": [1, 2]}}\n{\"text\": \"r\", \"x\": 2.5}\n",
        "{\"text\": \"dup\", \"text\": \"dup\"}\n{\"text\": \"nul\\u0000\"}\n",
        "{\"text\": \"\xe9t\xe9 windows-1252\"}\n{\"text\": \"ok\"}\r\n\n{\"text\": \"cut",
        "\xef\xbb\xbf{\"text\": \"bom\"}\n{\"text\": \"line\\r\\nbreaks\\r\"}\n",
        "{\"text\": \"non\\uffffchar \\udbff\\udfff \\u0001 \\u007f end\"}\n",
        /* outlets: each field in its order, blanks and URLs passed over, the
         * object form (read by Jansson only) */
        "{\"text\": \"a\", \"outlet\": \" Le Courrier \", \"source\": \"S\"}\n"
        "{\"text\": \"b\", \"site_name\": \"\", \"publisher\": \"P\", \"source\": \"S\"}\n"
        "{\"text\": \"c\", \"source\": \"https://x.example/a\"}\n"
        "{\"text\": \"d\", \"source\": \"Wire\\u0007Service\"}\n"
        "{\"text\": \"e\", \"publisher\": {\"name\": \"Reuters\"}, \"source\": \"S\"}\n"
        "{\"text\": \"f\", \"outlet\": 5, \"source\": {\"id\": null, \"name\": \"N\"}}\n"
        "{\"text\": \"g\", \"outlet\": \"0123456789012345678901234567890123456789012345678901234567"
        "8901234567890123456789012345678901234567890123456789012345678901234567890123456789012345"
        "6789012345678901234567890123456789012345678901234567890123456789012345678901234567890123"
        "45678901234567890123456789\", \"source\": \"S\"}\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        CHECK_INT_EQ(LLVMFuzzerTestOneInput((const uint8_t *)files[i], strlen(files[i])), 0);
    CHECK_DONE();
}
