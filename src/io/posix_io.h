// Whole-buffer reads and writes on POSIX file descriptors: the loops that retry short
// transfers and EINTR, shared by the index file writer and reader and the HDF5 probe.

#ifndef VQSEARCH_IO_POSIX_IO_H_
#define VQSEARCH_IO_POSIX_IO_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace vqsearch::internal {

// Writes every byte; false on an error (errno says which).
bool WriteAll(int fd, absl::string_view bytes);

// Reads until `size` bytes, the end of the file or an error; returns the bytes read, or
// -1 on an error (errno says which).
int64_t ReadUpTo(int fd, void* data, size_t size);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_POSIX_IO_H_
