/* A minimal assertion harness for the C tests: failures are counted and reported, main returns non-zero. */
#ifndef ANNSCOPE_TEST_CHECK_H
#define ANNSCOPE_TEST_CHECK_H
#include <stdio.h>

static int check_failures = 0, check_count = 0;
#define CHECK(cond, ...)                                                              \
    do {                                                                              \
        check_count++;                                                                \
        if (!(cond)) {                                                                \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
        }                                                                             \
    } while (0)
#define CHECK_DONE() (printf("%d checks, %d failed\n", check_count, check_failures), check_failures != 0)

/* splitmix64: a seeded, portable source of test data */
static unsigned long long check_rng_state = 0x9E3779B97F4A7C15ULL;
static inline double check_uniform(void)
{
    unsigned long long z = (check_rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}
#endif
