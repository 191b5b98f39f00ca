// Search parameters: what each index takes (search_params), that an assigned parameter an
// index does not take is an error naming it and listing the ones it takes, that a default
// left alone is no error, ranges, and the padding rule's row_size.

#include "vqsearch/search_params.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::BuildIndex;
using testing::GaussianVectors;

constexpr int kDim = 8;

std::vector<std::string> NamesOf(const Index& index) {
  std::vector<std::string> names;
  for (const SearchParamInfo& param : index.search_params()) names.emplace_back(param.name);
  return names;
}

absl::Status SearchWith(const Index& index, const SearchParams& params) {
  const std::vector<float> query = GaussianVectors(1, kDim, 4);
  SearchResults results;
  return index.Search(MatrixView(query, kDim), 5, params, &results);
}

TEST(SettingTest, RemembersAssignmentAndResets) {
  Setting<int> nprobe = 16;
  EXPECT_FALSE(nprobe.assigned());
  EXPECT_EQ(nprobe, 16);
  nprobe = 16;  // the default, but chosen
  EXPECT_TRUE(nprobe.assigned());
  nprobe = 3;
  EXPECT_EQ(nprobe.value(), 3);
  nprobe.Reset();
  EXPECT_FALSE(nprobe.assigned());
  EXPECT_EQ(nprobe, 16);
}

TEST(SearchParamsTest, EachIndexListsWhatItTakes) {
  const std::vector<float> data = GaussianVectors(400, kDim, 1);
  EXPECT_THAT(NamesOf(*BuildIndex("Flat", Metric::kL2, data, kDim, {}, 1)),
              ElementsAre("num_threads"));
  EXPECT_THAT(NamesOf(*BuildIndex("IVF4,Flat", Metric::kL2, data, kDim, {}, 1)),
              ElementsAre("num_threads", "nprobe"));
  EXPECT_THAT(NamesOf(*BuildIndex("IVF4,PQ4,Refine(Flat)", Metric::kL2, data, kDim, {}, 1)),
              ElementsAre("num_threads", "nprobe", "refine_factor"));
  EXPECT_THAT(NamesOf(*BuildIndex("Flat,Refine(SQ8)", Metric::kL2, data, kDim, {}, 1)),
              ElementsAre("num_threads", "refine_factor"));
  const auto ivf = BuildIndex("IVF4,SQ8", Metric::kL2, data, kDim, {}, 1);
  const SearchParamInfo nprobe = ivf->search_params()[1];
  EXPECT_EQ(nprobe.default_value, SearchParams().nprobe);
  EXPECT_EQ(nprobe.min_value, 1);
}

TEST(SearchParamsTest, AnAssignedParameterTheIndexDoesNotTakeIsAnError) {
  const std::vector<float> data = GaussianVectors(400, kDim, 1);
  const auto flat = BuildIndex("Flat", Metric::kL2, data, kDim, {}, 1);
  const auto ivf = BuildIndex("IVF4,Flat", Metric::kL2, data, kDim, {}, 1);
  SearchParams nprobe;
  nprobe.nprobe = 16;  // assigned, even though it equals the default
  const absl::Status on_flat = SearchWith(*flat, nprobe);
  EXPECT_EQ(on_flat.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(on_flat.message(), HasSubstr("nprobe does not apply to index \"Flat\""));
  EXPECT_THAT(on_flat.message(), HasSubstr("takes num_threads"));
  EXPECT_TRUE(SearchWith(*ivf, nprobe).ok());

  SearchParams refine;
  ASSERT_TRUE(SetSearchParam("refine_factor", 3, &refine).ok());
  const absl::Status on_ivf = SearchWith(*ivf, refine);
  EXPECT_EQ(on_ivf.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(on_ivf.message(), HasSubstr("refine_factor does not apply to index \"IVF4,Flat\""));
  EXPECT_THAT(on_ivf.message(), HasSubstr("takes num_threads, nprobe"));
  // Defaults left alone apply to nothing in particular: every index accepts them.
  EXPECT_TRUE(SearchWith(*flat, SearchParams()).ok());
}

TEST(SearchParamsTest, RefineTakesItsBaseParametersAndItsOwn) {
  const std::vector<float> data = GaussianVectors(400, kDim, 1);
  const auto refine = BuildIndex("IVF4,PQ4,Refine(Flat)", Metric::kL2, data, kDim, {}, 1);
  SearchParams params;
  params.nprobe = 2;
  params.refine_factor = 3;
  params.num_threads = 1;
  EXPECT_TRUE(SearchWith(*refine, params).ok());
  const auto flat_refine = BuildIndex("Flat,Refine(Flat)", Metric::kL2, data, kDim, {}, 1);
  const absl::Status status = SearchWith(*flat_refine, params);
  EXPECT_THAT(status.message(), HasSubstr("nprobe does not apply"));
}

TEST(SearchParamsTest, AssignedValuesOutsideTheRangeAreErrors) {
  const std::vector<float> data = GaussianVectors(400, kDim, 1);
  const auto ivf = BuildIndex("IVF4,Flat", Metric::kL2, data, kDim, {}, 1);
  SearchParams params;
  params.nprobe = 0;
  const absl::Status status = SearchWith(*ivf, params);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("nprobe must be in [1, inf], got 0"));
  EXPECT_FALSE(SetSearchParam("nprobe", 0, &params).ok());
  EXPECT_THAT(SetSearchParam("nlist", 4, &params).message(), HasSubstr("unknown search parameter"));
}

TEST(SearchResultsTest, RowSizeCountsTheResultsBeforeThePadding) {
  const std::vector<float> data = GaussianVectors(3, kDim, 1);
  const auto flat = BuildIndex("Flat", Metric::kL2, data, kDim, {}, 1);
  const std::vector<float> queries = GaussianVectors(2, kDim, 4);
  SearchResults results;
  ASSERT_TRUE(flat->Search(MatrixView(queries, kDim), 5, SearchParams(), &results).ok());
  for (int64_t q = 0; q < 2; ++q) {
    EXPECT_EQ(results.row_size(q), 3);
    EXPECT_EQ(results.ids_row(q)[3], -1);
    EXPECT_EQ(results.ids_row(q)[4], -1);
  }
}

}  // namespace
}  // namespace vqsearch
