// FUZZ_CHECK: the fuzz targets' assertion. A broken invariant prints what broke and
// aborts, which libFuzzer (and the regression runner's exit status) reports as a
// finding, the same way as a sanitizer report.

#ifndef VQSEARCH_TESTS_FUZZ_FUZZ_CHECK_H_
#define VQSEARCH_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, ...)                                                  \
  do {                                                                              \
    if (!(condition)) {                                                             \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, __LINE__,    \
                   #condition);                                                     \
      std::fprintf(stderr, __VA_ARGS__);                                            \
      std::fprintf(stderr, "\n");                                                   \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

#endif  // VQSEARCH_TESTS_FUZZ_FUZZ_CHECK_H_
