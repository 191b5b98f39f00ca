// See memory_file.h.

#include "memory_file.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "fuzz_check.h"

namespace vqsearch::fuzz {

MemoryFile::MemoryFile(const uint8_t* data, size_t size) {
  const char* directory = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  std::string name = std::string(directory) + "/vqsearch-fuzz-XXXXXX";
  const int fd = mkstemp(name.data());
  FUZZ_CHECK(fd >= 0, "cannot create a file in %s", directory);
  path_ = name;
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd, data + written, size - written);
    FUZZ_CHECK(n > 0, "writing %zu bytes to %s failed", size, path_.c_str());
    written += static_cast<size_t>(n);
  }
  close(fd);
}

MemoryFile::~MemoryFile() { unlink(path_.c_str()); }

}  // namespace vqsearch::fuzz
