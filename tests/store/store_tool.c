/* store_tool.c -- a small driver of the store API for the kill and
 * concurrency tests (the scripts in tests/store/), usable before the CLI is wired.
 *
 *   store_tool write DB FIRST COUNT [PER_DOC]  add documents wFIRST.. with
 *        PER_DOC synthetic reports each; prints "committed ID" (flushed)
 *        after each commit
 *   store_tool has DB < IDS    every id read (one per line) is stored with
 *        the content `write` gives it; prints the missing ones
 *   store_tool check DB        sto_check, then "documents D reports R incidents I"
 *   store_tool stats DB        "incidents N min_sources A max_sources B"
 * Exit status: 0 ok, 1 failure (message on stderr), 2 usage. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void doc_of(long i, char *id, size_t idsize, char *text, size_t tsize, rd_doc *d)
{
    snprintf(id, idsize, "w%06ld", i);
    snprintf(text, tsize, "synthetic article number %ld", i);
    memset(d, 0, sizeof *d);
    d->id = id;
    d->text = text;
    d->text_len = strlen(text);
    snprintf(d->source, sizeof d->source, "store_tool");
}

static int cmd_write(const char *db, long first, long count, int per_doc)
{
    cx_err err = {0};
    sto_store *st = sto_open(db, STO_OPEN_CREATE, &err);
    if (!st) {
        fprintf(stderr, "store_tool: %s\n", err.msg);
        return 1;
    }
    ext_incident *reps = calloc((size_t)per_doc + 1, sizeof *reps);
    int rc = 0;
    for (long i = first; i < first + count && rc == 0; i++) {
        char id[32], text[64];
        rd_doc d;
        doc_of(i, id, sizeof id, text, sizeof text, &d);
        for (int k = 0; k < per_doc; k++) {
            ext_incident *r = &reps[k];
            ext_incident_init(r);
            long place = (i * 7 + k) % 37;
            r->type = (int)((i + k) % 3);
            int day = (int)(1 + (i + 3 * k) % 23);
            snprintf(r->date, sizeof r->date, "2020-10-%02u", (unsigned)day % 32u);
            r->date_prec = EXT_PREC_DAY;
            snprintf(r->place_id, sizeof r->place_id, "geonames:%ld", 1000 + place);
            snprintf(r->place, sizeof r->place, "Place %ld", place);
            r->lon = 45.0 + 0.05 * (double)place;
            r->lat = 39.5 + 0.01 * (double)(place % 5);
            r->geo_prec = 1;
            r->fatalities = (int)((i + k) % 4) - 1;
            r->confidence = 0.5;
            snprintf(r->actor1, sizeof r->actor1, "%s", i % 2 ? "AZ" : "AM");
            r->evidence = malloc(64);
            if (r->evidence)
                snprintf(r->evidence, 64, "sentence %d of %s", k, id);
        }
        int added = sto_add_doc(st, &d, reps, (size_t)per_doc, &err);
        for (int k = 0; k < per_doc; k++)
            ext_incident_clear(&reps[k]);
        if (added < 0) {
            fprintf(stderr, "store_tool: %s\n", err.msg);
            rc = 1;
        } else {
            printf("%s %s\n", added == STO_DOC_NEW ? "committed" : "known", id);
            fflush(stdout);
        }
    }
    free(reps);
    sto_close(st);
    return rc;
}

static int cmd_has(const char *db)
{
    cx_err err = {0};
    sto_store *st = sto_open(db, STO_OPEN_READONLY, &err);
    if (!st) {
        fprintf(stderr, "store_tool: %s\n", err.msg);
        return 1;
    }
    char line[128];
    long missing = 0, seen = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        char *end = NULL;
        long i = strtol(line + 1, &end, 10);
        if (line[0] != 'w' || *end) {
            fprintf(stderr, "store_tool: bad id '%s'\n", line);
            missing++;
            continue;
        }
        char id[32], text[64];
        rd_doc d;
        doc_of(i, id, sizeof id, text, sizeof text, &d);
        int state = sto_has_doc(st, &d, &err);
        seen++;
        if (state != STO_DOC_KNOWN) {
            printf("missing %s\n", id);
            missing++;
        }
    }
    sto_close(st);
    if (missing)
        fprintf(stderr, "store_tool: %ld of %ld documents missing\n", missing, seen);
    return missing ? 1 : 0;
}

typedef struct stats {
    long n, min, max;
} stats;

static int on_incident(void *ctx, const ext_incident *inc, cx_err *err)
{
    (void)err;
    stats *s = ctx;
    if (s->n == 0 || inc->n_sources < s->min)
        s->min = inc->n_sources;
    if (inc->n_sources > s->max)
        s->max = inc->n_sources;
    s->n++;
    return 0;
}

static int cmd_check(const char *db, bool want_stats)
{
    cx_err err = {0};
    sto_store *st = sto_open(db, STO_OPEN_READONLY, &err);
    sto_counts c = {0};
    stats s = {0, 0, 0};
    int rc = 1;
    if (!st)
        goto done;
    if (want_stats) {
        if (sto_export(st, NULL, on_incident, &s, NULL, &err))
            goto done;
        printf("incidents %ld min_sources %ld max_sources %ld\n", s.n, s.min, s.max);
    } else {
        if (sto_check(st, &err) || sto_count(st, &c, &err))
            goto done;
        printf("documents %ld reports %ld incidents %ld\n", c.documents, c.reports,
               c.incidents);
    }
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "store_tool: %s\n", err.msg);
    sto_close(st);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && !strcmp(argv[1], "write")) {
        char *e1, *e2, *e3 = NULL;
        long first = strtol(argv[3], &e1, 10), count = strtol(argv[4], &e2, 10);
        long per = argc > 5 ? strtol(argv[5], &e3, 10) : 5;
        if (!*e1 && !*e2 && (!e3 || !*e3) && first >= 0 && count >= 0 && per >= 0 && per < 1000)
            return cmd_write(argv[2], first, count, (int)per);
    } else if (argc == 3 && !strcmp(argv[1], "has")) {
        return cmd_has(argv[2]);
    } else if (argc == 3 && !strcmp(argv[1], "check")) {
        return cmd_check(argv[2], false);
    } else if (argc == 3 && !strcmp(argv[1], "stats")) {
        return cmd_check(argv[2], true);
    }
    fprintf(stderr, "usage: store_tool write DB FIRST COUNT [PER_DOC] | has DB | check DB | "
                    "stats DB\n");
    return 2;
}
