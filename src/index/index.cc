// The parts of Index shared by every index type: creation from a spec, and the checks
// Train, Add and Search make before they hand over to the index.

#include "vqsearch/index.h"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "absl/strings/str_cat.h"
#include "index/id_map.h"
#include "linalg/gemm.h"
#include "search/search_param_check.h"
#include "util/status_macros.h"
#include "linalg/vector_checks.h"
#include "vqsearch/factory.h"

namespace vqsearch {
namespace {

// Training and adding free buffers as large as the data (residuals, codes of a chunk,
// k-means assignments) that glibc's malloc keeps mapped for reuse below its mmap
// threshold (up to 32 MiB per buffer) and in fragments of its arenas: the process then
// looks tens of MiB bigger than the index. Returning them costs a few milliseconds, once
// per Train or Add.
void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

absl::StatusOr<std::unique_ptr<Index>> Index::Create(std::string_view spec, int dim,
                                                     Metric metric) {
  return CreateIndex(spec, dim, metric);
}

std::shared_lock<std::shared_mutex> Index::ReaderLock() const {
  { const std::lock_guard<std::mutex> gate(writer_gate_); }
  return std::shared_lock<std::shared_mutex>(state_mutex_);
}

std::unique_lock<std::shared_mutex> Index::WriterLock() const {
  const std::lock_guard<std::mutex> gate(writer_gate_);
  return std::unique_lock<std::shared_mutex>(state_mutex_);
}

absl::Status Index::Train(MatrixView vectors, const BuildOptions& options) {
  const internal::SingleThreadedBlas single_threaded_blas;
  const std::lock_guard<std::mutex> writer(writers_);
  const std::unique_lock<std::shared_mutex> lock = WriterLock();
  VQS_RETURN_IF_ERROR(internal::CheckVectors(vectors, dim_, "training vectors"));
  if (metric_ == Metric::kCosine) {
    VQS_RETURN_IF_ERROR(internal::CheckNonZeroRows(vectors, "training vectors"));
  }
  if (size() > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot train an index that already holds ", size(), " vectors: train before adding"));
  }
  const absl::Status trained = DoTrain(vectors, options);
  ReleaseFreedMemory();
  return trained;
}

absl::Status Index::Add(MatrixView vectors, absl::Span<const int64_t> ids,
                        const BuildOptions& options) {
  const internal::SingleThreadedBlas single_threaded_blas;
  // Only writers change the state, so holding the writer mutex is enough to read it.
  const std::lock_guard<std::mutex> writer(writers_);
  if (!is_trained()) {
    return absl::FailedPreconditionError(
        absl::StrCat("index \"", spec_, "\" must be trained before vectors are added"));
  }
  VQS_RETURN_IF_ERROR(internal::CheckVectors(vectors, dim_, "vectors"));
  if (metric_ == Metric::kCosine) VQS_RETURN_IF_ERROR(internal::CheckNonZeroRows(vectors, "vectors"));
  VQS_RETURN_IF_ERROR(id_map().CheckAdd(size(), vectors.rows, ids));
  VQS_RETURN_IF_ERROR(internal::CheckIdsAreNew(ids, *this, id_upper_bound_));
  if (vectors.rows == 0) return absl::OkStatus();
  const absl::Status added = DoAdd(vectors, ids, options);
  ReleaseFreedMemory();
  VQS_RETURN_IF_ERROR(added);
  // Sequential ids never meet this check: an index with them refuses user ids.
  if (!ids.empty()) {
    id_upper_bound_ = std::max(id_upper_bound_, *std::max_element(ids.begin(), ids.end()));
  }
  return absl::OkStatus();
}

absl::Status Index::Search(MatrixView queries, int k, const SearchParams& params,
                           SearchResults* results) const {
  const internal::SingleThreadedBlas single_threaded_blas;
  VQS_RETURN_IF_ERROR(internal::CheckK(k));
  // The checks below read size() and trained-ness, which writers change.
  const std::shared_lock<std::shared_mutex> lock = ReaderLock();
  VQS_RETURN_IF_ERROR(internal::CheckVectors(queries, dim_, "queries"));
  if (results == nullptr) return absl::InvalidArgumentError("results must not be null");
  if (!is_trained()) {
    return absl::FailedPreconditionError(absl::StrCat("index \"", spec_, "\" is not trained"));
  }
  if (size() == 0) {
    return absl::FailedPreconditionError("search on an empty index: add vectors first");
  }
  if (metric_ == Metric::kCosine) {
    VQS_RETURN_IF_ERROR(internal::CheckNonZeroRows(queries, "queries"));
  }
  VQS_RETURN_IF_ERROR(internal::CheckSearchParams(
      params, [this] { return search_params(); }, spec_));
  return DoSearch(queries, k, params, results);
}

absl::StatusOr<size_t> Index::Remove(absl::Span<const int64_t> ids) {
  const std::lock_guard<std::mutex> writer(writers_);
  const std::unique_lock<std::shared_mutex> lock = WriterLock();
  return DoRemove(ids);
}

std::vector<SearchParamInfo> Index::search_params() const { return {internal::NumThreadsParam()}; }

}  // namespace vqsearch
