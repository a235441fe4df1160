/* incident.c -- the incident record. See incident.h. */
#include "incident.h"
#include "cx_err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ext_incident_init(ext_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->date_prec = EXT_PREC_UNKNOWN;
    inc->fatalities = inc->fatalities_max = inc->injured = inc->injured_max = -1;
    inc->border_km = NAN;
    inc->n_sources = 1;
}

void ext_incident_clear(ext_incident *inc)
{
    if (!inc)
        return;
    for (size_t i = 0; i < inc->n_doc_ids; i++)
        free(inc->doc_ids[i]);
    free(inc->doc_ids);
    free(inc->evidence);
    ext_incident_init(inc);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int ext_incident_add_doc(ext_incident *inc, const char *doc_id)
{
    for (size_t i = 0; i < inc->n_doc_ids; i++)
        if (strcmp(inc->doc_ids[i], doc_id) == 0)
            return 0;
    char **ids = realloc(inc->doc_ids, (inc->n_doc_ids + 1) * sizeof *ids);
    if (!ids)
        return CX_ENOMEM;
    inc->doc_ids = ids;
    if (!(ids[inc->n_doc_ids] = dup_str(doc_id)))
        return CX_ENOMEM;
    inc->n_doc_ids++;
    return 0;
}

int ext_incident_copy(ext_incident *dst, const ext_incident *src)
{
    ext_incident_clear(dst);
    *dst = *src;
    dst->doc_ids = NULL;
    dst->n_doc_ids = 0;
    dst->evidence = NULL;
    if (src->evidence && !(dst->evidence = dup_str(src->evidence)))
        return CX_ENOMEM;
    /* the ids as they are (ext_incident_add_doc would search the list for
     * each: quadratic for an incident of thousands of sources) */
    if (src->n_doc_ids) {
        if (!(dst->doc_ids = calloc(src->n_doc_ids, sizeof *dst->doc_ids)))
            return CX_ENOMEM;
        for (; dst->n_doc_ids < src->n_doc_ids; dst->n_doc_ids++)
            if (!(dst->doc_ids[dst->n_doc_ids] = dup_str(src->doc_ids[dst->n_doc_ids])))
                return CX_ENOMEM;
    }
    return 0;
}

const char *ext_type_name(int type)
{
    static const char *const names[] = {"shelling", "clash", "evacuation"};
    return type >= 0 && type < EXT_NTYPES ? names[type] : "unknown";
}

const char *ext_type_layer(int type)
{
    static const char *const names[] = {"shelling", "clashes", "evacuations"};
    return type >= 0 && type < EXT_NTYPES ? names[type] : "unknown";
}

const char *ext_prec_name(int prec)
{
    static const char *const names[] = {"day", "week", "month", "year", "unknown"};
    return prec >= 0 && prec <= EXT_PREC_UNKNOWN ? names[prec] : "unknown";
}

const char *ext_review_name(int review)
{
    static const char *const names[] = {"unreviewed", "accepted", "edited", "rejected"};
    return review >= 0 && review < 4 ? names[review] : "unreviewed";
}
