// RaBitQ scoring in codes per second per core: RaBitQScorer::Score (the bit-plane kernel
// of simd/rabitq_scan.h plus the per-code factors) over 1024 codes in cache (a few
// inverted lists), at 1, 4 and 7 bits for 128 and 832 rotated dimensions (a 100-d and
// Fashion-MNIST's 784-d vectors), and the per-list set-up (Reset: the query's residual
// quantized into bit planes) in lists per second, and encoding (the rescale search) in
// vectors per second. The fast scan (quant/rabitq_fast_scan.h) over the same 1024 codes
// in blocks: its 1-bit scores from uint8 (wide=0) and 16-bit (wide=1) tables, and the
// pruned two-stage scan into a top 10 (b > 1: the bitwise estimate of the survivors), in
// codes per second, with the per-list table set-up in lists per second. The scalar
// kernel table runs beside the dispatched one through VQSEARCH_ISA=scalar.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "quant/rabitq_fast_scan.h"
#include "quant/rabitq_quantizer.h"
#include "quant/rabitq_scorer.h"
#include "search/top_k.h"
#include "simd/dispatch.h"
#include "simd/pq4_fast_scan.h"
#include "vqsearch/isa.h"

namespace vqsearch::internal {
namespace {

struct Fixture {
  Fixture(int dim, int bits, int64_t n) : quantizer(*RaBitQQuantizer::Create(dim, bits)) {
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    std::vector<float> r(dim);
    codes.resize(quantizer.code_size() * n);
    for (int64_t i = 0; i < n; ++i) {
      for (float& v : r) v = normal(rng);
      quantizer.Encode(r.data(), codes.data() + i * quantizer.code_size());
    }
    query.resize(dim);
    centroid.resize(dim);
    for (float& v : query) v = normal(rng);
    for (float& v : centroid) v = 0.1f * normal(rng);
  }
  RaBitQQuantizer quantizer;
  std::vector<uint8_t> codes;
  std::vector<float> query, centroid;
};

// The rate every scoring benchmark reports: codes scored per second, on the active ISA.
void ReportCodesPerSecond(int64_t codes_per_iteration, benchmark::State& state) {
  state.counters["codes/s"] = benchmark::Counter(
      static_cast<double>(codes_per_iteration) * state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(std::string(IsaName(ActiveIsa())));
}

void BM_RaBitQScore(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const int64_t n = 1024;
  const Fixture f(dim, bits, n);
  RaBitQScorer scorer;
  scorer.Reset(f.quantizer, true, f.query.data(), f.centroid.data(),
               RaBitQScorer::DefaultQueryBits(bits));
  std::vector<float> out(n);
  for (auto _ : state) {
    scorer.Score(f.codes.data(), n, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  ReportCodesPerSecond(n, state);
}

void BM_RaBitQReset(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const Fixture f(dim, bits, 1);
  RaBitQScorer scorer;
  for (auto _ : state) {
    scorer.Reset(f.quantizer, true, f.query.data(), f.centroid.data(),
                 RaBitQScorer::DefaultQueryBits(bits));
    benchmark::DoNotOptimize(&scorer);
  }
  state.counters["lists/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_RaBitQEncode(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const auto quantizer = *RaBitQQuantizer::Create(dim, bits);
  std::mt19937 rng(2);
  std::normal_distribution<float> normal;
  std::vector<float> r(static_cast<size_t>(dim) * 64);
  for (float& v : r) v = normal(rng);
  std::vector<uint8_t> code(quantizer.code_size());
  int64_t i = 0;
  for (auto _ : state) {
    quantizer.Encode(r.data() + (i++ % 64) * dim, code.data());
    benchmark::DoNotOptimize(code.data());
  }
  state.counters["vectors/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The fixture's codes as fast-scan blocks.
struct FastScanFixture {
  FastScanFixture(int dim, int bits, int64_t n) : f(dim, bits, n), format(f.quantizer) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    std::vector<float> r(dim);
    std::vector<uint8_t> entry(format.entry_bytes());
    blocks.assign((n + kFastScanBlock - 1) / kFastScanBlock * format.block_bytes(), 0);
    for (int64_t i = 0; i < n; ++i) {
      for (float& v : r) v = normal(rng);
      format.Encode(r.data(), entry.data());
      format.Pack(entry.data(), i, blocks.data());
    }
  }
  Fixture f;
  RaBitQFastScanFormat format;
  std::vector<uint8_t> blocks;
};

const FastScanKernels& Kernels() { return ActiveKernels<FastScanKernels, FastScanKernelsFor>(); }

void BM_RaBitQFastScanOneBit(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const bool wide = state.range(2) != 0;
  const int64_t n = 1024;
  const FastScanFixture fs(dim, bits, n);
  RaBitQFastScanScorer scorer;
  scorer.Reset(fs.format, true, fs.f.query.data(), fs.f.centroid.data(), wide, Kernels());
  std::vector<float> out(n);
  for (auto _ : state) {
    scorer.OneBitScores(fs.blocks.data(), n, out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  ReportCodesPerSecond(n, state);
}

void BM_RaBitQFastScanTop10(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const bool wide = state.range(2) != 0;
  const int64_t n = 1024;
  const FastScanFixture fs(dim, bits, n);
  RaBitQFastScanScorer scorer;
  scorer.Reset(fs.format, true, fs.f.query.data(), fs.f.centroid.data(), wide, Kernels());
  TopK heap(10);
  for (auto _ : state) {
    heap.Clear();
    scorer.Scan(fs.blocks.data(), n, 0, {}, &heap);
    benchmark::DoNotOptimize(&heap);
  }
  ReportCodesPerSecond(n, state);
}

void BM_RaBitQFastScanReset(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0)), bits = static_cast<int>(state.range(1));
  const bool wide = state.range(2) != 0;
  const FastScanFixture fs(dim, bits, 1);
  RaBitQFastScanScorer scorer;
  for (auto _ : state) {
    scorer.Reset(fs.format, true, fs.f.query.data(), fs.f.centroid.data(), wide, Kernels());
    benchmark::DoNotOptimize(&scorer);
  }
  state.counters["lists/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void FastScanShapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"dim", "bits", "wide"});
  for (int dim : {128, 832}) {
    for (int bits : {1, 4, 7}) {
      for (int wide : {0, 1}) b->Args({dim, bits, wide});
    }
  }
}

void Shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"dim", "bits"});
  for (int dim : {128, 832}) {
    for (int bits : {1, 4, 7}) b->Args({dim, bits});
  }
}

BENCHMARK(BM_RaBitQScore)->Apply(Shapes);
BENCHMARK(BM_RaBitQReset)->Apply(Shapes);
BENCHMARK(BM_RaBitQEncode)->Apply(Shapes);
BENCHMARK(BM_RaBitQFastScanOneBit)->Apply(FastScanShapes);
BENCHMARK(BM_RaBitQFastScanTop10)->Apply(FastScanShapes);
BENCHMARK(BM_RaBitQFastScanReset)->Apply(FastScanShapes);

}  // namespace
}  // namespace vqsearch::internal

BENCHMARK_MAIN();
