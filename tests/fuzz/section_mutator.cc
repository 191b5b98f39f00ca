// libFuzzer custom mutator and cross-over for index files (fuzz_deserialize_sections):
// the input is taken apart into sections, one section's payload, type or name is
// mutated (or a section is dropped, or taken from the other input in a cross-over),
// and the file is written again with correct checksums. Random byte flips would almost
// always stop at a checksum; these reach the code that reads what the sections hold.
// Inputs that are not index files are mutated as plain bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "index_sections.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace vqsearch::fuzz {
namespace {

// Mutates `bytes` in place with libFuzzer's own mutations (which use the dictionary and
// the comparisons it has seen), letting it grow by up to `room` bytes.
void MutateBytes(std::string* bytes, size_t room) {
  const size_t size = bytes->size();
  bytes->resize(size + room);
  // LLVMFuzzerMutate needs a non-empty buffer; an empty payload mutates from one zero byte.
  if (bytes->empty()) bytes->resize(1);
  const size_t mutated = LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes->data()),
                                          std::max<size_t>(size, 1), bytes->size());
  bytes->resize(mutated);
}

// Writes `sections` into `data` if they fit in max_size; returns the new size, or 0.
size_t Store(const std::vector<FileSection>& sections, uint8_t* data, size_t max_size) {
  const std::optional<std::string> file = JoinSections(sections);
  if (!file.has_value() || file->size() > max_size) return 0;
  std::memcpy(data, file->data(), file->size());
  return file->size();
}

}  // namespace
}  // namespace vqsearch::fuzz

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  using vqsearch::fuzz::FileSection;
  std::optional<std::vector<FileSection>> sections = vqsearch::fuzz::SplitSections(data, size);
  if (!sections.has_value() || sections->empty()) return LLVMFuzzerMutate(data, size, max_size);
  std::minstd_rand rng(seed);
  FileSection& section = (*sections)[rng() % sections->size()];
  // The room a payload may grow by: what max_size leaves, but not so much that every
  // mutation makes huge files (the header and table need a few hundred bytes).
  const size_t room = std::min<size_t>(max_size - std::min(max_size, size + 1024), 4096);
  switch (rng() % 8) {
    case 0:
      section.type = rng() % 2 == 0 ? 1 + rng() % 5 : static_cast<uint32_t>(rng());
      break;
    case 1:
      vqsearch::fuzz::MutateBytes(&section.name, 8);
      section.name.resize(std::min(section.name.size(), vqsearch::internal::kSectionNameCapacity - 1));
      break;
    case 2:
      sections->erase(sections->begin() + (&section - sections->data()));
      break;
    default:
      vqsearch::fuzz::MutateBytes(&section.bytes, room);
      break;
  }
  const size_t stored = vqsearch::fuzz::Store(*sections, data, max_size);
  return stored > 0 ? stored : size;
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,
                                            const uint8_t* data2, size_t size2, uint8_t* out,
                                            size_t max_out_size, unsigned int seed) {
  using vqsearch::fuzz::FileSection;
  std::optional<std::vector<FileSection>> first = vqsearch::fuzz::SplitSections(data1, size1);
  const std::optional<std::vector<FileSection>> second = vqsearch::fuzz::SplitSections(data2, size2);
  if (!first.has_value() || !second.has_value() || second->empty()) return 0;
  std::minstd_rand rng(seed);
  // A section of the second file replaces the first file's section of the same name
  // (the same field from another index), or is added if the first has none.
  const FileSection& donor = (*second)[rng() % second->size()];
  auto same_name = std::find_if(first->begin(), first->end(),
                                [&](const FileSection& s) { return s.name == donor.name; });
  if (same_name != first->end()) {
    *same_name = donor;
  } else {
    first->push_back(donor);
  }
  return vqsearch::fuzz::Store(*first, out, max_out_size);
}
