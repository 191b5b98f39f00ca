// Flat search against the machine's BLAS ceiling, in one unit (GFLOP/s) and one run.
//
// Exact L2 search of nq queries over n vectors is, at its core, the product Q * X^T
// (2 * nq * n * d floating-point operations) followed by norms and a top-k pass, so the
// single-core rate of OpenBLAS sgemm on the same shapes bounds what Flat can reach.
// bench/run_flat_vs_sgemm.sh prints the ratio of the two; bench/RESULTS.md records it.
//
// Shapes are Fashion-MNIST's (n = 60000 vectors of d = 784). The data is random with a
// fixed seed: the operation count and the memory traffic depend only on the shapes, and
// float arithmetic takes the same time for any normal value, so real images would give
// the same rate. (The top-k pass does depend on the data, but it is O(nq * n) comparisons
// against the O(nq * n * d) products, a fraction of a percent here.)

#include <cblas.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "vqsearch/index.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch {
namespace {

constexpr int kDim = 784;
constexpr int64_t kNumBase = 60000;
constexpr int kTopK = 10;

std::vector<float> RandomMatrix(int64_t rows, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> values(static_cast<size_t>(rows) * dim);
  for (float& v : values) v = uniform(rng);
  return values;
}

// Reports GFLOP/s for `flops_per_iteration` operations per timed iteration, as a rate
// over wall time (the benchmarks use real time: on a shared machine CPU time would hide
// waiting for the core).
void SetGflopsCounter(benchmark::State& state, double flops_per_iteration) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_iteration * static_cast<double>(state.iterations()) / 1e9,
                         benchmark::Counter::kIsRate);
}

double ProductFlops(int64_t num_queries) {
  return 2.0 * static_cast<double>(num_queries) * static_cast<double>(kNumBase) * kDim;
}

// C = Q * X^T, Q = nq x d, X = n x d, all row-major: the product Flat search is built on.
void BM_Sgemm(benchmark::State& state) {
  const int64_t num_queries = state.range(0);
  const std::vector<float> queries = RandomMatrix(num_queries, kDim, 1);
  const std::vector<float> base = RandomMatrix(kNumBase, kDim, 2);
  std::vector<float> products(static_cast<size_t>(num_queries) * kNumBase);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(num_queries),
                static_cast<int>(kNumBase), kDim, 1.0f, queries.data(), kDim, base.data(), kDim,
                0.0f, products.data(), static_cast<int>(kNumBase));
    benchmark::DoNotOptimize(products.data());
    benchmark::ClobberMemory();
  }
  SetGflopsCounter(state, ProductFlops(num_queries));
}

// The whole Flat search (products, norms, top-k) on one thread, counted with the same
// 2 * nq * n * d operations so its GFLOP/s compares directly with BM_Sgemm's.
void BM_FlatSearch(benchmark::State& state) {
  const int64_t num_queries = state.range(0);
  const std::vector<float> queries = RandomMatrix(num_queries, kDim, 1);
  const std::vector<float> base = RandomMatrix(kNumBase, kDim, 2);
  auto index = Index::Create("Flat", kDim, Metric::kL2);
  if (!index.ok()) {
    state.SkipWithError(std::string(index.status().message()).c_str());
    return;
  }
  if (absl::Status status = (*index)->Add(MatrixView(base, kDim)); !status.ok()) {
    state.SkipWithError(std::string(status.message()).c_str());
    return;
  }
  SearchParams params;
  params.num_threads = 1;
  SearchResults results;
  for (auto _ : state) {
    absl::Status status = (*index)->Search(MatrixView(queries, kDim), kTopK, params, &results);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(results.ids.data());
  }
  SetGflopsCounter(state, ProductFlops(num_queries));
  state.counters["queries/s"] =
      benchmark::Counter(static_cast<double>(num_queries) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

// Each nq = 1000 iteration is ~94 GFLOP (about a second or two on one core), nq = 10000
// ten times that, so fixed small iteration counts keep the whole run to a minute or two.
// The nq = 10000 sgemm output alone is 2.4 GB.
BENCHMARK(BM_Sgemm)->Arg(1000)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sgemm)->Arg(10000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlatSearch)->Arg(1000)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlatSearch)->Arg(10000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  // The comparison is per core: OpenBLAS would otherwise use every core for the sgemm
  // while Flat runs on one thread.
  openblas_set_num_threads(1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  benchmark::AddCustomContext("openblas_threads", std::to_string(openblas_get_num_threads()));
  const size_t benchmarks_run = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // A filter matching nothing is a mistake, not a result (scripts read the JSON next).
  return benchmarks_run > 0 ? 0 : 1;
}
