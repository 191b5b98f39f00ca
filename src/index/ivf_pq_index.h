// IvfPqIndex (`IVF<nlist>,PQ<m>` or `IVF<nlist>,PQ<m>x8`): inverted lists of product-
// quantized residuals, m bytes per vector, scored by asymmetric distance computation
// (ADC): the query stays float and each code's distance is a sum of m table entries.
//
// Residuals r = x - c against the list centroid c are encoded. For L2,
//   ||q - c - r||^2 = ||q - c||^2 + (||r||^2 + 2 c.r) - 2 q.r
// and with r a concatenation of sub-space centroids both inner terms split per sub-space:
//   ||r||^2 + 2 c.r = sum_m (||C_m[j]||^2 + 2 c_m.C_m[j])   depends on the list only, so
//                                                           it is precomputed at training
//   q.r             = sum_m q_m.C_m[j]                      depends on the query only
// A probed list's table is then the precomputed list table minus twice the query table:
// one multiply-add per entry instead of recomputing sub-space distances (as in FAISS's
// IVFPQ with precomputed tables). For inner product, q.x = q.c + sum_m q_m.C_m[j], and
// the table is the query table itself.

#ifndef VQSEARCH_INDEX_IVF_PQ_INDEX_H_
#define VQSEARCH_INDEX_IVF_PQ_INDEX_H_

#include <string>
#include <vector>

#include "index/ivf_index.h"
#include "quant/product_quantizer.h"

namespace vqsearch::internal {

class TopK;

class IvfPqIndex : public IvfIndex {
 public:
  // `pq` must be untrained, of dimension `dim`, 8 bits per sub-space.
  IvfPqIndex(std::string spec, int dim, Metric metric, int64_t nlist, ProductQuantizer pq);

 protected:
  absl::Status TrainCodec(MatrixView vectors, MatrixView centroids,
                          const BuildOptions& options) override;
  absl::Status Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes,
                      int num_threads) const override;
  void SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                    const SearchParams& params, SearchResults* results) const override;
  void WriteCodec(IndexFileWriter* writer) const override;
  absl::Status ReadCodec(const IndexFileReader& reader) override;

 private:
  // Fills list_terms_ from the centroids and the trained PQ (L2 only).
  void PrecomputeListTerms(MatrixView centroids);
  // ADC scores of one query over one list's codes (into `scores`), then into `heap`.
  void ScanList(int64_t list, const float* table, float offset, std::vector<float>* scores,
                TopK* heap) const;

  ProductQuantizer pq_;
  // L2: per list, m x 256 values ||C_m[j]||^2 + 2 c_m.C_m[j].
  std::vector<float> list_terms_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_PQ_INDEX_H_
