/* serve_json.c -- incidents as the page reads them (the API and the
 * offline map share it), and reading asset files. */
#include "serve_p.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *int_or_null(int v) { return v >= 0 ? json_integer(v) : json_null(); }

int srvp_set_spans(json_t *o, ext_span trig, ext_span place)
{
    bool known = trig.start != EXT_SPAN_UNKNOWN || place.start != EXT_SPAN_UNKNOWN;
    int bad = json_object_set_new(o, "trigger_start", int_or_null(trig.start));
    bad |= json_object_set_new(o, "trigger_end", int_or_null(trig.start >= 0 ? trig.end : -1));
    bad |= json_object_set_new(o, "place_start", int_or_null(place.start));
    bad |= json_object_set_new(o, "place_end", int_or_null(place.start >= 0 ? place.end : -1));
    bad |= json_object_set_new(o, "offsets", json_boolean(known));
    return bad ? -1 : 0;
}

/* Span `sp` of `text` from bytes to characters (checked). */
static ext_span span_chars(ext_span sp, const char *text)
{
    sp = ext_span_check(sp, text);
    if (sp.start >= 0)
        sp = (ext_span){ext_utf8_chars(text, sp.start), ext_utf8_chars(text, sp.end)};
    return sp;
}

json_t *srvp_incident_json(const ext_incident *inc, const rev_info *info)
{
    json_t *o = json_object(), *docs = json_array();
    if (!o || !docs) {
        json_decref(o);
        json_decref(docs);
        return NULL;
    }
    for (size_t i = 0; i < inc->n_doc_ids; i++)
        json_array_append_new(docs, json_string(inc->doc_ids[i]));
    int bad = 0;
    bad |= json_object_set_new(o, "id", json_integer(inc->store_id));
    bad |= json_object_set_new(o, "incident_id", json_string(inc->incident_id));
    bad |= json_object_set_new(o, "type", json_string(ext_type_name(inc->type)));
    bad |= json_object_set_new(o, "date", json_string(inc->date));
    bad |= json_object_set_new(o, "date_prec", json_string(ext_prec_name(inc->date_prec)));
    bad |= json_object_set_new(o, "place", json_string(inc->place));
    bad |= json_object_set_new(o, "place_name", json_string(inc->place_name));
    bad |= json_object_set_new(o, "place_id", json_string(inc->place_id));
    bad |= json_object_set_new(o, "country", json_string(inc->country));
    bad |= json_object_set_new(o, "admin1", json_string(inc->admin1));
    bad |= json_object_set_new(o, "geo_prec", json_integer(inc->geo_prec));
    bad |= json_object_set_new(o, "lon", num_or_null(inc->lon));
    bad |= json_object_set_new(o, "lat", num_or_null(inc->lat));
    bad |= json_object_set_new(o, "actor1", json_string(inc->actor1));
    bad |= json_object_set_new(o, "actor2", json_string(inc->actor2));
    bad |= json_object_set_new(o, "claimed_by", json_string(inc->claimed_by));
    bad |= json_object_set_new(o, "fatalities", int_or_null(inc->fatalities));
    bad |= json_object_set_new(o, "n_sources", json_integer(inc->n_sources));
    bad |= json_object_set_new(o, "doc_ids", docs);
    /* each source's own link (issue 18: a doc id is often not a URL) */
    json_t *urls = json_object();
    bad |= urls == NULL;
    for (size_t i = 0; urls && i < inc->n_srcs; i++)
        if (inc->srcs[i].doc_id && inc->srcs[i].url && inc->srcs[i].url[0])
            bad |= json_object_set_new(urls, inc->srcs[i].doc_id, json_string(inc->srcs[i].url));
    if (urls)
        bad |= json_object_set_new(o, "source_urls", urls);
    bad |= json_object_set_new(o, "evidence", json_string(inc->evidence ? inc->evidence : ""));
    bad |= json_object_set_new(o, "confidence", json_real(inc->confidence));
    bad |= json_object_set_new(o, "review", json_string(ext_review_name(inc->review)));
    bad |= srvp_set_spans(o, span_chars(inc->trig_span, inc->evidence),
                          span_chars(inc->place_span, inc->evidence));
    if (info) {
        bad |= json_object_set_new(o, "version", json_integer(info->version));
        bad |= json_object_set_new(o, "reason", json_string(info->reason));
        bad |= json_object_set_new(o, "merged_into", info->merged_into
                                                         ? json_integer(info->merged_into)
                                                         : json_null());
        bad |= json_object_set_new(o, "n_verdicts", json_integer(info->n_verdicts));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int srvp_read_file(const char *path, size_t max, char **out, size_t *len, cx_err *err)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    if (!f)
        return cx_err_set(err, CX_EIO, path, 0, "cannot read %s: %s", path, strerror(errno));
    for (;;) {
        if (cap - n < 65536) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *g = realloc(buf, ncap + 1);
            if (!g) {
                rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
                goto done;
            }
            buf = g;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > max) {
            rc = cx_err_set(err, CX_EIO, path, 0, "%s is larger than %zu bytes", path, max);
            goto done;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = cx_err_set(err, CX_EIO, path, 0, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    fclose(f);
    return rc;
}
