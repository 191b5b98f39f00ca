// File: vqsearch/search_params.h
//
// Per-call search settings and the result of a batched search. Settings travel with each
// call, never as index state, so concurrent searches with different settings are safe.

#ifndef VQSEARCH_SEARCH_PARAMS_H_
#define VQSEARCH_SEARCH_PARAMS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "vqsearch/export.h"
#include "vqsearch/id_filter.h"

namespace vqsearch {

// A setting with a default that remembers whether the caller assigned it, so that an
// index can refuse a setting it does not take (refine_factor on IVF-Flat) without
// mistaking the default for a choice. It reads as its value: `params.nprobe = 8;` sets
// it, `int n = params.nprobe;` reads it, and Reset() returns it to its default.
template <typename T>
class Setting {
 public:
  constexpr Setting(T default_value)  // NOLINT: implicit, so a default reads `= 16`
      : value_(default_value), default_(default_value) {}
  Setting& operator=(T value) {
    value_ = value;
    assigned_ = true;
    return *this;
  }
  constexpr operator T() const { return value_; }  // NOLINT: reads as the value
  constexpr T value() const { return value_; }
  constexpr bool assigned() const { return assigned_; }
  void Reset() {
    value_ = default_;
    assigned_ = false;
  }

 private:
  T value_;
  T default_;
  bool assigned_ = false;
};

struct SearchParams {
  // Threads used by this call: 0 = the process default (vqsearch/threads.h: every CPU
  // the process may run on unless SetNumThreads or VQSEARCH_NUM_THREADS says otherwise),
  // 1 = the calling thread only. Every index takes it.
  Setting<int> num_threads = 0;
  // IVF indexes: how many inverted lists are scanned per query.
  Setting<int> nprobe = 16;
  // Refining indexes: refine_factor x k candidates are re-ranked with stored vectors
  // (0 = the index's default).
  Setting<int> refine_factor = 0;
  // Refine over RaBitQ codes (`...,RaBitQ<b>,Refine(Flat)`): 0 re-ranks the refine_factor x k
  // candidates of smallest estimated distance, as for every base; e > 0 takes the
  // refine_factor x k candidates of smallest lower bound (the estimate less its error
  // bound at confidence eps0 = e / 10, quant/rabitq_quantizer.h) and re-ranks them, from
  // the smallest bound up, only while the bound is below the current k-th exact distance.
  Setting<int> rerank_bound = 0;
  // Only vectors whose ids this filter contains are searched (null: all of them). Not
  // owned: it must outlive the call. Every index takes it.
  const IdFilter* filter = nullptr;
};

// Sets the parameter called `name` ("num_threads", "nprobe", "refine_factor"), so that
// configuration files, the C API and Python keyword arguments share one spelling.
// Unknown names and out-of-range values are InvalidArgument errors.
VQS_EXPORT absl::Status SetSearchParam(std::string_view name, int value, SearchParams* params);

// A parameter an index takes (Index::search_params), by the name SetSearchParam uses.
// The strings are static.
struct SearchParamInfo {
  std::string_view name;
  int default_value;
  int min_value;
  int max_value;  // INT_MAX: unbounded
  std::string_view description;
};

// The k nearest neighbours of each of nq queries, closest first. Row q occupies
// [q * k, (q + 1) * k) of both arrays.
//
// Padding (the one rule, for C++, C and Python alike): a query with fewer than k
// results (fewer than k vectors stored, in its probed lists, or passing its id filter)
// has its real results first and then id -1 with distance +inf (L2) or -inf (inner
// product, cosine) in the remaining slots. Stored ids are never negative, so the first
// -1 ends a row; row_size(q) counts the real results.
struct SearchResults {
  int64_t num_queries = 0;
  int k = 0;
  std::vector<float> distances;
  std::vector<int64_t> ids;

  const float* distances_row(int64_t q) const { return distances.data() + q * k; }
  const int64_t* ids_row(int64_t q) const { return ids.data() + q * k; }
  // The number of real results of row q, before its padding.
  int row_size(int64_t q) const {
    const int64_t* row = ids_row(q);
    int n = 0;
    while (n < k && row[n] >= 0) ++n;
    return n;
  }
};

}  // namespace vqsearch

#endif  // VQSEARCH_SEARCH_PARAMS_H_
