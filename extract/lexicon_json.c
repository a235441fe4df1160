/* lexicon_json.c -- the lexicon's data files read into a flat tree: yajl's
 * event parser on the usual file, Jansson on anything unusual. See
 * lexicon_json.h. */
#include "lexicon_json.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

#include "cx_mem.h"
#include "cx_text.h"

#define NO_KEY UINT32_MAX
#define MAX_DEPTH 1000 /* deeper goes to Jansson (its own limit is 2048) */

void extp_json_free(extp_json *j)
{
    if (!j)
        return;
    free(j->node);
    cx_buf_free(&j->strs);
    memset(j, 0, sizeof *j);
}

/* Empty j, keeping its storage for the next file (the pages stay mapped). */
static void reset(extp_json *j)
{
    j->n = 0;
    j->fast = false;
    cx_buf_reset(&j->strs);
}

static int put_str(extp_json *j, const char *s, size_t len, uint32_t *off)
{
    if (j->strs.len + len + 1 >= NO_KEY)
        return CX_ENOMEM;
    *off = (uint32_t)j->strs.len;
    if (cx_buf_append(&j->strs, s, len) != 0)
        return CX_ENOMEM;
    /* the buffer's own NUL ends the last string; keep one after each */
    return cx_buf_putc(&j->strs, '\0');
}

/* A new node, child of `parent` (-1 for the root); its key set by the caller. */
static int add_node(extp_json *j, int parent, int type)
{
    if (j->n == j->cap) {
        extp_jnode *p = cx_grow(j->node, &j->cap, j->n + 1, sizeof *p, 256);
        if (!p)
            return -1;
        j->node = p;
    }
    if (j->n >= INT32_MAX - 1)
        return -1;
    extp_jnode *nd = &j->node[j->n];
    memset(nd, 0, sizeof *nd);
    nd->type = (uint8_t)type;
    nd->key = NO_KEY;
    nd->end = (uint32_t)j->n + 1;
    if (parent >= 0)
        j->node[parent].v.s.len++;
    return (int)j->n++;
}

/* ===== Fast path: yajl events ===== */

typedef struct yctx {
    extp_json *j;
    int *stack; /* open containers */
    size_t depth, cap;
    bool have_key;
    uint32_t key, key_len;
    bool refused; /* unusual or out of memory: Jansson reads it */
} yctx;

static int y_value(yctx *c, int type)
{
    int parent = c->depth ? c->stack[c->depth - 1] : -1;
    if (parent < 0 && c->j->n > 0)
        return -1; /* a second top-level value (yajl refuses it too) */
    int k = add_node(c->j, parent, type);
    if (k < 0)
        return -1;
    if (parent >= 0 && c->j->node[parent].type == EXTP_J_OBJECT) {
        if (!c->have_key)
            return -1;
        c->j->node[k].key = c->key;
        c->j->node[k].key_len = c->key_len;
        c->have_key = false;
    }
    return k;
}

static int y_fail(yctx *c)
{
    c->refused = true;
    return 0; /* stops the parse */
}

static int y_null(void *ctx)
{
    yctx *c = ctx;
    return y_value(c, EXTP_J_NULL) < 0 ? y_fail(c) : 1;
}

static int y_bool(void *ctx, int b)
{
    yctx *c = ctx;
    return y_value(c, b ? EXTP_J_TRUE : EXTP_J_FALSE) < 0 ? y_fail(c) : 1;
}

static int y_integer(void *ctx, long long v)
{
    yctx *c = ctx;
    int k = y_value(c, EXTP_J_INTEGER);
    if (k < 0)
        return y_fail(c);
    c->j->node[k].v.integer = v;
    return 1;
}

static int y_double(void *ctx, double v)
{
    yctx *c = ctx;
    int k = y_value(c, EXTP_J_REAL);
    if (k < 0)
        return y_fail(c);
    c->j->node[k].v.real = v;
    return 1;
}

static int y_string(void *ctx, const unsigned char *s, size_t len)
{
    yctx *c = ctx;
    int k = y_value(c, EXTP_J_STRING);
    uint32_t off;
    if (k < 0 || put_str(c->j, (const char *)s, len, &off) != 0)
        return y_fail(c);
    c->j->node[k].v.s.str = off;
    c->j->node[k].v.s.len = (uint32_t)len;
    return 1;
}

static int y_open(yctx *c, int type)
{
    int k = y_value(c, type);
    if (k < 0 || c->depth >= MAX_DEPTH)
        return y_fail(c);
    if (c->depth == c->cap) {
        int *p = cx_grow(c->stack, &c->cap, c->depth + 1, sizeof *p, 16);
        if (!p)
            return y_fail(c);
        c->stack = p;
    }
    c->stack[c->depth++] = k;
    return 1;
}

static int y_close(yctx *c)
{
    if (c->depth == 0)
        return y_fail(c);
    int k = c->stack[--c->depth];
    c->j->node[k].end = (uint32_t)c->j->n;
    return 1;
}

static int y_start_map(void *ctx) { return y_open(ctx, EXTP_J_OBJECT); }
static int y_start_array(void *ctx) { return y_open(ctx, EXTP_J_ARRAY); }
static int y_end(void *ctx) { return y_close(ctx); }

static int y_key(void *ctx, const unsigned char *s, size_t len)
{
    yctx *c = ctx;
    extp_json *j = c->j;
    if (c->depth == 0)
        return y_fail(c);
    int obj = c->stack[c->depth - 1];
    /* a duplicate key: Jansson keeps the last value at the first one's
     * place; let it say so */
    for (uint32_t m = (uint32_t)obj + 1; m < j->n; m = j->node[m].end)
        if (j->node[m].key_len == len && memcmp(j->strs.data + j->node[m].key, s, len) == 0)
            return y_fail(c);
    if (put_str(j, (const char *)s, len, &c->key) != 0)
        return y_fail(c);
    c->key_len = (uint32_t)len;
    c->have_key = true;
    return 1;
}

static const yajl_callbacks y_callbacks = {
    y_null, y_bool, y_integer, y_double, NULL, y_string,
    y_start_map, y_key, y_end, y_start_array, y_end,
};

/* Whether the fast path read all of buf as one JSON object. */
static bool parse_fast(const char *buf, size_t len, extp_json *j)
{
    /* Jansson refuses \u0000 and lone surrogates, which yajl decodes, and
     * checks UTF-8 more strictly than yajl does: a \u escape or a byte that
     * is not UTF-8 (or a NUL) sends the file to Jansson */
    if (len == 0)
        return false;
    for (const char *b = memchr(buf, '\\', len); b; b = memchr(b + 2, '\\', (size_t)(buf + len - b - 2))) {
        if (b + 1 >= buf + len || b[1] == 'u')
            return false;
        if (b + 2 >= buf + len)
            break;
    }
    if (!cx_utf8_valid(buf, len, NULL))
        return false;
    /* sized once from the text (a node per ~20 bytes of lexicon; strings
     * are never longer than their quoted form): no copying as they grow,
     * and pages that stay unused are never touched */
    size_t want = len / 8 + 16;
    if (j->cap < want) {
        extp_jnode *p = realloc(j->node, want * sizeof *p);
        if (!p)
            return false;
        j->node = p;
        j->cap = want;
    }
    if (cx_buf_reserve(&j->strs, len + 1) != 0)
        return false;
    yctx c = {.j = j};
    yajl_handle h = yajl_alloc(&y_callbacks, NULL, &c);
    if (!h)
        return false;
    yajl_config(h, yajl_dont_validate_strings, 1); /* done above, strictly */
    bool ok = yajl_parse(h, (const unsigned char *)buf, len) == yajl_status_ok &&
              yajl_complete_parse(h) == yajl_status_ok && !c.refused && c.depth == 0 &&
              j->n > 0 && (j->node[0].type == EXTP_J_OBJECT || j->node[0].type == EXTP_J_ARRAY);
    yajl_free(h);
    free(c.stack);
    return ok;
}

/* ===== Jansson: the same tree ===== */

static int from_jansson(extp_json *j, json_t *v, int parent, const char *key)
{
    int type;
    switch (json_typeof(v)) {
    case JSON_OBJECT: type = EXTP_J_OBJECT; break;
    case JSON_ARRAY: type = EXTP_J_ARRAY; break;
    case JSON_STRING: type = EXTP_J_STRING; break;
    case JSON_INTEGER: type = EXTP_J_INTEGER; break;
    case JSON_REAL: type = EXTP_J_REAL; break;
    case JSON_TRUE: type = EXTP_J_TRUE; break;
    case JSON_FALSE: type = EXTP_J_FALSE; break;
    default: type = EXTP_J_NULL; break;
    }
    int k = add_node(j, parent, type);
    if (k < 0)
        return CX_ENOMEM;
    if (key) {
        uint32_t off;
        if (put_str(j, key, strlen(key), &off) != 0)
            return CX_ENOMEM;
        j->node[k].key = off;
        j->node[k].key_len = (uint32_t)strlen(key);
    }
    int rc = 0;
    if (type == EXTP_J_STRING) {
        uint32_t off;
        size_t len = json_string_length(v);
        if (put_str(j, json_string_value(v), len, &off) != 0)
            return CX_ENOMEM;
        j->node[k].v.s.str = off;
        j->node[k].v.s.len = (uint32_t)len;
    } else if (type == EXTP_J_INTEGER) {
        j->node[k].v.integer = json_integer_value(v);
    } else if (type == EXTP_J_REAL) {
        j->node[k].v.real = json_real_value(v);
    } else if (type == EXTP_J_ARRAY) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (rc == 0)
                rc = from_jansson(j, e, k, NULL);
        }
    } else if (type == EXTP_J_OBJECT) {
        const char *mk;
        json_t *e;
        json_object_foreach(v, mk, e)
        {
            if (rc == 0)
                rc = from_jansson(j, e, k, mk);
        }
    }
    j->node[k].end = (uint32_t)j->n;
    return rc;
}

/* root (owned, an object or an array) into j. */
static int take_jansson(json_t *root, extp_json *j)
{
    int rc = from_jansson(j, root, -1, NULL);
    json_decref(root);
    if (rc != 0)
        extp_json_free(j);
    return rc;
}

static void set_error(extp_json_error *je, const json_error_t *e)
{
    if (je) {
        je->line = e->line;
        je->column = e->column;
        snprintf(je->text, sizeof je->text, "%s", e->text);
    }
}

/* The error of a tree that is not an object, as the lexicon gave it. */
static int want_object(extp_json *j, int rc, const extp_json_error *je, const char *name,
                       cx_err *err)
{
    if (rc != 0)
        extp_json_free(j);
    if (rc == CX_EFORMAT)
        return cx_err_set(err, rc, name, je->line, "column %d: %s", je->column, je->text);
    if (rc != 0)
        return cx_err_set(err, rc, name, 0, "out of memory");
    if (j->node[0].type != EXTP_J_OBJECT) {
        extp_json_free(j);
        return cx_err_set(err, CX_EFORMAT, name, 0, "expected a JSON object");
    }
    return 0;
}

int extp_json_parse(const char *buf, size_t len, const char *name, bool fast, extp_json *j,
                    cx_err *err)
{
    reset(j);
    extp_json_error je = {0};
    int rc = 0;
    if (fast && parse_fast(buf, len, j)) {
        j->fast = true;
    } else {
        reset(j);
        json_error_t e;
        json_t *root = json_loadb(buf, len, 0, &e);
        set_error(&je, &e);
        rc = root ? take_jansson(root, j) : CX_EFORMAT;
    }
    return want_object(j, rc, &je, name, err);
}

int extp_json_read(const char *path, extp_json *j, extp_json_error *je)
{
    reset(j);
    /* the file mapped, not copied: its pages come from the page cache */
    bool ok = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size < SIZE_MAX) {
        size_t len = (size_t)st.st_size;
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            ok = parse_fast(m, len, j);
            munmap(m, len);
        }
    }
    if (fd >= 0)
        close(fd);
    if (ok) {
        j->fast = true;
        return 0;
    }
    /* unusual, unreadable or missing: Jansson's loader, its message */
    reset(j);
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    set_error(je, &e);
    int rc = root ? take_jansson(root, j) : CX_EFORMAT;
    if (rc != 0)
        extp_json_free(j);
    return rc;
}

int extp_json_load(const char *path, extp_json *j, cx_err *err)
{
    extp_json_error je = {0};
    return want_object(j, extp_json_read(path, j, &je), &je, path, err);
}

/* ===== Access ===== */

int extp_json_get(const extp_json *j, int obj, const char *key)
{
    if (obj < 0 || (size_t)obj >= j->n || j->node[obj].type != EXTP_J_OBJECT)
        return -1;
    size_t kl = strlen(key);
    for (uint32_t m = (uint32_t)obj + 1; m < j->node[obj].end; m = j->node[m].end)
        if (j->node[m].key_len == kl && memcmp(j->strs.data + j->node[m].key, key, kl) == 0)
            return (int)m;
    return -1;
}

int extp_json_first(const extp_json *j, int node)
{
    if (node < 0 || (size_t)node >= j->n ||
        (j->node[node].type != EXTP_J_ARRAY && j->node[node].type != EXTP_J_OBJECT))
        return -1;
    return j->node[node].v.s.len ? node + 1 : -1;
}

int extp_json_next(const extp_json *j, int parent, int child)
{
    uint32_t nx = j->node[child].end;
    return nx < j->node[parent].end ? (int)nx : -1;
}

size_t extp_json_array_size(const extp_json *j, int node)
{
    return node >= 0 && j->node[node].type == EXTP_J_ARRAY ? j->node[node].v.s.len : 0;
}

const char *extp_json_str(const extp_json *j, int node, size_t *len)
{
    if (node < 0 || j->node[node].type != EXTP_J_STRING)
        return NULL;
    if (len)
        *len = j->node[node].v.s.len;
    return j->strs.data + j->node[node].v.s.str;
}

const char *extp_json_key(const extp_json *j, int node)
{
    return node >= 0 && j->node[node].key != NO_KEY ? j->strs.data + j->node[node].key : NULL;
}

bool extp_json_is(const extp_json *j, int node, int type)
{
    return node >= 0 && j->node[node].type == type;
}

long long extp_json_integer(const extp_json *j, int node)
{
    return extp_json_is(j, node, EXTP_J_INTEGER) ? j->node[node].v.integer : 0;
}

double extp_json_number(const extp_json *j, int node)
{
    if (extp_json_is(j, node, EXTP_J_INTEGER))
        return (double)j->node[node].v.integer;
    if (extp_json_is(j, node, EXTP_J_REAL))
        return j->node[node].v.real;
    return 0;
}
