/* cx_mem.h -- growing the project's dynamic arrays, and arenas.
 * One doubling rule for every array that grows one element at a time; one
 * arena for the many small blocks that are freed together. */
#ifndef CX_MEM_H
#define CX_MEM_H

#include <stddef.h>

/** Room for `need` elements of `size` bytes in the array `p` of capacity
 *  *cap (doubled, from `first` when empty): `p` itself when it fits, else
 *  the reallocated array (*cap updated), or NULL when out of memory or the
 *  size overflows (then `p` is untouched and still the caller's). */
void *cx_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

/** An arena: blocks cut from chunks of CX_ARENA_CHUNK bytes (a larger block
 *  gets a chunk of its own), all freed at once by cx_arena_free. No malloc
 *  and free per block: for a lexicon's words, a cache's entries. Zero it
 *  (CX_ARENA_INIT) before use; it belongs to one thread. */
#define CX_ARENA_CHUNK (64 * 1024)
typedef struct cx_arena_chunk cx_arena_chunk;
typedef struct cx_arena {
    cx_arena_chunk *chunks; /* newest first */
} cx_arena;
#define CX_ARENA_INIT {NULL}

/** `size` bytes aligned for any type, not zeroed; NULL when out of memory
 *  or the size overflows. */
void *cx_arena_alloc(cx_arena *a, size_t size);
/** Frees every block; the arena is empty and usable again. */
void cx_arena_free(cx_arena *a);

#endif
