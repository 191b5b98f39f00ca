// k-means: planted clusters are recovered, the objective never rises, empty clusters are
// repaired, results do not depend on the thread count, and bad options are errors.

#include "vqsearch/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

// `clusters` gaussian blobs (sigma 1) around centres 40 apart in random directions;
// returns the points and each point's blob.
std::vector<float> PlantedClusters(int clusters, int per_cluster, int dim, std::vector<int>* truth) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> centres = testing::GaussianVectors(clusters, dim, 12);
  for (int c = 0; c < clusters; ++c) {
    double norm = 0;
    for (int j = 0; j < dim; ++j) norm += centres[c * dim + j] * centres[c * dim + j];
    for (int j = 0; j < dim; ++j) centres[c * dim + j] *= static_cast<float>(40.0 / std::sqrt(norm));
  }
  std::vector<float> points;
  truth->clear();
  for (int i = 0; i < per_cluster; ++i) {
    for (int c = 0; c < clusters; ++c) {
      for (int j = 0; j < dim; ++j) points.push_back(centres[c * dim + j] + normal(rng));
      truth->push_back(c);
    }
  }
  return points;
}

TEST(KMeansTest, RecoversPlantedClustersExactly) {
  const int dim = 32, clusters = 16;
  std::vector<int> truth;
  const std::vector<float> points = PlantedClusters(clusters, 100, dim, &truth);
  KMeansOptions options;
  options.num_clusters = clusters;
  options.init = KMeansInit::kKMeansPlusPlus;
  auto result = KMeans(MatrixView(points, dim), options);
  ASSERT_TRUE(result.ok()) << result.status();
  auto labels = AssignToCentroids(MatrixView(points, dim), result->centroids_view(), false, 1);
  ASSERT_TRUE(labels.ok());
  // The partition must equal the planted one up to renaming the clusters.
  std::vector<int> blob_of_label(clusters, -1);
  for (size_t i = 0; i < truth.size(); ++i) {
    int& blob = blob_of_label[(*labels)[i]];
    if (blob == -1) blob = truth[i];
    ASSERT_EQ(blob, truth[i]) << "point " << i;
  }
  EXPECT_EQ(std::set<int>(blob_of_label.begin(), blob_of_label.end()).size(), 16u);
}

TEST(KMeansTest, ObjectiveNeverIncreases) {
  const int dim = 16;
  const std::vector<float> points = testing::GaussianVectors(5000, dim, 13);
  for (bool spherical : {false, true}) {
    for (KMeansInit init : {KMeansInit::kRandom, KMeansInit::kKMeansPlusPlus}) {
      KMeansOptions options;
      options.num_clusters = 50;
      options.max_iterations = 30;
      options.tolerance = 0;
      options.spherical = spherical;
      options.init = init;
      auto result = KMeans(MatrixView(points, dim), options);
      ASSERT_TRUE(result.ok()) << result.status();
      const auto& history = result->objective_history;
      ASSERT_EQ(history.size(), 30u);
      for (size_t i = 1; i < history.size(); ++i) {
        EXPECT_LE(history[i], history[i - 1] * (1 + 1e-6)) << "iteration " << i;
      }
      EXPECT_LT(history.back(), history.front());
      if (spherical) {
        for (int c = 0; c < 50; ++c) {
          double norm = 0;
          for (int j = 0; j < dim; ++j) norm += std::pow(result->centroids[c * dim + j], 2);
          EXPECT_NEAR(norm, 1.0, 1e-5);
        }
      }
    }
  }
}

// The labels are the last assignment's; on planted clusters nothing moves in the final
// update, so they equal an exact assignment to the returned centroids. Sampled runs name
// the rows they kept and label those.
TEST(KMeansTest, LabelsAreTheTrainingPointsClusters) {
  const int dim = 8, clusters = 12;
  std::vector<int> truth;
  const std::vector<float> points = PlantedClusters(clusters, 50, dim, &truth);
  const MatrixView view(points, dim);
  for (int cap : {0, 20}) {
    SCOPED_TRACE(::testing::Message() << "max_points_per_centroid " << cap);
    KMeansOptions options;
    options.num_clusters = clusters;
    options.init = KMeansInit::kKMeansPlusPlus;
    options.max_points_per_centroid = cap;
    auto result = KMeans(view, options);
    ASSERT_TRUE(result.ok()) << result.status();
    std::vector<float> trained;
    if (cap == 0) {
      EXPECT_TRUE(result->sample_rows.empty());
      trained = points;
    } else {
      ASSERT_EQ(result->sample_rows.size(), static_cast<size_t>(cap * clusters));
      EXPECT_TRUE(std::is_sorted(result->sample_rows.begin(), result->sample_rows.end()));
      EXPECT_EQ(std::set<int64_t>(result->sample_rows.begin(), result->sample_rows.end()).size(),
                result->sample_rows.size());
      for (int64_t row : result->sample_rows) {
        trained.insert(trained.end(), view.row(row), view.row(row) + dim);
      }
    }
    auto exact = AssignToCentroids(MatrixView(trained, dim), result->centroids_view(), false, 1);
    ASSERT_TRUE(exact.ok()) << exact.status();
    EXPECT_EQ(result->labels, *exact);
  }
}

// A run continued from another's centroids is the longer run, and a wrong number of
// starting values is an error naming the shapes.
TEST(KMeansTest, InitialCentroidsContinueARun) {
  const int dim = 8, clusters = 12;
  std::vector<int> truth;
  const std::vector<float> points = PlantedClusters(clusters, 50, dim, &truth);
  const MatrixView view(points, dim);
  KMeansOptions options;
  options.num_clusters = clusters;
  options.tolerance = 0;
  options.max_iterations = 6;
  auto whole = KMeans(view, options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  options.max_iterations = 3;
  auto first = KMeans(view, options);
  ASSERT_TRUE(first.ok()) << first.status();
  options.initial_centroids = first->centroids;
  auto second = KMeans(view, options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->centroids, whole->centroids);

  options.initial_centroids.pop_back();
  auto wrong = KMeans(view, options);
  ASSERT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("initial_centroids"), std::string::npos);
}

TEST(KMeansTest, NoEmptyClusterSurvives) {
  const int dim = 8;
  // Half the points are one repeated vector: random initialization then picks several
  // identical centroids, all but one of which receive no points.
  std::vector<float> points = testing::GaussianVectors(1000, dim, 14);
  for (int i = 0; i < 500; ++i) std::fill_n(points.begin() + i * dim, dim, 3.0f);
  KMeansOptions options;
  options.num_clusters = 40;
  options.max_iterations = 20;
  options.tolerance = 0;
  auto result = KMeans(MatrixView(points, dim), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->empty_cluster_splits, 0);
  // The returned centroids are the update after the last assignment; none may be empty.
  auto labels = AssignToCentroids(MatrixView(points, dim), result->centroids_view(), false, 1);
  ASSERT_TRUE(labels.ok());
  std::vector<int> counts(40, 0);
  for (int64_t label : *labels) ++counts[label];
  // Identical points can only fill one cluster, so splits of that cluster may stay
  // empty; every cluster seeded from the distinct half must be used.
  int empty = 0;
  for (int count : counts) empty += count == 0;
  EXPECT_LE(empty, 1);
}

TEST(KMeansTest, SameResultForOneAndTwoThreads) {
  const int dim = 24;
  const std::vector<float> points = testing::GaussianVectors(20000, dim, 15);
  KMeansOptions options;
  options.num_clusters = 64;
  options.max_iterations = 8;
  options.max_points_per_centroid = 100;  // exercises sampling too
  options.build.num_threads = 1;
  auto one = KMeans(MatrixView(points, dim), options);
  options.build.num_threads = 2;
  auto two = KMeans(MatrixView(points, dim), options);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(one->centroids, two->centroids);
  EXPECT_EQ(one->objective_history, two->objective_history);
  options.seed = 99;
  auto other_seed = KMeans(MatrixView(points, dim), options);
  EXPECT_NE(one->centroids, other_seed->centroids);
}

TEST(KMeansTest, ProgressIsReportedAndCanCancel) {
  const int dim = 4;
  const std::vector<float> points = testing::GaussianVectors(500, dim, 16);
  KMeansOptions options;
  options.num_clusters = 5;
  options.max_iterations = 6;
  options.tolerance = 0;
  std::vector<int64_t> seen;
  options.build.progress = [&](const Progress& p) {
    EXPECT_EQ(p.stage, "kmeans");
    EXPECT_EQ(p.total, 6);
    EXPECT_FALSE(std::isnan(p.objective));
    seen.push_back(p.done);
    return true;
  };
  ASSERT_TRUE(KMeans(MatrixView(points, dim), options).ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  options.build.progress = [](const Progress& p) { return p.done < 2; };
  EXPECT_EQ(KMeans(MatrixView(points, dim), options).status().code(), absl::StatusCode::kCancelled);
}

TEST(KMeansTest, BadParametersAreErrors) {
  const int dim = 4;
  std::vector<float> points = testing::GaussianVectors(10, dim, 17);
  KMeansOptions options;
  for (int k : {0, -1, 11}) {
    options.num_clusters = k;
    auto result = KMeans(MatrixView(points, dim), options);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << k;
  }
  options.num_clusters = 3;
  options.max_iterations = 0;
  EXPECT_FALSE(KMeans(MatrixView(points, dim), options).ok());
  options.max_iterations = 5;
  points[7] = std::numeric_limits<float>::quiet_NaN();
  auto nan = KMeans(MatrixView(points, dim), options);
  EXPECT_EQ(nan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(nan.status().message().find("finite"), std::string::npos);
}

// Finite points whose squared distances overflow float (|x| near 2e19) used to leave
// every point unlabelled and corrupt the heap; they are refused, naming the row, from
// k-means and from the index trainings that run it. Points just inside the limit
// cluster normally.
TEST(KMeansTest, PointsWhoseSquaredDistancesOverflowAreRefused) {
  std::vector<float> points = {2e19f, -2e19f, 0.0f, 1.0f};
  KMeansOptions options;
  options.num_clusters = 2;
  const auto result = KMeans(MatrixView(points, 1), options);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("k-means points row 0 has squared norm"),
            std::string::npos)
      << result.status();
  for (const char* spec : {"IVF2,Flat", "IVF1,PQ1"}) {
    auto index = Index::Create(spec, 1, Metric::kL2);
    ASSERT_TRUE(index.ok());
    const absl::Status trained = (*index)->Train(MatrixView(points, 1));
    EXPECT_EQ(trained.code(), absl::StatusCode::kInvalidArgument) << spec;
    EXPECT_NE(trained.message().find("would overflow float"), std::string::npos) << trained;
  }

  points = {2e18f, -2e18f, 0.0f, 1.0f, 2.1e18f, -1.9e18f};
  const auto near_limit = KMeans(MatrixView(points, 1), options);
  ASSERT_TRUE(near_limit.ok()) << near_limit.status();
  const auto labels = AssignToCentroids(MatrixView(points, 1), near_limit->centroids_view(),
                                        false, 1);
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ((*labels)[0], (*labels)[4]);  // the two large positive points together
  EXPECT_EQ((*labels)[1], (*labels)[5]);
  EXPECT_NE((*labels)[0], (*labels)[1]);
}

}  // namespace
}  // namespace vqsearch
