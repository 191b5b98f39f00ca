#include "vector_file.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "command.h"
#include "util/status_macros.h"

namespace vqsearch::cli {
namespace {

absl::Status InFile(const absl::Status& status, const std::string& flag) {
  return absl::Status(status.code(), absl::StrCat(flag, ": ", status.message()));
}

absl::StatusOr<VectorFile> ReadHdf5(const std::string& path, HdfPart part) {
  VQS_ASSIGN_OR_RETURN(AnnDataset dataset, ReadAnnHdf5(path));
  VectorFile file;
  file.vectors.dim = dataset.dim;
  if (!dataset.distance.empty()) {
    VQS_ASSIGN_OR_RETURN(file.metric, dataset.metric());
  }
  if (part == HdfPart::kTrain) {
    file.vectors.values = std::move(dataset.train);
  } else {
    file.vectors.values = std::move(dataset.test);
    file.ground_truth.assign(dataset.neighbors.begin(), dataset.neighbors.end());
    file.ground_truth_k = dataset.gt_k;
  }
  return file;
}

}  // namespace

absl::StatusOr<VectorFile> ReadVectorFile(const std::string& path, HdfPart part,
                                          const std::string& flag) {
  absl::StatusOr<VectorFile> file;
  if (absl::EndsWithIgnoreCase(path, ".hdf5") || absl::EndsWithIgnoreCase(path, ".h5")) {
    file = ReadHdf5(path, part);
  } else {
    absl::StatusOr<FloatMatrix> matrix;
    if (absl::EndsWithIgnoreCase(path, ".fvecs")) {
      matrix = ReadFvecs(path);
    } else if (absl::EndsWithIgnoreCase(path, ".bvecs")) {
      matrix = ReadBvecs(path);
    } else if (absl::EndsWithIgnoreCase(path, ".npy")) {
      matrix = ReadNpy(path);
    } else {
      return UsageError(absl::StrCat(flag, "=", path,
                                     ": expected a .hdf5, .h5, .fvecs, .bvecs or .npy file"));
    }
    if (!matrix.ok()) return InFile(matrix.status(), flag);
    file.emplace();
    file->vectors = *std::move(matrix);
  }
  if (!file.ok()) return InFile(file.status(), flag);
  if (file->vectors.rows() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " holds no vectors"));
  }
  return file;
}

}  // namespace vqsearch::cli
