// Deterministic synthetic data for tests: gaussian vectors from a fixed seed.

#ifndef VQSEARCH_TESTS_TESTING_RANDOM_DATA_H_
#define VQSEARCH_TESTS_TESTING_RANDOM_DATA_H_

#include <cstdint>
#include <random>
#include <vector>

namespace vqsearch::testing {

// rows x dim standard normal floats.
inline std::vector<float> GaussianVectors(int64_t rows, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(static_cast<size_t>(rows) * dim);
  for (float& v : values) v = normal(rng);
  return values;
}

}  // namespace vqsearch::testing

#endif  // VQSEARCH_TESTS_TESTING_RANDOM_DATA_H_
