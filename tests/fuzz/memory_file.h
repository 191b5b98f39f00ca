// MemoryFile: fuzz input bytes as a file the path-taking readers (ReadAnnHdf5,
// ReadFvecs, ...) can open: a uniquely named file in /dev/shm (memory, not disk; /tmp
// where there is none), removed again by the destructor. Not a memfd: libhdf5 resolves
// the real path of what it opens, and a memfd has none.

#ifndef VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_
#define VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace vqsearch::fuzz {

class MemoryFile {
 public:
  // Aborts if the file cannot be made: without it no input can be tried.
  MemoryFile(const uint8_t* data, size_t size);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace vqsearch::fuzz

#endif  // VQSEARCH_TESTS_FUZZ_MEMORY_FILE_H_
