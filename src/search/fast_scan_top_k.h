// The bridge between the 4-bit fast scan and a query's TopK: survivors of the SIMD
// threshold are converted back to float distances and pushed, and the uint16 threshold
// follows the heap's k-th distance in the quantized units of the list being scanned.
// Survivors the search's id filter rejects are dropped before they are scored.
// A subclass may score survivors itself (e.g. exactly, from float tables); it then
// passes the slack that keeps every entry its score could admit above the threshold.

#ifndef VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
#define VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_

#include <algorithm>
#include <cstdint>

#include "search/candidate_filter.h"
#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

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

  void Offer(int64_t index, uint16_t sum) override {
    if (!filter_.Admits(index)) return;
    heap_->Push(Score(index, sum), first_entry_ + index);
    UpdateThreshold();
  }

 protected:
  // The distance entry `index` (of the scan) enters the heap with: by default the one
  // its quantized sum stands for.
  virtual float Score(int64_t /*index*/, uint16_t sum) const { return table_.Distance(sum); }

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
class FloatRescoringTopK : public FastScanTopK {
 public:
  FloatRescoringTopK(TopK* heap, QuantizedTable quantized, int64_t first_entry,
                     CandidateFilter filter, const uint8_t* blocks, int subcodes,
                     const float* table, float offset)
      : FastScanTopK(heap, quantized, first_entry, filter, /*slack_units=*/0.5f * subcodes + 1),
        blocks_(blocks), subcodes_(subcodes), table_(table), offset_(offset) {}

 protected:
  float Score(int64_t index, uint16_t /*sum*/) const override {
    int shift = 0;
    const uint8_t* code = blocks_ + FastScanCodeOffset(subcodes_, index, &shift);
    float score = offset_;
    for (int s = 0; s < subcodes_; ++s) score += table_[s * 16 + ((code[16 * s] >> shift) & 0x0F)];
    return score;
  }

 private:
  const uint8_t* blocks_;
  int subcodes_;
  const float* table_;
  float offset_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
