/* test_relay.c -- cli_relay (cli/pool.c): the items reach the consumer in
 * the order they were handed over, each is dropped once, and a failure of
 * the consumer comes back to the producer with its error, the items after
 * it dropped unconsumed. */
#include "check.h"
#include "pool.h"

#include <stdlib.h>
#include <string.h>

typedef struct sink {
    int seen[2000];
    int n;
    int fail_at; /* -1: never */
} sink;

static int dropped; /* touched by the relay thread only, read after finish */

static int take(void *ctx, void *item, cx_err *err)
{
    sink *s = ctx;
    int v = *(int *)item;
    if (v == s->fail_at)
        return cx_err_set(err, CX_EOUT, "out.geojson", 0, "disk full at %d", v);
    s->seen[s->n++] = v;
    return 0;
}

static void drop(void *item)
{
    dropped++;
    free(item);
}

static int *item(int v)
{
    int *p = malloc(sizeof *p);
    if (p)
        *p = v;
    return p;
}

static void test_order(size_t depth)
{
    sink s = {.fail_at = -1};
    dropped = 0;
    cli_relay *r = cli_relay_new(depth, take, drop, &s);
    CHECK(r != NULL);
    if (!r)
        return;
    cx_err err;
    cx_err_clear(&err);
    for (int i = 0; i < 2000; i++)
        CHECK_INT_EQ(cli_relay_put(r, item(i), &err), 0);
    CHECK_INT_EQ(cli_relay_finish(r, &err), 0);
    cli_relay_free(r);
    CHECK_INT_EQ(s.n, 2000);
    CHECK_INT_EQ(dropped, 2000);
    int in_order = 0;
    for (int i = 0; i < s.n; i++)
        in_order += s.seen[i] == i;
    CHECK_INT_EQ(in_order, 2000);
}

static void test_failure(void)
{
    sink s = {.fail_at = 10};
    dropped = 0;
    cli_relay *r = cli_relay_new(4, take, drop, &s);
    CHECK(r != NULL);
    if (!r)
        return;
    cx_err err;
    cx_err_clear(&err);
    int puts = 0, rc = 0;
    for (int i = 0; i < 1000 && rc == 0; i++) {
        rc = cli_relay_put(r, item(i), &err);
        puts++;
    }
    CHECK_INT_EQ(rc, CX_EOUT); /* the producer hears of it and stops */
    CHECK(strstr(err.msg, "disk full at 10") != NULL);
    cx_err_clear(&err);
    CHECK_INT_EQ(cli_relay_finish(r, &err), CX_EOUT);
    CHECK(strstr(err.msg, "disk full at 10") != NULL);
    cli_relay_free(r);
    CHECK_INT_EQ(s.n, 10); /* nothing after the failure is consumed */
    CHECK_INT_EQ(dropped, puts); /* every item freed once */
}

static void test_free_unfinished(void)
{
    sink s = {.fail_at = -1};
    dropped = 0;
    cli_relay *r = cli_relay_new(0, take, drop, &s);
    CHECK(r != NULL);
    if (!r)
        return;
    for (int i = 0; i < 100; i++)
        cli_relay_put(r, item(i), NULL);
    cli_relay_free(r); /* finishes first */
    CHECK_INT_EQ(s.n, 100);
    CHECK_INT_EQ(dropped, 100);
    cli_relay_free(NULL);
}

int main(void)
{
    test_order(1);
    test_order(0);
    test_failure();
    test_free_unfinished();
    CHECK_DONE();
}
