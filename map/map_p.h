/* map_p.h -- what the map_*.c files share and nobody else sees. */
#ifndef MAP_P_H
#define MAP_P_H

#include <proj.h>

#include "map.h"

#define MAPP_BAND 64.0 /* height of the title band, in units of dpi/96 px */

struct map_view {
    PJ_CONTEXT *ctx;
    PJ *pj;
    char proj[256];
    double minx, miny, maxx, maxy; /* projected extent of the map frame (m) */
    double scale;                  /* page units per metre */
    double top;                    /* page y where the map frame starts */
    int width, height;             /* page size */
    double dpi, u;                 /* u = dpi / 96: the size of one "CSS px" */
    map_bbox ll;                   /* lon/lat bounds of the frame */
};

/** Forward-project n lon/lat pairs (degrees) in place to metres; points PROJ
 *  cannot project become HUGE_VAL. */
void mapp_forward(map_view *v, double *x, double *y, size_t n);

/** Metres to page units, in place. */
void mapp_to_page(const map_view *v, double *x, double *y, size_t n);

#endif
