// TopK keeps the k best (distance, id) pairs of a stream, smallest distance first.
// Ties in distance are broken by the smaller id, so results never depend on the order
// in which candidates arrive (thread count, block size, list order).
//
// Similarity metrics (inner product, cosine) push the negated similarity, so "smaller
// is better" holds everywhere inside the library.
//
// Two layouts behind one interface, chosen by k. A small k keeps a binary max-heap (the
// worst entry at the root), whose threshold is exact after every push. A large k, as
// refinement asks of its base (refine_factor x k candidates), would pay log2(k) moves
// per admitted candidate, and a scan of short lists admits many: it keeps an unordered
// reservoir of up to 2k entries instead, cut back when full. A large reservoir keeps
// the entries at or below a pivot taken from a sample of its distances (a little more
// than k of them, in two linear passes, about 3x cheaper than selecting at k = 320); a
// small one, or one whose sample misleads (ties at the pivot), keeps exactly the k best
// by a linear-time selection. Its threshold is the largest distance the last cut kept,
// so it may admit a few candidates the heap would have refused; the extraction makes the
// exact decision, and the k entries extracted are the same in both layouts.

#ifndef VQSEARCH_SEARCH_TOP_K_H_
#define VQSEARCH_SEARCH_TOP_K_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace vqsearch::internal {

class TopK {
 public:
  // The largest k kept as a heap.
  static constexpr int kMaxHeapK = 32;

  explicit TopK(int k) : k_(k), reservoir_(k > kMaxHeapK) {
    entries_.reserve(reservoir_ ? 2 * static_cast<size_t>(k) : k);
  }

  // Empties it, keeping k.
  void Clear() {
    entries_.clear();
    reservoir_threshold_ = std::numeric_limits<float>::infinity();
  }
  int k() const { return k_; }
  // Entries held: at most k in a heap, up to 2k in a reservoir before its cut.
  int size() const { return static_cast<int>(entries_.size()); }

  // Candidates with a distance above this can never enter: +inf until k are held (a
  // reservoir: until its first cut), then at least the k-th best distance seen so far.
  float threshold() const {
    if (reservoir_) return reservoir_threshold_;
    return size() < k_ ? std::numeric_limits<float>::infinity() : entries_.front().distance;
  }

  void Push(float distance, int64_t id) {
    const Entry entry{distance, id};
    if (reservoir_) {
      if (distance > reservoir_threshold_) return;
      entries_.push_back(entry);
      if (entries_.size() == 2 * static_cast<size_t>(k_)) Cut();
    } else if (size() < k_) {
      entries_.push_back(entry);
      SiftUp(size() - 1);
    } else if (Better(entry, entries_.front())) {
      entries_.front() = entry;
      SiftDown(0);
    }
  }

  // Tells it that at least k of the entries pushed so far have a distance at most
  // `distance` (the caller counted them): nothing above it can be among the final k. A
  // reservoir then refuses such candidates before its first cut; a heap's threshold is
  // exact once it holds k entries, and it ignores the hint.
  void Bound(float distance) {
    if (reservoir_ && distance < reservoir_threshold_) reservoir_threshold_ = distance;
  }

  // Writes the k best entries best first into k slots, padding with (pad_distance, -1);
  // returns how many were real and empties it.
  int ExtractSorted(float* distances, int64_t* ids, float pad_distance);

 private:
  struct Entry {
    float distance;
    int64_t id;
  };
  // The strict order kept: a is better than b.
  static bool Better(const Entry& a, const Entry& b) {
    return a.distance < b.distance || (a.distance == b.distance && a.id < b.id);
  }
  // Better as a function object, which std algorithms inline (a function pointer costs a
  // call per comparison).
  struct BetterOrder {
    bool operator()(const Entry& a, const Entry& b) const { return Better(a, b); }
  };
  void SiftUp(int i);
  void SiftDown(int i);
  // Distances sampled by a reservoir's cut, and the fewest entries worth sampling: below
  // it the sample's selection costs as much as the exact one.
  static constexpr int kCutSample = 64;
  static constexpr int kMinSampledCut = 4 * kCutSample;
  // Reservoir: keeps at least the k best entries and lowers the threshold to the largest
  // distance kept.
  void Cut();
  // Keeps the k best entries; the threshold becomes the k-th distance.
  void CutExactly();
  // Keeps every entry at or below a sampled pivot if at least k and at most 7/8 of the
  // entries are; false (nothing changed) otherwise.
  bool CutAtSampledPivot();

  int k_;
  bool reservoir_;
  float reservoir_threshold_ = std::numeric_limits<float>::infinity();
  std::vector<Entry> entries_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_TOP_K_H_
