// The bridge between the 4-bit fast scan and a query's TopK: survivors of the SIMD
// threshold are converted back to float distances and pushed, and the uint16 threshold
// follows the heap's k-th distance in the quantized units of the list being scanned.
// Survivors the search's id filter rejects are dropped before they are scored.
// A subclass may score survivors itself (e.g. exactly, from float tables); it then
// passes the slack that keeps every entry its score could admit above the threshold, and
// overrides OfferBlock with its score.

#ifndef VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
#define VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_

#include <algorithm>
#include <cstdint>

#include "search/candidate_filter.h"
#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

// Scans the `entries` codes of one list (fast-scan `blocks`, quantized table `lut` and
// `table`) into `heap` while it is empty and no filter applies, as FastScanTopK would:
// entry i as id first_entry + i, the heap ends with the same entries. A query's first
// list is where a one-pass scan pushes most (its heap's threshold is +inf until k
// entries are in, then falls entry by entry: ~50 of the ~70 pushes of a query on ~90-code
// lists at k = 20). Here every sum is taken first and only the entries that can be among
// the list's k best, those with a distance at most the k-th smallest sum's, are pushed.
// Returns false, having pushed nothing, for lists of at most k entries and for tables
// whose distances are not finite; the caller then scans as usual.
bool ScanIntoEmptyHeap(const uint8_t* blocks, int64_t entries, int num_subspaces,
                       const uint8_t* lut, QuantizedTable table, int64_t first_entry, TopK* heap);

class FastScanTopK : public FastScanSink {
 public:
  // Entry i of the scan enters `heap` as id first_entry + i with distance Score(i, sum).
  // `slack_units`: how many quantized units a sum may lie above the scaled score and
  // still let the entry in (1 covers the rounding of table.Distance). `filter` sees entry
  // i of the scan as candidate i.
  FastScanTopK(TopK* heap, QuantizedTable table, int64_t first_entry, CandidateFilter filter = {},
               float slack_units = 1)
      : heap_(heap), table_(table), first_entry_(first_entry), filter_(filter),
        slack_units_(slack_units) {
    UpdateThreshold();
  }

  // False when even a sum of 0 could not enter the heap: the list can be skipped.
  bool CanImprove() const { return !hopeless_; }

  // One entry is a block of one.
  void Offer(int64_t index, uint16_t sum) override { OfferBlock(1u, &sum, index, index + 1); }
  void OfferBlock(uint32_t mask, const uint16_t* sums, int64_t base, int64_t n) override {
    OfferEach(mask, sums, base, n,
              [this](int64_t /*index*/, uint16_t sum) { return table_.Distance(sum); });
  }

 protected:
  // OfferBlock's loop with `score(index, sum)`, the distance entry `index` (of the scan)
  // enters the heap with, inlined: the scan of a short list offers tens of entries, and
  // an indirect call each cost as much as the heap's own work.
  template <typename ScoreFn>
  void OfferEach(uint32_t mask, const uint16_t* sums, int64_t base, int64_t n, ScoreFn score) {
    while (mask != 0) {
      const int j = __builtin_ctz(mask);
      mask &= mask - 1;
      const int64_t index = base + j;
      if (index >= n) return;
      if (sums[j] > threshold || !filter_.Admits(index)) continue;
      heap_->Push(score(index, sums[j]), first_entry_ + index);
      UpdateThreshold();
    }
  }

 private:
  // The largest sum whose entry may still beat the heap's k-th, by the slack (the heap
  // makes the exact decision). A non-finite table (distances of extreme queries that
  // overflow float) makes `units` NaN: it then bounds nothing rather than reach an
  // undefined float-to-int conversion.
  void UpdateThreshold() {
    const float units = (heap_->threshold() - table_.bias) * table_.scale;
    hopeless_ = units + slack_units_ < 1;
    threshold = units + slack_units_ < UINT16_MAX
                    ? static_cast<uint16_t>(std::max(units, 0.0f) + slack_units_)
                    : UINT16_MAX;
  }

  TopK* heap_;
  QuantizedTable table_;
  int64_t first_entry_;
  CandidateFilter filter_;
  float slack_units_;
  bool hopeless_ = false;
};

// Fast-scan survivors re-scored from the float table before they enter the heap, for
// tables whose sub-codes span very different ranges (RQ: the first stages' codewords are
// long, the last ones' short, the norm's levels wide): under the one uint8 scale fast
// scan shares across sub-codes, the narrow ones round to a few levels. Re-scoring the few
// survivors restores the float ADC ranking; the threshold is widened by the rounding a
// sum can carry (half a unit per sub-code) so that no code whose float score could enter
// the heap is filtered out.
class FloatRescoringTopK final : public FastScanTopK {
 public:
  FloatRescoringTopK(TopK* heap, QuantizedTable quantized, int64_t first_entry,
                     CandidateFilter filter, const uint8_t* blocks, int subcodes,
                     const float* table, float offset)
      : FastScanTopK(heap, quantized, first_entry, filter, /*slack_units=*/0.5f * subcodes + 1),
        blocks_(blocks), subcodes_(subcodes), table_(table), offset_(offset) {}

  void OfferBlock(uint32_t mask, const uint16_t* sums, int64_t base, int64_t n) override {
    OfferEach(mask, sums, base, n,
              [this](int64_t index, uint16_t /*sum*/) { return FloatScore(index); });
  }

 private:
  float FloatScore(int64_t index) const {
    int shift = 0;
    const uint8_t* code = blocks_ + FastScanCodeOffset(subcodes_, index, &shift);
    float score = offset_;
    for (int s = 0; s < subcodes_; ++s) score += table_[s * 16 + ((code[16 * s] >> shift) & 0x0F)];
    return score;
  }

  const uint8_t* blocks_;
  int subcodes_;
  const float* table_;
  float offset_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
