/* boiler.c -- furniture lines out of plain-text and scraped documents
 * (boiler.h). The signals are those of the HTML paragraph scoring in html.c
 * where they apply to a line of text: its length (words), its punctuation
 * (commas, a sentence's end), digits, capitalised words, and its position
 * (the head or the tail of the document). No list of phrases: a line goes
 * for how it reads, in any language. */
#include "boiler.h"

#include <stdbool.h>
#include <string.h>

/* A line read for the scoring. */
typedef struct {
    size_t a, b;     /* [a, b): the line without its surrounding blanks */
    int words;
    bool comma;      /* holds a comma: a clause of prose */
    bool digit;      /* a date, a time, a figure: kept */
    bool ends;       /* ends a sentence (. ! ? or an ellipsis, before quotes) */
    bool mid_capital;/* a capitalised word after the first: a name */
} line_info;

static bool blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Does the UTF-8 sequence at p (of at most `left` bytes) start with a
 * capital letter: ASCII, Latin-1, Greek, Cyrillic or Armenian. */
static bool capital_at(const unsigned char *p, size_t left)
{
    if (p[0] >= 'A' && p[0] <= 'Z')
        return true;
    if (left < 2)
        return false;
    unsigned c = ((unsigned)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    if ((p[0] & 0xe0) != 0xc0 || (p[1] & 0xc0) != 0x80)
        return false;
    return (c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3a9) ||
           (c >= 0x400 && c <= 0x42f) || (c >= 0x531 && c <= 0x556);
}

static void read_line(const char *s, line_info *li)
{
    const unsigned char *u = (const unsigned char *)s;
    li->words = 0;
    li->comma = li->digit = li->ends = li->mid_capital = false;
    bool in_word = false;
    for (size_t i = li->a; i < li->b; i++) {
        unsigned char c = u[i];
        if (c == ',')
            li->comma = true;
        if (c >= '0' && c <= '9')
            li->digit = true;
        bool sep = blank(c) || (c == 0xc2 && i + 1 < li->b && u[i + 1] == 0xa0);
        if (sep) {
            in_word = false;
            if (c == 0xc2)
                i++;
            continue;
        }
        if (!in_word) {
            if (li->words > 0 && capital_at(u + i, li->b - i))
                li->mid_capital = true;
            li->words++;
            in_word = true;
        }
    }
    /* the last character, closing quotes and brackets skipped */
    size_t e = li->b;
    for (;;) {
        if (e > li->a && strchr("\"')]*", u[e - 1]))
            e--;
        else if (e >= li->a + 2 && u[e - 2] == 0xc2 && u[e - 1] == 0xbb) /* » */
            e -= 2;
        else if (e >= li->a + 3 && u[e - 3] == 0xe2 && u[e - 2] == 0x80 &&
                 (u[e - 1] == 0x9d || u[e - 1] == 0x99)) /* ” ’ */
            e -= 3;
        else if (e > li->a && blank(u[e - 1]))
            e--;
        else
            break;
    }
    if (e > li->a && strchr(".!?", u[e - 1]))
        li->ends = true;
    if (e >= li->a + 3 && u[e - 3] == 0xe2 && u[e - 2] == 0x80 && u[e - 1] == 0xa6) /* … */
        li->ends = true;
}

/* Short, unpunctuated, without figures: a menu item, a button, a label. */
static bool furniture(const line_info *li)
{
    return li->words <= 8 && !li->comma && !li->digit && !li->ends;
}

/* The first line kept is the title: it stays when it reads as a headline. */
static bool headline(const line_info *li)
{
    return li->words >= 5 || li->mid_capital || li->digit;
}

/* The next non-blank line from `*pos`, into `li`; false at the end. */
static bool next_line(const char *s, size_t n, size_t *pos, line_info *li)
{
    while (*pos < n) {
        size_t a = *pos;
        const char *nl = memchr(s + a, '\n', n - a);
        size_t e = nl ? (size_t)(nl - s) : n;
        *pos = nl ? e + 1 : n;
        size_t b = e;
        while (a < b && blank((unsigned char)s[a]))
            a++;
        while (a < b && (blank((unsigned char)s[b - 1]) ||
                         (b - a >= 2 && (unsigned char)s[b - 2] == 0xc2 &&
                          (unsigned char)s[b - 1] == 0xa0))) {
            b -= blank((unsigned char)s[b - 1]) ? 1 : 2;
        }
        if (a < b) {
            li->a = a;
            li->b = b;
            read_line(s, li);
            return true;
        }
    }
    return false;
}

size_t rdp_boiler_trim(char *s, size_t n)
{
    if (!s || n == 0)
        return n;
    size_t pos = 0, lines = 0;
    line_info li;
    while (lines < 2 && next_line(s, n, &pos, &li))
        lines++;
    if (lines < 2) /* one line: its title and its text */
        return n;
    /* head: the start of the first line that is a headline or prose */
    size_t head = n, first = n, run = 0;
    pos = 0;
    while (next_line(s, n, &pos, &li)) {
        if (first == n)
            first = li.a;
        if (!furniture(&li) || headline(&li)) {
            head = li.a;
            break;
        }
        run++;
    }
    if (head == n) /* only furniture: left whole */
        return n;
    /* The first line is the title slot (extract reads it as the headline,
     * paragraph 0): the head run goes only when a headline of 5 to 20
     * words without a sentence's end takes its place, never to put a
     * sentence of the body, a dateline or a byline there. */
    if (head != first && (li.ends || li.words < 5 || li.words > 20))
        head = first;
    /* One short line over the headline is its kicker (a section's name);
     * a menu is two lines or more. */
    if (run < 2)
        head = first;
    /* tail: the end of the last line of prose after the head */
    size_t tail = head;
    pos = head;
    while (next_line(s, n, &pos, &li)) {
        if (li.a == head || !furniture(&li))
            tail = li.b;
    }
    /* nothing dropped: the text as it was, blanks included */
    size_t last = 0;
    pos = 0;
    while (next_line(s, n, &pos, &li))
        last = li.b;
    if (head == first && tail == last)
        return n;
    /* head..tail */
    size_t len = tail - head;
    memmove(s, s + head, len);
    return len;
}
