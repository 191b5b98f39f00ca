// See memory_file.h.

#include "memory_file.h"

#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"

namespace vqsearch::fuzz {

MemoryFile::MemoryFile(const uint8_t* data, size_t size)
    : fd_(memfd_create("vqsearch-fuzz-input", MFD_CLOEXEC)),
      path_("/proc/self/fd/" + std::to_string(fd_)) {
  FUZZ_CHECK(fd_ >= 0, "memfd_create failed");
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(fd_, data + written, size - written);
    FUZZ_CHECK(n > 0, "writing %zu bytes to a memfd failed", size);
    written += static_cast<size_t>(n);
  }
}

MemoryFile::~MemoryFile() { close(fd_); }

}  // namespace vqsearch::fuzz
