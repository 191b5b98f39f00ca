// File: vqsearch/factory.h
//
// The index spec grammar. A spec is a comma-separated pipeline in the style FAISS users
// know from index_factory, read left to right:
//
//   Flat             exact search over the raw float32 vectors
//   IVF<nlist>,Flat  k-means into nlist inverted lists of raw vectors; searches probe
//                    SearchParams::nprobe lists per query
//   IVF<nlist>,PQ<m> the same lists holding product-quantized residuals, m bytes per
//   IVF<nlist>,PQ<m>x8  vector (m must divide the dimension), scored by ADC tables
//   <spec>,Refine(Flat) keeps the float32 vectors too and re-ranks refine_factor x k
//                    candidates of <spec> by exact distance
//
// More components (PQ<m>x4fs, SQ8, OPQ<m>, Refine(SQ8)) arrive with
// the indexes that implement them. Whitespace around components is ignored; anything
// else that is not listed is an error naming the component and what was expected.

#ifndef VQSEARCH_FACTORY_H_
#define VQSEARCH_FACTORY_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "vqsearch/index.h"
#include "vqsearch/metric.h"

namespace vqsearch {

// Same as Index::Create.
absl::StatusOr<std::unique_ptr<Index>> CreateIndex(std::string_view spec, int dim, Metric metric);

}  // namespace vqsearch

#endif  // VQSEARCH_FACTORY_H_
