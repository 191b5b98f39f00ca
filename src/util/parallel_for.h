// The one threading seam of vqsearch. Every parallel loop in the library goes through
// ParallelFor, so the thread count is always the caller's per-call choice and the
// implementation (a per-thread worker pool, util/worker_pool.h) can be swapped for a caller's own pool in one place.

#ifndef VQSEARCH_UTIL_PARALLEL_FOR_H_
#define VQSEARCH_UTIL_PARALLEL_FOR_H_

#include <cstdint>
#include <functional>

namespace vqsearch::internal {

// 0 means the process default (vqsearch/threads.h); otherwise `requested` itself.
int ResolveThreadCount(int requested);

// Runs body(task, worker) for every task in [0, num_tasks) on up to `num_threads`
// threads (as ResolveThreadCount reads it; never more threads than tasks). `worker` is
// in [0, number of threads) and identifies per-thread scratch space. Tasks are handed
// out dynamically, so their order across workers is unspecified: bodies must write to
// disjoint outputs. With one thread the tasks run in order on the calling thread.
// Bodies must not throw.
void ParallelFor(int64_t num_tasks, int num_threads,
                 const std::function<void(int64_t task, int worker)>& body);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_PARALLEL_FOR_H_
