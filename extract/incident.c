/* incident.c -- the incident record. See incident.h. */
#include "incident.h"
#include "cx_err.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ext_incident_init(ext_incident *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->date_prec = EXT_PREC_UNKNOWN;
    inc->fatalities = inc->fatalities_max = inc->injured = inc->injured_max = -1;
    inc->border_km = NAN;
    inc->n_sources = 1;
    inc->trig_span = inc->place_span = (ext_span){EXT_SPAN_UNKNOWN, EXT_SPAN_UNKNOWN};
}

void ext_incident_clear(ext_incident *inc)
{
    if (!inc)
        return;
    for (size_t i = 0; i < inc->n_doc_ids; i++)
        free(inc->doc_ids[i]);
    free(inc->doc_ids);
    free(inc->evidence);
    for (size_t i = 0; i < inc->n_srcs; i++)
        ext_source_clear(&inc->srcs[i]);
    free(inc->srcs);
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
    dst->srcs = NULL;
    dst->n_srcs = 0;
    if (src->n_srcs) {
        if (!(dst->srcs = calloc(src->n_srcs, sizeof *dst->srcs)))
            return CX_ENOMEM;
        for (; dst->n_srcs < src->n_srcs; dst->n_srcs++)
            if (ext_source_copy(&dst->srcs[dst->n_srcs], &src->srcs[dst->n_srcs]) != 0)
                return CX_ENOMEM;
    }
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

static char *dup_opt(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *p = dup_str(s);
    if (!p)
        *fail = true;
    return p;
}

void ext_source_clear(ext_source *s)
{
    if (!s)
        return;
    free(s->doc_id);
    free(s->url);
    free(s->outlet);
    free(s->evidence);
    memset(s, 0, sizeof *s);
}

int ext_source_copy(ext_source *dst, const ext_source *src)
{
    bool fail = false;
    *dst = *src;
    dst->doc_id = dup_opt(src->doc_id, &fail);
    dst->url = dup_opt(src->url, &fail);
    dst->outlet = dup_opt(src->outlet, &fail);
    dst->evidence = dup_opt(src->evidence, &fail);
    if (fail) {
        ext_source_clear(dst);
        return CX_ENOMEM;
    }
    return 0;
}

int ext_incident_add_source(ext_incident *inc, const char *doc_id, const char *url,
                            const char *outlet, const char *published, const char *evidence,
                            const char *claimed_by, uint64_t text_fp)
{
    ext_source *g = realloc(inc->srcs, (inc->n_srcs + 1) * sizeof *g);
    if (!g)
        return CX_ENOMEM;
    inc->srcs = g;
    ext_source *s = &g[inc->n_srcs];
    memset(s, 0, sizeof *s);
    bool fail = false;
    s->doc_id = dup_opt(doc_id ? doc_id : "", &fail);
    s->url = dup_opt(url, &fail);
    s->outlet = dup_opt(outlet, &fail);
    s->evidence = dup_opt(evidence, &fail);
    s->text_fp = text_fp;
    s->trig_span = s->place_span = (ext_span){EXT_SPAN_UNKNOWN, EXT_SPAN_UNKNOWN};
    snprintf(s->published, sizeof s->published, "%s", published ? published : "");
    snprintf(s->claimed_by, sizeof s->claimed_by, "%s", claimed_by ? claimed_by : "");
    if (fail) {
        ext_source_clear(s);
        return CX_ENOMEM;
    }
    inc->n_srcs++;
    return 0;
}

void ext_url_host(const char *url, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!url)
        return;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = p;
    while (*at && *at != '/' && *at != '@')
        at++;
    if (*at == '@')
        p = at + 1;
    size_t n = strcspn(p, "/:?#");
    if (n >= 4 && strncasecmp(p, "www.", 4) == 0) {
        p += 4;
        n -= 4;
    }
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)p[i]);
    buf[n] = '\0';
}

uint64_t ext_text_fingerprint(const char *text, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    bool any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80 && !isalnum(c))
            continue;
        c = (unsigned char)tolower(c);
        h = (h ^ c) * 1099511628211ull;
        any = true;
    }
    return any && h == 0 ? 1 : any ? h : 0;
}

ext_span ext_span_check(ext_span sp, const char *text)
{
    if (sp.start < 0 && sp.start >= EXT_SPAN_UNKNOWN)
        return (ext_span){sp.start, sp.start};
    if (!text || sp.start < 0 || sp.end <= sp.start || (size_t)sp.end > strlen(text))
        return (ext_span){EXT_SPAN_UNKNOWN, EXT_SPAN_UNKNOWN};
    return sp;
}

int ext_utf8_chars(const char *text, int byte)
{
    if (byte < 0 || !text)
        return byte;
    int n = 0;
    for (int i = 0; i < byte && text[i]; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

int ext_utf8_bytes(const char *text, int chars)
{
    if (chars < 0 || !text)
        return chars;
    int n = 0, i = 0;
    for (; text[i]; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        if (n == chars)
            return i;
        n++;
    }
    return n == chars ? i : EXT_SPAN_UNKNOWN;
}

static bool same_text(const char *a, const char *b, size_t blen)
{
    size_t alen = strlen(a);
    while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '.'))
        alen--;
    while (blen && (b[blen - 1] == ' ' || b[blen - 1] == '.' || b[blen - 1] == '\r'))
        blen--;
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* A letter or digit at s[i] (any byte of a multi-byte character counts as
 * a letter). */
static bool word_byte(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return c >= 0x80 || isalnum(c);
}

/* Where `s` (n bytes) names `name` (len bytes): the first occurrence that
 * is a whole word ("Goris" in "à Goris.", not in "Gorisyan"), else the
 * first. The caller knows there is one. */
static size_t name_in(const char *s, size_t n, const char *name, size_t len)
{
    size_t first = (size_t)-1;
    for (size_t i = 0; i + len <= n; i++) {
        if (memcmp(s + i, name, len) != 0)
            continue;
        if ((i == 0 || !word_byte(s, i - 1)) && (i + len == n || !word_byte(s, i + len)))
            return i;
        if (first == (size_t)-1)
            first = i;
    }
    return first == (size_t)-1 ? 0 : first;
}

int ext_incident_prefer_body(ext_incident *inc, const char *title, const char *text, size_t len)
{
    if (!inc->evidence || !inc->place[0] || !text)
        return 0;
    size_t first = 0; /* the first non-empty line: the headline of a text file */
    while (first < len && (text[first] == '\n' || text[first] == ' '))
        first++;
    size_t first_end = first;
    while (first_end < len && text[first_end] != '\n')
        first_end++;
    bool headline = (title && *title && same_text(inc->evidence, title, strlen(title))) ||
                    (first_end > first && first_end < len &&
                     same_text(inc->evidence, text + first, first_end - first));
    if (!headline)
        return 0;
    size_t ev_len = strlen(inc->evidence), plen = strlen(inc->place);
    for (size_t a = 0; a < len;) {
        size_t b = a;
        while (b < len && text[b] != '\n' &&
               !((text[b] == '.' || text[b] == '!' || text[b] == '?') &&
                 (b + 1 == len || text[b + 1] == ' ' || text[b + 1] == '\n')))
            b++;
        size_t end = b < len && text[b] != '\n' ? b + 1 : b;
        while (a < end && text[a] == ' ')
            a++;
        size_t n = end - a;
        bool names = false;
        for (size_t i = a; !names && i + plen <= end; i++)
            names = memcmp(text + i, inc->place, plen) == 0;
        if (names && n > ev_len && !same_text(inc->evidence, text + a, n)) {
            char *s = malloc(n + 1);
            if (!s)
                return CX_ENOMEM;
            memcpy(s, text + a, n);
            s[n] = '\0';
            free(inc->evidence);
            inc->evidence = s;
            inc->offset = a;
            /* the place as the report wrote it is in the new sentence; the
             * trigger the model paired is in the headline, but a report
             * folded into this one may have its own in this sentence */
            inc->trig_span = inc->place_span = (ext_span){EXT_SPAN_UNKNOWN, EXT_SPAN_UNKNOWN};
            if (n <= (size_t)INT_MAX) {
                size_t at = name_in(s, n, inc->place, plen);
                inc->place_span = (ext_span){(int)at, (int)(at + plen)};
                inc->trig_span = (ext_span){EXT_SPAN_NONE, EXT_SPAN_NONE};
                if (inc->body_trig_len && inc->body_trig >= a && inc->body_trig_len <= n &&
                    inc->body_trig - a <= n - inc->body_trig_len)
                    inc->trig_span = (ext_span){(int)(inc->body_trig - a),
                                                (int)(inc->body_trig - a + inc->body_trig_len)};
            }
            return 0;
        }
        a = b + 1;
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
