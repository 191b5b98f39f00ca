// File: vqsearch/reconstruct.h
//
// Reconstruct gives back the stored vectors of some ids, for indexes that keep them
// losslessly (Flat). It is what FAISS calls reconstruct; compressed codes (PQ, RQ, SQ,
// IVF residuals) answer Unimplemented rather than a decoded approximation.

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
// length copies the index scores. NotFound naming the first id that is not stored;
// Unimplemented for an index type that does not keep its vectors. On error `out` may be
// partly written.
VQS_EXPORT absl::Status Reconstruct(const Index& index, absl::Span<const int64_t> ids, float* out);

}  // namespace vqsearch

#endif  // VQSEARCH_RECONSTRUCT_H_
