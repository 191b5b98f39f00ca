// CandidateFilter carries a search's IdFilter (vqsearch/id_filter.h) into a scan. Scans
// name their candidates by position (the j-th score of a block, the i-th entry of a
// list) while the filter speaks user ids, so a scan pairs the filter with the user ids
// of what it is scoring. Scans consult it only for candidates that already beat the
// heap's threshold: a rare event once the heap is full, so an absent filter costs one
// predictable branch there and nothing in the per-code loops.

#ifndef VQSEARCH_SEARCH_CANDIDATE_FILTER_H_
#define VQSEARCH_SEARCH_CANDIDATE_FILTER_H_

#include <cstdint>

#include "vqsearch/id_filter.h"

namespace vqsearch::internal {

class CandidateFilter {
 public:
  // Admits every candidate.
  CandidateFilter() = default;
  // Candidate j has user id ids[j]; `filter` null admits every candidate.
  CandidateFilter(const IdFilter* filter, const int64_t* ids) : filter_(filter), ids_(ids) {}

  bool Admits(int64_t j) const { return filter_ == nullptr || filter_->Contains(ids_[j]); }
  bool AdmitsAll() const { return filter_ == nullptr; }

 private:
  const IdFilter* filter_ = nullptr;
  const int64_t* ids_ = nullptr;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SEARCH_CANDIDATE_FILTER_H_
