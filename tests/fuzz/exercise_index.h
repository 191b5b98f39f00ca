// What every fuzz target does with an index it managed to load or build: the calls a
// server makes on an index it was handed (searches with each kind of parameter, a save
// and reload, an add and a remove), with checks on everything they return. Several
// crashes of crafted files only show on the first search, not in the loader.

#ifndef VQSEARCH_TESTS_FUZZ_EXERCISE_INDEX_H_
#define VQSEARCH_TESTS_FUZZ_EXERCISE_INDEX_H_

#include "vqsearch/index.h"

namespace vqsearch::fuzz {

// Aborts (a finding) when a call breaks its contract: a search that succeeds must
// return num_queries x k results whose ids are -1 padding (with an infinite distance)
// or >= 0 and accepted by the filter; a loaded index must serialize and load again
// and then search identically. Calls that fail with a Status are fine.
void ExerciseIndex(Index& index);

}  // namespace vqsearch::fuzz

#endif  // VQSEARCH_TESTS_FUZZ_EXERCISE_INDEX_H_
