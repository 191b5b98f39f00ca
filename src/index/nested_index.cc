// Base indexes stored inside composite ones; see nested_index.h.

#include "index/nested_index.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"
#include "vqsearch/metric.h"
#include "vqsearch/io.h"

namespace vqsearch::internal {

absl::Status WriteNestedIndex(const Index& index, absl::string_view section,
                              IndexFileWriter* writer) {
  VQS_ASSIGN_OR_RETURN(std::string bytes, vqsearch::Serialize(index));
  writer->AddOwned(section, SectionType::kUInt8, std::move(bytes));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Index>> ReadNestedIndex(const IndexFileReader& reader,
                                                       absl::string_view section,
                                                       const Index& expected) {
  // Nested reads recurse through ReadIndex on this thread.
  thread_local int depth = 0;
  if (depth >= kMaxNestingDepth) {
    return reader.SectionError(section, absl::StrCat("indexes are nested more than ",
                                                     kMaxNestingDepth, " deep"));
  }
  // The nested file is read where it lies, in the outer file's memory or mapping.
  VQS_ASSIGN_OR_RETURN(const IndexFileReader nested, reader.Nested(section));
  ++depth;
  absl::StatusOr<std::unique_ptr<Index>> index = ReadIndex(nested);
  --depth;
  if (!index.ok()) {
    return reader.SectionError(section, absl::StrCat("the base index: ", index.status().message()));
  }
  const Index& base = **index;
  if (base.spec() != expected.spec() || base.dim() != expected.dim() ||
      base.metric() != expected.metric()) {
    return reader.SectionError(
        section, absl::StrCat("the base index is \"", base.spec(), "\" of dimension ", base.dim(),
                              " (", std::string(MetricName(base.metric())), "); the wrapper's spec expects \"",
                              expected.spec(), "\" of dimension ", expected.dim(), " (",
                              std::string(MetricName(expected.metric())), ")"));
  }
  return index;
}

}  // namespace vqsearch::internal
