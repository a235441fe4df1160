/* warc.c -- WARC records and the HTTP responses inside them. See warc.h.
 *
 * A record is "WARC/1.x" CRLF, header lines, CRLF, then Content-Length bytes
 * of block, then CRLF CRLF. The header is at most 64 KB; a block larger than
 * the caller's limit is read through and dropped, in bounded memory. A
 * Content-Length that runs past the end of the stream is an error, and
 * nothing after it is read (the next record's start is unknown).
 */
#include "warc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HEADER 65536

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static const char *find_ci(const char *h, const char *w)
{
    size_t k = strlen(w);
    for (; *h; h++)
        if (strncasecmp(h, w, k) == 0)
            return h;
    return NULL;
}

struct rdp_warc {
    char name[512];
    rdp_warc_read_fn read;
    void *ctx;
    size_t max_block;
    char buf[65536];
    size_t len, pos; /* buf[pos..len) not consumed yet */
    long long offset; /* stream offset of buf[pos] */
    bool eof;
    cx_buf block;
};

rdp_warc *rdp_warc_new(const char *name, rdp_warc_read_fn read, void *ctx, size_t max_block)
{
    rdp_warc *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    snprintf(w->name, sizeof w->name, "%s", name);
    w->read = read;
    w->ctx = ctx;
    w->max_block = max_block;
    return w;
}

void rdp_warc_free(rdp_warc *w)
{
    if (!w)
        return;
    cx_buf_free(&w->block);
    free(w);
}

static bool fill(rdp_warc *w)
{
    if (w->eof)
        return false;
    if (w->pos > 0) {
        memmove(w->buf, w->buf + w->pos, w->len - w->pos);
        w->len -= w->pos;
        w->pos = 0;
    }
    if (w->len == sizeof w->buf)
        return false;
    size_t k = w->read(w->ctx, w->buf + w->len, sizeof w->buf - w->len);
    if (k == 0) {
        w->eof = true;
        return false;
    }
    w->len += k;
    return true;
}

/* One header line (without CRLF) into line[]; false at the end. */
static bool get_line(rdp_warc *w, char *line, size_t size, size_t *used)
{
    for (;;) {
        const char *p = w->buf + w->pos;
        const char *nl = memchr(p, '\n', w->len - w->pos);
        if (nl) {
            size_t k = (size_t)(nl - p);
            size_t c = k;
            if (c && p[c - 1] == '\r')
                c--;
            if (c >= size)
                c = size - 1;
            memcpy(line, p, c);
            line[c] = '\0';
            w->pos += k + 1;
            w->offset += (long long)(k + 1);
            *used += k + 1;
            return true;
        }
        if (!fill(w))
            return false;
    }
}

static void header_value(const char *line, const char *name, char *out, size_t size)
{
    size_t k = strlen(name);
    if (strncasecmp(line, name, k) != 0 || line[k] != ':')
        return;
    const char *v = line + k + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    snprintf(out, size, "%s", v);
    size_t m = strlen(out);
    while (m && (out[m - 1] == ' ' || out[m - 1] == '\t'))
        out[--m] = '\0';
}

int rdp_warc_next(rdp_warc *w, rdp_warc_record *rec, cx_err *err)
{
    memset(rec, 0, sizeof *rec);
    char line[4096];
    size_t used = 0;
    /* blank lines between records */
    for (;;) {
        long long at = w->offset;
        if (!get_line(w, line, sizeof line, &used)) {
            if (w->pos < w->len) /* bytes left without a newline */
                return cx_err_set(err, CX_EFORMAT, w->name, 0,
                                  "byte %lld: stray bytes after the last WARC record", at);
            return 0;
        }
        rec->offset = at;
        if (line[0] != '\0')
            break;
    }
    if (strncmp(line, "WARC/", 5) != 0)
        return cx_err_set(err, CX_EFORMAT, w->name, 0, "byte %lld: not a WARC record (\"%.20s\")",
                          rec->offset, line);
    long long clen = -1;
    used = 0;
    for (;;) {
        if (!get_line(w, line, sizeof line, &used))
            return cx_err_set(err, CX_EFORMAT, w->name, 0,
                              "record at byte %lld: the file ends inside its header", rec->offset);
        if (used > MAX_HEADER)
            return cx_err_set(err, CX_EFORMAT, w->name, 0,
                              "record at byte %lld: header longer than 64 KB", rec->offset);
        if (line[0] == '\0')
            break;
        char v[64] = "";
        header_value(line, "Content-Length", v, sizeof v);
        if (v[0]) {
            char *end = NULL;
            clen = strtoll(v, &end, 10);
            if (!end || *end || clen < 0)
                return cx_err_set(err, CX_EFORMAT, w->name, 0,
                                  "record at byte %lld: bad Content-Length '%s'", rec->offset, v);
        }
        header_value(line, "WARC-Type", rec->type, sizeof rec->type);
        header_value(line, "WARC-Target-URI", rec->uri, sizeof rec->uri);
        header_value(line, "WARC-Date", rec->date, sizeof rec->date);
        header_value(line, "Content-Type", rec->content_type, sizeof rec->content_type);
    }
    if (clen < 0)
        return cx_err_set(err, CX_EFORMAT, w->name, 0,
                          "record at byte %lld: no Content-Length", rec->offset);
    cx_buf_reset(&w->block);
    rec->too_big = (unsigned long long)clen > w->max_block;
    long long left = clen;
    while (left > 0) {
        if (w->pos == w->len && !fill(w))
            return cx_err_set(err, CX_EFORMAT, w->name, 0,
                              "record at byte %lld declares %lld bytes but the file ends %lld "
                              "bytes short (truncated?)",
                              rec->offset, clen, left);
        size_t k = w->len - w->pos;
        if ((long long)k > left)
            k = (size_t)left;
        if (!rec->too_big && cx_buf_append(&w->block, w->buf + w->pos, k) != 0)
            return cx_err_set(err, CX_ENOMEM, w->name, 0, "out of memory");
        w->pos += k;
        w->offset += (long long)k;
        left -= (long long)k;
    }
    if (!rec->too_big && cx_buf_reserve(&w->block, 0) != 0)
        return cx_err_set(err, CX_ENOMEM, w->name, 0, "out of memory");
    rec->block = rec->too_big ? "" : w->block.data;
    rec->block_len = rec->too_big ? 0 : w->block.len;
    return 1;
}

/* ===== HTTP ===== */

int rdp_warc_http(const char *s, size_t n, const char **body, size_t *body_len, cx_buf *tmp,
                  char ctype[64], char charset[40])
{
    ctype[0] = charset[0] = '\0';
    if (n < 5 || strncmp(s, "HTTP/", 5) != 0)
        return CX_EFORMAT;
    bool chunked = false;
    size_t i = 0;
    for (;;) {
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl)
            return CX_EFORMAT;
        size_t e = (size_t)(nl - s);
        size_t le = e > i && s[e - 1] == '\r' ? e - 1 : e;
        if (le == i) { /* blank line: the body follows */
            i = e + 1;
            break;
        }
        char line[1024];
        size_t k = le - i < sizeof line - 1 ? le - i : sizeof line - 1;
        memcpy(line, s + i, k);
        line[k] = '\0';
        char v[256] = "";
        header_value(line, "Content-Type", v, sizeof v);
        if (v[0]) {
            size_t m = 0;
            for (const char *p = v; *p && *p != ';' && *p != ' ' && m + 1 < 64; p++)
                ctype[m++] = (char)tolower((unsigned char)*p);
            ctype[m] = '\0';
            const char *cs = find_ci(v, "charset=");
            if (cs) {
                cs += 8;
                if (*cs == '"')
                    cs++;
                size_t j = 0;
                while (cs[j] && cs[j] != '"' && cs[j] != ';' && cs[j] != ' ' && j + 1 < 40) {
                    charset[j] = cs[j];
                    j++;
                }
                charset[j] = '\0';
            }
        }
        char te[64] = "";
        header_value(line, "Transfer-Encoding", te, sizeof te);
        if (find_ci(te, "chunked"))
            chunked = true;
        i = e + 1;
    }
    *body = s + i;
    *body_len = n - i;
    if (!chunked)
        return 0;
    /* chunked: size in hex, CRLF, data, CRLF ... 0 CRLF */
    cx_buf_reset(tmp);
    size_t p = i;
    while (p < n) {
        char *end = NULL;
        unsigned long long k = strtoull(s + p, &end, 16);
        const char *nl = memchr(s + p, '\n', n - p);
        if (!nl || end == s + p)
            break;
        p = (size_t)(nl - s) + 1;
        if (k == 0 || k > n - p)
            break;
        if (cx_buf_append(tmp, s + p, (size_t)k) != 0)
            return CX_ENOMEM;
        p += (size_t)k;
        while (p < n && (s[p] == '\r' || s[p] == '\n'))
            p++;
    }
    if (cx_buf_reserve(tmp, 0) != 0)
        return CX_ENOMEM;
    *body = tmp->data;
    *body_len = tmp->len;
    return 0;
}
