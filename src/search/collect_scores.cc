// Score rows into shortlists; see collect_scores.h.

#include "search/collect_scores.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "simd/vector_ops.h"

namespace vqsearch::internal {
namespace {

// Scores are screened a chunk at a time: a chunk's best completed score is a vectorized
// reduction, and most chunks hold nothing better than the current worst of the heap, so
// they cost no per-candidate branch and no stores at all.
constexpr int64_t kChunk = 32;

// An empty heap's bound (see BoundEmptyHeap) takes the minima of about 2k chunks of at
// least kMinBoundChunk scores, at most kMaxBoundChunks of them.
constexpr int64_t kMaxBoundChunks = 256;
constexpr int64_t kMinBoundChunk = 8;

struct ChunkMinima {
  int64_t chunk = kChunk;  // scores a chunk
  float bound = std::numeric_limits<float>::infinity();
  float minima[kMaxBoundChunks];
};

// An empty heap's threshold is +inf until k scores have entered, so screening alone lets
// every early score of a row in, each at the cost of a push: coarse probing takes nprobe
// of nlist scores this way. The minima of disjoint chunks are distinct scores of the row:
// when k of them are no greater than b, neither is the row's k-th best, and no score
// above b can be among the final k. Fills `out` with the chunk minima and b, the k-th
// smallest of them, and returns true; returns false, leaving `out` alone, when the row
// has fewer than 2k chunks.
bool BoundEmptyHeap(const float* scores, const float* norms, float offset, int64_t count, int k,
                    ChunkMinima* out) {
  const int64_t chunks_wanted = 2 * static_cast<int64_t>(k);
  const int64_t chunk = std::max(kMinBoundChunk, (count + chunks_wanted - 1) / chunks_wanted);
  const int64_t chunks = (count + chunk - 1) / chunk;
  if (chunks_wanted > kMaxBoundChunks || chunks < chunks_wanted) return false;
  out->chunk = chunk;
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t begin = c * chunk;
    const float minimum = MinWithOffsets(scores + begin, norms == nullptr ? nullptr : norms + begin,
                                         1, offset, std::min(chunk, count - begin));
    // A NaN minimum bounds nothing; as +inf it keeps std::nth_element's order strict.
    out->minima[c] = std::isnan(minimum) ? std::numeric_limits<float>::infinity() : minimum;
  }
  float order[kMaxBoundChunks];
  std::copy(out->minima, out->minima + chunks, order);
  std::nth_element(order, order + (k - 1), order + chunks);
  out->bound = order[k - 1];
  return true;
}

// The scores of a slice of a row that pass a threshold, found without a branch a score.
constexpr int64_t kMaxSelection = 256;
struct Selection {
  int64_t positions[kMaxSelection];
  float scores[kMaxSelection];
};

// Writes the positions j in [begin, end) (at most kMaxSelection of them) whose completed
// score is at most `threshold`, with those scores, into `out` and returns how many. The
// comparison moves the write cursor instead of branching: in a chunk that holds a
// candidate most scores still fail, and a branch on each mispredicts. Scores are summed
// in MinWithOffsets's order, so that a chunk's minimum is one of its scores.
int SelectAtMost(const float* scores, const float* norms, int64_t norm_stride, float offset,
                 int64_t begin, int64_t end, float threshold, Selection* out) {
  int found = 0;
  for (int64_t j = begin; j < end; ++j) {
    const float score = (scores[j] + (norms == nullptr ? 0.0f : norms[j * norm_stride])) + offset;
    out->positions[found] = j;
    out->scores[found] = score;
    found += score <= threshold ? 1 : 0;
  }
  return found;
}

}  // namespace

void CollectScores(const float* scores, const float* norms, int64_t norm_stride, float offset,
                   int64_t first_id, int64_t count, TopK* heap, CandidateFilter filter) {
  ChunkMinima screen;
  // The bound needs every score to be a candidate (a filter could reject the minima).
  const bool have_minima = heap->size() == 0 && filter.AdmitsAll() &&
                           (norms == nullptr || norm_stride == 1) &&
                           BoundEmptyHeap(scores, norms, offset, count, heap->k(), &screen);
  float threshold = std::min(screen.bound, heap->threshold());
  Selection selected;
  for (int64_t begin = 0, c = 0; begin < count; begin += screen.chunk, ++c) {
    const int64_t end = std::min(count, begin + screen.chunk);
    const float minimum =
        have_minima ? screen.minima[c]
                    : MinWithOffsets(scores + begin,
                                     norms == nullptr ? nullptr : norms + begin * norm_stride,
                                     norm_stride, offset, end - begin);
    if (minimum > threshold) continue;
    for (int64_t slice = begin; slice < end; slice += kMaxSelection) {
      const int found = SelectAtMost(scores, norms, norm_stride, offset, slice,
                                     std::min(end, slice + kMaxSelection), threshold, &selected);
      for (int i = 0; i < found; ++i) {
        const int64_t j = selected.positions[i];
        if (selected.scores[i] <= threshold && filter.Admits(j)) {
          heap->Push(selected.scores[i], first_id + j);
          threshold = std::min(screen.bound, heap->threshold());
        }
      }
    }
  }
}

}  // namespace vqsearch::internal
