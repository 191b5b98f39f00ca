// IvfFlatIndex (`IVF<nlist>,Flat`): inverted lists of uncompressed float32 vectors.
// Distances within the probed lists are exact up to float rounding, so recall is
// limited only by nprobe.
//
// Each entry stores its residual r = x - c against its list's centroid c, followed by
// ||r||^2. For a query q probing that list, with g = q - c:
//   L2:            ||q - x||^2 = ||g||^2 - 2 g.r + ||r||^2
//   inner product: q.x         = q.c + q.r
// Residuals are small next to the vectors themselves, so the float32 expansion loses
// almost nothing to cancellation (on raw vectors with large norms it lost enough to
// swap neighbours). The shared IVF loop (index/ivf_scan_loop.h) scans a batch list by
// list: the queries of a block that probe a list are gathered (as g, or q, the scanner's
// table) and multiplied with the whole list in one sgemm, which reads each list once per
// block instead of once per query.

#ifndef VQSEARCH_INDEX_IVF_FLAT_INDEX_H_
#define VQSEARCH_INDEX_IVF_FLAT_INDEX_H_

#include <memory>
#include <string>

#include "index/codec_entry.h"
#include "index/ivf_index.h"

namespace vqsearch::internal {

class IvfFlatIndex : public IvfIndex {
 public:
  IvfFlatIndex(std::string spec, int dim, Metric metric, int64_t nlist)
      : IvfIndex(std::move(spec), dim, metric, nlist, (static_cast<size_t>(dim) + 1) * sizeof(float)) {}

 protected:
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  std::unique_ptr<ListScanner> MakeScanner() const override;
  // The stored residual plus the centroid.
  absl::Status DecodeEntry(int64_t list, const uint8_t* code, float* out) const override;
};

// The factory's entry for Flat: FlatIndex as a whole spec, IvfFlatIndex after IVF<nlist>.
extern const CodecEntry kFlatCodec;

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_FLAT_INDEX_H_
