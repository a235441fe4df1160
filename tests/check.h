/* check.h -- a tiny test harness: CHECK(cond), CHECK_INT_EQ, CHECK_STR_EQ,
 * each reporting __FILE__:__LINE__, and CHECK_DONE() for the exit status. */
#ifndef CX_CHECK_H
#define CX_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures_ = 0;
static int check_count_ = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count_++;                                                                \
        if (!(cond)) {                                                                 \
            check_failures_++;                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                              \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                             \
    do {                                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);                            \
        check_count_++;                                                                \
        if (a_ != b_) {                                                                \
            check_failures_++;                                                         \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
                    a_, b_);                                                           \
        }                                                                              \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                             \
    do {                                                                               \
        const char *a_ = (a), *b_ = (b);                                               \
        check_count_++;                                                                \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                       \
            check_failures_++;                                                         \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
                    #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                       \
        }                                                                              \
    } while (0)

#define CHECK_DONE()                                                                   \
    do {                                                                               \
        printf("%d checks, %d failed\n", check_count_, check_failures_);               \
        return check_failures_ ? 1 : 0;                                                \
    } while (0)

#endif
