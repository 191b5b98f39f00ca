// Rotation in front of a base index; see pre_transform_index.h.

#include "index/pre_transform_index.h"

#include <algorithm>
#include <vector>

#include "index/codec_metric.h"
#include "index/nested_index.h"
#include "index/reconstruct_access.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

size_t PreTransformIndex::MemoryUsageBytes() const {
  return base_->MemoryUsageBytes() + rotation_.matrix().size() * sizeof(float);
}

absl::Status PreTransformIndex::DoTrain(MatrixView vectors, const BuildOptions& options) {
  // Under cosine the base normalizes what it receives; the rotation is fitted to the
  // same unit-length directions.
  std::vector<float> normalized;
  const MatrixView training =
      NormalizedForMetric(metric(), vectors, &normalized, options.num_threads);
  VQS_RETURN_IF_ERROR(rotation_.Train(training, /*seed=*/2024, options));
  std::vector<float> rotated;
  rotation_.Apply(vectors, &rotated);
  return base_->Train(MatrixView(rotated, dim()), options);
}

absl::Status PreTransformIndex::DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                                      const BuildOptions& options) {
  std::vector<float> rotated;
  rotation_.Apply(vectors, &rotated);
  // Searches of this index read the base's state (its size) under this index's lock,
  // so the base's Add runs under it; the rotation is applied before.
  const std::unique_lock<std::shared_mutex> lock = StateLock();
  VQS_RETURN_IF_ERROR(base_->Add(MatrixView(rotated, dim()), ids, options));
  ids_.Commit(ids);
  return absl::OkStatus();
}

absl::Status PreTransformIndex::DoSearch(MatrixView queries, int k, const SearchParams& params,
                                         SearchResults* results) const {
  std::vector<float> rotated;
  rotation_.Apply(queries, &rotated);
  return base_->Search(MatrixView(rotated, dim()), k, params, results);
}

absl::Status PreTransformIndex::DoReconstruct(absl::Span<const int64_t> ids, float* out) const {
  // The base is changed through its own Add and Remove, so it is read under its own lock.
  VQS_RETURN_IF_ERROR(ReconstructAccess::Locked(*base_, ids, out));
  const float* r = rotation_.matrix().data();
  std::vector<float> rotated(dim());
  for (size_t i = 0; i < ids.size(); ++i) {
    float* row = out + i * dim();
    std::copy_n(row, dim(), rotated.data());
    std::fill_n(row, dim(), 0.0f);
    for (int a = 0; a < dim(); ++a) {
      for (int b = 0; b < dim(); ++b) row[b] += r[a * dim() + b] * rotated[a];
    }
  }
  return absl::OkStatus();
}

absl::Status PreTransformIndex::WriteState(IndexFileWriter* writer) const {
  VQS_RETURN_IF_ERROR(WriteNestedIndex(*base_, "pretransform.base", writer));
  writer->AddInt64Scalar("pretransform.trained", rotation_.is_trained() ? 1 : 0);
  if (rotation_.is_trained()) rotation_.Write("pretransform.opq", writer);
  ids_.Write(writer);
  return absl::OkStatus();
}

absl::Status PreTransformIndex::ReadState(const IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> base,
                       ReadNestedIndex(reader, "pretransform.base", *base_));
  VQS_ASSIGN_OR_RETURN(const bool trained, reader.Flag("pretransform.trained"));
  if (trained) VQS_RETURN_IF_ERROR(rotation_.Read("pretransform.opq", reader));
  VQS_RETURN_IF_ERROR(ids_.Read(reader));
  base_ = std::move(base);
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
