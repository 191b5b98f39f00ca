// Fuzz target: the ann-benchmarks HDF5 reader (ReadAnnHdf5) over arbitrary file bytes.
// A dataset it returns must be as consistent as dataset.h promises; it is then used
// the way the runner uses one: a Flat index over `train` searched with `test` and
// scored against the ground truth, and exercised.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "exercise_index.h"
#include "fuzz_check.h"
#include "memory_file.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/recall.h"

namespace {

// Larger datasets are only checked: searching them would slow the fuzzer down.
constexpr int64_t kMaxSearchedValues = int64_t{1} << 16;

void CheckDataset(const vqsearch::AnnDataset& dataset) {
  FUZZ_CHECK(dataset.dim > 0, "dimension %d", dataset.dim);
  FUZZ_CHECK(dataset.train.size() % dataset.dim == 0 && dataset.test.size() % dataset.dim == 0,
             "%zu train and %zu test values for dimension %d", dataset.train.size(),
             dataset.test.size(), dataset.dim);
  const size_t truth = static_cast<size_t>(dataset.num_test()) * static_cast<size_t>(dataset.gt_k);
  FUZZ_CHECK(dataset.gt_k >= 0 && dataset.neighbors.size() == truth && dataset.distances.size() == truth,
             "gt_k %d with %zu neighbors and %zu distances for %lld queries", dataset.gt_k,
             dataset.neighbors.size(), dataset.distances.size(),
             static_cast<long long>(dataset.num_test()));
  for (const int32_t neighbor : dataset.neighbors) {
    FUZZ_CHECK(neighbor >= 0 && neighbor < dataset.num_train(), "neighbor id %d of %lld", neighbor,
               static_cast<long long>(dataset.num_train()));
  }
}

void SearchDataset(const vqsearch::AnnDataset& dataset) {
  const absl::StatusOr<vqsearch::Metric> metric = dataset.metric();
  if (!metric.ok() || dataset.num_train() == 0 || dataset.num_test() == 0) return;
  if (static_cast<int64_t>(dataset.train.size() + dataset.test.size()) > kMaxSearchedValues) return;
  absl::StatusOr<std::unique_ptr<vqsearch::Index>> index =
      vqsearch::Index::Create("Flat", dataset.dim, *metric);
  if (!index.ok() || !(*index)->Add(dataset.train_view()).ok()) return;
  const int k = dataset.gt_k > 0 ? std::min(dataset.gt_k, 10) : 10;
  vqsearch::SearchResults results;
  if ((*index)->Search(dataset.test_view(), k, {}, &results).ok() && dataset.gt_k > 0) {
    const absl::StatusOr<double> recall = vqsearch::AnnRecall(dataset, results, k);
    FUZZ_CHECK(!recall.ok() || (*recall >= 0.0 && *recall <= 1.0), "recall %g", *recall);
  }
  vqsearch::fuzz::ExerciseIndex(**index);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const vqsearch::fuzz::MemoryFile file(data, size);
  const absl::StatusOr<vqsearch::AnnDataset> dataset = vqsearch::ReadAnnHdf5(file.path());
  if (!dataset.ok()) {
    FUZZ_CHECK(!dataset.status().message().empty(), "ReadAnnHdf5 failed without a message");
    return 0;
  }
  CheckDataset(*dataset);
  SearchDataset(*dataset);
  return 0;
}
