// File: vqsearch/reconstruct.h
//
// Reconstruct gives back the stored vectors of some ids, decoded from what the index
// stores: exact for Flat (and Refine(Flat), which decodes its float copy), the codec's
// approximation for PQ, RQ, SQ and RaBitQ codes (the list's centroid added back for
// codes of residuals; OPQ's rotation undone). A RaBitQ code (every bit width and
// layout) decodes to the point of which the index's estimates are inner products: under
// inner product, a query's estimated score is its inner product with the decoded point.
// It is what FAISS calls reconstruct.

#ifndef VQSEARCH_RECONSTRUCT_H_
#define VQSEARCH_RECONSTRUCT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "vqsearch/export.h"
#include "vqsearch/index.h"

namespace vqsearch {

// Writes the stored vector of each of `ids` (the ids Search returns) into `out`, one row
// of index.dim() floats per id, in order. Under cosine the stored vectors are the unit
// length copies the index scores. NotFound naming the first id that is not stored
// (removed ids included), InvalidArgument for a negative id; Unimplemented for an index
// whose codes do not decode (every index the factory builds decodes). On error `out` may
// be partly written.
VQS_EXPORT absl::Status Reconstruct(const Index& index, absl::Span<const int64_t> ids, float* out);

}  // namespace vqsearch

#endif  // VQSEARCH_RECONSTRUCT_H_
