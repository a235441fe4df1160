/* msgs.c -- diagnostics to stderr. See msgs.h. The only file of cli/ that
 * writes to stderr (main.c's usage line aside). */
#include "msgs.h"

#include "cx_buf.h"
#include "cx_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_msgs_init(cli_msgs *m, const char *prog, int verbosity)
{
    m->prog = prog ? prog : "incimap";
    m->verbosity = verbosity;
    m->progress = verbosity >= 0 && isatty(STDERR_FILENO);
    m->progress_shown = false;
    m->progress_last = 0;
}

/* Write `s` to stderr with its control characters escaped: a file name,
 * document id or place name can hold ESC or a newline, which must neither
 * drive the terminal nor split a log line. */
static void put_safe(const char *s)
{
    size_t n = strlen(s);
    if (!cx_has_controls(s, n)) {
        fputs(s, stderr);
        return;
    }
    cx_buf b = CX_BUF_INIT;
    if (cx_escape_controls(s, n, &b) == 0 && b.data)
        fwrite(b.data, 1, b.len, stderr);
    else
        fputs("(unprintable)", stderr);
    cx_buf_free(&b);
}

static void vemit(cli_msgs *m, const char *kind, const char *source, long line, const char *fmt,
                  va_list ap)
{
    cli_progress_end(m);
    fprintf(stderr, "%s: ", m->prog);
    if (source && *source) {
        put_safe(source);
        if (line > 0)
            fprintf(stderr, ":%ld: ", line);
        else
            fputs(": ", stderr);
    }
    if (kind)
        fprintf(stderr, "%s: ", kind);
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    put_safe(msg);
    fputc('\n', stderr);
}

void cli_errorf(cli_msgs *m, const char *source, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vemit(m, "error", source, line, fmt, ap);
    va_end(ap);
}

void cli_warnf(cli_msgs *m, const char *source, long line, const char *fmt, ...)
{
    if (m->verbosity < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vemit(m, "warning", source, line, fmt, ap);
    va_end(ap);
}

void cli_notef(cli_msgs *m, int level, const char *fmt, ...)
{
    if (m->verbosity < level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vemit(m, NULL, NULL, 0, fmt, ap);
    va_end(ap);
}

void cli_summaryf(cli_msgs *m, const char *fmt, ...)
{
    if (m->verbosity < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vemit(m, NULL, NULL, 0, fmt, ap);
    va_end(ap);
}

void cli_report(cli_msgs *m, const cx_err *err)
{
    if (!err || err->code == 0)
        return;
    cli_errorf(m, err->source, err->line, "%s", err->msg[0] ? err->msg : cx_strerror(err->code));
}

void cli_usagef(cli_msgs *m, const char *cmd, const char *fmt, ...)
{
    cli_progress_end(m);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", m->prog);
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    put_safe(msg);
    fprintf(stderr, "\nTry '%s %s --help' for more information.\n", m->prog, cmd ? cmd : "");
}

void cli_progress(cli_msgs *m, size_t done, size_t total, const char *name)
{
    if (!m->progress)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    if (done != total && now - m->progress_last < 0.1)
        return;
    m->progress_last = now;
    char nm[61];
    snprintf(nm, sizeof nm, "%s", name ? name : "");
    if (total)
        fprintf(stderr, "\r\033[K[%zu/%zu] ", done, total);
    else
        fprintf(stderr, "\r\033[K[%zu] ", done);
    put_safe(nm);
    m->progress_shown = true;
}

void cli_progress_end(cli_msgs *m)
{
    if (m->progress_shown) {
        fputs("\r\033[K", stderr);
        m->progress_shown = false;
    }
}
