/* cx_mem.h -- growing the project's dynamic arrays.
 * One doubling rule for every array that grows one element at a time. */
#ifndef CX_MEM_H
#define CX_MEM_H

#include <stddef.h>

/** Room for `need` elements of `size` bytes in the array `p` of capacity
 *  *cap (doubled, from `first` when empty): `p` itself when it fits, else
 *  the reallocated array (*cap updated), or NULL when out of memory or the
 *  size overflows (then `p` is untouched and still the caller's). */
void *cx_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
