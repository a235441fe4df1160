/* archives.h -- compressed streams and archives (libarchive): gzip, bzip2, xz
 * and zstd streams, zip and tar archives (compressed or not). The only module
 * that includes libarchive (its header is archive.h: hence this file's name). Members are only ever read into
 * memory, never written to disk, so member names (even "../x" or "/etc/x")
 * name nothing outside the archive. */
#ifndef RDP_ARCHIVE_H
#define RDP_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct rdp_archive rdp_archive; /* opaque */

enum {
    RDP_ARC_NONE = 0,   /* plain bytes: not for this module */
    RDP_ARC_STREAM = 1, /* one compressed stream (gzip, bzip2, xz, zstd) */
    RDP_ARC_MEMBERS = 2 /* zip or tar: members */
};

/* A decompression that grows past this many bytes and more than
 * RDP_ARC_MAX_RATIO times the compressed bytes read is refused as a bomb. */
#define RDP_ARC_MAX_RATIO 1000u

/** What the first `n` bytes of a file say it is (RDP_ARC_*). Needs up to
 *  512 bytes to see a tar header; fewer are looked at when fewer are given. */
int rdp_archive_sniff(const char *head, size_t n);

/** Read callback: fill buf with up to n bytes; return the count (0 at the
 *  end). `*failed` is set on a read error. */
typedef size_t (*rdp_archive_read_fn)(void *ctx, char *buf, size_t n, bool *failed);

/** Open an archive or compressed stream whose bytes come from `read(ctx)`.
 *  `name` names it in errors. Returns NULL and fills `err` on failure.
 *  Ownership: caller closes with rdp_archive_close(); ctx stays the caller's
 *  and must outlive the archive. */
rdp_archive *rdp_archive_open(const char *name, rdp_archive_read_fn read, void *ctx,
                              cx_err *err);

/** Go to the next member. For a compressed stream, the one member is the
 *  stream itself (*path set to NULL). Directories, links and other non-files
 *  are skipped. Returns 1 with a member (*path borrowed until the next call),
 *  0 at the end, CX_EIO when the archive is corrupt (err says why). */
int rdp_archive_next(rdp_archive *a, const char **path, cx_err *err);

/** True when `a` is one compressed stream rather than zip or tar members. */
bool rdp_archive_is_stream(const rdp_archive *a);

/** Read up to `n` bytes of the current member. Returns the count (0 at the
 *  member's end), or CX_EFORMAT (this member is bad; the next may be read)
 *  or CX_EIO (the archive cannot go on), with `err` set (no source). */
long rdp_archive_read(rdp_archive *a, char *buf, size_t n, cx_err *err);

/** Close `a`; NULL is a no-op. */
void rdp_archive_close(rdp_archive *a);

#endif
