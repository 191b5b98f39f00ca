// Load with LoadOptions::mmap: for every index type, a mapped load searches exactly as a
// normal load does (same ids, bit-identical distances), keeps the file mapped while the
// index lives (the stored arrays are views of it, not copies), adds and removes on it
// copy what they change and then search as the same calls on a normal load, a damaged
// file is a DataLoss error, and a Save renamed over the mapped file leaves the loaded
// index untouched.

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "testing/random_data.h"
#include "testing/temp_path.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using testing::GaussianVectors;

constexpr int kDim = 16;
constexpr int64_t kRows = 1500;
constexpr int kQueries = 20;
constexpr int kK = 8;

SearchParams Params(const Index& index) {
  SearchParams params;
  for (const SearchParamInfo& info : index.search_params()) {
    if (info.name == "nprobe") params.nprobe = 3;
    if (info.name == "refine_factor") params.refine_factor = 2;
  }
  return params;
}

void ExpectSameSearch(const Index& a, const Index& b, const std::string& what) {
  const std::vector<float> queries = GaussianVectors(kQueries, kDim, 99);
  SearchResults ra, rb;
  ASSERT_TRUE(a.Search(MatrixView(queries, kDim), kK, Params(a), &ra).ok()) << what;
  ASSERT_TRUE(b.Search(MatrixView(queries, kDim), kK, Params(b), &rb).ok()) << what;
  EXPECT_EQ(ra.ids, rb.ids) << what;
  EXPECT_EQ(ra.distances, rb.distances) << what;  // bit-identical: the same codes
}

// Whether /proc/self/maps lists `path` as mapped.
bool IsMapped(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.size() >= path.size() && line.compare(line.size() - path.size(), path.size(), path) == 0) {
      return true;
    }
  }
  return false;
}

struct Case {
  const char* spec;
  Metric metric;
};

class MmapLoadTest : public ::testing::TestWithParam<Case> {};

TEST_P(MmapLoadTest, SearchesAsANormalLoadAndCopiesOnWrite) {
  const Case c = GetParam();
  const std::string name = std::string(c.spec) + "_" + std::to_string(static_cast<int>(c.metric));
  std::string file = name;
  for (char& ch : file) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  const std::string path = testing::TempPath("mmap_load_", file + ".vqs");
  const std::vector<float> data = GaussianVectors(kRows, kDim, 5);
  std::vector<int64_t> ids(kRows);
  for (int64_t i = 0; i < kRows; ++i) ids[i] = 10 * i + 3;
  {
    std::unique_ptr<Index> built = *Index::Create(c.spec, kDim, c.metric);
    BuildOptions build;
    build.num_threads = 1;
    ASSERT_TRUE(built->Train(MatrixView(data, kDim), build).ok()) << name;
    ASSERT_TRUE(built->Add(MatrixView(data, kDim), ids, build).ok()) << name;
    ASSERT_TRUE(built->Remove({13, 23, 503}).ok());
    ASSERT_TRUE(vqsearch::Save(*built, path).ok()) << name;
  }
  absl::StatusOr<std::unique_ptr<Index>> normal = vqsearch::Load(path);
  LoadOptions mmap;
  mmap.mmap = true;
  absl::StatusOr<std::unique_ptr<Index>> mapped = vqsearch::Load(path, mmap);
  ASSERT_TRUE(normal.ok()) << normal.status();
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  EXPECT_EQ((*mapped)->size(), (*normal)->size());
  ExpectSameSearch(**normal, **mapped, name + " after load");
  // The bulk arrays are views of the file: the mapping lives as long as the index.
  EXPECT_TRUE(IsMapped(path)) << name;

  // A new file renamed over the path does not change what the mapped index serves.
  {
    std::unique_ptr<Index> other = *Index::Create(c.spec, kDim, c.metric);
    const std::vector<float> noise = GaussianVectors(kRows, kDim, 6);
    ASSERT_TRUE(other->Train(MatrixView(noise, kDim)).ok());
    ASSERT_TRUE(other->Add(MatrixView(noise, kDim), ids).ok());
    ASSERT_TRUE(vqsearch::Save(*other, path).ok());
  }
  ExpectSameSearch(**normal, **mapped, name + " after the file was replaced");

  // Adds and removes copy what they touch; the results follow a normal load's.
  const std::vector<float> more = GaussianVectors(200, kDim, 7);
  std::vector<int64_t> more_ids(200);
  for (int64_t i = 0; i < 200; ++i) more_ids[i] = 100000 + i;
  for (Index* index : {normal->get(), mapped->get()}) {
    ASSERT_TRUE(index->Add(MatrixView(more, kDim), more_ids).ok()) << name;
    const absl::StatusOr<size_t> removed = index->Remove({3, 33, 1003, 100005});
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(*removed, 4u) << name;
  }
  ExpectSameSearch(**normal, **mapped, name + " after add and remove");
  // The mapped index saves what it holds.
  ASSERT_TRUE(vqsearch::Save(**mapped, path).ok());
  const std::unique_ptr<Index> reloaded = *vqsearch::Load(path, mmap);
  ExpectSameSearch(**normal, *reloaded, name + " saved from the mapped index");
  mapped->reset();
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(
    EveryIndexType, MmapLoadTest,
    ::testing::Values(Case{"Flat", Metric::kL2}, Case{"Flat", Metric::kCosine},
                      Case{"SQ8", Metric::kL2}, Case{"IVF8,Flat", Metric::kL2},
                      Case{"IVF8,SQ8", Metric::kInnerProduct}, Case{"IVF8,PQ4", Metric::kL2},
                      Case{"IVF8,PQ8x4fs", Metric::kL2}, Case{"IVF8,PQ8x4fs", Metric::kCosine},
                      Case{"IVF8,RQ2x8", Metric::kL2}, Case{"IVF8,RQ2x4fs", Metric::kL2},
                      Case{"IVF8,PQ4,Refine(Flat)", Metric::kL2},
                      Case{"IVF8,PQ4,Refine(SQ8)", Metric::kCosine},
                      Case{"OPQ4,IVF8,PQ4", Metric::kL2}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = absl::StrCat(info.index, "_", info.param.spec, "_",
                                      std::string(MetricName(info.param.metric)));
      for (char& c : name) {
        if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(MmapLoadTest, DamagedFileIsDataLoss) {
  const std::string path = testing::TempPath("mmap_load_", "damaged.vqs");
  const std::vector<float> data = GaussianVectors(500, kDim, 5);
  std::unique_ptr<Index> built = *Index::Create("IVF4,PQ4", kDim, Metric::kL2);
  ASSERT_TRUE(built->Train(MatrixView(data, kDim)).ok());
  ASSERT_TRUE(built->Add(MatrixView(data, kDim)).ok());
  std::string bytes = *vqsearch::Serialize(*built);
  LoadOptions mmap;
  mmap.mmap = true;
  // A flipped byte anywhere (header, tables, codes) is found as a normal load finds it:
  // the same status for bytes all over the file (a byte of the alignment padding between
  // sections carries no data, and both loads accept it), and DataLoss for nearly all.
  int damaged_count = 0, positions = 0;
  for (size_t at = 20; at < bytes.size(); at += 997, ++positions) {
    std::string damaged = bytes;
    damaged[at] ^= 0x20;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
    const absl::StatusOr<std::unique_ptr<Index>> loaded = vqsearch::Load(path, mmap);
    EXPECT_EQ(loaded.status().code(), vqsearch::Load(path).status().code()) << "byte " << at;
    if (loaded.status().code() == absl::StatusCode::kDataLoss) ++damaged_count;
  }
  EXPECT_GE(damaged_count, positions * 9 / 10);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 64);
  EXPECT_EQ(vqsearch::Load(path, mmap).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(IsMapped(path));  // failed loads unmap
  std::remove(path.c_str());
  EXPECT_EQ(vqsearch::Load(path, mmap).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vqsearch
