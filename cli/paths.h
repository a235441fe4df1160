/* paths.h -- where incimap finds its data, gazetteer and vendor packages.
 *
 * Resolution order (documented in README "Files and environment"):
 *   gazetteer: --gazetteer FILE > $INCIMAP_GAZETTEER > $INCIMAP_HOME/gazetteer.sqlite
 *              > <compiled INCIMAP_HOME>/gazetteer.sqlite
 *   data dir:  $INCIMAP_DATA > <source tree>/data when it exists (build-tree runs)
 *              > $INCIMAP_HOME/data > <compiled INCIMAP_HOME>/data
 *   vendor:    $INCIMAP_VENDOR > $INCIMAP_HOME/vendor > <compiled INCIMAP_HOME>/vendor
 * The compiled INCIMAP_HOME is ${prefix}/share/incimap (/usr/local/share/incimap). */
#ifndef CLI_PATHS_H
#define CLI_PATHS_H

#include <stddef.h>

/** The gazetteer to open: `opt` (from --gazetteer) when non-NULL, else the
 *  order above. Writes into `buf`; returns buf. */
const char *cli_path_gazetteer(const char *opt, char *buf, size_t size);

/** The data directory (lexicon/, conflicts/, regional/, styles/). */
const char *cli_path_data(char *buf, size_t size);

/** The vendor directory (cities500.txt, state.json, countries-10m.json). */
const char *cli_path_vendor(char *buf, size_t size);

/** The incimap home (where setup installs the default gazetteer). */
const char *cli_path_home(char *buf, size_t size);

#endif
