// Vectors for vqs from a file chosen by its extension: an ann-benchmarks .hdf5 (its
// `train` set for an index's data, its `test` set and ground truth for queries), or
// .fvecs, .bvecs, .npy (vqsearch/dataset.h reads each, treating it as untrusted).

#ifndef VQSEARCH_TOOLS_VQS_VECTOR_FILE_H_
#define VQSEARCH_TOOLS_VQS_VECTOR_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/dataset.h"
#include "vqsearch/metric.h"

namespace vqsearch::cli {

enum class HdfPart { kTrain, kTest };

struct VectorFile {
  FloatMatrix vectors;
  std::optional<Metric> metric;  // an HDF5 file's distance
  // An HDF5 test set's exact neighbours (train row numbers), gt_k per query; else empty.
  std::vector<int64_t> ground_truth;
  int ground_truth_k = 0;
};

// `flag` names the flag the path came from in errors ("--data"). An empty file (no rows)
// is an error; so is an extension other than .hdf5, .h5, .fvecs, .bvecs and .npy.
absl::StatusOr<VectorFile> ReadVectorFile(const std::string& path, HdfPart part,
                                          const std::string& flag);

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_VECTOR_FILE_H_
