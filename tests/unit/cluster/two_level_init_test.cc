// The two-level initialization: clusters shared out in proportion to the groups' sizes,
// and a start from which a few Lloyd iterations end at a lower objective than from
// random rows, for any thread count.

#include "cluster/two_level_init.h"

#include <numeric>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/kmeans.h"

namespace vqsearch::internal {
namespace {

void ExpectValidShares(const std::vector<int64_t>& sizes, int k) {
  SCOPED_TRACE(::testing::Message() << "k " << k);
  const std::vector<int> shares = ClustersPerGroup(sizes, k);
  ASSERT_EQ(shares.size(), sizes.size());
  EXPECT_EQ(std::accumulate(shares.begin(), shares.end(), 0), k);
  const double total = std::accumulate(sizes.begin(), sizes.end(), 0.0);
  for (size_t g = 0; g < sizes.size(); ++g) {
    EXPECT_LE(shares[g], sizes[g]) << "group " << g;
    EXPECT_EQ(shares[g] == 0, sizes[g] == 0) << "group " << g;
    // A larger group never gets fewer clusters.
    for (size_t h = 0; h < sizes.size(); ++h) {
      if (sizes[h] > sizes[g]) EXPECT_GE(shares[h], shares[g]) << "groups " << h << ", " << g;
    }
  }
}

TEST(TwoLevelInitTest, ClustersAreSharedByGroupSize) {
  EXPECT_EQ(ClustersPerGroup({30, 10, 0, 20}, 6), (std::vector<int>{3, 1, 0, 2}));
  EXPECT_EQ(ClustersPerGroup({3, 3, 3}, 9), (std::vector<int>{3, 3, 3}));
  EXPECT_EQ(ClustersPerGroup({1000, 1, 1}, 3), (std::vector<int>{1, 1, 1}));
  // A group smaller than its share gives the rest to the others.
  EXPECT_EQ(ClustersPerGroup({2, 100}, 10), (std::vector<int>{1, 9}));
  ExpectValidShares({2, 1, 1000, 7, 0, 55, 3, 3}, 32);
  ExpectValidShares({2, 1, 1000, 7, 0, 55, 3, 3}, 7);
  ExpectValidShares({5, 5, 5, 5, 5, 5, 5}, 30);
  ExpectValidShares({1, 1, 1, 1, 96}, 100);
}

// Many clusters on unstructured data, where a random start is furthest from converged:
// after the same few Lloyd iterations the two-level start ends lower, in both modes, and
// its result is the same on one thread and two.
TEST(TwoLevelInitTest, FewIterationsEndLowerThanFromRandomRows) {
  const int dim = 24;
  const std::vector<float> data = vqsearch::testing::GaussianVectors(20000, dim, 23);
  const MatrixView points(data, dim);
  for (bool spherical : {false, true}) {
    SCOPED_TRACE(::testing::Message() << "spherical " << spherical);
    KMeansOptions options;
    options.num_clusters = 400;
    options.max_iterations = 3;
    options.tolerance = 0;
    options.spherical = spherical;
    auto random = KMeans(points, options);
    options.init = KMeansInit::kTwoLevel;
    options.build.num_threads = 1;
    auto one = KMeans(points, options);
    options.build.num_threads = 2;
    auto two = KMeans(points, options);
    ASSERT_TRUE(random.ok() && one.ok() && two.ok());
    EXPECT_LT(one->objective(), random->objective());
    EXPECT_EQ(one->centroids, two->centroids);
    for (size_t i = 1; i < one->objective_history.size(); ++i) {
      EXPECT_LE(one->objective_history[i], one->objective_history[i - 1] * (1 + 1e-6));
    }
  }
}

}  // namespace
}  // namespace vqsearch::internal
