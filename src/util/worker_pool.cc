// A per-thread pool of workers woken by a generation counter and joined by a countdown,
// both std::atomic values that waiters spin on briefly and then sleep on.

#include "util/worker_pool.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace vqsearch::internal {
namespace {

// How long a waiter spins (yielding the core between looks) before it sleeps. Long
// enough to catch the next loop of a batch search without a futex round trip, short
// enough that a waiter on a busy machine gives its core away almost at once.
constexpr std::chrono::microseconds kSpinTime{20};

// The futex word of an atomic counter (C++17 has no std::atomic::wait).
using Word = std::atomic<uint32_t>;
static_assert(sizeof(Word) == sizeof(uint32_t) && Word::is_always_lock_free);

void Wake(Word& word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr,
          nullptr, 0);
}

// Returns the first value of `word` that differs from `old`.
uint32_t WaitForChange(Word& word, uint32_t old) {
  const auto give_up = std::chrono::steady_clock::now() + kSpinTime;
  for (int look = 1;; ++look) {
    const uint32_t now = word.load(std::memory_order_acquire);
    if (now != old) return now;
    if (look % 16 == 0 && std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::yield();
  }
  for (;;) {
    // Sleeps only while the word still holds `old`, so a change made between the load
    // above and this call is not missed.
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, old, nullptr,
            nullptr, 0);
    const uint32_t now = word.load(std::memory_order_acquire);
    if (now != old) return now;
  }
}

// True on pool workers, and on a caller while its loop runs: a loop started there runs
// inline, as a nested OpenMP region would.
thread_local bool t_in_parallel_loop = false;

class WorkerPool {
 public:
  WorkerPool() = default;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  ~WorkerPool() {
    stopping_ = true;
    for (auto& worker : workers_) {
      worker->generation.fetch_add(1, std::memory_order_release);
      Wake(worker->generation);
    }
    for (auto& worker : workers_) worker->thread.join();
  }

  void Run(int64_t num_tasks, int threads,
           const std::function<void(int64_t task, int worker)>& body) {
    const int helpers = threads - 1;
    while (static_cast<int>(workers_.size()) < helpers) {
      auto worker = std::make_unique<Worker>();
      const int index = static_cast<int>(workers_.size()) + 1;
      worker->thread = std::thread([this, raw = worker.get(), index] { Serve(*raw, index); });
      workers_.push_back(std::move(worker));
    }
    body_ = &body;
    num_tasks_ = num_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    running_.store(static_cast<uint32_t>(helpers), std::memory_order_relaxed);
    for (int i = 0; i < helpers; ++i) {
      workers_[i]->generation.fetch_add(1, std::memory_order_release);
      Wake(workers_[i]->generation);
    }
    t_in_parallel_loop = true;
    RunTasks(0);
    t_in_parallel_loop = false;
    for (uint32_t left = running_.load(std::memory_order_acquire); left != 0;) {
      left = WaitForChange(running_, left);
    }
  }

 private:
  struct Worker {
    std::thread thread;
    Word generation{0};  // bumped to hand this worker a loop
  };

  void Serve(Worker& worker, int index) {
    t_in_parallel_loop = true;
    pthread_setname_np(pthread_self(), "vqsearch-work");
    uint32_t seen = 0;
    for (;;) {
      seen = WaitForChange(worker.generation, seen);
      if (stopping_) return;
      RunTasks(index);
      if (running_.fetch_sub(1, std::memory_order_acq_rel) == 1) Wake(running_);
    }
  }

  void RunTasks(int worker) {
    for (int64_t task = next_task_.fetch_add(1, std::memory_order_relaxed); task < num_tasks_;
         task = next_task_.fetch_add(1, std::memory_order_relaxed)) {
      (*body_)(task, worker);
    }
  }

  std::vector<std::unique_ptr<Worker>> workers_;
  // The loop being run; written by the owner before it bumps a generation, read by the
  // workers after they see it (release / acquire on the generation).
  const std::function<void(int64_t, int)>* body_ = nullptr;
  int64_t num_tasks_ = 0;
  bool stopping_ = false;
  std::atomic<int64_t> next_task_{0};
  Word running_{0};  // workers still in the current loop
};

// The calling thread's pool, made on its first parallel loop. After fork() the child has
// the object but not its threads: it leaks the parent's pool and makes its own.
struct ThreadPoolSlot {
  WorkerPool* pool = nullptr;
  pid_t owner = 0;
  ~ThreadPoolSlot() {
    if (pool != nullptr && owner == getpid()) delete pool;
  }
};
thread_local ThreadPoolSlot t_pool_slot;

}  // namespace

void RunOnWorkers(int64_t num_tasks, int threads,
                  const std::function<void(int64_t task, int worker)>& body) {
  if (t_in_parallel_loop) {
    for (int64_t task = 0; task < num_tasks; ++task) body(task, 0);
    return;
  }
  const pid_t self = getpid();
  if (t_pool_slot.pool == nullptr || t_pool_slot.owner != self) {
    t_pool_slot.pool = new WorkerPool();
    t_pool_slot.owner = self;
  }
  t_pool_slot.pool->Run(num_tasks, threads, body);
}

}  // namespace vqsearch::internal
