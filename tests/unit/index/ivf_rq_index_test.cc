// IVF-RQ: with every list probed, search returns the exact nearest of the decoded
// vectors with their exact distances plus the stored norm's error (all metrics; 8-bit
// float tables and fast scan, whose survivors are re-scored in float); the quantized
// norm term is close; recall above a floor on clustered data; persistence; spec errors.

#include "index/ivf_rq_index.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "linalg/gemm.h"
#include "simd/vector_ops.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using testing::GaussianVectors;
using testing::IdRecall;

// Built on one thread: OpenMP's start-up and spinning cost more than these small
// indexes take to build on a loaded machine.
std::unique_ptr<Index> BuildIndex(const std::string& spec, Metric metric,
                                  const std::vector<float>& data, int dim) {
  return testing::BuildIndex(spec, metric, data, dim, {}, /*num_threads=*/1);
}

SearchParams Probing(int nprobe) {
  SearchParams params;
  params.nprobe = nprobe;
  return params;
}

// `rows` vectors around 50 gaussian centres three times as far apart as each cluster's
// spread.
std::vector<float> ClusteredVectors(int64_t rows, int dim) {
  const std::vector<float> centres = GaussianVectors(50, dim, 3);
  std::vector<float> data = GaussianVectors(rows, dim, 4);
  for (int64_t i = 0; i < rows; ++i) {
    for (int j = 0; j < dim; ++j) data[i * dim + j] += 3 * centres[(i % 50) * dim + j];
  }
  return data;
}

struct FullProbeCase {
  const char* spec;
  Metric metric;
};

class IvfRqFullProbeTest : public ::testing::TestWithParam<FullProbeCase> {};

// With every list probed the scan ranks all decoded vectors by their distance plus their
// norm error, exactly: with 8-bit float tables, and with fast scan, whose uint8 tables
// alone would misplace codes by up to 0.25% of a query's score spread (measured before
// survivors were re-scored in float).
TEST_P(IvfRqFullProbeTest, RanksDecodedVectorsByDistancePlusNormError) {
  const auto [spec, metric] = GetParam();
  const int dim = 16, k = 10, rows = 1500, num_queries = 30;
  const std::vector<float> data = GaussianVectors(rows, dim, 1);
  std::vector<float> queries = GaussianVectors(num_queries, dim, 2);
  auto index = BuildIndex(spec, metric, data, dim);
  const auto* rq = dynamic_cast<const internal::IvfRqIndex*>(index.get());
  ASSERT_NE(rq, nullptr);
  std::vector<int64_t> ids;
  std::vector<float> norm_errors;
  const std::vector<float> decoded = rq->Reconstruct(&ids, &norm_errors);
  ASSERT_EQ(ids.size(), static_cast<size_t>(rows));
  SearchResults got;
  ASSERT_TRUE(index->Search(MatrixView(queries, dim), k, Probing(4), &got).ok());
  // Under cosine the index scores normalized queries against normalized vectors, which
  // is what Reconstruct decodes, by L2 (index/codec_metric.h), and reports 1 - L2 / 2.
  const bool cosine = metric == Metric::kCosine;
  if (cosine) internal::NormalizeRows(queries.data(), num_queries, dim);
  const bool l2 = metric != Metric::kInnerProduct;
  for (int q = 0; q < num_queries; ++q) {
    // Brute force over the decoded vectors, in double, as smaller-is-closer scores.
    std::vector<double> by_id(rows), sorted;
    for (int i = 0; i < rows; ++i) {
      double score = 0;
      for (int j = 0; j < dim; ++j) {
        const double x = decoded[i * dim + j], y = queries[q * dim + j];
        score += l2 ? (x - y) * (x - y) : -x * y;
      }
      by_id[ids[i]] = score + norm_errors[i];
    }
    sorted = by_id;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < k; ++i) {
      const double distance = got.distances_row(q)[i];
      const double reported = cosine ? 2 * (1 - distance) : l2 ? distance : -distance;
      // The i-th distance is the i-th exact one, and belongs to the id reported with it.
      const double tolerance = 1e-4 * (1 + std::abs(sorted[i]));
      EXPECT_NEAR(reported, sorted[i], tolerance) << spec << " query " << q << " rank " << i;
      EXPECT_NEAR(reported, by_id[got.ids_row(q)[i]], tolerance)
          << spec << " query " << q << " rank " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    CodesAndMetrics, IvfRqFullProbeTest,
    ::testing::Values(FullProbeCase{"IVF4,RQ3x8_beam2", Metric::kL2},
                      FullProbeCase{"IVF4,RQ3x8_beam2", Metric::kInnerProduct},
                      FullProbeCase{"IVF4,RQ3x8_beam2", Metric::kCosine},
                      FullProbeCase{"IVF4,RQ5x4fs_beam2", Metric::kL2},
                      FullProbeCase{"IVF4,RQ5x4fs_beam2", Metric::kInnerProduct},
                      FullProbeCase{"IVF4,RQ5x4fs_beam2", Metric::kCosine}));

// The 8-bit norm term is within a small part of the terms' range: one 256-level
// quantizer (8-bit codes) or two stages of 16 (fast scan).
TEST(IvfRqIndexTest, QuantizedNormTermIsClose) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(3000, dim, 11);
  for (const char* spec : {"IVF8,RQ4x8", "IVF8,RQ6x4fs"}) {
    auto index = BuildIndex(spec, Metric::kL2, data, dim);
    const auto* rq = dynamic_cast<const internal::IvfRqIndex*>(index.get());
    ASSERT_NE(rq, nullptr);
    std::vector<int64_t> ids;
    std::vector<float> norm_errors;
    const std::vector<float> decoded = rq->Reconstruct(&ids, &norm_errors);
    // The spread of the terms, from the decoded vectors' squared norms: ||c + r||^2 -
    // ||c||^2 is the term, and the centroids vary far less than the vectors here.
    float low = 1e30f, high = -1e30f;
    double mean_error = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      const float norm = internal::SquaredNorm(decoded.data() + i * dim, dim);
      low = std::min(low, norm);
      high = std::max(high, norm);
      mean_error += std::abs(norm_errors[i]) / ids.size();
    }
    EXPECT_LT(mean_error, (high - low) / 256) << spec;
  }
}

TEST(IvfRqIndexTest, RecallAboveFloorOnClusteredData) {
  const int dim = 32;
  const std::vector<float> data = ClusteredVectors(8000, dim);
  const std::vector<float> queries(data.begin(), data.begin() + 200 * dim);
  auto rq = BuildIndex("IVF32,RQ8x8", Metric::kL2, data, dim);
  auto pq = BuildIndex("IVF32,PQ8", Metric::kL2, data, dim);
  auto flat = BuildIndex("Flat", Metric::kL2, data, dim);
  const SearchParams params = Probing(8);
  SearchResults got, pq_got, truth;
  ASSERT_TRUE(rq->Search(MatrixView(queries, dim), 10, params, &got).ok());
  ASSERT_TRUE(pq->Search(MatrixView(queries, dim), 10, params, &pq_got).ok());
  ASSERT_TRUE(flat->Search(MatrixView(queries, dim), 10, {}, &truth).ok());
  const double recall = IdRecall(got, truth), pq_recall = IdRecall(pq_got, truth);
  // At equal code bytes (8) RQ's whole-vector codewords recall more than PQ's sub-space
  // ones: 0.78 against 0.60 measured.
  EXPECT_GE(recall, 0.7);
  EXPECT_GT(recall, pq_recall);
}

TEST(IvfRqIndexTest, SaveLoadRoundTrip) {
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(3000, dim, 5);
  const std::vector<float> queries = GaussianVectors(30, dim, 6);
  for (const std::string spec : {"IVF8,RQ4x8", "IVF8,RQ5x4fs_beam1"}) {
    for (Metric metric : {Metric::kL2, Metric::kInnerProduct}) {
      auto index = BuildIndex(spec, metric, data, dim);
      auto copy = testing::SerializedCopy(*index);
      ASSERT_NE(copy, nullptr) << spec;
      testing::ExpectSameSearch(*index, *copy, queries, dim, 5, Probing(3));
    }
  }
}

TEST(IvfRqIndexTest, WithoutIvfIsOneList) {
  // "RQ<m>x<b>" alone is the IVF index with a single list: the same codes and results.
  const int dim = 16;
  const std::vector<float> data = GaussianVectors(600, dim, 8);
  const std::vector<float> queries = GaussianVectors(20, dim, 9);
  auto flat = BuildIndex("RQ3x8_beam2", Metric::kL2, data, dim);
  auto one_list = BuildIndex("IVF1,RQ3x8_beam2", Metric::kL2, data, dim);
  testing::ExpectSameSearch(*flat, *one_list, queries, dim, 10, {});
}

TEST(IvfRqIndexTest, SpecErrors) {
  for (const char* spec : {"IVF8,RQ4x8", "IVF8,RQ3x4fs", "IVF8,RQ4x8_beam1", "IVF8,RQ2x8_beam256",
                           "RQ4x8", "RQ254x4fs_beam2"}) {
    EXPECT_TRUE(Index::Create(spec, 16, Metric::kL2).ok()) << spec;
  }
  for (const char* spec : {"IVF8,RQ4x6", "IVF8,RQ0x8", "IVF8,RQ4", "IVF8,RQx8", "IVF8,RQ4x",
                           "IVF8,RQ4x8_beam", "IVF8,RQ4x8_beam0", "IVF8,RQ4x8_beam257",
                           "IVF8,RQ4x8_width2", "IVF8,RQ3x4", "IVF8,RQ3x8fs", "RQ255x4fs"}) {
    auto index = Index::Create(spec, 16, Metric::kL2);
    EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
  auto too_wide = Index::Create("IVF8,RQ4x8_beam257", 16, Metric::kL2);
  EXPECT_NE(too_wide.status().message().find("beam width"), std::string::npos) << too_wide.status();
  auto index = *Index::Create("IVF8,RQ4x8", 16, Metric::kL2);
  const std::vector<float> few = GaussianVectors(100, 16, 7);  // < 256 codewords
  auto too_few = index->Train(MatrixView(few, 16));
  EXPECT_EQ(too_few.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(index->is_trained());
}

}  // namespace
}  // namespace vqsearch
