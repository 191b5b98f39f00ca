// vqs bench: the recall/QPS benchmark of index specs over an ann-benchmarks dataset
// (tools/runner/benchmark.h, the code vqsearch_runner runs), then its plot
// (bench/ann/plot.py: each spec's Pareto frontier, baselines overlaid).

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "benchmark.h"
#include "command.h"
#include "flags.h"
#include "util/status_macros.h"

extern char** environ;

namespace vqsearch::cli {
namespace {

constexpr char kDefaultOut[] = "vqs-bench.csv";

// plot.py: $VQS_PLOT_SCRIPT, else installed beside the binary (<prefix>/share/vqsearch),
// else in the source tree the binary was built from.
std::string PlotScript() {
  if (const char* path = std::getenv("VQS_PLOT_SCRIPT"); path != nullptr && *path != '\0') {
    return path;
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path installed =
        self.parent_path().parent_path() / "share" / "vqsearch" / "plot.py";
    if (std::filesystem::exists(installed, error)) return installed.string();
  }
  return std::string(VQS_SOURCE_DIR) + "/bench/ann/plot.py";
}

// Runs Debian's python3 (which has matplotlib) on plot.py without a shell: the results,
// then each baseline file, drawn dashed.
absl::Status RunPlot(const std::string& results, const std::vector<std::string>& baselines,
                     const std::string& png) {
  std::vector<std::string> args = {"/usr/bin/python3", PlotScript(), results, png};
  for (const std::string& baseline : baselines) {
    args.push_back("--baseline");
    args.push_back(baseline);
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (error != 0) {
    return absl::UnavailableError(absl::StrCat("cannot run ", args[0], ": ", std::strerror(error)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::InternalError("cannot wait for the plot script");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("the plot script ", args[1],
                                            " failed; the results are in ", results));
  }
  return absl::OkStatus();
}

absl::Status RunBench(const std::vector<std::string>&) {
  absl::StatusOr<bench::BenchmarkOptions> parsed = bench::BenchmarkOptionsFor(
      absl::GetFlag(FLAGS_dataset), absl::GetFlag(FLAGS_specs), absl::GetFlag(FLAGS_params));
  if (!parsed.ok()) return UsageError(parsed.status().message());
  bench::BenchmarkOptions options = *std::move(parsed);
  if (options.dataset_path.empty()) {
    return UsageError("--dataset is required: an ann-benchmarks HDF5 file");
  }
  options.k = absl::GetFlag(FLAGS_k);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.build_threads = absl::GetFlag(FLAGS_build_threads);
  options.runs = absl::GetFlag(FLAGS_runs);
  options.max_queries = absl::GetFlag(FLAGS_max_queries);
  options.quiet = absl::GetFlag(FLAGS_quiet);
  options.out_path = absl::GetFlag(FLAGS_out);
  if (options.out_path.empty()) options.out_path = kDefaultOut;
  if (!absl::EndsWithIgnoreCase(options.out_path, ".csv")) {
    return UsageError(absl::StrCat("--out=", options.out_path, ": expected a .csv file"));
  }
  if (options.k < 1 || options.threads < 0 || options.build_threads < 0 || options.runs < 1 ||
      options.max_queries < 0) {
    return UsageError("--k and --runs must be >= 1; --threads, --build_threads and "
                      "--max_queries >= 0");
  }
  std::string plot = absl::GetFlag(FLAGS_plot);
  if (plot.empty()) plot = options.out_path.substr(0, options.out_path.size() - 4) + ".png";
  std::vector<std::string> baselines;
  for (absl::string_view baseline :
       absl::StrSplit(absl::GetFlag(FLAGS_baselines), ',', absl::SkipWhitespace())) {
    const std::string path(baseline);
    if (!std::filesystem::is_regular_file(path)) {
      return UsageError(absl::StrCat("--baselines: ", path, " is not a file"));
    }
    baselines.push_back(path);
  }

  VQS_RETURN_IF_ERROR(bench::RunBenchmark(options));
  VQS_RETURN_IF_ERROR(RunPlot(options.out_path, baselines, plot));
  absl::PrintF("results: %s\nplot: %s\n", options.out_path, plot);
  return absl::OkStatus();
}

}  // namespace

Command BenchCommand() {
  return {
      "bench",
      "recall/QPS benchmark of index specs over a dataset, with a plot",
      "vqs bench --dataset=FILE.hdf5 --specs=\"SPEC;SPEC\" [--params=GRID] [--k=10] "
      "[--out=vqs-bench.csv] [--plot=vqs-bench.png] [--baselines=a.csv,b.csv]\n\n"
      "Builds each spec on the dataset's train set, searches its test set at every point "
      "of the parameter grid (one batched call per run), prints every point and the Pareto "
      "frontier, writes them to --out (the CSV columns of vqsearch_runner and of "
      "bench/baselines/*.py) and plots recall@k against QPS (log scale): each spec's Pareto "
      "frontier, with the baseline CSVs overlaid. Ground truth missing from the file is "
      "computed exactly first. The last lines name the results and the plot.",
      {{"dataset", "ann-benchmarks HDF5 file (train, test; neighbors and distances are "
                   "computed when absent)"},
       {"specs", "index specs separated by ';' (specs contain commas), e.g. "
                 "\"Flat;IVF1024,PQ32x4fs,Refine(Flat)\""},
       {"params", "search parameter grid: ';' between parameters, ',' between values, e.g. "
                  "\"nprobe=1,4,16;refine_factor=2,4\" (the cartesian product); empty = "
                  "defaults"},
       {"k", "neighbours per query; recall@k is measured"},
       {"threads", "threads per search call (0 = every CPU the process may use)"},
       {"build_threads", "threads for train and add (0 = every CPU the process may use)"},
       {"runs", "batched searches of the test set per point; the fastest run's QPS is the "
                "best"},
       {"max_queries", "search only the first N test queries (0 = all)"},
       {"out", "results CSV (empty = vqs-bench.csv)"},
       {"plot", "plot image (empty = --out with .png)"},
       {"baselines", "result CSVs of other libraries to overlay (bench/baselines/*.py), "
                     "separated by ','"},
       {"quiet", "print no progress on stderr"}},
      0,
      RunBench,
  };
}

}  // namespace vqsearch::cli
