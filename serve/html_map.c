/* html_map.c -- `incimap map -o FILE.html`: the review page, read-only,
 * with its libraries, the country borders and the incidents inlined in
 * one file that opens from file:// with no network. See serve.h.
 *
 * The page is serve/www/index.html with each asset tag replaced by the
 * asset itself (a missing tag is an error, so the page and this file stay
 * in step) and the data as <script type="application/json"> blocks. */
#include "serve.h"
#include "serve_p.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct srv_map {
    json_t *incidents; /* array */
};

srv_map *srv_map_new(void)
{
    srv_map *m = calloc(1, sizeof *m);
    if (m && !(m->incidents = json_array())) {
        free(m);
        return NULL;
    }
    return m;
}

void srv_map_free(srv_map *m)
{
    if (!m)
        return;
    json_decref(m->incidents);
    free(m);
}

size_t srv_map_count(const srv_map *m) { return json_array_size(m->incidents); }

int srv_map_add(srv_map *m, const ext_incident *inc)
{
    json_t *o = srvp_incident_json(inc, NULL);
    if (o && inc->store_id == 0)
        json_object_set_new(o, "id", json_integer((json_int_t)json_array_size(m->incidents) + 1));
    if (!o || json_array_append_new(m->incidents, o))
        return CX_ENOMEM;
    return 0;
}

int srv_map_add_geojson(srv_map *m, const char *path, cx_err *err)
{
    json_error_t jerr;
    json_t *fc = json_load_file(path, 0, &jerr);
    if (!fc)
        return cx_err_set(err, CX_EFORMAT, path, jerr.line, "%s: not JSON: %s", path, jerr.text);
    json_t *features = json_object_get(fc, "features");
    int rc = 0;
    if (!json_is_array(features)) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "%s: not a GeoJSON FeatureCollection", path);
        goto done;
    }
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        json_t *props = json_object_get(f, "properties");
        json_t *coords = json_object_get(json_object_get(f, "geometry"), "coordinates");
        if (!json_is_object(props))
            continue;
        json_t *o = json_deep_copy(props);
        if (!o) {
            rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
            goto done;
        }
        json_object_set_new(o, "id", json_integer((json_int_t)json_array_size(m->incidents) + 1));
        json_object_set(o, "lon", json_array_get(coords, 0) ? json_array_get(coords, 0)
                                                            : json_null());
        json_object_set(o, "lat", json_array_get(coords, 1) ? json_array_get(coords, 1)
                                                            : json_null());
        if (!json_object_get(o, "review"))
            json_object_set_new(o, "review", json_string("unreviewed"));
        if (json_array_append_new(m->incidents, o)) {
            rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
            goto done;
        }
    }
done:
    json_decref(fc);
    return rc;
}

/* ===== Writing the page ===== */

typedef struct page {
    char *s;
    size_t len;
} page;

/* Replace the one occurrence of `tag` in `p` by pre + body + post. */
static int inline_asset(page *p, const char *tag, const char *pre, const char *body,
                        size_t body_len, const char *post, cx_err *err)
{
    char *at = strstr(p->s, tag);
    if (!at)
        return cx_err_set(err, CX_EFORMAT, "index.html", 0,
                          "index.html has no %s: the page and html_map.c disagree", tag);
    size_t tl = strlen(tag), pl = strlen(pre), ql = strlen(post), off = (size_t)(at - p->s);
    size_t n = p->len - tl + pl + body_len + ql;
    char *out = malloc(n + 1);
    if (!out)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    size_t k = 0;
    memcpy(out + k, p->s, off), k += off;
    memcpy(out + k, pre, pl), k += pl;
    memcpy(out + k, body, body_len), k += body_len;
    memcpy(out + k, post, ql), k += ql;
    memcpy(out + k, at + tl, p->len - off - tl), k += p->len - off - tl;
    out[k] = '\0';
    free(p->s);
    p->s = out;
    p->len = k;
    return 0;
}

/* A script that would close its own <script> element cannot be inlined. */
static bool script_safe(const char *s)
{
    for (const char *p = s; (p = strstr(p, "</")); p += 2)
        if (!strncasecmp(p + 2, "script", 6))
            return false;
    return true;
}

int srv_map_write(const srv_map *m, const srv_map_options *o, const char *out_path,
                  cx_err *err)
{
    static const struct {
        const char *tag, *file;
        int vendor; /* 1: vendor dir */
        int kind;   /* 0 style, 1 script, 2 module, 3 JSON data */
    } parts[] = {
        {"<link rel=\"stylesheet\" href=\"vendor/leaflet.css\">", "leaflet.css", 1, 0},
        {"<link rel=\"stylesheet\" href=\"vendor/MarkerCluster.css\">", "MarkerCluster.css", 1, 0},
        {"<link rel=\"stylesheet\" href=\"vendor/MarkerCluster.Default.css\">",
         "MarkerCluster.Default.css", 1, 0},
        {"<link rel=\"stylesheet\" href=\"style.css\">", "style.css", 0, 0},
        {"<script src=\"vendor/leaflet.js\"></script>", "leaflet.js", 1, 1},
        {"<script src=\"vendor/leaflet.markercluster.js\"></script>", "leaflet.markercluster.js", 1,
         1},
        {"<script src=\"vendor/topojson-client.min.js\"></script>", "topojson-client.min.js", 1, 1},
        {"<script type=\"module\" src=\"app.js\"></script>", "app.js", 0, 2},
    };
    page p = {0};
    char *buf = NULL, *data = NULL, *tmp = NULL;
    size_t len;
    FILE *f = NULL;
    char path[4200];
    int rc;
    snprintf(path, sizeof path, "%s/index.html", o->www_dir);
    if ((rc = srvp_read_file(path, 1u << 20, &p.s, &p.len, err)))
        goto done;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", parts[i].vendor ? o->vendor_dir : o->www_dir,
                 parts[i].file);
        if ((rc = srvp_read_file(path, 16u << 20, &buf, &len, err))) {
            if (parts[i].vendor) {
                cx_err_clear(err);
                rc = cx_err_set(err, CX_EIO, path, 0,
                                "%s is missing: run scripts/fetch-data.sh", path);
            }
            goto done;
        }
        if (parts[i].kind && !script_safe(buf)) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0, "%s contains </script: cannot inline it",
                            path);
            goto done;
        }
        const char *pre = parts[i].kind == 0   ? "<style>\n"
                          : parts[i].kind == 1 ? "<script>\n"
                                               : "<script type=\"module\">\n";
        const char *post = parts[i].kind == 0 ? "\n</style>" : "\n</script>";
        if ((rc = inline_asset(&p, parts[i].tag, pre, buf, len, post, err)))
            goto done;
        free(buf);
        buf = NULL;
    }
    /* the data: incidents, options and borders (JSON with '/' escaped, so
     * no "</script" can appear inside) */
    json_t *d = json_pack("{s:O, s:s*, s:s*, s:b}", "incidents", m->incidents, "title", o->title,
                          "tile_url", o->tile_url, "offline", 1);
    data = d ? json_dumps(d, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
    json_decref(d);
    if (!data) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    if ((rc = inline_asset(&p, "<!-- incimap:data -->",
                           "<script id=\"incimap-data\" type=\"application/json\">", data,
                           strlen(data), "</script>", err)))
        goto done;
    snprintf(path, sizeof path, "%s/countries-50m.json", o->vendor_dir);
    if ((rc = srvp_read_file(path, 16u << 20, &buf, &len, err))) {
        cx_err_clear(err);
        rc = cx_err_set(err, CX_EIO, path, 0, "%s is missing: run scripts/fetch-data.sh", path);
        goto done;
    }
    if (!script_safe(buf)) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "%s contains </script", path);
        goto done;
    }
    if ((rc = inline_asset(&p, "<!-- incimap:borders -->",
                           "<script id=\"incimap-borders\" type=\"application/json\">", buf, len,
                           "</script>", err)))
        goto done;
    /* the lexicons' trigger words (marked in the evidence) */
    static const char *const langs[] = {"en", "fr"};
    for (size_t i = 0; i < 2; i++) {
        char tag[64], pre[96];
        free(buf);
        buf = NULL;
        snprintf(path, sizeof path, "%s/lexicon/%s.json", o->data_dir, langs[i]);
        if ((rc = srvp_read_file(path, 4u << 20, &buf, &len, err)))
            goto done;
        if (!script_safe(buf)) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0, "%s contains </script", path);
            goto done;
        }
        snprintf(tag, sizeof tag, "<!-- incimap:lexicon-%s -->", langs[i]);
        snprintf(pre, sizeof pre, "<script id=\"incimap-lexicon-%s\" type=\"application/json\">",
                 langs[i]);
        if ((rc = inline_asset(&p, tag, pre, buf, len, "</script>", err)))
            goto done;
    }

    size_t tl = strlen(out_path) + 32;
    if (!(tmp = malloc(tl))) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    snprintf(tmp, tl, "%s.tmp-%ld", out_path, (long)getpid());
    if (!(f = fopen(tmp, "wb"))) {
        rc = cx_err_set(err, CX_EIO, out_path, 0, "cannot write %s: %s", out_path,
                        strerror(errno));
        goto done;
    }
    bool ok = fwrite(p.s, 1, p.len, f) == p.len;
    ok = fclose(f) == 0 && ok;
    f = NULL;
    if (!ok || rename(tmp, out_path) != 0) {
        rc = cx_err_set(err, CX_EIO, out_path, 0, "cannot write %s: %s", out_path,
                        strerror(errno));
        remove(tmp);
        goto done;
    }
done:
    if (f) {
        fclose(f);
        remove(tmp);
    }
    free(tmp);
    free(data);
    free(buf);
    free(p.s);
    return rc;
}
