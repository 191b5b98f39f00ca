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
  std::nth_element(entries_.begin(), entries_.begin() + (k_ - 1), entries_.end(), BetterOrder());
  entries_.resize(k_);
  reservoir_threshold_ = entries_[k_ - 1].distance;
}

int TopK::ExtractSorted(float* distances, int64_t* ids, float pad_distance) {
  if (size() > k_) Cut();
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
