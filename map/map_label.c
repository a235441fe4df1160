/* map_label.c -- greedy label placement: candidate positions around each
 * anchor, first fit wins, what doesn't fit is dropped. Pure C, no drawing. */
#include "map.h"

static bool overlaps(const map_rect *a, const map_rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static bool inside(const map_rect *a, const map_rect *bounds)
{
    return a->x0 >= bounds->x0 && a->x1 <= bounds->x1 && a->y0 >= bounds->y0 &&
           a->y1 <= bounds->y1;
}

/* Candidate k (0..7) for `q`: E, W, NE, SE, NW, SW, N, S. */
static map_rect candidate(const map_label_req *q, int k)
{
    double gap = q->r + q->h * 0.15;
    double d = gap; /* diagonal offset: clears the symbol's box */
    double x = 0, y = 0;     /* top-left corner */
    switch (k) {
    case 0: x = q->x + gap, y = q->y - q->h / 2; break;
    case 1: x = q->x - gap - q->w, y = q->y - q->h / 2; break;
    case 2: x = q->x + d, y = q->y - d - q->h; break;
    case 3: x = q->x + d, y = q->y + d; break;
    case 4: x = q->x - d - q->w, y = q->y - d - q->h; break;
    case 5: x = q->x - d - q->w, y = q->y + d; break;
    case 6: x = q->x - q->w / 2, y = q->y - gap - q->h; break;
    default: x = q->x - q->w / 2, y = q->y + gap; break;
    }
    return (map_rect){x, y, x + q->w, y + q->h};
}

size_t map_labels_place(const map_label_req *reqs, size_t n, const map_rect *obstacles,
                        size_t n_obstacles, map_rect bounds, map_rect *placed, bool *ok)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        ok[i] = false;
        for (int k = 0; k < 8 && !ok[i]; k++) {
            map_rect c = candidate(&reqs[i], k);
            if (!inside(&c, &bounds))
                continue;
            bool clash = false;
            for (size_t j = 0; j < n_obstacles && !clash; j++)
                clash = overlaps(&c, &obstacles[j]);
            for (size_t j = 0; j < i && !clash; j++)
                clash = ok[j] && overlaps(&c, &placed[j]);
            if (!clash) {
                placed[i] = c;
                ok[i] = true;
                count++;
            }
        }
        if (!ok[i])
            placed[i] = (map_rect){0, 0, 0, 0};
    }
    return count;
}
