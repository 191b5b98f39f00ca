// Path checks; see file_path.h.

#include "io/file_path.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace vqsearch::internal {

absl::Status CheckPath(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("the path is empty");
  const size_t nul = path.find('\0');
  if (nul != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "path \"", absl::StrReplaceAll(path, {{std::string(1, '\0'), "\\0"}}),
        "\" holds a NUL byte at position ", nul, "; the system would read it as \"",
        path.substr(0, nul), "\""));
  }
  return absl::OkStatus();
}

}  // namespace vqsearch::internal
