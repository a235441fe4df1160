/* msgs.h -- every diagnostic incimap prints goes through here, to stderr,
 * in one format:  incimap: SOURCE:LINE: error|warning|note: message
 * (SOURCE and LINE left out when unknown). stdout is for data only.
 * No global state: the verbosity lives in a cli_msgs the command owns. */
#ifndef CLI_MSGS_H
#define CLI_MSGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct cli_msgs {
    const char *prog;     /* "incimap" */
    int verbosity;        /* -1 quiet (-q), 0 normal, 1 verbose (-v), 2 more */
    bool progress;        /* stderr is a terminal and not quiet: show progress */
    bool progress_shown;  /* a progress line is on screen (cleared before a message) */
    double progress_last; /* monotonic seconds of the last progress line */
} cli_msgs;

/** Set up `m` for `prog`; progress is enabled only when stderr is a terminal. */
void cli_msgs_init(cli_msgs *m, const char *prog, int verbosity);

/** An error: always printed. `source` may be NULL, `line` 0. */
void cli_errorf(cli_msgs *m, const char *source, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** A warning: silenced by -q. */
void cli_warnf(cli_msgs *m, const char *source, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** A note (counts, per-stage details): printed only with -v (level >= `level`). */
void cli_notef(cli_msgs *m, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** The one-line summary a run ends with: printed unless quiet (-q). */
void cli_summaryf(cli_msgs *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Report a cx_err as an error (its source and line as the location). */
void cli_report(cli_msgs *m, const cx_err *err);

/** Usage error: "incimap: msg" plus "Try 'incimap CMD --help'." */
void cli_usagef(cli_msgs *m, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Progress line "[done/total] name" on a terminal only; overwritten in place,
 *  at most ten times a second. */
void cli_progress(cli_msgs *m, size_t done, size_t total, const char *name);

/** Clear the progress line if one is shown. */
void cli_progress_end(cli_msgs *m);

#endif
