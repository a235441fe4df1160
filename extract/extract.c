/* extract.c -- placeholder: replaced by the real extractor. */
#include "extract.h"
#include <stdlib.h>

ext_lexicon *ext_lexicon_load(const char *data_dir, const char *conflict, cx_err *err)
{
    (void)data_dir;
    (void)conflict;
    cx_err_set(err, CX_EINVAL, NULL, 0, "extractor not built yet");
    return NULL;
}
void ext_lexicon_free(ext_lexicon *lex) { (void)lex; }
int ext_extract(const ext_lexicon *lex, const ext_gazetteer *gaz, const ext_doc *doc,
                const ext_options *opts, ext_result *out, cx_err *err)
{
    (void)lex; (void)gaz; (void)doc; (void)opts; (void)out; (void)err;
    return 0;
}
void ext_result_free(ext_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        ext_incident_clear(&res->items[i]);
    free(res->items);
    res->items = NULL;
    res->n = res->cap = 0;
}
