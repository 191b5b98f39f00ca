// The ann-benchmarks HDF5 entry points of a library built without HDF5
// (VQSEARCH_WITH_HDF5=OFF): each is an Unimplemented error that says so, so that a Python
// module built for a machine without libhdf5 still imports and only these calls fail.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "vqsearch/dataset.h"

namespace vqsearch {
namespace {

absl::Status BuiltWithoutHdf5(const char* what, const std::string& path) {
  return absl::UnimplementedError(absl::StrCat(
      what, " ", path, ": this vqsearch was built without HDF5 (VQSEARCH_WITH_HDF5=OFF); "
      "rebuild with libhdf5 to read and write ann-benchmarks files, or use fvecs/bvecs/npy"));
}

}  // namespace

absl::StatusOr<AnnDataset> ReadAnnHdf5(const std::string& path) {
  return BuiltWithoutHdf5("cannot read", path);
}

absl::Status WriteAnnHdf5(const std::string& path, const AnnDataset&) {
  return BuiltWithoutHdf5("cannot write", path);
}

absl::Status WriteSearchResultsHdf5(const std::string& path, const SearchResults&) {
  return BuiltWithoutHdf5("cannot write", path);
}

}  // namespace vqsearch
