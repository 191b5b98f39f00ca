// The parts of Index shared by every index type: creation from a spec, and the common
// header sections (spec, dimension, metric) that let Load rebuild any index.

#include "vqsearch/index.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "index/id_map.h"
#include "io/index_file.h"
#include "util/status_macros.h"
#include "util/vector_checks.h"
#include "vqsearch/factory.h"

namespace vqsearch {

absl::StatusOr<std::unique_ptr<Index>> Index::Create(std::string_view spec, int dim,
                                                     Metric metric) {
  return CreateIndex(spec, dim, metric);
}

absl::Status Index::Train(MatrixView vectors, const BuildOptions& options) {
  VQS_RETURN_IF_ERROR(internal::CheckVectors(vectors, dim_, "training vectors"));
  if (metric_ == Metric::kCosine) {
    VQS_RETURN_IF_ERROR(internal::CheckNonZeroRows(vectors, "training vectors"));
  }
  if (size() > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot train an index that already holds ", size(), " vectors: train before adding"));
  }
  return DoTrain(vectors, options);
}

absl::Status Index::Add(MatrixView vectors, absl::Span<const int64_t> ids,
                        const BuildOptions& options) {
  if (!is_trained()) {
    return absl::FailedPreconditionError(
        absl::StrCat("index \"", spec_, "\" must be trained before vectors are added"));
  }
  VQS_RETURN_IF_ERROR(internal::CheckVectors(vectors, dim_, "vectors"));
  if (metric_ == Metric::kCosine) VQS_RETURN_IF_ERROR(internal::CheckNonZeroRows(vectors, "vectors"));
  VQS_RETURN_IF_ERROR(id_map().CheckAdd(size(), vectors.rows, ids));
  if (vectors.rows == 0) return absl::OkStatus();
  return DoAdd(vectors, ids, options);
}

absl::Status Index::Search(MatrixView queries, int k, const SearchParams& params,
                           SearchResults* results) const {
  VQS_RETURN_IF_ERROR(internal::CheckK(k));
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
  return DoSearch(queries, k, params, results);
}

absl::Status Index::WriteTo(internal::IndexFileWriter* writer) const {
  writer->AddString("index.spec", spec_);
  writer->AddInt64Scalar("index.dim", dim_);
  writer->AddString("index.metric", std::string(MetricName(metric_)));
  return WriteState(writer);
}

absl::Status Index::Save(const std::string& path) const {
  internal::IndexFileWriter writer;
  VQS_RETURN_IF_ERROR(WriteTo(&writer));
  return writer.WriteFile(path);
}

absl::StatusOr<std::string> Index::Serialize() const {
  internal::IndexFileWriter writer;
  VQS_RETURN_IF_ERROR(WriteTo(&writer));
  return writer.ToBytes();
}

absl::StatusOr<std::unique_ptr<Index>> Index::ReadFrom(const internal::IndexFileReader& reader) {
  VQS_ASSIGN_OR_RETURN(const std::string spec, reader.String("index.spec"));
  VQS_ASSIGN_OR_RETURN(const int64_t dim, reader.Int64Scalar("index.dim"));
  VQS_ASSIGN_OR_RETURN(const std::string metric_name, reader.String("index.metric"));
  VQS_ASSIGN_OR_RETURN(const Metric metric, ParseMetric(metric_name));
  if (dim <= 0 || dim > std::numeric_limits<int>::max()) {
    return absl::DataLossError(absl::StrCat("index file has invalid dimension ", dim));
  }
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Create(spec, static_cast<int>(dim), metric));
  VQS_RETURN_IF_ERROR(index->ReadState(reader));
  return index;
}

absl::StatusOr<std::unique_ptr<Index>> Index::Load(const std::string& path) {
  VQS_ASSIGN_OR_RETURN(const internal::IndexFileReader reader,
                       internal::IndexFileReader::FromFile(path));
  return ReadFrom(reader);
}

absl::StatusOr<std::unique_ptr<Index>> Index::Deserialize(std::string_view bytes) {
  VQS_ASSIGN_OR_RETURN(const internal::IndexFileReader reader,
                       internal::IndexFileReader::FromBytes(bytes));
  return ReadFrom(reader);
}

}  // namespace vqsearch
