// The 4-bit fast scan (simd/pq4_fast_scan.h) in codes per second per core, for each
// kernel the CPU supports (scalar reference, AVX2, AVX-512): M = 16, 32, 64 sub-spaces,
// codes in L2 cache (16384 codes, 128-512 KiB) and out of cache (256 MiB), with
// the survivors of the SIMD threshold going into a k = 10 TopK as in a real search.

#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "search/fast_scan_top_k.h"
#include "search/top_k.h"
#include "simd/dispatch.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {
namespace {

void BM_FastScan4(benchmark::State& state) {
  const auto isa = static_cast<Isa>(state.range(0));
  const int m = static_cast<int>(state.range(1));
  const int64_t n = state.range(2);
  if (isa > DetectedIsa()) {
    state.SkipWithError("this CPU lacks the instruction set");
    return;
  }
  std::mt19937 rng(1);
  std::vector<uint8_t> blocks(((n + 31) / 32) * FastScanBlockBytes(m));
  for (uint8_t& b : blocks) b = static_cast<uint8_t>(rng());
  std::vector<float> table(16 * m);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (float& v : table) v = uniform(rng);
  std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16);
  const QuantizedTable quantized = QuantizeFastScanTable(table.data(), m, lut.data());
  TopK heap(10);
  for (auto _ : state) {
    heap.Clear();
    FastScanTopK sink(&heap, quantized, 0);
    FastScanKernelsFor(isa).scan(blocks.data(), n, m, lut.data(), FastScanBlockBytes(m), &sink);
    benchmark::DoNotOptimize(heap.threshold());
  }
  state.counters["codes/s"] = benchmark::Counter(static_cast<double>(n) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}

void Shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"isa", "M", "codes"});
  for (int isa : {0, 1, 2}) {
    for (int m : {16, 32, 64}) {
      b->Args({isa, m, 16384});
      b->Args({isa, m, (int64_t{256} << 20) / (m / 2)});
    }
  }
}

BENCHMARK(BM_FastScan4)->Apply(Shapes)->UseRealTime();

}  // namespace
}  // namespace vqsearch::internal

BENCHMARK_MAIN();
