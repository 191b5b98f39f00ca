// CoarseQuantizer: the partition of an IVF index as one value, its nlist centroids and,
// under L2, their squared norms, stored once. Probing (the nprobe nearest lists of each
// query) and assignment (the nearest list of each added vector) are nearest-rows scans
// against it (search/nearest_rows.h), in approximate GEMM order: a list just past the
// cut-off only matters when its score is within rounding of the last probed one.

#ifndef VQSEARCH_INDEX_COARSE_QUANTIZER_H_
#define VQSEARCH_INDEX_COARSE_QUANTIZER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/search_params.h"

namespace vqsearch::internal {

class CoarseQuantizer {
 public:
  // No centroids (an untrained index).
  CoarseQuantizer() = default;
  // `centroids`: rows x dim; `l2` scores by L2 distance, otherwise by inner product.
  CoarseQuantizer(std::vector<float> centroids, int dim, bool l2);

  bool empty() const { return centroids_.empty(); }
  MatrixView centroids() const { return MatrixView(centroids_, dim_); }
  size_t MemoryUsageBytes() const {
    return (centroids_.capacity() + squared_norms_.capacity()) * sizeof(float);
  }

  // The nprobe nearest lists of each (checked) query, nearest first, into probes->ids.
  void Probe(MatrixView queries, int nprobe, int num_threads, SearchResults* probes) const;
  // The nearest list of each (checked) vector; InvalidArgument for a vector whose
  // distances to the centroids overflow float.
  absl::StatusOr<std::vector<int64_t>> Assign(MatrixView vectors, int num_threads) const;

 private:
  std::vector<float> centroids_;
  std::vector<float> squared_norms_;  // L2 only
  int dim_ = 1;
  bool l2_ = true;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_COARSE_QUANTIZER_H_
