// vqs info: what an index file holds: spec, dimension, metric, vectors, the sizes of its
// inverted lists, bytes per vector by part, file format version and the SIMD kernels
// this machine runs it with; as text or as JSON (--json).

#include <algorithm>
#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "command.h"
#include "flags.h"
#include "index_report.h"
#include "result_file.h"
#include "util/status_macros.h"
#include "vqsearch/index.h"
#include "vqsearch/isa.h"
#include "vqsearch/io.h"

namespace vqsearch::cli {
namespace {

using bench::internal::JsonString;

struct ListStats {
  int64_t min = 0, median = 0, max = 0, empty = 0;
  double imbalance = 0;
};

ListStats StatsOf(std::vector<int64_t> sizes) {
  ListStats stats;
  if (sizes.empty()) return stats;
  std::sort(sizes.begin(), sizes.end());
  stats.min = sizes.front();
  stats.max = sizes.back();
  stats.median = sizes[sizes.size() / 2];
  stats.empty = std::count(sizes.begin(), sizes.end(), 0);
  stats.imbalance = ImbalanceFactor(sizes);
  return stats;
}

std::string ParamText(const SearchParamInfo& info) {
  return absl::StrCat(std::string(info.name), " (default ", info.default_value, ", ", info.min_value, "..",
                      info.max_value == INT_MAX ? std::string("inf") : absl::StrCat(info.max_value),
                      ")");
}

absl::Status RunInfo(const std::vector<std::string>& positional) {
  std::string path = absl::GetFlag(FLAGS_index);
  if (!positional.empty()) {
    if (!path.empty()) return UsageError("give the index file once: as an argument or as --index");
    path = positional[0];
  }
  if (path.empty()) return UsageError("no index file: vqs info INDEX.vqs");
  absl::StatusOr<std::unique_ptr<Index>> loaded = vqsearch::Load(path);
  if (!loaded.ok()) return loaded.status();
  const Index& index = **loaded;
  VQS_ASSIGN_OR_RETURN(const IndexFileReport report, ReportIndexFile(path));
  const ListStats lists = StatsOf(report.list_sizes);
  const double n = std::max<double>(1, static_cast<double>(index.size()));
  const PartBytes& parts = report.parts;
  std::vector<SearchParamInfo> params;
  for (const SearchParamInfo& info : index.search_params()) {
    if (info.name != "num_threads") params.push_back(info);
  }

  if (absl::GetFlag(FLAGS_json)) {
    std::vector<std::string> fields = {
        absl::StrCat("\"file\": ", JsonString(path)),
        absl::StrCat("\"file_bytes\": ", report.file_bytes),
        absl::StrCat("\"format_version\": ", report.format_version),
        absl::StrCat("\"spec\": ", JsonString(index.spec())),
        absl::StrCat("\"dim\": ", index.dim()),
        absl::StrCat("\"metric\": ", JsonString(std::string(MetricName(index.metric())))),
        absl::StrCat("\"ntotal\": ", index.size()),
        absl::StrCat("\"is_trained\": ", index.is_trained() ? "true" : "false"),
        absl::StrCat("\"memory_bytes\": ", index.MemoryUsageBytes()),
        absl::StrFormat("\"bytes_per_vector\": {\"codes\": %.6g, \"ids\": %.6g, \"refine\": %.6g, "
                        "\"codebooks\": %.6g, \"other\": %.6g, \"file\": %.6g}",
                        parts.codes / n, parts.ids / n, parts.refine / n, parts.codebooks / n,
                        parts.other / n, report.file_bytes / n),
        absl::StrCat("\"search_params\": [",
                     absl::StrJoin(params, ", ",
                                   [](std::string* out, const SearchParamInfo& p) {
                                     absl::StrAppend(out, JsonString(std::string(p.name)));
                                   }),
                     "]"),
        absl::StrCat("\"isa\": ", JsonString(std::string(IsaName(ActiveIsa())))),
    };
    if (!report.list_sizes.empty()) {
      fields.push_back(absl::StrFormat(
          "\"lists\": {\"nlist\": %d, \"min\": %d, \"median\": %d, \"max\": %d, \"empty\": %d, "
          "\"imbalance\": %.6g}",
          report.list_sizes.size(), lists.min, lists.median, lists.max, lists.empty,
          lists.imbalance));
    }
    absl::PrintF("{\n  %s\n}\n", absl::StrJoin(fields, ",\n  "));
    return absl::OkStatus();
  }

  absl::PrintF("file            %s (%d bytes, format version %d)\n", path, report.file_bytes,
               report.format_version);
  absl::PrintF("spec            %s\n", index.spec());
  absl::PrintF("dimension       %d\n", index.dim());
  absl::PrintF("metric          %s\n", MetricName(index.metric()));
  absl::PrintF("vectors         %d%s\n", index.size(), index.is_trained() ? "" : " (not trained)");
  absl::PrintF("memory          %d bytes (%.1f per vector)\n", index.MemoryUsageBytes(),
               index.MemoryUsageBytes() / n);
  if (!report.list_sizes.empty()) {
    absl::PrintF("inverted lists  %d: min %d, median %d, max %d, %d empty, imbalance %.3f\n",
                 report.list_sizes.size(), lists.min, lists.median, lists.max, lists.empty,
                 lists.imbalance);
  }
  absl::PrintF("bytes/vector    codes %.1f, ids %.1f, refine %.1f, codebooks %.1f, other %.1f "
               "(file: %.1f)\n",
               parts.codes / n, parts.ids / n, parts.refine / n, parts.codebooks / n,
               parts.other / n, report.file_bytes / n);
  absl::PrintF("search params   %s\n",
               params.empty() ? std::string("none")
                              : absl::StrJoin(params, ", ",
                                              [](std::string* out, const SearchParamInfo& p) {
                                                absl::StrAppend(out, ParamText(p));
                                              }));
  absl::PrintF("ISA             %s\n", IsaName(ActiveIsa()));
  return absl::OkStatus();
}

}  // namespace

Command InfoCommand() {
  return {
      "info",
      "describe an index file: spec, size, inverted lists, bytes per vector",
      "vqs info INDEX.vqs [--json]\n\n"
      "Prints what INDEX.vqs holds: spec, dimension, metric, number of vectors, memory once "
      "loaded, the inverted lists' sizes (min, median, max, empty lists and FAISS's imbalance "
      "factor) for IVF indexes, the file's bytes per vector by part (codes; ids; refine: what "
      "Refine re-ranks with; codebooks: centroids, codebooks, rotations; other: names, "
      "scalars, list sizes and the container), the file format version, and the SIMD "
      "instruction set this machine's fast-scan kernels use.",
      {{"index", "index file (instead of the argument)"},
       {"json", "print one JSON object instead of text"}},
      1,
      RunInfo,
  };
}

}  // namespace vqsearch::cli
