// Builds an index for a test: create from a spec, train and add `data` (with `ids` when
// given), with gtest expectations on every step.

#ifndef VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_
#define VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "vqsearch/index.h"

namespace vqsearch::testing {

inline std::unique_ptr<Index> BuildIndex(const std::string& spec, Metric metric,
                                         const std::vector<float>& data, int dim,
                                         absl::Span<const int64_t> ids = {}) {
  auto index = Index::Create(spec, dim, metric);
  EXPECT_TRUE(index.ok()) << index.status();
  if (!index.ok()) return nullptr;
  EXPECT_TRUE((*index)->Train(MatrixView(data, dim)).ok());
  EXPECT_TRUE((*index)->Add(MatrixView(data, dim), ids).ok());
  return std::move(*index);
}

}  // namespace vqsearch::testing

#endif  // VQSEARCH_TESTS_TESTING_BUILD_INDEX_H_
