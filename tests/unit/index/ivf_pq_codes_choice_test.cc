// IVF-PQ's choice between codes of residuals and codes of the vectors themselves
// (index/ivf_pq_index.h): residuals where the lists explain the data (points around
// well-separated centres), vectors where they barely do (unit vectors spread evenly over
// the sphere, whose residuals against unit centroids vary in length far more than the
// vectors); either way recall holds, a saved index scores as it did, and codes of
// vectors carry no norm sub-codes.

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/index_file.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::BuildIndex;
using testing::GaussianVectors;

// The scalar section `name` of `index` saved.
int64_t SavedScalar(const Index& index, const std::string& name) {
  auto bytes = vqsearch::Serialize(index);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  auto reader = internal::IndexFileReader::FromBytes(*bytes);
  EXPECT_TRUE(reader.ok()) << reader.status();
  auto value = reader->Int64Scalar(name);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.value_or(-1);
}

// `rows` points around 40 centres.
std::vector<float> Clustered(int dim, int rows = 6000) {
  const std::vector<float> centres = GaussianVectors(40, dim, 3);
  std::vector<float> data = GaussianVectors(rows, dim, 4);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < dim; ++j) data[i * dim + j] += 4 * centres[(i % 40) * dim + j];
  }
  return data;
}

struct ChoiceCase {
  const char* name;
  Metric metric;
  bool clustered;
  bool expect_vectors;
};

class IvfPqCodesChoiceTest : public ::testing::TestWithParam<ChoiceCase> {};

TEST_P(IvfPqCodesChoiceTest, ChoosesByTheShapeOfTheDataAndKeepsItWhenSaved) {
  const ChoiceCase& c = GetParam();
  const int dim = 32;
  const std::vector<float> data = c.clustered ? Clustered(dim) : GaussianVectors(6000, dim, 4);
  const std::vector<float> queries = GaussianVectors(50, dim, 9);
  for (const char* spec : {"IVF32,PQ16x4fs", "IVF32,PQ8"}) {
    auto index = BuildIndex(spec, c.metric, data, dim, {}, 1);
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(SavedScalar(*index, "ivfpq.codes_of_vectors"), c.expect_vectors ? 1 : 0) << spec;
    if (c.expect_vectors) {
      EXPECT_EQ(SavedScalar(*index, "ivfpq.norm_subcodes"), 0) << spec;
    }
    auto flat = BuildIndex("Flat", c.metric, data, dim);
    SearchParams params;
    params.nprobe = 32;  // every list: recall measures the codes alone
    SearchResults got, expected;
    ASSERT_TRUE(index->Search(MatrixView(queries, dim), 10, params, &got).ok());
    ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &expected).ok());
    // 2 or 4 dimensions a sub-space: 0.44-0.56 measured across these cases.
    EXPECT_GE(testing::IdRecall(got, expected), 0.35) << spec;
    auto copy = testing::SerializedCopy(*index);
    ASSERT_NE(copy, nullptr);
    testing::ExpectSameSearch(*index, *copy, queries, dim, 10, params);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, IvfPqCodesChoiceTest,
    ::testing::Values(ChoiceCase{"clustered_l2", Metric::kL2, true, false},
                      ChoiceCase{"clustered_cosine", Metric::kCosine, true, false},
                      ChoiceCase{"spread_cosine", Metric::kCosine, false, true}),
    [](const ::testing::TestParamInfo<ChoiceCase>& info) { return std::string(info.param.name); });

// With 256 lists for 40 blobs the residuals are far smaller than the vectors, so their
// codes need a table of each probed list's own; with ~23 codes a list (6000 points) that
// table costs ~11 times the scan and the codes of vectors, one table a query, are kept;
// with ~94 codes a list (24000 points) the residuals' 9-fold smaller noise pays for it.
TEST(IvfPqCodesChoiceTest, PerListTablesArePaidForByLessNoise) {
  const int dim = 32;
  for (const auto& [rows, expect_vectors] : {std::pair{6000, true}, std::pair{24000, false}}) {
    const std::vector<float> data = Clustered(dim, rows);
    auto index = BuildIndex("IVF256,PQ16x4fs", Metric::kL2, data, dim, {}, 1);
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(SavedScalar(*index, "ivfpq.codes_of_vectors"), expect_vectors ? 1 : 0) << rows;
    if (!expect_vectors) {
      // Residual codes at this kappa store no norm terms: every list has its own table.
      EXPECT_EQ(SavedScalar(*index, "ivfpq.norm_subcodes"), 0) << rows;
    }
  }
}

}  // namespace
}  // namespace vqsearch
