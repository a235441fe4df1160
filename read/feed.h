/* feed.h -- RSS 2.0 / RSS 1.0 and Atom feeds (libxml2): each item one
 * article. The only module that includes libxml2. No network access, no
 * external entities, no entity expansion. */
#ifndef RDP_FEED_H
#define RDP_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct rdp_feed_item {
    char *id;    /* guid (RSS) or id (Atom), else NULL */
    char *title; /* may be NULL */
    char *html;  /* content:encoded > description > content > summary: HTML or text */
    char *date;  /* pubDate / dc:date / published / updated, as written, or NULL */
    char *link;  /* may be NULL */
    char *lang;  /* the item's xml:lang, else the channel's language, or NULL */
} rdp_feed_item;

typedef struct rdp_feed {
    rdp_feed_item *items; /* owned */
    size_t n;
    char *title; /* the channel's (RSS) or the feed's (Atom) title, or NULL */
} rdp_feed;

/* An item whose text is larger than this is skipped (with an error naming
 * it); the feed's other items are read. libxml2's own text-node limit. */
#define RDP_FEED_ITEM_MAX (10u * 1024u * 1024u)

/** True when the first element of the `n` bytes at `s` (after an XML
 *  declaration, comments, a doctype) is <rss>, <feed> or <rdf:RDF>. */
bool rdp_feed_sniff(const char *s, size_t n);

/** Parse the UTF-8 feed at `s` (`n` bytes) into `out` (zeroed by the
 *  caller). `name` names it in errors. Returns 0, CX_EFORMAT (not
 *  well-formed XML, or not a feed) or CX_ENOMEM, with `err` set.
 *  Ownership: free `out` with rdp_feed_free(). */
int rdp_feed_parse(const char *s, size_t n, const char *name, rdp_feed *out, cx_err *err);

/** Free what `f` owns and zero it. NULL-safe. */
void rdp_feed_free(rdp_feed *f);

/** RFC 822 ("Tue, 27 Sep 2022 08:15:00 +0400", as in pubDate) or RFC 3339
 *  ("2022-09-27T08:15:00Z") to "YYYY-MM-DD" (the date as written, not moved
 *  to UTC). Returns true when `s` was one of them; `out` is "" otherwise. */
bool rdp_feed_date(const char *s, char out[11]);

#endif
