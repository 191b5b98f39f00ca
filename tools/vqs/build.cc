// vqs build: creates an index from a spec, trains it on a vectors file and adds every
// vector of it (ids 0, 1, ... in file order), then saves it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "command.h"
#include "common.h"
#include "flags.h"
#include "progress_printer.h"
#include "util/status_macros.h"
#include "vector_file.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch::cli {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

absl::Status RunBuild(const std::vector<std::string>&) {
  const std::string spec = absl::GetFlag(FLAGS_spec);
  const std::string data_path = absl::GetFlag(FLAGS_data);
  const std::string out = absl::GetFlag(FLAGS_out);
  const int threads = absl::GetFlag(FLAGS_threads);
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  VQS_RETURN_IF_ERROR(Require("spec", spec, "an index spec such as \"IVF1024,PQ32x4fs,Refine(Flat)\""));
  VQS_RETURN_IF_ERROR(Require("data", data_path, "the vectors to index"));
  VQS_RETURN_IF_ERROR(Require("out", out, "the index file to write"));
  if (threads < 0) return UsageError(absl::StrCat("--threads must be >= 0, got ", threads));
  // Parsed before the (possibly large) data file is read.
  VQS_RETURN_IF_ERROR(MetricFromFlag(std::nullopt).status());

  const auto start = std::chrono::steady_clock::now();
  VQS_ASSIGN_OR_RETURN(const VectorFile data, ReadVectorFile(data_path, HdfPart::kTrain, "--data"));
  VQS_ASSIGN_OR_RETURN(const Metric metric, MetricFromFlag(data.metric));
  absl::StatusOr<std::unique_ptr<Index>> created = Index::Create(spec, data.vectors.dim, metric);
  if (!created.ok()) return UsageError(absl::StrCat("--spec: ", created.status().message()));
  Index& index = **created;
  auto report = [&](const std::string& line) {
    if (!quiet) absl::FPrintF(stderr, "%s\n", line);
  };
  report(absl::StrFormat("read %d vectors of dimension %d from %s (%.1f s); index %s, %s",
                         data.vectors.rows(), data.vectors.dim, data_path, SecondsSince(start),
                         index.spec(), MetricName(metric)));

  BuildOptions options;
  options.num_threads = threads;
  std::unique_ptr<bench::ProgressPrinter> printer;
  if (!quiet) {
    printer = std::make_unique<bench::ProgressPrinter>("  ");
    options.progress = printer->Callback();
  }
  if (!index.is_trained()) {
    report("training");
    absl::Status trained = index.Train(data.vectors.view(), options);
    if (printer != nullptr) printer->Finish();
    if (!trained.ok()) return absl::Status(trained.code(), absl::StrCat("training: ", trained.message()));
  }
  report("adding");
  absl::Status added = index.Add(data.vectors.view(), /*ids=*/{}, options);
  if (printer != nullptr) printer->Finish();
  if (!added.ok()) return absl::Status(added.code(), absl::StrCat("adding: ", added.message()));
  absl::Status saved = vqsearch::Save(index, out);
  if (!saved.ok()) return absl::Status(saved.code(), absl::StrCat("--out: ", saved.message()));
  report(absl::StrFormat("wrote %s: %d vectors, %.1f bytes/vector in memory, %.1f s in all", out,
                         index.size(),
                         static_cast<double>(index.MemoryUsageBytes()) / index.size(),
                         SecondsSince(start)));
  return absl::OkStatus();
}

}  // namespace

Command BuildCommand() {
  return {
      "build",
      "train an index on a vectors file, add its vectors, save it",
      "vqs build --spec=SPEC --data=FILE --out=INDEX.vqs [--metric=l2|ip|cosine] [--threads=N] "
      "[--quiet]\n\n"
      "Creates an index from SPEC, trains it on every vector of FILE (when the spec needs "
      "training), adds them all with ids 0, 1, ... in file order, and writes it to INDEX.vqs. "
      "Progress goes to stderr: a bar with the time left on a terminal, one line per stage "
      "otherwise.",
      {{"spec", "index factory spec, e.g. \"IVF1024,PQ32x4fs,Refine(Flat)\" (README: Index specs)"},
       {"data", "vectors to index: .hdf5 (an ann-benchmarks file's train set), .fvecs, .bvecs "
                "or .npy (2-D float32, float64, uint8, int8, int32 or int64)"},
       {"metric", "l2, ip or cosine; empty = the HDF5 file's distance (euclidean: l2, angular: "
                  "cosine), or l2 for other files"},
       {"out", "index file to write (atomically)"},
       {"threads", "threads for training and adding (0 = every CPU the process may use)"},
       {"quiet", "print no progress on stderr"}},
      0,
      RunBuild,
  };
}

}  // namespace vqsearch::cli
