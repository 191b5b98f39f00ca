// Exact ground truth for an ann-benchmarks dataset: the `neighbors` and `distances` of
// the k nearest train vectors of every test vector, as vqsearch_ground_truth writes them
// into a file and the benchmark computes them for a file that has none.
//
// The Flat index finds the neighbours at BLAS speed and ranks its shortlist by scores
// recomputed in double, so the order is exact; the stored distances are recomputed in
// double from the vectors in the ann-benchmarks convention (euclidean: L2, angular:
// 1 - cosine similarity).

#ifndef VQSEARCH_TOOLS_RUNNER_GROUND_TRUTH_H_
#define VQSEARCH_TOOLS_RUNNER_GROUND_TRUTH_H_

#include "absl/status/status.h"
#include "vqsearch/dataset.h"

namespace vqsearch::bench {

// Replaces the dataset's ground truth with its k exact neighbours per test vector, on
// `threads` search threads (0 = every CPU), reporting progress on stderr unless `quiet`.
absl::Status ComputeGroundTruth(int k, int threads, bool quiet, AnnDataset* dataset);

}  // namespace vqsearch::bench

#endif  // VQSEARCH_TOOLS_RUNNER_GROUND_TRUTH_H_
