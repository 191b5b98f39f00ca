// The rule every index applies to ids on Add: an index either always receives user ids
// or never does. Mixing the two would make some ids sequential positions and others user
// values that can collide with them, so it is rejected.

#ifndef VQSEARCH_INDEX_ID_POLICY_H_
#define VQSEARCH_INDEX_ID_POLICY_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace vqsearch::internal {

// Checks `ids` for an Add of `rows` vectors to an index holding `index_size` vectors that
// has (`has_user_ids`) or has not been given user ids so far.
absl::Status CheckIdsForAdd(bool has_user_ids, int64_t index_size, int64_t rows,
                            absl::Span<const int64_t> ids);

// Appends ids for `rows` new vectors to `out`: `ids` itself or, when it is empty,
// *next_sequential_id, *next_sequential_id + 1, ... (advancing the counter). The counter
// outlives removals, so a sequential id is never handed out twice.
void AppendIds(int64_t rows, absl::Span<const int64_t> ids, int64_t* next_sequential_id,
               std::vector<int64_t>* out);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_ID_POLICY_H_
