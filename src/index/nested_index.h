// Composite indexes (Refine, the OPQ pre-transform) keep their base index as one section
// of their file holding the base's whole serialized image, so the base keeps its own
// sections, version and checks.

#ifndef VQSEARCH_INDEX_NESTED_INDEX_H_
#define VQSEARCH_INDEX_NESTED_INDEX_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class IndexFileWriter;
class IndexFileReader;

// Adds `index`'s serialized bytes as section `section`.
absl::Status WriteNestedIndex(const Index& index, absl::string_view section,
                              IndexFileWriter* writer);

// Composite indexes nest at most this deep in a file (useful specs have one to three
// levels); deeper files are refused before their bytes are copied level by level, which
// costs memory quadratic in the depth. The spec parser must not accept deeper specs.
inline constexpr int kMaxNestingDepth = 16;

// Reads the index of section `section`; a DataLoss error when it is damaged, nested too
// deep, or is not of `expected`'s spec, dimension and metric (`expected` is the empty
// base the wrapper's spec created).
absl::StatusOr<std::unique_ptr<Index>> ReadNestedIndex(const IndexFileReader& reader,
                                                       absl::string_view section,
                                                       const Index& expected);

// Reads a whole index (its common sections and its own) from `reader`, a file or a
// nested section read in place; defined with Load in index_io.cc.
absl::StatusOr<std::unique_ptr<Index>> ReadIndex(const IndexFileReader& reader);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_NESTED_INDEX_H_
