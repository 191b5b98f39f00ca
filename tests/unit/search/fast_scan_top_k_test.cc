// FastScanTopK over the fast-scan kernel against float ADC: what it returns is the top k
// by quantized sums, each distance is within the quantization bound of the float table
// sum, and nothing it dropped is better than what it kept by more than twice that bound.
// ScanIntoEmptyHeap against FastScanTopK: the same heap, ties included.

#include "search/fast_scan_top_k.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "simd/dispatch.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {
namespace {

TEST(FastScanTopKTest, RanksLikeFloatTablesWithinQuantizationError) {
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> uniform(0.0f, 100.0f);
  for (int m : {4, 15, 32}) {
    for (int64_t n : {20, 100, 777}) {
      for (int k : {1, 10, 50}) {
        std::vector<float> table(16 * m);
        for (float& v : table) v = uniform(rng);
        std::vector<std::vector<int>> nibbles(n, std::vector<int>(m));
        std::vector<uint8_t> blocks(((n + 31) / 32) * FastScanBlockBytes(m));
        std::vector<float> float_sums(n, 0.0f);
        for (int64_t i = 0; i < n; ++i) {
          std::vector<uint8_t> code((m + 1) / 2, 0);
          for (int s = 0; s < m; ++s) {
            nibbles[i][s] = static_cast<int>(rng() % 16);
            code[s / 2] |= static_cast<uint8_t>(nibbles[i][s] << (s % 2 == 0 ? 0 : 4));
            float_sums[i] += table[16 * s + nibbles[i][s]];
          }
          PackFastScanCode(code.data(), m, i, blocks.data());
        }
        std::vector<uint8_t> lut(FastScanPaddedSubspaces(m) * 16);
        QuantizedTable quantized = QuantizeFastScanTable(table.data(), m, lut.data());
        quantized.bias += 7.0f;  // an IVF list's offset
        TopK heap(k);
        FastScanTopK sink(&heap, quantized, /*first_entry=*/1000);
        ASSERT_TRUE(sink.CanImprove());
        FastScan4(blocks.data(), n, m, lut.data(), &sink);

        // The expected top k by quantized sum, ties by index.
        std::vector<std::pair<uint32_t, int64_t>> by_sum(n);
        for (int64_t i = 0; i < n; ++i) {
          uint32_t sum = 0;
          for (int s = 0; s < m; ++s) sum += lut[16 * s + nibbles[i][s]];
          by_sum[i] = {sum, i};
        }
        std::sort(by_sum.begin(), by_sum.end());
        const int held = static_cast<int>(std::min<int64_t>(k, n));
        std::vector<float> distances(k);
        std::vector<int64_t> ids(k);
        heap.ExtractSorted(distances.data(), ids.data(), 0.0f);

        const float bound = 0.5f * m / quantized.scale * 1.001f + 1e-3f;
        float worst_kept = 0;
        std::vector<bool> kept(n, false);
        for (int r = 0; r < held; ++r) {
          const int64_t i = ids[r] - 1000;
          ASSERT_EQ(i, by_sum[r].second) << "m=" << m << " n=" << n << " k=" << k << " r=" << r;
          EXPECT_NEAR(distances[r], 7.0f + float_sums[i], bound);
          worst_kept = std::max(worst_kept, float_sums[i]);
          kept[i] = true;
        }
        for (int64_t i = 0; i < n; ++i) {
          if (!kept[i]) {
            EXPECT_GE(float_sums[i], worst_kept - 2 * bound);
          }
        }
      }
    }
  }
}

TEST(FastScanTopKTest, HopelessListIsSkipped) {
  TopK heap(1);
  heap.Push(5.0f, 1);
  QuantizedTable table;
  table.bias = 6.0f;  // every code of this list is at least 6 away
  FastScanTopK sink(&heap, table, 0);
  EXPECT_FALSE(sink.CanImprove());
  table.bias = 4.0f;
  FastScanTopK hopeful(&heap, table, 0);
  EXPECT_TRUE(hopeful.CanImprove());
}

// Extreme queries or Inf codebooks give tables whose distances overflow float: the
// quantized table and the threshold must stay defined (no NaN-to-integer conversion)
// and agree between kernels.
TEST(FastScanTopKTest, NonFiniteTablesStayDefined) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const int m = 2;
  std::vector<float> table(16 * m, 1.0f);
  table[3] = kInf;
  table[20] = -kInf;
  std::vector<uint8_t> scalar_lut(16 * FastScanPaddedSubspaces(m));
  const QuantizedTable quantized =
      FastScanKernelsFor(Isa::kScalar).quantize(table.data(), m, scalar_lut.data());
  for (Isa isa : SupportedIsas()) {
    std::vector<uint8_t> lut(scalar_lut.size());
    FastScanKernelsFor(isa).quantize(table.data(), m, lut.data());
    EXPECT_EQ(lut, scalar_lut) << IsaName(isa);
  }

  TopK heap(1);
  heap.Push(5.0f, 1);
  const FastScanTopK sink(&heap, quantized, 0);
  EXPECT_TRUE(sink.CanImprove());
  EXPECT_EQ(sink.threshold, UINT16_MAX);  // a NaN bound bounds nothing
}

// Random codes of n entries in m sub-spaces in fast-scan blocks, and the quantized table
// of a random float table.
struct RandomList {
  std::vector<uint8_t> blocks, lut;
  QuantizedTable table;
};
RandomList MakeRandomList(int m, int64_t n, std::mt19937* rng) {
  RandomList list;
  list.blocks.assign(((n + 31) / 32) * FastScanBlockBytes(m), 0);
  for (int64_t i = 0; i < n; ++i) {
    std::vector<uint8_t> code((m + 1) / 2);
    for (uint8_t& byte : code) byte = static_cast<uint8_t>((*rng)() % 256);
    if (m % 2 != 0) code.back() &= 0x0F;
    PackFastScanCode(code.data(), m, i, list.blocks.data());
  }
  std::uniform_real_distribution<float> uniform(0.0f, 10.0f);
  std::vector<float> table(16 * m);
  for (float& v : table) v = uniform(*rng);
  list.lut.resize(FastScanPaddedSubspaces(m) * 16);
  list.table = QuantizeFastScanTable(table.data(), m, list.lut.data());
  return list;
}

// What a heap holds, best first, as it is extracted.
std::vector<std::pair<float, int64_t>> Drain(TopK* heap) {
  std::vector<float> distances(heap->k());
  std::vector<int64_t> ids(heap->k());
  const int held = heap->ExtractSorted(distances.data(), ids.data(), 0.0f);
  std::vector<std::pair<float, int64_t>> out;
  for (int i = 0; i < held; ++i) out.emplace_back(distances[i], ids[i]);
  return out;
}

TEST(ScanIntoEmptyHeapTest, HoldsWhatTheOnePassScanHolds) {
  std::mt19937 rng(5);
  for (int m : {1, 3, 16, 50}) {
    for (int64_t n : {11, 33, 97, 500}) {
      for (int k : {1, 10, 20, 64}) {
        // A large bias rounds neighbouring sums to one float distance (its spacing there,
        // 1/16, is more than a sum unit): ties the id breaks.
        for (float bias : {0.0f, 1.0e6f}) {
          RandomList list = MakeRandomList(m, n, &rng);
          list.table.bias += bias;
          TopK one_pass(k);
          FastScanTopK sink(&one_pass, list.table, /*first_entry=*/77);
          FastScan4(list.blocks.data(), n, m, list.lut.data(), &sink);
          TopK empty(k);
          const bool taken = ScanIntoEmptyHeap(list.blocks.data(), n, m, list.lut.data(),
                                               list.table, /*first_entry=*/77, &empty);
          EXPECT_EQ(taken, n > k) << "m=" << m << " n=" << n << " k=" << k;
          if (taken) {
            EXPECT_EQ(Drain(&empty), Drain(&one_pass))
                << "m=" << m << " n=" << n << " k=" << k << " bias=" << bias;
          } else {
            EXPECT_EQ(empty.size(), 0);
          }
        }
      }
    }
  }
}

TEST(ScanIntoEmptyHeapTest, LeavesNonFiniteTablesToTheOnePassScan) {
  std::mt19937 rng(6);
  RandomList list = MakeRandomList(4, 100, &rng);
  list.table.bias = std::numeric_limits<float>::quiet_NaN();
  TopK heap(10);
  EXPECT_FALSE(ScanIntoEmptyHeap(list.blocks.data(), 100, 4, list.lut.data(), list.table, 0,
                                 &heap));
  EXPECT_EQ(heap.size(), 0);
}

}  // namespace
}  // namespace vqsearch::internal
