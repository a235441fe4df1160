/* paths.c -- data, gazetteer and vendor locations. See paths.h. */
#include "paths.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef INCIMAP_HOME_DIR
#define INCIMAP_HOME_DIR "/usr/local/share/incimap"
#endif
#ifndef INCIMAP_SOURCE_DATA
#define INCIMAP_SOURCE_DATA ""
#endif
#ifndef INCIMAP_BUILD_DIR
#define INCIMAP_BUILD_DIR ""
#endif
#ifndef INCIMAP_SOURCE_WWW
#define INCIMAP_SOURCE_WWW ""
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of this process's binary (resolved), or "" when unknown. */
static const char *exe_dir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    buf[0] = '\0';
    if (n <= 0)
        return buf;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(buf, size, "%s", exe);
    return buf;
}

bool cli_path_in_build_tree(void)
{
    char dir[PATH_MAX], build[PATH_MAX];
    if (!INCIMAP_BUILD_DIR[0] || !realpath(INCIMAP_BUILD_DIR, build))
        return false;
    /* the build writes incimap at the top of the build tree: an install
     * (even one under the build tree) is elsewhere */
    exe_dir(dir, sizeof dir);
    return dir[0] && strcmp(dir, build) == 0;
}

const char *cli_path_home(char *buf, size_t size)
{
    const char *h = getenv("INCIMAP_HOME");
    if (h && *h) {
        snprintf(buf, size, "%s", h);
        return buf;
    }
    /* <prefix>/bin/incimap -> <prefix>/share/incimap: an install anywhere
     * (cmake --install --prefix DIR) reads its own files */
    char dir[PATH_MAX], home[PATH_MAX + 32];
    if (!cli_path_in_build_tree() && exe_dir(dir, sizeof dir)[0]) {
        char *slash = strrchr(dir, '/');
        if (slash && !strcmp(slash, "/bin")) {
            *slash = '\0';
            snprintf(home, sizeof home, "%s/share/incimap", dir);
            if (is_dir(home)) {
                snprintf(buf, size, "%s", home);
                return buf;
            }
        }
    }
    snprintf(buf, size, "%s", INCIMAP_HOME_DIR);
    return buf;
}

/* `value` when set, else <home>/`leaf`. */
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
    if (!(d && *d) && is_dir(INCIMAP_SOURCE_DATA) && cli_path_in_build_tree())
        d = INCIMAP_SOURCE_DATA;
    return or_home(d, "data", buf, size);
}

const char *cli_path_vendor(char *buf, size_t size)
{
    return or_home(getenv("INCIMAP_VENDOR"), "vendor", buf, size);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *cli_path_list_json(const char *dir, char *buf, size_t size)
{
    enum { MAX_NAMES = 64 };
    char *names[MAX_NAMES];
    size_t n = 0;
    buf[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return buf;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < MAX_NAMES) {
        size_t l = strlen(de->d_name);
        if (l > 5 && de->d_name[0] != '.' && !strcmp(de->d_name + l - 5, ".json") &&
            (names[n] = strdup(de->d_name)) != NULL)
            names[n++][l - 5] = '\0';
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", names[i]);
        if (k > 0 && (size_t)k < size - len)
            len += (size_t)k;
        free(names[i]);
    }
    return buf;
}

const char *cli_path_www(char *buf, size_t size)
{
    const char *d = getenv("INCIMAP_WWW");
    if (!(d && *d) && is_dir(INCIMAP_SOURCE_WWW) && cli_path_in_build_tree())
        d = INCIMAP_SOURCE_WWW;
    return or_home(d, "www", buf, size);
}
