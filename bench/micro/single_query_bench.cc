// What one query costs when it is searched alone against its share of a batch, at the
// README's operating points: the per-call fixed cost (thread start, allocations, tables
// sized for a block, the coarse probe) that a server sending one query per call pays.
//
// Each timed iteration searches the same kQueries queries twice, alternating: once as one
// batched call and once as kQueries one-row calls, both on one thread, and times each with
// the thread's CPU clock, so a loaded machine slows both alike and the counters compare
// like with like:
//   batch_us     CPU time per query inside the batch
//   alone_us     CPU time per one-row call
//   overhead_us  alone_us - batch_us, the fixed cost of a call plus the memory traffic a
//                batch shares (a list probed by several queries of a batch is read once)
//   hot_us       CPU time of a one-row call repeating the call before it, its lists and
//                tables already in cache: alone_us without the memory traffic
//
// The data is synthetic and shaped like Fashion-MNIST (784 dimensions, pixel values in
// 0..255 around ten class prototypes), so list sizes and table shapes are the real ones;
// fewer vectors than the real 60000 keep the IVF1024 build to a few seconds.

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "vqsearch/index.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch {
namespace {

constexpr int kDim = 784;
constexpr int64_t kNumBase = 30000;
constexpr int64_t kNumTrain = 15000;
constexpr int64_t kQueries = 300;
constexpr int kTopK = 10;

// Ten prototypes of pixel values, each vector one of them plus noise, clipped to 0..255.
std::vector<float> ImageLikeVectors(int64_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> pixel(0.0f, 255.0f);
  std::normal_distribution<float> noise(0.0f, 40.0f);
  std::vector<float> prototypes(10 * kDim);
  std::mt19937 prototype_rng(7);
  for (float& v : prototypes) v = pixel(prototype_rng);
  std::vector<float> values(static_cast<size_t>(rows) * kDim);
  for (int64_t i = 0; i < rows; ++i) {
    const float* prototype = prototypes.data() + (i % 10) * kDim;
    for (int j = 0; j < kDim; ++j) {
      values[i * kDim + j] = std::clamp(prototype[j] + noise(rng), 0.0f, 255.0f);
    }
  }
  return values;
}

struct OperatingPoint {
  const char* spec;
  int nprobe;         // 0: not an IVF index
  int refine_factor;  // 0: not a refining index
};

// The README's operating points. (Flat is not among them: one query alone streams every
// stored vector from memory, which a batch shares, so its cost alone is bandwidth, not a
// fixed cost of the call.)
const OperatingPoint kPoints[] = {
    {"IVF256,Flat", 8, 0},
    {"IVF256,PQ98x4fs,Refine(SQ8)", 8, 3},
    {"IVF256,PQ98x4fs,Refine(SQ8)", 8, 5},
    {"IVF1024,PQ56x4fs,Refine(Flat)", 16, 3},
    {"IVF1024,SQ8", 16, 0},
};

// Built once per spec and shared by its operating points.
const Index* BuiltIndex(const std::string& spec, std::string* error) {
  static auto* built = new std::map<std::string, std::unique_ptr<Index>>();
  if (auto it = built->find(spec); it != built->end()) return it->second.get();
  auto index = Index::Create(spec, kDim, Metric::kL2);
  if (!index.ok()) {
    *error = std::string(index.status().message());
    return nullptr;
  }
  const std::vector<float> base = ImageLikeVectors(kNumBase, 1);
  absl::Status status = (*index)->Train(MatrixView(base.data(), kNumTrain, kDim));
  if (status.ok()) status = (*index)->Add(MatrixView(base, kDim));
  if (!status.ok()) {
    *error = std::string(status.message());
    return nullptr;
  }
  return ((*built)[spec] = std::move(*index)).get();
}

// One thread, and only the parameters the index takes.
SearchParams ParamsOf(const OperatingPoint& point) {
  SearchParams params;
  params.num_threads = 1;
  if (point.nprobe > 0) params.nprobe = point.nprobe;
  if (point.refine_factor > 0) params.refine_factor = point.refine_factor;
  return params;
}

// The built index of `point`, with the benchmark labelled by it; null (and the benchmark
// skipped with the error) when building failed.
const Index* IndexFor(const OperatingPoint& point, benchmark::State& state) {
  std::string error;
  const Index* index = BuiltIndex(point.spec, &error);
  if (index == nullptr) {
    state.SkipWithError(error.c_str());
    return nullptr;
  }
  state.SetLabel(absl::StrCat(point.spec, " nprobe=", point.nprobe, " rf=", point.refine_factor));
  return index;
}

double ThreadCpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void BM_AloneVsBatch(benchmark::State& state) {
  const OperatingPoint& point = kPoints[state.range(0)];
  const Index* index = IndexFor(point, state);
  if (index == nullptr) return;
  const std::vector<float> queries = ImageLikeVectors(kQueries, 2);
  const SearchParams params = ParamsOf(point);

  SearchResults results;
  double batch_seconds = 0, alone_seconds = 0, hot_seconds = 0;
  for (auto _ : state) {
    double start = ThreadCpuSeconds();
    absl::Status status = index->Search(MatrixView(queries, kDim), kTopK, params, &results);
    batch_seconds += ThreadCpuSeconds() - start;
    start = ThreadCpuSeconds();
    for (int64_t q = 0; q < kQueries && status.ok(); ++q) {
      status = index->Search(MatrixView(queries.data() + q * kDim, 1, kDim), kTopK, params,
                             &results);
      benchmark::DoNotOptimize(results.ids.data());
    }
    alone_seconds += ThreadCpuSeconds() - start;
    for (int64_t q = 0; q < kQueries && status.ok(); ++q) {
      const MatrixView query(queries.data() + q * kDim, 1, kDim);
      status = index->Search(query, kTopK, params, &results);  // brings its lists to cache
      start = ThreadCpuSeconds();
      if (status.ok()) status = index->Search(query, kTopK, params, &results);
      hot_seconds += ThreadCpuSeconds() - start;
    }
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
  }
  const double queries_searched = static_cast<double>(state.iterations() * kQueries);
  const double batch_us = 1e6 * batch_seconds / queries_searched;
  const double alone_us = 1e6 * alone_seconds / queries_searched;
  state.counters["batch_us"] = batch_us;
  state.counters["alone_us"] = alone_us;
  state.counters["overhead_us"] = alone_us - batch_us;
  state.counters["hot_us"] = 1e6 * hot_seconds / queries_searched;
}

// One-row calls only, as many as Google Benchmark likes: the loop to profile
// (perf record -e cpu-clock -g ... --benchmark_filter=BM_Alone/2).
void BM_Alone(benchmark::State& state) {
  const OperatingPoint& point = kPoints[state.range(0)];
  const Index* index = IndexFor(point, state);
  if (index == nullptr) return;
  const std::vector<float> queries = ImageLikeVectors(kQueries, 2);
  const SearchParams params = ParamsOf(point);
  SearchResults results;
  int64_t q = 0;
  for (auto _ : state) {
    const absl::Status status = index->Search(
        MatrixView(queries.data() + q * kDim, 1, kDim), kTopK, params, &results);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(results.ids.data());
    q = (q + 1) % kQueries;
  }
}

BENCHMARK(BM_AloneVsBatch)
    ->DenseRange(0, static_cast<int>(std::size(kPoints)) - 1)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Alone)
    ->DenseRange(0, static_cast<int>(std::size(kPoints)) - 1)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vqsearch

BENCHMARK_MAIN();
