// Fuzz target: the fvecs, ivecs and bvecs readers, each over the same bytes, whole and
// limited to two rows. A matrix they return must hold rows x dim values, no more rows
// than the bytes can hold, and the two-row read must be the whole read's first rows.
// fvecs and bvecs matrices are then searched through a Flat index and exercised.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "exercise_index.h"
#include "fuzz_check.h"
#include "memory_file.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"

namespace {

constexpr int64_t kPrefixRows = 2;
// Larger matrices are only checked: searching them would slow the fuzzer down.
constexpr size_t kMaxSearchedValues = size_t{1} << 16;

template <typename Matrix>
void CheckMatrix(const Matrix& whole, const Matrix& prefix, size_t file_size,
                 size_t component_size) {
  FUZZ_CHECK(whole.values.empty() || whole.dim > 0, "%zu values of dimension %d",
             whole.values.size(), whole.dim);
  if (whole.dim == 0) return;
  FUZZ_CHECK(whole.values.size() % whole.dim == 0, "%zu values of dimension %d",
             whole.values.size(), whole.dim);
  const size_t record_size = sizeof(int32_t) + whole.dim * component_size;
  FUZZ_CHECK(static_cast<size_t>(whole.rows()) * record_size <= file_size,
             "%lld rows of dimension %d from %zu bytes", static_cast<long long>(whole.rows()),
             whole.dim, file_size);
  const int64_t prefix_rows = std::min(kPrefixRows, whole.rows());
  FUZZ_CHECK(prefix.dim == whole.dim && prefix.rows() == prefix_rows &&
                 std::memcmp(prefix.values.data(), whole.values.data(),
                             prefix.values.size() * sizeof(prefix.values[0])) == 0,
             "the first %lld rows read alone differ from the whole read's (bitwise: NaN is data)",
             static_cast<long long>(prefix_rows));
}

void SearchMatrix(const vqsearch::FloatMatrix& matrix) {
  if (matrix.rows() == 0 || matrix.values.size() > kMaxSearchedValues) return;
  absl::StatusOr<std::unique_ptr<vqsearch::Index>> index =
      vqsearch::Index::Create("Flat", matrix.dim, vqsearch::Metric::kL2);
  if (index.ok() && (*index)->Add(matrix.view()).ok()) vqsearch::fuzz::ExerciseIndex(**index);
}

template <typename Matrix, typename Reader>
void ReadAndCheck(const std::string& path, size_t file_size, size_t component_size,
                  Reader read) {
  const absl::StatusOr<Matrix> whole = read(path, -1);
  if (!whole.ok()) {
    FUZZ_CHECK(!whole.status().message().empty(), "a vecs read failed without a message");
    return;
  }
  const absl::StatusOr<Matrix> prefix = read(path, kPrefixRows);
  FUZZ_CHECK(prefix.ok(), "the whole file reads but its first rows fail: %s",
             std::string(prefix.status().message()).c_str());
  CheckMatrix(*whole, *prefix, file_size, component_size);
  if constexpr (std::is_same_v<Matrix, vqsearch::FloatMatrix>) SearchMatrix(*whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const vqsearch::fuzz::MemoryFile file(data, size);
  ReadAndCheck<vqsearch::FloatMatrix>(file.path(), size, sizeof(float), vqsearch::ReadFvecs);
  ReadAndCheck<vqsearch::IntMatrix>(file.path(), size, sizeof(int32_t), vqsearch::ReadIvecs);
  ReadAndCheck<vqsearch::FloatMatrix>(file.path(), size, sizeof(uint8_t), vqsearch::ReadBvecs);
  return 0;
}
