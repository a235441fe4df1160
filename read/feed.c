/* feed.c -- RSS and Atom feeds through libxml2. See feed.h.
 *
 * What it does: parses the whole feed (at most the 64 MB document limit) with
 * network access off and entities left unexpanded (no XML_PARSE_NOENT, no
 * DTD loading: an external entity is never fetched, a "billion laughs"
 * declaration is never multiplied out, since entity references are skipped
 * when the text is gathered), and collects each item's fields as strings.
 * What it does not do: strip HTML or normalise text (document.c does).
 */
#include "feed.h"
#include "html.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ===== Sniffing ===== */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static bool starts(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    return i + k <= n && memcmp(s + i, w, k) == 0;
}

bool rdp_feed_sniff(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    for (int guard = 0; guard < 64; guard++) {
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != '<')
            return false;
        if (starts(s, n, i, "<?") || starts(s, n, i, "<!DOCTYPE") || starts(s, n, i, "<!doctype")) {
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt)
                return false;
            i = (size_t)(gt - s) + 1;
            continue;
        }
        if (starts(s, n, i, "<!--")) {
            size_t j = i + 4;
            while (j + 3 <= n && memcmp(s + j, "-->", 3) != 0)
                j++;
            i = j + 3;
            continue;
        }
        i++;
        /* optional namespace prefix: <atom:feed>, <rdf:RDF> */
        size_t j = i;
        while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-'))
            j++;
        if (j < n && s[j] == ':' && !starts(s, n, i, "rdf:"))
            i = j + 1;
        j = i;
        while (j < n && (isalnum((unsigned char)s[j]) || s[j] == ':'))
            j++;
        size_t k = j - i;
        return (k == 3 && memcmp(s + i, "rss", 3) == 0) ||
               (k == 4 && memcmp(s + i, "feed", 4) == 0) ||
               (k == 7 && memcmp(s + i, "rdf:RDF", 7) == 0);
    }
    return false;
}

/* ===== Dates ===== */

static int month_of(const char *m)
{
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (tolower((unsigned char)m[0]) == names[i][0] &&
            tolower((unsigned char)m[1]) == names[i][1] &&
            tolower((unsigned char)m[2]) == names[i][2])
            return i + 1;
    return 0;
}

bool rdp_feed_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    int y = 0, mo = 0, d = 0;
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-') {
        /* RFC 3339 */
        if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3)
            return false;
    } else {
        /* RFC 822: [Day, ] DD Mon YYYY ... */
        const char *p = s;
        const char *comma = strchr(p, ',');
        if (comma && comma - p <= 10)
            p = comma + 1;
        while (isspace((unsigned char)*p))
            p++;
        char mon[4] = "";
        int used = 0;
        if (sscanf(p, "%2d %3s %d%n", &d, mon, &y, &used) != 3 || strlen(mon) != 3)
            return false;
        mo = month_of(mon);
        if (y < 100) /* RFC 822's two-digit years */
            y += y < 70 ? 2000 : 1900;
    }
    if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
    return true;
}

/* ===== Parsing ===== */

static bool is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static bool in_ns(const xmlNode *n, const char *prefix)
{
    return n->ns && n->ns->prefix && strcmp((const char *)n->ns->prefix, prefix) == 0;
}

/* The text of `n`: text and CDATA of it and its descendants, entity
 * references skipped (never expanded). */
static int gather(const xmlNode *n, char **acc, size_t *len, int depth)
{
    if (depth > 64)
        return 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            size_t k = c->content ? strlen((const char *)c->content) : 0;
            char *p = realloc(*acc, *len + k + 1);
            if (!p)
                return CX_ENOMEM;
            memcpy(p + *len, c->content, k);
            *len += k;
            p[*len] = '\0';
            *acc = p;
        } else if (c->type == XML_ELEMENT_NODE) {
            int rc = gather(c, acc, len, depth + 1);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static int text_of(const xmlNode *n, char **out)
{
    char *acc = NULL;
    size_t len = 0;
    int rc = gather(n, &acc, &len, 0);
    if (rc != 0) {
        free(acc);
        return rc;
    }
    free(*out);
    *out = acc; /* NULL when there was no text */
    return 0;
}

static int attr_of(const xmlNode *n, const char *name, char **out)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return 0;
    free(*out);
    *out = strdup((const char *)v);
    xmlFree(v);
    return *out ? 0 : CX_ENOMEM;
}

static int item_from(const xmlNode *it, const char *chan_lang, rdp_feed_item *out)
{
    int rc = 0;
    /* rank of the text taken so far: lower is better */
    int text_rank = 99, date_rank = 99;
    for (const xmlNode *c = it->children; c && rc == 0; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *nm = (const char *)c->name;
        int tr = in_ns(c, "content") && strcmp(nm, "encoded") == 0 ? 0
                 : strcmp(nm, "description") == 0                 ? 1
                 : strcmp(nm, "content") == 0                     ? 2
                 : strcmp(nm, "summary") == 0                     ? 3
                                                                   : 99;
        int dr = strcmp(nm, "pubDate") == 0 || strcmp(nm, "published") == 0 ? 0
                 : strcmp(nm, "date") == 0                                 ? 1
                 : strcmp(nm, "updated") == 0                              ? 2
                                                                           : 99;
        if (tr < text_rank) {
            char *t = NULL;
            rc = text_of(c, &t);
            if (rc == 0 && t) {
                free(out->html);
                out->html = t;
                text_rank = tr;
            } else {
                free(t);
            }
        } else if (dr < date_rank) {
            rc = text_of(c, &out->date);
            date_rank = dr;
        } else if (strcmp(nm, "title") == 0 && !out->title) {
            rc = text_of(c, &out->title);
        } else if (strcmp(nm, "guid") == 0 || (strcmp(nm, "id") == 0 && !in_ns(c, "dc"))) {
            rc = text_of(c, &out->id);
        } else if (strcmp(nm, "link") == 0 && !out->link) {
            /* Atom: <link rel="alternate" href=...>; RSS: <link>url</link> */
            xmlChar *rel = xmlGetNoNsProp(c, (const xmlChar *)"rel");
            bool alt = !rel || strcmp((const char *)rel, "alternate") == 0;
            xmlFree(rel);
            if (alt) {
                rc = attr_of(c, "href", &out->link);
                if (rc == 0 && !out->link)
                    rc = text_of(c, &out->link);
            }
        } else if (strcmp(nm, "language") == 0 && !out->lang) {
            rc = text_of(c, &out->lang);
        }
    }
    if (rc == 0 && !out->lang) {
        xmlChar *l = xmlNodeGetLang(it);
        if (l) {
            out->lang = strdup((const char *)l);
            xmlFree(l);
            if (!out->lang)
                rc = CX_ENOMEM;
        } else if (chan_lang && !(out->lang = strdup(chan_lang))) {
            rc = CX_ENOMEM;
        }
    }
    return rc;
}

static int push_item(rdp_feed *f, const xmlNode *it, const char *lang)
{
    rdp_feed_item *p = realloc(f->items, (f->n + 1) * sizeof *p);
    if (!p)
        return CX_ENOMEM;
    f->items = p;
    memset(&f->items[f->n], 0, sizeof *p);
    f->n++;
    return item_from(it, lang, &f->items[f->n - 1]);
}

/* Items of a channel (RSS 2.0), of the root (RSS 1.0, Atom). */
static int collect(rdp_feed *f, const xmlNode *parent, const char *lang)
{
    char *chan_lang = NULL;
    int rc = 0;
    for (const xmlNode *c = parent->children; c && rc == 0; c = c->next)
        if (is(c, "language"))
            rc = text_of(c, &chan_lang);
    const char *l = chan_lang ? chan_lang : lang;
    for (const xmlNode *c = parent->children; c && rc == 0; c = c->next) {
        if (is(c, "title") && !f->title)
            rc = text_of(c, &f->title); /* the outlet's name */
        else if (is(c, "item") || is(c, "entry"))
            rc = push_item(f, c, l);
        else if (is(c, "channel"))
            rc = collect(f, c, l);
    }
    free(chan_lang);
    return rc;
}

static bool declares_entity(const char *s, size_t n)
{
    for (const char *p = s; (p = memchr(p, '<', n - (size_t)(p - s))) != NULL; p++)
        if (n - (size_t)(p - s) >= 8 && memcmp(p, "<!ENTITY", 8) == 0)
            return true;
    return false;
}

/* Parse with a context of its own, so the error is the context's and not a
 * global one; its message (cut to `size`) and line go to msg and *line. */
static xmlDoc *parse_feed(const char *s, size_t n, int opts, char *msg, size_t size, int *line)
{
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc) {
        if (msg)
            snprintf(msg, size, "out of memory");
        return NULL;
    }
    xmlDoc *doc = xmlCtxtReadMemory(pc, s, (int)n, NULL, "UTF-8", opts);
    if (!doc && msg) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        snprintf(msg, size, "%s", e && e->message ? e->message : "not well-formed XML");
        *line = e ? e->line : 0;
    }
    xmlFreeParserCtxt(pc);
    return doc;
}

int rdp_feed_parse(const char *s, size_t n, const char *name, rdp_feed *out, cx_err *err)
{
    memset(out, 0, sizeof *out);
    if (n > (size_t)INT32_MAX)
        return cx_err_set(err, CX_EFORMAT, name, 0, "feed too large");
    /* the text is UTF-8 already (document.c decoded it): the declared
     * encoding is overridden. NONET: no network; no NOENT/DTDLOAD: entities
     * are neither loaded nor substituted. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    /* libxml2's messages go to the parser context, then into `err`: never
     * to stderr (its error hooks are silenced for the parse) */
    rdp_xml_hooks hooks;
    rdp_xml_quiet(&hooks);
    char msg[200] = "";
    int line = 0;
    xmlDoc *doc = parse_feed(s, n, opts, msg, sizeof msg, &line);
    /* a text node past libxml2's 10 MB limit fails the whole feed: parse
     * again without the limit (only when the feed declares no entity, so
     * nothing can be amplified), and let the item limit skip that item */
    if (!doc && !declares_entity(s, n))
        doc = parse_feed(s, n, opts | XML_PARSE_HUGE, NULL, 0, NULL);
    rdp_xml_restore(&hooks);
    if (!doc) {
        int rc = cx_err_set(err, CX_EFORMAT, name, line, "malformed feed: %s",
                            msg[0] ? msg : "not well-formed XML");
        /* libxml2 messages end with a newline */
        size_t k = err ? strlen(err->msg) : 0;
        if (k && err->msg[k - 1] == '\n')
            err->msg[k - 1] = '\0';
        return rc;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    int rc = 0;
    if (!root || !(is(root, "rss") || is(root, "feed") || is(root, "RDF"))) {
        rc = cx_err_set(err, CX_EFORMAT, name, 0, "XML file is not an RSS or Atom feed");
    } else {
        xmlChar *l = xmlNodeGetLang(root);
        rc = collect(out, root, (const char *)l);
        xmlFree(l);
        if (rc == CX_ENOMEM)
            cx_err_set(err, rc, name, 0, "out of memory");
    }
    xmlFreeDoc(doc);
    if (rc != 0)
        rdp_feed_free(out);
    return rc;
}

void rdp_feed_free(rdp_feed *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        rdp_feed_item *it = &f->items[i];
        free(it->id);
        free(it->title);
        free(it->html);
        free(it->date);
        free(it->link);
        free(it->lang);
    }
    free(f->items);
    free(f->title);
    memset(f, 0, sizeof *f);
}
