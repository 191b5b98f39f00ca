// ParallelFor on the worker pool: every task runs exactly once on a worker in range, for
// any thread count, from several calling threads at once, nested, many loops in a row
// (the wake / join handshake), and in a child process after fork().

#include "util/parallel_for.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace vqsearch::internal {
namespace {

// Runs num_tasks tasks on `threads` threads; true when each ran once with a valid worker.
bool EveryTaskRanOnce(int64_t num_tasks, int threads) {
  std::vector<std::atomic<int>> runs(num_tasks);
  std::atomic<bool> worker_in_range{true};
  const int expected_workers = static_cast<int>(std::min<int64_t>(threads, num_tasks));
  ParallelFor(num_tasks, threads, [&](int64_t task, int worker) {
    runs[task].fetch_add(1);
    if (worker < 0 || worker >= expected_workers) worker_in_range = false;
  });
  for (const auto& count : runs) {
    if (count.load() != 1) return false;
  }
  return worker_in_range.load();
}

TEST(ParallelForTest, RunsEveryTaskOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 7, 16}) {
    for (int64_t tasks : {0, 1, 2, 5, 100, 1000}) {
      EXPECT_TRUE(EveryTaskRanOnce(tasks, threads)) << threads << " threads, " << tasks;
    }
  }
}

TEST(ParallelForTest, UsesSeveralWorkersWhenTasksWait) {
  // Tasks that sleep leave the caller no chance to take them all itself.
  std::mutex mutex;
  std::set<int> workers;
  ParallelFor(8, 4, [&](int64_t, int worker) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<std::mutex> lock(mutex);
    workers.insert(worker);
  });
  EXPECT_GT(workers.size(), 1u);
}

TEST(ParallelForTest, ManyShortLoopsInARow) {
  std::atomic<int64_t> sum{0};
  for (int loop = 0; loop < 20000; ++loop) {
    ParallelFor(3, 2, [&](int64_t task, int) { sum.fetch_add(task + 1); });
  }
  EXPECT_EQ(sum.load(), 20000 * 6);
}

TEST(ParallelForTest, ConcurrentCallersEachGetAllTheirTasks) {
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int caller = 0; caller < 4; ++caller) {
    callers.emplace_back([&failures, caller] {
      for (int loop = 0; loop < 200; ++loop) {
        if (!EveryTaskRanOnce(50 + caller, 2 + caller % 2)) failures.fetch_add(1);
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ParallelForTest, NestedLoopsRunInlineAndComplete) {
  std::atomic<int> inner_runs{0};
  std::atomic<bool> inner_worker_zero{true};
  ParallelFor(6, 3, [&](int64_t, int) {
    ParallelFor(5, 3, [&](int64_t, int worker) {
      if (worker != 0) inner_worker_zero = false;
      inner_runs.fetch_add(1);
    });
  });
  EXPECT_EQ(inner_runs.load(), 30);
  EXPECT_TRUE(inner_worker_zero.load());
}

TEST(ParallelForTest, WorksInAChildAfterFork) {
  ASSERT_TRUE(EveryTaskRanOnce(100, 2));  // the parent's pool exists before the fork
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(EveryTaskRanOnce(100, 2) ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(EveryTaskRanOnce(100, 2));
}

}  // namespace
}  // namespace vqsearch::internal
