/* paths.c -- data, gazetteer and vendor locations. See paths.h. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#ifndef INCIMAP_HOME_DIR
#define INCIMAP_HOME_DIR "/usr/local/share/incimap"
#endif
#ifndef INCIMAP_SOURCE_DATA
#define INCIMAP_SOURCE_DATA ""
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_path_home(char *buf, size_t size)
{
    const char *h = getenv("INCIMAP_HOME");
    snprintf(buf, size, "%s", h && *h ? h : INCIMAP_HOME_DIR);
    return buf;
}

/* `value` when set, else $INCIMAP_HOME/`leaf` (or the compiled home). */
static const char *or_home(const char *value, const char *leaf, char *buf, size_t size)
{
    if (value && *value) {
        snprintf(buf, size, "%s", value);
        return buf;
    }
    char home[4096];
    snprintf(buf, size, "%s/%s", cli_path_home(home, sizeof home), leaf);
    return buf;
}

const char *cli_path_gazetteer(const char *opt, char *buf, size_t size)
{
    return or_home(opt && *opt ? opt : getenv("INCIMAP_GAZETTEER"), "gazetteer.sqlite", buf, size);
}

const char *cli_path_data(char *buf, size_t size)
{
    const char *d = getenv("INCIMAP_DATA");
    if (!(d && *d) && is_dir(INCIMAP_SOURCE_DATA))
        d = INCIMAP_SOURCE_DATA;
    return or_home(d, "data", buf, size);
}

const char *cli_path_vendor(char *buf, size_t size)
{
    return or_home(getenv("INCIMAP_VENDOR"), "vendor", buf, size);
}
