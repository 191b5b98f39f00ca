// The heap and reservoir layouts of TopK.

#include "search/top_k.h"

#include <algorithm>

namespace vqsearch::internal {

void TopK::SiftUp(int i) {
  const Entry moving = entries_[i];
  while (i > 0) {
    const int parent = (i - 1) / 2;
    if (!Better(entries_[parent], moving)) break;
    entries_[i] = entries_[parent];
    i = parent;
  }
  entries_[i] = moving;
}

void TopK::SiftDown(int i) {
  const int n = size();
  const Entry moving = entries_[i];
  while (true) {
    int child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Better(entries_[child], entries_[child + 1])) ++child;
    if (!Better(moving, entries_[child])) break;
    entries_[i] = entries_[child];
    i = child;
  }
  entries_[i] = moving;
}

void TopK::Cut() {
  if (size() >= kMinSampledCut && CutAtSampledPivot()) return;
  CutExactly();
}

void TopK::CutExactly() {
  std::nth_element(entries_.begin(), entries_.begin() + (k_ - 1), entries_.end(), BetterOrder());
  entries_.resize(k_);
  reservoir_threshold_ = entries_[k_ - 1].distance;
}

bool TopK::CutAtSampledPivot() {
  const int n = size();
  float sample[kCutSample];
  for (int i = 0; i < kCutSample; ++i) sample[i] = entries_[int64_t{i} * n / kCutSample].distance;
  // The sample's rank of k, raised by a fifth so that fewer than k entries rarely fall at
  // or below the pivot (a sample of 64 places it within a few percent of n); when they
  // do, the next rank up is tried.
  int rank = std::min(kCutSample - 1, static_cast<int>(1.2 * k_ * kCutSample / n));
  std::nth_element(sample, sample + rank, sample + kCutSample);
  while (true) {
    const float pivot = sample[rank];
    int kept = 0;
    for (const Entry& entry : entries_) kept += entry.distance <= pivot;
    // Ties at the pivot, or a sample from one end of the distances, would free too little
    // room: the exact cut then frees k.
    if (kept > n - n / 8) return false;
    if (kept >= k_) {
      kept = 0;
      for (const Entry& entry : entries_) {
        entries_[kept] = entry;
        kept += entry.distance <= pivot;
      }
      entries_.resize(kept);
      reservoir_threshold_ = pivot;
      return true;
    }
    if (rank == kCutSample - 1) return false;
    const int next = std::min(kCutSample - 1, rank + kCutSample / 16);
    std::nth_element(sample + rank + 1, sample + next, sample + kCutSample);
    rank = next;
  }
}

int TopK::ExtractSorted(float* distances, int64_t* ids, float pad_distance) {
  if (size() > k_) CutExactly();
  std::sort(entries_.begin(), entries_.end(), BetterOrder());
  const int held = size();
  for (int i = 0; i < held; ++i) {
    distances[i] = entries_[i].distance;
    ids[i] = entries_[i].id;
  }
  for (int i = held; i < k_; ++i) {
    distances[i] = pad_distance;
    ids[i] = -1;
  }
  Clear();
  return held;
}

}  // namespace vqsearch::internal
