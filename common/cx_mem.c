/* cx_mem.c -- growing arrays. See cx_mem.h. */
#include "cx_mem.h"

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
