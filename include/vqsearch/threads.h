// File: vqsearch/threads.h
//
// The process-wide default thread count: what num_threads = 0 means in SearchParams,
// BuildOptions and the k-means options, so a server can set one limit for every call.
//
// It starts as the environment variable VQSEARCH_NUM_THREADS when that holds a positive
// integer (read once, when first needed; any other value is ignored), and otherwise as
// every CPU the process may run on: its affinity mask (taskset, Docker's --cpuset-cpus)
// lowered to its cgroup's CPU quota (Docker's --cpus, Kubernetes limits), counted once.

#ifndef VQSEARCH_THREADS_H_
#define VQSEARCH_THREADS_H_

#include "absl/status/status.h"

#include "vqsearch/export.h"

namespace vqsearch {

// Sets the default for every later call; 0 restores the automatic count above.
// InvalidArgument for a negative count. Safe to call from any thread.
VQS_EXPORT absl::Status SetNumThreads(int num_threads);

// The current default (>= 1).
VQS_EXPORT int NumThreads();

// The CPUs the process may run on (affinity mask and cgroup quota), whatever the default.
VQS_EXPORT int AvailableCpuCount();

}  // namespace vqsearch

#endif  // VQSEARCH_THREADS_H_
