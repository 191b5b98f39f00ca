// A binary max-heap (worst entry at the root) over (distance, id).

#include "search/top_k.h"

#include <algorithm>

namespace vqsearch::internal {

void TopK::SiftUp(int i) {
  const Entry moving = heap_[i];
  while (i > 0) {
    const int parent = (i - 1) / 2;
    if (!Better(heap_[parent], moving)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

void TopK::SiftDown(int i) {
  const int n = size();
  const Entry moving = heap_[i];
  while (true) {
    int child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && Better(heap_[child], heap_[child + 1])) ++child;
    if (!Better(moving, heap_[child])) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = moving;
}

void TopK::ExtractSorted(float* distances, int64_t* ids, float pad_distance) {
  std::sort(heap_.begin(), heap_.end(), Better);
  const int held = size();
  for (int i = 0; i < held; ++i) {
    distances[i] = heap_[i].distance;
    ids[i] = heap_[i].id;
  }
  for (int i = held; i < k_; ++i) {
    distances[i] = pad_distance;
    ids[i] = -1;
  }
  heap_.clear();
}

}  // namespace vqsearch::internal
