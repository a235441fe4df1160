/* fuzz_extract.c -- libFuzzer target for the whole extractor: the input is
 * one .txt document run through ext_extract with the project's lexicons and
 * a tiny in-memory gazetteer (every capitalised word of a fixed list is a
 * place). Checks the incidents' invariants and frees everything. */
#include "cx_text.h"
#include "read.h"
#include "extract.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    double lat, lon;
    int kind;
} places[] = {
    {"Stepanakert", 39.8177, 46.7528, CX_KIND_SETTLEMENT},
    {"Goris", 39.5111, 46.3386, CX_KIND_SETTLEMENT},
    {"Kapan", 39.2076, 46.4058, CX_KIND_SETTLEMENT},
    {"Martuni", 39.7950, 47.1147, CX_KIND_SETTLEMENT},
    {"Syunik", 39.2, 46.2, CX_KIND_ADMIN1},
    {"Karabakh", 39.85, 46.7, CX_KIND_REGION},
    {"Erevan", 40.1811, 44.5136, CX_KIND_SETTLEMENT},
    {"Bakou", 40.4093, 49.8671, CX_KIND_SETTLEMENT},
};
#define N_PLACES (sizeof places / sizeof places[0])

static int fake_lookup(void *ctx, const char *name, size_t len, cx_place *out, size_t max,
                       size_t *n_out)
{
    (void)ctx;
    *n_out = 0;
    for (size_t i = 0; i < N_PLACES && *n_out < max; i++) {
        if (strlen(places[i].name) != len || strncasecmp(places[i].name, name, len) != 0)
            continue;
        cx_place *p = &out[(*n_out)++];
        memset(p, 0, sizeof *p);
        p->id = (long long)i + 1;
        snprintf(p->src_id, sizeof p->src_id, "fuzz:%zu", i);
        snprintf(p->name, sizeof p->name, "%s", places[i].name);
        snprintf(p->matched, sizeof p->matched, "%s", places[i].name);
        p->kind = places[i].kind;
        p->lat = places[i].lat;
        p->lon = places[i].lon;
        p->population = 1000;
        p->score = 1;
    }
    return 0;
}

static int fake_probe(void *ctx, const char *key, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < N_PLACES; i++)
        if (strlen(places[i].name) == len && strncasecmp(places[i].name, key, len) == 0)
            return 1;
    return 0;
}

/* The lexicon is loaded once per process: a harness-only static. */
static ext_lexicon *lexicon(void)
{
    static ext_lexicon *lex = NULL;
    static int tried = 0;
    if (!tried) {
        tried = 1;
        cx_err err;
        cx_err_clear(&err);
        lex = ext_lexicon_load(FUZZ_DATA_DIR, "armenia-azerbaijan", &err);
    }
    return lex;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ext_lexicon *lex = lexicon();
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open_mem("fuzz.txt", (const char *)data, size, &err);
    if (!r)
        return 0;
    rd_doc doc = {0};
    if (rd_reader_next(r, &doc, &err) == 1 && lex) {
        ext_gazetteer gaz = {.ctx = NULL, .lookup = fake_lookup, .probe = fake_probe};
        ext_options opts = {.lang = NULL, .date = "2020-09-27"};
        ext_result res = {0};
        cx_err_clear(&err);
        if (ext_extract(lex, &gaz, &doc, &opts, &res, &err) == 0) {
            for (size_t i = 0; i < res.n; i++) {
                const ext_incident *inc = &res.items[i];
                if (inc->type < 0 || inc->type >= EXT_NTYPES || inc->offset > doc.text_len ||
                    memchr(inc->date, '\0', sizeof inc->date) == NULL ||
                    (inc->evidence && !cx_utf8_valid(inc->evidence, strlen(inc->evidence), NULL)))
                    __builtin_trap();
            }
        }
        ext_result_free(&res);
    }
    rd_doc_clear(&doc);
    rd_reader_close(r);
    return 0;
}
