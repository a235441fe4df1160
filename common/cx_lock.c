/* cx_lock.c -- advisory output locks: see cx_lock.h. flock() locks belong
 * to an open file description, so a second open in this process would
 * conflict with the first: held locks are kept in a small table and taken
 * again by reference count. */
#include "cx_lock.h"
#include "cx_cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOCK_SLOTS 8
#define DEFAULT_WAIT_S 10.0

struct cx_lock {
    int slot;
};

typedef struct held {
    char path[4096];
    int fd;
    int refs;
    int clean_slot; /* the lock file in the signal-cleanup table */
    long owner;     /* the process that took it: a child after fork() does not hold it */
} held;

static held lock_table[LOCK_SLOTS]; /* process-wide: see the file comment */

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long holder_pid(int fd)
{
    char b[32];
    ssize_t n = pread(fd, b, sizeof b - 1, 0);
    if (n <= 0)
        return 0;
    b[n] = '\0';
    return strtol(b, NULL, 10);
}

cx_lock *cx_lock_take(const char *target, double wait_s, cx_err *err)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s", target ? target : "");
    if (n <= 0 || (size_t)n + 6 >= sizeof path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "bad output path to lock");
        return NULL;
    }
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    memcpy(path + n, ".lock", 6);
    if (wait_s < 0) {
        const char *e = getenv("INCIMAP_LOCK_WAIT");
        char *end = NULL;
        wait_s = e && *e ? strtod(e, &end) : DEFAULT_WAIT_S;
        if (!(wait_s >= 0) || (end && *end))
            wait_s = DEFAULT_WAIT_S;
    }
    int free_slot = -1;
    for (int i = 0; i < LOCK_SLOTS; i++)
        if (lock_table[i].refs > 0 && lock_table[i].owner != (long)getpid())
            lock_table[i].refs = 0; /* inherited across fork(): the parent's, not ours */
    for (int i = 0; i < LOCK_SLOTS; i++) {
        if (lock_table[i].refs > 0 && !strcmp(lock_table[i].path, path)) {
            cx_lock *l = malloc(sizeof *l);
            if (!l) {
                cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
                return NULL;
            }
            lock_table[i].refs++;
            l->slot = i;
            return l;
        }
        if (lock_table[i].refs == 0 && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) {
        cx_err_set(err, CX_EINVAL, path, 0, "too many output locks held");
        return NULL;
    }
    cx_lock *l = malloc(sizeof *l);
    if (!l) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    double deadline = mono_s() + wait_s;
    long other = 0;
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            int e = errno;
            path[n] = '\0'; /* the output itself is what cannot be written */
            cx_err_set(err, CX_EOUT, path, 0,
                       "cannot write here (creating the lock file %s.lock failed: %s)", path,
                       strerror(e));
            free(l);
            return NULL;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            struct stat a, b;
            if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino) {
                char pid[32];
                int pl = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
                if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)pl, 0) != pl) {
                    /* the lock holds without the pid: only messages lose it */
                }
                held *h = &lock_table[free_slot];
                memcpy(h->path, path, strlen(path) + 1);
                h->fd = fd;
                h->refs = 1;
                h->owner = (long)getpid();
                h->clean_slot = cx_cleanup_add(path); /* a fatal signal removes it too */
                l->slot = free_slot;
                return l;
            }
            close(fd); /* removed by its last holder since we opened it */
            continue;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            cx_err_set(err, CX_EIO, path, 0, "cannot lock: %s", strerror(errno));
            close(fd);
            free(l);
            return NULL;
        }
        other = holder_pid(fd);
        close(fd);
        if (mono_s() >= deadline)
            break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    free(l);
    n = (int)strlen(path) - 5;
    if (other > 0)
        cx_err_set(err, CX_EOUT, path, 0,
                   "%.*s is being written by another incimap run (process %ld); waited %g s",
                   n, path, other, wait_s);
    else
        cx_err_set(err, CX_EOUT, path, 0,
                   "%.*s is being written by another run; waited %g s", n, path, wait_s);
    return NULL;
}

void cx_lock_release(cx_lock *l)
{
    if (!l)
        return;
    held *h = &lock_table[l->slot];
    free(l);
    if (--h->refs > 0)
        return;
    /* remove while still holding it: a waiter that opened it finds it gone
     * (inode differs) and starts again on a fresh file */
    cx_cleanup_forget(h->clean_slot);
    unlink(h->path);
    close(h->fd);
    h->fd = -1;
    h->path[0] = '\0';
}
