// File: vqsearch/id_filter.h
//
// IdFilter restricts a search to the stored vectors whose ids it contains: a tenant's or
// a category's vectors, or everything but ids deleted and not yet compacted away. Set
// SearchParams::filter to one and every result row holds only contained ids, the k
// nearest of them, padded as usual (id -1) when fewer are reachable.
//
// Ids are the user's ids (those given to Add, or the sequential ones it assigned).
// Contains is called from every thread of every search that uses the filter, so an
// implementation must be safe to call concurrently; both filters here are immutable.
// A filter is consulted only for candidates close enough to enter a query's results, so
// its cost grows with how selective it is, not with the index size.

#ifndef VQSEARCH_ID_FILTER_H_
#define VQSEARCH_ID_FILTER_H_

#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "vqsearch/export.h"

namespace vqsearch {

class VQS_EXPORT IdFilter {
 public:
  virtual ~IdFilter() = default;
  // Whether a vector with this id may appear in results.
  virtual bool Contains(int64_t id) const = 0;
};

// The ids in [begin, end); empty when end <= begin.
class VQS_EXPORT IdRangeFilter : public IdFilter {
 public:
  IdRangeFilter(int64_t begin, int64_t end) : begin_(begin), end_(end) {}
  bool Contains(int64_t id) const override { return id >= begin_ && id < end_; }

 private:
  int64_t begin_;
  int64_t end_;
};

// The ids of a list, copied into a hash set (duplicates are fine).
class VQS_EXPORT IdSetFilter : public IdFilter {
 public:
  explicit IdSetFilter(absl::Span<const int64_t> ids) : ids_(ids.begin(), ids.end()) {}
  bool Contains(int64_t id) const override { return ids_.contains(id); }

 private:
  absl::flat_hash_set<int64_t> ids_;
};

}  // namespace vqsearch

#endif  // VQSEARCH_ID_FILTER_H_
