/* fuzz_text.c -- libFuzzer target for the sentence splitter and the date
 * parser: the input (when it is valid UTF-8) is tokenized with every
 * language of data/lexicon, split into sentences, and every sentence's date
 * expressions are resolved against a fixed publication date. Checks that
 * sentences tile the tokens in order and that every date found is a real
 * calendar date at its precision. */
#include "cx_text.h"
#include "dates.h"
#include "extract.h"
#include "lexicon.h"
#include "tokens.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_DATA_DIR
#define FUZZ_DATA_DIR "data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ext_lexicon *lex;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lex) {
        cx_err err;
        cx_err_clear(&err);
        if (!(lex = ext_lexicon_load(FUZZ_DATA_DIR, "armenia-azerbaijan", &err))) {
            fprintf(stderr, "fuzz_text: %s: %s\n", err.source, err.msg);
            abort();
        }
    }
    const char *s = (const char *)data;
    if (!cx_utf8_valid(s, size, NULL))
        return 0;
    ext_date pub = {2022, 9, 13, EXT_PREC_DAY};
    for (size_t li = 0; li < lex->n_langs; li++) {
        const extp_lang *L = &lex->langs[li];
        extp_text t;
        if (extp_text_build(&t, s, size, L) != 0) {
            extp_text_free(&t);
            continue;
        }
        size_t expect = 0;
        for (size_t k = 0; k < t.n_sent; k++) {
            if (t.sent[k].first != expect || t.sent[k].end <= t.sent[k].first || t.sent[k].end > t.n)
                abort();
            expect = t.sent[k].end;
        }
        if (t.n && expect != t.n)
            abort();
        extp_match *mf = calloc(t.n * 12 + 1, sizeof *mf);
        const extp_match **mt = calloc(t.n + 1, sizeof *mt);
        size_t *nm = calloc(t.n + 1, sizeof *nm);
        if (mf && mt && nm) {
            for (size_t i = 0; i < t.n; i++) {
                mt[i] = mf + i * 12;
                nm[i] = extp_dict_match(L->dict, t.words, t.lens, t.n, i, mf + i * 12, 12);
            }
            for (size_t k = 0; k < t.n_sent; k++) {
                extp_datex dx[16];
                size_t n = extp_dates_find(&t, t.sent[k].first, t.sent[k].end, &pub, mt, nm, dx, 16);
                for (size_t d = 0; d < n; d++) {
                    const ext_date *x = &dx[d].date;
                    if (dx[d].tok < t.sent[k].first || dx[d].tok + dx[d].len > t.sent[k].end)
                        abort();
                    if (x->prec <= EXT_PREC_WEEK && !ext_date_valid(x->y, x->m, x->d))
                        abort();
                    if (x->prec == EXT_PREC_MONTH && (x->m < 1 || x->m > 12))
                        abort();
                    char out[11];
                    ext_date_format(x, out);
                }
            }
        }
        free(mf);
        free(mt);
        free(nm);
        extp_text_free(&t);
    }
    return 0;
}
