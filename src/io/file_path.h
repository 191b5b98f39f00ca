// Checks on the paths vqsearch opens and writes. A std::string (or a Python str) may hold
// a NUL byte that the operating system would take as the end of the path, so "idx\0x"
// would silently name "idx": such paths are refused before any file is touched.

#ifndef VQSEARCH_IO_FILE_PATH_H_
#define VQSEARCH_IO_FILE_PATH_H_

#include <string>

#include "absl/status/status.h"

namespace vqsearch::internal {

// InvalidArgument for an empty path or one holding a NUL byte.
absl::Status CheckPath(const std::string& path);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_FILE_PATH_H_
