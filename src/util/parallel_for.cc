// ParallelFor on the calling thread's worker pool (util/worker_pool.h), tasks handed out
// one at a time.
// Also the process-wide default thread count of vqsearch/threads.h.

#include "util/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "util/available_cpus.h"
#include "util/worker_pool.h"
#include "vqsearch/threads.h"

namespace vqsearch {
namespace {

// 0 until SetNumThreads gives a count.
std::atomic<int> g_num_threads{0};

// The default when SetNumThreads gave none: VQSEARCH_NUM_THREADS, or the available CPUs.
// Counted once: reading the affinity mask and cgroup files on every call would cost a
// single-query search more than its scan.
int AutomaticThreadCount() {
  static const int count = [] {
    int from_environment = 0;
    const char* value = std::getenv("VQSEARCH_NUM_THREADS");
    if (value != nullptr && absl::SimpleAtoi(value, &from_environment) && from_environment > 0) {
      return from_environment;
    }
    return internal::AvailableCpus();
  }();
  return count;
}

}  // namespace

absl::Status SetNumThreads(int num_threads) {
  if (num_threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_threads must be >= 0 (0 = automatic), got ", num_threads));
  }
  g_num_threads.store(num_threads, std::memory_order_relaxed);
  return absl::OkStatus();
}

int NumThreads() {
  const int set = g_num_threads.load(std::memory_order_relaxed);
  return set > 0 ? set : AutomaticThreadCount();
}

int AvailableCpuCount() { return internal::AvailableCpus(); }

namespace internal {

int ResolveThreadCount(int requested) { return requested > 0 ? requested : NumThreads(); }

void ParallelFor(int64_t num_tasks, int num_threads,
                 const std::function<void(int64_t task, int worker)>& body) {
  if (num_tasks <= 0) return;
  const int threads =
      static_cast<int>(std::min<int64_t>(ResolveThreadCount(num_threads), num_tasks));
  if (threads == 1) {
    for (int64_t task = 0; task < num_tasks; ++task) body(task, 0);
    return;
  }
  RunOnWorkers(num_tasks, threads, body);
}

}  // namespace internal
}  // namespace vqsearch
