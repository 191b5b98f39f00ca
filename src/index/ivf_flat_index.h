// IvfFlatIndex (`IVF<nlist>,Flat`): inverted lists of raw float32 vectors. Exact
// distances within the probed lists, so recall is limited only by nprobe.
//
// Each entry stores the vector followed by its squared norm, so L2 distances are
// ||q||^2 - 2 q.x + ||x||^2 with q.x from BLAS. A batch of queries is scanned list by
// list: the queries of one block that probe a list are gathered and multiplied with the
// whole list in one sgemm, which reads each list once per block instead of once per
// query.

#ifndef VQSEARCH_INDEX_IVF_FLAT_INDEX_H_
#define VQSEARCH_INDEX_IVF_FLAT_INDEX_H_

#include "index/ivf_index.h"

namespace vqsearch::internal {

class IvfFlatIndex : public IvfIndex {
 public:
  IvfFlatIndex(std::string spec, int dim, Metric metric, int64_t nlist)
      : IvfIndex(std::move(spec), dim, metric, nlist, (static_cast<size_t>(dim) + 1) * sizeof(float)) {}

 protected:
  void Encode(MatrixView vectors, const int64_t* lists, uint8_t* codes) const override;
  void SearchProbed(MatrixView queries, const int64_t* probes, int nprobe, int k,
                    const SearchParams& params, SearchResults* results) const override;

 private:
  struct Scratch;
  void SearchBlock(MatrixView queries, int64_t first_query, const int64_t* probes, int nprobe,
                   int k, SearchResults* results, Scratch* scratch) const;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_IVF_FLAT_INDEX_H_
