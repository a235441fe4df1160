/* html.h -- an HTML page (UTF-8) to its article: libxml2's HTML parser, then
 * main-content extraction (read/html.c). Private to read/ (rdp_). */
#ifndef RDP_HTML_H
#define RDP_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_buf.h"
#include "cx_err.h"

enum {
    RDP_HTML_MAIN = 0, /* the article: body, title, subtitle */
    RDP_HTML_WHOLE = 1 /* every text node of the page but scripts and styles */
};

typedef struct rdp_html_page {
    cx_buf text;        /* the article text, paragraphs separated by blank lines */
    char *title;        /* owned, or NULL */
    char *outlet;       /* og:site_name, else JSON-LD publisher.name; owned, or NULL */
    char published[11]; /* "YYYY-MM-DD" or "" */
    char lang[8];       /* from <html lang> or a content-language meta, or "" */
} rdp_html_page;

/** Read the UTF-8 HTML page `s` (`n` bytes) into `out` (zeroed by the
 *  caller). `url` (may be NULL) is the page's address, a last source for the
 *  publication date. `mode` is RDP_HTML_MAIN or RDP_HTML_WHOLE. libxml2 runs
 *  without network, without errors printed (its messages are dropped: a page
 *  is read whatever its markup). Returns 0 or CX_ENOMEM (err set).
 *  Ownership: free `out` with rdp_html_page_free(). */
int rdp_html_read(const char *s, size_t n, const char *url, int mode, rdp_html_page *out,
                  cx_err *err);

/** libxml2's error hooks (per thread), saved by rdp_xml_quiet(). */
typedef struct rdp_xml_hooks {
    void (*structured)(void);
    void *structured_ctx;
    void (*generic)(void);
    void *generic_ctx;
} rdp_xml_hooks;

/** Save libxml2's error hooks into `h` and silence them: what libxml2 would
 *  print goes nowhere; the readers take errors from their parser context
 *  and report them through cx_err. Put them back with rdp_xml_restore(). */
void rdp_xml_quiet(rdp_xml_hooks *h);

/** Put back the hooks rdp_xml_quiet() saved in `h`. */
void rdp_xml_restore(const rdp_xml_hooks *h);

/** "YYYY-MM-DD" at the start of `s` (a valid month and day, no digit after)
 *  into `out`, NUL-terminated; returns whether it was one (`out` untouched
 *  when not). Shared by the page's metadata and the JSON readers. */
bool rdp_iso_day(const char *s, char out[11]);

/** Free what `p` owns and zero it. NULL-safe. */
void rdp_html_page_free(rdp_html_page *p);

#endif
