/* commands.h -- one entry point per subcommand; main.c dispatches.
 * Each returns an exit status from exitcodes.h. argv[0] is the subcommand
 * name ("extract", "gazetteer", ...). */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

int cli_cmd_extract(int argc, char **argv);   /* cmd_extract.c  (issue 3/4) */
int cli_cmd_gazetteer(int argc, char **argv); /* cmd_gazetteer.c (issue 2) */
int cli_cmd_export(int argc, char **argv);    /* cmd_export.c   (issue 5) */
int cli_cmd_map(int argc, char **argv);       /* cmd_map.c      (issue 7) */
int cli_cmd_watch(int argc, char **argv);     /* cmd_watch.c    (issue 12) */
int cli_cmd_text(int argc, char **argv);      /* cmd_text.c     (issue 17) */
int cli_cmd_serve(int argc, char **argv);     /* cmd_serve.c    (issue 21) */

/** Whether `path` names an HTML page (.html, .htm): map -o FILE.html. */
int cli_map_is_html(const char *path);

/** `incimap map` to an offline HTML page (cmd_serve.c): the store `db`
 *  (review applied) or the layer `input` (incidents.geojson, or an extract
 *  OUT folder holding one). Returns an exit status. */
int cli_map_html(const char *db, const char *input, const char *output, const char *title);

/** Check an extract command line (argv[0] "extract") as a run would, without
 *  running it: 0, or CLI_EXIT_USAGE after reporting. For watch, which passes
 *  extract's options on. Nothing is opened; argv is only read. */
int cli_extract_check_args(int argc, char **argv);

#endif
