/* cx_place.h -- a gazetteer candidate as the rest of the pipeline sees it.
 * A plain value: the gazetteer fills it, extraction and geo/ read it. */
#ifndef CX_PLACE_H
#define CX_PLACE_H

/* How a name matched. */
enum {
    CX_MATCH_EXACT = 0,   /* folded key of the name equals the folded query */
    CX_MATCH_TRANSLIT = 1 /* only the transliteration keys are equal */
};

/* Kind of place, coarser than GeoNames feature codes. */
enum {
    CX_KIND_SETTLEMENT = 0, /* P.* */
    CX_KIND_ADMIN1 = 1,     /* ADM1 / province / marz */
    CX_KIND_ADMIN2 = 2,     /* district / rayon */
    CX_KIND_REGION = 3,     /* other named region (Nagorno-Karabakh, a corridor) */
    CX_KIND_COUNTRY = 4,    /* PCLI */
    CX_KIND_WATER = 5,      /* H.* lakes, rivers */
    CX_KIND_OTHER = 6       /* S.*, T.*, line of contact, border point... */
};

typedef struct cx_place {
    long long id;          /* gazetteer row id, stable within one gazetteer file */
    char src_id[48];       /* "geonames:174875", "incimap:nagorno-karabakh" */
    char name[128];        /* canonical name (UTF-8) */
    char matched[128];     /* the name variant that matched the query */
    char lang[8];          /* language of the matched name, "" when unknown */
    char fclass[2];        /* GeoNames feature class letter, "" when unknown */
    char fcode[12];        /* GeoNames feature code (PPL, PPLA, ADM1...) */
    int kind;              /* CX_KIND_* */
    char country[3];       /* ISO 3166-1 alpha-2, "" when unknown */
    char admin1[96];       /* admin-1 region name, "" when unknown */
    long population;       /* 0 when unknown */
    double lat, lon;       /* WGS84 */
    double radius_km;      /* rough extent: 0 for a point place, else region radius */
    int match;             /* CX_MATCH_* */
    double score;          /* gazetteer's ranking score, higher is better */
} cx_place;

#endif
