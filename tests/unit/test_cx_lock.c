/* test_cx_lock.c -- unit tests of common/cx_lock and common/cx_cleanup
 * (issue 19): a lock is exclusive between processes, re-entrant within one,
 * waits a bounded time and names the holder; its file is removed on
 * release; cx_cleanup_rm removes a tree; cx_cleanup_stale removes only the
 * leftovers of dead processes; a fatal signal removes the registered paths. */
#include "check.h"
#include "cx_cleanup.h"
#include "cx_lock.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

static void touch(const char *p)
{
    FILE *f = fopen(p, "w");
    if (f)
        fclose(f);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A process that is gone: its id. */
static long dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (long)p;
}

int main(void)
{
    char dir[] = "/tmp/test_cx_lock-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[256], lockf[300];
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(lockf, sizeof lockf, "%s/out.lock", dir);
    cx_err err;

    /* ===== locks ===== */
    cx_err_clear(&err);
    cx_lock *a = cx_lock_take(out, 0, &err);
    CHECK(a != NULL);
    CHECK(exists(lockf));
    cx_lock *b = cx_lock_take(out, 0, &err); /* the same process: re-entrant */
    CHECK(b != NULL);
    cx_lock_release(b);
    CHECK(exists(lockf)); /* still held by a */

    /* another process waits, then fails naming the output and our pid */
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t child = fork();
    if (child == 0) {
        close(pfd[0]);
        cx_err e;
        cx_err_clear(&e);
        double t0 = mono();
        cx_lock *l = cx_lock_take(out, 0.3, &e);
        double waited = mono() - t0;
        char msg[700];
        int n = snprintf(msg, sizeof msg, "%d %d %.2f %s", l != NULL, e.code, waited, e.msg);
        if (write(pfd[1], msg, (size_t)n) != n)
            _exit(2);
        _exit(0);
    }
    close(pfd[1]);
    char got[700] = "";
    ssize_t gn = read(pfd[0], got, sizeof got - 1);
    got[gn > 0 ? gn : 0] = '\0';
    close(pfd[0]);
    waitpid(child, NULL, 0);
    int took = -1, code = 0;
    double waited = 0;
    char rest[600] = "";
    sscanf(got, "%d %d %lf %599[^\n]", &took, &code, &waited, rest);
    CHECK_INT_EQ(took, 0);
    CHECK_INT_EQ(code, CX_EOUT);
    CHECK(waited >= 0.25 && waited < 5);
    char want[64];
    snprintf(want, sizeof want, "(process %ld)", (long)getpid());
    CHECK(strstr(rest, "is being written by another incimap run") != NULL);
    CHECK(strstr(rest, want) != NULL);

    cx_lock_release(a);
    CHECK(!exists(lockf)); /* removed on release */

    /* released: another process takes it at once */
    child = fork();
    if (child == 0) {
        cx_err e;
        cx_err_clear(&e);
        cx_lock *l = cx_lock_take(out, 0, &e);
        _exit(l ? 0 : 1);
    }
    int st = 0;
    waitpid(child, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* an unwritable place: an output error naming the output */
    cx_err_clear(&err);
    CHECK(cx_lock_take("/proc/incimap-no/out", 0, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EOUT);
    CHECK_STR_EQ(err.source, "/proc/incimap-no/out");

    /* ===== cleanup ===== */
    char tree[300], sub[400], f1[500];
    snprintf(tree, sizeof tree, "%s/tree", dir);
    snprintf(sub, sizeof sub, "%s/a", tree);
    snprintf(f1, sizeof f1, "%s/f", sub);
    CHECK(mkdir(tree, 0700) == 0 && mkdir(sub, 0700) == 0);
    touch(f1);
    CHECK_INT_EQ(cx_cleanup_rm(tree), 0);
    CHECK(!exists(tree));
    CHECK_INT_EQ(cx_cleanup_rm(tree), 0); /* missing is fine */

    /* leftovers: only a dead process's */
    char dead[300], alive[300], other[300];
    long dp = dead_pid();
    snprintf(dead, sizeof dead, "%s/x.tmp-%ld-abcdef", dir, dp);
    snprintf(alive, sizeof alive, "%s/x.tmp-%ld-abcdef", dir, (long)getpid());
    snprintf(other, sizeof other, "%s/x.tmpl-%ld-abcdef", dir, dp);
    CHECK(mkdir(dead, 0700) == 0);
    touch(alive);
    touch(other);
    CHECK_INT_EQ(cx_cleanup_stale(dir, "x.tmp-", '-', NULL, NULL), 1);
    CHECK(!exists(dead));
    CHECK(exists(alive));
    CHECK(exists(other));
    unlink(alive);
    unlink(other);

    /* a fatal signal removes the registered paths, then ends the process */
    char reg[300];
    snprintf(reg, sizeof reg, "%s/stage", dir);
    child = fork();
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        cx_cleanup_install();
        if (mkdir(reg, 0700) != 0)
            _exit(3);
        snprintf(f1, sizeof f1, "%s/layer.geojson", reg);
        touch(f1);
        cx_cleanup_add(reg);
        raise(SIGTERM);
        _exit(4);
    }
    st = 0;
    waitpid(child, &st, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    CHECK(!exists(reg));

    /* a forgotten path is left alone */
    CHECK(mkdir(reg, 0700) == 0);
    int slot = cx_cleanup_add(reg);
    CHECK(slot >= 0);
    cx_cleanup_forget(slot);
    rmdir(reg);
    rmdir(dir);
    CHECK_DONE();
}
