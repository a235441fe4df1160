/* cx_lock.h -- one run at a time per output: an advisory lock (flock) on
 * the file TARGET.lock beside the output, held for as long as the output is
 * written. A second process waits a bounded time, then gets an error that
 * names the output and the holder's process id. Within one process the lock
 * is re-entrant (watch holds it for its life, each batch takes it again).
 * The lock file is removed on release; a waiter that locked a file since
 * removed tries again, so two holders never coexist. */
#ifndef CX_LOCK_H
#define CX_LOCK_H

#include "cx_err.h"

typedef struct cx_lock cx_lock; /* opaque */

/** Lock the output `target` (a folder, a file; trailing slashes ignored),
 *  waiting up to `wait_s` seconds (negative: the default, 10 s, or
 *  $INCIMAP_LOCK_WAIT). Returns NULL with `err` set (CX_EOUT: held by
 *  another process, or the lock file cannot be created: the output's place
 *  is not writable).
 *  Ownership: caller releases with cx_lock_release(). */
cx_lock *cx_lock_take(const char *target, double wait_s, cx_err *err);

/** Release (and free) `l`; NULL is a no-op. */
void cx_lock_release(cx_lock *l);

#endif
