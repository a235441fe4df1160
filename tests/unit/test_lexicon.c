/* test_lexicon.c -- the lexicon's loader (issue 20, start-up): the JSON reader
 * (extract/lexicon_json.c: yajl, Jansson for anything unusual) gives the
 * tree and the errors Jansson gives, on documents written here and on the
 * shipped data files; the phrase dictionary finds, in phrase order, the
 * phrases filed by their first word, by their first two words (the bigram
 * table) and by a prefix. Usage: test_lexicon DATA_DIR */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_err.h"
#include "extract.h"
#include "lexicon.h"
#include "lexicon_json.h"
#include "tokens.h"

/* Whether two trees are the same: types, keys, values, order. */
static bool same_tree(const extp_json *a, const extp_json *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const extp_jnode *x = &a->node[i], *y = &b->node[i];
        if (x->type != y->type || x->end != y->end || x->v.s.len != y->v.s.len)
            return false;
        const char *kx = extp_json_key(a, (int)i), *ky = extp_json_key(b, (int)i);
        if ((kx == NULL) != (ky == NULL) || (kx && strcmp(kx, ky) != 0))
            return false;
        if (x->type == EXTP_J_STRING &&
            memcmp(extp_json_str(a, (int)i, NULL), extp_json_str(b, (int)i, NULL), x->v.s.len) != 0)
            return false;
        if (x->type == EXTP_J_INTEGER && x->v.integer != y->v.integer)
            return false;
        if (x->type == EXTP_J_REAL && x->v.real != y->v.real)
            return false;
    }
    return true;
}

/* Both paths on `s`: same tree or same error. Returns whether the fast path
 * took it. */
static bool both(const char *s)
{
    extp_json f = {0}, j = {0};
    cx_err ef = {0}, ej = {0};
    int rf = extp_json_parse(s, strlen(s), "doc", true, &f, &ef);
    int rj = extp_json_parse(s, strlen(s), "doc", false, &j, &ej);
    CHECK_INT_EQ(rf, rj);
    bool fast = rf == 0 && f.fast;
    if (rf == 0 && rj == 0) {
        CHECK(!j.fast);
        CHECK(same_tree(&f, &j));
    } else {
        CHECK_STR_EQ(ef.msg, ej.msg);
        CHECK_INT_EQ(ef.line, ej.line);
    }
    if (rf == 0)
        extp_json_free(&f);
    if (rj == 0)
        extp_json_free(&j);
    return fast;
}

static void test_json(const char *data)
{
    extp_json j = {0};
    cx_err err = {0};
    const char *doc = "{\"a\": [\"x\", \"caf\xc3\xa9\", \"q\\\"\\n\\/\"], \"n\": -12, \"r\": 2.5,"
                      " \"o\": {\"k\": true, \"z\": null, \"f\": false}, \"e\": [], \"m\": {}}";
    CHECK_INT_EQ(extp_json_parse(doc, strlen(doc), "doc", true, &j, &err), 0);
    CHECK(j.fast);
    int a = extp_json_get(&j, 0, "a");
    CHECK_INT_EQ(extp_json_array_size(&j, a), 3);
    int e = extp_json_first(&j, a);
    CHECK_STR_EQ(extp_json_str(&j, e, NULL), "x");
    e = extp_json_next(&j, a, e);
    CHECK_STR_EQ(extp_json_str(&j, e, NULL), "caf\xc3\xa9");
    e = extp_json_next(&j, a, e);
    CHECK_STR_EQ(extp_json_str(&j, e, NULL), "q\"\n/");
    CHECK_INT_EQ(extp_json_next(&j, a, e), -1);
    CHECK_INT_EQ(extp_json_integer(&j, extp_json_get(&j, 0, "n")), -12);
    CHECK(extp_json_is(&j, extp_json_get(&j, 0, "r"), EXTP_J_REAL));
    CHECK(extp_json_number(&j, extp_json_get(&j, 0, "r")) == 2.5);
    CHECK(extp_json_number(&j, extp_json_get(&j, 0, "n")) == -12.0);
    int o = extp_json_get(&j, 0, "o");
    CHECK(extp_json_is(&j, extp_json_get(&j, o, "k"), EXTP_J_TRUE));
    CHECK(extp_json_is(&j, extp_json_get(&j, o, "z"), EXTP_J_NULL));
    CHECK_INT_EQ(extp_json_get(&j, o, "missing"), -1);
    CHECK_INT_EQ(extp_json_get(&j, a, "x"), -1);  /* not an object */
    CHECK_INT_EQ(extp_json_get(&j, -1, "x"), -1); /* nothing */
    CHECK_INT_EQ(extp_json_first(&j, extp_json_get(&j, 0, "e")), -1);
    CHECK_INT_EQ(extp_json_first(&j, extp_json_get(&j, 0, "m")), -1);
    CHECK_INT_EQ(extp_json_array_size(&j, o), 0); /* an object has no array size */
    /* members in document order, with their keys */
    const char *keys[] = {"a", "n", "r", "o", "e", "m"};
    size_t k = 0;
    extp_json_foreach(&j, 0, m) {
        CHECK(k < 6 && strcmp(extp_json_key(&j, m), keys[k]) == 0);
        k++;
    }
    CHECK_INT_EQ(k, 6);
    extp_json_free(&j);

    /* the same trees and errors by both paths */
    CHECK(both(doc));
    CHECK(both("{\"k\": \"tab\\there\", \"x\": [[[1, [2]], {}], 1e3, -0, 0.5e-2]}"));
    /* left to Jansson, which decides: escapes yajl would decode otherwise,
     * bytes that are not strict UTF-8, duplicates, errors */
    CHECK(!both("{\"a\": \"caf\\u00e9\"}"));
    CHECK(!both("{\"a\": \"\\u0000\"}"));          /* NUL: refused */
    CHECK(!both("{\"a\": \"\\udc00\"}"));          /* lone surrogate: refused */
    CHECK(!both("{\"a\": \"\xc0\x80\"}"));          /* overlong */
    CHECK(!both("{\"a\": \"\xed\xa0\x80\"}"));      /* a surrogate in UTF-8 */
    CHECK(!both("{\"a\": \"\xf4\x90\x80\x80\"}"));  /* past U+10FFFF */
    CHECK(!both("{\"a\": 1, \"b\": 2, \"a\": 3}")); /* duplicate */
    CHECK(!both("{\"a\": 99999999999999999999}"));
    CHECK(!both("{\"a\": 1e999}"));
    CHECK(!both("{\"a\": [1, 2,]}"));
    CHECK(!both("{\"a\": 01}"));
    CHECK(!both("{\"a\": 1} x"));
    CHECK(!both("{\"a\": 1} {}"));
    CHECK(!both("[1, 2]"));
    CHECK(!both("\"s\""));
    CHECK(!both(""));
    CHECK(!both("{\"a\": \"x\ny\"}"));   /* a raw control character */
    CHECK(!both("{\"a\": /* c */ 1}"));
    CHECK(!both("{\"a\": NaN}"));
    /* "\\u" is a backslash and a u, no escape: the fast path keeps it */
    CHECK(both("{\"a\": \"x\\\\u\"}"));
    /* a duplicate key: the last value, at the first one's place (Jansson) */
    const char *dup = "{\"a\": 1, \"b\": 2, \"a\": 3}";
    CHECK_INT_EQ(extp_json_parse(dup, strlen(dup), "dup", true, &j, &err), 0);
    CHECK(!j.fast);
    CHECK_INT_EQ(extp_json_integer(&j, extp_json_get(&j, 0, "a")), 3);
    CHECK_STR_EQ(extp_json_key(&j, extp_json_first(&j, 0)), "a");
    extp_json_free(&j);
    /* an error names the document and says where */
    CHECK(extp_json_parse("{\"a\": [1,]}", 11, "x.json", true, &j, &err) != 0);
    CHECK_STR_EQ(err.source, "x.json");
    CHECK_INT_EQ(err.line, 1);
    CHECK(strstr(err.msg, "column") != NULL);
    cx_err_clear(&err);
    CHECK(extp_json_parse("[1]", 3, "x.json", true, &j, &err) != 0);
    CHECK_STR_EQ(err.msg, "expected a JSON object");
    /* deep nesting goes to Jansson, which refuses past its limit */
    size_t depth = 3000;
    char *deep = malloc(2 * depth + 8);
    if (deep) {
        strcpy(deep, "{\"a\":");
        size_t w = 5;
        for (size_t i = 0; i < depth; i++)
            deep[w++] = '[';
        for (size_t i = 0; i < depth; i++)
            deep[w++] = ']';
        deep[w++] = '}';
        deep[w] = '\0';
        CHECK(!both(deep));
        free(deep);
    }

    /* the shipped data files: the fast path takes them, and gives the tree
     * Jansson gives */
    const char *files[] = {"lexicon/en.json", "lexicon/fr.json", "model/pairs.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", data, files[i]);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        char *buf = NULL;
        size_t len = 0, cap = 0, got;
        char chunk[8192];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (len + got + 1 > cap) {
                cap = (len + got + 1) * 2;
                char *p = realloc(buf, cap);
                if (!p)
                    break;
                buf = p;
            }
            memcpy(buf + len, chunk, got);
            len += got;
        }
        fclose(f);
        if (!buf)
            continue;
        buf[len] = '\0';
        extp_json fa = {0}, ja = {0};
        CHECK_INT_EQ(extp_json_parse(buf, len, path, true, &fa, &err), 0);
        CHECK(fa.fast);
        CHECK_INT_EQ(extp_json_parse(buf, len, path, false, &ja, &err), 0);
        CHECK(same_tree(&fa, &ja));
        extp_json_free(&fa);
        extp_json_free(&ja);
        /* and through the file loader */
        CHECK_INT_EQ(extp_json_load(path, &fa, &err), 0);
        CHECK(fa.fast);
        extp_json_free(&fa);
        free(buf);
    }
    cx_err_clear(&err);
    CHECK(extp_json_load("/nonexistent/x.json", &j, &err) != 0);
    CHECK(strstr(err.msg, "unable to open") != NULL);
}

static void write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(s, f);
        fclose(f);
    }
}

/* The matches at token `i` of `text`: "cat/len" each, space-separated. */
static void matches(const extp_lang *L, const char *text, size_t i, size_t max, char *out,
                    size_t size)
{
    extp_text t;
    out[0] = '\0';
    if (extp_text_build(&t, text, strlen(text), L) != 0)
        return;
    extp_match m[16];
    size_t n = i < t.n ? extp_dict_match(L->dict, t.words, t.lens, t.n, i, m, max) : 0;
    size_t w = 0;
    for (size_t k = 0; k < n && w + 16 < size; k++)
        w += (size_t)snprintf(out + w, size - w, "%s%d/%d", k ? " " : "", m[k].cat, m[k].len);
    extp_text_free(&t);
}

/* A lexicon written here: phrases that share first words, so that one
 * token finds phrases of every list (whole first word, first two words,
 * prefix), in phrase order. */
static void test_dict(const char *data)
{
    char dir[] = "/tmp/test_lexicon_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[4096], model[4096];
    snprintf(path, sizeof path, "%s/conflicts", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/lexicon", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/conflicts/test.json", dir);
    write_file(path, "{\"id\": \"test\", \"actors\": [{\"id\": \"a\", \"label\": \"A\", \"side\": \"x\","
                     " \"patterns\": [\"army of the north\"]}], \"not_places\": [\"Northwood\"]}");
    snprintf(path, sizeof path, "%s/lexicon/en.json", dir);
    /* phrase order: function_words 0-1, shelling strong 2-4, weak 5-6,
     * then the months, then the conflict's actors */
    write_file(path, "{\"lang\": \"en\","
                     " \"function_words\": [\"of the\", \"of\"],"
                     " \"triggers\": {\"shelling\": {"
                     "   \"strong\": [\"bombard*\", \"bombardment of the town\", \"of the town\"],"
                     "   \"weak\": [\"bombardment\", \"of town*\", \"x*\"]}},"
                     " \"dates\": {\"months\": {\"March\": 3, \"mar.\": 3, \"bad\": 1.0}}}");
    snprintf(model, sizeof model, "%s/model/pairs.json", data);
    cx_err err = {0};
    ext_lexicon *lex = ext_lexicon_open(dir, "test", model, &err);
    CHECK(lex != NULL);
    if (!lex) {
        fprintf(stderr, "%s: %s\n", err.source, err.msg);
        return;
    }
    const extp_lang *L = extp_lang_find(lex, "en");
    CHECK(L != NULL);
    char got[256];
    const int F = LX_FUNCTION, S = LX_SHELL_STRONG, W = LX_SHELL_WEAK, A = LX_ACTOR;
    char want[256];
    /* "bombardment": bombard* (prefix), "bombardment of the town" (bigram),
     * "bombardment" (whole) */
    matches(L, "Bombardment of the town", 0, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/1 %d/4 %d/1", S, S, W);
    CHECK_STR_EQ(got, want);
    /* the first `max` in phrase order */
    matches(L, "Bombardment of the town", 0, 2, got, sizeof got);
    snprintf(want, sizeof want, "%d/1 %d/4", S, S);
    CHECK_STR_EQ(got, want);
    /* "of": "of the", "of", "of the town" */
    matches(L, "Bombardment of the town", 1, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/2 %d/1 %d/3", F, F, S);
    CHECK_STR_EQ(got, want);
    /* a prefix second word stays with the first word's list */
    matches(L, "of townships", 0, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/1 %d/2", F, W);
    CHECK_STR_EQ(got, want);
    /* no next word, or punctuation next: only the one-word phrases */
    matches(L, "of", 0, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/1", F);
    CHECK_STR_EQ(got, want);
    matches(L, "of, the town", 0, 16, got, sizeof got);
    CHECK_STR_EQ(got, want);
    /* the phrase runs past the text: no match */
    matches(L, "bombardment of the", 0, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/1 %d/1", S, W);
    CHECK_STR_EQ(got, want);
    /* a prefix shorter than 4 bytes is ignored; the conflict's phrases */
    matches(L, "xylophone", 0, 16, got, sizeof got);
    CHECK_STR_EQ(got, "");
    matches(L, "the army of the north", 1, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/4", A);
    CHECK_STR_EQ(got, want);
    /* month names by value; a real number is not one */
    matches(L, "MARCH", 0, 16, got, sizeof got);
    snprintf(want, sizeof want, "%d/1", LX_MONTH);
    CHECK_STR_EQ(got, want);
    matches(L, "mar.", 0, 16, got, sizeof got);
    CHECK_STR_EQ(got, want);
    matches(L, "bad", 0, 16, got, sizeof got);
    CHECK_STR_EQ(got, "");
    ext_lexicon_free(lex);

    /* a lexicon that is not JSON: the file and the reason */
    write_file(path, "{\"lang\": \"en\", \"function_words\": [\"of\",]}");
    cx_err_clear(&err);
    lex = ext_lexicon_open(dir, "test", model, &err);
    CHECK(lex == NULL);
    CHECK_STR_EQ(err.source, path);
    CHECK(strstr(err.msg, "column") != NULL);
    ext_lexicon_free(lex);
    unlink(path);
    snprintf(path, sizeof path, "%s/conflicts/test.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/conflicts", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/lexicon", dir);
    rmdir(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_lexicon DATA_DIR\n");
        return 2;
    }
    test_json(argv[1]);
    test_dict(argv[1]);
    CHECK_DONE();
}
