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

// How Load reads a file. It has no settings yet; it is part of the signature so that
// the ones to come (a memory-mapped mode) do not change it.
struct LoadOptions {};

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
