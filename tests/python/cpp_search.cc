// The C++ side of the Python tests' "Python equals C++" checks: builds an index from a
// spec with the C++ API alone, searches it and writes the results, so the tests can
// compare them with what the bindings return for the same input.
//
// Usage: cpp_search SPEC METRIC BASE.fvecs QUERIES.fvecs K OUT_PREFIX [NAME=VALUE ...]
// Writes OUT_PREFIX.distances.fvecs and OUT_PREFIX.ids.ivecs (nq x K); the NAME=VALUE
// pairs are search parameters (nprobe=8, refine_factor=2, ...) or an id filter,
// id_range=BEGIN:END.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

absl::Status Run(int argc, char** argv) {
  if (argc < 7) {
    return absl::InvalidArgumentError(
        "usage: cpp_search SPEC METRIC BASE.fvecs QUERIES.fvecs K OUT_PREFIX [NAME=VALUE ...]");
  }
  const std::string spec = argv[1];
  VQS_ASSIGN_OR_RETURN(const Metric metric, ParseMetric(argv[2]));
  VQS_ASSIGN_OR_RETURN(const FloatMatrix base, ReadFvecs(argv[3]));
  VQS_ASSIGN_OR_RETURN(const FloatMatrix queries, ReadFvecs(argv[4]));
  int k = 0;
  if (!absl::SimpleAtoi(argv[5], &k)) return absl::InvalidArgumentError("K must be an integer");
  const std::string out_prefix = argv[6];
  SearchParams params;
  std::unique_ptr<IdRangeFilter> filter;
  for (int i = 7; i < argc; ++i) {
    const std::vector<std::string> pair = absl::StrSplit(argv[i], '=');
    if (pair.size() == 2 && pair[0] == "id_range") {
      const std::vector<std::string> bounds = absl::StrSplit(pair[1], ':');
      int64_t begin = 0, end = 0;
      if (bounds.size() != 2 || !absl::SimpleAtoi(bounds[0], &begin) ||
          !absl::SimpleAtoi(bounds[1], &end)) {
        return absl::InvalidArgumentError(
            absl::StrCat("expected id_range=BEGIN:END, got ", argv[i]));
      }
      filter = std::make_unique<IdRangeFilter>(begin, end);
      params.filter = filter.get();
      continue;
    }
    int value = 0;
    if (pair.size() != 2 || !absl::SimpleAtoi(pair[1], &value)) {
      return absl::InvalidArgumentError(absl::StrCat("expected NAME=VALUE, got ", argv[i]));
    }
    VQS_RETURN_IF_ERROR(SetSearchParam(pair[0], value, &params));
  }

  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Index::Create(spec, base.dim, metric));
  VQS_RETURN_IF_ERROR(index->Train(base.view()));
  VQS_RETURN_IF_ERROR(index->Add(base.view()));
  SearchResults results;
  VQS_RETURN_IF_ERROR(index->Search(queries.view(), k, params, &results));

  VQS_RETURN_IF_ERROR(WriteFvecs(absl::StrCat(out_prefix, ".distances.fvecs"),
                                 MatrixView(results.distances, k)));
  IntMatrix ids;
  ids.dim = k;
  ids.values.assign(results.ids.begin(), results.ids.end());  // test sizes fit in int32
  return WriteIvecs(absl::StrCat(out_prefix, ".ids.ivecs"), ids);
}

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  const absl::Status status = vqsearch::Run(argc, argv);
  if (!status.ok()) {
    std::fprintf(stderr, "cpp_search: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
