// What an index file holds, read from its sections (io/index_file.h) rather than from the
// loaded index, so that vqs info can describe the bytes on disk: the sizes of the inverted
// lists, and the bytes per vector by part. Nested indexes (Refine's and OPQ's base, kept
// as a section holding a whole index file) are read recursively.

#ifndef VQSEARCH_TOOLS_VQS_INDEX_REPORT_H_
#define VQSEARCH_TOOLS_VQS_INDEX_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vqsearch::cli {

// Bytes of the file's sections by what they hold.
struct PartBytes {
  uint64_t codes = 0;      // the stored vectors' codes (float vectors for Flat)
  uint64_t ids = 0;        // the stored vectors' ids
  uint64_t refine = 0;     // what Refine re-ranks with (float vectors or SQ codes)
  uint64_t codebooks = 0;  // trained parameters: centroids, codebooks, rotations, SQ ranges
  uint64_t other = 0;      // the container, list sizes, scalars and names
};

struct IndexFileReport {
  uint32_t format_version = 0;
  uint64_t file_bytes = 0;
  PartBytes parts;
  // The inverted lists' sizes (empty unless the index, or a nested one, is an IVF index).
  std::vector<int64_t> list_sizes;
};

absl::StatusOr<IndexFileReport> ReportIndexFile(const std::string& path);

// FAISS's imbalance factor: nlist x sum(size^2) / (sum size)^2, 1 when every list holds
// as many vectors; 0 for no vectors.
double ImbalanceFactor(const std::vector<int64_t>& sizes);

}  // namespace vqsearch::cli

#endif  // VQSEARCH_TOOLS_VQS_INDEX_REPORT_H_
