/* serve.c -- incimap serve: the review page's HTTP server. See serve.h.
 *
 * Does: routing, the static whitelist, authentication (token, CSRF, Host),
 * body caps and validation, JSON in and out, turning store errors into
 * HTTP statuses (400 bad request, 404 unknown, 409 stale version).
 * Does not: SQL (store/store_review.c), review logic (idem), the page. */
#include "serve.h"
#include "serve_p.h"
#include "serve_mhd.h" /* MHD_* through the library loaded at start */

#include "store_review.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

/* ===== Static files: a fixed whitelist, read at start ===== */

enum { DIR_WWW, DIR_VENDOR, DIR_LEXICON };

static const struct asset_def {
    const char *url, *file, *mime;
    int dir;
} asset_defs[] = {
    {"/", "index.html", "text/html; charset=utf-8", DIR_WWW},
    {"/index.html", "index.html", "text/html; charset=utf-8", DIR_WWW},
    {"/app.js", "app.js", "text/javascript; charset=utf-8", DIR_WWW},
    {"/style.css", "style.css", "text/css; charset=utf-8", DIR_WWW},
    {"/vendor/leaflet.js", "leaflet.js", "text/javascript; charset=utf-8", DIR_VENDOR},
    {"/vendor/leaflet.css", "leaflet.css", "text/css; charset=utf-8", DIR_VENDOR},
    {"/vendor/leaflet.markercluster.js", "leaflet.markercluster.js",
     "text/javascript; charset=utf-8", DIR_VENDOR},
    {"/vendor/MarkerCluster.css", "MarkerCluster.css", "text/css; charset=utf-8", DIR_VENDOR},
    {"/vendor/MarkerCluster.Default.css", "MarkerCluster.Default.css",
     "text/css; charset=utf-8", DIR_VENDOR},
    {"/vendor/topojson-client.min.js", "topojson-client.min.js",
     "text/javascript; charset=utf-8", DIR_VENDOR},
    {"/vendor/countries-50m.json", "countries-50m.json", "application/json", DIR_VENDOR},
    /* the trigger words the page marks in the evidence */
    {"/lexicon/en.json", "en.json", "application/json", DIR_LEXICON},
    {"/lexicon/fr.json", "fr.json", "application/json", DIR_LEXICON},
};
#define N_ASSETS (sizeof asset_defs / sizeof asset_defs[0])
#define MAX_ASSET (16u << 20)

struct srv_server {
    struct MHD_Daemon *d;
    sto_store *st;
    gaz_db *gaz;
    char csrf[33];
    char token[256];
    bool has_token, loopback;
    char tile_url[512];
    int port;
    char *asset[N_ASSETS];
    size_t asset_len[N_ASSETS];
};

bool srv_is_loopback(const char *addr)
{
    if (!addr || !strcmp(addr, "localhost") || !strcmp(addr, "::1"))
        return true;
    struct in_addr a4;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return false;
}

/* ===== Responses ===== */

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *mime,
                                  const void *data, size_t len, bool copy, const char *csp)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)(uintptr_t)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", mime);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (csp)
        MHD_add_response_header(r, "Content-Security-Policy", csp);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Send `o` (stolen) with `status`. */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!s)
        return send_bytes(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25,
                          false, NULL);
    enum MHD_Result ret = send_bytes(c, status, "application/json", s, strlen(s), true, NULL);
    free(s);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return send_json(c, status, json_pack("{s:s, s:i}", "error", msg, "status", (int)status));
}

/* The HTTP status of a store error. */
static unsigned status_of(int code)
{
    switch (code) {
    case CX_EINVAL:
    case CX_EFORMAT: return 400;
    case CX_ENOTFOUND: return 404;
    case REV_ESTALE: return 409;
    case CX_EDB: return 503;
    default: return 500;
    }
}

static enum MHD_Result send_cx(struct MHD_Connection *c, const cx_err *err)
{
    return send_error(c, status_of(err->code), err->msg[0] ? err->msg : "error");
}

/* ===== Request state ===== */

typedef struct request {
    char *body;
    size_t len;
    bool too_big, answered;
} request;

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

/* ===== Authentication ===== */

static bool const_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = la != lb;
    for (size_t i = 0; i < la && i < lb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

/* A Host header naming the loopback (against DNS rebinding). */
static bool host_ok(const srv_server *s, const char *host)
{
    if (!s->loopback)
        return true; /* the token guards a public bind */
    if (!host)
        return false;
    char name[128];
    size_t n = strlen(host);
    if (n >= sizeof name)
        return false;
    memcpy(name, host, n + 1);
    if (name[0] == '[') { /* [::1]:port */
        char *e = strchr(name, ']');
        if (!e)
            return false;
        *e = '\0';
        return !strcmp(name + 1, "::1");
    }
    char *colon = strchr(name, ':');
    if (colon)
        *colon = '\0';
    return !strcmp(name, "localhost") || srv_is_loopback(name);
}

/* 0 when the request may go on, else the status to refuse it with. */
static unsigned check_auth(const srv_server *s, struct MHD_Connection *c, bool *set_cookie)
{
    *set_cookie = false;
    if (!host_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
        return 421;
    if (!s->has_token)
        return 0;
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "incimap_token");
    if (v && const_eq(v, s->token))
        return 0;
    v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (v && !strncmp(v, "Bearer ", 7) && const_eq(v + 7, s->token))
        return 0;
    v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    if (v && const_eq(v, s->token)) {
        *set_cookie = true;
        return 0;
    }
    return 401;
}

/* ===== Handlers ===== */

static int list_one(void *ctx, const ext_incident *inc, const rev_info *info, cx_err *err)
{
    json_t *o = srvp_incident_json(inc, info);
    if (!o || json_array_append_new(ctx, o))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

static enum MHD_Result get_incidents(srv_server *s, struct MHD_Connection *c)
{
    cx_err err;
    cx_err_clear(&err);
    json_t *arr = json_array();
    if (!arr)
        return send_error(c, 500, "out of memory");
    if (rev_list(s->st, NULL, REV_LIST_ALL, list_one, arr, NULL, &err)) {
        json_decref(arr);
        return send_cx(c, &err);
    }
    return send_json(c, 200, json_pack("{s:o}", "incidents", arr));
}

static int source_one(void *ctx, const rev_source *src, cx_err *err)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f}",
                          "report_id", (json_int_t)src->report_id, "doc_id", src->doc_id,
                          "url", src->url, "outlet", src->outlet ? src->outlet : "",
                          "title", src->title, "published", src->published, "evidence",
                          src->evidence, "claimed_by", src->claimed_by, "date", src->date,
                          "date_prec", ext_prec_name(src->date_prec), "place", src->place,
                          "confidence", src->confidence);
    if (o && srvp_set_spans(o, src->trig_span, src->place_span)) {
        json_decref(o);
        o = NULL;
    }
    if (o && json_object_set_new(o, "own", json_boolean(src->own))) {
        json_decref(o);
        o = NULL;
    }
    if (!o || json_array_append_new(ctx, o))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

static int verdict_one(void *ctx, const rev_row *r, cx_err *err)
{
    json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "verdict_id",
                          (json_int_t)r->verdict_id, "item_id", (json_int_t)r->item_id,
                          "incident_id", (json_int_t)r->incident_id, "who", r->who, "at", r->at,
                          "action", r->action, "before", r->before, "after", r->after);
    if (o && r->undoes)
        json_object_set_new(o, "undoes", json_integer(r->undoes));
    if (!o || json_array_append_new(ctx, o))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

static enum MHD_Result get_verdicts(srv_server *s, struct MHD_Connection *c)
{
    cx_err err;
    cx_err_clear(&err);
    json_t *arr = json_array();
    if (!arr)
        return send_error(c, 500, "out of memory");
    if (rev_verdicts(s->st, 0, verdict_one, arr, &err)) {
        json_decref(arr);
        return send_cx(c, &err);
    }
    return send_json(c, 200, json_pack("{s:o}", "verdicts", arr));
}

static enum MHD_Result get_incident(srv_server *s, struct MHD_Connection *c, long long id)
{
    cx_err err;
    cx_err_clear(&err);
    ext_incident inc;
    rev_info info;
    ext_incident_init(&inc);
    json_t *o = NULL, *src = json_array(), *ver = json_array();
    int rc = src && ver ? rev_get(s->st, id, &inc, &info, &err)
                        : cx_err_set(&err, CX_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0 && !(o = srvp_incident_json(&inc, &info)))
        rc = cx_err_set(&err, CX_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0)
        rc = rev_sources(s->st, id, source_one, src, &err);
    if (rc == 0)
        rc = rev_verdicts(s->st, id, verdict_one, ver, &err);
    ext_incident_clear(&inc);
    if (rc) {
        json_decref(o);
        json_decref(src);
        json_decref(ver);
        return send_cx(c, &err);
    }
    json_object_set_new(o, "sources", src);
    json_object_set_new(o, "verdicts", ver);
    return send_json(c, 200, o);
}

static enum MHD_Result get_places(srv_server *s, struct MHD_Connection *c)
{
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    if (!s->gaz)
        return send_error(c, 503, "no gazetteer: start incimap serve with --gazetteer FILE");
    if (!q || !q[0])
        return send_error(c, 400, "q (the place name to search) is missing");
    size_t len = strlen(q);
    if (len > 100)
        return send_error(c, 400, "q is longer than 100 bytes");
    cx_place places[10];
    size_t n = 0;
    cx_err err;
    cx_err_clear(&err);
    gaz_query gq = {.translit = true};
    if (gaz_lookup(s->gaz, q, len, &gq, places, 10, &n, &err))
        return send_cx(c, &err);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const cx_place *p = &places[i];
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I}", "place_id",
                                             p->src_id, "name", p->name, "country", p->country,
                                             "admin1", p->admin1, "lat", p->lat, "lon", p->lon,
                                             "population", (json_int_t)p->population));
    }
    return send_json(c, 200, json_pack("{s:o*}", "places", arr));
}

/* POST /api/incidents/ID/ACTION with a JSON body. */
static enum MHD_Result post_action(srv_server *s, struct MHD_Connection *c, long long id,
                                   const char *action, const request *rq)
{
    int act = rev_action_parse(action);
    if (act < 0)
        return send_error(c, 404, "unknown action (accept, reject, edit, merge, undo, split)");
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (!ct || strncmp(ct, "application/json", 16))
        return send_error(c, 415, "the body must be application/json");
    json_error_t jerr;
    json_t *b = json_loadb(rq->body ? rq->body : "", rq->len, JSON_REJECT_DUPLICATES, &jerr);
    char msg[256];
    if (!b) {
        snprintf(msg, sizeof msg, "bad JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                 jerr.column);
        return send_error(c, 400, msg);
    }
    enum MHD_Result ret;
    char *edits = NULL;
    long long *reports = NULL;
    size_t n_reports = 0;
    if (!json_is_object(b)) {
        ret = send_error(c, 400, "the body must be a JSON object");
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v) {
        if (strcmp(key, "version") && strcmp(key, "who") && strcmp(key, "reason") &&
            strcmp(key, "edits") && strcmp(key, "into") && strcmp(key, "reports")) {
            snprintf(msg, sizeof msg,
                     "unknown field '%.40s' (version, who, reason, edits, into, reports)", key);
            ret = send_error(c, 400, msg);
            goto done;
        }
    }
    json_t *jv = json_object_get(b, "version"), *jwho = json_object_get(b, "who");
    json_t *jreason = json_object_get(b, "reason"), *jedits = json_object_get(b, "edits");
    json_t *jinto = json_object_get(b, "into");
    if (!json_is_integer(jv) || json_integer_value(jv) < 0) {
        ret = send_error(c, 400, "version (the version shown, an integer >= 0) is missing");
        goto done;
    }
    if ((jwho && !json_is_string(jwho)) || (jreason && !json_is_string(jreason)) ||
        (jinto && !json_is_integer(jinto))) {
        ret = send_error(c, 400, "who and reason must be strings, into an integer");
        goto done;
    }
    if (act == REV_EDIT && !json_is_object(jedits)) {
        ret = send_error(c, 400, "edits (an object of the fields to change) is missing");
        goto done;
    }
    if (act == REV_MERGE && !jinto) {
        ret = send_error(c, 400, "into (the incident to merge this one into) is missing");
        goto done;
    }
    json_t *jrep = json_object_get(b, "reports");
    if (act == REV_SPLIT && !jrep) {
        ret = send_error(c, 400, "reports (the report ids that leave the incident) is missing");
        goto done;
    }
    if (jrep) {
        /* the store checks each id (unknown, of another incident, twice) */
        size_t k;
        json_t *r;
        if (!json_is_array(jrep) || json_array_size(jrep) > 1000) {
            ret = send_error(c, 400, "reports must be an array of at most 1000 report ids");
            goto done;
        }
        if (!(reports = malloc((json_array_size(jrep) + 1) * sizeof *reports))) {
            ret = send_error(c, 500, "out of memory");
            goto done;
        }
        json_array_foreach(jrep, k, r) {
            if (!json_is_integer(r) || json_integer_value(r) <= 0) {
                ret = send_error(c, 400, "reports must hold report ids (integers > 0)");
                goto done;
            }
            reports[n_reports++] = json_integer_value(r);
        }
    }
    if (jedits && !(edits = json_dumps(jedits, JSON_COMPACT))) {
        ret = send_error(c, 400, "edits must be a JSON object");
        goto done;
    }
    rev_verdict verdict = {
        .action = act,
        .who = jwho ? json_string_value(jwho) : "analyst",
        .version = json_integer_value(jv),
        .reason = jreason ? json_string_value(jreason) : "",
        .edits = edits,
        .into = jinto ? json_integer_value(jinto) : 0,
        .reports = reports,
        .n_reports = n_reports,
    };
    long long parts[2] = {id, 0};
    verdict.parts = parts;
    cx_err err;
    cx_err_clear(&err);
    long long version = rev_apply(s->st, id, &verdict, &err);
    if (version < 0) {
        ret = send_cx(c, &err);
        goto done;
    }
    /* answer with the incident as it now is (a split or its undo merges
     * again: the incident that holds it now, with a new id; a split adds
     * "parts", the ids of the two) */
    ext_incident inc;
    rev_info info;
    ext_incident_init(&inc);
    if (rev_get(s->st, parts[0] > 0 ? parts[0] : id, &inc, &info, &err) == 0) {
        json_t *o = srvp_incident_json(&inc, &info);
        if (o && act == REV_SPLIT)
            json_object_set_new(o, "parts", json_pack("[I, I]", (json_int_t)parts[0],
                                                      (json_int_t)parts[1]));
        ret = send_json(c, 200, o);
    } else {
        ret = send_cx(c, &err);
    }
    ext_incident_clear(&inc);
done:
    free(reports);
    free(edits);
    json_decref(b);
    return ret;
}

/* The incident id of "/api/incidents/123[/...]": > 0, or -1 when malformed.
 * `rest` points after the digits. */
static long long parse_id(const char *p, const char **rest)
{
    long long id = 0;
    size_t n = 0;
    while (isdigit((unsigned char)p[n])) {
        if (n >= 15)
            return -1;
        id = id * 10 + (p[n] - '0');
        n++;
    }
    *rest = p + n;
    return n == 0 || id == 0 || (**rest && **rest != '/') ? -1 : id;
}

static enum MHD_Result serve_asset(srv_server *s, struct MHD_Connection *c, size_t i,
                                   bool set_cookie)
{
    char csp[700];
    snprintf(csp, sizeof csp,
             "default-src 'self'; img-src 'self' data:%s; style-src 'self' 'unsafe-inline';"
             " script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
             " form-action 'none'",
             s->tile_url[0] ? " https: http:" : "");
    struct MHD_Response *r = MHD_create_response_from_buffer(s->asset_len[i], s->asset[i],
                                                             MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", asset_defs[i].mime);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    if (set_cookie) {
        char cookie[400];
        snprintf(cookie, sizeof cookie, "incimap_token=%s; HttpOnly; SameSite=Strict; Path=/",
                 s->token);
        MHD_add_response_header(r, "Set-Cookie", cookie);
    }
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)version;
    srv_server *s = cls;
    request *rq = *con_cls;
    bool is_post = !strcmp(method, MHD_HTTP_METHOD_POST);
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        *con_cls = rq;
        /* a declared body past the cap is refused before it is read */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > SRV_MAX_BODY) {
                rq->answered = true;
                return send_error(c, 413, "the body is larger than 65536 bytes");
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* accumulate up to the cap; past it, read and drop */
        if (!rq->too_big && rq->len + *upload_data_size <= SRV_MAX_BODY) {
            char *g = realloc(rq->body, rq->len + *upload_data_size + 1);
            if (!g)
                return MHD_NO;
            rq->body = g;
            memcpy(rq->body + rq->len, upload_data, *upload_data_size);
            rq->len += *upload_data_size;
            rq->body[rq->len] = '\0';
        } else {
            rq->too_big = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->answered)
        return MHD_YES;
    rq->answered = true;
    if (rq->too_big)
        return send_error(c, 413, "the body is larger than 65536 bytes");

    bool set_cookie = false;
    unsigned refuse = check_auth(s, c, &set_cookie);
    if (refuse == 421)
        return send_error(c, 421, "the Host header does not name this server (loopback)");
    if (refuse)
        return send_error(c, 401, "a token is required (incimap serve --token): open the"
                                  " page as /?token=T or send Authorization: Bearer T");

    bool is_get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (strncmp(url, "/api/", 5) != 0) {
        for (size_t i = 0; i < N_ASSETS; i++)
            if (!strcmp(url, asset_defs[i].url)) {
                if (!is_get)
                    return send_error(c, 405, "method not allowed");
                return serve_asset(s, c, i, set_cookie);
            }
        return send_error(c, 404, "no such page");
    }
    if (is_post) {
        const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!t || !const_eq(t, s->csrf))
            return send_error(c, 403, "missing or bad CSRF token (X-CSRF-Token, from"
                                      " /api/session)");
    } else if (!is_get) {
        return send_error(c, 405, "method not allowed");
    }
    if (!strcmp(url, "/api/session")) {
        if (!is_get)
            return send_error(c, 405, "method not allowed");
        return send_json(c, 200, json_pack("{s:s, s:s*}", "csrf", s->csrf, "tile_url",
                                           s->tile_url[0] ? s->tile_url : NULL));
    }
    if (!strcmp(url, "/api/incidents"))
        return is_get ? get_incidents(s, c) : send_error(c, 405, "method not allowed");
    if (!strcmp(url, "/api/verdicts"))
        return is_get ? get_verdicts(s, c) : send_error(c, 405, "method not allowed");
    if (!strcmp(url, "/api/places"))
        return is_get ? get_places(s, c) : send_error(c, 405, "method not allowed");
    if (!strncmp(url, "/api/incidents/", 15)) {
        const char *rest;
        long long id = parse_id(url + 15, &rest);
        if (id < 0)
            return send_error(c, 400, "bad incident id (a positive integer)");
        if (!*rest)
            return is_get ? get_incident(s, c, id) : send_error(c, 405, "method not allowed");
        if (*rest == '/' && is_post)
            return post_action(s, c, id, rest + 1, rq);
        return send_error(c, 404, is_post ? "no such action" : "no such API");
    }
    return send_error(c, 404, "no such API");
}

/* URLs and query arguments are %-decoded by this instead of MHD's own
 * decoder, which turned "%00" into a NUL that ended the path early
 * ("/app.js%00.png" read as "/app.js"): %00 stays as written, so such a
 * path matches nothing. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    size_t r = 0, w = 0;
    while (s[r]) {
        if (s[r] == '%' && isxdigit((unsigned char)s[r + 1]) && isxdigit((unsigned char)s[r + 2])) {
            char hex[3] = {s[r + 1], s[r + 2], 0};
            unsigned long v = strtoul(hex, NULL, 16);
            if (v != 0) {
                s[w++] = (char)v;
                r += 3;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    s[w] = '\0';
    return w;
}

/* ===== Start / stop ===== */

static int load_assets(srv_server *s, const srv_options *o, cx_err *err)
{
    for (size_t i = 0; i < N_ASSETS; i++) {
        /* "/" and "/index.html" share the file: read once */
        if (i > 0 && !strcmp(asset_defs[i].file, asset_defs[i - 1].file)) {
            s->asset[i] = NULL;
            continue;
        }
        char path[4200];
        snprintf(path, sizeof path, "%s%s/%s",
                 asset_defs[i].dir == DIR_WWW      ? o->www_dir
                 : asset_defs[i].dir == DIR_VENDOR ? o->vendor_dir
                                                   : o->data_dir,
                 asset_defs[i].dir == DIR_LEXICON ? "/lexicon" : "", asset_defs[i].file);
        int rc = srvp_read_file(path, MAX_ASSET, &s->asset[i], &s->asset_len[i], err);
        if (rc) {
            if (asset_defs[i].dir == DIR_VENDOR) {
                cx_err_clear(err);
                cx_err_set(err, CX_EIO, path, 0,
                           "%s is missing: run scripts/fetch-data.sh (the pinned Leaflet"
                           " packages)", path);
            }
            return CX_EIO;
        }
    }
    for (size_t i = 1; i < N_ASSETS; i++)
        if (!s->asset[i]) {
            s->asset[i] = s->asset[i - 1];
            s->asset_len[i] = s->asset_len[i - 1];
        }
    return 0;
}

srv_server *srv_start(const srv_options *o, sto_store *st, gaz_db *gaz, cx_err *err)
{
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    srv_server *s = calloc(1, sizeof *s);
    if (!s) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    s->st = st;
    s->gaz = gaz;
    s->loopback = srv_is_loopback(bind);
    if (o->token && o->token[0]) {
        if (strlen(o->token) < 8 || strlen(o->token) >= sizeof s->token) {
            cx_err_set(err, CX_EINVAL, NULL, 0, "--token must be 8 to 255 bytes");
            goto fail;
        }
        for (const char *p = o->token; *p; p++)
            if (!isgraph((unsigned char)*p) || *p == ';' || *p == ',' || *p == '"' ||
                *p == '\\') {
                cx_err_set(err, CX_EINVAL, NULL, 0,
                           "--token: printable ASCII without ; , \" or \\ only");
                goto fail;
            }
        snprintf(s->token, sizeof s->token, "%s", o->token);
        s->has_token = true;
    }
    if (!s->loopback && !s->has_token) {
        cx_err_set(err, CX_EINVAL, NULL, 0,
                   "--bind %s is not a loopback address: give a --token to serve on it", bind);
        goto fail;
    }
    if (o->tile_url)
        snprintf(s->tile_url, sizeof s->tile_url, "%s", o->tile_url);
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        cx_err_set(err, CX_EIO, NULL, 0, "no random bytes for the CSRF token: %s",
                   strerror(errno));
        goto fail;
    }
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(s->csrf + 2 * i, 3, "%02x", rnd[i]);
    if (load_assets(s, o, err))
        goto fail;
    if (rev_prepare(st, err))
        goto fail;

    if (!srvp_mhd_get(err))
        goto fail;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    int port = o->port;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    const char *host = !strcmp(bind, "localhost") ? "127.0.0.1" : bind;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        flags |= MHD_USE_IPv6;
    } else {
        cx_err_set(err, CX_EINVAL, NULL, 0, "--bind %s is not an IPv4 or IPv6 address", bind);
        goto fail;
    }
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    s->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, answer, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)(o->max_connections > 0 ? o->max_connections : 256),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                            MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!s->d) {
        cx_err_set(err, CX_EIO, NULL, 0, "cannot listen on %s port %d (in use?)", bind, port);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    return s;
fail:
    srv_stop(s);
    return NULL;
}

int srv_port(const srv_server *s) { return s->port; }

void srv_stop(srv_server *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);
    for (size_t i = 0; i < N_ASSETS; i++)
        if (s->asset[i] && (i == 0 || s->asset[i] != s->asset[i - 1]))
            free(s->asset[i]);
    free(s);
}
