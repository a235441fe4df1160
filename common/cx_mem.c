/* cx_mem.c -- growing arrays, arenas. See cx_mem.h. */
#include "cx_mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

void *cx_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : (first ? first : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return NULL;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return NULL;
    void *g = realloc(p, c * size);
    if (g)
        *cap = c;
    return g;
}

struct cx_arena_chunk {
    struct cx_arena_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes */
};

void *cx_arena_alloc(cx_arena *a, size_t size)
{
    const size_t al = sizeof(max_align_t);
    if (size > SIZE_MAX - al - sizeof(cx_arena_chunk))
        return NULL;
    size = (size + al - 1) & ~(al - 1);
    cx_arena_chunk *c = a->chunks;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > CX_ARENA_CHUNK ? size : CX_ARENA_CHUNK;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p;
}

void cx_arena_free(cx_arena *a)
{
    for (cx_arena_chunk *c = a->chunks, *nx; c; c = nx) {
        nx = c->next;
        free(c);
    }
    a->chunks = NULL;
}
