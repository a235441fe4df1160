/* geo_admin.c -- one name per administrative unit. See geo_admin.h. */
#include "geo_admin.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_buf.h"
#include "cx_text.h"

typedef struct unit {
    char country[3];
    int level;
    char *name[3];   /* en, fr, local */
    char *parent;    /* en name of the parent unit, or NULL */
    char **keys;     /* translit keys of every name and variant */
    size_t n_keys;
    char *places;    /* '|'-separated gazetteer ids, or NULL */
} unit;

struct geo_admin {
    unit *u;
    size_t n;
};

/* Words that say what kind of unit a name is, dropped before keying. */
static const char *const KIND_WORDS[] = {"district", "rayon", "region", "province", "city",
                                         "municipality", "marz", "rayonu", "şəhəri", "sheher",
                                         "autonomous republic", NULL};

/* The key of an admin name: U+01DD (ǝ, a look-alike some sources use) read
 * as the schwa, the kind words dropped, then cx_translit_key. */
static int admin_key(const char *s, cx_buf *key)
{
    cx_buf tmp = {0}, low = {0};
    int rc = 0;
    for (const char *p = s; *p && rc == 0; p++) {
        if ((unsigned char)p[0] == 0xC7 && (unsigned char)p[1] == 0x9D) {
            rc = cx_buf_append(&tmp, "\xC9\x99", 2);
            p++;
        } else {
            rc = cx_buf_putc(&tmp, *p);
        }
    }
    if (rc == 0 && tmp.data && (rc = cx_lower(tmp.data, tmp.len, &low)) == 0 && low.data) {
        /* drop a trailing kind word ("Lachin District", "Shaki City") */
        for (int k = 0; KIND_WORDS[k]; k++) {
            size_t n = strlen(KIND_WORDS[k]);
            if (low.len > n + 1 && strcmp(low.data + low.len - n, KIND_WORDS[k]) == 0 &&
                low.data[low.len - n - 1] == ' ') {
                low.len -= n + 1;
                low.data[low.len] = '\0';
                break;
            }
        }
        rc = cx_translit_key(low.data, low.len, key);
    }
    free(tmp.data);
    free(low.data);
    return rc;
}

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int add_key(unit *u, const char *name, size_t len)
{
    if (!len)
        return 0;
    char *s = dup_n(name, len);
    cx_buf key = {0};
    int rc = s ? admin_key(s, &key) : CX_ENOMEM;
    free(s);
    if (rc == 0 && key.data && key.len) {
        char **g = realloc(u->keys, (u->n_keys + 1) * sizeof *g);
        if (!g) {
            rc = CX_ENOMEM;
        } else {
            u->keys = g;
            u->keys[u->n_keys++] = key.data;
            key.data = NULL;
        }
    }
    free(key.data);
    return rc;
}

static void unit_free(unit *u)
{
    for (int i = 0; i < 3; i++)
        free(u->name[i]);
    free(u->parent);
    for (size_t i = 0; i < u->n_keys; i++)
        free(u->keys[i]);
    free(u->keys);
    free(u->places);
}

void geo_admin_free(geo_admin *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        unit_free(&a->u[i]);
    free(a->u);
    free(a);
}

size_t geo_admin_count(const geo_admin *a) { return a ? a->n : 0; }

/* Split `line` at commas into at most `max` fields (no quoting). */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

geo_admin *geo_admin_load(const char *path, cx_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        cx_err_set(err, CX_ENOTFOUND, path, 0, "cannot read the administrative units table");
        return NULL;
    }
    geo_admin *a = calloc(1, sizeof *a);
    char line[4096];
    long ln = 0;
    bool header = false;
    int rc = a ? 0 : cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        if (!header) { /* the column names */
            header = true;
            continue;
        }
        char *f[8];
        if (split(line, f, 8) != 8 || strlen(f[0]) != 2 || (f[1][0] != '1' && f[1][0] != '2') ||
            !f[2][0] || !f[3][0] || !f[4][0]) {
            rc = cx_err_set(err, CX_EINVAL, path, ln,
                            "want country,level(1|2),en,fr,local,variants,parent,place");
            break;
        }
        unit *g = realloc(a->u, (a->n + 1) * sizeof *g);
        if (!g) {
            rc = cx_err_set(err, CX_ENOMEM, path, ln, "out of memory");
            break;
        }
        a->u = g;
        unit *u = &a->u[a->n++];
        memset(u, 0, sizeof *u);
        memcpy(u->country, f[0], 3);
        u->level = f[1][0] - '0';
        for (int i = 0; i < 3 && rc == 0; i++)
            if (!(u->name[i] = dup_n(f[2 + i], strlen(f[2 + i]))) ||
                add_key(u, f[2 + i], strlen(f[2 + i])))
                rc = CX_ENOMEM;
        for (char *v = f[5]; rc == 0 && *v;) {
            size_t n = strcspn(v, "|");
            if (add_key(u, v, n))
                rc = CX_ENOMEM;
            v += n + (v[n] == '|');
        }
        if (rc == 0 && f[6][0] && !(u->parent = dup_n(f[6], strlen(f[6]))))
            rc = CX_ENOMEM;
        if (rc == 0 && f[7][0] && !(u->places = dup_n(f[7], strlen(f[7]))))
            rc = CX_ENOMEM;
        if (rc)
            rc = cx_err_set(err, CX_ENOMEM, path, ln, "out of memory");
    }
    fclose(fp);
    if (rc) {
        geo_admin_free(a);
        return NULL;
    }
    return a;
}

static const unit *find_key(const geo_admin *a, const char *country, const char *key)
{
    for (size_t i = 0; i < a->n; i++) {
        const unit *u = &a->u[i];
        if (country && country[0] && strcmp(country, u->country) != 0)
            continue;
        for (size_t k = 0; k < u->n_keys; k++)
            if (strcmp(u->keys[k], key) == 0)
                return u;
    }
    return NULL;
}

static const unit *find_name(const geo_admin *a, const char *country, const char *name)
{
    cx_buf key = {0};
    const unit *u = NULL;
    if (admin_key(name, &key) == 0 && key.data && key.len)
        u = find_key(a, country, key.data);
    free(key.data);
    return u;
}

static const unit *find_place(const geo_admin *a, const char *place_id)
{
    size_t n = strlen(place_id);
    for (size_t i = 0; n && i < a->n; i++) {
        const char *p = a->u[i].places;
        while (p && *p) {
            size_t m = strcspn(p, "|");
            if (m == n && memcmp(p, place_id, n) == 0)
                return &a->u[i];
            p += m + (p[m] == '|');
        }
    }
    return NULL;
}

static bool set(char *dst, size_t size, const char *v)
{
    if (!size || strcmp(dst, v) == 0)
        return false;
    snprintf(dst, size, "%s", v);
    return true;
}

int geo_admin_apply(const geo_admin *a, int lang, const char *country, const char *place_id,
                    char *admin1, size_t size1, char *admin2, size_t size2)
{
    if (!a || lang < 0 || lang > 2)
        return 0;
    bool changed = false;
    if (admin2 && admin2[0]) {
        const unit *u = find_name(a, country, admin2);
        if (u && u->level == 2)
            changed |= set(admin2, size2, u->name[lang]);
    }
    const unit *u = NULL;
    if (admin1[0])
        u = find_name(a, country, admin1);
    else if (place_id && place_id[0])
        u = find_place(a, place_id);
    if (!u)
        return changed;
    if (u->level == 2 && u->parent) {
        const unit *p = find_name(a, u->country, u->parent);
        if (admin2 && !admin2[0])
            changed |= set(admin2, size2, u->name[lang]);
        if (p)
            changed |= set(admin1, size1, p->name[lang]);
        return changed;
    }
    changed |= set(admin1, size1, u->name[lang]);
    return changed;
}
