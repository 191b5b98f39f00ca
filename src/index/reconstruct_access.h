// Decodable: what an index type that can decode its codes implements for Reconstruct
// (vqsearch/reconstruct.h), how Reconstruct takes the index's reader lock, and the
// id -> position lookup of the indexes that store one row per position (Flat, SQ, Refine).

#ifndef VQSEARCH_INDEX_RECONSTRUCT_ACCESS_H_
#define VQSEARCH_INDEX_RECONSTRUCT_ACCESS_H_

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "vqsearch/index.h"

namespace vqsearch::internal {

class IdMap;

// An index that can decode is also a Decodable; Reconstruct answers Unimplemented for
// the others.
class Decodable {
 public:
  virtual ~Decodable() = default;
  // Called under the index's reader lock with ids checked to be >= 0: one decoded row
  // of dim floats per id into `out`, NotFound naming the first id not stored.
  virtual absl::Status DoReconstruct(absl::Span<const int64_t> ids, float* out) const = 0;
};

// Index names this class a friend.
class ReconstructAccess {
 public:
  // Decodes under the index's reader lock; Unimplemented unless it is a Decodable.
  static absl::Status Locked(const Index& index, absl::Span<const int64_t> ids, float* out);
};

// The NotFound error of an id that is not stored.
absl::Status IdNotStored(int64_t id);

// Where each stored id is: a storage position, or whatever else the index's decoder reads.
using PositionOf = absl::flat_hash_map<int64_t, int64_t>;

// The position of each id of an IdMap that keeps one id per position.
PositionOf PositionsOf(const IdMap& ids);

// Calls decode(position_of[ids[i]], row i of `out`) (dim floats per row) for each of
// `ids`; NotFound naming the first id not in `position_of`, or decode's first error.
absl::Status ReconstructFrom(const PositionOf& position_of, absl::Span<const int64_t> ids,
                             int dim, float* out,
                             absl::FunctionRef<absl::Status(int64_t, float*)> decode);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_RECONSTRUCT_ACCESS_H_
