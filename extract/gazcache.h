/* gazcache.h -- a caching ext_gazetteer in front of another one. News text
 * repeats its names: remembering probe masks and candidate lists by key makes
 * the gazetteer's cost per document almost nil after the first documents.
 * Bounded: when a table is full it is emptied and refilled (no eviction
 * bookkeeping on the hot path). */
#ifndef EXT_GAZCACHE_H
#define EXT_GAZCACHE_H

#include <stddef.h>

#include "extract.h"

typedef struct ext_gazcache ext_gazcache; /* opaque */

/** Wrap `inner` (which must outlive the cache). `max_entries` bounds each of
 *  the two tables (0 = a default of 65536). Returns NULL on allocation
 *  failure. Ownership: caller frees with ext_gazcache_free(). */
ext_gazcache *ext_gazcache_new(const ext_gazetteer *inner, size_t max_entries);

/** The cached gazetteer to hand to ext_extract(). Borrowed; valid until
 *  ext_gazcache_free(). */
const ext_gazetteer *ext_gazcache_gazetteer(const ext_gazcache *c);

/* What a cache passes straight to the inner gazetteer (ext_gazcache_bypass). */
enum { EXT_GAZCACHE_PROBES = 1, EXT_GAZCACHE_LOOKUPS = 2 };

/** Stop caching the calls in `what` (EXT_GAZCACHE_* bits): for an inner
 *  gazetteer that answers them faster than a cache (a memory-mapped index). */
void ext_gazcache_bypass(ext_gazcache *c, unsigned what);

/** Hits and misses so far (for -v). */
void ext_gazcache_stats(const ext_gazcache *c, size_t *hits, size_t *misses);

/** Free `c`; NULL is a no-op. */
void ext_gazcache_free(ext_gazcache *c);

#endif
