// The bridge between the 4-bit fast scan and a query's TopK: survivors of the SIMD
// threshold are converted back to float distances and pushed, and the uint16 threshold
// follows the heap's k-th distance in the quantized units of the list being scanned.

#ifndef VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
#define VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_

#include <algorithm>
#include <cstdint>

#include "search/top_k.h"
#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

class FastScanTopK : public FastScanSink {
 public:
  // Entry i of the scan enters `heap` as id first_entry + i with distance
  // table.Distance(sum).
  FastScanTopK(TopK* heap, QuantizedTable table, int64_t first_entry)
      : heap_(heap), table_(table), first_entry_(first_entry) {
    UpdateThreshold();
  }

  // False when even a sum of 0 could not enter the heap: the list can be skipped.
  bool CanImprove() const { return !hopeless_; }

  void Offer(int64_t index, uint16_t sum) override {
    heap_->Push(table_.Distance(sum), first_entry_ + index);
    UpdateThreshold();
  }

 private:
  // The largest sum whose distance may still beat the heap's k-th; one unit of slack
  // covers the rounding of Distance (the heap makes the exact decision).
  void UpdateThreshold() {
    const float units = (heap_->threshold() - table_.bias) * table_.scale;
    hopeless_ = units < 0;
    threshold = units >= UINT16_MAX - 1 ? UINT16_MAX
                                        : static_cast<uint16_t>(std::max(units, 0.0f) + 1);
  }

  TopK* heap_;
  QuantizedTable table_;
  int64_t first_entry_;
  bool hopeless_ = false;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_FAST_SCAN_TOP_K_H_
