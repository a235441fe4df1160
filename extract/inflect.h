/* inflect.h -- a lexicon phrase written compactly, expanded into the forms
 * it stands for when the lexicon loads. Private to extract/. */
#ifndef EXT_INFLECT_H
#define EXT_INFLECT_H

/** Called once per form; a non-zero return stops the expansion and is
 *  returned by extp_inflect_expand. `phrase` is borrowed for the call. */
typedef int (*extp_inflect_emit)(void *ctx, const char *phrase);

/** Expand one lexicon phrase (docs/lexicons.md, "Writing forms"):
 *  - `{a|b|c}`: one of the alternatives (an alternative may be empty, and
 *    may hold several words); several groups multiply;
 *  - `word~cls`: the word's inflections by class: `v` an English regular
 *    verb (shell: shells, shelled, shelling), `vv` the same doubling the last
 *    consonant (repel: repelled, repelling), `s` a plural, `er` a French
 *    first-group verb in the third persons and the first plural
 *    (bombarder: bombarde, bombardent, bombardait, bombardé, bombardées,
 *    bombardant, bombardons...; no future or conditional: a forecast is
 *    not an incident), `ir` a French second-group verb (envahir),
 *    `e` an agreement (touché: touchée, touchés, touchées).
 *  A phrase with neither is emitted as it is. Returns 0, the first non-zero
 *  `emit` result, CX_EFORMAT for a malformed phrase (an unclosed or nested
 *  brace, an unknown class, an `er`/`ir` class on a word without that ending,
 *  more than 4096 forms) or CX_ENOMEM. */
int extp_inflect_expand(const char *phrase, extp_inflect_emit emit, void *ctx);

#endif
