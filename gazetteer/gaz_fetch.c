/* gaz_fetch.c -- download GeoNames dumps with libcurl and unzip them with
 * GDAL's /vsizip/ (no unzip binary, no minizip). Files are written under a
 * temporary name and renamed into place when complete. It does not parse
 * them (gaz_sources.c does). */
#include "gazetteer.h"

#include <cpl_vsi.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BASE "https://download.geonames.org/export/dump"

static size_t write_cb(char *data, size_t size, size_t n, void *ctx)
{
    return fwrite(data, size, n, (FILE *)ctx) * size;
}

/* Download `url` into `path`. */
static int download(const char *url, const char *path, long long *bytes, cx_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return cx_err_set(err, CX_EIO, path, 0, "cannot write: %s", strerror(errno));
    CURL *c = curl_easy_init();
    if (!c) {
        fclose(f);
        return cx_err_set(err, CX_ENOMEM, url, 0, "libcurl: cannot initialise");
    }
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "incimap-gazetteer-fetch");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    CURLcode cr = curl_easy_perform(c);
    curl_off_t got = 0;
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
    curl_easy_cleanup(c);
    int rc = 0;
    if (fclose(f) != 0)
        rc = cx_err_set(err, CX_EIO, path, 0, "write error: %s", strerror(errno));
    if (cr != CURLE_OK)
        rc = cx_err_set(err, CX_ENOTFOUND, url, 0, "download failed: %s",
                        ebuf[0] ? ebuf : curl_easy_strerror(cr));
    *bytes = (long long)got;
    return rc;
}

/* Copy member `member` of zip `zip` to `path`. */
static int unzip_member(const char *zip, const char *member, const char *path,
                        long long *bytes, cx_err *err)
{
    char vsi[8448];
    snprintf(vsi, sizeof vsi, "/vsizip/%s/%s", zip, member);
    VSILFILE *in = VSIFOpenL(vsi, "rb");
    if (!in)
        return cx_err_set(err, CX_EFORMAT, zip, 0, "not a zip file or no member %s", member);
    FILE *out = fopen(path, "wb");
    if (!out) {
        VSIFCloseL(in);
        return cx_err_set(err, CX_EIO, path, 0, "cannot write: %s", strerror(errno));
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    *bytes = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            rc = cx_err_set(err, CX_EIO, path, 0, "write error: %s", strerror(errno));
            break;
        }
        *bytes += (long long)n;
    }
    if (!rc && VSIFEofL(in) == 0)
        rc = cx_err_set(err, CX_EFORMAT, zip, 0, "cannot read member %s (truncated zip?)",
                        member);
    VSIFCloseL(in);
    if (fclose(out) != 0 && !rc)
        rc = cx_err_set(err, CX_EIO, path, 0, "write error: %s", strerror(errno));
    return rc;
}

static int fetch_one(const char *base, const char *name, const char *dir,
                     const gaz_fetch_opts *o, cx_err *err)
{
    size_t nl = strlen(name);
    bool plain = nl > 4 && !strcmp(name + nl - 4, ".txt");
    if (!nl || strchr(name, '/') || strstr(name, ".."))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad dump name \"%s\"", name);
    char url[4096], target[4096], tmp[4200], zip[4200];
    long pid = (long)getpid();
    if (plain) {
        snprintf(url, sizeof url, "%s/%s", base, name);
        snprintf(target, sizeof target, "%s/%s", dir, name);
    } else {
        snprintf(url, sizeof url, "%s/%s.zip", base, name);
        snprintf(target, sizeof target, "%s/%s.txt", dir, name);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", target, pid);
    snprintf(zip, sizeof zip, "%s/%s.tmp-%ld.zip", dir, name, pid); /* vsizip wants .zip */
    long long bytes = 0;
    int rc;
    if (plain) {
        rc = download(url, tmp, &bytes, err);
    } else {
        char member[512];
        snprintf(member, sizeof member, "%s.txt", name);
        rc = download(url, zip, &bytes, err);
        if (!rc)
            rc = unzip_member(zip, member, tmp, &bytes, err);
        unlink(zip);
    }
    if (!rc && rename(tmp, target) != 0)
        rc = cx_err_set(err, CX_EIO, target, 0, "cannot rename into place: %s",
                        strerror(errno));
    if (rc)
        unlink(tmp);
    else if (o->done)
        o->done(o->done_ctx, target, bytes);
    return rc;
}

int gaz_fetch(const gaz_fetch_opts *o, cx_err *err)
{
    if (!o || !o->out_dir || (!o->n_names && !o->alternate_names))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_fetch: nothing to fetch");
    const char *base = o->base_url && *o->base_url ? o->base_url : DEFAULT_BASE;
    char b[2048];
    snprintf(b, sizeof b, "%s", base);
    size_t bl = strlen(b);
    while (bl > 0 && b[bl - 1] == '/')
        b[--bl] = '\0';
    int rc = 0;
    for (size_t i = 0; !rc && i < o->n_names; i++)
        rc = fetch_one(b, o->names[i], o->out_dir, o, err);
    if (!rc && o->alternate_names)
        rc = fetch_one(b, "alternateNamesV2", o->out_dir, o, err);
    return rc;
}
