// Reconstruct against the vectors that were added: every metric, sequential and user
// ids, after removals and a save/load round trip; and the errors it promises.

#include "vqsearch/reconstruct.h"

#include <cmath>
#include <memory>
#include <string>
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

// Trains `spec` on the data, adds it under ids 5000 + 7i, and reconstructs every row.
struct Reconstructed {
  std::unique_ptr<Index> index;
  std::vector<int64_t> ids;
  std::vector<float> rows;
};

Reconstructed TrainAddReconstruct(const char* spec, Metric metric,
                                  const std::vector<float>& data) {
  Reconstructed r;
  const int64_t count = static_cast<int64_t>(data.size()) / kDim;
  auto index = Index::Create(spec, kDim, metric);
  EXPECT_TRUE(index.ok()) << spec << ": " << index.status();
  if (!index.ok()) return r;
  r.index = std::move(*index);
  EXPECT_TRUE(r.index->Train(MatrixView(data.data(), count, kDim)).ok()) << spec;
  for (int64_t i = 0; i < count; ++i) r.ids.push_back(5000 + 7 * i);
  EXPECT_TRUE(r.index->Add(MatrixView(data.data(), count, kDim), r.ids).ok()) << spec;
  r.rows.resize(data.size());
  const absl::Status status = Reconstruct(*r.index, r.ids, r.rows.data());
  EXPECT_TRUE(status.ok()) << spec << ": " << status;
  return r;
}

// Mean ||reconstructed - original||^2 over mean ||original||^2.
double RelativeError(const std::vector<float>& rows, const std::vector<float>& data) {
  double error = 0, norm = 0;
  for (size_t j = 0; j < data.size(); ++j) {
    error += (double{rows[j]} - data[j]) * (double{rows[j]} - data[j]);
    norm += double{data[j]} * data[j];
  }
  return error / norm;
}

constexpr int64_t kLossyCount = 1000;

// Float copies (residual plus centroid for IVF) and fp16 codes, by user id.
TEST(ReconstructTest, NearLosslessCodesGiveBackTheAddedRowsByUserId) {
  const std::vector<float> data = GaussianVectors(kLossyCount, kDim, 10);
  const struct {
    const char* spec;
    float tolerance;
  } cases[] = {{"IVF8,Flat", 1e-5f},   {"IVF8,PQ4,Refine(Flat)", 0.0f},
               {"SQfp16", 4e-3f},      {"IVF8,SQfp16", 4e-3f},
               {"IVF8,PQ4,Refine(SQfp16)", 4e-3f}};
  for (const auto& c : cases) {
    const Reconstructed r = TrainAddReconstruct(c.spec, Metric::kL2, data);
    ASSERT_EQ(r.rows.size(), data.size()) << c.spec;
    for (size_t j = 0; j < data.size(); ++j) {
      ASSERT_NEAR(r.rows[j], data[j], c.tolerance) << c.spec << " at " << j;
    }
  }
}

// Lossy codes: the decoded rows are near the originals (a row given back under the
// wrong id would be off by about twice the norm), and decoding again after a save/load
// round trip gives the same floats.
TEST(ReconstructTest, LossyCodesDecodeNearTheOriginalsAndSurviveSaveLoad) {
  const std::vector<float> data = GaussianVectors(kLossyCount, kDim, 11);
  const struct {
    const char* spec;
    double bound;
  } cases[] = {{"SQ8", 1e-3},         {"SQ4", 0.05},         {"IVF8,SQ8", 1e-3},
               {"IVF8,SQ4", 0.05},    {"IVF8,PQ6", 0.35},    {"IVF8,PQ6x4fs", 0.5},
               {"PQ6", 0.35},         {"IVF8,RQ3x8", 0.5},   {"IVF4,RQ5x4fs_beam2", 0.7},
               {"IVF8,PQ4,Refine(SQ8)", 1e-3}, {"OPQ6,IVF8,PQ6", 0.35},
               {"OPQ4,IVF8,SQ8", 1e-3}, {"IVF8,RaBitQ4", 3e-3},  {"RaBitQ7fs", 1e-4}};
  for (const auto& c : cases) {
    for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
      const Reconstructed r = TrainAddReconstruct(c.spec, metric, data);
      ASSERT_EQ(r.rows.size(), data.size()) << c.spec;
      EXPECT_LT(RelativeError(r.rows, data), c.bound) << c.spec;
      auto bytes = vqsearch::Serialize(*r.index);
      ASSERT_TRUE(bytes.ok()) << c.spec;
      auto loaded = vqsearch::Deserialize(*bytes);
      ASSERT_TRUE(loaded.ok()) << c.spec;
      std::vector<float> again(data.size());
      ASSERT_TRUE(Reconstruct(**loaded, r.ids, again.data()).ok()) << c.spec;
      EXPECT_EQ(again, r.rows) << c.spec;
    }
  }
}

TEST(ReconstructTest, CosineDecodesNearTheUnitVector) {
  const std::vector<float> data = GaussianVectors(kLossyCount, kDim, 12);
  std::vector<float> unit;
  for (int64_t i = 0; i < kLossyCount; ++i) {
    const std::vector<float> row = Normalized(Row(data, i));
    unit.insert(unit.end(), row.begin(), row.end());
  }
  for (const char* spec : {"SQ8", "IVF8,SQ8", "IVF8,PQ6", "IVF8,Flat", "IVF8,RaBitQ2fs16"}) {
    const Reconstructed r = TrainAddReconstruct(spec, Metric::kCosine, data);
    ASSERT_EQ(r.rows.size(), data.size()) << spec;
    EXPECT_LT(RelativeError(r.rows, unit), 0.35) << spec;
  }
}

TEST(ReconstructTest, RemovedAndUnknownIdsAreNotFoundNegativeIdsInvalid) {
  const std::vector<float> data = GaussianVectors(kLossyCount, kDim, 13);
  for (const char* spec :
       {"Flat", "SQ8", "IVF8,PQ6", "IVF8,Flat", "IVF8,PQ4,Refine(SQ8)", "IVF8,RaBitQ3fs"}) {
    Reconstructed r = TrainAddReconstruct(spec, Metric::kL2, data);
    ASSERT_TRUE(r.index != nullptr) << spec;
    ASSERT_TRUE(r.index->Remove({r.ids[3]}).ok()) << spec;
    // The later rows moved on removal; their ids still find their own rows.
    std::vector<float> out(kDim);
    ASSERT_TRUE(Reconstruct(*r.index, {r.ids[4]}, out.data()).ok()) << spec;
    EXPECT_EQ(out, std::vector<float>(r.rows.begin() + 4 * kDim, r.rows.begin() + 5 * kDim))
        << spec;
    for (int64_t id : {r.ids[3], int64_t{4242}}) {
      const absl::Status missing = Reconstruct(*r.index, {r.ids[0], id}, out.data());
      EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << spec << ": " << missing;
      EXPECT_NE(missing.message().find(std::to_string(id)), std::string::npos) << missing;
    }
    const absl::Status negative = Reconstruct(*r.index, {-2}, out.data());
    EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument) << spec << ": " << negative;
  }
}

}  // namespace
}  // namespace vqsearch
