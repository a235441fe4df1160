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

const char *cli_path_gazetteer(const char *opt, char *buf, size_t size)
{
    const char *g = opt && *opt ? opt : getenv("INCIMAP_GAZETTEER");
    if (g && *g) {
        snprintf(buf, size, "%s", g);
        return buf;
    }
    char home[4096];
    snprintf(buf, size, "%s/gazetteer.sqlite", cli_path_home(home, sizeof home));
    return buf;
}

const char *cli_path_data(char *buf, size_t size)
{
    const char *d = getenv("INCIMAP_DATA");
    if (d && *d) {
        snprintf(buf, size, "%s", d);
        return buf;
    }
    if (is_dir(INCIMAP_SOURCE_DATA)) {
        snprintf(buf, size, "%s", INCIMAP_SOURCE_DATA);
        return buf;
    }
    char home[4096];
    snprintf(buf, size, "%s/data", cli_path_home(home, sizeof home));
    return buf;
}

const char *cli_path_vendor(char *buf, size_t size)
{
    const char *v = getenv("INCIMAP_VENDOR");
    if (v && *v) {
        snprintf(buf, size, "%s", v);
        return buf;
    }
    char home[4096];
    snprintf(buf, size, "%s/vendor", cli_path_home(home, sizeof home));
    return buf;
}
