#include "index_report.h"

#include <string_view>
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "io/index_file.h"
#include "util/status_macros.h"

namespace vqsearch::cli {
namespace {

using internal::IndexFileReader;
using internal::SectionType;

uint64_t Total(const PartBytes& parts) {
  return parts.codes + parts.ids + parts.refine + parts.codebooks + parts.other;
}

// Sorts each section of `reader` into a part, by the naming rule every index follows:
// `<owner>.<what>`, `.base` holding a nested index file.
absl::Status Visit(const IndexFileReader& reader, uint64_t file_bytes, IndexFileReport* report) {
  const uint64_t before = Total(report->parts);
  for (const IndexFileReader::SectionInfo& section : reader.ListSections()) {
    const std::string& name = section.name;
    PartBytes& parts = report->parts;
    if (section.type == SectionType::kUInt8 && absl::EndsWith(name, ".base")) {
      VQS_ASSIGN_OR_RETURN(const absl::Span<const uint8_t> bytes, reader.UInt8(name));
      VQS_ASSIGN_OR_RETURN(
          const IndexFileReader nested,
          IndexFileReader::FromBytes(
              std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
              absl::StrCat("the nested index in section ", name)));
      VQS_RETURN_IF_ERROR(Visit(nested, bytes.size(), report));
      continue;
    }
    const bool refines = absl::StartsWith(name, "refine.");
    const bool holds_vectors = absl::EndsWith(name, ".codes") || absl::EndsWith(name, ".vectors");
    if (absl::EndsWith(name, ".ids")) {
      parts.ids += section.length;
    } else if (refines && holds_vectors) {
      parts.refine += section.length;
    } else if (holds_vectors) {
      parts.codes += section.length;
    } else if (section.type == SectionType::kFloat32) {
      parts.codebooks += section.length;
    } else {
      parts.other += section.length;
      if (absl::EndsWith(name, ".lists.sizes")) {
        VQS_ASSIGN_OR_RETURN(const absl::Span<const int64_t> sizes, reader.Int64(name));
        report->list_sizes.assign(sizes.begin(), sizes.end());
      }
    }
  }
  // The container itself: header, section table and alignment padding.
  const uint64_t counted = Total(report->parts) - before;
  if (file_bytes > counted) report->parts.other += file_bytes - counted;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IndexFileReport> ReportIndexFile(const std::string& path) {
  VQS_ASSIGN_OR_RETURN(const IndexFileReader reader, IndexFileReader::FromFile(path));
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot stat ", path));
  }
  IndexFileReport report;
  report.format_version = reader.format_version();
  report.file_bytes = static_cast<uint64_t>(info.st_size);
  VQS_RETURN_IF_ERROR(Visit(reader, report.file_bytes, &report));
  return report;
}

double ImbalanceFactor(const std::vector<int64_t>& sizes) {
  double sum = 0, squares = 0;
  for (int64_t size : sizes) {
    sum += static_cast<double>(size);
    squares += static_cast<double>(size) * static_cast<double>(size);
  }
  return sum > 0 ? static_cast<double>(sizes.size()) * squares / (sum * sum) : 0;
}

}  // namespace vqsearch::cli
