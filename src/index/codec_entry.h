// What the factory knows about one codec: how its spec component is spelled, how to check
// one, and how to build the index that stores its codes. Each codec defines its entry
// beside its index class; src/index/factory.cc lists the entries, one line per codec, and
// builds its grammar and its error messages from that list.

#ifndef VQSEARCH_INDEX_CODEC_ENTRY_H_
#define VQSEARCH_INDEX_CODEC_ENTRY_H_

#include <cstdint>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vqsearch/index.h"
#include "vqsearch/metric.h"

namespace vqsearch::internal {

// What a codec's Create receives.
struct CodecArgs {
  std::string spec;          // the canonical spec of the index being built
  absl::string_view component;  // the codec's component, already accepted by Check
  int dim = 0;
  Metric metric = Metric::kL2;
  int64_t nlist = 0;  // IVF<nlist>; 0 when the spec has no coarse partition
};

struct CodecEntry {
  // Components that start with `prefix` belong to this codec (prefixes are distinct).
  absl::string_view prefix;
  // The component's grammar for error messages, e.g. "PQ<m>[x8|x4fs][_eta<eta>]".
  absl::string_view grammar;
  // Checks what can be checked of a component without the dimension and the metric;
  // the error's message says what is wrong (the factory adds the spec and the grammar).
  absl::Status (*check)(absl::string_view component) = nullptr;
  // Builds the index; errors as for `check`.
  absl::StatusOr<std::unique_ptr<Index>> (*create)(const CodecArgs& args) = nullptr;
  // The code width an OPQ rotation before this codec is trained for; null: 8 bits.
  int (*rotation_bits)(absl::string_view component) = nullptr;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_CODEC_ENTRY_H_
