// Paths for a test's temporary files: under $VQS_TEST_TMPDIR (set by ctest to a folder
// of the build tree) or gtest's temporary directory, created when missing.

#ifndef VQSEARCH_TESTS_TESTING_TEMP_PATH_H_
#define VQSEARCH_TESTS_TESTING_TEMP_PATH_H_

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace vqsearch::testing {

// `<temporary directory>/<prefix><name>`.
inline std::string TempPath(const std::string& prefix, const std::string& name) {
  const char* dir = std::getenv("VQS_TEST_TMPDIR");
  std::filesystem::path base = dir != nullptr && *dir != '\0' ? dir : ::testing::TempDir();
  std::filesystem::create_directories(base);
  return (base / (prefix + name)).string();
}

}  // namespace vqsearch::testing

#endif  // VQSEARCH_TESTS_TESTING_TEMP_PATH_H_
