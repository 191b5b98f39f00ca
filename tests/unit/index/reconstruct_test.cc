// Reconstruct against the vectors that were added: every metric, sequential and user
// ids, after removals and a save/load round trip; and the errors it promises.

#include "vqsearch/reconstruct.h"

#include <cmath>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::GaussianVectors;

constexpr int kDim = 12;
constexpr int64_t kCount = 300;

std::vector<float> Row(const std::vector<float>& data, int64_t row) {
  return std::vector<float>(data.begin() + row * kDim, data.begin() + (row + 1) * kDim);
}

std::vector<float> Normalized(std::vector<float> v) {
  double norm = 0;
  for (float x : v) norm += double{x} * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

TEST(ReconstructTest, FlatGivesBackTheAddedRowsByUserId) {
  const std::vector<float> data = GaussianVectors(kCount, kDim, 7);
  std::vector<int64_t> ids(kCount);
  for (int64_t i = 0; i < kCount; ++i) ids[i] = 1000 + 3 * i;
  auto index = Index::Create("Flat", kDim, Metric::kL2);
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data.data(), kCount, kDim), ids).ok());
  // Removing rows moves the later ones in storage; their ids must still find them.
  ASSERT_TRUE((*index)->Remove({ids[0], ids[5]}).ok());
  const std::vector<int64_t> wanted = {ids[299], ids[6], ids[1]};
  std::vector<float> out(wanted.size() * kDim);
  ASSERT_TRUE(Reconstruct(**index, wanted, out.data()).ok());
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + kDim), Row(data, 299));
  EXPECT_EQ(std::vector<float>(out.begin() + kDim, out.begin() + 2 * kDim), Row(data, 6));
  EXPECT_EQ(std::vector<float>(out.begin() + 2 * kDim, out.end()), Row(data, 1));

  const absl::Status removed = Reconstruct(**index, {ids[5]}, out.data());
  EXPECT_EQ(removed.code(), absl::StatusCode::kNotFound) << removed;
  EXPECT_NE(removed.message().find("1015"), std::string::npos) << removed;
}

TEST(ReconstructTest, SurvivesSaveAndLoadWithSequentialIds) {
  const std::vector<float> data = GaussianVectors(kCount, kDim, 8);
  auto index = Index::Create("Flat", kDim, Metric::kInnerProduct);
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data.data(), kCount, kDim)).ok());
  auto bytes = vqsearch::Serialize(*(*index));
  ASSERT_TRUE(bytes.ok());
  auto loaded = vqsearch::Deserialize(*bytes);
  ASSERT_TRUE(loaded.ok());
  std::vector<float> out(kDim);
  ASSERT_TRUE(Reconstruct(**loaded, {42}, out.data()).ok());
  EXPECT_EQ(out, Row(data, 42));
}

TEST(ReconstructTest, CosineGivesTheUnitVector) {
  const std::vector<float> data = GaussianVectors(kCount, kDim, 9);
  auto index = Index::Create("Flat", kDim, Metric::kCosine);
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data.data(), kCount, kDim)).ok());
  std::vector<float> out(kDim);
  ASSERT_TRUE(Reconstruct(**index, {17}, out.data()).ok());
  const std::vector<float> expected = Normalized(Row(data, 17));
  for (int j = 0; j < kDim; ++j) EXPECT_NEAR(out[j], expected[j], 1e-6f);
}

TEST(ReconstructTest, LossyIndexesAreUnimplemented) {
  const std::vector<float> data = GaussianVectors(kCount, kDim, 10);
  for (const char* spec : {"IVF4,Flat", "SQ8", "IVF4,PQ3,Refine(Flat)"}) {
    auto index = Index::Create(spec, kDim, Metric::kL2);
    ASSERT_TRUE(index.ok()) << spec;
    ASSERT_TRUE((*index)->Train(MatrixView(data.data(), kCount, kDim)).ok());
    ASSERT_TRUE((*index)->Add(MatrixView(data.data(), kCount, kDim)).ok());
    std::vector<float> out(kDim);
    const absl::Status status = Reconstruct(**index, {0}, out.data());
    EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented) << spec << ": " << status;
    EXPECT_NE(status.message().find("does not keep its vectors"), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace vqsearch
