// vqsearch_quantizer_error: how closely product and residual quantization reconstruct the
// vectors of an ann-benchmarks HDF5 file at equal code bytes. Each codec is trained on the
// train set and its mean squared reconstruction error measured on the test set (vectors
// it did not learn from), with the error relative to the test vectors' mean squared norm.
//
//   vqsearch_quantizer_error --dataset=fashion-mnist-784-euclidean.hdf5
//       --codecs=PQ8x8,RQ8x8,PQ16x4,RQ16x4
//
// Codecs: PQ<m>x<b> (m sub-spaces, b = 4 or 8 bits) and RQ<m>x<b>[_beam<w>] (m stages,
// beam width w, default 4 as in the index factory). The vectors are quantized whole,
// without a coarse quantizer, so the numbers compare the codecs alone.

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "quant/product_quantizer.h"
#include "quant/residual_quantizer.h"
#include "simd/vector_ops.h"
#include "tool_main.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"
#include "vqsearch/build_options.h"

ABSL_FLAG(std::string, dataset, "", "ann-benchmarks HDF5 file");
ABSL_FLAG(std::string, codecs, "PQ8x8,RQ8x8,PQ16x4,RQ16x4",
          "comma-separated PQ<m>x<b> and RQ<m>x<b>[_beam<w>] codecs");
ABSL_FLAG(int, threads, 0, "threads for training and encoding (0 = all hardware threads)");
ABSL_FLAG(bool, quiet, false, "print no training progress on stderr");

namespace vqsearch {
namespace {

using internal::ProductQuantizer;
using internal::ResidualQuantizer;

struct Measurement {
  int code_bytes = 0;
  double train_seconds = 0;
  double mse = 0;
};

// Parses "<prefix><m>x<b>" and an optional "_beam<w>" (RQ only).
absl::Status ParseCodec(const std::string& codec, int* count, int* nbits, int* beam) {
  const std::string shape = codec.substr(2, codec.find("_beam") - 2);
  const std::vector<std::string> parts = absl::StrSplit(shape, 'x');
  bool ok = parts.size() == 2 && absl::SimpleAtoi(parts[0], count) &&
            absl::SimpleAtoi(parts[1], nbits);
  if (codec.find("_beam") != std::string::npos) {
    ok = ok && codec.rfind("RQ", 0) == 0 &&
         absl::SimpleAtoi(codec.substr(codec.find("_beam") + 5), beam);
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("codec \"", codec, "\": expected PQ<m>x<b> or RQ<m>x<b>[_beam<w>]"));
  }
  return absl::OkStatus();
}

template <typename Quantizer>
absl::StatusOr<Measurement> Measure(Quantizer quantizer, const AnnDataset& dataset,
                                    const BuildOptions& options) {
  Measurement measurement;
  measurement.code_bytes = quantizer.code_size();
  const auto start = std::chrono::steady_clock::now();
  VQS_RETURN_IF_ERROR(quantizer.Train(dataset.train_view(), /*seed=*/4321, options));
  measurement.train_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  VQS_ASSIGN_OR_RETURN(measurement.mse,
                       quantizer.ReconstructionError(dataset.test_view(), options.num_threads));
  return measurement;
}

absl::StatusOr<Measurement> MeasureCodec(const std::string& codec, const AnnDataset& dataset,
                                         const BuildOptions& options) {
  int count = 0, nbits = 0, beam = 4;
  VQS_RETURN_IF_ERROR(ParseCodec(codec, &count, &nbits, &beam));
  if (codec.rfind("PQ", 0) == 0) {
    VQS_ASSIGN_OR_RETURN(ProductQuantizer pq, ProductQuantizer::Create(dataset.dim, count, nbits));
    return Measure(std::move(pq), dataset, options);
  }
  if (codec.rfind("RQ", 0) == 0) {
    VQS_ASSIGN_OR_RETURN(ResidualQuantizer rq,
                         ResidualQuantizer::Create(dataset.dim, count, nbits, beam));
    return Measure(std::move(rq), dataset, options);
  }
  return absl::InvalidArgumentError(absl::StrCat("codec \"", codec, "\" is neither PQ nor RQ"));
}

absl::Status Run() {
  const std::string path = absl::GetFlag(FLAGS_dataset);
  if (path.empty()) return absl::InvalidArgumentError("--dataset=FILE.hdf5 is required");
  VQS_ASSIGN_OR_RETURN(const AnnDataset dataset, ReadAnnHdf5(path));
  BuildOptions options;
  options.num_threads = absl::GetFlag(FLAGS_threads);
  if (!absl::GetFlag(FLAGS_quiet)) {
    options.progress = [](const Progress& progress) {
      absl::FPrintF(stderr, "  %s: %d/%d (%.1f s, objective %g)\n", progress.stage, progress.done,
                    progress.total, progress.seconds, progress.objective);
      return true;
    };
  }
  double mean_norm = 0;
  for (int64_t i = 0; i < dataset.num_test(); ++i) {
    mean_norm += internal::SquaredNorm(dataset.test_view().row(i), dataset.dim);
  }
  mean_norm /= static_cast<double>(dataset.num_test());

  absl::PrintF("%-14s %10s %10s %16s %12s\n", "codec", "bytes", "train s", "test MSE",
               "relative");
  const std::vector<std::string> codecs = absl::StrSplit(absl::GetFlag(FLAGS_codecs), ',');
  for (const std::string& codec : codecs) {
    if (!absl::GetFlag(FLAGS_quiet)) absl::FPrintF(stderr, "%s\n", codec);
    VQS_ASSIGN_OR_RETURN(const Measurement m, MeasureCodec(codec, dataset, options));
    absl::PrintF("%-14s %10d %10.1f %16.6g %12.5f\n", codec, m.code_bytes, m.train_seconds, m.mse,
                 m.mse / mean_norm);
    std::fflush(stdout);
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vqsearch

int main(int argc, char** argv) {
  return vqsearch::bench::ToolMain(
      argc, argv, "vqsearch_quantizer_error",
      "Reconstruction error of PQ and RQ codecs on an ann-benchmarks dataset.\n"
      "Usage: vqsearch_quantizer_error --dataset=FILE.hdf5 [--codecs=PQ8x8,RQ8x8,...] "
      "[--threads=0] [--quiet]",
      vqsearch::Run);
}
