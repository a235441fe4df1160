/* walk.h -- turn the INPUT arguments (files, folders, "-") into the sorted
 * list of files to read. Folders are walked recursively in byte order of the
 * names, keeping only the files the readers take (rd_reader_wanted: .txt
 * .json .jsonl .ndjson .html .htm .rss .atom .xml .warc, compressed .gz .bz2
 * .xz .zst, archives .zip .tar .tgz ...); a folder is
 * never read twice: its (device, inode) is remembered, so a symbolic-link
 * loop is detected, reported and not followed. Files named explicitly are
 * kept whatever their extension. */
#ifndef CLI_WALK_H
#define CLI_WALK_H

#include <stddef.h>

#include "msgs.h"

typedef struct cli_inputs {
    char **paths; /* owned; in reading order */
    size_t n, cap;
    size_t n_failed;  /* inputs that could not be opened or listed (reported) */
    size_t n_skipped; /* files skipped for their extension (noted with -v) */
    size_t n_loops;   /* folders not followed again (reported as warnings) */
} cli_inputs;

/** Expand `args[0..n)` into `out` (zeroed by the caller). Unreadable inputs
 *  are reported through `m` as errors and counted in out->n_failed; loops as
 *  warnings. Returns 0, or CX_ENOMEM. Ownership: free with cli_inputs_free(). */
int cli_inputs_collect(char *const *args, size_t n, cli_inputs *out, cli_msgs *m);

/** True when `path`'s extension is one incimap reads inside folders. */
int cli_input_wanted(const char *path);

/** Free what `in` owns and zero it. NULL-safe. */
void cli_inputs_free(cli_inputs *in);

#endif
