/* fuzz_html.c -- libFuzzer target for the HTML reader (read/html.c):
 * libxml2's htmlCtxtReadMemory, then main-content extraction with all of
 * Readability's passes. The first input byte picks the mode (article or
 * whole page) and whether a URL (for its date) is given; the rest is the
 * page. Invariants: no crash, no leak, and a page that is valid UTF-8 gives
 * text that is valid UTF-8 without NUL bytes. Also built without libFuzzer,
 * linked with replay.c, to replay corpus/html/ as a ctest. */
#include "cx_text.h"
#include "html.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int mode = data[0] & 1 ? RDP_HTML_WHOLE : RDP_HTML_MAIN;
    const char *url = data[0] & 2 ? "https://example.org/news/2021/03/14/a-story" : NULL;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    cx_err err;
    cx_err_clear(&err);
    rdp_html_page page = {0};
    int rc = rdp_html_read(s, n, url, mode, &page, &err);
    if (rc == 0 && cx_utf8_valid(s, n, NULL)) {
        if (page.text.len && !cx_utf8_valid(page.text.data, page.text.len, NULL))
            abort();
        if (page.text.len && memchr(page.text.data, '\0', page.text.len))
            abort();
        if (page.title && !cx_utf8_valid(page.title, strlen(page.title), NULL))
            abort();
    }
    if (page.published[0] && strlen(page.published) != 10)
        abort();
    rdp_html_page_free(&page);
    return 0;
}
