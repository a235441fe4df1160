/* geo_admin.h -- one name per administrative unit (issue 18): the admin1 and
 * admin2 of a pin come from several sources (GeoNames, country-state-city,
 * the regional supplement, polygons) in several spellings and languages
 * (Lachin / Laçın, Tartar / Tǝrtǝr). A table of units
 * (data/regional/admin-units.csv: see its header) gives each unit one name
 * per --names language; geo_admin_apply rewrites a pin's admin1/admin2 to
 * it. Spellings meet by transliteration key (cx_translit_key). */
#ifndef GEO_ADMIN_H
#define GEO_ADMIN_H

#include <stddef.h>

#include "cx_err.h"

typedef struct geo_admin geo_admin; /* opaque */

enum { GEO_ADMIN_EN = 0, GEO_ADMIN_FR = 1, GEO_ADMIN_LOCAL = 2 };

/** Load the table at `path` (CSV: country,level,en,fr,local,variants,
 *  parent,place; '#' lines are comments). Returns NULL and fills `err`
 *  (naming the file, and the line of a malformed row).
 *  Ownership: caller frees with geo_admin_free(). */
geo_admin *geo_admin_load(const char *path, cx_err *err);

/** Free `a`; NULL is a no-op. */
void geo_admin_free(geo_admin *a);

/** Number of units in `a`. */
size_t geo_admin_count(const geo_admin *a);

/** Rewrite a pin's `admin1` (and `admin2`) to the table's names in `lang`
 *  (GEO_ADMIN_*): a known spelling of a first-level unit becomes its name; a
 *  second-level unit given as admin1 moves to admin2 under its parent; an
 *  empty admin1 of a pin whose place is listed under `place` (a region such
 *  as Nagorno-Karabakh) takes that unit. Units the table lacks are left as
 *  they are. `country` (ISO alpha-2, may be "") restricts the match.
 *  Returns 1 when something changed, 0 otherwise. */
int geo_admin_apply(const geo_admin *a, int lang, const char *country, const char *place_id,
                    char *admin1, size_t size1, char *admin2, size_t size2);

#endif
