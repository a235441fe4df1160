/* out_fs.c -- file-system helpers of output/: see out_fs.h. The commit
 * functions implement "rename old aside, rename new in, delete old", with a
 * rollback so that a failed commit leaves the previous output in place. */
#include "out_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outp_join(char *buf, size_t size, const char *dir, const char *name, cx_err *err)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return cx_err_set(err, CX_EINVAL, dir, 0, "path too long");
    return 0;
}

bool outp_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool outp_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int outp_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : CX_EIO;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 ? 0 : CX_EIO;
    int rc = 0;
    DIR *d = opendir(path);
    if (!d)
        return CX_EIO;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[4096];
        if (outp_join(sub, sizeof sub, path, e->d_name, NULL) != 0 || outp_rm_rf(sub) != 0)
            rc = CX_EIO;
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = CX_EIO;
    return rc;
}

int outp_copy_file(const char *src, const char *dst, cx_err *err)
{
    int rc = CX_EIO, in = -1, out = -1;
    char buf[65536];
    if ((in = open(src, O_RDONLY)) < 0) {
        cx_err_set(err, CX_EIO, src, 0, "cannot open: %s", strerror(errno));
        goto done;
    }
    if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0) {
        cx_err_set(err, CX_EIO, dst, 0, "cannot create: %s", strerror(errno));
        goto done;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0) {
            cx_err_set(err, CX_EIO, src, 0, "read error: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0) {
                cx_err_set(err, CX_EIO, dst, 0, "write error: %s", strerror(errno));
                goto done;
            }
            off += w;
        }
    }
    rc = 0;
done:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = cx_err_set(err, CX_EIO, dst, 0, "close error: %s", strerror(errno));
    return rc;
}

/* ===== Commit ===== */

typedef struct move {
    char name[256];
    bool aside; /* an old file was moved to .old */
    bool moved; /* the new file is in place */
} move;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const move *)a)->name, ((const move *)b)->name);
}

int outp_commit_dir(const char *stage, const char *final_dir, cx_err *err)
{
    int rc = CX_EOUT;
    move *mv = NULL;
    size_t n = 0, cap = 0;
    bool made_dir = false;
    char old_dir[4096], from[4096], to[4096], aside[4096];
    DIR *d = NULL;

    if (outp_join(old_dir, sizeof old_dir, stage, ".old", err) != 0)
        return CX_EOUT;
    if (!(d = opendir(stage))) {
        cx_err_set(err, CX_EOUT, stage, 0, "cannot read the staging folder: %s",
                   strerror(errno));
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof mv->name)
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            move *p = realloc(mv, nc * sizeof *p);
            if (!p) {
                cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
                goto done;
            }
            mv = p;
            cap = nc;
        }
        memset(&mv[n], 0, sizeof mv[n]);
        memcpy(mv[n].name, e->d_name, strlen(e->d_name) + 1);
        n++;
    }
    if (n)
        qsort(mv, n, sizeof *mv, cmp_names);
    if (!outp_is_dir(final_dir)) {
        if (mkdir(final_dir, 0777) != 0) {
            cx_err_set(err, CX_EOUT, final_dir, 0, "cannot create the output folder: %s",
                       strerror(errno));
            goto done;
        }
        made_dir = true;
    }
    if (mkdir(old_dir, 0777) != 0 && errno != EEXIST) {
        cx_err_set(err, CX_EOUT, old_dir, 0, "cannot create: %s", strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (outp_join(from, sizeof from, stage, mv[i].name, err) ||
            outp_join(to, sizeof to, final_dir, mv[i].name, err) ||
            outp_join(aside, sizeof aside, old_dir, mv[i].name, err))
            goto done;
        if (outp_exists(to)) {
            if (rename(to, aside) != 0) {
                cx_err_set(err, CX_EOUT, to, 0, "cannot move the old file aside: %s",
                           strerror(errno));
                goto done;
            }
            mv[i].aside = true;
        }
        if (rename(from, to) != 0) {
            cx_err_set(err, CX_EOUT, to, 0, "cannot move the new file in place: %s",
                       strerror(errno));
            goto done;
        }
        mv[i].moved = true;
    }
    rc = 0;
done:
    if (rc != 0) { /* undo in reverse order */
        for (size_t i = n; i-- > 0;) {
            if (outp_join(from, sizeof from, stage, mv[i].name, NULL) ||
                outp_join(to, sizeof to, final_dir, mv[i].name, NULL) ||
                outp_join(aside, sizeof aside, old_dir, mv[i].name, NULL))
                continue;
            if (mv[i].moved)
                (void)rename(to, from);
            if (mv[i].aside)
                (void)rename(aside, to);
        }
        if (made_dir)
            (void)rmdir(final_dir);
    }
    if (d)
        closedir(d);
    free(mv);
    return rc;
}

int outp_commit_file(const char *staged, const char *final_path, const char *aside,
                     cx_err *err)
{
    bool moved_aside = false;
    if (outp_exists(final_path)) {
        if (rename(final_path, aside) != 0)
            return cx_err_set(err, CX_EOUT, final_path, 0,
                              "cannot move the old file aside: %s", strerror(errno));
        moved_aside = true;
    }
    if (rename(staged, final_path) != 0) {
        int e = errno;
        if (moved_aside)
            (void)rename(aside, final_path);
        return cx_err_set(err, CX_EOUT, final_path, 0, "cannot move the new file in place: %s",
                          strerror(e));
    }
    if (moved_aside)
        (void)unlink(aside);
    return 0;
}

size_t outp_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    /* back up over continuation bytes (10xxxxxx) to a character start */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* ===== One-step folder commit ===== */

#include <sys/syscall.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* renameat2(RENAME_EXCHANGE) by its system call: the glibc wrapper needs
 * _GNU_SOURCE. -1 with errno ENOSYS where the kernel lacks it. */
static int exchange_paths(const char *a, const char *b)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* A SQLite database (by its header) or one of its side files (by name):
 * another program may hold it, so a copy of it would not be the file. */
static bool is_sqlite_file(const char *path, const char *name)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
        size_t k = strlen(sides[i]);
        if (n > k && !strcmp(name + n - k, sides[i]))
            return true;
    }
    char head[16] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    return got == (ssize_t)sizeof head && !memcmp(head, "SQLite format 3", 16);
}

/* Give the stage the files of the old folder it lacks. Returns 0, 1 when the
 * old folder holds something that cannot be carried over (a sub-folder:
 * the caller falls back), or CX_EOUT. */
static int carry_over(const char *stage, const char *final_dir, cx_err *err)
{
    DIR *d = opendir(final_dir);
    if (!d)
        return cx_err_set(err, CX_EOUT, final_dir, 0, "cannot read the output folder: %s",
                          strerror(errno));
    int rc = 0;
    struct dirent *e;
    char from[4096], to[4096];
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (outp_join(from, sizeof from, final_dir, e->d_name, err) ||
            outp_join(to, sizeof to, stage, e->d_name, err)) {
            rc = CX_EOUT;
            break;
        }
        if (outp_exists(to))
            continue; /* replaced by the new output */
        struct stat st;
        if (lstat(from, &st) != 0)
            continue; /* gone meanwhile */
        if (S_ISDIR(st.st_mode)) {
            rc = 1;
            break;
        }
        if (link(from, to) == 0)
            continue;
        if (S_ISREG(st.st_mode) && is_sqlite_file(from, e->d_name)) {
            rc = 1; /* a database or its -wal/-shm/-journal: never copied, left in place */
            break;
        }
        if (S_ISREG(st.st_mode)) {
            if (outp_copy_file(from, to, err) != 0)
                rc = CX_EOUT;
        } else {
            rc = 1; /* a link or a special file: keep it where it is */
        }
    }
    closedir(d);
    return rc;
}

int outp_commit_dir_atomic(const char *stage, const char *final_dir, bool *swapped, cx_err *err)
{
    struct stat st;
    *swapped = false;
    mode_t um = umask(0);
    umask(um);
    if (lstat(final_dir, &st) != 0) {
        if (errno != ENOENT)
            return cx_err_set(err, CX_EOUT, final_dir, 0, "cannot look at the output: %s",
                              strerror(errno));
        /* mkdtemp made the stage 0700: give it the mode mkdir would */
        (void)chmod(stage, 0777 & ~um);
        if (rename(stage, final_dir) == 0) {
            *swapped = true;
            return 0;
        }
        return cx_err_set(err, CX_EOUT, final_dir, 0, "cannot move the new folder in place: %s",
                          strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return outp_commit_dir(stage, final_dir, err);
    int rc = carry_over(stage, final_dir, err);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return outp_commit_dir(stage, final_dir, err);
    (void)chmod(stage, st.st_mode & 07777);
    if (exchange_paths(stage, final_dir) == 0) {
        *swapped = true;
        return 0;
    }
    if (errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
        return outp_commit_dir(stage, final_dir, err); /* the carried-over links are skipped */
    return cx_err_set(err, CX_EOUT, final_dir, 0, "cannot swap the new folder in: %s",
                      strerror(errno));
}

/* ===== Databases held by other programs ===== */

/* Is there a POSIX lock of another process on [start, start+len) of `path`? */
static bool locked_range(const char *path, off_t start, off_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    bool held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

bool outp_db_in_use(const char *path, char *why, size_t why_size)
{
    char side[4200];
    struct stat st;
    char tmp[8];
    if (!why) {
        why = tmp;
        why_size = sizeof tmp;
    }
    /* SQLite's lock bytes: PENDING, RESERVED and the SHARED range at 1 GiB */
    if (locked_range(path, 0x40000000, 512)) {
        snprintf(why, why_size, "another program holds a lock on it");
        return true;
    }
    snprintf(side, sizeof side, "%s-shm", path);
    if (stat(side, &st) == 0 && locked_range(side, 120, 16)) {
        snprintf(why, why_size, "another program has it open (%s is in use)", side);
        return true;
    }
    snprintf(side, sizeof side, "%s-wal", path);
    if (stat(side, &st) == 0 && st.st_size > 0) {
        snprintf(why, why_size, "%s holds changes not yet in the file", side);
        return true;
    }
    snprintf(side, sizeof side, "%s-journal", path);
    if (stat(side, &st) == 0 && st.st_size > 0) {
        snprintf(why, why_size, "%s holds an unfinished transaction", side);
        return true;
    }
    return false;
}
