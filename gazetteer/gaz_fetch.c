/* gaz_fetch.c -- download GeoNames dumps with libcurl and unzip them with
 * GDAL's /vsizip/ (no unzip binary, no minizip). Files are written under a
 * temporary name, checked (zip magic, inflated size, NUL bytes, the first
 * line's columns) and renamed into place when complete. Downloads have a
 * low-speed limit, an overall timeout and a size cap. It does not parse the
 * rows (gaz_sources.c does). */
#include "gazetteer.h"
#include "cx_cleanup.h"

#include <cpl_vsi.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BASE "https://download.geonames.org/export/dump"
#define DEFAULT_TIMEOUT_S 3600.0
#define DEFAULT_STALL_S 60.0
#define DEFAULT_MAX_BYTES (4LL << 30)
#define LOW_SPEED_BYTES 1024L /* bytes per second below which a download stalls */
#define MAX_INFLATE_RATIO 200 /* GeoNames text zips 4-6 times; a bomb thousands */

typedef struct sink {
    FILE *f;
    long long got, max;
    bool over;
} sink;

static size_t write_cb(char *data, size_t size, size_t n, void *ctx)
{
    sink *k = ctx;
    size_t len = size * n;
    if (k->got + (long long)len > k->max) {
        k->over = true;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    k->got += (long long)len;
    return fwrite(data, 1, len, k->f);
}

/* Download `url` into `path`. */
static int download(const char *url, const char *path, const gaz_fetch_opts *o,
                    long long *bytes, cx_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return cx_err_set(err, CX_EIO, path, 0, "cannot write: %s", strerror(errno));
    CURL *c = curl_easy_init();
    if (!c) {
        fclose(f);
        return cx_err_set(err, CX_ENOMEM, url, 0, "libcurl: cannot initialise");
    }
    double timeout = o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S;
    double stall = o->stall_s > 0 ? o->stall_s : DEFAULT_STALL_S;
    sink k = {f, 0, o->max_bytes > 0 ? o->max_bytes : DEFAULT_MAX_BYTES, false};
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "incimap-gazetteer-fetch");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    /* a server that stalls or trickles fails instead of hanging forever */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)(stall + 0.999));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)k.max);
    CURLcode cr = curl_easy_perform(c);
    curl_easy_cleanup(c);
    int rc = 0;
    errno = 0;
    if (fclose(f) != 0)
        rc = cx_err_set(err, CX_EIO, path, 0, "write error: %s", strerror(errno));
    if (k.over || cr == CURLE_FILESIZE_EXCEEDED)
        rc = cx_err_set(err, CX_EFORMAT, url, 0, "refused: larger than %lld bytes (--max-size)",
                        k.max);
    else if (cr == CURLE_OPERATION_TIMEDOUT)
        rc = cx_err_set(err, CX_ENOTFOUND, url, 0,
                        "download failed: %s (under %ld bytes/s for %g s, or over %g s in "
                        "all: --stall, --timeout)",
                        ebuf[0] ? ebuf : curl_easy_strerror(cr), LOW_SPEED_BYTES, stall, timeout);
    else if (cr != CURLE_OK)
        rc = cx_err_set(err, CX_ENOTFOUND, url, 0, "download failed: %s",
                        ebuf[0] ? ebuf : curl_easy_strerror(cr));
    *bytes = k.got;
    return rc;
}

/* Columns of a GeoNames dump: 19 (CC.txt, cities500.txt, allCountries.txt),
 * 10 (alternateNamesV2.txt), 4 (admin1CodesASCII.txt); 0 = unknown file, any
 * count of at least 2. */
static int expected_columns(const char *name)
{
    if (!strncmp(name, "alternateNamesV2", 16))
        return 10;
    if (!strncmp(name, "admin1Codes", 11) || !strncmp(name, "admin2Codes", 11))
        return 4;
    size_t n = strlen(name);
    if (n > 4 && !strcmp(name + n - 4, ".txt"))
        return 0;
    return 19;
}

/* The text that arrived is GeoNames TSV: no NUL byte in `head` (the first
 * bytes), and the first line has the dump's columns. */
static int check_tsv(const char *what, const char *name, const char *head, size_t len,
                     cx_err *err)
{
    if (len == 0)
        return cx_err_set(err, CX_EFORMAT, what, 0, "empty file");
    if (memchr(head, '\0', len))
        return cx_err_set(err, CX_EFORMAT, what, 0, "binary data (NUL bytes), not GeoNames text");
    const char *nl = memchr(head, '\n', len);
    size_t line = nl ? (size_t)(nl - head) : len;
    int cols = 1;
    for (size_t i = 0; i < line; i++)
        cols += head[i] == '\t';
    int want = expected_columns(name);
    bool html = line > 0 && head[0] == '<';
    if ((want && cols != want) || (!want && cols < 2))
        return cx_err_set(err, CX_EFORMAT, what, 0,
                          "%snot a GeoNames dump: %d tab-separated column%s on the first line, "
                          "%d expected",
                          html ? "an HTML page, " : "", cols, cols == 1 ? "" : "s",
                          want ? want : 2);
    return 0;
}

/* Check the first bytes of the file at `path` as TSV. */
static int check_tsv_file(const char *path, const char *name, cx_err *err)
{
    char head[8192];
    FILE *f = fopen(path, "rb");
    if (!f)
        return cx_err_set(err, CX_EIO, path, 0, "cannot read: %s", strerror(errno));
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return check_tsv(path, name, head, n, err);
}

/* A zip starts with a local file header (or is an empty archive). */
static int check_zip(const char *url, const char *path, cx_err *err)
{
    unsigned char m[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return cx_err_set(err, CX_EIO, path, 0, "cannot read: %s", strerror(errno));
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    if (n == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4)
        return 0;
    return cx_err_set(err, CX_EFORMAT, url, 0, "not a zip file%s", n && m[0] == '<'
                                                                         ? " (the server sent an "
                                                                           "HTML page)"
                                                                         : "");
}

/* Copy member `member` of zip `zip` to `path`, checking what comes out. */
static int unzip_member(const char *zip, const char *member, const char *path, long long zbytes,
                        const gaz_fetch_opts *o, long long *bytes, cx_err *err)
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
    long long cap = o->max_bytes > 0 ? o->max_bytes : DEFAULT_MAX_BYTES;
    long long ratio_cap = zbytes * MAX_INFLATE_RATIO + (1 << 20);
    if (ratio_cap < cap)
        cap = ratio_cap;
    char buf[65536];
    size_t n;
    int rc = 0;
    bool first = true;
    *bytes = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, in)) > 0) {
        if (first && (rc = check_tsv(member, member, buf, n, err)) != 0)
            break;
        first = false;
        if (memchr(buf, '\0', n)) {
            rc = cx_err_set(err, CX_EFORMAT, member, 0,
                            "binary data (NUL bytes) at byte %lld, not GeoNames text", *bytes);
            break;
        }
        if (*bytes + (long long)n > cap) {
            rc = cx_err_set(err, CX_EFORMAT, zip, 0,
                            "member %s inflates past %lld bytes (a decompression bomb, or "
                            "--max-size too small)",
                            member, cap);
            break;
        }
        if (fwrite(buf, 1, n, out) != n) {
            rc = cx_err_set(err, CX_EIO, path, 0, "write error: %s", strerror(errno));
            break;
        }
        *bytes += (long long)n;
    }
    if (!rc && first)
        rc = cx_err_set(err, CX_EFORMAT, zip, 0, "member %s is empty", member);
    if (!rc && VSIFEofL(in) == 0)
        rc = cx_err_set(err, CX_EFORMAT, zip, 0, "cannot read member %s (truncated zip?)",
                        member);
    VSIFCloseL(in);
    errno = 0;
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
    char url[4096], target[4096], tmp[4200], zip[4200], prefix[600];
    long pid = (long)getpid();
    if (plain) {
        snprintf(url, sizeof url, "%s/%s", base, name);
        snprintf(target, sizeof target, "%s/%s", dir, name);
    } else {
        snprintf(url, sizeof url, "%s/%s.zip", base, name);
        snprintf(target, sizeof target, "%s/%s.txt", dir, name);
    }
    /* leftovers of killed fetches of this name */
    snprintf(prefix, sizeof prefix, "%s%s.tmp-", name, plain ? "" : ".txt");
    cx_cleanup_stale(dir, prefix, '\0', NULL, NULL);
    snprintf(prefix, sizeof prefix, "%s.tmp-", name);
    cx_cleanup_stale(dir, prefix, '.', NULL, NULL);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", target, pid);
    snprintf(zip, sizeof zip, "%s/%s.tmp-%ld.zip", dir, name, pid); /* vsizip wants .zip */
    int slot_tmp = cx_cleanup_add(tmp), slot_zip = -1;
    long long bytes = 0;
    int rc;
    if (plain) {
        rc = download(url, tmp, o, &bytes, err);
        if (!rc)
            rc = check_tsv_file(tmp, name, err);
    } else {
        char member[512];
        snprintf(member, sizeof member, "%s.txt", name);
        slot_zip = cx_cleanup_add(zip);
        long long zbytes = 0;
        rc = download(url, zip, o, &zbytes, err);
        if (!rc)
            rc = check_zip(url, zip, err);
        if (!rc)
            rc = unzip_member(zip, member, tmp, zbytes, o, &bytes, err);
        unlink(zip);
    }
    if (!rc && rename(tmp, target) != 0)
        rc = cx_err_set(err, CX_EIO, target, 0, "cannot rename into place: %s",
                        strerror(errno));
    if (rc)
        unlink(tmp);
    else if (o->done)
        o->done(o->done_ctx, target, bytes);
    cx_cleanup_forget(slot_tmp);
    cx_cleanup_forget(slot_zip);
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
