// TopK keeps the k best (distance, id) pairs of a stream, smallest distance first.
// Ties in distance are broken by the smaller id, so results never depend on the order
// in which candidates arrive (thread count, block size, list order).
//
// Similarity metrics (inner product, cosine) push the negated similarity, so "smaller
// is better" holds everywhere inside the library.

#ifndef VQSEARCH_SEARCH_TOP_K_H_
#define VQSEARCH_SEARCH_TOP_K_H_

#include <cstdint>
#include <limits>
#include <vector>

namespace vqsearch::internal {

class TopK {
 public:
  explicit TopK(int k) : k_(k) { heap_.reserve(k); }

  // Empties the heap, keeping k.
  void Clear() { heap_.clear(); }
  int k() const { return k_; }
  int size() const { return static_cast<int>(heap_.size()); }

  // Candidates with a distance above this can never enter; +inf until k are held.
  float threshold() const {
    return size() < k_ ? std::numeric_limits<float>::infinity() : heap_.front().distance;
  }

  void Push(float distance, int64_t id) {
    const Entry entry{distance, id};
    if (size() < k_) {
      heap_.push_back(entry);
      SiftUp(size() - 1);
    } else if (Better(entry, heap_.front())) {
      heap_.front() = entry;
      SiftDown(0);
    }
  }

  // Writes the held entries best first into k slots, padding with (pad_distance, -1);
  // empties the heap.
  void ExtractSorted(float* distances, int64_t* ids, float pad_distance);

 private:
  struct Entry {
    float distance;
    int64_t id;
  };
  // The strict order the heap keeps: the worst entry sits at the root.
  static bool Better(const Entry& a, const Entry& b) {
    return a.distance < b.distance || (a.distance == b.distance && a.id < b.id);
  }
  void SiftUp(int i);
  void SiftDown(int i);

  int k_;
  std::vector<Entry> heap_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_TOP_K_H_
