// IVF over scalar-quantized codes, direct or residual; see ivf_sq_index.h.

#include "index/ivf_sq_index.h"

#include <memory>
#include <vector>

#include "index/sq_index.h"
#include "io/index_file.h"
#include "quant/scalar_quantizer_scorer.h"
#include "simd/vector_ops.h"
#include "util/status_macros.h"

namespace vqsearch::internal {
namespace {

// A probed list's "table" is the scorer with the query folded in, relative to the list's
// centroid for residual codes: d operations against the list's n x d scan, less than
// keeping a folded copy of every query of the block.
class SqListScanner : public ListScanner {
 public:
  // `centroids`: the lists' centroids for residual codes, empty for direct ones.
  SqListScanner(const ScalarQuantizer* sq, bool l2, MatrixView centroids)
      : sq_(sq), l2_(l2), centroids_(centroids) {}

  void SetQueries(MatrixView block) override { block_ = block; }

  ListTable SetList(int64_t query, int64_t list) override {
    scorer_.Reset(*sq_, l2_, block_.row(query),
                  centroids_.rows > 0 ? centroids_.row(list) : nullptr);
    ListTable table;
    table.scorer = &scorer_;
    return table;
  }

  CodeKind kind() const override { return CodeKind::kScalarQuantized; }
  int num_subcodes() const override { return sq_->dim(); }

 private:
  const ScalarQuantizer* sq_;
  bool l2_;
  MatrixView centroids_;
  MatrixView block_;
  SqScorer scorer_;
};

}  // namespace

IvfSqIndex::IvfSqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ScalarQuantizer sq)
    : IvfIndex(std::move(spec), dim, metric, nlist, sq.code_size()), sq_(std::move(sq)) {}

absl::Status IvfSqIndex::TrainCodec(const CodecTrainingSet& training, MatrixView centroids,
                                    const BuildOptions& options) {
  const MatrixView vectors = training.vectors;
  const std::vector<float> residuals = Residuals(vectors, training.lists.data(), centroids);
  const MatrixView residual_view(residuals, dim());
  ScalarQuantizer direct = sq_, residual = sq_;
  VQS_RETURN_IF_ERROR(direct.Train(vectors, options.num_threads));
  VQS_RETURN_IF_ERROR(residual.Train(residual_view, options.num_threads));
  // x - (c + decode(r)) = r - decode(r): both errors are errors on the vectors.
  VQS_ASSIGN_OR_RETURN(const double direct_error,
                       direct.ReconstructionError(vectors, options.num_threads));
  VQS_ASSIGN_OR_RETURN(const double residual_error,
                       residual.ReconstructionError(residual_view, options.num_threads));
  by_residual_ = residual_error < direct_error;
  sq_ = by_residual_ ? std::move(residual) : std::move(direct);
  return absl::OkStatus();
}

absl::Status IvfSqIndex::Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                                int num_threads) const {
  if (!by_residual_) return sq_.Encode(vectors, codes, num_threads);
  const std::vector<float> residuals = Residuals(vectors, lists, centroids());
  return sq_.Encode(MatrixView(residuals, dim()), codes, num_threads);
}

absl::Status IvfSqIndex::DecodeEntry(int64_t list, const uint8_t* code, float* out) const {
  sq_.Decode(code, 1, out);
  if (by_residual_) Accumulate(centroids().row(list), dim(), out);
  return absl::OkStatus();
}

std::unique_ptr<ListScanner> IvfSqIndex::MakeScanner() const {
  return std::make_unique<SqListScanner>(&sq_, scoring_metric() == Metric::kL2,
                                         by_residual_ ? centroids() : MatrixView());
}

void IvfSqIndex::WriteCodec(IndexFileWriter* writer) const {
  sq_.Write("ivfsq.sq", writer);
  writer->AddInt64Scalar("ivfsq.by_residual", by_residual_ ? 1 : 0);
}

absl::Status IvfSqIndex::ReadCodec(const IndexFileReader& reader) {
  VQS_RETURN_IF_ERROR(sq_.Read("ivfsq.sq", reader));
  if (!sq_.is_trained()) {
    return absl::DataLossError("a trained IVF-SQ index was saved without its quantizer");
  }
  VQS_ASSIGN_OR_RETURN(by_residual_, reader.Flag("ivfsq.by_residual"));
  return absl::OkStatus();
}

namespace {

absl::Status CheckSq(absl::string_view component) {
  return ScalarQuantizer::ParseType(component).status();
}

absl::StatusOr<std::unique_ptr<Index>> CreateSq(const CodecArgs& args) {
  VQS_ASSIGN_OR_RETURN(const SqType type, ScalarQuantizer::ParseType(args.component));
  VQS_ASSIGN_OR_RETURN(ScalarQuantizer sq, ScalarQuantizer::Create(args.dim, type));
  if (args.nlist == 0) return std::make_unique<SqIndex>(args.spec, args.dim, args.metric, std::move(sq));
  return std::make_unique<IvfSqIndex>(args.spec, args.dim, args.metric, args.nlist, std::move(sq));
}

}  // namespace

const CodecEntry kSqCodec = {"SQ", "SQ<type>", CheckSq, CreateSq};

}  // namespace vqsearch::internal
