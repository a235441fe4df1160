/* pool.h -- what makes `incimap extract` fast: the gazetteer's read index
 * and the worker threads that extract documents in parallel while one
 * thread reads and one writes, in input order. */
#ifndef CLI_POOL_H
#define CLI_POOL_H

#include "gazetteer.h"
#include "msgs.h"

/** Make `db` answer from its read index (gaz_use_index), writing the index
 *  when missing: beside the gazetteer, else in $XDG_CACHE_HOME/incimap
 *  ($HOME/.cache/incimap). When it cannot, says so at -v and the run goes on
 *  with SQLite. */
void cli_gazetteer_index(gaz_db *db, cli_msgs *m);

#endif
