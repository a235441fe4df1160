/* exitcodes.h -- incimap's exit statuses. Their meaning never changes. */
#ifndef CLI_EXITCODES_H
#define CLI_EXITCODES_H

enum {
    CLI_EXIT_OK = 0,         /* success */
    CLI_EXIT_PARTIAL = 1,    /* some documents failed; the output was still written */
    CLI_EXIT_USAGE = 2,      /* bad command line */
    CLI_EXIT_INPUT = 3,      /* input unreadable (no document could be read) */
    CLI_EXIT_GAZETTEER = 4,  /* gazetteer missing, unreadable or of the wrong schema */
    CLI_EXIT_OUTPUT = 5,     /* output could not be written or closed */
    CLI_EXIT_NOMEM = 6       /* out of memory */
};

#endif
