// An index file taken apart into its sections and put back together, for the
// checksum-aware fuzz mutator (which mutates one section, then writes the file again
// with every checksum right, so that mutations reach the parsers behind the checksums)
// and for the seed-corpus generator's dictionary of section names. The layout is the one
// documented in src/io/index_file.h; writing goes through the library's own writer.

#ifndef VQSEARCH_TESTS_FUZZ_INDEX_SECTIONS_H_
#define VQSEARCH_TESTS_FUZZ_INDEX_SECTIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/index_file.h"

namespace vqsearch::fuzz {

struct FileSection {
  std::string name;
  uint32_t type;  // a SectionType value, or any other number a mutation made
  std::string bytes;
};

// The sections of `data`, in file order, checksums ignored; nullopt when the header or
// the section table does not describe sections inside the data.
std::optional<std::vector<FileSection>> SplitSections(const uint8_t* data, size_t size);

// The index file holding `sections`, with correct checksums; nullopt when the writer
// refuses them (an empty, over-long or duplicate name).
std::optional<std::string> JoinSections(const std::vector<FileSection>& sections);

}  // namespace vqsearch::fuzz

#endif  // VQSEARCH_TESTS_FUZZ_INDEX_SECTIONS_H_
