/* triggers.h -- incident triggers of a sentence. Private to extract/. */
#ifndef EXT_TRIGGERS_H
#define EXT_TRIGGERS_H

#include <stddef.h>

#include "state.h"

/** The first mention starting at or after token `tok` (mentions are in text
 *  order); s->n_men when none. */
size_t extp_mention_at_or_after(const doc_state *s, size_t tok);

/** The triggers of sentence `si`, in text order, at most `max` into `out`;
 *  returns the count. Each has its type, its lexicon category, whether it is
 *  unsupported and its modality (EXTP_MOD_*); `dead` is either. */
size_t extp_find_triggers(doc_state *s, size_t si, trigger *out, size_t max);

#endif
