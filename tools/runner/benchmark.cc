#include "benchmark.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark.h"
#include "tune/pareto.h"
#include "ground_truth.h"
#include "param_grid.h"
#include "progress_printer.h"
#include "result_file.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/isa.h"
#include "vqsearch/build_options.h"
#include "vqsearch/recall.h"
#include "vqsearch/search_params.h"

namespace vqsearch::bench {

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

absl::StatusOr<BenchmarkOptions> BenchmarkOptionsFor(std::string dataset_path,
                                                     absl::string_view specs,
                                                     absl::string_view params) {
  BenchmarkOptions options;
  options.dataset_path = std::move(dataset_path);
  VQS_ASSIGN_OR_RETURN(options.specs, SplitSpecs(specs));
  absl::StatusOr<std::vector<ParamPoint>> grid = ParseParamGrid(params);
  if (!grid.ok()) return Annotate(grid.status(), "--params");
  options.grid = *std::move(grid);
  return options;
}

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU seconds used so far by every thread of the process.
double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void ReportProgress(const BenchmarkOptions& options, absl::string_view line) {
  if (!options.quiet) absl::FPrintF(stderr, "%s\n", line);
}

// "data/fashion-mnist-784-euclidean.hdf5" -> "fashion-mnist-784-euclidean".
std::string DatasetName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash != absl::string_view::npos) path.remove_prefix(slash + 1);
  absl::ConsumeSuffix(&path, ".hdf5");
  return std::string(path);
}

// Keeps `count` < num_test() test vectors, with their ground truth, spread evenly over the
// test set (row r of the subset is row r * num_test / count): test sets may be ordered
// (the word vectors' queries are sorted by frequency, and the first 1000 were the most
// frequent words, on which hnswlib measured 1.5-2x its QPS over all 10,000).
void KeepEvenlySpacedQueries(int64_t count, AnnDataset* dataset) {
  const int64_t total = dataset->num_test();
  const auto keep_rows = [&](auto* rows, int64_t width) {
    for (int64_t r = 0; r < count; ++r) {
      const int64_t from = r * total / count;
      std::copy_n(rows->begin() + from * width, width, rows->begin() + r * width);
    }
    rows->resize(count * width);
  };
  keep_rows(&dataset->test, dataset->dim);
  keep_rows(&dataset->neighbors, dataset->gt_k);
  keep_rows(&dataset->distances, dataset->gt_k);
}

// Reads the dataset and keeps max_queries test vectors (with their ground truth), so
// AnnRecall sees exactly the queries that were searched.
absl::StatusOr<AnnDataset> LoadDataset(const BenchmarkOptions& options) {
  VQS_ASSIGN_OR_RETURN(AnnDataset dataset, ReadAnnHdf5(options.dataset_path));
  const std::string& path = options.dataset_path;
  if (dataset.num_train() == 0 || dataset.num_test() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("dataset \"", path, "\" has ", dataset.num_train(), " train and ",
                     dataset.num_test(), " test vectors: both must be non-empty"));
  }
  if (options.max_queries > 0 && options.max_queries < dataset.num_test()) {
    KeepEvenlySpacedQueries(options.max_queries, &dataset);
  }
  if (dataset.gt_k == 0) {
    ReportProgress(options, absl::StrCat("dataset \"", path,
                                         "\" has no ground truth: computing the exact ", options.k,
                                         " nearest neighbours"));
    VQS_RETURN_IF_ERROR(
        ComputeGroundTruth(options.k, options.build_threads, options.quiet, &dataset));
  }
  if (options.k > dataset.gt_k) {
    return absl::InvalidArgumentError(absl::StrCat("--k=", options.k, " exceeds the ", dataset.gt_k,
                                                   " true neighbours per query in \"", path, "\""));
  }
  return dataset;
}

struct Measurement {
  double recall = 0;
  double qps_best = 0;
  double qps_median = 0;
  double cpu_per_wall = 0;
};

// Searches every query in one batched call, options.runs times. Recall comes from the
// first run; later runs return the same neighbours and are only timed. The process's CPU
// seconds per wall second over the timed runs tell whether the search had its threads'
// cores to itself (about the thread count) or shared them with other work (less).
absl::StatusOr<Measurement> MeasurePoint(const Index& index, const AnnDataset& dataset,
                                         const SearchParams& params, const BenchmarkOptions& options) {
  const MatrixView queries = dataset.test_view();
  std::vector<double> qps;
  Measurement measurement;
  SearchResults results;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  for (int run = 0; run < options.runs; ++run) {
    const double cpu_start = ProcessCpuSeconds();
    const Clock::time_point start = Clock::now();
    VQS_RETURN_IF_ERROR(index.Search(queries, options.k, params, &results));
    // A clock tick is far shorter than any search; the floor only keeps QPS finite.
    const double seconds = std::max(SecondsSince(start), 1e-9);
    cpu_seconds += ProcessCpuSeconds() - cpu_start;
    wall_seconds += seconds;
    qps.push_back(static_cast<double>(queries.rows) / seconds);
    if (run == 0) {
      VQS_ASSIGN_OR_RETURN(measurement.recall, AnnRecall(dataset, results, options.k));
    }
  }
  std::sort(qps.begin(), qps.end());
  const size_t middle = qps.size() / 2;
  measurement.qps_best = qps.back();
  measurement.qps_median = qps.size() % 2 == 1 ? qps[middle] : (qps[middle - 1] + qps[middle]) / 2;
  measurement.cpu_per_wall = cpu_seconds / wall_seconds;
  return measurement;
}

// The settings of one grid point: --threads, then the point's own parameters (which may
// override the thread count).
absl::StatusOr<SearchParams> PointParams(const ParamPoint& point, const BenchmarkOptions& options) {
  SearchParams params;
  VQS_RETURN_IF_ERROR(SetSearchParam("num_threads", options.threads, &params));
  VQS_RETURN_IF_ERROR(ApplyParamPoint(point, &params));
  return params;
}

// Builds one index and measures every grid point on it, appending to `points`.
absl::Status BenchmarkSpec(const std::string& spec, const AnnDataset& dataset, Metric metric,
                           const BenchmarkOptions& options, std::vector<PointResult>* points) {
  VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Index::Create(spec, dataset.dim, metric));
  const MatrixView train = dataset.train_view();
  BuildOptions build_options;
  build_options.num_threads = options.build_threads;
  // Declared before the calls that report to it, so it is finished (and its last line
  // printed) when they have returned.
  std::unique_ptr<ProgressPrinter> printer;
  if (!options.quiet) {
    printer = std::make_unique<ProgressPrinter>("    ");
    build_options.progress = printer->Callback();
  }

  // Process CPU seconds of train + add beside their wall seconds: on a shared machine the
  // ratio says whether a one-thread build had its core.
  const double cpu_start = ProcessCpuSeconds();
  double train_seconds = 0;
  if (!index->is_trained()) {
    ReportProgress(options, absl::StrFormat("  training on %d vectors", train.rows));
    const Clock::time_point start = Clock::now();
    absl::Status status = index->Train(train, build_options);
    if (printer != nullptr) printer->Finish();
    if (!status.ok()) return Annotate(status, "training");
    train_seconds = SecondsSince(start);
  }
  ReportProgress(options, absl::StrFormat("  adding %d vectors", train.rows));
  const Clock::time_point start = Clock::now();
  absl::Status added = index->Add(train, /*ids=*/{}, build_options);
  if (printer != nullptr) printer->Finish();
  if (!added.ok()) return Annotate(added, "adding");
  const double add_seconds = SecondsSince(start);
  if (index->size() <= 0) {
    return absl::InternalError(absl::StrCat("index holds ", index->size(), " vectors after Add"));
  }
  const double bytes_per_vector =
      static_cast<double>(index->MemoryUsageBytes()) / static_cast<double>(index->size());
  ReportProgress(
      options,
      absl::StrFormat("  built in %.2f s (train %.2f s, add %.2f s; %.2f CPU-s), %.1f bytes/vector",
                      train_seconds + add_seconds, train_seconds, add_seconds,
                      ProcessCpuSeconds() - cpu_start,
                      bytes_per_vector));

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
        options,
        absl::StrFormat("  %s: recall@%d %.4f, QPS best %.1f, median %.1f, CPU/wall %.2f",
                        label.empty() ? "defaults" : label, options.k, measurement->recall,
                        measurement->qps_best, measurement->qps_median,
                        measurement->cpu_per_wall));
    points->push_back({spec, label, params.num_threads, train_seconds, add_seconds,
                       bytes_per_vector, measurement->recall, measurement->qps_best,
                       measurement->qps_median, measurement->cpu_per_wall});
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

RunContext MakeContext(const BenchmarkOptions& options, const AnnDataset& dataset) {
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

absl::Status CheckOptions(const BenchmarkOptions& options) {
  if (options.dataset_path.empty()) {
    return absl::InvalidArgumentError("--dataset is required: an ann-benchmarks HDF5 file");
  }
  if (options.specs.empty()) return absl::InvalidArgumentError("--specs names no index spec");
  if (options.grid.empty()) return absl::InvalidArgumentError("--params names no grid point");
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
  return absl::OkStatus();
}

}  // namespace

absl::Status RunBenchmark(const BenchmarkOptions& options) {
  VQS_RETURN_IF_ERROR(CheckOptions(options));
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

    std::vector<vqsearch::internal::RecallQps> tradeoffs;
    for (const PointResult& p : points) tradeoffs.push_back({p.recall, p.qps_best});
    absl::PrintF("\nPareto frontier (recall@%d vs best QPS):\n", options.k);
    PrintTable(points, vqsearch::internal::ParetoFrontier(tradeoffs), options.k);

    // Points measured before a failure are still written: they cost real time.
    if (!options.out_path.empty()) {
      VQS_RETURN_IF_ERROR(WriteResultFile(options.out_path, context, points));
      ReportProgress(options,
                     absl::StrCat("wrote ", points.size(), " points to ", options.out_path));
    }
  }
  return status;
}

}  // namespace vqsearch::bench
