// The empty-heap scan of fast_scan_top_k.h.

#include "search/fast_scan_top_k.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vqsearch::internal {

namespace {

// How many of the n sums are at most `limit`: a branch-free count the compiler vectorizes.
int64_t CountAtMost(const uint16_t* sums, int64_t n, uint32_t limit) {
  int64_t count = 0;
#pragma omp simd reduction(+ : count)
  for (int64_t i = 0; i < n; ++i) count += sums[i] <= limit ? 1 : 0;
  return count;
}

// The k-th smallest of n > k sums, by a binary search over the 16-bit values: 16 counts
// of a short list cost less than a selection's data-dependent branches.
uint32_t KthSmallest(const uint16_t* sums, int64_t n, int k) {
  uint32_t low = 0, high = UINT16_MAX;  // the answer lies in [low, high]
  while (low < high) {
    const uint32_t middle = (low + high) / 2;
    if (CountAtMost(sums, n, middle) >= k) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

}  // namespace

bool ScanIntoEmptyHeap(const uint8_t* blocks, int64_t entries, int num_subspaces,
                       const uint8_t* lut, QuantizedTable table, int64_t first_entry, TopK* heap) {
  const int k = heap->k();
  if (entries <= k) return false;
  thread_local std::vector<uint16_t> sums;
  thread_local std::vector<int64_t> chosen;
  sums.resize(entries);
  chosen.resize(entries);
  AllSumsSink all(sums.data());
  FastScan4(blocks, entries, num_subspaces, lut, &all);
  uint32_t limit = KthSmallest(sums.data(), entries, k);
  const float kth = table.Distance(limit);
  if (!std::isfinite(kth)) return false;
  // Sums above the k-th smallest can still round to its distance; they tie with it and
  // the heap breaks the tie by id, so they are pushed too.
  while (limit < UINT16_MAX && table.Distance(limit + 1) <= kth) ++limit;
  // The write cursor moves instead of a branch: which entries pass is unpredictable.
  int64_t count = 0;
  for (int64_t i = 0; i < entries; ++i) {
    chosen[count] = i;
    count += sums[i] <= limit ? 1 : 0;
  }
  for (int64_t c = 0; c < count; ++c) {
    const int64_t i = chosen[c];
    heap->Push(table.Distance(sums[i]), first_entry + i);
  }
  // A reservoir's threshold would stay +inf until 2k entries are in (the next lists would
  // push every entry up to then).
  heap->Bound(kth);
  return true;
}

}  // namespace vqsearch::internal
