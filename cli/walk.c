/* walk.c -- input expansion. See walk.h. Deterministic: the same tree gives
 * the same list in the same order on every machine (names compared as
 * bytes, not by locale). */
#include "walk.h"

#include "cx_buf.h"
#include "cx_err.h"
#include "read.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walker {
    cli_inputs *out;
    cli_msgs *m;
    dir_id *seen; /* every folder entered so far */
    size_t n_seen, cap_seen;
    dir_id *stack; /* folders on the current path (for "loop" vs "seen") */
    size_t depth, cap_stack;
} walker;

int cli_input_wanted(const char *path)
{
    /* the readers' own list: documents, feeds, WARC, compressed, archives */
    return rd_reader_wanted(path) != 0;
}

static int push_path(cli_inputs *in, const char *p)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        char **np = realloc(in->paths, cap * sizeof *np);
        if (!np)
            return CX_ENOMEM;
        in->paths = np;
        in->cap = cap;
    }
    size_t len = strlen(p);
    char *copy = malloc(len + 1);
    if (!copy)
        return CX_ENOMEM;
    memcpy(copy, p, len + 1);
    in->paths[in->n++] = copy;
    return 0;
}

static int push_id(dir_id **arr, size_t *n, size_t *cap, dir_id id)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        dir_id *na = realloc(*arr, c * sizeof *na);
        if (!na)
            return CX_ENOMEM;
        *arr = na;
        *cap = c;
    }
    (*arr)[(*n)++] = id;
    return 0;
}

static bool has_id(const dir_id *arr, size_t n, dir_id id)
{
    for (size_t i = 0; i < n; i++)
        if (arr[i].dev == id.dev && arr[i].ino == id.ino)
            return true;
    return false;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(walker *w, const char *path, const struct stat *st);

/* One path found inside a folder (or given explicitly when `explicit`). */
static int visit(walker *w, const char *path, bool explicit)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            cli_errorf(w->m, path, 0, "cannot open: dangling symbolic link (%s)", strerror(e));
        else
            cli_errorf(w->m, path, 0, "cannot open: %s", strerror(e));
        w->out->n_failed++;
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    if (!explicit && !cli_input_wanted(path)) {
        w->out->n_skipped++;
        cli_notef(w->m, 2, "%s: skipped (not a document, feed, WARC, compressed file or archive)",
                  path);
        return 0;
    }
    if (!S_ISREG(st.st_mode) && !explicit) {
        w->out->n_skipped++;
        return 0;
    }
    return push_path(w->out, path);
}

static int walk_dir(walker *w, const char *path, const struct stat *st)
{
    dir_id id = {st->st_dev, st->st_ino};
    if (has_id(w->stack, w->depth, id)) {
        cli_warnf(w->m, path, 0, "symbolic link loop: folder already being read, not followed");
        w->out->n_loops++;
        return 0;
    }
    if (has_id(w->seen, w->n_seen, id)) {
        cli_warnf(w->m, path, 0, "folder already read through another path, not read again");
        w->out->n_loops++;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        cli_errorf(w->m, path, 0, "cannot read folder: %s", strerror(errno));
        w->out->n_failed++;
        return 0;
    }
    int rc = push_id(&w->seen, &w->n_seen, &w->cap_seen, id);
    if (rc == 0)
        rc = push_id(&w->stack, &w->depth, &w->cap_stack, id);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') /* ".", "..", and hidden files */
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 32;
            char **nn = realloc(names, c * sizeof *nn);
            if (!nn) {
                rc = CX_ENOMEM;
                break;
            }
            names = nn;
            cap = c;
        }
        size_t len = strlen(de->d_name);
        if (!(names[n] = malloc(len + 1))) {
            rc = CX_ENOMEM;
            break;
        }
        memcpy(names[n++], de->d_name, len + 1);
    }
    if (rc == 0 && errno != 0) {
        cli_errorf(w->m, path, 0, "cannot list folder: %s", strerror(errno));
        w->out->n_failed++;
    }
    closedir(d);
    if (rc == 0 && n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    cx_buf child = CX_BUF_INIT;
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cx_buf_reset(&child);
        if (cx_buf_append(&child, path, plen) != 0 || cx_buf_putc(&child, '/') != 0 ||
            cx_buf_puts(&child, names[i]) != 0)
            rc = CX_ENOMEM;
        else
            rc = visit(w, child.data, false);
    }
    cx_buf_free(&child);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (w->depth > 0)
        w->depth--;
    return rc;
}

int cli_inputs_collect(char *const *args, size_t n, cli_inputs *out, cli_msgs *m)
{
    walker w = {.out = out, .m = m};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (strcmp(args[i], "-") == 0)
            rc = push_path(out, "-");
        else
            rc = visit(&w, args[i], true);
    }
    free(w.seen);
    free(w.stack);
    return rc;
}

void cli_inputs_free(cli_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n; i++)
        free(in->paths[i]);
    free(in->paths);
    memset(in, 0, sizeof *in);
}
