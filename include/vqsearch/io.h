// File: vqsearch/io.h
//
// Writing indexes to files or bytes and reading them back. The format is versioned and
// checksummed; every earlier version still loads. Files are untrusted input: every
// count, id, stored value and nested index is checked before use, and a file that breaks
// a rule is a DataLoss error naming its section and the rule. Out of memory while saving
// or loading is a ResourceExhausted error, not an exception.

#ifndef VQSEARCH_IO_H_
#define VQSEARCH_IO_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vqsearch/export.h"
#include "vqsearch/index.h"

namespace vqsearch {

// How Load reads a file.
struct LoadOptions {
  // Map the file (read-only, private) instead of reading it into memory: the stored
  // codes, vectors and ids of every index type are then served straight from the
  // mapping, and the process's resident memory holds only the pages searches touch plus
  // what loading computes (centroids, tables, Flat's norms). Loading still verifies
  // every checksum and id rule, reading the file once, and then drops the pages it read
  // from the resident set, so a damaged file is an error at load as without mmap.
  // Searches read the file as it was at load: the file must not be truncated or
  // rewritten in place while mapped (Save renames a new file over it, which is safe).
  // Add and Remove work on a mapped index: an array they change (an IVF list, Flat's
  // vectors, the ids) is first copied into memory (copy on write), the file never is.
  bool mmap = false;
};

// Writes `index` atomically and durably: a synced temporary file renamed over `path`, so
// a crash leaves either the old file or the new one.
VQS_EXPORT absl::Status Save(const Index& index, const std::string& path);
// The same bytes Save writes, in memory.
VQS_EXPORT absl::StatusOr<std::string> Serialize(const Index& index);

// Reads an index written by Save (any earlier format version is accepted).
VQS_EXPORT absl::StatusOr<std::unique_ptr<Index>> Load(const std::string& path,
                                                       const LoadOptions& options = {});
// Reads an index from the bytes Serialize produced.
VQS_EXPORT absl::StatusOr<std::unique_ptr<Index>> Deserialize(std::string_view bytes);

}  // namespace vqsearch

#endif  // VQSEARCH_IO_H_
