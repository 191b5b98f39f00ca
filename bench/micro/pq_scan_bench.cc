// The 8-bit PQ scan (simd/pq8_scan.h) in codes per second per core: M = 16, 32, 64
// sub-spaces, codes in cache (64 KiB-ish, one inverted list) and out of cache (256 MiB).
// The one-code-at-a-time reference runs beside it as the baseline.

#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "simd/pq8_scan.h"

namespace vqsearch::internal {
namespace {

template <bool kReference>
void BM_ScanCodes8(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const int64_t n = state.range(1);
  std::mt19937 rng(1);
  std::vector<uint8_t> codes(static_cast<size_t>(n) * m);
  for (uint8_t& c : codes) c = static_cast<uint8_t>(rng());
  std::vector<float> table(static_cast<size_t>(m) * 256);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  for (float& v : table) v = uniform(rng);
  std::vector<float> out(n);
  for (auto _ : state) {
    if (kReference) {
      ScanCodes8Reference(codes.data(), n, m, table.data(), 0.0f, out.data());
    } else {
      ScanCodes8(codes.data(), n, m, table.data(), 0.0f, out.data());
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["codes/s"] = benchmark::Counter(static_cast<double>(n) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}

// In cache: 4096 codes (64-256 KiB); out of cache: 256 MiB of codes.
void Shapes(benchmark::internal::Benchmark* b) {
  for (int m : {16, 32, 64}) {
    b->Args({m, 4096});
    b->Args({m, (int64_t{256} << 20) / m});
  }
}

BENCHMARK_TEMPLATE(BM_ScanCodes8, false)->Apply(Shapes)->UseRealTime();
BENCHMARK_TEMPLATE(BM_ScanCodes8, true)->Apply(Shapes)->UseRealTime();

}  // namespace
}  // namespace vqsearch::internal

BENCHMARK_MAIN();
