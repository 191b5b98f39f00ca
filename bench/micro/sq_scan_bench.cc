// The SQ scan kernels (simd/sq_scan.h) in dimensions per second per core: each layout's
// L2 and dot-product kernel over codes of 784 dimensions (Fashion-MNIST) and 128,
// 1024 codes (in cache, one inverted list or a refine shortlist) and 256 MiB of codes
// (streamed from memory). The scalar reference runs beside the dispatched kernel.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "simd/sq_scan.h"

namespace vqsearch::internal {
namespace {

template <bool kDot, bool kReference>
void BM_SqScan(benchmark::State& state) {
  const auto layout = static_cast<SqLayout>(state.range(0));
  const int dim = static_cast<int>(state.range(1));
  const int64_t n = state.range(2);
  std::mt19937 rng(1);
  std::vector<uint8_t> codes(SqCodeSize(layout, dim) * n);
  // Byte 0x3C repeated is the half 1.0 + 0x3C3C: finite halves for the fp16 layout.
  for (uint8_t& c : codes) c = layout == SqLayout::kFloat16 ? 0x3C : static_cast<uint8_t>(rng());
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> a(dim), b(dim), table(static_cast<size_t>(dim) * 256);
  for (float& v : a) v = uniform(rng);
  for (float& v : b) v = uniform(rng);
  for (float& v : table) v = uniform(rng);
  // Uniform layouts scale levels by b; fp16 and tables decode to values (b null).
  const bool scaled = layout == SqLayout::kUint8 || layout == SqLayout::kUint4;
  const float* bp = scaled ? b.data() : nullptr;
  std::vector<float> out(n);
  for (auto _ : state) {
    if (kDot) {
      (kReference ? SqScanDotReference : SqScanDot)(layout, codes.data(), n, dim, a.data(),
                                                    table.data(), out.data());
    } else {
      (kReference ? SqScanL2Reference : SqScanL2)(layout, codes.data(), n, dim, a.data(), bp,
                                                  table.data(), out.data());
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["dims/s"] = benchmark::Counter(static_cast<double>(n) * dim * state.iterations(),
                                                benchmark::Counter::kIsRate);
  state.SetLabel(std::string(kReference ? IsaName(Isa::kScalar) : IsaName(ActiveIsa())));
}

void Shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"layout", "dim", "codes"});
  for (SqLayout layout : {SqLayout::kUint8, SqLayout::kUint4, SqLayout::kFloat16, SqLayout::kTable8,
                          SqLayout::kTable4}) {
    for (int dim : {784, 128}) {
      const auto l = static_cast<int64_t>(layout);
      b->Args({l, dim, 1024});
      b->Args({l, dim, static_cast<int64_t>((size_t{256} << 20) / SqCodeSize(layout, dim))});
    }
  }
}

BENCHMARK_TEMPLATE(BM_SqScan, false, false)->Apply(Shapes)->UseRealTime();
BENCHMARK_TEMPLATE(BM_SqScan, true, false)->Apply(Shapes)->UseRealTime();
BENCHMARK_TEMPLATE(BM_SqScan, false, true)->Apply(Shapes)->UseRealTime();

}  // namespace
}  // namespace vqsearch::internal

BENCHMARK_MAIN();
