// The spec-string factory: splits a spec into components and builds the index they name.

#include "vqsearch/factory.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "index/flat_index.h"

namespace vqsearch {
namespace {

// The largest dimension accepted; far above any embedding, small enough that a row
// count times it never overflows the 64-bit sizes used for buffers.
constexpr int kMaxDim = 1 << 20;

// Splits at commas that are not inside parentheses, so "Refine(SQ8)" stays one piece.
std::vector<std::string> SplitComponents(std::string_view spec) {
  std::vector<std::string> components(1);
  int depth = 0;
  for (char c : spec) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      components.emplace_back();
    } else {
      components.back().push_back(c);
    }
  }
  for (std::string& component : components) {
    component = std::string(absl::StripAsciiWhitespace(component));
  }
  return components;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Index>> CreateIndex(std::string_view spec, int dim, Metric metric) {
  if (dim <= 0 || dim > kMaxDim) {
    return absl::InvalidArgumentError(
        absl::StrCat("dimension must be in [1, ", kMaxDim, "], got ", dim));
  }
  const std::vector<std::string> components = SplitComponents(spec);
  if (components.size() == 1 && components[0] == "Flat") {
    return std::make_unique<internal::FlatIndex>(dim, metric);
  }
  for (const std::string& component : components) {
    if (component != "Flat") {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown index spec component \"", component, "\" in \"", std::string(spec),
          "\": expected one of: Flat"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("malformed index spec \"", std::string(spec), "\" (",
                                                 absl::StrJoin(components, " | "),
                                                 "): expected \"Flat\""));
}

}  // namespace vqsearch
