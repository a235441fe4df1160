/* boiler.c -- furniture lines out of plain-text and scraped documents
 * (boiler.h). The signals are those of the HTML paragraph scoring in html.c
 * where they apply to a line of text: its length (words), its punctuation
 * (commas, a sentence's end), digits, capitalised words, and its position
 * (the head or the tail of the document); at the head, also what a
 * headline has and furniture lacks: words shared with the text below it.
 * No list of phrases: a line goes for how it reads, in any language. */
#include "boiler.h"

#include "cx_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A line read for the scoring. */
typedef struct {
    size_t a, b;     /* [a, b): the line without its surrounding blanks */
    int words;
    bool comma;      /* holds a comma: a clause of prose */
    bool digit;      /* a date, a time, a figure: kept */
    bool ends;       /* ends a sentence (. ! ? or an ellipsis, before quotes) */
    bool early_digit;/* a digit in the first two words: a dateline */
    int keys;        /* head lines: distinct stems of words of four letters or more */
    int hits;        /* ... of which come again in the text below */
    int wkeys;       /* distinct words of five letters or more */
    int whits;       /* ... of which come again, whole, in the text below */
    bool name_hit;   /* a capitalised word after the first comes again capitalised */
} line_info;

static bool blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The line's signals. `quick`: only whether it is furniture() is wanted
 * (a line below the head): reading stops at the first comma, figure or
 * ninth word, each of which makes it no furniture, the other signals left
 * partly read. */
static void read_line(const char *s, line_info *li, bool quick)
{
    const unsigned char *u = (const unsigned char *)s;
    li->words = 0;
    li->comma = li->digit = li->ends = li->early_digit = false;
    li->keys = li->hits = li->wkeys = li->whits = 0;
    li->name_hit = false;
    bool in_word = false;
    for (size_t i = li->a; i < li->b; i++) {
        unsigned char c = u[i];
        if (in_word) {
            /* the bytes of a word that count nothing, at once */
            while (c > ' ' && c != ',' && c != 0xc2 && (unsigned)(c - '0') > 9) {
                if (++i == li->b)
                    break;
                c = u[i];
            }
            if (i == li->b)
                break;
        }
        if (c > ' ' && c != ',' && c != 0xc2 && in_word) {
            /* inside a word: only a digit counts (most bytes) */
            if (c >= '0' && c <= '9') {
                li->digit = true;
                if (li->words <= 2)
                    li->early_digit = true;
                if (quick)
                    return;
            }
            continue;
        }
        if (c == ',') {
            li->comma = true;
            if (quick)
                return;
        }
        bool sep = blank(c) || (c == 0xc2 && i + 1 < li->b && u[i + 1] == 0xa0);
        if (sep) {
            in_word = false;
            if (c == 0xc2)
                i++;
            continue;
        }
        if (!in_word) {
            li->words++;
            in_word = true;
            if (quick && li->words > 8)
                return;
        }
        if (c >= '0' && c <= '9') {
            li->digit = true;
            if (li->words <= 2)
                li->early_digit = true;
            if (quick)
                return;
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

/* ----- Words shared with the text below: the headline's mark ----- */

#define HEAD_LINES 6            /* lines of the head read for its furniture */
#define BODY_SCAN (32u * 1024u) /* bytes of text whose words a head line is compared with */
#define KEY_SLOTS 8192u         /* at most, distinct words remembered (a power of two) */
#define LINE_KEYS 64            /* distinct words of one head line counted */
_Static_assert(2 * LINE_KEYS == 1 << 7, "line_overlap hashes keys to 7 bits");

/* A word of the text: its first letters folded to lower case, hashed. */
typedef struct {
    uint32_t h;    /* 0: empty slot */
    uint32_t last; /* the last line (counted from the document's start) holding it */
} key_slot;

/* A letter, a capital, a lower case: ASCII here, the rest through utf8proc
 * (cx_text), which most of a text never needs. */
static bool is_letter(long cp)
{
    return cp < 0x80 ? (cp | 32) >= 'a' && (cp | 32) <= 'z' : cx_cp_is_letter(cp);
}

static bool is_capital(long cp)
{
    return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : cx_cp_is_upper(cp);
}

static long to_lower(long cp)
{
    return cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : cx_cp_lower(cp);
}

/* The next word of at least four letters (Unicode letters; digits,
 * apostrophes, hyphens and other marks part words) in [*i, b): where it
 * starts, its stem key (FNV-1a of its first five letters in lower case:
 * "validated" and "validate", a plural and its singular, meet), its whole
 * key when it has five letters or more (the whole word in lower case; else
 * 0), and whether it is capitalised. The kinds of key never collide (their
 * low bits differ: see cap_key too), and none is 0. False when no word is
 * left. */
/* The code point at *i < b, ASCII read here (what cx_utf8_next returns for
 * it), the rest by cx_utf8_next. */
static inline long next_cp(const unsigned char *u, size_t b, size_t *i)
{
    if (u[*i] < 0x80)
        return u[(*i)++];
    return cx_utf8_next((const char *)u, b, i);
}

#define FNV_PRIME3 (16777619u * 16777619u * 16777619u) /* modulo 2^32 */

static bool next_key(const unsigned char *u, size_t *pi, size_t b, uint32_t *key, uint32_t *whole,
                     bool *cap, size_t *start)
{
    /* the position in a local: stores through *pi could alias the text */
    size_t i = *pi;
    while (i < b) {
        /* ASCII that is no letter, at once */
        if (u[i] < 0x80 && (unsigned)((u[i] | 32u) - 'a') > 'z' - 'a') {
            i++;
            continue;
        }
        size_t at = i;
        long cp = next_cp(u, b, &i);
        if (!is_letter(cp))
            continue;
        uint32_t h = 2166136261u, w = 2166136261u;
        size_t letters = 0;
        *start = at;
        *cap = is_capital(cp);
        for (;;) {
            unsigned long f = (unsigned long)to_lower(cp);
            if (f < 0x100) {
                /* the two high bytes are 0: their xor changes nothing,
                 * three multiplications by the prime are one by its cube */
                w = (w ^ (uint32_t)f) * FNV_PRIME3;
            } else {
                for (int k = 0; k < 3; k++) {
                    w ^= (uint32_t)((f >> (8 * k)) & 0xff);
                    w *= 16777619u;
                }
            }
            if (letters < 5)
                h = w;
            letters++;
            /* the ASCII letters that follow, at once: the same hash (c | 32
             * is the lower case of an ASCII letter, and no other byte's
             * c | 32 is one); the stem's first five, then the rest */
            while (letters < 5 && i < b) {
                unsigned l = u[i] | 32u;
                if (l - 'a' > (unsigned)('z' - 'a'))
                    break;
                w = (w ^ l) * FNV_PRIME3;
                h = w;
                letters++;
                i++;
            }
            if (letters >= 5)
                while (i < b) {
                    unsigned l = u[i] | 32u;
                    if (l - 'a' > (unsigned)('z' - 'a'))
                        break;
                    w = (w ^ l) * FNV_PRIME3;
                    letters++;
                    i++;
                }
            if (i >= b)
                break;
            at = i;
            if (u[i] < 0x80) /* ASCII and no letter: the word ends */
                break;
            cp = next_cp(u, b, &i);
            if (!is_letter(cp)) {
                i = at; /* the separator is read again by the outer loop */
                break;
            }
        }
        if (letters >= 4) {
            *key = (h & ~3u) | 2u;                /* low bits 10 */
            *whole = letters >= 5 ? (w | 1u) : 0; /* low bit 1 */
            *pi = i;
            return true;
        }
    }
    *pi = i;
    return false;
}

/* The key of a stem seen capitalised (low bits 00, never 0). */
static uint32_t cap_key(uint32_t stem)
{
    uint32_t k = stem & ~3u;
    return k ? k : 4u;
}

/* The slot of `key` in the table of `slots` (a power of two): its own, or the empty one
 * where it goes; NULL when the table is full. */
static key_slot *key_find(key_slot *t, uint32_t slots, uint32_t key)
{
    for (uint32_t k = 0, j = key & (slots - 1); k < slots; k++, j = (j + 1) & (slots - 1))
        if (t[j].h == key || t[j].h == 0)
            return &t[j];
    return NULL;
}

/* Is `key` in the table, last seen in a line after line `idx`? */
static bool seen_after(key_slot *t, uint32_t slots, uint32_t key, uint32_t idx)
{
    const key_slot *sl = key_find(t, slots, key);
    return sl && sl->h == key && sl->last > idx;
}

/* A key of a head line as line_overlap counts it: a stem (kind 0, with
 * `capq` when its word is capitalised after the line's start) or a whole
 * word (kind 1). */
typedef struct {
    uint32_t key;
    uint8_t kind;
    bool capq;
} line_key;

/* The distinct keys of the head line `li`, in the order line_overlap meets
 * them (at most 2 * LINE_KEYS), into k; their count. */
static size_t line_keys(const char *s, const line_info *li, line_key *k)
{
    const unsigned char *u = (const unsigned char *)s;
    /* the keys seen on the line: a set of 2 * LINE_KEYS slots (0: empty;
     * no key is 0), at most half full */
    uint32_t seen[2 * LINE_KEYS] = {0};
    int n_seen = 0;
    size_t i = li->a, start, nk = 0;
    uint32_t key, whole;
    bool cap;
    while (n_seen < LINE_KEYS - 1 && next_key(u, &i, li->b, &key, &whole, &cap, &start)) {
        uint32_t k2[2] = {key, whole};
        for (int m = 0; m < 2; m++) {
            if (!k2[m])
                continue;
            uint32_t j = (k2[m] * 2654435761u) >> 25; /* 7 bits: 2 * LINE_KEYS slots */
            while (seen[j] && seen[j] != k2[m])
                j = (j + 1) & (2 * LINE_KEYS - 1);
            if (seen[j])
                continue; /* seen on the line */
            seen[j] = k2[m];
            n_seen++;
            k[nk++] = (line_key){k2[m], (uint8_t)m, m == 0 && cap && start > li->a};
        }
    }
    return nk;
}

/* line_overlap's counts of the keys k[0..nk) of the head line `li`, the
 * line numbered `idx`, against the table as it is. */
static void line_counts(key_slot *t, uint32_t slots, uint32_t idx, const line_key *k, size_t nk,
                        line_info *li)
{
    li->keys = li->hits = li->wkeys = li->whits = 0;
    li->name_hit = false;
    for (size_t i = 0; i < nk; i++) {
        bool again = seen_after(t, slots, k[i].key, idx);
        if (k[i].kind == 0) {
            li->keys++;
            li->hits += again;
            if (k[i].capq && seen_after(t, slots, cap_key(k[i].key), idx))
                li->name_hit = true;
        } else {
            li->wkeys++;
            li->whits += again;
        }
    }
}

/* The words of the head line `li`, the line numbered `idx`, against the
 * lines after it: distinct stems (li->keys) and how many come again
 * (li->hits); distinct words of five letters or more (li->wkeys) and how
 * many come again whole (li->whits); whether a capitalised word after the
 * line's start comes again capitalised (li->name_hit: a name the text goes
 * on about). */
static void line_overlap(const char *s, key_slot *t, uint32_t slots, uint32_t idx, line_info *li)
{
    line_key k[2 * LINE_KEYS];
    line_counts(t, slots, idx, k, line_keys(s, li, k), li);
}

static bool next_bounds(const char *s, size_t n, size_t *pos, line_info *li);

/* The table of the words of the text, filled line by line as far as the
 * head's questions need (rdp_boiler_trim). */
typedef struct {
    const char *s;
    size_t n, pos, stop, used;
    key_slot *t;
    uint32_t slots, idx; /* idx: the lines read */
    bool done;
} body_scan;

/* The words of the next line (starting below `stop`) into the table, filled
 * to three quarters at most; false when no line is left. */
static bool scan_line(body_scan *b)
{
    line_info li;
    if (b->done || !next_bounds(b->s, b->n, &b->pos, &li) || li.a >= b->stop) {
        b->done = true;
        return false;
    }
    const unsigned char *u = (const unsigned char *)b->s;
    size_t i = li.a, start, end = li.b < b->stop ? li.b : b->stop;
    uint32_t key[3];
    bool cap;
    while (next_key(u, &i, end, &key[0], &key[1], &cap, &start)) {
        key[2] = cap ? cap_key(key[0]) : 0;
        for (int m = 0; m < 3; m++) {
            key_slot *sl = key[m] ? key_find(b->t, b->slots, key[m]) : NULL;
            if (sl && (sl->h || 4 * b->used < 3 * (size_t)b->slots)) {
                b->used += sl->h == 0;
                sl->h = key[m];
                sl->last = b->idx;
            }
        }
    }
    b->idx++;
    return true;
}

/* Short, unpunctuated, without figures: a menu item, a button, a label. */
static bool furniture(const line_info *li)
{
    return li->words <= 8 && !li->comma && !li->digit && !li->ends;
}

/* A headline: a line of 3 to 25 words that ends no sentence with a full
 * stop (a question or an exclamation may), opens with no date, and whose
 * words the text below goes on about (two at least, and a third of them). */
static bool headline_shape(const line_info *li, const char *s)
{
    size_t e = li->b;
    while (e > li->a && strchr("\"')]", s[e - 1]))
        e--;
    bool full_stop = e > li->a && s[e - 1] == '.';
    return li->words >= 3 && li->words <= 25 && !full_stop && !li->early_digit;
}

static bool headline(const line_info *li, const char *s)
{
    return headline_shape(li, s) && li->hits >= 2 && 3 * li->hits >= li->keys;
}

/* A paragraph of the body: a sentence of ten words or more, or a line
 * longer than a headline; never a title, a dateline or a byline. */
static bool body_paragraph(const line_info *li)
{
    return (li->ends && li->words >= 10) || li->words > 25;
}

/* Head furniture: a line without figures that shares (almost) nothing with
 * the text below it: short, not one of its words of five letters or more
 * (a share button, a section's name, a placeholder, a cookie line); longer,
 * at most a quarter of them (a theme's or a site's notice); and never a
 * name the text goes on about. */
static bool head_furniture(const line_info *li)
{
    if (li->digit || li->name_hit)
        return false;
    if (li->words <= 8)
        return li->whits == 0;
    return 4 * li->whits <= li->wkeys;
}

/* The bounds of the next non-blank line from `*pos` (li->a, li->b), its
 * signals unread; false at the end. */
static bool next_bounds(const char *s, size_t n, size_t *pos, line_info *li)
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
            return true;
        }
    }
    return false;
}

/* The next non-blank line from `*pos`, into `li` (read_line's `quick`);
 * false at the end. */
static bool next_line(const char *s, size_t n, size_t *pos, line_info *li, bool quick)
{
    if (!next_bounds(s, n, pos, li))
        return false;
    read_line(s, li, quick);
    return true;
}

size_t rdp_boiler_trim(char *s, size_t n, bool *untitled)
{
    *untitled = false;
    if (!s || n == 0)
        return n;
    /* One pass reads every line's signals. `tail`: the end of the last
     * line that is not furniture (the first line is never furniture here):
     * where the text compared with the head stops; `last`: the end of the
     * last line; `nf`: the last line that is not furniture, which gives the
     * tail below any head (the head line, else a later line that is not
     * furniture); `hl`: the head lines. */
    size_t pos = 0, lines = 0;
    line_info li, nf = {0}, hl[HEAD_LINES];
    size_t first = n, tail = n, last = 0, n_hl = 0;
    bool all_furniture = true, have_nf = false;
    /* only furniture() is asked of a line here: the head lines are read
     * whole below, as far as the head's loop goes */
    while (next_line(s, n, &pos, &li, true)) {
        lines++;
        if (n_hl < HEAD_LINES)
            hl[n_hl++] = li;
        if (first == n)
            first = li.a;
        bool f = furniture(&li);
        if (li.a == first || !f)
            tail = li.b;
        if (!f) {
            nf = li;
            have_nf = true;
        }
        all_furniture &= f;
        last = li.b;
    }
    if (lines < 2) /* one line: its title and its text */
        return n;
    if (all_furniture) /* a menu, a list of labels: left whole */
        return n;
    /* head: the first line is the title slot (extract reads it as the
     * headline, paragraph 0). Furniture lines over a headline go so that
     * the headline takes it; over anything else (a sentence of the body, a
     * dateline, a byline) nothing goes: that line must not become the
     * title. Each of the first HEAD_LINES lines is compared with the words
     * of the lines below it, up to the tail and BODY_SCAN bytes. */
    size_t head = first, head_b = hl[0].b;
    /* a slot for every two bytes compared (a capitalised word of five
     * letters and a blank hold three keys in six bytes), up to KEY_SLOTS */
    size_t scan = tail - first < BODY_SCAN ? tail - first : BODY_SCAN;
    uint32_t slots = 64;
    while (slots < KEY_SLOTS && slots < scan / 2)
        slots *= 2;
    /* a short text's table on the stack (8 KB), a longer one's on the heap */
    key_slot small[1024];
    key_slot *t = slots <= sizeof small / sizeof small[0] ? small : calloc(slots, sizeof *t);
    if (t == small)
        memset(small, 0, slots * sizeof *t);
    if (t) { /* out of memory: the head stays as it is */
        size_t nh = 0, stop = first + scan;
        while (nh < n_hl && hl[nh].a < stop) /* the head lines the table reads */
            nh++;
        body_scan bs = {.s = s, .n = n, .stop = stop, .t = t, .slots = slots};
        for (size_t h = 0; h < nh; h++) {
            read_line(s, &hl[h], false);
            if (hl[h].words > 80) /* a paragraph: neither */
                break;
            if (h == 0 && !headline_shape(&hl[0], s) && hl[0].digit) {
                /* no headline, no furniture (a figure): the loop ends here
                 * whatever the line shares with the text */
            } else if (h == 0) {
                /* the table read as far as settles the first line: what it
                 * shares with the text only grows as lines are read, so a
                 * headline, or a line that is no furniture, stays so */
                line_key k[2 * LINE_KEYS];
                size_t nk = line_keys(s, &hl[0], k);
                for (uint32_t check = 1;; check = check < 4 ? check + 1 : 2 * check) {
                    line_counts(t, slots, 0, k, nk, &hl[0]);
                    if (bs.done || (headline_shape(&hl[0], s) ? headline(&hl[0], s)
                                                              : !head_furniture(&hl[0])))
                        break;
                    while (bs.idx <= check && scan_line(&bs))
                        ;
                }
            } else if (!body_paragraph(&hl[h]) || headline_shape(&hl[h], s)) {
                /* (a paragraph of the body that cannot be a headline ends
                 * the loop without its words being compared) */
                while (scan_line(&bs))
                    ;
                line_overlap(s, t, slots, (uint32_t)h, &hl[h]);
            }
            if (headline(&hl[h], s)) {
                head = hl[h].a;
                head_b = hl[h].b;
                break;
            }
            if (h == 0 && body_paragraph(&hl[0]) && !head_furniture(&hl[0])) {
                /* the text opens with a sentence of its body (a wire
                 * story's lead, a scraper's text without its headline):
                 * nothing goes, and that sentence is not a title (a long
                 * notice sharing nothing with the text is furniture: it
                 * goes on to the lines below) */
                *untitled = true;
                break;
            }
            if (h > 0 && body_paragraph(&hl[h])) {
                /* furniture over the body goes only when it shares not one
                 * word stem with the text: a short title ("Nuit blanche"
                 * over "...la nuit...") shares one and stays */
                bool bare = true;
                for (size_t j = 0; j < h; j++)
                    bare &= hl[j].hits == 0;
                if (bare) {
                    head = hl[h].a;
                    head_b = hl[h].b;
                    *untitled = true;
                }
                break;
            }
            if (!head_furniture(&hl[h]))
                break;
        }
        if (t != small)
            free(t);
    }
    /* tail: the end of the last line that is not furniture after the head,
     * else of the head line */
    tail = have_nf && nf.a >= head ? nf.b : head_b;
    if (head == first && tail == last) /* nothing dropped: the text as it was */
        return n;
    size_t len = tail - head;
    memmove(s, s + head, len);
    return len;
}
