// InnerProducts and InnerProductsStrided against sums in double: one row of queries (the
// sgemv path) and several (sgemm), with a stride, alpha and beta; and that vqsearch calls
// run OpenBLAS single-threaded, then restore the caller's thread count.

#include "linalg/gemm.h"

#include <cmath>
#include <limits>
#include <vector>

#include <cblas.h>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {
namespace {

using testing::GaussianVectors;

TEST(GemmTest, InnerProductsStridedMatchDoublePrecisionForOneRowAndForSeveral) {
  constexpr int kDim = 37, kStride = 40, kRows = 23;
  constexpr float kAlpha = -2.0f, kBeta = 0.5f;
  const std::vector<float> b = GaussianVectors(kRows, kStride, 2);
  const std::vector<float> a = GaussianVectors(5, kDim, 3);
  for (const int64_t a_rows : {int64_t{1}, int64_t{5}}) {
    const int64_t ldo = kRows + 3;
    std::vector<float> out(a_rows * ldo, 1.5f);
    InnerProductsStrided(MatrixView(a.data(), a_rows, kDim), b.data(), kRows, kStride, kAlpha,
                         kBeta, out.data(), ldo);
    for (int64_t i = 0; i < a_rows; ++i) {
      for (int64_t j = 0; j < kRows; ++j) {
        double dot = 0;
        for (int t = 0; t < kDim; ++t) dot += static_cast<double>(a[i * kDim + t]) * b[j * kStride + t];
        const double expected = kAlpha * dot + kBeta * 1.5;
        EXPECT_NEAR(out[i * ldo + j], expected, 1e-4 * (1 + std::abs(expected)))
            << a_rows << " rows, (" << i << ", " << j << ")";
      }
      for (int64_t j = kRows; j < ldo; ++j) EXPECT_EQ(out[i * ldo + j], 1.5f) << "past the row";
    }
  }
}

// A row of subnormal floats has a norm whose inverse overflows float; the ann_hdf5
// fuzzer found such a row turning into inf and NaN under the cosine metric.
TEST(GemmTest, NormalizeRowsGivesUnitRowsForSubnormalAndLargeValues) {
  const float tiny = std::numeric_limits<float>::denorm_min();
  const float huge = std::numeric_limits<float>::max();
  std::vector<float> rows = {tiny, 0.0f, 3 * tiny, 0.0f,  huge, huge, 0.0f, 0.0f,
                             0.0f, 0.0f, 0.0f,     0.0f,  1.0f, 2.0f, 2.0f, 4.0f};
  NormalizeRows(rows.data(), 4, 4);
  for (int r = 0; r < 4; ++r) {
    double squared_norm = 0;
    for (int j = 0; j < 4; ++j) {
      ASSERT_TRUE(std::isfinite(rows[r * 4 + j])) << "row " << r << " component " << j;
      squared_norm += double{rows[r * 4 + j]} * rows[r * 4 + j];
    }
    if (r == 2) {
      EXPECT_EQ(squared_norm, 0.0);  // the zero row stays zero
    } else {
      EXPECT_NEAR(squared_norm, 1.0, 1e-6) << "row " << r;
    }
  }
  EXPECT_NEAR(rows[2] / rows[0], 3.0, 1e-6);  // the direction is kept
}

TEST(GemmTest, SingleThreadedBlasRestoresTheCallersCountWhenTheLastHolderEnds) {
  openblas_set_num_threads(2);
  {
    const SingleThreadedBlas outer;
    EXPECT_EQ(openblas_get_num_threads(), 1);
    {
      const SingleThreadedBlas inner;  // nested calls (Refine over its base) keep it at 1
      EXPECT_EQ(openblas_get_num_threads(), 1);
    }
    EXPECT_EQ(openblas_get_num_threads(), 1);
  }
  EXPECT_EQ(openblas_get_num_threads(), 2);
}

// Records OpenBLAS's thread count from inside a search (filters are asked during it).
class BlasThreadsProbe : public IdFilter {
 public:
  bool Contains(int64_t) const override {
    seen_ = openblas_get_num_threads();
    return true;
  }
  mutable int seen_ = 0;
};

TEST(GemmTest, SearchRunsBlasSingleThreadedAndLeavesTheCallersCount) {
  openblas_set_num_threads(2);
  const std::vector<float> data = GaussianVectors(100, 8, 1);
  auto index = Index::Create("Flat", 8, Metric::kL2);
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Add(MatrixView(data, 8)).ok());
  BlasThreadsProbe probe;
  SearchParams params;
  params.filter = &probe;
  SearchResults results;
  ASSERT_TRUE((*index)->Search(MatrixView(data, 8), 3, params, &results).ok());
  EXPECT_EQ(probe.seen_, 1);
  EXPECT_EQ(openblas_get_num_threads(), 2);
  openblas_set_num_threads(1);
}

}  // namespace
}  // namespace vqsearch::internal
