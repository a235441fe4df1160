/* out_geojson.c -- the streaming GeoJSON layer writer (out_geojson.h).
 *
 * The text is GDAL 3.6's, byte for byte:
 * - the head "{\n\"type\": \"FeatureCollection\",\n\"name\": \"<name>\",\n
 *   \"features\": [\n", features separated by ",\n", the end "\n]\n}\n";
 * - each feature as json-c prints with JSON_C_TO_STRING_SPACED and
 *   NOSLASHESCAPE: "{ " members ", "-separated " }", "[ " items " ]",
 *   an empty one "{ }" / "[ ]";
 * - strings escaped as json-c 0.16 does: \" \\ \b \f \n \r \t, the other
 *   bytes below 0x20 as \u00xx (lowercase hex), everything else (UTF-8,
 *   U+2028, DEL, "/") as it is;
 * - reals as OGR_json_double_with_significant_figures (%.17g, retried with
 *   16, 15, 14 digits past a 999999 or 000000 run, ".0" added to an
 *   integral value), coordinates as OGRFormatDouble with 6 decimals
 *   (fixed notation, intelliround, trailing zeros dropped); a point's
 *   longitude past +-180 wrapped into range as GDAL does.
 * tests/unit/test_geojson.c checks it against GDAL itself. */
#include "out_geojson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT  (1u << 16) /* bytes buffered before a write */
#define MAX_DEPTH 8

struct outp_gj {
    FILE *fp;    /* the file, or stdout */
    bool own;    /* fp is ours to close */
    bool failed; /* a write or an allocation failed */
    int errnum;  /* errno of the first failure */
    char *buf;
    size_t len, cap;
    long count;                  /* features */
    size_t feat_start, feat_end; /* the last feature's bytes in buf */
    int depth;                   /* open containers inside the feature */
    bool had[MAX_DEPTH];         /* the container at each depth has a member */
    char path[4096];
};

/* ===== The buffer ===== */

static void fail(outp_gj *g, int e)
{
    if (!g->failed) {
        g->failed = true;
        g->errnum = e ? e : EIO;
    }
}

static void flush(outp_gj *g)
{
    if (g->len && !g->failed && fwrite(g->buf, 1, g->len, g->fp) != g->len)
        fail(g, errno);
    g->len = 0;
}

/* Room for `n` more bytes; false (and the writer failed) when none. */
static bool reserve(outp_gj *g, size_t n)
{
    if (g->failed)
        return false;
    if (g->cap - g->len >= n)
        return true;
    size_t cap = g->cap ? g->cap : FLUSH_AT * 2;
    while (cap - g->len < n) {
        if (cap > ((size_t)-1) / 2) {
            fail(g, ENOMEM);
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(g->buf, cap);
    if (!p) {
        fail(g, ENOMEM);
        return false;
    }
    g->buf = p;
    g->cap = cap;
    return true;
}

static void put(outp_gj *g, const char *s, size_t n)
{
    if (!reserve(g, n))
        return;
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

#define PUT_LIT(g, lit) put((g), (lit), sizeof(lit) - 1)

/* The bytes json-c escapes: 1 with a short escape, 2 as \u00xx. */
/* clang-format off */
static const unsigned char ESC[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1, 2, 2, /* \b \t \n \f \r */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* " */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* \ */
};
/* clang-format on */

static void put_string(outp_gj *g, const char *s)
{
    size_t n = strlen(s);
    /* worst case: every byte as \u00xx, plus the quotes */
    if (n > ((size_t)-1) / 8 || !reserve(g, 6 * n + 2))
        return;
    char *o = g->buf + g->len;
    *o++ = '"';
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        const unsigned char *run = p;
        while (p < end && !ESC[*p])
            p++;
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        if (p == end)
            break;
        unsigned char c = *p++;
        *o++ = '\\';
        switch (c) {
        case '\b': *o++ = 'b'; break;
        case '\t': *o++ = 't'; break;
        case '\n': *o++ = 'n'; break;
        case '\f': *o++ = 'f'; break;
        case '\r': *o++ = 'r'; break;
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = "0123456789abcdef"[c >> 4];
            *o++ = "0123456789abcdef"[c & 15];
            break;
        }
    }
    *o++ = '"';
    g->len = (size_t)(o - g->buf);
}

/* ===== Numbers ===== */

/* `m` / 10^`decimals` in fixed notation, |m| < 1e15: "-12.3400" (every
 * decimal written). */
static size_t fixed_from_int(char *buf, double m, int decimals)
{
    char d[32];
    size_t nd = 0, n = 0;
    unsigned long long u = (unsigned long long)fabs(m);
    do {
        d[nd++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (nd <= (size_t)decimals)
        d[nd++] = '0';
    if (m < 0)
        buf[n++] = '-';
    while (nd > (size_t)decimals)
        buf[n++] = d[--nd];
    buf[n++] = '.';
    while (nd)
        buf[n++] = d[--nd];
    buf[n] = '\0';
    return n;
}

/* A value on a grid of 1e-3 or 1e-6 (what the writer rounds reals to):
 * GDAL's text without snprintf. v, the double nearest to D = m / 10^s
 * with at most 9 significant digits and 1e-4 <= |v| < 1e7, differs from D
 * by less than 1.2e-16 |v|: its %.17g is D with the digits 10 to 15 all 0
 * or all 9 (a run, after the point), and %.15g (or %.16g) is D with its
 * trailing zeros dropped, which has no run: GDAL writes D. An integral D
 * gets ".0". 0 if `v` is not on such a grid. */
static size_t fmt_real_grid(char *buf, double v)
{
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e7))
        return 0;
    static const double scales[] = {1e3, 1e6};
    for (int k = 0; k < 2; k++) {
        double m = round(v * scales[k]);
        if (fabs(m) >= 1e9 || m / scales[k] != v)
            continue;
        size_t n = fixed_from_int(buf, m, k ? 6 : 3);
        while (buf[n - 1] == '0')
            n--;
        if (buf[n - 1] == '.')
            buf[n++] = '0'; /* integral: "31.0" */
        buf[n] = '\0';
        return n;
    }
    return 0;
}

size_t outp_gj_fmt_real(char *buf, double v)
{
    if (v == 0)
        return (size_t)snprintf(buf, 80, signbit(v) ? "-0.0" : "0.0");
    size_t fast = fmt_real_grid(buf, v);
    if (fast)
        return fast;
    int n = snprintf(buf, 80, "%.17g", v);
    const char *dot = strchr(buf, '.');
    if (dot && (strstr(dot, "999999") || strstr(dot, "000000"))) {
        bool ok = false;
        for (int i = 1; i <= 3 && !ok; i++) {
            n = snprintf(buf, 80, "%.*g", 17 - i, v);
            dot = strchr(buf, '.');
            ok = dot && !strstr(dot, "999999") && !strstr(dot, "000000");
        }
        if (!ok)
            n = snprintf(buf, 80, "%.17g", v);
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e'))
        n += snprintf(buf + n, 80 - (size_t)n, ".0");
    return (size_t)n;
}

/* Add one unit in the last place of the decimal digits of `s` (a fixed
 * notation number), carrying: GDAL's roundup() of intelliround. */
static void round_up(char *s, size_t *len)
{
    size_t i = *len;
    while (i > 0) {
        i--;
        if (s[i] == '.')
            continue;
        if (s[i] == '-')
            break;
        if (s[i] != '9') {
            s[i]++;
            return;
        }
        s[i] = '0';
        if (i == 0 || s[i - 1] == '-') {
            /* a new leading digit */
            memmove(s + i + 1, s + i, *len - i + 1);
            s[i] = '1';
            (*len)++;
            return;
        }
    }
}

/* GDAL's intelliround on a fixed-notation string: drop a trailing
 * "00000x" or "99999x" (rounded up) that is likely a round-off. */
static void intelliround(char *s, size_t *len)
{
    size_t n = *len;
    if (n <= 10)
        return;
    const char *dotp = strchr(s, '.');
    if (!dotp || strchr(s, 'e') || strchr(s, 'E'))
        return;
    size_t dot = (size_t)(dotp - s);
    long before = (long)dot - 1;
    if (s[0] == '-')
        before--;
    if (s[n - 2] == '0' && s[n - 3] == '0' && s[n - 4] == '0' && s[n - 5] == '0' &&
        s[n - 6] == '0') {
        s[--n] = '\0';
    } else if (dot < n - 8 && (before >= 4 || s[n - 3] == '0') &&
               (before >= 5 || s[n - 4] == '0') && (before >= 6 || s[n - 5] == '0') &&
               (before >= 7 || s[n - 6] == '0') && (before >= 8 || s[n - 7] == '0') &&
               s[n - 8] == '0' && s[n - 9] == '0') {
        n -= 8;
        s[n] = '\0';
    } else if (s[n - 2] == '9' && s[n - 3] == '9' && s[n - 4] == '9' && s[n - 5] == '9' &&
               s[n - 6] == '9') {
        n -= 6;
        s[n] = '\0';
        round_up(s, &n);
    } else if (dot < n - 9 && (before >= 4 || s[n - 3] == '9') &&
               (before >= 5 || s[n - 4] == '9') && (before >= 6 || s[n - 5] == '9') &&
               (before >= 7 || s[n - 6] == '9') && (before >= 8 || s[n - 7] == '9') &&
               s[n - 8] == '9' && s[n - 9] == '9') {
        n -= 9;
        s[n] = '\0';
        round_up(s, &n);
    }
    *len = n;
}

size_t outp_gj_fmt_coord(char *buf, double v)
{
    if (isinf(v))
        return (size_t)snprintf(buf, 80, v > 0 ? "inf" : "-inf");
    if (isnan(v))
        return (size_t)snprintf(buf, 80, "nan");
    if (fabs(v) > 1e50)
        return (size_t)snprintf(buf, 80, "%.18g", v);
    /* on the 1e-6 grid (|v| < 1e8): %.6f is m / 1e6 exactly */
    double m = round(v * 1e6);
    size_t n = fabs(v) < 1e8 && m / 1e6 == v ? fixed_from_int(buf, m, 6)
                                             : (size_t)snprintf(buf, 80, "%.6f", v);
    if (m == 0 && signbit(v)) /* -0.0000001: %.6f writes "-0.000000" */
        n = (size_t)snprintf(buf, 80, "%.6f", v);
    intelliround(buf, &n);
    /* trailing zeros dropped, one digit kept after the point */
    if (strchr(buf, '.')) {
        while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
            buf[--n] = '\0';
    }
    return n;
}

/* ===== Structure ===== */

/* Before a member of the current container: the separator. */
static void member(outp_gj *g)
{
    if (g->had[g->depth])
        PUT_LIT(g, ", ");
    else
        PUT_LIT(g, " ");
    g->had[g->depth] = true;
}

static void key(outp_gj *g, const char *k)
{
    member(g);
    put_string(g, k);
    PUT_LIT(g, ": ");
}

static void push(outp_gj *g)
{
    if (g->depth + 1 < MAX_DEPTH)
        g->had[++g->depth] = false;
    else
        fail(g, EINVAL);
}

/* Close the current container: " ]" or " }", empty or not (json-c). */
static void pop(outp_gj *g, char close)
{
    if (g->depth > 0)
        g->depth--;
    char b[2] = {' ', close};
    put(g, b, 2);
}

outp_gj *outp_gj_open(const char *path, const char *name, cx_err *err)
{
    outp_gj *g = calloc(1, sizeof *g);
    if (!g) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    if (path) {
        snprintf(g->path, sizeof g->path, "%s", path);
        if (!(g->fp = fopen(path, "wb"))) {
            cx_err_set(err, CX_EOUT, path, 0, "cannot create: %s", strerror(errno));
            free(g);
            return NULL;
        }
        g->own = true;
    } else {
        snprintf(g->path, sizeof g->path, "standard output");
        g->fp = stdout;
    }
    PUT_LIT(g, "{\n\"type\": \"FeatureCollection\",\n\"name\": ");
    put_string(g, name);
    PUT_LIT(g, ",\n\"features\": [\n");
    if (g->failed) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        outp_gj_abort(g);
        return NULL;
    }
    return g;
}

void outp_gj_begin(outp_gj *g)
{
    if (g->len >= FLUSH_AT)
        flush(g);
    if (g->count)
        PUT_LIT(g, ",\n");
    g->feat_start = g->len;
    PUT_LIT(g, "{ \"type\": \"Feature\", \"properties\": {");
    g->depth = 0;
    g->had[0] = false;
}

void outp_gj_str(outp_gj *g, const char *k, const char *s)
{
    key(g, k);
    if (s && *s)
        put_string(g, s);
    else
        PUT_LIT(g, "null");
}

void outp_gj_text(outp_gj *g, const char *k, const char *s)
{
    key(g, k);
    if (s)
        put_string(g, s);
    else
        PUT_LIT(g, "null");
}

void outp_gj_int(outp_gj *g, const char *k, long long v, long long null_below)
{
    key(g, k);
    if (v < null_below) {
        PUT_LIT(g, "null");
        return;
    }
    char b[32];
    size_t n = sizeof b;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        b[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        b[--n] = '-';
    put(g, b + n, sizeof b - n);
}

void outp_gj_real(outp_gj *g, const char *k, double v)
{
    key(g, k);
    if (!isfinite(v)) {
        PUT_LIT(g, "null");
        return;
    }
    char b[80];
    put(g, b, outp_gj_fmt_real(b, v));
}

void outp_gj_bool(outp_gj *g, const char *k, bool v)
{
    key(g, k);
    if (v)
        PUT_LIT(g, "true");
    else
        PUT_LIT(g, "false");
}

void outp_gj_null(outp_gj *g, const char *k)
{
    key(g, k);
    PUT_LIT(g, "null");
}

void outp_gj_str_array(outp_gj *g, const char *k, char *const *s, size_t n)
{
    key(g, k);
    PUT_LIT(g, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUT_LIT(g, ", ");
        else
            PUT_LIT(g, " ");
        put_string(g, s[i] ? s[i] : "");
    }
    PUT_LIT(g, " ]");
}

void outp_gj_array_begin(outp_gj *g, const char *k)
{
    key(g, k);
    PUT_LIT(g, "[");
    push(g);
}

void outp_gj_array_end(outp_gj *g)
{
    pop(g, ']');
}

void outp_gj_object_begin(outp_gj *g)
{
    member(g);
    PUT_LIT(g, "{");
    push(g);
}

void outp_gj_object_end(outp_gj *g)
{
    pop(g, '}');
}

static void end_feature(outp_gj *g)
{
    g->count++;
    g->feat_end = g->len;
}

void outp_gj_copy_last(outp_gj *g, const outp_gj *src)
{
    if (g->len >= FLUSH_AT)
        flush(g);
    if (g->count)
        PUT_LIT(g, ",\n");
    size_t n = src->feat_end - src->feat_start;
    if (src->failed) {
        fail(g, src->errnum);
        return;
    }
    g->feat_start = g->len;
    put(g, src->buf + src->feat_start, n);
    end_feature(g);
}

void outp_gj_end_point(outp_gj *g, double x, double y)
{
    char b[80];
    /* RFC 7946: GDAL wraps a longitude past the antimeridian
     * (OGRWrapPointDateLine) */
    if (x > 180)
        x = fmod(x + 180, 360) - 180;
    else if (x < -180)
        x = -(fmod(-x + 180, 360) - 180);
    PUT_LIT(g, " }, \"geometry\": { \"type\": \"Point\", \"coordinates\": [ ");
    put(g, b, outp_gj_fmt_coord(b, x));
    PUT_LIT(g, ", ");
    put(g, b, outp_gj_fmt_coord(b, y));
    PUT_LIT(g, " ] } }");
    end_feature(g);
}

void outp_gj_end_line(outp_gj *g, const double *xy, size_t n)
{
    char b[80];
    PUT_LIT(g, " }, \"geometry\": { \"type\": \"LineString\", \"coordinates\": [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            PUT_LIT(g, ", [ ");
        else
            PUT_LIT(g, " [ ");
        put(g, b, outp_gj_fmt_coord(b, xy[2 * i]));
        PUT_LIT(g, ", ");
        put(g, b, outp_gj_fmt_coord(b, xy[2 * i + 1]));
        PUT_LIT(g, " ]");
    }
    PUT_LIT(g, " ] } }");
    end_feature(g);
}

long outp_gj_count(const outp_gj *g)
{
    return g ? g->count : 0;
}

int outp_gj_close(outp_gj *g, cx_err *err)
{
    if (!g)
        return 0;
    PUT_LIT(g, "\n]\n}\n");
    flush(g);
    if (!g->failed && fflush(g->fp) != 0)
        fail(g, errno);
    if (g->own && fclose(g->fp) != 0)
        fail(g, errno);
    g->fp = NULL;
    int rc = 0;
    /* standard output: the caller looks at ferror(stdout) (writer.h) */
    if (g->failed && (g->own || g->errnum == ENOMEM))
        rc = cx_err_set(err, g->errnum == ENOMEM ? CX_ENOMEM : CX_EOUT, g->path, 0,
                        "write error: %s", strerror(g->errnum));
    free(g->buf);
    free(g);
    return rc;
}

void outp_gj_abort(outp_gj *g)
{
    if (!g)
        return;
    if (g->own && g->fp)
        fclose(g->fp);
    free(g->buf);
    free(g);
}
