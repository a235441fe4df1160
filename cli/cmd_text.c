/* cmd_text.c -- `incimap text`: the documents as incimap reads them, one JSON
 * object a line (id, url, title, published, lang, text), through the same
 * readers (read/) as extract, so what it shows is what extract reads. For an
 * analyst checking a site, and for the article-extraction benchmark. */
#include "commands.h"
#include "exitcodes.h"
#include "msgs.h"
#include "read.h"
#include "walk.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void print_help(FILE *f)
{
    fputs("NAME\n"
          "    incimap text - print the documents as incimap reads them\n"
          "\n"
          "SYNOPSIS\n"
          "    incimap text INPUT... [-o FILE] [--html main|whole] [--encoding NAME]\n"
          "                 [-q] [-v]\n"
          "\n"
          "DESCRIPTION\n"
          "    Reads INPUT (files, folders, archives, feeds, WARC, \"-\" for standard\n"
          "    input) with extract's readers and writes one JSON object a line:\n"
          "    {\"id\", \"url\", \"outlet\", \"title\", \"published\", \"lang\", \"text\"}.\n"
          "    url, outlet, title, published and lang are null when the document\n"
          "    does not give them.\n"
          "\n"
          "OPTIONS\n"
          "    -o, --output FILE   write to FILE (default: standard output; an existing\n"
          "                        FILE is replaced)\n"
          "    --html main|whole   HTML pages: the article (default) or every text node;\n"
          "                        text and JSON text: furniture lines of the head and\n"
          "                        tail dropped (default) or every line kept\n"
          "    --encoding NAME     encoding of every input (as extract's --encoding)\n"
          "    -q, --quiet         no warnings\n"
          "    -v, --verbose       more notes\n"
          "\n"
          "EXIT STATUS\n"
          "    0  every document read\n"
          "    1  some documents could not be read (reported); the others were written\n"
          "    2  usage error\n"
          "    3  no input could be read\n"
          "    5  the output could not be written\n"
          "    6  out of memory\n"
          "\n"
          "EXAMPLES\n"
          "    incimap text saved-page.html\n"
          "    incimap text crawl.warc.gz -o texts.jsonl\n",
          f);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* One document as a JSON line on `f`. Returns 0 or CX_ENOMEM / CX_EOUT. */
static int write_doc(FILE *f, const rd_doc *d)
{
    json_t *o = json_object();
    if (!o)
        return CX_ENOMEM;
    int rc = 0;
    if (json_object_set_new(o, "id", json_string(d->id ? d->id : "")) ||
        json_object_set_new(o, "url", str_or_null(d->url)) ||
        json_object_set_new(o, "outlet", str_or_null(d->outlet)) ||
        json_object_set_new(o, "title", str_or_null(d->title)) ||
        json_object_set_new(o, "published", str_or_null(d->published)) ||
        json_object_set_new(o, "lang", str_or_null(d->lang)) ||
        json_object_set_new(o, "text", json_stringn(d->text ? d->text : "", d->text_len)))
        rc = CX_ENOMEM;
    if (rc == 0) {
        char *s = json_dumps(o, JSON_COMPACT);
        if (!s)
            rc = CX_ENOMEM;
        else if (fputs(s, f) == EOF || fputc('\n', f) == EOF)
            rc = CX_EOUT;
        free(s);
    }
    json_decref(o);
    return rc;
}

int cli_cmd_text(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'}, {"html", required_argument, NULL, 'H'},
        {"encoding", required_argument, NULL, 'E'}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL, *html = NULL, *enc = NULL;
    int verbosity = 0;
    cli_msgs msgs;
    cli_msgs_init(&msgs, "incimap", 0);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:qvh", longs, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'H':
            if (strcmp(optarg, "main") != 0 && strcmp(optarg, "whole") != 0) {
                cli_usagef(&msgs, "text", "--html: '%s' is not main or whole", optarg);
                return CLI_EXIT_USAGE;
            }
            html = optarg;
            break;
        case 'E':
            if (!rd_encoding_known(optarg)) {
                cli_usagef(&msgs, "text", "--encoding: '%s' is not an encoding iconv knows",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            enc = optarg;
            break;
        case 'q': verbosity = -1; break;
        case 'v': verbosity = verbosity < 0 ? 1 : verbosity + 1; break;
        case 'h': print_help(stdout); return CLI_EXIT_OK;
        case ':':
            cli_usagef(&msgs, "text", "option '%s' needs an argument", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            cli_usagef(&msgs, "text", "unknown option '%s'", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    cli_msgs_init(&msgs, "incimap", verbosity);
    if (optind >= argc) {
        cli_usagef(&msgs, "text", "no INPUT given");
        return CLI_EXIT_USAGE;
    }
    cli_inputs in = {0};
    if (cli_inputs_collect(argv + optind, (size_t)(argc - optind), &in, &msgs) != 0) {
        cli_errorf(&msgs, NULL, 0, "out of memory");
        cli_inputs_free(&in);
        return CLI_EXIT_NOMEM;
    }
    if (in.n == 0) {
        cli_inputs_free(&in);
        return CLI_EXIT_INPUT;
    }
    FILE *f = stdout;
    if (out && strcmp(out, "-") != 0 && !(f = fopen(out, "w"))) {
        cli_errorf(&msgs, out, 0, "cannot write: %s", strerror(errno));
        cli_inputs_free(&in);
        return CLI_EXIT_OUTPUT;
    }
    size_t n_ok = 0, n_bad = in.n_failed;
    int fatal = 0;
    for (size_t i = 0; i < in.n && !fatal; i++) {
        cx_err err;
        cx_err_clear(&err);
        rd_reader *r = rd_reader_open(in.paths[i], &err);
        if (r && enc)
            rd_reader_set_encoding(r, enc, &err);
        if (r && html)
            rd_reader_set_html(r, html, &err);
        if (!r) {
            cli_report(&msgs, &err);
            n_bad++;
            fatal = err.code == CX_ENOMEM ? CX_ENOMEM : 0;
            continue;
        }
        rd_doc doc = {0};
        for (;;) {
            cx_err_clear(&err);
            int rc = rd_reader_next(r, &doc, &err);
            if (rc == 0)
                break;
            if (rc < 0) {
                cli_report(&msgs, &err);
                n_bad++;
                if (rc == CX_ENOMEM)
                    fatal = rc;
                if (rc == CX_ENOMEM || rc == CX_EIO)
                    break;
                continue;
            }
            if ((rc = write_doc(f, &doc)) != 0) {
                fatal = rc;
                break;
            }
            n_ok++;
        }
        rd_doc_clear(&doc);
        rd_reader_close(r);
    }
    cli_inputs_free(&in);
    bool wfail = fatal == CX_EOUT || ferror(f);
    if (f != stdout) {
        if (fclose(f) != 0)
            wfail = true;
    } else if (fflush(f) != 0) {
        wfail = true;
    }
    if (wfail) {
        cli_errorf(&msgs, out ? out : "-", 0, "write failed: %s", strerror(errno));
        return CLI_EXIT_OUTPUT;
    }
    if (fatal == CX_ENOMEM) {
        cli_errorf(&msgs, NULL, 0, "out of memory");
        return CLI_EXIT_NOMEM;
    }
    cli_notef(&msgs, 1, "text: %zu documents written, %zu failed", n_ok, n_bad);
    if (n_bad)
        return n_ok ? CLI_EXIT_PARTIAL : CLI_EXIT_INPUT;
    return CLI_EXIT_OK;
}
