// MemoryFile: fuzz input bytes as a file the path-taking readers (ReadAnnHdf5,
// ReadFvecs, ...) can open, kept in memory (memfd) so that no run touches the disk and
// parallel fuzzers never share a name.

#ifndef VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_
#define VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace vqsearch::fuzz {

class MemoryFile {
 public:
  // Aborts if the kernel cannot make one: without it no input can be tried.
  MemoryFile(const uint8_t* data, size_t size);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // A path that opens the bytes ("/proc/self/fd/<n>").
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

}  // namespace vqsearch::fuzz

#endif  // VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_
