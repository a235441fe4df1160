/* gazcache.c -- caching gazetteer adapter. See gazcache.h. */
#include "gazcache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"
#include "cx_mem.h"

typedef struct entry {
    size_t len;
    int mask;         /* probe table */
    cx_place *cands;  /* lookup table */
    size_t n;
    size_t asked;     /* the `max` of the call that filled it */
    int rc;
    struct entry *next;
    struct entry *all; /* every entry of the table, for clearing it */
    char key[]; /* len bytes and a NUL, then the candidates: one allocation */
} entry;

/* The entries are cut from an arena freed when the table is cleared: no
 * malloc and free per look-up. */

typedef struct table {
    entry **b;
    entry *all; /* the entries, newest first */
    cx_arena arena; /* where they live */
    size_t nb, n, max;
} table;

struct ext_gazcache {
    const ext_gazetteer *inner;
    ext_gazetteer self;
    table probe, lookup;
    size_t hits, misses;
    unsigned bypass; /* EXT_GAZCACHE_* */
};

static unsigned long hash(const char *s, size_t len)
{
    unsigned long h = 1469598103934665603UL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
    return h;
}

/* Frees the entries through their list, not by walking every bucket (a
 * run on a few documents fills few of the 65,536); the buckets are left
 * dangling. */
static void table_free_entries(table *t)
{
    cx_arena_free(&t->arena);
    t->all = NULL;
}

#define ALIGN_UP(n) (((n) + (sizeof(max_align_t) - 1)) & ~(sizeof(max_align_t) - 1))

static void table_clear(table *t)
{
    table_free_entries(t);
    if (t->n && t->b)
        memset(t->b, 0, t->nb * sizeof *t->b);
    t->n = 0;
}

static int table_init(table *t, size_t max)
{
    t->nb = 1;
    while (t->nb < max)
        t->nb <<= 1;
    t->b = calloc(t->nb, sizeof *t->b);
    t->max = max;
    t->n = 0;
    return t->b ? 0 : CX_ENOMEM;
}

static entry *table_find(const table *t, const char *key, size_t len)
{
    for (entry *e = t->b[hash(key, len) & (t->nb - 1)]; e; e = e->next)
        if (e->len == len && memcmp(e->key, key, len) == 0)
            return e;
    return NULL;
}

/* A new entry for `key` with room for `n_cands` candidates (e->cands, or
 * NULL when none), its fields 0. */
static entry *table_add(table *t, const char *key, size_t len, size_t n_cands)
{
    if (t->n >= t->max)
        table_clear(t);
    size_t at = ALIGN_UP(offsetof(entry, key) + len + 1);
    entry *e = cx_arena_alloc(&t->arena, at + n_cands * sizeof(cx_place));
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    if (n_cands)
        e->cands = (cx_place *)(void *)((char *)e + at);
    e->len = len;
    size_t h = hash(key, len) & (t->nb - 1);
    e->next = t->b[h];
    t->b[h] = e;
    e->all = t->all;
    t->all = e;
    t->n++;
    return e;
}

static int cached_probe(void *ctx, const char *key, size_t len)
{
    ext_gazcache *c = ctx;
    if (c->bypass & EXT_GAZCACHE_PROBES)
        return c->inner->probe(c->inner->ctx, key, len);
    entry *e = table_find(&c->probe, key, len);
    if (e) {
        c->hits++;
        return e->mask;
    }
    c->misses++;
    int mask = c->inner->probe(c->inner->ctx, key, len);
    if (mask < 0)
        return mask; /* errors are not cached */
    if ((e = table_add(&c->probe, key, len, 0)))
        e->mask = mask;
    return mask;
}

static int cached_lookup(void *ctx, const char *name, size_t len, cx_place *out, size_t max,
                         size_t *n_out)
{
    ext_gazcache *c = ctx;
    if (c->bypass & EXT_GAZCACHE_LOOKUPS) {
        c->misses++;
        return c->inner->lookup(c->inner->ctx, name, len, out, max, n_out);
    }
    entry *e = table_find(&c->lookup, name, len);
    if (e && max <= e->asked) {
        c->hits++;
        size_t n = e->n < max ? e->n : max;
        if (n)
            memcpy(out, e->cands, n * sizeof *out);
        *n_out = n;
        return e->rc;
    }
    c->misses++;
    int rc = c->inner->lookup(c->inner->ctx, name, len, out, max, n_out);
    if (rc != 0)
        return rc;
    if (!e && (e = table_add(&c->lookup, name, len, *n_out))) {
        e->n = *n_out;
        e->asked = max;
        e->rc = rc;
        if (e->n)
            memcpy(e->cands, out, e->n * sizeof *out);
    }
    return rc;
}

ext_gazcache *ext_gazcache_new(const ext_gazetteer *inner, size_t max_entries)
{
    ext_gazcache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!max_entries)
        max_entries = 65536;
    c->inner = inner;
    if (table_init(&c->probe, max_entries) != 0 || table_init(&c->lookup, max_entries / 4 + 1) != 0) {
        ext_gazcache_free(c);
        return NULL;
    }
    c->self = (ext_gazetteer){c, cached_lookup, cached_probe};
    return c;
}

const ext_gazetteer *ext_gazcache_gazetteer(const ext_gazcache *c) { return &c->self; }

void ext_gazcache_bypass(ext_gazcache *c, unsigned what) { c->bypass = what; }

void ext_gazcache_stats(const ext_gazcache *c, size_t *hits, size_t *misses)
{
    *hits = c->hits;
    *misses = c->misses;
}

void ext_gazcache_free(ext_gazcache *c)
{
    if (!c)
        return;
    table_free_entries(&c->probe);
    table_free_entries(&c->lookup);
    free(c->probe.b);
    free(c->lookup.b);
    free(c);
}
