/* mentions.h -- toponym mentions and their cues. Private to extract/. */
#ifndef EXT_MENTIONS_H
#define EXT_MENTIONS_H

#include <stddef.h>

#include "state.h"

/** Append to s->men the toponyms of sentence `si` (gazetteer candidates in
 *  each). Returns 0 or CX_ENOMEM. */
int extp_spot_sentence(doc_state *s, size_t si);

/** Set the cues of mention `mi` (status, near, kind cues, list, speaker...). */
void extp_compute_cues(doc_state *s, size_t mi);

#endif
