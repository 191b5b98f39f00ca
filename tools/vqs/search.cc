// vqs search: the k nearest neighbours of every query of a file in an index file,
// written with their distances.

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "command.h"
#include "common.h"
#include "flags.h"
#include "results_file.h"
#include "util/status_macros.h"
#include "vector_file.h"
#include "vqsearch/index.h"

namespace vqsearch::cli {
namespace {

absl::Status RunSearch(const std::vector<std::string>&) {
  const std::string queries_path = absl::GetFlag(FLAGS_queries);
  const std::string out = absl::GetFlag(FLAGS_out);
  const int k = absl::GetFlag(FLAGS_k);
  VQS_RETURN_IF_ERROR(Require("queries", queries_path, "the query vectors"));
  VQS_RETURN_IF_ERROR(Require("out", out, "the results file (.csv, .hdf5 or .ivecs)"));
  if (!IsResultsPath(out)) {
    return UsageError(absl::StrCat("--out=", out, ": expected a .csv, .hdf5, .h5 or .ivecs file"));
  }
  if (k < 1) return UsageError(absl::StrCat("--k must be >= 1, got ", k));
  VQS_ASSIGN_OR_RETURN(const std::unique_ptr<Index> index, LoadIndexFlag());
  VQS_ASSIGN_OR_RETURN(const SearchParams params, SearchParamsFromFlags(*index));
  VQS_ASSIGN_OR_RETURN(const VectorFile queries,
                       ReadVectorFile(queries_path, HdfPart::kTest, "--queries"));

  SearchResults results;
  const auto start = std::chrono::steady_clock::now();
  absl::Status searched = index->Search(queries.vectors.view(), k, params, &results);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!searched.ok()) {
    return absl::Status(searched.code(), absl::StrCat("searching: ", searched.message()));
  }
  absl::Status written = WriteResults(out, results);
  if (!written.ok()) return absl::Status(written.code(), absl::StrCat("--out: ", written.message()));
  if (!absl::GetFlag(FLAGS_quiet)) {
    absl::FPrintF(stderr, "searched %d queries for %d neighbours in %.3f s (%.0f QPS); wrote %s\n",
                  results.num_queries, k, seconds, results.num_queries / std::max(seconds, 1e-9),
                  out);
  }
  return absl::OkStatus();
}

}  // namespace

Command SearchCommand() {
  return {
      "search",
      "find the k nearest neighbours of each query in an index",
      "vqs search --index=INDEX.vqs --queries=FILE --k=K --out=RESULTS.{csv,hdf5,ivecs} "
      "[--nprobe=N] [--refine_factor=R] [--threads=N]\n\n"
      "Searches INDEX.vqs for the K nearest stored vectors of every query of FILE and writes "
      "their ids and distances, closest first. A query with fewer than K results has id -1 "
      "(distance +inf for l2, -inf for ip and cosine) in the remaining slots.",
      {{"index", "index file written by vqs build"},
       {"queries", "query vectors: .hdf5 (an ann-benchmarks file's test set), .fvecs, .bvecs or "
                   ".npy"},
       {"k", "neighbours per query"},
       {"out", "results: .csv (query,rank,id,distance; padding left out), .hdf5 (datasets "
               "neighbors int64 and distances float32, queries x k) or .ivecs (ids, with the "
               "distances in the .fvecs file of the same name)"},
       {"nprobe", "inverted lists scanned per query, IVF indexes only (0 = the index's default, "
                  "16)"},
       {"refine_factor", "refine_factor x k candidates re-ranked, Refine indexes only (0 = the "
                         "index's default, 4)"},
       {"threads", "search threads (0 = every CPU the process may use)"},
       {"quiet", "print no summary on stderr"}},
      0,
      RunSearch,
  };
}

}  // namespace vqsearch::cli
