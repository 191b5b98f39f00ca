// Software prefetch for re-ranking: shortlisted records (float vectors, SQ codes) sit at
// random places in memory, far from cache. Requesting the lines of the next
// kPrefetchAhead records while scoring one keeps many memory requests in flight instead
// of waiting on each line (measured on 784-d float vectors: 0.6 us per vector against
// 1.0 us with no prefetch, 0.75 us prefetching one ahead); the window (~100 KB of 3 KB
// vectors) stays well inside L2.

#ifndef VQSEARCH_UTIL_PREFETCH_H_
#define VQSEARCH_UTIL_PREFETCH_H_

#include <cstddef>

namespace vqsearch::internal {

inline constexpr int kPrefetchAhead = 32;

// Asks for every cache line of [data, data + bytes) to be loaded.
inline void PrefetchBytes(const void* data, size_t bytes) {
  const char* p = static_cast<const char*>(data);
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(p + offset);
}

// Runs score(i) for i < count in order, prefetching record(i + kPrefetchAhead) (a pointer
// to `bytes` bytes) ahead of it.
template <typename RecordOf, typename Score>
void ScoreWithPrefetch(int count, size_t bytes, RecordOf record, Score score) {
  for (int i = 0; i < count && i < kPrefetchAhead; ++i) PrefetchBytes(record(i), bytes);
  for (int i = 0; i < count; ++i) {
    if (i + kPrefetchAhead < count) PrefetchBytes(record(i + kPrefetchAhead), bytes);
    score(i);
  }
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_PREFETCH_H_
