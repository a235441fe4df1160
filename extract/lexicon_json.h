/* lexicon_json.h -- the data files of the lexicon (data/lexicon/<lang>.json,
 * data/conflicts/<id>.json) read into one flat, read-only tree. Private to
 * extract/ (prefix extp_).
 *
 * Start-up (issue 20): Jansson builds a hash table per object and a malloc
 * per value, about 170 instructions a byte; the lexicons are ~100 KB read at
 * every start. The fast path parses with yajl's event parser into an array
 * of nodes in document order (about 25 instructions a byte). Anything
 * unusual (a \u escape, bytes that are not UTF-8, a duplicate key, deep
 * nesting, anything yajl refuses) goes through Jansson instead, which gives
 * the same tree (or the error message, line and column, it always gave):
 * what a file means never depends on the fast path. */
#ifndef EXT_LEXICON_JSON_H
#define EXT_LEXICON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_buf.h"
#include "cx_err.h"

enum {
    EXTP_J_NULL = 0, EXTP_J_FALSE, EXTP_J_TRUE, EXTP_J_INTEGER, EXTP_J_REAL, EXTP_J_STRING,
    EXTP_J_ARRAY, EXTP_J_OBJECT
};

/* One value. The children of an array or object follow it, in document
 * order (an object's members in Jansson's iteration order); `end` is the
 * index one past its last descendant. */
typedef struct extp_jnode {
    uint8_t type;
    uint32_t end;
    uint32_t key, key_len; /* an object member's key: offset in `strs` */
    union {
        struct {
            uint32_t str, len; /* a string: offset in `strs`, bytes; a container: children */
        } s;
        long long integer;
        double real;
    } v;
} extp_jnode;

typedef struct extp_json {
    extp_jnode *node; /* node[0] is the root */
    size_t n, cap;
    cx_buf strs;      /* keys and strings, each NUL-terminated */
    bool fast;        /* read by the fast path (tests) */
} extp_json;

/* Every reader below takes a tree zeroed before its first use ({0}) and
 * empties it first: one tree read file after file keeps its storage (no
 * new pages to fault in). extp_json_free releases it; a reader that fails
 * has released it already. */

/** Read the JSON object in `path` (a file that is not an object is an
 *  error, as Jansson's loader and "expected a JSON object" gave it).
 *  Returns 0 or the error set in `err` (naming `path`). */
int extp_json_load(const char *path, extp_json *j, cx_err *err);

/** Jansson's account of a file it could not read. */
typedef struct extp_json_error {
    int line, column; /* line <= 0: not opened, or empty */
    char text[160];
} extp_json_error;

/** Read the JSON object or array in `path`: 0, CX_EFORMAT with `je` filled
 *  as Jansson's json_load_file would (unreadable, empty, malformed), or
 *  CX_ENOMEM. */
int extp_json_read(const char *path, extp_json *j, extp_json_error *je);

/** The object from `len` bytes at `buf`; `name` names it in errors. With
 *  `fast` false, Jansson alone reads it (tests compare both). */
int extp_json_parse(const char *buf, size_t len, const char *name, bool fast, extp_json *j,
                    cx_err *err);

void extp_json_free(extp_json *j);

/** The member `key` of object `obj` (-1 when `obj` is -1 or not an object,
 *  or has no such member). */
int extp_json_get(const extp_json *j, int obj, const char *key);

/** The first child of `node` (an array's element, an object's member), -1
 *  when none or not a container; the next child of `parent` after `child`. */
int extp_json_first(const extp_json *j, int node);
int extp_json_next(const extp_json *j, int parent, int child);

/** Children of an array (0 for anything else, as json_array_size). */
size_t extp_json_array_size(const extp_json *j, int node);

/** A string's value and length; NULL when `node` is not a string. */
const char *extp_json_str(const extp_json *j, int node, size_t *len);

/** An object member's key. */
const char *extp_json_key(const extp_json *j, int node);

bool extp_json_is(const extp_json *j, int node, int type);
long long extp_json_integer(const extp_json *j, int node); /* 0 when not an integer */
double extp_json_number(const extp_json *j, int node);     /* integer or real, else 0 */

#define extp_json_foreach(j, parent, child)                                                     \
    for (int child = extp_json_first((j), (parent)); child >= 0;                                \
         child = extp_json_next((j), (parent), child))

#endif
