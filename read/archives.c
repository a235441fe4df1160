/* archives.c -- reading compressed streams and zip/tar archives through
 * libarchive. See archives.h.
 *
 * What it does: recognises the formats by content, walks members, hands out
 * their bytes, and refuses decompression bombs (a stream that inflates more
 * than RDP_ARC_MAX_RATIO times past 64 MB). What it does not do: write
 * anything to disk, choose a reader for a member (document.c does), or read
 * archives inside archives.
 */
#include "archives.h"

#include <archive.h>
#include <errno.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOMB_FLOOR (64ull * 1024u * 1024u)

struct rdp_archive {
    struct archive *a;
    rdp_archive_read_fn read;
    void *ctx;
    char buf[65536];
    bool read_failed;
    bool stream;       /* raw format: one compressed stream */
    bool in_member;    /* a member is open */
    bool dead;         /* a fatal error happened: nothing more */
    unsigned long long raw_in, out; /* compressed bytes read, bytes handed out */
    char name[512];
};

int rdp_archive_sniff(const char *head, size_t n)
{
    const unsigned char *h = (const unsigned char *)head;
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
        return RDP_ARC_STREAM; /* gzip (and .tar.gz: libarchive sees the tar inside) */
    if (n >= 3 && memcmp(h, "BZh", 3) == 0 && (n < 4 || (h[3] >= '1' && h[3] <= '9')))
        return RDP_ARC_STREAM;
    if (n >= 6 && memcmp(h, "\xfd" "7zXZ\0", 6) == 0)
        return RDP_ARC_STREAM;
    if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0)
        return RDP_ARC_STREAM; /* zstd */
    if (n >= 4 && (memcmp(h, "PK\x03\x04", 4) == 0 || memcmp(h, "PK\x05\x06", 4) == 0))
        return RDP_ARC_MEMBERS;
    if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
        return RDP_ARC_MEMBERS;
    return RDP_ARC_NONE;
}

static la_ssize_t read_cb(struct archive *arc, void *ctx, const void **out)
{
    (void)arc;
    rdp_archive *a = ctx;
    size_t k = a->read(a->ctx, a->buf, sizeof a->buf, &a->read_failed);
    if (a->read_failed) {
        archive_set_error(arc, EIO, "read error");
        return -1;
    }
    a->raw_in += k;
    *out = a->buf;
    return (la_ssize_t)k;
}

rdp_archive *rdp_archive_open(const char *name, rdp_archive_read_fn read, void *ctx, cx_err *err)
{
    rdp_archive *a = calloc(1, sizeof *a);
    if (!a || !(a->a = archive_read_new())) {
        free(a);
        cx_err_set(err, CX_ENOMEM, name, 0, "out of memory");
        return NULL;
    }
    snprintf(a->name, sizeof a->name, "%s", name);
    a->read = read;
    a->ctx = ctx;
    archive_read_support_filter_gzip(a->a);
    archive_read_support_filter_bzip2(a->a);
    archive_read_support_filter_xz(a->a);
    archive_read_support_filter_zstd(a->a);
    archive_read_support_format_tar(a->a);
    archive_read_support_format_gnutar(a->a);
    archive_read_support_format_zip(a->a);
    archive_read_support_format_empty(a->a);
    archive_read_support_format_raw(a->a); /* a compressed stream: lowest bid */
    if (archive_read_open(a->a, a, NULL, read_cb, NULL) != ARCHIVE_OK) {
        cx_err_set(err, CX_EIO, name, 0, "corrupt or unsupported archive: %s",
                   archive_error_string(a->a) ? archive_error_string(a->a) : "unknown format");
        rdp_archive_close(a);
        return NULL;
    }
    return a;
}

bool rdp_archive_is_stream(const rdp_archive *a)
{
    return a && a->stream;
}

int rdp_archive_next(rdp_archive *a, const char **path, cx_err *err)
{
    *path = NULL;
    if (a->dead)
        return 0;
    for (;;) {
        struct archive_entry *e = NULL;
        int r = archive_read_next_header(a->a, &e);
        if (r == ARCHIVE_EOF) {
            a->dead = true;
            return 0;
        }
        if (r < ARCHIVE_WARN) {
            a->dead = true;
            const char *why = archive_error_string(a->a);
            return cx_err_set(err, CX_EIO, a->name, 0, "corrupt archive: %s",
                              why ? why : "unreadable member header");
        }
        a->in_member = true;
        if (archive_format(a->a) == ARCHIVE_FORMAT_RAW) {
            a->stream = true;
            return 1;
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        *path = archive_entry_pathname(e);
        if (!*path)
            *path = archive_entry_pathname_utf8(e);
        if (!*path)
            continue;
        return 1;
    }
}

long rdp_archive_read(rdp_archive *a, char *buf, size_t n, cx_err *err)
{
    if (a->dead || !a->in_member)
        return 0;
    la_ssize_t k = archive_read_data(a->a, buf, n);
    if (k < 0) {
        const char *why = archive_error_string(a->a);
        if (k == ARCHIVE_FATAL || a->stream) {
            a->dead = true;
            return cx_err_set(err, CX_EIO, NULL, 0, "corrupt archive: %s",
                              why ? why : "unreadable data");
        }
        a->in_member = false;
        return cx_err_set(err, CX_EFORMAT, NULL, 0, "bad archive member: %s",
                          why ? why : "unreadable data");
    }
    a->out += (unsigned long long)k;
    if (a->out > BOMB_FLOOR && a->out > RDP_ARC_MAX_RATIO * (a->raw_in ? a->raw_in : 1)) {
        a->dead = true;
        return cx_err_set(err, CX_EIO, NULL, 0,
                          "decompresses to more than %u times its size: refused "
                          "(a decompression bomb?)",
                          RDP_ARC_MAX_RATIO);
    }
    return (long)k;
}

void rdp_archive_close(rdp_archive *a)
{
    if (!a)
        return;
    if (a->a)
        archive_read_free(a->a);
    free(a);
}
