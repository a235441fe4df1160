/* serve_p.h -- what the files of serve/ share (not public). */
#ifndef SRV_SERVE_P_H
#define SRV_SERVE_P_H

#include <jansson.h>

#include "cx_err.h"
#include "incident.h"
#include "store_review.h"

/** The JSON object of one incident as the page reads it (`info` may be
 *  NULL: no review details). Returns a new reference, or NULL on out of
 *  memory. */
json_t *srvp_incident_json(const ext_incident *inc, const rev_info *info);

/** Set `trigger_start`, `trigger_end`, `place_start`, `place_end` on `o`:
 *  the spans, in characters of the evidence, or null when the sentence has
 *  none; and `offsets`: false when they were not recorded (a report stored
 *  before schema 4: the page searches the sentence for the type's trigger
 *  words instead). Returns 0, or -1 on out of memory. */
int srvp_set_spans(json_t *o, ext_span trig_chars, ext_span place_chars);

/** Read a whole file into memory (NUL-terminated; at most `max` bytes).
 *  Returns 0, CX_EIO or CX_ENOMEM with `err` naming the file. Caller frees
 *  *out. */
int srvp_read_file(const char *path, size_t max, char **out, size_t *len, cx_err *err);

#endif
