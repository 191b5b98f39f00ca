// The threads behind ParallelFor: each thread that runs a parallel loop owns a small pool
// of workers that it wakes for the loop and that block (not spin) between loops.
//
// Why not OpenMP: libgomp's workers spin at the end of every parallel region for up to
// ~300,000 iterations before sleeping. When the machine is busy (another process on the
// cores, tests run side by side, a server answering queries while an index builds), a
// spinning worker holds the core its descheduled sibling needs to finish the region, and
// every region costs a scheduler time slice: k-means with two threads on a loaded
// two-core machine took 86 s instead of 3.3 s. These workers spin for a few microseconds,
// yielding, then sleep on a futex.
//
// Like OpenMP's thread teams, a pool belongs to the thread that calls it, so concurrent
// callers never wait for one another; a loop started from inside a worker runs inline.

#ifndef VQSEARCH_UTIL_WORKER_POOL_H_
#define VQSEARCH_UTIL_WORKER_POOL_H_

#include <cstdint>
#include <functional>

namespace vqsearch::internal {

// Runs body(task, worker) for every task in [0, num_tasks) on the calling thread (worker
// 0) and threads - 1 workers of the calling thread's pool, handing tasks out one at a
// time. Requires 2 <= threads; returns when every task has run.
void RunOnWorkers(int64_t num_tasks, int threads,
                  const std::function<void(int64_t task, int worker)>& body);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_UTIL_WORKER_POOL_H_
