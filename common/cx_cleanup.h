/* cx_cleanup.h -- temporary paths of this run (staging folders, spill
 * folders, gazetteer and download temporaries) removed when the process is
 * ended by SIGINT, SIGTERM or SIGHUP, and leftovers of dead runs removed at
 * the next start.
 *
 * The handler is async-signal-safe: it walks a fixed table of paths with
 * open/getdents64/unlinkat/rmdir only (no malloc, no stdio), then re-raises
 * the signal with its default action, so the exit status still says which
 * signal ended the run. This is the one process-wide table of the project:
 * a signal handler has no other way to know what to remove. */
#ifndef CX_CLEANUP_H
#define CX_CLEANUP_H

#include <stdbool.h>

/** Remember `path` (a file or a folder, removed recursively) for removal on
 *  a fatal signal. Returns a slot (>= 0) for cx_cleanup_forget(), or -1 when
 *  the path is too long or the table is full (the path is then simply not
 *  removed by a signal). Ownership: the path is copied. */
int cx_cleanup_add(const char *path);

/** Forget slot `slot` (from cx_cleanup_add; -1 is a no-op). Call it once
 *  the path is removed or renamed into place. */
void cx_cleanup_forget(int slot);

/** Install the handler for SIGINT, SIGTERM and SIGHUP, except for a signal
 *  whose disposition is SIG_IGN (nohup) . Idempotent. */
void cx_cleanup_install(void);

/** Remove `path` recursively (a file, a link or a folder). Async-signal-safe.
 *  Returns 0, or -1 when something could not be removed. */
int cx_cleanup_rm(const char *path);

/** In folder `dir`, remove the entries named PREFIX "PID" REST, where PID
 *  is a process that no longer exists and REST starts with `sep` (or is
 *  empty when `sep` is '\0'), and owned by this user: the leftovers of a
 *  killed run. Calls `removed(ctx, path, pid)` for each (may be NULL).
 *  Returns the number removed. */
int cx_cleanup_stale(const char *dir, const char *prefix, char sep,
                     void (*removed)(void *ctx, const char *path, long pid), void *ctx);

/** True when process `pid` is alive (or exists and is not ours to signal). */
bool cx_pid_alive(long pid);

#endif
