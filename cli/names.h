/* names.h -- --names en|fr|local for extract, export and map: the place
 * names a report prints, renamed at write time from the gazetteer and the
 * conflict file's two-sided names (gazetteer/gaz_names.c). Merging and the
 * store keep the gazetteer's canonical name; only what is written changes. */
#ifndef CLI_NAMES_H
#define CLI_NAMES_H

#include "cx_err.h"
#include "gazetteer.h"
#include "incident.h"

/* The option's help text, shared by the three commands. */
#define CLI_NAMES_HELP                                                                 \
    "Language of place_name: en (default), fr, or local (the\n"                         \
    "gazetteer's own name). Two-sided places (Stepanakert/Khankendi)\n"                 \
    "take the conflict file's form and carry the other in place_alt."

/** A namer for --names `value` ("en", "fr", "local") over `db`, with the
 *  two-sided names of `data_dir`/conflicts/`conflict`.json. Returns NULL
 *  and fills `err` when the file or the gazetteer cannot be read.
 *  Ownership: caller frees with gaz_namer_free(). */
gaz_namer *cli_names_open(gaz_db *db, int names, const char *data_dir, const char *conflict,
                          cx_err *err);

/** Set inc->place_name and inc->place_alt from `n` (NULL: nothing to do).
 *  A place the gazetteer does not know keeps its name. Returns 0 or CX_E*. */
int cli_names_apply(gaz_namer *n, ext_incident *inc, cx_err *err);

#endif
