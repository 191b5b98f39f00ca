// The table costs of IVF-PQ search before any code is scanned (quant/pq_distance_tables.h):
// per query, the query tables q_m . C_m[j] (BM_QueryTables, a block of 64 queries); per
// probed list, the list's ADC table from the query table and the list's precomputed
// terms, plus, for 4-bit fast scan, its uint8 quantization (BM_ListTable,
// simd/pq4_fast_scan.h). M = 16, 32, 64 sub-spaces of 4 dimensions; 8 and 4 bits.

#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "quant/pq_distance_tables.h"
#include "quant/product_quantizer.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {
namespace {

constexpr int kSubDim = 4;
constexpr int kLists = 64;

std::vector<float> Gaussian(int64_t rows, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> values(static_cast<size_t>(rows) * dim);
  for (float& v : values) v = normal(rng);
  return values;
}

// A PQ of M sub-spaces of kSubDim dimensions trained on Gaussian data.
ProductQuantizer TrainedPq(int m, int nbits) {
  const int dim = m * kSubDim;
  auto pq = *ProductQuantizer::Create(dim, m, nbits);
  const std::vector<float> train = Gaussian(2048, dim, 1);
  BuildOptions options;
  options.num_threads = 1;
  if (!pq.Train(MatrixView(train, dim), 1, options).ok()) std::abort();
  return pq;
}

void BM_QueryTables(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const int nbits = static_cast<int>(state.range(1));
  const int dim = m * kSubDim;
  const ProductQuantizer pq = TrainedPq(m, nbits);
  const std::vector<float> centroids = Gaussian(kLists, dim, 2);
  const PqDistanceTables tables(&pq, MatrixView(centroids, dim), /*l2=*/true);
  const int64_t block = 64;
  const std::vector<float> queries = Gaussian(block, dim, 3);
  std::vector<float> out(block * tables.table_size()), scratch;
  for (auto _ : state) {
    tables.QueryTables(MatrixView(queries, dim), &scratch, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["queries/s"] = benchmark::Counter(
      static_cast<double>(block) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_ListTable(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const int nbits = static_cast<int>(state.range(1));
  const int dim = m * kSubDim;
  const ProductQuantizer pq = TrainedPq(m, nbits);
  const std::vector<float> centroids = Gaussian(kLists, dim, 2);
  const PqDistanceTables tables(&pq, MatrixView(centroids, dim), /*l2=*/true);
  const std::vector<float> query = Gaussian(1, dim, 3);
  std::vector<float> query_table(tables.table_size()), scratch(tables.table_size());
  std::vector<float> gemm_scratch;
  tables.QueryTables(MatrixView(query, dim), &gemm_scratch, query_table.data());
  std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16);
  float query_norm = 0;
  for (float x : query) query_norm += x * x;
  int64_t list = 0;
  for (auto _ : state) {
    float offset = 0;
    const float* table = tables.ListTable(query.data(), query_norm, query_table.data(), list,
                                          centroids.data() + list * dim, scratch.data(), &offset);
    if (nbits == 4) {
      benchmark::DoNotOptimize(QuantizeFastScanTable(table, m, lut.data()));
    }
    benchmark::DoNotOptimize(table);
    benchmark::ClobberMemory();
    list = (list + 1) % kLists;
  }
  state.counters["lists/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_QueryTables)
    ->ArgNames({"M", "nbits"})
    ->ArgsProduct({{16, 32, 64}, {8, 4}})
    ->UseRealTime();
BENCHMARK(BM_ListTable)
    ->ArgNames({"M", "nbits"})
    ->ArgsProduct({{16, 32, 64}, {8, 4}})
    ->UseRealTime();

}  // namespace
}  // namespace vqsearch::internal

BENCHMARK_MAIN();
