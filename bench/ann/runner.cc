// vqsearch_runner: the recall/QPS benchmark over an ann-benchmarks HDF5 dataset, measured
// in-process. For each index spec it builds the index on the train set, then for each
// point of a search-parameter grid searches the whole test set as one batched call,
// several times, and reports recall@k, the best and median QPS, build time and memory
// per vector, followed by the Pareto frontier over every spec and point.
//
//   vqsearch_runner --dataset=fashion-mnist-784-euclidean.hdf5 --specs="Flat;IVF1024,Flat"
//                   --params="nprobe=1,2,4,8" --out=results.csv

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "param_grid.h"
#include "pareto.h"
#include "result_file.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/isa.h"
#include "vqsearch/progress.h"
#include "vqsearch/recall.h"
#include "vqsearch/search_params.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file (train, test, neighbors, distances)");
ABSL_FLAG(
    std::string, specs, "Flat",
    "index factory specs separated by ';' (specs contain commas), e.g. \"Flat;IVF1024,Flat\"");
ABSL_FLAG(std::string, params, "",
          "search parameter grid, ';' between parameters and ',' between values, e.g. "
          "\"nprobe=1,2,4,8;refine_factor=0,4\" (the cartesian product); empty = defaults");
ABSL_FLAG(int, k, 10, "neighbours per query; recall@k is measured");
ABSL_FLAG(int, threads, 1, "search threads per Search call (0 = every CPU the process may use)");
ABSL_FLAG(int, build_threads, 0, "threads for Train and Add (0 = every CPU the process may use)");
ABSL_FLAG(int, runs, 3,
          "times each point searches the whole query set in one batched call; the fastest "
          "run's QPS is reported as best, as ann-benchmarks does, beside the median");
ABSL_FLAG(int64_t, max_queries, 0, "search only the first N test queries (0 = all)");
ABSL_FLAG(std::string, out, "results.csv",
          "file for every point: CSV, or JSON when the name ends in .json; empty = none");
ABSL_FLAG(bool, quiet, false, "print no progress on stderr");

namespace vqsearch::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string dataset_path;
  std::vector<std::string> specs;
  std::vector<ParamPoint> grid;
  int k = 10;
  int threads = 1;
  int build_threads = 0;
  int runs = 3;
  int64_t max_queries = 0;
  std::string out_path;
  bool quiet = false;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Adds what the runner was doing to a library error, which names only the problem.
absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

absl::StatusOr<std::vector<std::string>> SplitSpecs(absl::string_view text) {
  std::vector<std::string> specs;
  for (absl::string_view spec : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    specs.emplace_back(absl::StripAsciiWhitespace(spec));
  }
  if (specs.empty()) {
    return absl::InvalidArgumentError(
        "--specs names no index spec: expected e.g. \"Flat\" or \"Flat;IVF1024,Flat\"");
  }
  return specs;
}

absl::StatusOr<Options> ReadOptions() {
  Options options;
  options.dataset_path = absl::GetFlag(FLAGS_dataset);
  if (options.dataset_path.empty()) {
    return absl::InvalidArgumentError("--dataset is required: an ann-benchmarks HDF5 file");
  }
  VQS_ASSIGN_OR_RETURN(options.specs, SplitSpecs(absl::GetFlag(FLAGS_specs)));
  absl::StatusOr<std::vector<ParamPoint>> grid = ParseParamGrid(absl::GetFlag(FLAGS_params));
  if (!grid.ok()) return Annotate(grid.status(), "--params");
  options.grid = *std::move(grid);

  options.k = absl::GetFlag(FLAGS_k);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.build_threads = absl::GetFlag(FLAGS_build_threads);
  options.runs = absl::GetFlag(FLAGS_runs);
  options.max_queries = absl::GetFlag(FLAGS_max_queries);
  options.out_path = absl::GetFlag(FLAGS_out);
  options.quiet = absl::GetFlag(FLAGS_quiet);
  if (options.k < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--k must be >= 1, got ", options.k));
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--threads must be >= 0, got ", options.threads));
  }
  if (options.runs < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--runs must be >= 1, got ", options.runs));
  }
  if (options.max_queries < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_queries must be >= 0, got ", options.max_queries));
  }
  if (options.build_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--build_threads must be >= 0, got ", options.build_threads));
  }
  return options;
}

void ReportProgress(const Options& options, absl::string_view line) {
  if (!options.quiet) absl::FPrintF(stderr, "%s\n", line);
}

// Passes the library's build progress (k-means iterations, vectors added) to stderr, at
// most about once a second and at the end of each stage, so an hour-long build shows
// life without flooding the terminal.
ProgressCallback BuildProgressPrinter(const Options& options) {
  if (options.quiet) return nullptr;
  return [last_print = Clock::time_point()](const vqsearch::Progress& progress) mutable {
    const bool finished = progress.total > 0 && progress.done >= progress.total;
    const Clock::time_point now = Clock::now();
    if (!finished && now - last_print < std::chrono::seconds(1)) return true;
    last_print = now;
    std::string line = absl::StrCat("    ", progress.stage, ": ", progress.done);
    if (progress.total > 0) absl::StrAppend(&line, "/", progress.total);
    absl::StrAppendFormat(&line, " (%.1f s", progress.seconds);
    if (!std::isnan(progress.objective)) {
      absl::StrAppendFormat(&line, ", objective %.6g", progress.objective);
    }
    absl::FPrintF(stderr, "%s)\n", line);
    return true;
  };
}

// "data/fashion-mnist-784-euclidean.hdf5" -> "fashion-mnist-784-euclidean".
std::string DatasetName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash != absl::string_view::npos) path.remove_prefix(slash + 1);
  absl::ConsumeSuffix(&path, ".hdf5");
  return std::string(path);
}

// Reads the dataset and keeps only the first max_queries test vectors (with their ground
// truth), so AnnRecall sees exactly the queries that were searched.
absl::StatusOr<AnnDataset> LoadDataset(const Options& options) {
  VQS_ASSIGN_OR_RETURN(AnnDataset dataset, ReadAnnHdf5(options.dataset_path));
  const std::string& path = options.dataset_path;
  if (dataset.num_train() == 0 || dataset.num_test() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset \"", path, "\" has ", dataset.num_train(), " train and ",
                     dataset.num_test(), " test vectors: both must be non-empty"));
  }
  if (dataset.gt_k == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dataset \"", path, "\" has no ground truth (neighbors, distances): recall needs it"));
  }
  if (options.k > dataset.gt_k) {
    return absl::InvalidArgumentError(absl::StrCat("--k=", options.k, " exceeds the ", dataset.gt_k,
                                                   " true neighbours per query in \"", path, "\""));
  }
  if (options.max_queries > 0 && options.max_queries < dataset.num_test()) {
    const size_t queries = static_cast<size_t>(options.max_queries);
    dataset.test.resize(queries * dataset.dim);
    dataset.neighbors.resize(queries * dataset.gt_k);
    dataset.distances.resize(queries * dataset.gt_k);
  }
  return dataset;
}

struct Measurement {
  double recall = 0;
  double qps_best = 0;
  double qps_median = 0;
};

// Searches every query in one batched call, options.runs times. Recall comes from the
// first run; later runs return the same neighbours and are only timed.
absl::StatusOr<Measurement> MeasurePoint(const Index& index, const AnnDataset& dataset,
                                         const SearchParams& params, const Options& options) {
  const MatrixView queries = dataset.test_view();
  std::vector<double> qps;
  Measurement measurement;
  SearchResults results;
  for (int run = 0; run < options.runs; ++run) {
    const Clock::time_point start = Clock::now();
    VQS_RETURN_IF_ERROR(index.Search(queries, options.k, params, &results));
    // A clock tick is far shorter than any search; the floor only keeps QPS finite.
    const double seconds = std::max(SecondsSince(start), 1e-9);
    qps.push_back(static_cast<double>(queries.rows) / seconds);
    if (run == 0) {
      VQS_ASSIGN_OR_RETURN(measurement.recall, AnnRecall(dataset, results, options.k));
    }
  }
  std::sort(qps.begin(), qps.end());
  const size_t middle = qps.size() / 2;
  measurement.qps_best = qps.back();
  measurement.qps_median = qps.size() % 2 == 1 ? qps[middle] : (qps[middle - 1] + qps[middle]) / 2;
  return measurement;
}

// The settings of one grid point: --threads, then the point's own parameters (which may
// override the thread count).
absl::StatusOr<SearchParams> PointParams(const ParamPoint& point, const Options& options) {
  SearchParams params;
  VQS_RETURN_IF_ERROR(SetSearchParam("num_threads", options.threads, &params));
  VQS_RETURN_IF_ERROR(ApplyParamPoint(point, &params));
  return params;
}

// Builds one index and measures every grid point on it, appending to `points`.
absl::Status BenchmarkSpec(const std::string& spec, const AnnDataset& dataset, Metric metric,
                           const Options& options, std::vector<PointResult>* points) {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Index::Create(spec, dataset.dim, metric));
  const MatrixView train = dataset.train_view();
  BuildOptions build_options;
  build_options.num_threads = options.build_threads;
  build_options.progress = BuildProgressPrinter(options);

  double train_seconds = 0;
  if (!index->is_trained()) {
    ReportProgress(options, absl::StrFormat("  training on %d vectors", train.rows));
    const Clock::time_point start = Clock::now();
    absl::Status status = index->Train(train, build_options);
    if (!status.ok()) return Annotate(status, "training");
    train_seconds = SecondsSince(start);
  }
  ReportProgress(options, absl::StrFormat("  adding %d vectors", train.rows));
  const Clock::time_point start = Clock::now();
  absl::Status added = index->Add(train, /*ids=*/{}, build_options);
  if (!added.ok()) return Annotate(added, "adding");
  const double add_seconds = SecondsSince(start);
  if (index->size() <= 0) {
    return absl::InternalError(absl::StrCat("index holds ", index->size(), " vectors after Add"));
  }
  const double bytes_per_vector =
      static_cast<double>(index->MemoryUsageBytes()) / static_cast<double>(index->size());
  ReportProgress(
      options,
      absl::StrFormat("  built in %.2f s (train %.2f s, add %.2f s), %.1f bytes/vector",
                      train_seconds + add_seconds, train_seconds, add_seconds, bytes_per_vector));

  // The process's first searches pay one-time costs (starting threads, first touch of
  // buffers) that say nothing about the index and would skew the first point's median; an
  // untimed search of a few queries absorbs them.
  constexpr int64_t kWarmUpQueries = 100;
  VQS_ASSIGN_OR_RETURN(const SearchParams warm_up_params,
                       PointParams(options.grid.front(), options));
  SearchResults warm_up_results;
  const MatrixView queries = dataset.test_view();
  absl::Status warmed_up = index->Search(queries.Slice(0, std::min(queries.rows, kWarmUpQueries)),
                                         options.k, warm_up_params, &warm_up_results);
  if (!warmed_up.ok()) return Annotate(warmed_up, "warm-up search");

  for (const ParamPoint& point : options.grid) {
    VQS_ASSIGN_OR_RETURN(const SearchParams params, PointParams(point, options));
    const std::string label = ParamPointLabel(point);
    absl::StatusOr<Measurement> measurement = MeasurePoint(*index, dataset, params, options);
    if (!measurement.ok()) {
      return Annotate(
          measurement.status(),
          absl::StrCat("searching with ", label.empty() ? "default parameters" : label));
    }
    ReportProgress(
        options, absl::StrFormat("  %s: recall@%d %.4f, QPS best %.1f, median %.1f",
                                 label.empty() ? "defaults" : label, options.k, measurement->recall,
                                 measurement->qps_best, measurement->qps_median));
    points->push_back({spec, label, params.num_threads, train_seconds, add_seconds,
                       bytes_per_vector, measurement->recall, measurement->qps_best,
                       measurement->qps_median});
  }
  return absl::OkStatus();
}

// Prints the points at `indices` as aligned columns: text left, numbers right.
void PrintTable(const std::vector<PointResult>& points, const std::vector<size_t>& indices, int k) {
  std::vector<std::vector<std::string>> rows = {{"spec", "params", "build s", "bytes/vector",
                                                 absl::StrCat("recall@", k), "QPS (best)",
                                                 "QPS (median)"}};
  for (size_t i : indices) {
    const PointResult& p = points[i];
    rows.push_back({p.spec, p.params.empty() ? "defaults" : p.params,
                    absl::StrFormat("%.2f", p.train_seconds + p.add_seconds),
                    absl::StrFormat("%.1f", p.bytes_per_vector), absl::StrFormat("%.4f", p.recall),
                    absl::StrFormat("%.1f", p.qps_best), absl::StrFormat("%.1f", p.qps_median)});
  }
  constexpr size_t kTextColumns = 2;
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const int width = static_cast<int>(widths[c]);
      absl::StrAppend(&line, c == 0 ? "" : "  ",
                      c < kTextColumns ? absl::StrFormat("%-*s", width, row[c])
                                       : absl::StrFormat("%*s", width, row[c]));
    }
    absl::PrintF("%s\n", absl::StripTrailingAsciiWhitespace(line));
  }
}

RunContext MakeContext(const Options& options, const AnnDataset& dataset) {
  RunContext context;
  context.dataset = DatasetName(options.dataset_path);
  context.k = options.k;
  context.num_queries = dataset.num_test();
  context.runs = options.runs;
  char hostname[256] = {};
  if (gethostname(hostname, sizeof(hostname) - 1) == 0) context.hostname = hostname;
  context.nproc = static_cast<int>(std::thread::hardware_concurrency());
  context.date = absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::LocalTimeZone());
  return context;
}

absl::Status Run(const Options& options) {
  ReportProgress(options, absl::StrCat("loading ", options.dataset_path));
  VQS_ASSIGN_OR_RETURN(const AnnDataset dataset, LoadDataset(options));
  VQS_ASSIGN_OR_RETURN(const Metric metric, dataset.metric());
  const RunContext context = MakeContext(options, dataset);

  // Creating an empty index is cheap, so every spec is checked before the first (possibly
  // hour-long) build rather than failing halfway through the list.
  for (const std::string& spec : options.specs) {
    absl::StatusOr<std::unique_ptr<Index>> index = Index::Create(spec, dataset.dim, metric);
    if (!index.ok()) return Annotate(index.status(), "--specs");
  }

  // Likewise the output file: a typo in its directory should not cost the whole run.
  if (!options.out_path.empty()) VQS_RETURN_IF_ERROR(CheckWritable(options.out_path));

  absl::PrintF(
      "%s: %d train, %d queries, dim %d, %s; k=%d, threads=%d, isa=%s, best of %d runs\n",
      context.dataset, dataset.num_train(), dataset.num_test(), dataset.dim, dataset.distance,
      options.k, options.threads, IsaName(ActiveIsa()), options.runs);
  std::vector<PointResult> points;
  absl::Status status;
  for (size_t s = 0; s < options.specs.size() && status.ok(); ++s) {
    const std::string& spec = options.specs[s];
    ReportProgress(options, absl::StrFormat("[%d/%d] %s", s + 1, options.specs.size(), spec));
    status = BenchmarkSpec(spec, dataset, metric, options, &points);
    if (!status.ok()) status = Annotate(status, absl::StrCat("spec \"", spec, "\""));
  }

  if (!points.empty()) {
    std::vector<size_t> all(points.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    absl::PrintF("\n");
    PrintTable(points, all, options.k);

    std::vector<RecallQps> tradeoffs;
    for (const PointResult& p : points) tradeoffs.push_back({p.recall, p.qps_best});
    absl::PrintF("\nPareto frontier (recall@%d vs best QPS):\n", options.k);
    PrintTable(points, ParetoFrontier(tradeoffs), options.k);

    // Points measured before a failure are still written: they cost real time.
    if (!options.out_path.empty()) {
      VQS_RETURN_IF_ERROR(WriteResultFile(options.out_path, context, points));
      ReportProgress(options,
                     absl::StrCat("wrote ", points.size(), " points to ", options.out_path));
    }
  }
  return status;
}

}  // namespace
}  // namespace vqsearch::bench

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_runner",
      "recall/QPS benchmark of vqsearch index specs over an ann-benchmarks HDF5 dataset.\n"
      "Example: vqsearch_runner --dataset=fashion-mnist-784-euclidean.hdf5 "
      "--specs=\"Flat;IVF1024,Flat\" --params=\"nprobe=1,2,4,8\"",
      [] {
        absl::StatusOr<vqsearch::bench::Options> options = vqsearch::bench::ReadOptions();
        return options.ok() ? vqsearch::bench::Run(*options) : options.status();
      });
}
