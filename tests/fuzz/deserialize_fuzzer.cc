// Fuzz target: vqsearch::Deserialize over arbitrary bytes, then ExerciseIndex on whatever
// loads. Built alone it mutates raw bytes, so it mostly tests the container checks
// (header, table, checksums); built with section_mutator.cc (fuzz_deserialize_sections)
// every mutated file carries correct checksums and reaches the index parsers.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "exercise_index.h"
#include "fuzz_check.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<std::unique_ptr<vqsearch::Index>> index =
      vqsearch::Deserialize(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!index.ok()) {
    FUZZ_CHECK(!index.status().message().empty(), "Deserialize failed without a message");
    return 0;
  }
  vqsearch::fuzz::ExerciseIndex(**index);
  return 0;
}
