// vqs tune: the cheapest search parameters with which an index file reaches a recall@k
// target on a sample of queries (vqsearch/tune.h), with the Pareto set it measured.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "command.h"
#include "common.h"
#include "flags.h"
#include "result_file.h"
#include "util/status_macros.h"
#include "vector_file.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/tune.h"

namespace vqsearch::cli {
namespace {

using bench::internal::JsonString;

std::string Label(const TunePoint& point) {
  if (point.params.empty()) return "defaults";
  return absl::StrJoin(point.params, ",", [](std::string* out, const auto& p) {
    absl::StrAppend(out, p.first, "=", p.second);
  });
}

std::string Json(const TunePoint& point) {
  return absl::StrFormat(
      "{\"params\": {%s}, \"recall\": %.6g, \"qps\": %.6g}",
      absl::StrJoin(point.params, ", ",
                    [](std::string* out, const auto& p) {
                      absl::StrAppend(out, JsonString(p.first), ": ", p.second);
                    }),
      point.recall, point.qps);
}

std::string JsonList(const std::vector<TunePoint>& points) {
  return absl::StrCat("[", absl::StrJoin(points, ", ", [](std::string* out, const TunePoint& p) {
                        absl::StrAppend(out, Json(p));
                      }), "]");
}

absl::Status RunTune(const std::vector<std::string>&) {
  const std::string queries_path = absl::GetFlag(FLAGS_queries);
  const std::string data_path = absl::GetFlag(FLAGS_data);
  const std::string truth_path = absl::GetFlag(FLAGS_ground_truth);
  const int k = absl::GetFlag(FLAGS_k);
  const double target = absl::GetFlag(FLAGS_target_recall);
  const int64_t max_queries = absl::GetFlag(FLAGS_max_queries);
  VQS_RETURN_IF_ERROR(Require("queries", queries_path,
                              "the tuning sample (queries, or held-out training vectors)"));
  if (!(target > 0 && target <= 1)) {
    return UsageError(absl::StrCat("--target_recall must be in (0, 1], got ", target));
  }
  if (k < 1) return UsageError(absl::StrCat("--k must be >= 1, got ", k));
  if (max_queries < 0) return UsageError(absl::StrCat("--max_queries must be >= 0"));
  if (!data_path.empty() && !truth_path.empty()) {
    return UsageError("give --data or --ground_truth, not both");
  }
  TuneOptions options;
  options.num_threads = absl::GetFlag(FLAGS_threads);
  options.runs = absl::GetFlag(FLAGS_runs);
  options.max_refine_factor = absl::GetFlag(FLAGS_max_refine_factor);
  if (options.num_threads < 0) return UsageError("--threads must be >= 0");
  if (options.runs < 1) return UsageError("--runs must be >= 1");
  if (options.max_refine_factor < 1) return UsageError("--max_refine_factor must be >= 1");

  VQS_ASSIGN_OR_RETURN(const std::unique_ptr<Index> index, LoadIndexFlag());
  VQS_ASSIGN_OR_RETURN(VectorFile queries, ReadVectorFile(queries_path, HdfPart::kTest, "--queries"));
  int64_t num_queries = queries.vectors.rows();
  if (max_queries > 0) num_queries = std::min(num_queries, max_queries);
  const MatrixView sample = queries.vectors.view().Slice(0, num_queries);

  // The exact neighbours: an .ivecs file, the indexed vectors, or the HDF5 file's own.
  VectorFile data;
  std::vector<int64_t> truth;
  if (!truth_path.empty()) {
    absl::StatusOr<IntMatrix> ivecs = ReadIvecs(truth_path, num_queries);
    if (!ivecs.ok()) {
      return absl::Status(ivecs.status().code(),
                          absl::StrCat("--ground_truth: ", ivecs.status().message()));
    }
    truth.assign(ivecs->values.begin(), ivecs->values.end());
    options.ground_truth_k = ivecs->dim;
  } else if (!data_path.empty()) {
    VQS_ASSIGN_OR_RETURN(data, ReadVectorFile(data_path, HdfPart::kTrain, "--data"));
    options.database = data.vectors.view();
  } else if (queries.ground_truth_k > 0) {
    truth.assign(queries.ground_truth.begin(),
                 queries.ground_truth.begin() + num_queries * queries.ground_truth_k);
    options.ground_truth_k = queries.ground_truth_k;
  } else {
    return UsageError(
        "no exact neighbours: give --data (the vectors the index holds), --ground_truth "
        "(.ivecs) or an HDF5 --queries file with neighbors");
  }
  options.ground_truth = truth;

  absl::StatusOr<TuneResult> result = Tune(*index, sample, k, target, options);
  if (!result.ok()) return absl::Status(result.status().code(),
                                        absl::StrCat("tuning: ", result.status().message()));
  if (absl::GetFlag(FLAGS_json)) {
    absl::PrintF(
        "{\n  \"spec\": %s,\n  \"k\": %d,\n  \"queries\": %d,\n  \"target_recall\": %.6g,\n"
        "  \"target_reached\": %s,\n  \"best\": %s,\n  \"pareto\": %s,\n  \"explored\": %s\n}\n",
        JsonString(index->spec()), k, num_queries, target,
        result->target_reached ? "true" : "false", Json(result->best), JsonList(result->pareto),
        JsonList(result->explored));
  } else {
    absl::PrintF("%s, %d queries, k=%d, target recall %.4g: %d points measured\n", index->spec(),
                 num_queries, k, target, result->explored.size());
    absl::PrintF("%s: %s, recall@%d %.4f, %.0f QPS\n",
                 result->target_reached ? "best" : "target not reached; highest recall",
                 Label(result->best), k, result->best.recall, result->best.qps);
    absl::PrintF("Pareto set of the points measured:\n");
    for (const TunePoint& point : result->pareto) {
      absl::PrintF("  %-28s recall@%d %.4f  %10.0f QPS\n", Label(point), k, point.recall,
                   point.qps);
    }
  }
  if (!result->target_reached) {
    return absl::NotFoundError(absl::StrFormat(
        "recall@%d %.4g is out of reach of this index on the sample: the highest measured is %.4f",
        k, target, result->best.recall));
  }
  return absl::OkStatus();
}

}  // namespace

Command TuneCommand() {
  return {
      "tune",
      "find the cheapest search parameters reaching a recall target",
      "vqs tune --index=INDEX.vqs --queries=FILE (--data=FILE | --ground_truth=FILE.ivecs) "
      "[--k=10] [--target_recall=0.95] [--json]\n\n"
      "Measures INDEX.vqs on the queries of FILE and prints the search parameters with the "
      "highest QPS among those reaching recall@k >= target, the recall and QPS measured "
      "there, and the Pareto set of every point measured. nprobe is raised by doubling and "
      "then bisected; refine_factor steps through 1, 2, 3, 4, 6, 8, ... with each step's "
      "nprobe search bounded by the previous answer. The queries may be real queries or "
      "held-out training vectors (vectors not added to the index). The exact neighbours "
      "come from --ground_truth, from a Flat index over --data (the vectors the index holds, "
      "in the order they were added), or from an HDF5 --queries file's neighbors. Exit code "
      "1 when the target is out of reach (the result is printed first).",
      {{"index", "index file written by vqs build"},
       {"queries", "tuning sample: .hdf5 (test set, and its neighbors when --data and "
                   "--ground_truth are absent), .fvecs, .bvecs or .npy"},
       {"data", "the vectors the index holds, in the order they were added, for exact "
                "neighbours by a Flat index"},
       {"ground_truth", "exact neighbours of the queries as .ivecs (one row per query, at "
                        "least k ids, closest first)"},
       {"k", "recall@k is measured"},
       {"target_recall", "recall@k to reach, in (0, 1]"},
       {"threads", "threads of every measured search; QPS depends on it (0 = every CPU the "
                   "process may use)"},
       {"runs", "timed searches of the sample per point; the fastest counts"},
       {"max_refine_factor", "largest refine_factor tried"},
       {"max_queries", "use only the first N queries (0 = all)"},
       {"json", "print the result as one JSON object"}},
      0,
      RunTune,
  };
}

}  // namespace vqsearch::cli
