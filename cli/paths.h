/* paths.h -- where incimap finds its data, gazetteer and vendor packages.
 *
 * An installed binary reads what was installed with it, never the tree it
 * was built in; a binary run from its build tree reads that tree's data/.
 * Resolution order (README "Files and environment"):
 *   home:      $INCIMAP_HOME > <prefix>/share/incimap, where <prefix> is the
 *              binary's own (<prefix>/bin/incimap), when that folder exists
 *              > the compiled INCIMAP_HOME (${CMAKE_INSTALL_PREFIX}/share/incimap)
 *   gazetteer: --gazetteer FILE > $INCIMAP_GAZETTEER > <home>/gazetteer.sqlite
 *   data dir:  $INCIMAP_DATA > the source tree's data/ when the binary runs
 *              from its build tree > <home>/data
 *   vendor:    $INCIMAP_VENDOR > <home>/vendor */
#ifndef CLI_PATHS_H
#define CLI_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/** The gazetteer to open: `opt` (from --gazetteer) when non-NULL, else the
 *  order above. Writes into `buf`; returns buf. */
const char *cli_path_gazetteer(const char *opt, char *buf, size_t size);

/** The data directory (lexicon/, conflicts/, regional/, styles/). */
const char *cli_path_data(char *buf, size_t size);

/** The vendor directory (cities500.txt, state.json, countries-10m.json). */
const char *cli_path_vendor(char *buf, size_t size);

/** The review page's files (index.html, app.js, style.css): $INCIMAP_WWW >
 *  <source tree>/serve/www (a build-tree binary) > $INCIMAP_HOME/www. */
const char *cli_path_www(char *buf, size_t size);

/** The incimap home (where setup installs the default gazetteer). */
const char *cli_path_home(char *buf, size_t size);

/** True when this process's binary is the one the build wrote at the top
 *  of its build tree (then the source tree's data/ is used). */
bool cli_path_in_build_tree(void);

/** The names (without ".json") of the *.json files of `dir`, sorted and
 *  comma-separated, into `buf` ("" when none or unreadable). Returns buf. */
const char *cli_path_list_json(const char *dir, char *buf, size_t size);

#endif
