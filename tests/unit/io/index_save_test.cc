// Saving and loading index files as the file system sees them: concurrent saves to one
// path all succeed (the last rename wins), a save killed at any point leaves the old
// or the new file byte for byte (and leftovers of dead saves are cleaned up), and Load
// refuses paths and files it must not read.

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/build_index.h"
#include "testing/random_data.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;
using testing::GaussianVectors;

// A fresh empty directory for one test.
std::string FreshDirectory(const std::string& name) {
  std::string pattern = ::testing::TempDir() + "/vqs_save_" + name + "_XXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

std::vector<std::string> TempFilesIn(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) names.push_back(name);
  }
  return names;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::unique_ptr<Index> FlatIndex(int64_t rows, int dim, uint32_t seed) {
  return testing::BuildIndex("Flat", Metric::kL2, GaussianVectors(rows, dim, seed), dim, {}, 1);
}

// A pid that no longer exists: a child that has exited and been reaped.
pid_t DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

TEST(IndexSaveTest, ConcurrentSavesToOnePathAllSucceedAndTheLastWins) {
  const std::string directory = FreshDirectory("concurrent");
  const std::string path = directory + "/index.vqs";
  const auto first = FlatIndex(400, 16, 1);
  const auto second = FlatIndex(400, 16, 2);
  std::vector<absl::Status> statuses(2 * 20);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      const Index& index = t == 0 ? *first : *second;
      for (int i = 0; i < 20; ++i) statuses[t * 20 + i] = vqsearch::Save(index, path);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : statuses) EXPECT_TRUE(status.ok()) << status;
  const std::string bytes = FileBytes(path);
  EXPECT_TRUE(bytes == *vqsearch::Serialize(*first) || bytes == *vqsearch::Serialize(*second));
  EXPECT_TRUE(vqsearch::Load(path).ok());
  EXPECT_THAT(TempFilesIn(directory), ::testing::IsEmpty());
}

TEST(IndexSaveTest, SaveRemovesLeftoversOfDeadSavesOnly) {
  const std::string directory = FreshDirectory("leftovers");
  const std::string path = directory + "/index.vqs";
  const std::string dead = std::to_string(DeadPid());
  const std::string live = std::to_string(getppid());
  for (const std::string& name :
       {"index.vqs.tmp." + dead + ".0", "index.vqs.tmp." + dead,  // this and older saves
        "index.vqs.tmp." + live + ".3", "other.vqs.tmp." + dead + ".0"}) {
    std::ofstream(directory + "/" + name) << "partial";
  }
  ASSERT_TRUE(vqsearch::Save(*FlatIndex(10, 4, 1), path).ok());
  EXPECT_THAT(TempFilesIn(directory), ::testing::UnorderedElementsAre(
                                          "index.vqs.tmp." + live + ".3", "other.vqs.tmp." + dead + ".0"));
}

TEST(IndexSaveTest, SaveKilledAtAnyPointLeavesTheOldOrTheNewFile) {
  const std::string directory = FreshDirectory("killed");
  const std::string path = directory + "/index.vqs";
  const int dim = 32;
  const auto old_index = FlatIndex(100000, dim, 1);  // 13 MB files
  const auto new_index = FlatIndex(100000, dim, 2);
  const std::string old_bytes = *vqsearch::Serialize(*old_index);
  const std::string new_bytes = *vqsearch::Serialize(*new_index);
  const std::vector<float> queries = GaussianVectors(5, dim, 3);

  // Kill points spread over one save's duration, measured here.
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(vqsearch::Save(*new_index, directory + "/timing.vqs").ok());
  const auto duration = std::chrono::steady_clock::now() - start;
  int kept_old = 0;
  for (const double fraction : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.5}) {
    ASSERT_TRUE(vqsearch::Save(*old_index, path).ok());
    const pid_t child = fork();
    if (child == 0) _exit(vqsearch::Save(*new_index, path).ok() ? 0 : 1);
    std::this_thread::sleep_for(duration * fraction);
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);

    const std::string bytes = FileBytes(path);
    const bool is_old = bytes == old_bytes;
    ASSERT_TRUE(is_old || bytes == new_bytes) << "killed at " << fraction << " of a save";
    kept_old += is_old;
    auto loaded = vqsearch::Load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    testing::ExpectSameSearch(**loaded, is_old ? *old_index : *new_index, queries, dim, 10, {});
  }
  RecordProperty("kills_that_kept_the_old_file", kept_old);
  EXPECT_GT(kept_old, 0);  // the kill right after the fork precedes the rename
  // The next save removes what the killed ones left.
  ASSERT_TRUE(vqsearch::Save(*old_index, path).ok());
  EXPECT_THAT(TempFilesIn(directory), ::testing::IsEmpty());
}

TEST(IndexSaveTest, PathsWithNulAreRefusedWithoutTouchingAFile) {
  const std::string directory = FreshDirectory("nul");
  const std::string path = directory + "/index.vqs";
  const auto index = FlatIndex(10, 4, 1);
  const absl::Status saved = vqsearch::Save(*index, path + std::string("\0x", 2));
  EXPECT_EQ(saved.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(saved.message(), HasSubstr("holds a NUL byte"));
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(vqsearch::Save(*index, path).ok());
  const auto loaded = vqsearch::Load(path + std::string("\0x", 2));
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(loaded.status().message(), HasSubstr("holds a NUL byte"));
}

TEST(IndexSaveTest, LoadReadsOnlyRegularFilesOfAPlausibleSize) {
  for (const std::string& path : {std::string("/dev/zero"), ::testing::TempDir()}) {
    const auto loaded = vqsearch::Load(path);
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_THAT(loaded.status().message(), HasSubstr("is not a regular file"));
  }
  const std::string short_file = FreshDirectory("short") + "/short.vqs";
  std::ofstream(short_file) << "VQSINDEX";
  const auto loaded = vqsearch::Load(short_file);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr("shorter than the 64-byte header"));
}

}  // namespace
}  // namespace vqsearch
