// The inner product of two float vectors summed in double: the reference the tests of
// rotations and quantizers compare float results with.

#ifndef VQSEARCH_TESTS_TESTING_DOUBLE_DOT_H_
#define VQSEARCH_TESTS_TESTING_DOUBLE_DOT_H_

namespace vqsearch::testing {

inline double DoubleDot(const float* a, const float* b, int n) {
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += double{a[i]} * b[i];
  return sum;
}

}  // namespace vqsearch::testing

#endif  // VQSEARCH_TESTS_TESTING_DOUBLE_DOT_H_
