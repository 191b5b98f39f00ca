#include "results_file.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "util/status_macros.h"
#include "vqsearch/dataset.h"

namespace vqsearch::cli {
namespace {

bool IsHdf5(const std::string& path) {
  return absl::EndsWithIgnoreCase(path, ".hdf5") || absl::EndsWithIgnoreCase(path, ".h5");
}

absl::Status WriteCsv(const std::string& path, const SearchResults& results) {
  const std::string temp_path = path + ".tmp";
  {
    std::ofstream out(temp_path, std::ios::binary | std::ios::trunc);
    out << "query,rank,id,distance\n";
    for (int64_t q = 0; q < results.num_queries; ++q) {
      for (int r = 0; r < results.row_size(q); ++r) {
        out << absl::StrFormat("%d,%d,%d,%.9g\n", q, r, results.ids_row(q)[r],
                               results.distances_row(q)[r]);
      }
    }
    out.close();
    if (!out) {
      const std::string reason = std::strerror(errno);
      std::remove(temp_path.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", reason));
    }
  }
  if (std::rename(temp_path.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp_path.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", reason));
  }
  return absl::OkStatus();
}

absl::Status WriteVecsPair(const std::string& path, const SearchResults& results) {
  IntMatrix ids;
  ids.dim = results.k;
  ids.values.reserve(results.ids.size());
  for (int64_t id : results.ids) {
    if (id > INT32_MAX) {
      return absl::InvalidArgumentError(
          absl::StrCat("id ", id, " does not fit the int32 values of .ivecs: write .csv or .hdf5"));
    }
    ids.values.push_back(static_cast<int32_t>(id));
  }
  VQS_RETURN_IF_ERROR(WriteIvecs(path, ids));
  const std::string distances_path = path.substr(0, path.size() - 6) + ".fvecs";
  return WriteFvecs(distances_path, MatrixView(results.distances, results.k));
}

}  // namespace

bool IsResultsPath(const std::string& path) {
  return absl::EndsWithIgnoreCase(path, ".csv") || IsHdf5(path) ||
         absl::EndsWithIgnoreCase(path, ".ivecs");
}

absl::Status WriteResults(const std::string& path, const SearchResults& results) {
  if (absl::EndsWithIgnoreCase(path, ".csv")) return WriteCsv(path, results);
  if (IsHdf5(path)) return WriteSearchResultsHdf5(path, results);
  return WriteVecsPair(path, results);
}

}  // namespace vqsearch::cli
