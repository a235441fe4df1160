/* mentions.h -- toponym mentions and their cues. Private to extract/. */
#ifndef EXT_MENTIONS_H
#define EXT_MENTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/** Append to s->men the toponyms of sentence `si` (gazetteer candidates in
 *  each). Returns 0 or CX_ENOMEM. */
int extp_spot_sentence(doc_state *s, size_t si);

/** Set the cues of mention `mi` (status, near, kind cues, list, speaker...). */
void extp_compute_cues(doc_state *s, size_t mi);

/** Does the document also write mention `m`'s single word in lower case
 *  ("Chaque" opening a sentence, "chaque" elsewhere)? Then, at the start of
 *  a sentence, it is a word capitalised by position, not a name. The first
 *  call indexes the document's lower-case words (by hash; a collision, at
 *  one in 2^64, would take a name for a word). */
bool extp_common_word(doc_state *s, const extp_mention *m);

/** Is mention `m` a dateline: it opens a paragraph, and after a comma or a
 *  parenthesis only names, agencies and dates come before a dash ("KAPAN,
 *  Arménie (AP) —", "Erevan, 14 oct. (AFP) -")? It says where the reporter
 *  files from (GUIDE.md): never an incident place. */
bool extp_is_dateline(const doc_state *s, const extp_mention *m);

#endif
