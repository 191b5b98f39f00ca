// Fuzz target: the spec parser (Index::Create). Input: one byte choosing the dimension
// (1 to 32), one choosing the metric, then the spec text. A spec that parses must
// report its dimension and metric, and its canonical spelling must parse to itself;
// the index is then trained and filled with a small data set and exercised.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exercise_index.h"
#include "testing/random_data.h"
#include "fuzz_check.h"
#include "vqsearch/index.h"

namespace {

// Enough vectors for 256-centroid codebooks (k-means refuses more centroids than points).
constexpr int kTrainRows = 256;
// Work units allowed per Train or Add: specs whose training is legitimately long are
// cancelled instead of making the fuzzer time out (its limit is 20 s under ASan). A
// report costs one unit, except that residual stage s costs s: it encodes the training
// vectors through all s stages before it, so m stages cost about m^2 / 2 and the
// budget admits about 10 stages ("1,RQ60x8" took minutes under ASan with 64 reports).
constexpr int64_t kWorkBudget = 64;

int64_t WorkUnits(const vqsearch::Progress& progress) {
  return progress.stage == "rq" ? std::max<int64_t>(progress.done, 1) : 1;
}

vqsearch::BuildOptions Budgeted(int64_t* work) {
  vqsearch::BuildOptions options;
  options.num_threads = 1;
  options.progress = [work](const vqsearch::Progress& progress) {
    *work += WorkUnits(progress);
    return *work <= kWorkBudget;
  };
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const int dim = 1 + data[0] % 32;
  const vqsearch::Metric metric = static_cast<vqsearch::Metric>(data[1] % 3);
  const std::string_view spec(reinterpret_cast<const char*>(data + 2), size - 2);
  absl::StatusOr<std::unique_ptr<vqsearch::Index>> index = vqsearch::Index::Create(spec, dim, metric);
  if (!index.ok()) {
    FUZZ_CHECK(!index.status().message().empty(), "Create failed without a message");
    return 0;
  }
  vqsearch::Index& created = **index;
  FUZZ_CHECK(created.dim() == dim && created.metric() == metric && created.size() == 0,
             "spec made an index of dimension %d, metric %d, size %lld", created.dim(),
             static_cast<int>(created.metric()), static_cast<long long>(created.size()));
  const absl::StatusOr<std::unique_ptr<vqsearch::Index>> again =
      vqsearch::Index::Create(created.spec(), dim, metric);
  FUZZ_CHECK(again.ok() && (*again)->spec() == created.spec(),
             "canonical spec \"%s\" does not parse to itself: %s", created.spec().c_str(),
             again.ok() ? (*again)->spec().c_str() : std::string(again.status().message()).c_str());

  const std::vector<float> train = vqsearch::testing::GaussianVectors(kTrainRows, dim, dim);
  const vqsearch::MatrixView vectors(train, dim);
  int64_t work = 0;
  if (!created.Train(vectors, Budgeted(&work)).ok()) return 0;
  work = 0;
  if (!created.Add(vectors.Slice(0, 64), {}, Budgeted(&work)).ok()) return 0;
  vqsearch::fuzz::ExerciseIndex(created);
  return 0;
}
