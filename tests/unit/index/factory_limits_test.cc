// What a spec may cost before anything is trained: the factory rejects specs that are too
// long or nest too many wrappers before building anything, and an untrained IVF index
// allocates nothing per list (counted by replacing the global operator new in this test
// binary), while saving and loading it, and its list statistics, stay as they were.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "index/ivf_index.h"
#include "vqsearch/factory.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace {

std::atomic<size_t> allocated_bytes{0};

}  // namespace

void* operator new(size_t size) {
  allocated_bytes += size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace vqsearch {
namespace {

// Bytes allocated with operator new while `create` runs.
template <typename F>
size_t BytesAllocatedBy(F create) {
  const size_t before = allocated_bytes;
  create();
  return allocated_bytes - before;
}

TEST(FactoryLimitsTest, LongSpecIsRejectedWithoutBuildingIt) {
  std::string spec = "Flat";
  for (int i = 0; i < 100000; ++i) spec += ",Refine(Flat)";
  const auto start = std::chrono::steady_clock::now();
  const auto index = Index::Create(spec, 8, Metric::kL2);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(index.status().message().find("at most 1024"), std::string::npos)
      << index.status();
  // Generous for a loaded machine: the quadratic parser took 20 s here.
  EXPECT_LT(seconds, 1.0);
}

TEST(FactoryLimitsTest, WrapperDepthIsBounded) {
  std::string spec = "Flat";
  for (int i = 0; i < 64; ++i) spec += ",Refine(Flat)";
  EXPECT_TRUE(Index::Create(spec, 8, Metric::kL2).ok());
  spec += ",Refine(Flat)";
  const auto index = Index::Create(spec, 8, Metric::kL2);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(index.status().message().find("nest too deep"), std::string::npos) << index.status();
}

TEST(FactoryLimitsTest, NestedSpecsStillBuildTheSameIndexes) {
  // The factory splits once and hands sub-ranges down; the canonical spec and errors
  // naming the base stay what they were.
  auto index = Index::Create(" OPQ4 , IVF4 , PQ4 , Refine(SQ8) ", 8, Metric::kL2);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->spec(), "OPQ4,IVF4,PQ4,Refine(SQ8)");
  const auto bad = Index::Create("OPQ4,IVF4,PQ3,Refine(Flat)", 8, Metric::kL2);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("\"IVF4,PQ3\""), std::string::npos) << bad.status();
}

TEST(FactoryLimitsTest, UntrainedIvfAllocatesNothingPerList) {
  // 2^24 lists used to cost 0.8 GB of empty vectors at creation.
  std::unique_ptr<Index> index;
  const size_t bytes = BytesAllocatedBy([&] {
    auto created = Index::Create("IVF16777216,Flat", 8, Metric::kL2);
    ASSERT_TRUE(created.ok()) << created.status();
    index = *std::move(created);
  });
  EXPECT_LT(bytes, size_t{1} << 20);
  EXPECT_EQ(index->size(), 0);
  const auto* ivf = dynamic_cast<const internal::IvfIndex*>(index.get());
  ASSERT_NE(ivf, nullptr);
  const internal::ListStatistics stats = ivf->list_statistics();
  EXPECT_EQ(stats.empty_lists, 16777216);
  EXPECT_EQ(stats.min_size, 0);
  EXPECT_EQ(stats.max_size, 0);
  EXPECT_EQ(stats.total, 0);
}

TEST(FactoryLimitsTest, UntrainedIvfRoundTripsWithItsEmptyLists) {
  auto index = Index::Create("IVF1000,PQ4", 8, Metric::kL2);
  ASSERT_TRUE(index.ok()) << index.status();
  const auto bytes = vqsearch::Serialize(*(*index));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto loaded = vqsearch::Deserialize(*bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->spec(), "IVF1000,PQ4");
  EXPECT_FALSE((*loaded)->is_trained());
  const auto again = vqsearch::Serialize(*(*loaded));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *bytes);
  const auto* ivf = dynamic_cast<const internal::IvfIndex*>(loaded->get());
  ASSERT_NE(ivf, nullptr);
  EXPECT_EQ(ivf->list_statistics().empty_lists, 1000);
}

}  // namespace
}  // namespace vqsearch
