/* html.c -- an HTML page to its article. See html.h.
 *
 * What it does: parses the page with libxml2's HTML parser (entities, broken
 * markup, implied tags: a parser the world fuzzes), then finds the article
 * the way the best extractors do (Readability's scoring, with trafilatura's
 * hints):
 *   1. metadata: the title (og:title, the <h1> the <title> contains, else
 *      <title>), the language (<html lang>), the publication date (JSON-LD
 *      datePublished > article:published_time and kin > <time datetime> >
 *      the URL's /YYYY/MM/DD/);
 *   2. page furniture removed: scripts, styles, forms' controls, <nav>,
 *      <aside>, <footer>, hidden elements, and elements whose class or id says
 *      nav, menu, footer, comment, related, share, sidebar... unless it also
 *      says article, body, content, main, story;
 *   3. every paragraph (<p>, <pre>, <td>, a <div> holding no block) scores
 *      1 + its commas + one per 100 characters (at most 3); the score goes to
 *      its parent and half to its grandparent (less further up), whose
 *      starting score comes from their tag and class names; each candidate's
 *      score is scaled by (1 - link density). <article>, <main> and
 *      itemprop=articleBody start higher; JSON-LD articleBody, when the page
 *      has one, picks the candidate that holds it;
 *   4. the best candidate and its siblings that score near it (or are plain
 *      paragraphs of prose) form the article; inside it, lists, tables and
 *      divisions that are mostly links, images or form controls, and short
 *      headings, are dropped;
 *   5. the text: blocks separated by blank lines, whitespace collapsed.
 * Whole-page mode (RDP_HTML_WHOLE) skips 2-4.
 *
 * What it does not do: fetch anything (HTML_PARSE_NONET; no external
 * entities in HTML), print (libxml2's messages are turned off per parse),
 * know any site. */
#include "html.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 400 /* our walks stop here; deeper markup is not an article */

typedef struct nstat {
    double score;
    bool scored;   /* a candidate: some paragraph gave it a score */
    bool removed;  /* unlinked and freed later */
} nstat;

enum { F_STRIP = 1, F_WEIGHT = 2, F_CLEAN = 4 }; /* Readability's flags */

typedef struct ctx {
    int flags;     /* F_*: the first pass has all; each retry drops one */
    nstat *st;     /* one per element, reached through node->_private */
    size_t n_st;
    xmlNode **gone; /* unlinked subtrees, freed at the end */
    size_t n_gone, cap_gone;
    int rc;
    const xmlNode *body_el[4]; /* itemprop=articleBody elements: never stripped */
    size_t n_body;
} ctx;

/* ===== Small helpers ===== */

static bool is_el(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE;
}

static bool name_is(const xmlNode *n, const char *name)
{
    return is_el(n) && n->name && strcmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *names)
{
    if (!is_el(n) || !n->name)
        return false;
    for (; *names; names++)
        if (strcmp((const char *)n->name, *names) == 0)
            return true;
    return false;
}

/* The value of attribute `name` of element `n`, borrowed, or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    if (!is_el(n))
        return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcasecmp((const char *)a->name, name) == 0)
            return a->children && a->children->type == XML_TEXT_NODE && a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

static nstat *stat_of(const xmlNode *n)
{
    return is_el(n) ? (nstat *)n->_private : NULL;
}

static bool is_space_c(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Case-insensitive substring. */
static bool has_ci(const char *s, const char *w)
{
    size_t k = strlen(w);
    for (; s && *s; s++)
        if (strncasecmp(s, w, k) == 0)
            return true;
    return false;
}

static bool has_any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (has_ci(s, *words))
            return true;
    return false;
}

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th",
    "thead", "tfoot", "tr", "ul", "title", "body", "html", "center", "details", "summary", NULL};

/* Count UTF-8 characters. */
static size_t n_chars(const cx_buf *b)
{
    size_t k = 0;
    for (size_t i = 0; i < b->len; i++)
        k += ((unsigned char)b->data[i] & 0xC0) != 0x80;
    return k;
}

/* ===== Class and id names ===== */

/* Names that say page furniture (removed before scoring). */
static const char *const unlikely_w[] = {
    "-ad-", "ad-break", "agegate", "banner", "breadcrumb", "combx", "comment", "community",
    "cover-wrap", "disqus", "extra", "footer", "gdpr", "cookie", "consent", "header", "legends",
    "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper",
    "social", "sponsor", "supplemental", "pagination", "pager", "popup", "modal", "newsletter",
    "subscribe", "signup", "share", "sharing", "navbar", "nav-", "-nav", "navigation",
    "recommend", "trending", "most-read", "mostread", "most-popular", "popular", "outbrain",
    "taboola", "promo", "toolbar", "login", "masthead",
    NULL};
/* Names that save an element from the list above. */
static const char *const maybe_w[] = {"and", "article", "body", "column", "content", "main",
                                      "shadow", "story", "entry", "post-", "text", NULL};
static const char *const positive_w[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
    "text", "blog", "story", "paragraph", "prose", NULL};
static const char *const negative_w[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote",
    "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
    "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
    "byline", "author", "caption", "credit", "newsletter", "subscribe", "social", "nav",
    "menu", "breadcrumb", "recommend", "teaser", "card", NULL};

static double class_weight(const ctx *c, const xmlNode *n)
{
    double w = 0;
    if (!(c->flags & F_WEIGHT))
        return 0;
    const char *names[2] = {attr(n, "class"), attr(n, "id")};
    for (int i = 0; i < 2; i++) {
        if (!names[i] || !*names[i])
            continue;
        if (has_any(names[i], negative_w))
            w -= 25;
        if (has_any(names[i], positive_w))
            w += 25;
    }
    const char *ip = attr(n, "itemprop");
    if (ip && has_ci(ip, "articleBody"))
        w += 50;
    return w;
}

/* ===== Measures ===== */

typedef struct msr {
    size_t chars;  /* visible characters, whitespace runs counted once */
    size_t link;   /* of which inside <a> */
    size_t commas;
    size_t p, img, li, input, embed, headings;
} msr;

static void measure(const xmlNode *n, msr *m, bool in_link, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            bool sp = true;
            for (const unsigned char *t = c->content; t && *t; t++) {
                if (is_space_c(*t)) {
                    if (!sp)
                        m->chars++, m->link += in_link;
                    sp = true;
                    continue;
                }
                sp = false;
                if ((*t & 0xC0) == 0x80)
                    continue; /* count characters, not bytes */
                m->chars++;
                m->link += in_link;
                if (*t == ',')
                    m->commas++;
            }
        } else if (is_el(c)) {
            const char *nm = (const char *)c->name;
            if (!strcmp(nm, "p"))
                m->p++;
            else if (!strcmp(nm, "img"))
                m->img++;
            else if (!strcmp(nm, "li"))
                m->li++;
            else if (!strcmp(nm, "input") || !strcmp(nm, "select") || !strcmp(nm, "textarea") ||
                     !strcmp(nm, "button"))
                m->input++;
            else if (!strcmp(nm, "embed") || !strcmp(nm, "object") || !strcmp(nm, "iframe") ||
                     !strcmp(nm, "video"))
                m->embed++;
            else if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2])
                m->headings++;
            measure(c, m, in_link || !strcmp(nm, "a"), depth + 1);
        }
    }
}

static msr measure_of(const xmlNode *n)
{
    msr m = {0};
    measure(n, &m, false, 0);
    return m;
}

static double link_density(const msr *m)
{
    return m->chars ? (double)m->link / (double)m->chars : 0;
}

/* ===== Removing ===== */

static void drop(ctx *c, xmlNode *n)
{
    if (c->rc)
        return;
    if (c->n_gone == c->cap_gone) {
        size_t cap = c->cap_gone ? c->cap_gone * 2 : 64;
        xmlNode **g = realloc(c->gone, cap * sizeof *g);
        if (!g) {
            c->rc = CX_ENOMEM;
            return;
        }
        c->gone = g;
        c->cap_gone = cap;
    }
    xmlUnlinkNode(n);
    c->gone[c->n_gone++] = n;
}

static bool hidden(const xmlNode *n)
{
    const char *st = attr(n, "style");
    if (st) {
        char buf[128];
        size_t k = 0;
        for (const char *p = st; *p && k + 1 < sizeof buf; p++)
            if (!is_space_c((unsigned char)*p))
                buf[k++] = (char)tolower((unsigned char)*p);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
            return true;
    }
    if (attr(n, "hidden"))
        return true;
    const char *ah = attr(n, "aria-hidden");
    return ah && strcasecmp(ah, "true") == 0 && !name_is(n, "body");
}

static const char *const junk_tags[] = {
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "button", "input", "select", "textarea", "option", "link", "meta", "dialog", "head", NULL};
static const char *const furniture_tags[] = {"nav", "aside", "footer", "menu", NULL};

/* True when `k` holds (or is) the element itemprop=articleBody names. */
static bool protects(const ctx *c, const xmlNode *k)
{
    for (size_t i = 0; i < c->n_body; i++)
        for (const xmlNode *a = c->body_el[i]; a; a = a->parent)
            if (a == k)
                return true;
    return false;
}

/* Remove page furniture under `n` (not `n` itself). */
static void strip(ctx *c, xmlNode *n, int depth)
{
    xmlNode *next;
    for (xmlNode *k = n->children; k && !c->rc; k = next) {
        next = k->next;
        if (k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE) {
            drop(c, k);
            continue;
        }
        if (!is_el(k))
            continue;
        if (depth > MAX_DEPTH || name_in(k, junk_tags)) {
            drop(c, k);
            continue;
        }
        if (!(c->flags & F_STRIP) || protects(c, k)) {
            strip(c, k, depth + 1);
            continue;
        }
        if (name_in(k, furniture_tags) || hidden(k)) {
            drop(c, k);
            continue;
        }
        const char *cl = attr(k, "class"), *id = attr(k, "id"), *role = attr(k, "role");
        if (role && (!strcmp(role, "navigation") || !strcmp(role, "complementary") ||
                     !strcmp(role, "contentinfo") || !strcmp(role, "banner") ||
                     !strcmp(role, "menu") || !strcmp(role, "dialog") ||
                     !strcmp(role, "alert"))) {
            drop(c, k);
            continue;
        }
        bool keep_tag = name_is(k, "body") || name_is(k, "article") || name_is(k, "main") ||
                        name_is(k, "a") || name_is(k, "html");
        const char *ip = attr(k, "itemprop");
        if (ip && has_ci(ip, "articleBody"))
            keep_tag = true;
        if (!keep_tag && ((cl && has_any(cl, unlikely_w) && !has_any(cl, maybe_w)) ||
                          (id && has_any(id, unlikely_w) && !has_any(id, maybe_w)))) {
            drop(c, k);
            continue;
        }
        if (name_is(k, "header")) {
            /* a header holds the title and byline, not the body, unless it is the page */
            msr m = measure_of(k);
            if (m.p < 3) {
                drop(c, k);
                continue;
            }
        }
        strip(c, k, depth + 1);
    }
}

/* ===== Scoring ===== */

static bool has_block_child(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (name_in(c, block_tags))
            return true;
    return false;
}

static void init_score(const ctx *c, xmlNode *n)
{
    nstat *s = stat_of(n);
    if (!s || s->scored)
        return;
    s->scored = true;
    const char *nm = (const char *)n->name;
    double b = 0;
    if (!strcmp(nm, "div") || !strcmp(nm, "article") || !strcmp(nm, "main") ||
        !strcmp(nm, "section"))
        b = 5;
    else if (!strcmp(nm, "pre") || !strcmp(nm, "td") || !strcmp(nm, "blockquote"))
        b = 3;
    else if (!strcmp(nm, "address") || !strcmp(nm, "ol") || !strcmp(nm, "ul") ||
             !strcmp(nm, "dl") || !strcmp(nm, "dd") || !strcmp(nm, "dt") || !strcmp(nm, "li") ||
             !strcmp(nm, "form"))
        b = -3;
    else if ((nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) || !strcmp(nm, "th"))
        b = -5;
    if (!strcmp(nm, "article") || !strcmp(nm, "main"))
        b += 10;
    s->score = b + class_weight(c, n);
}

/* Characters of the text directly in `n` or in its inline children. */
static size_t inline_chars(const xmlNode *n)
{
    size_t k = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            for (const unsigned char *t = c->content; t && *t; t++)
                k += !is_space_c(*t) && (*t & 0xC0) != 0x80;
        } else if (is_el(c) && !name_in(c, block_tags) && !name_is(c, "a")) {
            msr m = measure_of(c);
            k += m.chars;
        }
    }
    return k;
}

/* Collect the paragraphs to score, in document order. */
static int collect_paras(const xmlNode *n, xmlNode ***out, size_t *len, size_t *cap, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (!is_el(c))
            continue;
        static const char *const scored[] = {"p", "pre", "td", "h2", "h3", "h4", "h5",
                                             "h6", "blockquote", "li", "dd", NULL};
        bool para = name_in(c, scored) || ((name_is(c, "div") || name_is(c, "section") ||
                                            name_is(c, "span") || name_is(c, "font")) &&
                                           !has_block_child(c) && c->children);
        if (para) {
            if (*len == *cap) {
                size_t nc = *cap ? *cap * 2 : 256;
                xmlNode **g = realloc(*out, nc * sizeof *g);
                if (!g)
                    return CX_ENOMEM;
                *out = g;
                *cap = nc;
            }
            (*out)[(*len)++] = c;
            if (!name_is(c, "td") && !name_is(c, "li") && !name_is(c, "blockquote"))
                continue; /* its own inner blocks are its text */
        }
        if (!para && (name_is(c, "div") || name_is(c, "section") || name_is(c, "article") ||
                      name_is(c, "main")) && inline_chars(c) >= 25) {
            /* text between the blocks of a division: a paragraph of its own,
             * scored to the division (marked by a NULL after it) */
            if (*len + 2 > *cap) {
                size_t nc = *cap ? *cap * 2 : 256;
                xmlNode **g = realloc(*out, nc * sizeof *g);
                if (!g)
                    return CX_ENOMEM;
                *out = g;
                *cap = nc;
            }
            (*out)[(*len)++] = c;
            (*out)[(*len)++] = NULL;
        }
        int rc = collect_paras(c, out, len, cap, depth + 1);
        if (rc)
            return rc;
    }
    return 0;
}

/* ===== Text out ===== */

typedef struct emitter {
    cx_buf *out;
    int pending; /* 0 none, 1 space, 2 newline, 3 blank line */
    bool any;
    int rc;
} emitter;

static void em_break(emitter *e, int level)
{
    if (e->pending < level)
        e->pending = level;
}

static void em_text(emitter *e, const unsigned char *t)
{
    for (; t && *t && !e->rc; t++) {
        if (is_space_c(*t)) {
            em_break(e, 1);
            continue;
        }
        if (e->pending && e->any) {
            const char *sep = e->pending == 1 ? " " : e->pending == 2 ? "\n" : "\n\n";
            e->rc = cx_buf_puts(e->out, sep);
        }
        e->pending = 0;
        e->any = true;
        const unsigned char *s = t;
        while (t[1] && !is_space_c(t[1]))
            t++;
        if (!e->rc)
            e->rc = cx_buf_append(e->out, (const char *)s, (size_t)(t - s + 1));
    }
}

static void emit(emitter *e, const xmlNode *n, bool whole, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c && !e->rc; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            em_text(e, c->content);
            continue;
        }
        if (!is_el(c))
            continue;
        static const char *const never[] = {"script", "style", "noscript", "template",
                                            "head", "svg", NULL};
        if (name_in(c, never) && !(whole && name_is(c, "noscript")))
            continue;
        if (whole && name_is(c, "title"))
            continue;
        if (name_is(c, "br")) {
            em_break(e, 2);
            continue;
        }
        bool block = name_in(c, block_tags);
        bool cell = name_is(c, "td") || name_is(c, "th") || name_is(c, "li") ||
                    name_is(c, "dt") || name_is(c, "dd") || name_is(c, "tr");
        if (block)
            em_break(e, cell ? 2 : 3);
        emit(e, c, whole, depth + 1);
        if (block)
            em_break(e, cell ? 2 : 3);
    }
}

/* ===== Metadata ===== */

static void text_of(const xmlNode *n, cx_buf *b)
{
    emitter e = {.out = b};
    emit(&e, n, true, 0);
}

bool rdp_iso_day(const char *s, char out[11])
{
    for (int i = 0; i < 10; i++) {
        bool digit = i != 4 && i != 7;
        if (digit ? !isdigit((unsigned char)s[i]) : s[i] != '-')
            return false;
    }
    int mo = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || isdigit((unsigned char)s[10]))
        return false;
    memcpy(out, s, 10);
    out[10] = '\0';
    return true;
}

/* The first date found wins: a later source does not overwrite it. */
static void take_date(const char *s, char out[11])
{
    if (out[0] || !s)
        return;
    while (is_space_c((unsigned char)*s))
        s++;
    rdp_iso_day(s, out);
}

/* /2021/03/14/ or 2021-03-14 in a URL. */
static void url_date(const char *u, char out[11])
{
    if (out[0] || !u)
        return;
    for (const char *p = u; *p; p++) {
        if (!isdigit((unsigned char)p[0]) || (p > u && isdigit((unsigned char)p[-1])))
            continue;
        int y = 0, mo = 0, d = 0;
        char s1 = 0, s2 = 0;
        int used = 0;
        if (sscanf(p, "%4d%c%2d%c%2d%n", &y, &s1, &mo, &s2, &d, &used) == 5 && s1 == s2 &&
            (s1 == '/' || s1 == '-' || s1 == '_') && y >= 1990 && y <= 2100 && mo >= 1 &&
            mo <= 12 && d >= 1 && d <= 31 && !isdigit((unsigned char)p[used])) {
            snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
            return;
        }
    }
}

/* JSON-LD: the first datePublished, articleBody and publisher's name
 * ("publisher": {"name": ...} or a string), anywhere in the object. */
static void jsonld_walk(json_t *j, char date[11], char **body, char **publisher, int depth)
{
    if (!j || depth > 20)
        return;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) jsonld_walk(v, date, body, publisher, depth + 1);
        return;
    }
    if (!json_is_object(j))
        return;
    json_t *dp = json_object_get(j, "datePublished");
    if (json_is_string(dp))
        take_date(json_string_value(dp), date);
    json_t *ab = json_object_get(j, "articleBody");
    if (json_is_string(ab) && !*body && json_string_length(ab) >= 200)
        *body = strdup(json_string_value(ab));
    json_t *pub = json_object_get(j, "publisher");
    if (json_is_object(pub))
        pub = json_object_get(pub, "name");
    if (json_is_string(pub) && !*publisher && json_string_length(pub) > 0)
        *publisher = strdup(json_string_value(pub));
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
    {
        if (json_is_object(v) || json_is_array(v))
            jsonld_walk(v, date, body, publisher, depth + 1);
    }
}

typedef struct meta {
    char ld_date[11], meta_date[11], time_date[11];
    char *og_title;
    char *og_site;      /* og:site_name */
    char *ld_body;
    char *ld_publisher; /* JSON-LD publisher.name */
    const xmlNode *title_el;
    const xmlNode *h1[8];
    int n_h1;
    char *subtitle; /* the standfirst under the headline, or NULL */
} meta;

static void scan_meta(const xmlNode *n, meta *m, rdp_html_page *p, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_el(c))
            continue;
        const char *nm = (const char *)c->name;
        if (!strcmp(nm, "html")) {
            const char *l = attr(c, "lang");
            if (!l)
                l = attr(c, "xml:lang");
            if (l && !p->lang[0]) {
                size_t k = 0;
                for (; l[k] && k < 7 && isalpha((unsigned char)l[k]); k++)
                    p->lang[k] = (char)tolower((unsigned char)l[k]);
                p->lang[k] = '\0';
            }
        } else if (!strcmp(nm, "meta")) {
            const char *key = attr(c, "property");
            if (!key)
                key = attr(c, "name");
            if (!key)
                key = attr(c, "itemprop");
            const char *v = attr(c, "content");
            if (key && v) {
                if (has_ci(key, "published") || !strcasecmp(key, "date") ||
                    !strcasecmp(key, "pubdate") || !strcasecmp(key, "publishdate") ||
                    !strcasecmp(key, "dc.date") || !strcasecmp(key, "dc.date.issued") ||
                    !strcasecmp(key, "sailthru.date") || !strcasecmp(key, "parsely-pub-date"))
                    take_date(v, m->meta_date);
                else if (!strcasecmp(key, "og:title") && !m->og_title)
                    m->og_title = strdup(v);
                else if (!strcasecmp(key, "og:site_name") && !m->og_site)
                    m->og_site = strdup(v);
            }
        } else if (!strcmp(nm, "script")) {
            const char *t = attr(c, "type");
            if (t && has_ci(t, "ld+json") && c->children && c->children->content) {
                json_t *j = json_loads((const char *)c->children->content,
                                       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
                if (j) {
                    jsonld_walk(j, m->ld_date, &m->ld_body, &m->ld_publisher, 0);
                    json_decref(j);
                }
            }
            continue;
        } else if (!strcmp(nm, "time")) {
            const char *d = attr(c, "datetime");
            if (d)
                take_date(d, m->time_date);
        } else if (!strcmp(nm, "title") && !m->title_el) {
            m->title_el = c;
        } else if (!strcmp(nm, "h1") && m->n_h1 < 8) {
            m->h1[m->n_h1++] = c;
        }
        scan_meta(c, m, p, depth + 1);
    }
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && is_space_c((unsigned char)*s))
        s++, n--;
    while (n && is_space_c((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* True when the page title `t` is the headline `h` and the site's name:
 * "H - Site", "H | Site", "Site: H"... */
static bool site_suffixed(const char *t, const char *h)
{
    while (is_space_c((unsigned char)*t))
        t++;
    size_t hl = strlen(h), tl = strlen(t);
    while (tl && is_space_c((unsigned char)t[tl - 1]))
        tl--;
    if (tl <= hl)
        return false;
    static const char *const seps[] = {" - ", " | ", " – ", " — ", " :: ", " · ", ": ", " « ", " » ", NULL};
    if (strncmp(t, h, hl) == 0)
        for (const char *const *sp = seps; *sp; sp++)
            if (strncmp(t + hl, *sp, strlen(*sp)) == 0)
                return true;
    if (strncmp(t + tl - hl, h, hl) == 0)
        for (const char *const *sp = seps; *sp; sp++) {
            size_t k = strlen(*sp);
            if (tl - hl >= k && strncmp(t + tl - hl - k, *sp, k) == 0)
                return true;
        }
    return false;
}

static int pick_title(meta *m, rdp_html_page *p)
{
    cx_buf t = CX_BUF_INIT, h = CX_BUF_INIT;
    int rc = 0;
    if (m->title_el)
        text_of(m->title_el, &t);
    /* the <h1> that the <title> contains is the headline without the site's name */
    for (int i = 0; i < m->n_h1 && !p->title; i++) {
        cx_buf_reset(&h);
        text_of(m->h1[i], &h);
        char *hd = trim_dup(h.data ? h.data : "", h.len);
        if (hd && strlen(hd) >= 10 && t.len && cx_buf_putc(&t, '\0') == 0 &&
            site_suffixed(t.data, hd))
            p->title = hd;
        else
            free(hd);
    }
    if (!p->title && m->og_title)
        p->title = trim_dup(m->og_title, strlen(m->og_title));
    if (!p->title && t.len)
        p->title = trim_dup(t.data, t.len);
    if (!p->title && m->n_h1) {
        cx_buf_reset(&h);
        text_of(m->h1[0], &h);
        if (h.len)
            p->title = trim_dup(h.data, h.len);
    }
    cx_buf_free(&t);
    cx_buf_free(&h);
    return rc;
}

/* Names that say standfirst: the sentence or two under the headline. */
static const char *const subtitle_w[] = {"subtitle", "sub-title", "standfirst", "subhead",
                                         "dek", "deck", "lede", "strapline", "summary",
                                         "excerpt", "intro", "teaser-text", "alternativeHeadline",
                                         "description", NULL};

static bool says_subtitle(const xmlNode *n)
{
    const char *v[3] = {attr(n, "class"), attr(n, "id"), attr(n, "itemprop")};
    for (int i = 0; i < 3; i++)
        if (v[i] && has_any(v[i], subtitle_w) && !has_any(v[i], negative_w))
            return true;
    return false;
}

/* The standfirst: among the elements that follow the first <h1> (its
 * siblings and those of its parents, three levels up), the first <h2>, or
 * the first element whose class, id or itemprop says subtitle, holding 20
 * to 500 characters of text in five words or more (not a byline). */
static void find_subtitle(meta *m)
{
    if (!m->n_h1)
        return;
    const xmlNode *from = m->h1[0];
    for (int up = 0; up < 3 && from && !m->subtitle; up++, from = from->parent) {
        int seen = 0;
        for (const xmlNode *k = from->next; k && seen < 4 && !m->subtitle; k = k->next) {
            if (!is_el(k))
                continue;
            seen++;
            if (!(name_is(k, "h2") || says_subtitle(k)))
                continue;
            cx_buf b = CX_BUF_INIT;
            text_of(k, &b);
            size_t nc = n_chars(&b);
            char *t = nc >= 20 && nc <= 500 ? trim_dup(b.data, b.len) : NULL;
            size_t words = 0;
            for (const char *q = t; q && *q; q++)
                words += !is_space_c((unsigned char)*q) &&
                         (q == t || is_space_c((unsigned char)q[-1]));
            /* a byline is not a standfirst */
            if (t && (words < 5 || strncasecmp(t, "by ", 3) == 0)) {
                free(t);
                t = NULL;
            }
            m->subtitle = t;
            cx_buf_free(&b);
        }
    }
}

/* ===== The article ===== */

/* Conditional cleaning inside the article (Readability's _cleanConditionally). */
static void clean_article(ctx *c, xmlNode *n, int depth)
{
    xmlNode *next;
    for (xmlNode *k = n->children; k && !c->rc; k = next) {
        next = k->next;
        if (!is_el(k) || depth > MAX_DEPTH)
            continue;
        const char *nm = (const char *)k->name;
        bool heading = (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]);
        if (!strcmp(nm, "h1")) { /* the title, given apart */
            drop(c, k);
            continue;
        }
        if (heading && class_weight(c, k) < 0) {
            drop(c, k);
            continue;
        }
        if (!strcmp(nm, "form") || !strcmp(nm, "fieldset") || !strcmp(nm, "figure") ||
            !strcmp(nm, "figcaption") || !strcmp(nm, "picture")) {
            msr m = measure_of(k);
            if (!strcmp(nm, "figcaption") || !strcmp(nm, "figure") || m.p == 0 ||
                link_density(&m) > 0.3) {
                drop(c, k);
                continue;
            }
        }
        if ((c->flags & F_CLEAN) && (!strcmp(nm, "table") || !strcmp(nm, "ul") ||
                                     !strcmp(nm, "div") || !strcmp(nm, "section") ||
                                     !strcmp(nm, "dl"))) {
            double w = class_weight(c, k);
            nstat *s = stat_of(k);
            double score = s && s->scored ? s->score : 0;
            msr m = measure_of(k);
            bool list = !strcmp(nm, "ul") || !strcmp(nm, "ol");
            bool remove = false;
            if (w + score < 0 && m.chars < 1000)
                remove = true;
            else if (m.commas < 10) {
                double ld = link_density(&m);
                if (m.img > 1 && (double)m.p / (double)m.img < 0.5)
                    remove = true;
                else if (!list && m.li > m.p + 5 && strcmp(nm, "p"))
                    remove = true;
                else if (m.input > m.p / 3 + 1)
                    remove = true;
                else if (m.chars < 25 && (m.img == 0 || m.img > 2) && strcmp(nm, "p") &&
                         strcmp(nm, "span"))
                    remove = true;
                else if (w < 25 && ld > 0.2 + (list ? 0.15 : 0))
                    remove = true;
                else if (w >= 25 && ld > 0.5)
                    remove = true;
                else if ((m.embed == 1 && m.chars < 75) || m.embed > 1)
                    remove = true;
            }
            if (remove) {
                drop(c, k);
                continue;
            }
        }
        clean_article(c, k, depth + 1);
    }
}

/* Does the text of `n` hold `needle` (a prefix of the JSON-LD body)? */
static bool holds_text(const xmlNode *n, const char *needle)
{
    cx_buf b = CX_BUF_INIT;
    text_of(n, &b);
    bool yes = b.data && cx_buf_putc(&b, '\0') == 0 && strstr(b.data, needle) != NULL;
    cx_buf_free(&b);
    return yes;
}

/* Are the first words (up to 40 bytes) of `n`'s text in `body`? */
static bool in_body(const xmlNode *n, const char *body)
{
    cx_buf b = CX_BUF_INIT;
    text_of(n, &b);
    bool yes = false;
    if (b.len >= 20) {
        size_t k = b.len < 40 ? b.len : 40;
        while (k && k < b.len && ((unsigned char)b.data[k] & 0xC0) == 0x80)
            k--;
        char first[48];
        memcpy(first, b.data, k);
        first[k] = '\0';
        yes = strstr(body, first) != NULL;
    }
    cx_buf_free(&b);
    return yes;
}

static int count_elements(xmlNode *n, nstat *st, size_t *i, size_t cap, int depth)
{
    size_t k = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (!is_el(c))
            continue;
        if (st && *i < cap)
            c->_private = &st[*i];
        (*i)++;
        k++;
        if (depth < MAX_DEPTH)
            count_elements(c, st, i, cap, depth + 1);
    }
    return (int)k;
}

static void clear_private(xmlNode *n, int depth)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        c->_private = NULL;
        if (depth < MAX_DEPTH)
            clear_private(c, depth + 1);
    }
}

static int extract_main(ctx *c, xmlNode *body, const char *ld_body, emitter *e)
{
    strip(c, body, 0);
    if (c->rc)
        return c->rc;
    size_t total = 0;
    count_elements(body, NULL, &total, 0, 0);
    c->st = calloc(total + 1, sizeof *c->st);
    if (!c->st)
        return CX_ENOMEM;
    c->n_st = total;
    size_t i = 0;
    count_elements(body, c->st, &i, total, 0);

    xmlNode **paras = NULL;
    size_t np = 0, cap = 0;
    int rc = collect_paras(body, &paras, &np, &cap, 0);
    xmlNode **cands = NULL;
    size_t nc = 0;
    if (rc)
        goto done;
    if (!(cands = malloc((np * 3 + 4) * sizeof *cands))) {
        rc = CX_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        xmlNode *p = paras[k];
        bool own = k + 1 < np && paras[k + 1] == NULL; /* a division's own text */
        if (!p)
            continue;
        msr m = {0};
        if (own)
            m.chars = inline_chars(p);
        else
            m = measure_of(p);
        if (m.chars < 25)
            continue;
        if (own) { /* its commas */
            for (const xmlNode *t = p->children; t; t = t->next)
                if (t->type == XML_TEXT_NODE && t->content)
                    for (const unsigned char *q = t->content; *q; q++)
                        m.commas += *q == ',';
        }
        double sc = 1 + (double)m.commas + (double)(m.chars / 100 > 3 ? 3 : m.chars / 100);
        xmlNode *a = own ? p : p->parent;
        for (int level = 0; level < 3 && is_el(a); level++, a = a->parent) {
            nstat *s = stat_of(a);
            if (!s)
                break;
            if (!s->scored) {
                init_score(c, a);
                cands[nc++] = a;
            }
            s->score += sc / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
        }
    }
    xmlNode *top = NULL;
    double best = 0;
    bool ld_top = false; /* the JSON-LD body chose the top candidate */
    for (size_t k = 0; k < nc; k++) {
        nstat *s = stat_of(cands[k]);
        msr m = measure_of(cands[k]);
        s->score *= 1 - link_density(&m);
        if (!top || s->score > best) {
            top = cands[k];
            best = s->score;
        }
    }
    /* JSON-LD articleBody: the deepest candidate that holds its opening words */
    if (ld_body && top) {
        char needle[64];
        size_t k = 0, words = 0;
        const char *q = ld_body;
        while (is_space_c((unsigned char)*q))
            q++;
        for (; q[k] && k + 1 < sizeof needle && words < 6; k++) {
            if (is_space_c((unsigned char)q[k]) && !is_space_c((unsigned char)q[k + 1]))
                words++;
            needle[k] = q[k];
        }
        needle[k] = '\0';
        while (k && (needle[k - 1] & 0xC0) == 0x80)
            needle[--k] = '\0';
        if (words >= 5) {
            xmlNode *hold = NULL;
            for (size_t j = 0; j < nc; j++) {
                nstat *s = stat_of(cands[j]);
                if (s->score > best * 0.2 && holds_text(cands[j], needle) &&
                    (!hold || stat_of(hold)->score < s->score))
                    hold = cands[j];
            }
            if (hold && hold != top && !holds_text(top, needle)) {
                top = hold;
                best = stat_of(hold)->score;
                ld_top = true;
            }
        }
    }
    if (!top) { /* no paragraph: the whole body */
        emit(e, body, false, 0);
        goto done;
    }
    /* climb while the parent scores nearly as well (the article split in parts) */
    for (int guard = 0; guard < 8; guard++) {
        xmlNode *par = top->parent;
        nstat *ps = stat_of(par);
        if (!ps || name_is(par, "body") || name_is(par, "html"))
            break;
        int kids = 0;
        for (xmlNode *k = par->children; k; k = k->next)
            kids += is_el(k);
        if (kids == 1 || (ps->scored && ps->score >= best * 0.75 && ps->score > 0)) {
            top = par;
            if (ps->scored && ps->score > best)
                best = ps->score;
            continue;
        }
        break;
    }
    /* the article: the top candidate and its siblings that belong to it */
    double thresh = best * 0.2 > 10 ? best * 0.2 : 10;
    const char *top_class = attr(top, "class");
    xmlNode *parent = top->parent;
    for (xmlNode *s = parent ? parent->children : top; s && !c->rc; s = s->next) {
        if (!is_el(s))
            continue;
        bool take = s == top;
        if (!take && ld_top) {
            /* the JSON-LD body says what the article is: a sibling joins
             * only when its opening words are in it */
            take = in_body(s, ld_body);
        } else if (!take) {
            nstat *ss = stat_of(s);
            double bonus = 0;
            const char *sc = attr(s, "class");
            if (top_class && sc && *sc && !strcmp(sc, top_class))
                bonus = best * 0.2;
            if (ss && ss->scored && ss->score + bonus >= thresh)
                take = true;
            else if (name_is(s, "p") || name_is(s, "blockquote")) {
                msr m = measure_of(s);
                double ld = link_density(&m);
                if (m.chars > 80 && ld < 0.25)
                    take = true;
                else if (m.chars > 0 && m.chars <= 80 && ld == 0) {
                    cx_buf b = CX_BUF_INIT;
                    text_of(s, &b);
                    take = b.len && b.data[b.len - 1] == '.';
                    cx_buf_free(&b);
                }
            }
        }
        if (take) {
            clean_article(c, s, 0);
            em_break(e, 3);
            emit(e, s, false, 0);
            em_break(e, 3);
        }
        if (!parent)
            break;
    }
done:
    free(paras);
    free(cands);
    return rc ? rc : c->rc ? c->rc : e->rc;
}

/* libxml2 messages: a page is read whatever its markup, so they are dropped
 * here rather than printed to stderr. */
static void quiet_structured(void *ctxp, xmlError *error)
{
    (void)ctxp;
    (void)error;
}

static void quiet_generic(void *ctxp, const char *msg, ...)
{
    (void)ctxp;
    (void)msg;
}

static xmlDoc *parse(const char *s, size_t n, const char *url)
{
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc)
        return NULL;
    xmlDoc *d = htmlCtxtReadMemory(pc, s, (int)n, url, "UTF-8",
                                   HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                       HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                                       HTML_PARSE_COMPACT);
    htmlFreeParserCtxt(pc);
    return d;
}

static xmlNode *body_of(xmlNode *root)
{
    for (xmlNode *k = root->children; k; k = k->next)
        if (name_is(k, "body"))
            return k;
    return root;
}

static void find_body_el(ctx *c, const xmlNode *n, int depth)
{
    for (const xmlNode *k = n->children; k && depth < MAX_DEPTH; k = k->next) {
        if (!is_el(k))
            continue;
        const char *ip = attr(k, "itemprop");
        if (ip && has_ci(ip, "articleBody") && c->n_body < 4)
            c->body_el[c->n_body++] = k;
        find_body_el(c, k, depth + 1);
    }
}


void rdp_xml_quiet(rdp_xml_hooks *h)
{
    h->structured = (void (*)(void))xmlStructuredError;
    h->structured_ctx = xmlStructuredErrorContext;
    h->generic = (void (*)(void))xmlGenericError;
    h->generic_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlSetGenericErrorFunc(NULL, quiet_generic);
}

void rdp_xml_restore(const rdp_xml_hooks *h)
{
    xmlSetStructuredErrorFunc(h->structured_ctx, (xmlStructuredErrorFunc)h->structured);
    xmlSetGenericErrorFunc(h->generic_ctx, (xmlGenericErrorFunc)h->generic);
}

int rdp_html_read(const char *s, size_t n, const char *url, int mode, rdp_html_page *out,
                  cx_err *err)
{
    int rc = 0;
    meta m = {0};
    xmlDoc *doc = NULL;
    cx_buf best = CX_BUF_INIT;
    if (n > INT_MAX)
        return cx_err_set(err, CX_EFORMAT, NULL, 0, "HTML page too large");
    rdp_xml_hooks hooks;
    rdp_xml_quiet(&hooks);
    doc = parse(s, n, url);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) /* nothing parsable: no text */
        goto done;
    scan_meta((xmlNode *)doc, &m, out, 0);
    pick_title(&m, out);
    find_subtitle(&m);
    if (m.og_site)
        out->outlet = trim_dup(m.og_site, strlen(m.og_site));
    if (!out->outlet && m.ld_publisher)
        out->outlet = trim_dup(m.ld_publisher, strlen(m.ld_publisher));
    take_date(m.ld_date, out->published);
    take_date(m.meta_date, out->published);
    take_date(m.time_date, out->published);
    url_date(url, out->published);
    if (mode == RDP_HTML_WHOLE) {
        emitter e = {.out = &out->text};
        emit(&e, root, true, 0);
        rc = e.rc;
        goto done;
    }
    /* Readability's passes: all flags, then without stripping unlikely
     * elements, without class weights, without conditional cleaning; the
     * first text of 500 characters wins, else the longest */
    static const int passes[] = {F_STRIP | F_WEIGHT | F_CLEAN, F_WEIGHT | F_CLEAN, F_CLEAN, 0};
    for (size_t p = 0; p < sizeof passes / sizeof passes[0] && rc == 0; p++) {
        if (p > 0) {
            xmlFreeDoc(doc);
            doc = parse(s, n, url);
            root = doc ? xmlDocGetRootElement(doc) : NULL;
            if (!root)
                break;
        }
        ctx c = {.flags = passes[p]};
        find_body_el(&c, root, 0);
        cx_buf t = CX_BUF_INIT;
        emitter e = {.out = &t};
        rc = extract_main(&c, body_of(root), m.ld_body, &e);
        clear_private(root, 0);
        for (size_t k = 0; k < c.n_gone; k++)
            xmlFreeNode(c.gone[k]);
        free(c.gone);
        free(c.st);
        if (rc == 0 && n_chars(&t) > n_chars(&best)) {
            cx_buf tmp = best;
            best = t;
            t = tmp;
        }
        cx_buf_free(&t);
        if (n_chars(&best) >= 500)
            break;
    }
    if (rc == 0 && best.len < 20 && root) { /* nothing found: the whole page */
        cx_buf_reset(&best);
        emitter w = {.out = &best};
        emit(&w, root, true, 0);
        rc = w.rc;
    }
    /* the standfirst first, when the body does not hold it */
    if (rc == 0 && m.subtitle && best.len) {
        char head[48];
        size_t k = strlen(m.subtitle) < 40 ? strlen(m.subtitle) : 40;
        while (k && ((unsigned char)m.subtitle[k] & 0xC0) == 0x80)
            k--;
        memcpy(head, m.subtitle, k);
        head[k] = '\0';
        if (cx_buf_putc(&best, '\0') != 0) {
            rc = CX_ENOMEM;
        } else {
            best.len--;
            if (!strstr(best.data, head)) {
                cx_buf t = CX_BUF_INIT;
                if (cx_buf_puts(&t, m.subtitle) || cx_buf_puts(&t, "\n\n") ||
                    cx_buf_append(&t, best.data, best.len))
                    rc = CX_ENOMEM;
                cx_buf_free(&best);
                best = t;
            }
        }
    }
    out->text = best;
    best = (cx_buf)CX_BUF_INIT;
done:
    if (rc)
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    cx_buf_free(&best);
    free(m.og_title);
    free(m.og_site);
    free(m.ld_body);
    free(m.ld_publisher);
    free(m.subtitle);
    xmlFreeDoc(doc);
    rdp_xml_restore(&hooks);
    return rc;
}

void rdp_html_page_free(rdp_html_page *p)
{
    if (!p)
        return;
    cx_buf_free(&p->text);
    free(p->title);
    free(p->outlet);
    memset(p, 0, sizeof *p);
}
