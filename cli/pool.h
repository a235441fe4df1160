/* pool.h -- what makes `incimap extract` fast: the gazetteer's read index
 * and a pool of worker threads that run jobs (documents to extract) while
 * the calling thread reads the input and consumes the results, strictly in
 * the order it submitted them, so that any number of workers gives the same
 * output as one. */
#ifndef CLI_POOL_H
#define CLI_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "gazetteer.h"
#include "msgs.h"

/** Make `db` answer from its read index (gaz_use_index), writing the index
 *  when missing: beside the gazetteer, else in $XDG_CACHE_HOME/incimap
 *  ($HOME/.cache/incimap). When it cannot, says so at -v and the run goes on
 *  with SQLite. INCIMAP_NO_INDEX=1 leaves the index out (benchmarks). */
void cli_gazetteer_index(gaz_db *db, cli_msgs *m);

/** The default number of workers: the cores online (at least 1). */
size_t cli_pool_cores(void);

/* The work of a job, run by worker `worker` (0 .. n_workers-1) with the
 * context the caller gave that worker. Must touch nothing but the job and
 * its own context. */
typedef void (*cli_pool_fn)(void *worker_ctx, void *job);

typedef struct cli_pool cli_pool; /* opaque */

/** A pool of `n_workers` threads running `fn` on jobs, worker i with
 *  worker_ctx[i], at most `depth` jobs in flight (0: 4 per worker). With
 *  n_workers 0 or 1 no thread is started: cli_pool_submit runs the job
 *  at once in the calling thread. Returns NULL on failure (no memory, no
 *  thread). Ownership: cli_pool_free(); `worker_ctx` must outlive it. */
cli_pool *cli_pool_new(size_t n_workers, size_t depth, cli_pool_fn fn, void **worker_ctx);

/** Hand `job` to the pool (borrowed until cli_pool_next returns it). Blocks
 *  while `depth` jobs are in flight: call cli_pool_next first when
 *  cli_pool_full() says so. */
void cli_pool_submit(cli_pool *p, void *job);

/** Whether submitting now would block. */
bool cli_pool_full(const cli_pool *p);

/** The oldest submitted job, once done, in submission order; NULL when no
 *  job is in flight. With `wait` false, NULL also when the oldest is not
 *  done yet. */
void *cli_pool_next(cli_pool *p, bool wait);

/** CPU seconds the jobs have taken so far, summed over the workers (the
 *  calling thread's, with no worker thread): for stage timings. */
double cli_pool_cpu(cli_pool *p);

/** CPU seconds (user + system) of the calling thread so far. */
double cli_thread_cpu(void);

/** Wait for the jobs in flight (their results are dropped: get them with
 *  cli_pool_next first), stop the threads and free `p`. NULL is a no-op. */
void cli_pool_free(cli_pool *p);

/* A relay: items handed, in order, to `fn` in one thread of its own, so
 * that the caller goes on with the next while the last is consumed (the
 * run's final export reads the store while the writer formats). */
typedef int (*cli_relay_fn)(void *ctx, void *item, cx_err *err);

typedef struct cli_relay cli_relay; /* opaque */

/** A relay of at most `depth` items in flight (0: 64) to `fn(ctx, item)`,
 *  each item then given to `drop` (which frees it), also when not
 *  consumed after a failure. Returns NULL on failure (no memory, no
 *  thread). Ownership: cli_relay_finish() then cli_relay_free(). */
cli_relay *cli_relay_new(size_t depth, cli_relay_fn fn, void (*drop)(void *item), void *ctx);

/** Hand `item` over (owned by the relay from now on, dropped on failure);
 *  blocks while `depth` items wait. Returns 0, or the first non-zero
 *  return of `fn` (its error copied to `err`): stop handing over. */
int cli_relay_put(cli_relay *r, void *item, cx_err *err);

/** Wait until every item is consumed and stop the thread. Returns 0 or the
 *  first non-zero return of `fn` (error in `err`). */
int cli_relay_finish(cli_relay *r, cx_err *err);

/** Free `r` (finishing it first when needed). NULL is a no-op. */
void cli_relay_free(cli_relay *r);

#endif
