// One k-means iteration at the Fashion-MNIST shape (60000 points, d = 784, k = 1024) in
// GFLOP/s: the assignment step is the product of points and centroids (2 * n * k * d
// operations) and dominates; the update step is O(n * d).
//
// Each timed iteration runs KMeans with max_iterations = 1, which also draws the random
// initial centroids (a copy of k rows, negligible next to the product). The first
// iteration scores every point against every centroid; later ones skip the pairs their
// bounds rule out (src/cluster/bounded_assignment.h), so this is the full-product rate. Random data with
// a fixed seed gives the rate: the work depends only on the shapes.

#include <cblas.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "vqsearch/kmeans.h"

namespace vqsearch {
namespace {

constexpr int kDim = 784;
constexpr int64_t kNumPoints = 60000;

void BM_KMeansIteration(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(0.0f, 255.0f);
  std::vector<float> points(static_cast<size_t>(kNumPoints) * kDim);
  for (float& v : points) v = uniform(rng);
  KMeansOptions options;
  options.num_clusters = k;
  options.max_iterations = 1;
  options.build.num_threads = threads;
  for (auto _ : state) {
    auto result = KMeans(MatrixView(points, kDim), options);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(result->centroids.data());
  }
  const double flops = 2.0 * kNumPoints * k * kDim;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_KMeansIteration)
    ->Args({1024, 1})
    ->Args({1024, 2})
    ->Args({256, 1})
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  const size_t benchmarks_run = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return benchmarks_run > 0 ? 0 : 1;
}
