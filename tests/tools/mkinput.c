/* mkinput.c -- builds the binary inputs of the input tests (tests/input.cmake)
 * at test time from the text fixtures in tests/fixtures/input/, so that no
 * binary file is checked in:
 *
 *   mkinput encode ENC IN OUT [bom]      IN (UTF-8) converted to ENC (iconv),
 *                                        with a byte-order mark when "bom"
 *   mkinput compress FILTER IN OUT       one gzip|bzip2|xz|zstd stream of IN
 *   mkinput archive FORMAT OUT NAME=FILE...  a zip|tar|tgz archive; member
 *                                        NAME (any name, "../x" too) holds FILE
 *   mkinput bomb OUT MB                  a zip whose member bomb.txt inflates
 *                                        to MB megabytes of 'a'
 *   mkinput warc OUT [overrun] TYPE|URI|DATE|FILE...
 *                                        a WARC file, one record per argument
 *                                        (block = FILE); "overrun": the last
 *                                        record declares more bytes than it has
 *   mkinput corrupt IN OUT               IN cut at half its length
 */
#include <archive.h>
#include <archive_entry.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (!b)
        exit(3);
    *n = len;
    return b;
}

static void spit(const char *path, const char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static int encode(const char *enc, const char *in, const char *out, int bom)
{
    size_t n;
    char *s = slurp(in, &n);
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1) {
        fprintf(stderr, "mkinput: unknown encoding %s\n", enc);
        return 2;
    }
    size_t cap = n * 4 + 16;
    char *o = malloc(cap), *dst = o;
    size_t left = cap;
    if (bom) {
        const char *b = strstr(enc, "BE") ? "\xfe\xff" : "\xff\xfe";
        memcpy(dst, b, 2);
        dst += 2;
        left -= 2;
    }
    char *src = s;
    size_t src_left = n;
    if (iconv(cd, &src, &src_left, &dst, &left) == (size_t)-1) {
        perror("iconv");
        return 2;
    }
    spit(out, o, cap - left);
    iconv_close(cd);
    free(s);
    free(o);
    return 0;
}

static void check(struct archive *a, int r)
{
    if (r < ARCHIVE_WARN) {
        fprintf(stderr, "mkinput: %s\n", archive_error_string(a));
        exit(2);
    }
}

static void add_member(struct archive *a, const char *name, const char *data, size_t n)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1600000000, 0);
    check(a, archive_write_header(a, e));
    size_t off = 0;
    while (off < n) {
        size_t k = n - off > (1u << 20) ? (1u << 20) : n - off;
        la_ssize_t w = archive_write_data(a, data + off, k);
        if (w <= 0)
            check(a, ARCHIVE_FATAL);
        off += (size_t)w;
    }
    archive_entry_free(e);
}

static int compress(const char *filter, const char *in, const char *out)
{
    size_t n;
    char *s = slurp(in, &n);
    struct archive *a = archive_write_new();
    if (!strcmp(filter, "gzip"))
        check(a, archive_write_add_filter_gzip(a));
    else if (!strcmp(filter, "bzip2"))
        check(a, archive_write_add_filter_bzip2(a));
    else if (!strcmp(filter, "xz"))
        check(a, archive_write_add_filter_xz(a));
    else if (!strcmp(filter, "zstd"))
        check(a, archive_write_add_filter_zstd(a));
    else
        return 2;
    check(a, archive_write_set_format_raw(a));
    check(a, archive_write_open_filename(a, out));
    add_member(a, "data", s, n);
    check(a, archive_write_close(a));
    archive_write_free(a);
    free(s);
    return 0;
}

static int make_archive(const char *fmt, const char *out, int argc, char **argv)
{
    struct archive *a = archive_write_new();
    if (!strcmp(fmt, "zip")) {
        check(a, archive_write_set_format_zip(a));
    } else {
        check(a, archive_write_set_format_pax_restricted(a));
        if (!strcmp(fmt, "tgz"))
            check(a, archive_write_add_filter_gzip(a));
    }
    check(a, archive_write_open_filename(a, out));
    for (int i = 0; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq)
            return 2;
        *eq = '\0';
        size_t n;
        char *s = slurp(eq + 1, &n);
        add_member(a, argv[i], s, n);
        free(s);
    }
    check(a, archive_write_close(a));
    archive_write_free(a);
    return 0;
}

static int bomb(const char *out, long mb)
{
    size_t n = (size_t)mb << 20;
    char *s = malloc(n);
    if (!s)
        return 3;
    memset(s, 'a', n);
    struct archive *a = archive_write_new();
    check(a, archive_write_set_format_zip(a));
    check(a, archive_write_open_filename(a, out));
    add_member(a, "bomb.txt", s, n);
    check(a, archive_write_close(a));
    archive_write_free(a);
    free(s);
    return 0;
}

static int warc(const char *out, int argc, char **argv)
{
    FILE *f = fopen(out, "wb");
    if (!f)
        return 2;
    int overrun = argc > 0 && !strcmp(argv[0], "overrun");
    for (int i = overrun; i < argc; i++) {
        char *p[4] = {argv[i], NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            p[k] = strchr(p[k - 1], '|');
            if (!p[k])
                return 2;
            *p[k]++ = '\0';
        }
        size_t n;
        char *s = slurp(p[3], &n);
        int last = i == argc - 1;
        const char *ct = !strcmp(p[0], "warcinfo") ? "application/warc-fields"
                         : !strcmp(p[0], "request") ? "application/http; msgtype=request"
                                                    : "application/http; msgtype=response";
        fprintf(f, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>\r\n",
                p[0], i);
        if (*p[1])
            fprintf(f, "WARC-Target-URI: %s\r\n", p[1]);
        fprintf(f, "WARC-Date: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", p[2], ct,
                n + (overrun && last ? 100000 : 0));
        fwrite(s, 1, n, f);
        if (!(overrun && last))
            fputs("\r\n\r\n", f);
        free(s);
    }
    return fclose(f) == 0 ? 0 : 2;
}

static int corrupt(const char *in, const char *out)
{
    size_t n;
    char *s = slurp(in, &n);
    spit(out, s, n / 2);
    free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && !strcmp(argv[1], "encode"))
        return encode(argv[2], argv[3], argv[4], argc > 5 && !strcmp(argv[5], "bom"));
    if (argc == 5 && !strcmp(argv[1], "compress"))
        return compress(argv[2], argv[3], argv[4]);
    if (argc >= 4 && !strcmp(argv[1], "archive"))
        return make_archive(argv[2], argv[3], argc - 4, argv + 4);
    if (argc == 4 && !strcmp(argv[1], "bomb"))
        return bomb(argv[2], strtol(argv[3], NULL, 10));
    if (argc >= 3 && !strcmp(argv[1], "warc"))
        return warc(argv[2], argc - 3, argv + 3);
    if (argc == 4 && !strcmp(argv[1], "corrupt"))
        return corrupt(argv[2], argv[3]);
    fprintf(stderr, "usage: see the header of tests/tools/mkinput.c\n");
    return 2;
}
