/* out_fs.h -- file-system helpers private to output/ (prefix outp_): paths,
 * existence, recursive removal, copies and the staged-rename protocol that
 * makes output replacement all-or-nothing. POSIX only. */
#ifndef OUT_FS_H
#define OUT_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

/** "dir/name" into buf. Returns 0, or CX_EINVAL (with `err`) when too long. */
int outp_join(char *buf, size_t size, const char *dir, const char *name, cx_err *err);

/** True when `path` exists (any type). */
bool outp_exists(const char *path);

/** True when `path` is a directory. */
bool outp_is_dir(const char *path);

/** Remove `path` and, if a directory, everything below it. Missing is fine.
 *  Returns 0 or CX_EIO. */
int outp_rm_rf(const char *path);

/** Copy the regular file `src` to `dst` (created, must not exist).
 *  Returns 0 or CX_EIO with `err` set. */
int outp_copy_file(const char *src, const char *dst, cx_err *err);

/** Move each file of the staging directory `stage` (regular files only, not
 *  recursing) to `final_dir`/<same name>; `only` (may be NULL) restricts to one
 *  file name, moved to `final_path` instead. Existing targets are renamed
 *  aside into `stage`/.old first and deleted once every move succeeded; on any
 *  failure the moves are undone and the old files put back. `final_dir` is
 *  created when missing. Returns 0 or CX_EOUT with `err` set. */
int outp_commit_dir(const char *stage, const char *final_dir, cx_err *err);

/** Commit the staging folder `stage` as the folder `final_dir` in one step:
 *  a missing `final_dir` is the stage renamed; an existing one gets the files
 *  of the old folder that the stage lacks (hard links, else copies) and is
 *  swapped with the stage by renameat2(RENAME_EXCHANGE), so a reader sees
 *  the old set or the new set, never a mix; `stage` then holds the old folder
 *  (the caller removes it). Where the kernel or file system has no
 *  RENAME_EXCHANGE (ENOSYS, EINVAL), or `final_dir` is a symbolic link or
 *  holds sub-folders, falls back to outp_commit_dir(). *swapped (OUT) says
 *  whether the one-step path was taken. Returns 0 or CX_EOUT with `err`. */
int outp_commit_dir_atomic(const char *stage, const char *final_dir, bool *swapped,
                           cx_err *err);

/** True when the SQLite database `path` is open in another process or has
 *  state beside it that a rename would orphan: a non-empty `-wal`, a
 *  `-journal`, or a POSIX lock on its lock bytes or its `-shm`. `why`
 *  (may be NULL) gets the reason. */
bool outp_db_in_use(const char *path, char *why, size_t why_size);

/** Same protocol for one file: move `staged` to `final_path`, keeping the
 *  old one aside in `aside` until the move succeeded. */
int outp_commit_file(const char *staged, const char *final_path, const char *aside,
                     cx_err *err);

/** Cut a UTF-8 string to at most `max` bytes without splitting a character.
 *  Returns the new length (<= len). */
size_t outp_utf8_cut(const char *s, size_t len, size_t max);

#endif
