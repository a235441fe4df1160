/* pool.c -- the gazetteer's read index for a run, and a pool of worker
 * threads that hands results back in submission order. See pool.h.
 *
 * The pool is a ring of `depth` slots indexed by sequence number: the
 * caller fills slot `head`, a worker takes the next slot not yet taken
 * (`taken`), runs it and marks it done, the caller collects slot `tail`
 * once done. One mutex and two condition variables (work for the workers,
 * done for the caller); nothing else is shared. */
#include "pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cx_err.h"

void cli_gazetteer_index(gaz_db *db, cli_msgs *m)
{
    const char *off = getenv("INCIMAP_NO_INDEX"); /* benchmarks and tests: SQLite only */
    if (off && *off && strcmp(off, "0") != 0)
        return;
    char cache[4096];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(cache, sizeof cache, "%s/incimap", xdg);
    else if (home && *home)
        snprintf(cache, sizeof cache, "%s/.cache/incimap", home);
    else
        cache[0] = '\0';
    cx_err err;
    cx_err_clear(&err);
    if (gaz_use_index(db, cache[0] ? cache : NULL, &err) != 0)
        cli_notef(m, 1, "gazetteer index unavailable (%s: %s): look-ups go to SQLite",
                  err.source, err.msg);
}

size_t cli_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

typedef struct slot {
    void *job;
    bool done;
} slot;

typedef struct worker {
    cli_pool *p;
    void *ctx;
    pthread_t th;
    bool started;
    double cpu; /* seconds spent in jobs; under the pool's mutex */
} worker;

struct cli_pool {
    cli_pool_fn fn;
    size_t n_workers, depth;
    worker *w;
    slot *ring;
    size_t head, taken, tail; /* sequence numbers: tail <= taken <= head */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    void *inline_ctx; /* no thread: the job runs in cli_pool_submit */
    double inline_cpu; /* no thread: seconds spent in jobs */
};

double cli_thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    cli_pool *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->taken == p->head)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->taken == p->head) /* stopping, nothing left */
            break;
        slot *s = &p->ring[p->taken % p->depth];
        p->taken++;
        pthread_mutex_unlock(&p->mu);
        double t0 = cli_thread_cpu();
        p->fn(w->ctx, s->job);
        double t1 = cli_thread_cpu();
        pthread_mutex_lock(&p->mu);
        w->cpu += t1 - t0;
        s->done = true;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

cli_pool *cli_pool_new(size_t n_workers, size_t depth, cli_pool_fn fn, void **worker_ctx)
{
    cli_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->fn = fn;
    if (n_workers <= 1) {
        p->inline_ctx = worker_ctx ? worker_ctx[0] : NULL;
        p->depth = 1;
        if (!(p->ring = calloc(1, sizeof *p->ring))) {
            free(p);
            return NULL;
        }
        return p;
    }
    p->n_workers = n_workers;
    p->depth = depth ? depth : 4 * n_workers;
    p->ring = calloc(p->depth, sizeof *p->ring);
    p->w = calloc(n_workers, sizeof *p->w);
    if (!p->ring || !p->w) {
        free(p->ring);
        free(p->w);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (size_t i = 0; i < n_workers; i++) {
        p->w[i] = (worker){.p = p, .ctx = worker_ctx ? worker_ctx[i] : NULL};
        if (pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]) != 0) {
            cli_pool_free(p);
            return NULL;
        }
        p->w[i].started = true;
    }
    return p;
}

bool cli_pool_full(const cli_pool *p)
{
    /* head and tail only move in the caller's thread: no lock needed */
    return p->head - p->tail >= p->depth;
}

void cli_pool_submit(cli_pool *p, void *job)
{
    if (!p->n_workers) {
        if (p->head - p->tail >= 1) /* the previous result was not collected */
            return;
        double t0 = cli_thread_cpu();
        p->fn(p->inline_ctx, job);
        p->inline_cpu += cli_thread_cpu() - t0;
        p->ring[0] = (slot){job, true};
        p->head++;
        return;
    }
    pthread_mutex_lock(&p->mu);
    while (p->head - p->tail >= p->depth && !p->ring[p->tail % p->depth].done)
        pthread_cond_wait(&p->done, &p->mu);
    if (p->head - p->tail < p->depth) {
        p->ring[p->head % p->depth] = (slot){job, false};
        p->head++;
        pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->mu);
}

void *cli_pool_next(cli_pool *p, bool wait)
{
    if (p->tail == p->head)
        return NULL;
    if (!p->n_workers) {
        p->tail++;
        return p->ring[0].job;
    }
    pthread_mutex_lock(&p->mu);
    slot *s = &p->ring[p->tail % p->depth];
    while (wait && !s->done)
        pthread_cond_wait(&p->done, &p->mu);
    void *job = s->done ? s->job : NULL;
    if (job)
        p->tail++;
    pthread_mutex_unlock(&p->mu);
    return job;
}

double cli_pool_cpu(cli_pool *p)
{
    if (!p)
        return 0;
    if (!p->n_workers)
        return p->inline_cpu;
    double sum = 0;
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->n_workers; i++)
        sum += p->w[i].cpu;
    pthread_mutex_unlock(&p->mu);
    return sum;
}

void cli_pool_free(cli_pool *p)
{
    if (!p)
        return;
    if (p->n_workers) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->work);
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < p->n_workers; i++)
            if (p->w[i].started)
                pthread_join(p->w[i].th, NULL);
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
    }
    free(p->w);
    free(p->ring);
    free(p);
}

/* ===== The relay =====
 * A ring of `depth` items between one producer and one consumer thread,
 * one mutex, two condition variables; each side signals only when the
 * other waits. */
struct cli_relay {
    cli_relay_fn fn;
    void (*drop)(void *item);
    void *ctx;
    void **ring;
    size_t depth, head, tail; /* sequence numbers: tail <= head */
    bool closed, started, joined, put_waits, get_waits;
    int rc;     /* the first failure of fn */
    cx_err err; /* its error */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_get;
};

static void *relay_main(void *arg)
{
    cli_relay *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->tail == r->head && !r->closed) {
            r->get_waits = true;
            pthread_cond_wait(&r->can_get, &r->mu);
            r->get_waits = false;
        }
        if (r->tail == r->head)
            break; /* closed and empty */
        void *item = r->ring[r->tail % r->depth];
        bool failed = r->rc != 0;
        pthread_mutex_unlock(&r->mu);
        cx_err err;
        cx_err_clear(&err);
        int rc = failed ? 0 : r->fn(r->ctx, item, &err);
        r->drop(item);
        pthread_mutex_lock(&r->mu);
        if (rc && !r->rc) {
            r->rc = rc;
            r->err = err;
        }
        r->tail++;
        if (r->put_waits)
            pthread_cond_signal(&r->can_put);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

cli_relay *cli_relay_new(size_t depth, cli_relay_fn fn, void (*drop)(void *item), void *ctx)
{
    cli_relay *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fn = fn;
    r->drop = drop;
    r->ctx = ctx;
    r->depth = depth ? depth : 64;
    if (!(r->ring = calloc(r->depth, sizeof *r->ring))) {
        free(r);
        return NULL;
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->can_put, NULL);
    pthread_cond_init(&r->can_get, NULL);
    if (pthread_create(&r->th, NULL, relay_main, r) != 0) {
        cli_relay_free(r);
        return NULL;
    }
    r->started = true;
    return r;
}

int cli_relay_put(cli_relay *r, void *item, cx_err *err)
{
    pthread_mutex_lock(&r->mu);
    while (!r->rc && r->head - r->tail >= r->depth) {
        r->put_waits = true;
        pthread_cond_wait(&r->can_put, &r->mu);
        r->put_waits = false;
    }
    int rc = r->rc;
    if (rc) {
        if (err)
            *err = r->err;
    } else {
        r->ring[r->head % r->depth] = item;
        r->head++;
        if (r->get_waits)
            pthread_cond_signal(&r->can_get);
    }
    pthread_mutex_unlock(&r->mu);
    if (rc)
        r->drop(item);
    return rc;
}

int cli_relay_finish(cli_relay *r, cx_err *err)
{
    if (!r)
        return 0;
    if (r->started && !r->joined) {
        pthread_mutex_lock(&r->mu);
        r->closed = true;
        pthread_cond_signal(&r->can_get);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->th, NULL);
        r->joined = true;
    }
    if (r->rc && err)
        *err = r->err;
    return r->rc;
}

void cli_relay_free(cli_relay *r)
{
    if (!r)
        return;
    cli_relay_finish(r, NULL);
    for (size_t i = r->tail; i < r->head; i++) /* never started: not consumed */
        r->drop(r->ring[i % r->depth]);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->can_put);
    pthread_cond_destroy(&r->can_get);
    free(r->ring);
    free(r);
}
