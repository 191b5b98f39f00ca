// Base indexes stored inside composite ones; see nested_index.h.

#include "index/nested_index.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::internal {

absl::Status WriteNestedIndex(const Index& index, absl::string_view section,
                              IndexFileWriter* writer) {
  VQS_ASSIGN_OR_RETURN(std::string bytes, index.Serialize());
  writer->AddOwned(section, SectionType::kUInt8, std::move(bytes));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Index>> ReadNestedIndex(const IndexFileReader& reader,
                                                       absl::string_view section, int dim,
                                                       Metric metric) {
  VQS_ASSIGN_OR_RETURN(absl::Span<const uint8_t> bytes, reader.UInt8(section));
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index,
                       Index::Deserialize(std::string_view(
                           reinterpret_cast<const char*>(bytes.data()), bytes.size())));
  if (index->dim() != dim || index->metric() != metric) {
    return absl::DataLossError(absl::StrCat("the base index in section \"", std::string(section),
                                            "\" has another dimension or metric"));
  }
  return index;
}

}  // namespace vqsearch::internal
