/* gaz_index.c -- write and map the gazetteer's read index. See gaz_index.h.
 *
 * File layout (native byte order, checked by a marker; every section 8-byte
 * aligned, offsets from the start of the file):
 *   header | places[] | names[] | key slots[] | key entries[] | key lists[] |
 *   tkey slots[] | tkey entries[] | tkey lists[] | strings
 * A key table is open addressing (linear probing, load <= 1/2; a slot holds
 * the high half of the key's hash and the entry number + 1) over entries
 * {key string, length, first, count, mask}: `first`/`count` select the name
 * rows of the key in its list array, in the rowid order SQLite's index on
 * the key gives; `mask` is GAZ_PROBE_NAME when some name has that key and
 * GAZ_PROBE_PREFIX when some key starts with it and a space. Strings are
 * NUL-terminated and shared (each distinct string once). */
#include "gaz_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_text.h"
#include "gazetteer.h"

#define IX_MAGIC "INCIMIDX"
#define IX_VERSION 4u
#define IX_ENDIAN 0x01020304u

typedef struct ix_header {
    char magic[8];
    uint32_t version, endian;
    char ident[128];
    uint64_t file_size;
    uint32_t n_places, n_names;
    uint32_t n_slots[2], n_entries[2], n_list[2];
    uint64_t off_places, off_names, off_slots[2], off_entries[2], off_list[2], off_strings,
        n_strings;
} ix_header;

typedef struct ix_place {
    int64_t id, population;
    double lat, lon, radius_km;
    int32_t kind;
    uint32_t src_id, name, fclass, fcode, country, admin1, pad;
} ix_place;

typedef gazp_ix_rec ix_name; /* gaz_index.h */
/* a transliteration key's rows are copies of the names (read in one place
 * too), the list of that key */

typedef struct ix_entry {
    uint32_t key, len, first, count, mask;
} ix_entry;

struct gazp_index {
    void *map;
    size_t size;
    const ix_header *h;
    const ix_place *places;
    const ix_name *names;
    const uint64_t *slots[2];
    const ix_entry *entries[2];
    const ix_name *tlist; /* the transliteration keys' rows */
    const char *strings;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* ===== Reading ===== */

static const ix_entry *find_entry(const gazp_index *ix, int w, const char *key, size_t len)
{
    uint32_t ns = ix->h->n_slots[w];
    if (!ns)
        return NULL;
    const uint64_t *slots = ix->slots[w];
    uint64_t h = hash_bytes(key, len);
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint64_t i = h & (ns - 1);; i = (i + 1) & (ns - 1)) {
        uint64_t sl = slots[i];
        if (!sl)
            return NULL;
        if ((uint32_t)(sl >> 32) != tag)
            continue;
        uint32_t e = (uint32_t)sl;
        if (e == 0 || e > ix->h->n_entries[w])
            return NULL;
        const ix_entry *en = &ix->entries[w][e - 1];
        if (en->len == len && memcmp(ix->strings + en->key, key, len) == 0)
            return en;
    }
}

int gazp_index_probe(const gazp_index *ix, const char *key, size_t len)
{
    const ix_entry *e = find_entry(ix, GAZP_IX_KEY, key, len);
    return e ? (int)e->mask : 0;
}

const gazp_ix_rec *gazp_index_find(const gazp_index *ix, int which, const char *key,
                                   size_t len, size_t *n)
{
    const ix_entry *e = find_entry(ix, which, key, len);
    uint64_t lim = which == GAZP_IX_KEY ? ix->h->n_names : ix->h->n_list[GAZP_IX_TKEY];
    if (e && (uint64_t)e->first + e->count > lim)
        e = NULL; /* damaged: nothing rather than a read out of bounds */
    *n = e ? e->count : 0;
    if (!e || !e->count)
        return NULL;
    return (which == GAZP_IX_KEY ? ix->names : ix->tlist) + e->first;
}

const char *gazp_index_strings(const gazp_index *ix)
{
    return ix->strings;
}

const char *gazp_index_country(const gazp_index *ix, const gazp_ix_rec *nm)
{
    return ix->strings + ix->places[nm->place].country;
}

/* cx_str_copy for the strings of a candidate (codes, names: most under
 * eight bytes) from the index's string area, which ends at `end`, into a
 * field zeroed beforehand: eight bytes at a time on a little-endian
 * machine, the bytes past the NUL cleared (the field's are zero), then byte
 * by byte. */
static inline void copy_short(char *dst, size_t size, const char *src, const char *end)
{
    size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (i + 8 <= size && (size_t)(end - (src + i)) >= 8) {
        uint64_t v;
        memcpy(&v, src + i, sizeof v);
        uint64_t z = (v - ones) & ~v & highs; /* exact at its lowest byte */
        if (z) {
            int at = __builtin_ctzll(z) / 8; /* the first NUL */
            v &= at ? ~0ull >> (64 - 8 * at) : 0;
            memcpy(dst + i, &v, sizeof v);
            return;
        }
        if (i + 8 == size)
            break; /* no room for the NUL after these */
        memcpy(dst + i, &v, sizeof v);
        i += 8;
    }
#endif
    for (; i + 1 < size && src[i]; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

void gazp_index_candidate(const gazp_index *ix, const gazp_ix_rec *nm, cx_place *p, int *flags)
{
    const ix_place *pl = &ix->places[nm->place];
    const char *s = ix->strings, *e = ix->strings + ix->h->n_strings;
    p->id = pl->id;
    copy_short(p->src_id, sizeof p->src_id, s + pl->src_id, e);
    copy_short(p->name, sizeof p->name, s + pl->name, e);
    copy_short(p->matched, sizeof p->matched, s + nm->matched, e);
    copy_short(p->lang, sizeof p->lang, s + nm->lang, e);
    copy_short(p->fclass, sizeof p->fclass, s + pl->fclass, e);
    copy_short(p->fcode, sizeof p->fcode, s + pl->fcode, e);
    p->kind = pl->kind;
    copy_short(p->country, sizeof p->country, s + pl->country, e);
    copy_short(p->admin1, sizeof p->admin1, s + pl->admin1, e);
    p->population = (long)pl->population;
    p->lat = pl->lat;
    p->lon = pl->lon;
    p->radius_km = pl->radius_km;
    *flags = nm->flags;
}

/* An offset/count pair that lies inside the file. */
static bool inside(const ix_header *h, uint64_t off, uint64_t n, size_t elem)
{
    return off % 8 == 0 && off <= h->file_size && n <= (h->file_size - off) / elem;
}

gazp_index *gazp_index_open(const char *path, const char *ident, cx_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cx_err_set(err, errno == ENOENT ? CX_ENOTFOUND : CX_EIO, path, 0,
                   "cannot open the gazetteer index: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    gazp_index *ix = NULL;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(ix_header)) {
        cx_err_set(err, CX_EFORMAT, path, 0, "gazetteer index too short");
        goto fail;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        cx_err_set(err, CX_EIO, path, 0, "cannot map the gazetteer index: %s", strerror(errno));
        goto fail;
    }
    /* look-ups land anywhere: no read-ahead around them */
    madvise(map, (size_t)st.st_size, MADV_RANDOM);
    const ix_header *h = map;
    if (memcmp(h->magic, IX_MAGIC, 8) || h->version != IX_VERSION || h->endian != IX_ENDIAN ||
        h->file_size != (uint64_t)st.st_size) {
        cx_err_set(err, CX_EFORMAT, path, 0, "not a gazetteer index of this incimap");
        goto fail;
    }
    if (strncmp(h->ident, ident, sizeof h->ident) != 0) {
        cx_err_set(err, CX_EFORMAT, path, 0, "gazetteer index of another build of the gazetteer");
        goto fail;
    }
    bool ok = inside(h, h->off_places, h->n_places, sizeof(ix_place)) &&
              inside(h, h->off_names, h->n_names, sizeof(ix_name)) &&
              inside(h, h->off_strings, h->n_strings, 1) && h->n_strings > 0;
    for (int w = 0; w < 2 && ok; w++)
        ok = inside(h, h->off_slots[w], h->n_slots[w], 8) &&
             (h->n_slots[w] & (h->n_slots[w] - 1)) == 0 &&
             h->n_entries[w] < h->n_slots[w] + (h->n_slots[w] == 0) &&
             inside(h, h->off_entries[w], h->n_entries[w], sizeof(ix_entry)) &&
             inside(h, h->off_list[w], h->n_list[w], w ? sizeof(ix_name) : 4);
    if (!ok || ((const char *)map)[h->off_strings + h->n_strings - 1] != '\0') {
        cx_err_set(err, CX_EFORMAT, path, 0, "damaged gazetteer index");
        goto fail;
    }
    if (!(ix = calloc(1, sizeof *ix))) {
        cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
        goto fail;
    }
    const char *b = map;
    ix->map = map;
    ix->size = (size_t)st.st_size;
    ix->h = h;
    ix->places = (const ix_place *)(const void *)(b + h->off_places);
    ix->names = (const ix_name *)(const void *)(b + h->off_names);
    for (int w = 0; w < 2; w++) {
        ix->slots[w] = (const uint64_t *)(const void *)(b + h->off_slots[w]);
        ix->entries[w] = (const ix_entry *)(const void *)(b + h->off_entries[w]);
    }
    ix->strings = b + h->off_strings;
    ix->tlist = (const ix_name *)(const void *)(b + h->off_list[GAZP_IX_TKEY]);
    close(fd);
    return ix;
fail:
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    close(fd);
    return NULL;
}

void gazp_index_close(gazp_index *ix)
{
    if (!ix)
        return;
    munmap(ix->map, ix->size);
    free(ix);
}

int gazp_index_ident(sqlite3 *db, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT key, value FROM meta WHERE key IN ('built', 'places', 'names',"
                           " 'schema_version') ORDER BY key",
                           -1, &st, NULL) != SQLITE_OK)
        return CX_EDB;
    size_t n = 0;
    buf[0] = '\0';
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < size) {
        const unsigned char *k = sqlite3_column_text(st, 0), *v = sqlite3_column_text(st, 1);
        int w = snprintf(buf + n, size - n, "%s=%s;", k ? (const char *)k : "",
                         v ? (const char *)v : "");
        if (w < 0)
            break;
        n += (size_t)w;
    }
    sqlite3_finalize(st);
    if (n >= size)
        buf[size - 1] = '\0';
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : CX_EDB;
}

/* ===== Writing ===== */

/* A growable array of fixed-size elements. */
typedef struct vec {
    void *v;
    size_t n, cap, elem;
} vec;

static void *vec_push(vec *a)
{
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 1024;
        void *nv = realloc(a->v, nc * a->elem);
        if (!nv)
            return NULL;
        a->v = nv;
        a->cap = nc;
    }
    void *p = (char *)a->v + a->n * a->elem;
    a->n++;
    memset(p, 0, a->elem);
    return p;
}

/* A string pool with each distinct string once, and a key table under
 * construction (its entries' strings live in the pool). */
typedef struct pool {
    char *s;
    size_t n, cap;
    uint32_t *slots; /* offset + 1 */
    size_t n_slots, n_used;
} pool;

typedef struct keytab {
    vec entries;     /* ix_entry */
    uint32_t *slots; /* entry + 1 */
    size_t n_slots;
} keytab;

static int grow_slots(uint64_t **slots, size_t *n_slots, size_t want)
{
    size_t ns = 1024;
    while (ns < 2 * want)
        ns <<= 1;
    if (ns <= *n_slots)
        return 0;
    free(*slots);
    *slots = calloc(ns, sizeof **slots);
    *n_slots = *slots ? ns : 0;
    return *slots ? 0 : CX_ENOMEM;
}

static int pool_rehash(pool *p)
{
    size_t ns = p->n_slots ? p->n_slots * 2 : 1 << 16;
    uint32_t *nv = calloc(ns, sizeof *nv);
    if (!nv)
        return CX_ENOMEM;
    for (size_t i = 0; i < p->n_slots; i++)
        if (p->slots[i]) {
            const char *s = p->s + p->slots[i] - 1;
            size_t j = hash_bytes(s, strlen(s)) & (ns - 1);
            while (nv[j])
                j = (j + 1) & (ns - 1);
            nv[j] = p->slots[i];
        }
    free(p->slots);
    p->slots = nv;
    p->n_slots = ns;
    return 0;
}

/* The offset of string s[0..len) in the pool, added when new; -1 on error. */
static int64_t pool_add(pool *p, const char *s, size_t len)
{
    if (2 * (p->n_used + 1) > p->n_slots && pool_rehash(p) != 0)
        return -1;
    size_t j = hash_bytes(s, len) & (p->n_slots - 1);
    for (; p->slots[j]; j = (j + 1) & (p->n_slots - 1)) {
        const char *t = p->s + p->slots[j] - 1;
        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return p->slots[j] - 1;
    }
    if (p->n + len + 1 > UINT32_MAX - 1)
        return -1;
    if (p->n + len + 1 > p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 1 << 20;
        while (nc < p->n + len + 1)
            nc *= 2;
        char *nv = realloc(p->s, nc);
        if (!nv)
            return -1;
        p->s = nv;
        p->cap = nc;
    }
    size_t off = p->n;
    memcpy(p->s + off, s, len);
    p->s[off + len] = '\0';
    p->n += len + 1;
    p->slots[j] = (uint32_t)off + 1;
    p->n_used++;
    return (int64_t)off;
}

static int64_t pool_str(pool *p, const unsigned char *s)
{
    return pool_add(p, s ? (const char *)s : "", s ? strlen((const char *)s) : 0);
}

static int keytab_rehash(keytab *t, const pool *p)
{
    size_t ns = t->n_slots ? t->n_slots * 2 : 1 << 16;
    uint32_t *nv = calloc(ns, sizeof *nv);
    if (!nv)
        return CX_ENOMEM;
    const ix_entry *en = t->entries.v;
    for (size_t i = 0; i < t->entries.n; i++) {
        size_t j = hash_bytes(p->s + en[i].key, en[i].len) & (ns - 1);
        while (nv[j])
            j = (j + 1) & (ns - 1);
        nv[j] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = nv;
    t->n_slots = ns;
    return 0;
}

/* The entry of key s[0..len) (created when new); -1 on error. */
static int64_t keytab_entry(keytab *t, pool *p, const char *s, size_t len)
{
    if (2 * (t->entries.n + 1) > t->n_slots && keytab_rehash(t, p) != 0)
        return -1;
    size_t j = hash_bytes(s, len) & (t->n_slots - 1);
    for (; t->slots[j]; j = (j + 1) & (t->n_slots - 1)) {
        const ix_entry *e = (const ix_entry *)t->entries.v + t->slots[j] - 1;
        if (e->len == len && memcmp(p->s + e->key, s, len) == 0)
            return t->slots[j] - 1;
    }
    int64_t off = pool_add(p, s, len);
    ix_entry *e = off < 0 ? NULL : vec_push(&t->entries);
    if (!e)
        return -1;
    e->key = (uint32_t)off;
    e->len = (uint32_t)len;
    t->slots[j] = (uint32_t)t->entries.n;
    return (int64_t)t->entries.n - 1;
}

/* (entry, name row) pairs in row order, turned into each entry's list. */
typedef struct keylink {
    uint32_t entry, row;
} keylink;

/* Counting sort of the links by entry (stable: row order kept within an
 * entry); fills each entry's first/count and the list. */
static int build_lists(keytab *t, const vec *links, uint32_t **list_out)
{
    ix_entry *en = t->entries.v;
    const keylink *lk = links->v;
    uint32_t *list = malloc((links->n ? links->n : 1) * sizeof *list);
    if (!list)
        return CX_ENOMEM;
    for (size_t i = 0; i < links->n; i++)
        en[lk[i].entry].count++;
    uint32_t acc = 0;
    for (size_t i = 0; i < t->entries.n; i++) {
        en[i].first = acc;
        acc += en[i].count;
        en[i].count = 0;
    }
    for (size_t i = 0; i < links->n; i++) {
        ix_entry *e = &en[lk[i].entry];
        list[e->first + e->count++] = lk[i].row;
    }
    *list_out = list;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int write_all(FILE *f, const void *p, size_t n, uint64_t *off)
{
    static const char zero[8] = {0};
    if (n && fwrite(p, 1, n, f) != n)
        return CX_EIO;
    *off += n;
    size_t pad = (8 - *off % 8) % 8;
    if (pad && fwrite(zero, 1, pad, f) != pad)
        return CX_EIO;
    *off += pad;
    return 0;
}

int gazp_index_write(sqlite3 *db, const char *path, cx_err *err)
{
    ix_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, IX_MAGIC, 8);
    h.version = IX_VERSION;
    h.endian = IX_ENDIAN;
    pool p = {0};
    keytab kt[2] = {{.entries = {.elem = sizeof(ix_entry)}}, {.entries = {.elem = sizeof(ix_entry)}}};
    vec places = {.elem = sizeof(ix_place)}, names = {.elem = sizeof(ix_name)};
    vec links[2] = {{.elem = sizeof(keylink)}, {.elem = sizeof(keylink)}};
    int64_t *ids = NULL;
    uint32_t *lists[2] = {NULL, NULL}, *inv = NULL;
    ix_name *tlist = NULL;
    uint64_t *slots[2] = {NULL, NULL};
    size_t n_slots[2] = {0, 0};
    sqlite3_stmt *st = NULL;
    FILE *f = NULL;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int rc = gazp_index_ident(db, h.ident, sizeof h.ident);
    if (rc) {
        rc = cx_err_set(err, CX_EDB, path, 0, "cannot read the gazetteer's meta: %s",
                        sqlite3_errmsg(db));
        goto done;
    }
    /* places, by id */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, src_id, name, fclass, fcode, kind, country, admin1_name,"
                           " population, lat, lon, radius_km FROM places ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        goto db_fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ix_place *pl = vec_push(&places);
        if (!pl)
            goto nomem;
        int64_t o[7];
        static const int cols[7] = {1, 2, 3, 4, 6, 7, -1};
        for (int i = 0; i < 6; i++)
            if ((o[i] = pool_str(&p, sqlite3_column_text(st, cols[i]))) < 0)
                goto nomem;
        pl->id = sqlite3_column_int64(st, 0);
        pl->src_id = (uint32_t)o[0];
        pl->name = (uint32_t)o[1];
        pl->fclass = (uint32_t)o[2];
        pl->fcode = (uint32_t)o[3];
        pl->kind = sqlite3_column_int(st, 5);
        pl->country = (uint32_t)o[4];
        pl->admin1 = (uint32_t)o[5];
        pl->population = sqlite3_column_int64(st, 8);
        pl->lat = sqlite3_column_double(st, 9);
        pl->lon = sqlite3_column_double(st, 10);
        pl->radius_km = sqlite3_column_double(st, 11);
    }
    if (rc != SQLITE_DONE)
        goto db_fail;
    sqlite3_finalize(st);
    st = NULL;
    if (!(ids = malloc((places.n ? places.n : 1) * sizeof *ids)))
        goto nomem;
    for (size_t i = 0; i < places.n; i++)
        ids[i] = ((const ix_place *)places.v)[i].id;
    /* names, in row order: each under its key, its key's word prefixes and
     * its transliteration key */
    if (sqlite3_prepare_v2(db, "SELECT place_id, name, lang, flags, key, tkey FROM names"
                               " ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        goto db_fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(st, 0);
        const int64_t *hit = bsearch(&pid, ids, places.n, sizeof *ids, cmp_i64);
        if (names.n >= UINT32_MAX - 1) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0, "too many names for an index");
            goto done;
        }
        /* a name of no place: probes see its key, look-ups (a join) do not */
        uint32_t row = (uint32_t)names.n;
        if (hit) {
            ix_name *nm = vec_push(&names);
            int64_t om = nm ? pool_str(&p, sqlite3_column_text(st, 1)) : -1;
            int64_t ol = om >= 0 ? pool_str(&p, sqlite3_column_text(st, 2)) : -1;
            if (ol < 0)
                goto nomem;
            const ix_place *pl = (const ix_place *)places.v + (hit - ids);
            nm->place = (uint32_t)(hit - ids);
            nm->id = pl->id;
            nm->population = pl->population;
            nm->lat = pl->lat;
            nm->lon = pl->lon;
            nm->bonus = (int32_t)gazp_fcode_bonus(p.s + pl->fcode, pl->kind);
            nm->incimap = strncmp(p.s + pl->src_id, "incimap:", 8) == 0;
            nm->flags = sqlite3_column_int(st, 3);
            nm->matched = (uint32_t)om;
            nm->lang = (uint32_t)ol;
        }
        for (int w = 0; w < 2; w++) {
            if (sqlite3_column_type(st, 4 + w) == SQLITE_NULL)
                continue;
            const char *k = (const char *)sqlite3_column_text(st, 4 + w);
            size_t kl = (size_t)sqlite3_column_bytes(st, 4 + w);
            if (!k)
                goto nomem;
            int64_t e = keytab_entry(&kt[w], &p, k, kl);
            if (e < 0)
                goto nomem;
            if (hit) {
                keylink *l = vec_push(&links[w]);
                if (!l)
                    goto nomem;
                *l = (keylink){(uint32_t)e, row};
            }
            if (w == GAZP_IX_KEY) {
                ((ix_entry *)kt[w].entries.v)[e].mask |= GAZ_PROBE_NAME;
                for (size_t i = 1; i < kl; i++)
                    if (k[i] == ' ') {
                        int64_t pe = keytab_entry(&kt[w], &p, k, i);
                        if (pe < 0)
                            goto nomem;
                        ((ix_entry *)kt[w].entries.v)[pe].mask |= GAZ_PROBE_PREFIX;
                    }
            }
        }
    }
    if (rc != SQLITE_DONE)
        goto db_fail;
    sqlite3_finalize(st);
    st = NULL;
    rc = 0;
    if (p.n == 0 && pool_add(&p, "", 0) < 0)
        goto nomem;
    /* lists and final slot arrays (sized for the entries) */
    for (int w = 0; w < 2; w++) {
        if (build_lists(&kt[w], &links[w], &lists[w]) != 0 ||
            (kt[w].entries.n && grow_slots(&slots[w], &n_slots[w], kt[w].entries.n) != 0))
            goto nomem;
        if (w == GAZP_IX_KEY) {
            /* the names in key order: a key's rows are names[first, first + count) */
            if (links[w].n != names.n) {
                rc = cx_err_set(err, CX_EFORMAT, path, 0, "a name without a key");
                goto done;
            }
            ix_name *sorted = malloc((names.n ? names.n : 1) * sizeof *sorted);
            if (!sorted || !(inv = malloc((names.n ? names.n : 1) * sizeof *inv))) {
                free(sorted);
                goto nomem;
            }
            for (size_t i = 0; i < names.n; i++) {
                sorted[i] = ((const ix_name *)names.v)[lists[w][i]];
                inv[lists[w][i]] = (uint32_t)i;
            }
            free(names.v);
            names.v = sorted;
            links[w].n = 0; /* no list: the ranges are the names */
        } else {
            /* copies of the rows, in each key's order */
            if (!(tlist = malloc((links[w].n ? links[w].n : 1) * sizeof *tlist)))
                goto nomem;
            for (size_t i = 0; i < links[w].n; i++)
                tlist[i] = ((const ix_name *)names.v)[inv[lists[w][i]]];
        }
        const ix_entry *en = kt[w].entries.v;
        for (size_t i = 0; i < kt[w].entries.n; i++) {
            uint64_t hh = hash_bytes(p.s + en[i].key, en[i].len);
            size_t j = hh & (n_slots[w] - 1);
            while (slots[w][j])
                j = (j + 1) & (n_slots[w] - 1);
            slots[w][j] = (hh >> 32 << 32) | ((uint64_t)i + 1);
        }
    }
    /* the file */
    uint64_t off = sizeof h + (8 - sizeof h % 8) % 8;
    h.n_places = (uint32_t)places.n;
    h.n_names = (uint32_t)names.n;
    h.off_places = off;
    off += places.n * sizeof(ix_place);
    off += (8 - off % 8) % 8;
    h.off_names = off;
    off += names.n * sizeof(ix_name);
    off += (8 - off % 8) % 8;
    for (int w = 0; w < 2; w++) {
        h.n_slots[w] = (uint32_t)n_slots[w];
        h.n_entries[w] = (uint32_t)kt[w].entries.n;
        h.n_list[w] = (uint32_t)links[w].n;
        h.off_slots[w] = off;
        off += n_slots[w] * 8;
        off += (8 - off % 8) % 8;
        h.off_entries[w] = off;
        off += kt[w].entries.n * sizeof(ix_entry);
        off += (8 - off % 8) % 8;
        h.off_list[w] = off;
        off += links[w].n * (w ? sizeof(ix_name) : 4);
        off += (8 - off % 8) % 8;
    }
    h.off_strings = off;
    h.n_strings = p.n;
    off += p.n;
    off += (8 - off % 8) % 8;
    h.file_size = off;
    if (!(f = fopen(tmp, "wb"))) {
        rc = cx_err_set(err, CX_EIO, tmp, 0, "cannot write the gazetteer index: %s",
                        strerror(errno));
        goto done;
    }
    uint64_t w_off = 0;
    int wr = write_all(f, &h, sizeof h, &w_off) || write_all(f, places.v, places.n * sizeof(ix_place), &w_off) ||
             write_all(f, names.v, names.n * sizeof(ix_name), &w_off);
    for (int w = 0; w < 2 && !wr; w++)
        wr = write_all(f, slots[w], n_slots[w] * 8, &w_off) ||
             write_all(f, kt[w].entries.v, kt[w].entries.n * sizeof(ix_entry), &w_off) ||
             write_all(f, w ? (const void *)tlist : (const void *)lists[w],
                       links[w].n * (w ? sizeof(ix_name) : 4), &w_off);
    if (!wr)
        wr = write_all(f, p.s, p.n, &w_off);
    int cl = fclose(f);
    f = NULL;
    if (wr || cl != 0 || w_off != h.file_size) {
        rc = cx_err_set(err, CX_EIO, tmp, 0, "cannot write the gazetteer index: %s",
                        strerror(errno ? errno : EIO));
        goto done;
    }
    if (rename(tmp, path) != 0) {
        rc = cx_err_set(err, CX_EIO, path, 0, "cannot rename the gazetteer index into place: %s",
                        strerror(errno));
        goto done;
    }
    goto done;
nomem:
    rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory building the gazetteer index");
    goto done;
db_fail:
    rc = cx_err_set(err, CX_EDB, path, 0, "reading the gazetteer for its index: %s",
                    sqlite3_errmsg(db));
done:
    if (f)
        fclose(f);
    if (rc)
        unlink(tmp);
    sqlite3_finalize(st);
    free(ids);
    free(inv);
    free(tlist);
    for (int w = 0; w < 2; w++) {
        free(kt[w].entries.v);
        free(kt[w].slots);
        free(links[w].v);
        free(lists[w]);
        free(slots[w]);
    }
    free(places.v);
    free(names.v);
    free(p.s);
    free(p.slots);
    return rc;
}
