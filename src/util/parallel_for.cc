// ParallelFor on OpenMP: one parallel region per call, tasks handed out one at a time.

#include "util/parallel_for.h"

#include <omp.h>

#include <algorithm>
#include <thread>

namespace vqsearch::internal {

int ResolveThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void ParallelFor(int64_t num_tasks, int num_threads,
                 const std::function<void(int64_t task, int worker)>& body) {
  if (num_tasks <= 0) return;
  const int threads =
      static_cast<int>(std::min<int64_t>(ResolveThreadCount(num_threads), num_tasks));
  if (threads == 1) {
    for (int64_t task = 0; task < num_tasks; ++task) body(task, 0);
    return;
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t task = 0; task < num_tasks; ++task) body(task, omp_get_thread_num());
}

}  // namespace vqsearch::internal
