/* cmd_watch.c -- `incimap watch`: keep an incident store and its layers
 * current while files arrive in folders.
 *
 *   folders (inotify, else polling) -> files of the kinds extract reads in
 *   folders (cli_input_wanted), new or changed -> settled (size and mtime
 *   unchanged over one check) -> one batch -> `incimap extract FILES --db
 *   STORE -o OUT --overwrite` run in-process (cli_cmd_extract) -> the batch's
 *   (path, size, mtime) remembered.
 *
 * extract does the work: it skips the documents the store already holds,
 * exports the whole store and replaces the layers only once the new ones are
 * complete. This file only decides what to read and when. It does not read
 * documents itself, and keeps no state on disk: after a restart, the files
 * are read again and the store skips what it holds (a bad file is then
 * reported once more).
 *
 * Files are remembered with the (size, mtime) they were read at, whatever the
 * outcome: a file that failed is reported once (by extract) and read again
 * only when it changes. SIGINT and SIGTERM are blocked and looked for between
 * batches, so a batch in progress always completes and the command exits 0.
 */
#include "commands.h"
#include "exitcodes.h"
#include "msgs.h"
#include "options.h"
#include "walk.h"

#include "cx_buf.h"
#include "cx_err.h"
#include "cx_mem.h"
#include "cx_lock.h"
#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#define HAVE_INOTIFY 1
#else
#define HAVE_INOTIFY 0
#endif

#define MAX_PASS    64   /* options passed on to extract */
#define MAX_BATCH   1000 /* files per extract run: the layers follow a big drop in steps */
#define SLICE_S     0.2  /* longest wait before looking at the signals again */
#define MAX_BACKOFF 60.0 /* seconds between retries of a batch whose output failed */

/* ===== Options ===== */

enum { G_WATCH, G_OUTPUT, G_EXTRACT, G_DIAG, G_N };

/* Options from O_PASS on, and -f, are extract's: checked by extract's own
 * parser and passed on to every run. */
enum {
    O_INTERVAL = 256,
    O_POLL,
    O_FOLLOW,
    O_DB,
    O_HELP,
    O_PASS,
    O_TSRS = O_PASS,
    O_LAYERS,
    O_MINCONF,
    O_DATE,
    O_LANG,
    O_ENCODING,
    O_CONFLICT,
    O_MODEL,
    O_GAZ
};

/* The single source of the options: getopt_long, --help and docs/cli.md. */
static const cli_opt opt_table[] = {
    {"interval", O_INTERVAL, required_argument, "SECONDS", G_WATCH,
     "How long a new or changed file must keep the same size and\n"
     "modification time before it is read, and how often folders are\n"
     "scanned when polling (default 2; 0.1 to 3600)."},
    {"poll", O_POLL, no_argument, NULL, G_WATCH,
     "Scan the folders every --interval instead of using inotify (for\n"
     "network file systems, whose remote writes inotify does not see).\n"
     "Polling is also the fallback when inotify is unavailable."},
    {"follow-symlinks", O_FOLLOW, no_argument, NULL, G_WATCH,
     "Also read files and folders that symbolic links inside DIR point\n"
     "to outside it (by default such links are skipped)."},
    {"db", O_DB, required_argument, "FILE", G_OUTPUT,
     "The incident store (created if missing). Documents it already\n"
     "holds are not read again, after a restart too. Required."},
    {"output", 'o', required_argument, "OUT", G_OUTPUT,
     "The layers, rewritten after every batch from the whole store: a\n"
     "folder, a .gpkg file or PG:\"...\" (not -). Required."},
    {"format", 'f', required_argument, "FORMAT", G_OUTPUT,
     "As in extract: OGR driver name, repeatable (default: GeoJSON and\n"
     "ESRI Shapefile)."},
    {"t_srs", O_TSRS, required_argument, "SRS", G_OUTPUT, "As in extract: reproject."},
    {"layers", O_LAYERS, required_argument, "LIST", G_OUTPUT,
     "As in extract: the layers to write."},
    {"min-confidence", O_MINCONF, required_argument, "X", G_OUTPUT,
     "As in extract: keep incidents of confidence X or more."},
    {"date", O_DATE, required_argument, "YYYY-MM-DD", G_EXTRACT,
     "As in extract: publication date of documents that give none."},
    {"lang", O_LANG, required_argument, "fr|en|auto", G_EXTRACT,
     "As in extract: language of documents that do not say."},
    {"encoding", O_ENCODING, required_argument, "NAME", G_EXTRACT,
     "As in extract: encoding of every input."},
    {"conflict", O_CONFLICT, required_argument, "ID", G_EXTRACT,
     "As in extract: the conflict file data/conflicts/ID.json."},
    {"model", O_MODEL, required_argument, "FILE", G_EXTRACT,
     "As in extract: the weights of the pair model."},
    {"gazetteer", O_GAZ, required_argument, "FILE", G_EXTRACT, "As in extract: the gazetteer."},
    {"quiet", 'q', no_argument, NULL, G_DIAG, "Errors only."},
    {"verbose", 'v', no_argument, NULL, G_DIAG,
     "Say what is watched and what each batch reads, with extract's\n"
     "counts; twice for per-document details."},
    {"help", 'h', no_argument, NULL, G_DIAG, "Show this help and exit."},
};
#define N_OPTS (sizeof opt_table / sizeof opt_table[0])

static const char *const group_names[G_N] = {"Watching", "Store and output",
                                             "Extraction (passed to extract)", "Diagnostics"};

typedef struct watch_opts {
    char **dirs; /* borrowed from argv */
    size_t n_dirs;
    const char *db;
    const char *out;
    double interval;
    bool poll;
    bool follow; /* --follow-symlinks */
    const char *pass[2 * MAX_PASS]; /* "--name", "value" pairs, borrowed or from pass_names */
    size_t n_pass;
    int verbosity;
    bool help;
} watch_opts;

static void print_help(FILE *f)
{
    fputs("NAME\n"
          "    incimap watch - keep an incident store and its layers current while\n"
          "    files arrive in folders\n"
          "\n"
          "SYNOPSIS\n"
          "    incimap watch DIR... --db STORE -o OUT [--interval SECONDS] [--poll]\n"
          "                  [-f FORMAT]... [extract options] [-q] [-v]\n"
          "\n"
          "DESCRIPTION\n"
          "    Watches every DIR (recursively, for the files extract reads in a\n"
          "    folder; hidden files are skipped) and reads each new or changed file\n"
          "    once its size and modification time have not changed for\n"
          "    --interval seconds. Files that settle together are one batch, read\n"
          "    as by 'incimap extract FILES --db STORE -o OUT --overwrite': their\n"
          "    documents go into the store (a document it already holds is\n"
          "    skipped), and the layers are rewritten from the whole store and\n"
          "    replaced only once complete, so a reader (QGIS with layer\n"
          "    auto-refresh) never sees half a file. Files already in DIR when it\n"
          "    starts are read too, and add nothing the store holds.\n"
          "\n"
          "    A file that cannot be read is reported once and not read again\n"
          "    until it changes. SIGINT and SIGTERM stop it between batches: the\n"
          "    batch in progress completes, the layers are whole, the status is 0.\n"
          "    Uses inotify where available, else scans every --interval.\n"
          "\n"
          "OPTIONS\n",
          f);
    cli_opts_print(f, opt_table, N_OPTS, group_names, G_N, O_TSRS);
    fputs("\n"
          "EXIT STATUS\n"
          "    0  stopped by SIGINT or SIGTERM\n"
          "    2  usage: bad command line\n"
          "    3  input: a DIR is missing or not a folder\n"
          "    4  gazetteer missing, unreadable or of the wrong schema\n"
          "    6  out of memory\n"
          "    A batch whose store or layers cannot be written is retried, with\n"
          "    a growing delay, until it succeeds.\n"
          "\n"
          "EXAMPLES\n"
          "    incimap watch incoming/ --db incidents.sqlite -o layers/ -f GeoJSON\n"
          "    incimap watch feeds/ crawl/ --db store.sqlite -o map.gpkg -f GPKG --poll\n",
          f);
}

static bool is_pass(int val)
{
    return val == 'f' || val >= O_PASS;
}

/* "--name" of a pass-through option, from a table that outlives the run. */
static const char *pass_flag(int val)
{
    switch (val) {
    case 'f': return "--format";
    case O_TSRS: return "--t_srs";
    case O_LAYERS: return "--layers";
    case O_MINCONF: return "--min-confidence";
    case O_DATE: return "--date";
    case O_LANG: return "--lang";
    case O_ENCODING: return "--encoding";
    case O_CONFLICT: return "--conflict";
    case O_MODEL: return "--model";
    case O_GAZ: return "--gazetteer";
    default: return NULL;
    }
}

/* Parse argv into `o`. Returns 0, or CLI_EXIT_USAGE after reporting. */
static int parse_args(int argc, char **argv, watch_opts *o, cli_msgs *m)
{
    struct option longs[N_OPTS + 1];
    char shorts[2 * N_OPTS + 2];
    cli_opts_getopt(opt_table, N_OPTS, longs, shorts);

    o->interval = 2.0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (is_pass(c) && pass_flag(c)) {
            if (o->n_pass + 2 > 2 * MAX_PASS) {
                cli_usagef(m, "watch", "too many options (at most %d passed to extract)", MAX_PASS);
                return CLI_EXIT_USAGE;
            }
            o->pass[o->n_pass++] = pass_flag(c);
            o->pass[o->n_pass++] = optarg;
            continue;
        }
        switch (c) {
        case 'o': o->out = optarg; break;
        case O_DB: o->db = optarg; break;
        case O_POLL: o->poll = true; break;
        case O_FOLLOW: o->follow = true; break;
        case O_INTERVAL: {
            char *end = NULL;
            double v = strtod(optarg, &end);
            if (!end || end == optarg || *end || !(v >= 0.1 && v <= 3600)) {
                cli_usagef(m, "watch",
                           "--interval: '%s' is not a number of seconds between 0.1 and 3600",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->interval = v;
            break;
        }
        case 'q': o->verbosity = -1; break;
        case 'v':
            if (o->verbosity >= 0)
                o->verbosity++;
            break;
        case 'h': o->help = true; return 0;
        case ':':
            cli_usagef(m, "watch", "option '%s' needs an argument", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            if (optopt && optopt < 256)
                cli_usagef(m, "watch", "unknown option '-%c'", optopt);
            else
                cli_usagef(m, "watch", "unknown option '%s'", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    o->dirs = argv + optind;
    o->n_dirs = (size_t)(argc - optind);
    if (o->n_dirs == 0) {
        cli_usagef(m, "watch", "no DIR given (the folders to watch)");
        return CLI_EXIT_USAGE;
    }
    if (!o->db) {
        cli_usagef(m, "watch", "no store given (--db FILE)");
        return CLI_EXIT_USAGE;
    }
    if (!o->out) {
        cli_usagef(m, "watch", "no output given (-o OUT)");
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(o->out, "-")) {
        cli_usagef(m, "watch",
                   "-o -: the layers are rewritten after every batch: give a "
                   "folder, a .gpkg file or PG:\"...\"");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* ===== Time and signals ===== */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    nanosleep(&ts, NULL);
}

/* SIGINT and SIGTERM stay blocked while watching: a batch never stops half
 * way, and they are read with sigpending() between batches, with no handler
 * and no global flag. */
static bool stop_pending(const sigset_t *stop)
{
    sigset_t p;
    if (sigpending(&p) != 0)
        return false;
    return (sigismember(stop, SIGINT) && sigismember(&p, SIGINT)) ||
           (sigismember(stop, SIGTERM) && sigismember(&p, SIGTERM));
}

/* ===== Files seen ===== */

typedef struct stamp {
    long long size;
    long long mtime_ns;
} stamp;

typedef struct wfile {
    char *path;   /* owned */
    stamp cur;    /* as last seen */
    stamp read;   /* as last read (valid when has_read) */
    double since; /* when `cur` was first seen (monotonic seconds) */
    bool has_read;
    bool pending; /* cur differs from read: waits to settle */
    bool seen;    /* found by the current full scan */
} wfile;

/* The files, with an open-addressing index on the path. Entries are only
 * dropped by a full scan, which rebuilds the index. */
typedef struct ftable {
    wfile *items;
    size_t n, cap;
    size_t *slots; /* item index + 1; 0 is empty; n_slots is a power of two */
    size_t n_slots;
    size_t n_pending;
} ftable;

static uint64_t hash_path(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int index_rebuild(ftable *t, size_t n_slots)
{
    size_t *s = calloc(n_slots, sizeof *s);
    if (!s)
        return CX_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = (size_t)hash_path(t->items[i].path) & (n_slots - 1);
        while (s[k])
            k = (k + 1) & (n_slots - 1);
        s[k] = i + 1;
    }
    free(t->slots);
    t->slots = s;
    t->n_slots = n_slots;
    return 0;
}

static wfile *ftable_find(const ftable *t, const char *path)
{
    if (!t->n_slots)
        return NULL;
    for (size_t k = (size_t)hash_path(path) & (t->n_slots - 1); t->slots[k];
         k = (k + 1) & (t->n_slots - 1))
        if (!strcmp(t->items[t->slots[k] - 1].path, path))
            return &t->items[t->slots[k] - 1];
    return NULL;
}

/* The entry of `path`, added (not pending, never read) when new; NULL when
 * out of memory. Pointers into the table move when it grows. */
static wfile *ftable_get(ftable *t, const char *path)
{
    wfile *f = ftable_find(t, path);
    if (f)
        return f;
    if (2 * (t->n + 1) > t->n_slots && index_rebuild(t, t->n_slots ? 2 * t->n_slots : 256) != 0)
        return NULL;
    wfile *items = cx_grow(t->items, &t->cap, t->n + 1, sizeof *items, 64);
    if (!items)
        return NULL;
    t->items = items;
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, path, len + 1);
    f = &t->items[t->n];
    *f = (wfile){.path = copy};
    size_t k = (size_t)hash_path(path) & (t->n_slots - 1);
    while (t->slots[k])
        k = (k + 1) & (t->n_slots - 1);
    t->slots[k] = ++t->n;
    return f;
}

static void set_pending(ftable *t, wfile *f, bool on)
{
    if (f->pending != on)
        t->n_pending += on ? 1 : (size_t)-1;
    f->pending = on;
}

/* Drop the entries a full scan did not see. */
static int ftable_sweep(ftable *t)
{
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->items[i].seen) {
            if (t->items[i].pending)
                t->n_pending--;
            free(t->items[i].path);
            continue;
        }
        t->items[j++] = t->items[i];
    }
    t->n = j;
    size_t n_slots = 256;
    while (n_slots < 2 * t->n)
        n_slots *= 2;
    return index_rebuild(t, n_slots);
}

static void ftable_free(ftable *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i].path);
    free(t->items);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static stamp stamp_of(const struct stat *st)
{
    return (stamp){(long long)st->st_size,
                   (long long)st->st_mtim.tv_sec * 1000000000ll + st->st_mtim.tv_nsec};
}

static bool same(stamp a, stamp b)
{
    return a.size == b.size && a.mtime_ns == b.mtime_ns;
}

/* A file of the kinds watched was seen with `st`: new or changed, it waits
 * to settle. Returns 0, or CX_ENOMEM. */
static int observe(ftable *t, const char *path, const struct stat *st, double now)
{
    wfile *f = ftable_get(t, path);
    if (!f)
        return CX_ENOMEM;
    f->seen = true;
    stamp s = stamp_of(st);
    if (f->has_read && same(s, f->read)) {
        set_pending(t, f, false);
        return 0;
    }
    if (f->pending && same(s, f->cur))
        return 0;
    f->cur = s;
    f->since = now;
    set_pending(t, f, true);
    return 0;
}

/* ===== Folders ===== */

typedef struct wdir {
    char *path; /* owned */
    dev_t dev;
    ino_t ino;
    int wd; /* inotify watch, or -1 */
} wdir;

typedef struct watcher {
    const watch_opts *o;
    cli_msgs *m;
    ftable files;
    wdir *dirs; /* the folders of the last full scan */
    size_t n_dirs, cap_dirs;
    int ifd;         /* inotify, or -1 when polling */
    bool quiet_scan; /* later scans: folder errors only with -v */
    bool *gone;      /* per DIR: missing at the last scan (reported once) */
    char **real;     /* per DIR: its real path at the last scan, or NULL */
} watcher;

static void dirs_free(wdir *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(d[i].path);
    free(d);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* Hidden files and the names of files still being written (a download's
 * .part, an editor's or a scraper's .tmp, a backup~) are never read: they
 * are renamed to their real name when complete. */
static bool wanted_name(const char *name)
{
    return name[0] != '.' && !ends_with(name, ".part") && !ends_with(name, ".tmp") &&
           !ends_with(name, "~");
}

/* A symbolic link is followed only when it stays inside one of the watched
 * folders, unless --follow-symlinks. */
static bool link_allowed(const watcher *w, const char *path)
{
    if (w->o->follow)
        return true;
    char *rp = realpath(path, NULL);
    bool ok = false;
    for (size_t i = 0; rp && !ok && i < w->o->n_dirs; i++) {
        const char *r = w->real ? w->real[i] : NULL;
        size_t n = r ? strlen(r) : 0;
        ok = r && !strncmp(rp, r, n) && (rp[n] == '/' || rp[n] == '\0' || (n == 1 && r[0] == '/'));
    }
    if (!ok)
        cli_notef(w->m, 1, "%s: a symbolic link out of the watched folders: skipped "
                           "(--follow-symlinks to read it)", path);
    free(rp);
    return ok;
}

#if HAVE_INOTIFY
#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF |       \
     IN_MOVE_SELF | IN_ONLYDIR)
#endif

/* Stop using inotify (a watch could not be added): scan every interval. */
static void fall_back_to_polling(watcher *w, const char *why)
{
    cli_warnf(w->m, NULL, 0, "inotify: %s; scanning the folders every %g s instead", why,
              w->o->interval);
    if (w->ifd >= 0)
        close(w->ifd);
    w->ifd = -1;
}

typedef struct scan {
    watcher *w;
    wdir *dirs; /* found by this scan */
    size_t n_dirs, cap_dirs;
    double now;
    int rc;
} scan;

static void scan_dir(scan *s, const char *path, const struct stat *st);

static void scan_path(scan *s, const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !link_allowed(s->w, path))
        return;
    if (stat(path, &st) != 0)
        return; /* gone since it was listed, or a dangling link */
    if (S_ISDIR(st.st_mode))
        scan_dir(s, path, &st);
    else if (S_ISREG(st.st_mode) && cli_input_wanted(path))
        s->rc = observe(&s->w->files, path, &st, s->now);
}

static void scan_dir(scan *s, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < s->n_dirs; i++)
        if (s->dirs[i].dev == st->st_dev && s->dirs[i].ino == st->st_ino)
            return; /* a link loop, or a folder reached twice: read once */
#if HAVE_INOTIFY
    /* Watched before it is read: a file moved in meanwhile is either listed
     * below or reported by an event (watching after the whole scan left a
     * gap where it was neither). */
    int wd = -1;
    if (s->w->ifd >= 0) {
        wd = inotify_add_watch(s->w->ifd, path, WATCH_MASK);
        if (wd < 0 && errno != ENOENT && errno != ENOTDIR) {
            char why[256];
            snprintf(why, sizeof why, "cannot watch %s (%s)", path, strerror(errno));
            fall_back_to_polling(s->w, why);
        }
    }
#else
    int wd = -1;
#endif
    DIR *d = opendir(path);
    if (!d) {
        if (!s->w->quiet_scan || s->w->m->verbosity > 0)
            cli_warnf(s->w->m, path, 0, "cannot read folder: %s", strerror(errno));
#if HAVE_INOTIFY
        if (wd >= 0 && s->w->ifd >= 0)
            inotify_rm_watch(s->w->ifd, wd);
#endif
        return;
    }
    wdir *nd = cx_grow(s->dirs, &s->cap_dirs, s->n_dirs + 1, sizeof *nd, 16);
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (!nd || !copy) {
        free(copy);
        if (nd)
            s->dirs = nd;
        closedir(d);
        s->rc = CX_ENOMEM;
        return;
    }
    s->dirs = nd;
    memcpy(copy, path, len + 1);
    s->dirs[s->n_dirs++] = (wdir){copy, st->st_dev, st->st_ino, wd};
    cx_buf child = CX_BUF_INIT;
    while (len > 1 && path[len - 1] == '/')
        len--;
    struct dirent *de;
    while (s->rc == 0 && (de = readdir(d)) != NULL) {
        if (!wanted_name(de->d_name))
            continue;
        cx_buf_reset(&child);
        if (cx_buf_append(&child, path, len) != 0 || cx_buf_putc(&child, '/') != 0 ||
            cx_buf_puts(&child, de->d_name) != 0)
            s->rc = CX_ENOMEM;
        else
            scan_path(s, child.data);
    }
    cx_buf_free(&child);
    closedir(d);
}

/* Scan every DIR: files new or changed since the last look start to settle,
 * files gone are forgotten, and (inotify) every folder found is watched and
 * folders gone are no longer. Returns 0, or CX_ENOMEM. */
static int full_scan(watcher *w)
{
    scan s = {.w = w, .now = now_s()};
    for (size_t i = 0; i < w->files.n; i++)
        w->files.items[i].seen = false;
    for (size_t i = 0; s.rc == 0 && i < w->o->n_dirs; i++) {
        struct stat st;
        bool here = stat(w->o->dirs[i], &st) == 0 && S_ISDIR(st.st_mode);
        if (!here && !w->gone[i])
            cli_warnf(w->m, w->o->dirs[i], 0,
                      "the watched folder is gone; waiting for it to come back (checked every "
                      "%g s)",
                      w->o->interval);
        else if (here && w->gone[i])
            cli_notef(w->m, 0, "%s: the watched folder is back: watching it again",
                      w->o->dirs[i]);
        w->gone[i] = !here;
        free(w->real[i]);
        w->real[i] = here ? realpath(w->o->dirs[i], NULL) : NULL;
        if (here)
            scan_path(&s, w->o->dirs[i]);
    }
    if (s.rc == 0)
        s.rc = ftable_sweep(&w->files);
#if HAVE_INOTIFY
    /* (each folder found was watched by scan_dir before it was read; one
     * gone since is rescanned on its parent's event) */
    /* folders watched before and not found now */
    for (size_t i = 0; w->ifd >= 0 && i < w->n_dirs; i++) {
        bool kept = false;
        for (size_t j = 0; !kept && j < s.n_dirs; j++)
            kept = s.dirs[j].wd == w->dirs[i].wd;
        if (!kept && w->dirs[i].wd >= 0)
            inotify_rm_watch(w->ifd, w->dirs[i].wd);
    }
#endif
    dirs_free(w->dirs, w->n_dirs);
    w->dirs = s.dirs;
    w->n_dirs = s.n_dirs;
    w->cap_dirs = s.cap_dirs;
    w->quiet_scan = true;
    return s.rc;
}

#if HAVE_INOTIFY
/* Read the pending inotify events. A file closed after writing or moved in
 * starts to settle; a file deleted or moved out is forgotten; anything that
 * changes the folders (a folder created, moved or deleted, an overflow of
 * the queue) asks for a full scan (*rescan). Returns 0, or CX_ENOMEM. */
static int read_events(watcher *w, bool *rescan)
{
    _Alignas(struct inotify_event) char buf[16384];
    cx_buf path = CX_BUF_INIT;
    int rc = 0;
    for (;;) {
        ssize_t n = read(w->ifd, buf, sizeof buf);
        if (n <= 0)
            break; /* EAGAIN: nothing more */
        for (char *p = buf; rc == 0 && p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) ||
                ((ev->mask & IN_ISDIR) &&
                 (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)))) {
                *rescan = true;
                continue;
            }
            if (!ev->len || !wanted_name(ev->name))
                continue;
            const wdir *d = NULL;
            for (size_t i = 0; !d && i < w->n_dirs; i++)
                if (w->dirs[i].wd == ev->wd)
                    d = &w->dirs[i];
            if (!d)
                continue;
            cx_buf_reset(&path);
            if (cx_buf_puts(&path, d->path) != 0 || cx_buf_putc(&path, '/') != 0 ||
                cx_buf_puts(&path, ev->name) != 0) {
                rc = CX_ENOMEM;
                break;
            }
            if (!cli_input_wanted(path.data))
                continue;
            struct stat lst;
            if (!(ev->mask & (IN_DELETE | IN_MOVED_FROM)) && lstat(path.data, &lst) == 0 &&
                S_ISLNK(lst.st_mode) && !link_allowed(w, path.data))
                continue;
            if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
                wfile *f = ftable_find(&w->files, path.data);
                if (f) { /* forgotten: a file back under this name is new */
                    set_pending(&w->files, f, false);
                    f->has_read = false;
                }
            } else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
                struct stat st;
                if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode))
                    rc = observe(&w->files, path.data, &st, now_s());
            }
            /* IN_CREATE of a file: its IN_CLOSE_WRITE says when it is written */
        }
        if (rc != 0)
            break;
    }
    cx_buf_free(&path);
    return rc;
}
#endif

/* ===== Batches ===== */

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pending files that have kept their size and mtime for an interval,
 * in byte order of their paths (at most MAX_BATCH): their paths into
 * `batch` (borrowed from the table). A file that changed starts again; one
 * gone is no longer pending. *next_due: when the next pending file is due. */
static size_t settled(watcher *w, double now, char **batch, double *next_due)
{
    size_t n = 0;
    *next_due = INFINITY;
    if (!w->files.n_pending)
        return 0;
    for (size_t i = 0; i < w->files.n; i++) {
        wfile *f = &w->files.items[i];
        if (!f->pending)
            continue;
        if (now - f->since < w->o->interval) {
            *next_due = fmin(*next_due, f->since + w->o->interval);
            continue;
        }
        struct stat st;
        if (stat(f->path, &st) != 0 || !S_ISREG(st.st_mode)) {
            set_pending(&w->files, f, false);
            continue;
        }
        stamp s = stamp_of(&st);
        if (!same(s, f->cur)) { /* still being written */
            f->cur = s;
            f->since = now;
            *next_due = fmin(*next_due, now + w->o->interval);
        } else if (n < MAX_BATCH) {
            batch[n++] = f->path;
        } else {
            *next_due = now;
        }
    }
    qsort(batch, n, sizeof *batch, cmp_paths);
    return n;
}

/* extract's parser takes char ** and only reads the strings. */
static char *unconst(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* "extract --db STORE --output OUT [OPTIONS]" into av; returns the count. */
static int extract_argv(const watch_opts *o, char **av)
{
    int ac = 0;
    av[ac++] = unconst("extract");
    av[ac++] = unconst("--db");
    av[ac++] = unconst(o->db);
    av[ac++] = unconst("--output");
    av[ac++] = unconst(o->out);
    for (size_t i = 0; i < o->n_pass; i++)
        av[ac++] = unconst(o->pass[i]);
    return ac;
}

/* Run extract on the batch: "extract" OPTIONS --overwrite --replace --
 * FILES. --replace: a file replaced or edited under its name is a corrected
 * document; it replaces the stored one, its incidents re-derived, without
 * the warning an extract gives (it is what watch is for). Long
 * option names only, so that getopt keeps no pointer into this argv between
 * runs (it does into the last short option cluster it read). */
static int run_extract(const watch_opts *o, char **files, size_t n)
{
    char **av = malloc((5 + o->n_pass + 5 + n + 1) * sizeof *av);
    if (!av)
        return CLI_EXIT_NOMEM;
    int ac = extract_argv(o, av);
    av[ac++] = unconst("--overwrite");
    av[ac++] = unconst("--replace");
    if (o->verbosity < 0)
        av[ac++] = unconst("--quiet");
    for (int v = 0; v < o->verbosity && v < 2; v++)
        av[ac++] = unconst("--verbose");
    av[ac++] = unconst("--");
    for (size_t i = 0; i < n; i++)
        av[ac++] = files[i];
    av[ac] = NULL;
    int rc = cli_cmd_extract(ac, av);
    free(av);
    return rc;
}

/* ===== Log lines, SIGHUP, empty layers ===== */

typedef struct tstamp {
    char s[32];
} tstamp;

/* UTC "YYYY-MM-DDTHH:MM:SSZ" of now, for the log line of each batch. */
static tstamp timestamp_now(void)
{
    tstamp t = {""};
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(t.s, sizeof t.s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return t;
}

/* A SIGHUP is pending (it is blocked): consume it. */
static bool hup_pending(void)
{
    sigset_t p, hup;
    if (sigpending(&p) != 0 || !sigismember(&p, SIGHUP))
        return false;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    int sig;
    return sigwait(&hup, &sig) == 0;
}

static bool output_exists(const char *out)
{
    struct stat st;
    return !strncmp(out, "PG:", 3) || stat(out, &st) == 0;
}

/* The store (created if missing) exported to OUT: empty layers before the
 * first article, with the formats and SRS of the batches. */
static int write_empty_layers(const watch_opts *o, cli_msgs *m)
{
    cx_err err;
    cx_err_clear(&err);
    sto_store *st = sto_open(o->db, STO_OPEN_CREATE, &err);
    if (!st) {
        cli_report(m, &err);
        return err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
    }
    sto_close(st);
    char *av[8 + 2 * MAX_PASS + 2];
    int ac = 0;
    av[ac++] = unconst("export");
    av[ac++] = unconst("--db");
    av[ac++] = unconst(o->db);
    av[ac++] = unconst("--output");
    av[ac++] = unconst(o->out);
    av[ac++] = unconst("--quiet");
    for (size_t i = 0; i + 1 < o->n_pass; i += 2) {
        const char *f = o->pass[i];
        if (!strcmp(f, "--format") || !strcmp(f, "--t_srs") || !strcmp(f, "--gazetteer") ||
            !strcmp(f, "--conflict")) {
            av[ac++] = unconst(f);
            av[ac++] = unconst(o->pass[i + 1]);
        }
    }
    av[ac] = NULL;
    int rc = cli_cmd_export(ac, av);
    if (rc == CLI_EXIT_OK)
        cli_notef(m, 0, "%s: empty layers written to %s; waiting for files",
                  timestamp_now().s, o->out);
    return rc == CLI_EXIT_GAZETTEER || rc == CLI_EXIT_NOMEM || rc == CLI_EXIT_USAGE
               ? rc
               : CLI_EXIT_OK; /* the first batch writes them, or says why */
}

/* ===== The command ===== */

int cli_cmd_watch(int argc, char **argv)
{
    watch_opts o = {0};
    cli_msgs m;
    cli_msgs_init(&m, "incimap", 0);
    char **av = cli_opts_argv(argc, argv);
    if (!av) {
        cli_errorf(&m, NULL, 0, "out of memory");
        return CLI_EXIT_NOMEM;
    }
    int status = parse_args(argc, av, &o, &m);
    if (status != 0 || o.help) {
        if (o.help && status == 0)
            print_help(stdout);
        free(av);
        return status;
    }
    cli_msgs_init(&m, "incimap", o.verbosity);
    m.progress = false; /* extract shows its own */

    watcher w = {.o = &o, .m = &m, .ifd = -1};
    char **batch = NULL;
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP); /* blocked, and consumed as "ignored" */
    bool blocked = false;
    cx_lock *lock = NULL;
    cx_err lerr;
    cx_err_clear(&lerr);

    /* 1. What extract would refuse is refused now, not at the first file. */
    {
        char *cav[5 + 2 * MAX_PASS + 2];
        int cac = extract_argv(&o, cav);
        cav[cac++] = unconst("-"); /* an INPUT: parsed, never read */
        cav[cac] = NULL;
        status = cli_extract_check_args(cac, cav);
        if (status != 0)
            goto done;
    }
    for (size_t i = 0; i < o.n_dirs; i++) {
        struct stat st;
        if (stat(o.dirs[i], &st) != 0) {
            cli_errorf(&m, o.dirs[i], 0, "cannot watch: %s", strerror(errno));
            status = CLI_EXIT_INPUT;
        } else if (!S_ISDIR(st.st_mode)) {
            cli_errorf(&m, o.dirs[i], 0, "cannot watch: not a folder");
            status = CLI_EXIT_INPUT;
        }
    }
    if (status != 0)
        goto done;
    w.gone = calloc(o.n_dirs, sizeof *w.gone);
    w.real = calloc(o.n_dirs, sizeof *w.real);
    if (!(batch = malloc(MAX_BATCH * sizeof *batch)) || !w.gone || !w.real) {
        cli_errorf(&m, NULL, 0, "out of memory");
        status = CLI_EXIT_NOMEM;
        goto done;
    }

    /* 2. Signals wait between batches; inotify, else polling. */
    if (sigprocmask(SIG_BLOCK, &stop, &old) == 0)
        blocked = true;
    /* one writer of OUT for as long as we watch (each batch takes the same
     * lock again, re-entrantly) */
    if (strncmp(o.out, "PG:", 3) != 0 && !(lock = cx_lock_take(o.out, -1, &lerr))) {
        cli_report(&m, &lerr);
        status = lerr.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
        goto done;
    }
    /* the layers exist, empty, before the first article: a QGIS project
     * can be set up on them */
    if (!output_exists(o.out)) {
        int rc = write_empty_layers(&o, &m);
        if (rc != CLI_EXIT_OK) {
            status = rc;
            goto done;
        }
    }
#if HAVE_INOTIFY
    if (!o.poll && (w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        char why[160];
        snprintf(why, sizeof why, "unavailable (%s)", strerror(errno));
        fall_back_to_polling(&w, why);
    }
#endif
    if (full_scan(&w) != 0) {
        cli_errorf(&m, NULL, 0, "out of memory");
        status = CLI_EXIT_NOMEM;
        goto done;
    }
    cli_notef(&m, 1, "watching %zu folder%s (%zu subfolders) %s; files settle for %g s", o.n_dirs,
              o.n_dirs == 1 ? "" : "s", w.n_dirs - (w.n_dirs > 0 ? o.n_dirs : 0),
              w.ifd >= 0 ? "with inotify" : "by scanning them", o.interval);

    /* 3. The loop: settle, read a batch, wait. */
    double next_scan = now_s() + o.interval, retry_at = 0, backoff = o.interval;
    bool rescan = false;
    while (!stop_pending(&stop)) {
        double now = now_s();
        if (hup_pending()) /* no log file of ours to reopen: never an end */
            cli_notef(&m, 0, "%s: SIGHUP received and ignored (SIGINT or SIGTERM stop)",
                      timestamp_now().s);
        bool gone = false;
        for (size_t i = 0; i < o.n_dirs; i++)
            gone |= w.gone[i];
        if (rescan || ((w.ifd < 0 || gone) && now >= next_scan)) {
            rescan = false;
            next_scan = now + o.interval;
            if (full_scan(&w) != 0) {
                cli_errorf(&m, NULL, 0, "out of memory");
                status = CLI_EXIT_NOMEM;
                goto done;
            }
        }
        double due;
        size_t n = settled(&w, now, batch, &due);
        if (n && now >= retry_at) {
            cli_notef(&m, 1, "reading %zu new or changed file%s", n, n == 1 ? "" : "s");
            int rc = run_extract(&o, batch, n);
            cli_notef(&m, 0, "%s: batch of %zu file%s: %s", timestamp_now().s, n,
                      n == 1 ? "" : "s",
                      rc == CLI_EXIT_OK        ? "read, layers written"
                      : rc == CLI_EXIT_PARTIAL ? "read with errors (reported), layers written"
                      : rc == CLI_EXIT_INPUT   ? "nothing readable (reported)"
                      : rc == CLI_EXIT_OUTPUT  ? "store or layers not written (reported)"
                                               : "failed");
            if (rc == CLI_EXIT_OUTPUT) {
                /* the store or the layers could not be written (a disk
                 * full, a store locked by another process): the same
                 * files again later, for as long as it takes */
                retry_at = now_s() + backoff;
                cli_warnf(&m, NULL, 0, "the batch will be read again in %g s", backoff);
                backoff = fmin(2 * backoff, MAX_BACKOFF);
            } else if (rc == CLI_EXIT_OK || rc == CLI_EXIT_PARTIAL || rc == CLI_EXIT_INPUT) {
                /* read, or reported by extract: again only once changed */
                backoff = o.interval;
                for (size_t i = 0; i < n; i++) {
                    wfile *f = ftable_find(&w.files, batch[i]);
                    if (f) {
                        f->read = f->cur;
                        f->has_read = true;
                        set_pending(&w.files, f, false);
                    }
                }
            } else {
                status = rc; /* gazetteer, memory, usage: every batch would fail */
                goto done;
            }
            continue;
        }
        if (n)
            due = fmin(due, retry_at);
        double wait = fmin(SLICE_S, fmax(0, due - now));
        if (w.ifd < 0)
            wait = fmin(wait, fmax(0, next_scan - now));
#if HAVE_INOTIFY
        if (w.ifd >= 0) {
            struct pollfd pfd = {.fd = w.ifd, .events = POLLIN};
            int pr = poll(&pfd, 1, (int)ceil(wait * 1000));
            if (pr > 0 && read_events(&w, &rescan) != 0) {
                cli_errorf(&m, NULL, 0, "out of memory");
                status = CLI_EXIT_NOMEM;
                goto done;
            }
            continue;
        }
#endif
        sleep_s(wait);
    }
    cli_notef(&m, 1, "stopped: the layers hold the whole store");
    status = CLI_EXIT_OK;

done:
    if (blocked) {
        /* a SIGINT or SIGTERM received is consumed before unblocking, or
         * it would end the process with the signal's status */
        int sig;
        while (stop_pending(&stop) && sigwait(&stop, &sig) == 0) {
        }
        while (hup_pending()) {
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    if (w.ifd >= 0)
        close(w.ifd);
    cx_lock_release(lock);
    for (size_t i = 0; w.real && i < o.n_dirs; i++)
        free(w.real[i]);
    free(w.real);
    free(w.gone);
    dirs_free(w.dirs, w.n_dirs);
    ftable_free(&w.files);
    free(batch);
    free(av);
    return status;
}
