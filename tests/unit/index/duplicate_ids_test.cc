// User ids name one stored vector each: an Add that repeats an id, within the call or
// against the stored ones, fails naming the id and changes nothing; a removed id can
// be given again. Every index type applies the rule (Index::Add checks it once).

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;
using testing::GaussianVectors;

class DuplicateIdsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DuplicateIdsTest, RepeatedIdsAreRefusedAndRemovedOnesReusable) {
  const int dim = 8;
  const std::vector<float> data = GaussianVectors(300, dim, 1);
  std::vector<int64_t> ids(300);
  for (int i = 0; i < 300; ++i) ids[i] = 5000 + i;
  auto index = testing::BuildIndex(GetParam(), Metric::kL2, data, dim, ids, 1);
  ASSERT_NE(index, nullptr);
  const std::vector<float> more = GaussianVectors(3, dim, 2);

  const absl::Status twice = index->Add(MatrixView(more, dim), {9000, 9000, 9001});
  EXPECT_EQ(twice.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.message(), HasSubstr("id 9000 is given twice, at positions 0 and 1"));
  const absl::Status stored = index->Add(MatrixView(more, dim), {9000, 5007, 9001});
  EXPECT_EQ(stored.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(stored.message(), HasSubstr("id 5007 (position 1) is already in the index"));
  EXPECT_EQ(index->size(), 300);
  // A loaded index knows its stored ids as well.
  const auto copy = testing::SerializedCopy(*index);
  ASSERT_NE(copy, nullptr);
  EXPECT_THAT(copy->Add(MatrixView(more, dim), {9000, 5299, 9001}).message(),
              HasSubstr("id 5299 (position 1) is already in the index"));
  // Ids above every stored one are new.
  ASSERT_TRUE(copy->Add(MatrixView(more, dim), {9000, 9002, 9001}).ok());

  ASSERT_EQ(*index->Remove({5007}), 1u);
  ASSERT_TRUE(index->Add(MatrixView(more, dim), {9000, 5007, 9001}).ok());
  EXPECT_EQ(index->size(), 302);
  // The re-added 5007 is the new vector: its own nearest neighbour, returned once.
  SearchParams params;
  if (testing::TakesSearchParam(*index, "nprobe")) params.nprobe = 64;
  SearchResults results;
  ASSERT_TRUE(index->Search(MatrixView(more.data() + dim, 1, dim), 5, params, &results).ok());
  EXPECT_EQ(results.ids[0], 5007);
  EXPECT_EQ(std::count(results.ids.begin(), results.ids.end(), 5007), 1);
}

INSTANTIATE_TEST_SUITE_P(EveryIndexType, DuplicateIdsTest,
                         ::testing::Values("Flat", "SQ8", "IVF4,Flat", "IVF4,PQ4", "IVF4,PQ4x4fs",
                                           "IVF4,SQ8", "IVF4,PQ4,Refine(Flat)", "OPQ4,IVF4,PQ4",
                                           "IVF4,RaBitQ4", "IVF4,RaBitQ2fs"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param) name += std::isalnum(c) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace vqsearch
