/* cx_cleanup.c -- removal of this run's temporaries on a fatal signal, and
 * of dead runs' leftovers: see cx_cleanup.h.
 *
 * The table is written only outside the handler; a slot is published by
 * setting its flag after the path is copied, with a signal fence between,
 * so the handler never reads a half-written path. */
#include "cx_cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CLEAN_SLOTS 32
#define CLEAN_PATH  4096

static char clean_paths[CLEAN_SLOTS][CLEAN_PATH];
static volatile sig_atomic_t clean_used[CLEAN_SLOTS];
static volatile sig_atomic_t clean_installed;

int cx_cleanup_add(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (!n || n >= CLEAN_PATH)
        return -1;
    for (int i = 0; i < CLEAN_SLOTS; i++) {
        if (clean_used[i])
            continue;
        memcpy(clean_paths[i], path, n + 1);
        atomic_signal_fence(memory_order_seq_cst);
        clean_used[i] = 1;
        return i;
    }
    return -1;
}

void cx_cleanup_forget(int slot)
{
    if (slot >= 0 && slot < CLEAN_SLOTS)
        clean_used[slot] = 0;
}

/* ===== Async-signal-safe removal ===== */

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Remove everything inside the folder open as `fd` (depth-limited), with
 * syscalls only. */
static int rm_inside(int fd, int depth)
{
    _Alignas(8) char buf[4096];
    int rc = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0)
                rc = -1;
            break;
        }
        for (long off = 0; off < n;) {
            struct linux_dirent64 *e = (struct linux_dirent64 *)(void *)(buf + off);
            off += e->d_reclen;
            const char *nm = e->d_name;
            if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
                continue;
            if (unlinkat(fd, nm, 0) == 0)
                continue;
            if (errno != EISDIR && errno != EPERM) {
                rc = -1;
                continue;
            }
            if (depth >= 8) {
                rc = -1;
                continue;
            }
            int sub = openat(fd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                rc = -1;
                continue;
            }
            if (rm_inside(sub, depth + 1) != 0)
                rc = -1;
            close(sub);
            if (unlinkat(fd, nm, AT_REMOVEDIR) != 0)
                rc = -1;
        }
    }
    return rc;
}

int cx_cleanup_rm(const char *path)
{
    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = rm_inside(fd, 0);
    close(fd);
    if (rmdir(path) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

static void on_fatal_signal(int sig)
{
    int saved = errno;
    for (int i = 0; i < CLEAN_SLOTS; i++)
        if (clean_used[i]) {
            (void)cx_cleanup_rm(clean_paths[i]);
            clean_used[i] = 0;
        }
    errno = saved;
    /* the default action: the status says the run was ended by `sig` */
    signal(sig, SIG_DFL);
    raise(sig);
}

void cx_cleanup_install(void)
{
    if (clean_installed)
        return;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* nohup, or a parent that wants it ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < sizeof sigs / sizeof sigs[0]; j++)
            sigaddset(&sa.sa_mask, sigs[j]);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
    clean_installed = 1;
}

/* ===== Leftovers of dead runs ===== */

bool cx_pid_alive(long pid)
{
    if (pid <= 0)
        return false;
    return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int cx_cleanup_stale(const char *dir, const char *prefix, char sep,
                     void (*removed)(void *ctx, const char *path, long pid), void *ctx)
{
    DIR *d = opendir(dir && *dir ? dir : ".");
    if (!d)
        return 0;
    size_t pl = strlen(prefix);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *e = de->d_name;
        if (strncmp(e, prefix, pl) != 0)
            continue;
        char *end = NULL;
        errno = 0;
        long pid = strtol(e + pl, &end, 10);
        if (errno || !end || end == e + pl || pid <= 0 || e[pl] < '0' || e[pl] > '9')
            continue;
        if (sep ? *end != sep : *end != '\0')
            continue;
        if (cx_pid_alive(pid))
            continue; /* alive, even if the id was reused: keep it */
        char p[CLEAN_PATH];
        int len = snprintf(p, sizeof p, "%s/%s", dir && *dir ? dir : ".", e);
        if (len < 0 || (size_t)len >= sizeof p)
            continue;
        struct stat st;
        if (lstat(p, &st) != 0 || st.st_uid != geteuid())
            continue;
        if (cx_cleanup_rm(p) == 0) {
            n++;
            if (removed)
                removed(ctx, p, pid);
        }
    }
    closedir(d);
    return n;
}
