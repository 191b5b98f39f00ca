// The rules every index applies to ids on Add: an index either always receives user ids
// or never does (mixing the two would make some ids sequential positions and others user
// values that can collide with them), and a user id names one stored vector. Also the
// same rules applied to the ids a file holds.

#ifndef VQSEARCH_INDEX_ID_POLICY_H_
#define VQSEARCH_INDEX_ID_POLICY_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace vqsearch {
class Index;
}  // namespace vqsearch

namespace vqsearch::internal {

class IndexFileReader;

// Checks `ids` for an Add of `rows` vectors to an index holding `index_size` vectors that
// has (`has_user_ids`) or has not been given user ids so far.
absl::Status CheckIdsForAdd(bool has_user_ids, int64_t index_size, int64_t rows,
                            absl::Span<const int64_t> ids);

// Checks that no id of `ids` (user ids for an Add) repeats within them or is already
// held by `index`, none of whose ids exceeds `stored_upper_bound`: ids all above it are
// new without reading the stored ones.
absl::Status CheckIdsAreNew(absl::Span<const int64_t> ids, const Index& index,
                            int64_t stored_upper_bound);

// The id state an index saved, checked against the id rules: "<prefix>.has_user_ids" is
// 0 or 1, "<prefix>.next_sequential_id" >= 0, and the ids of `ids_section` (a count of
// `expected_count` when >= 0) are >= 0; sequential ids are also unique and below the
// next sequential id, so later Adds never hand out an id twice. Files written before
// user ids had to be unique may repeat them; they load.
struct StoredIds {
  absl::Span<const int64_t> ids;
  bool has_user_ids = false;
  int64_t next_sequential_id = 0;
};
absl::StatusOr<StoredIds> ReadStoredIds(const IndexFileReader& reader, absl::string_view prefix,
                                        absl::string_view ids_section,
                                        int64_t expected_count = -1);

// Appends ids for `rows` new vectors to `out`: `ids` itself or, when it is empty,
// *next_sequential_id, *next_sequential_id + 1, ... (advancing the counter). The counter
// outlives removals, so a sequential id is never handed out twice.
void AppendIds(int64_t rows, absl::Span<const int64_t> ids, int64_t* next_sequential_id,
               std::vector<int64_t>* out);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_ID_POLICY_H_
