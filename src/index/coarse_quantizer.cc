// Probing and assignment against the coarse centroids; see coarse_quantizer.h.

#include "index/coarse_quantizer.h"

#include <utility>

#include "linalg/gemm.h"
#include "search/nearest_rows.h"

namespace vqsearch::internal {

CoarseQuantizer::CoarseQuantizer(std::vector<float> centroids, int dim, bool l2)
    : centroids_(std::move(centroids)), dim_(dim), l2_(l2) {
  if (!l2_) return;
  squared_norms_.resize(centroids_.size() / dim_);
  SquaredNorms(MatrixView(centroids_, dim_), squared_norms_.data());
}

void CoarseQuantizer::Probe(MatrixView queries, int nprobe, int num_threads,
                            SearchResults* probes) const {
  NearestRowsOptions options;
  options.l2 = l2_;
  options.exact_rerank = false;
  options.num_threads = num_threads;
  NearestRows(queries, SearchedRows{centroids(), l2_ ? squared_norms_.data() : nullptr}, nprobe,
              options, probes);
}

absl::StatusOr<std::vector<int64_t>> CoarseQuantizer::Assign(MatrixView vectors,
                                                             int num_threads) const {
  SearchResults nearest;
  Probe(vectors, /*nprobe=*/1, num_threads, &nearest);
  return NearestRowLabels(std::move(nearest), "vector");
}

}  // namespace vqsearch::internal
