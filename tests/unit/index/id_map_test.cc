// IdMap: the Add-time id rule, sequential ids that survive removals and cancelled adds,
// removal that keeps order and moves the index's rows alongside, file sections under the
// names existing files use (so they keep loading), and stored ids that break the rules
// refused on Read with the section named.

#include "index/id_map.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/index_file.h"

namespace vqsearch::internal {
namespace {

using ::testing::HasSubstr;

std::vector<int64_t> Stored(const IdMap& ids) {
  return std::vector<int64_t>(ids.data(), ids.data() + ids.size());
}

// Reads the id sections "<prefix>.*" of a file holding `ids` (in section `ids_section`),
// `has_user_ids` and `next_sequential_id` into a map of `storage`.
absl::Status ReadIds(IdMap::Storage storage, const std::string& ids_section,
                     std::vector<int64_t> ids, int64_t has_user_ids, int64_t next_sequential_id) {
  IndexFileWriter writer;
  writer.AddInt64(ids_section, ids);
  writer.AddInt64Scalar("x.has_user_ids", has_user_ids);
  writer.AddInt64Scalar("x.next_sequential_id", next_sequential_id);
  auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
  if (!reader.ok()) return reader.status();
  IdMap map(storage, "x", storage == IdMap::Storage::kCounter ? ids_section : "");
  return map.Read(*reader);
}

TEST(IdMapTest, SequentialIdsContinueAfterRemoval) {
  IdMap ids(IdMap::Storage::kPositions, "flat");
  ids.Append(3, {});
  EXPECT_EQ(Stored(ids), (std::vector<int64_t>{0, 1, 2}));
  std::vector<std::pair<int64_t, int64_t>> moves;
  const size_t removed =
      ids.Remove({0, 7}, [&](int64_t from, int64_t to) { moves.emplace_back(from, to); });
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(Stored(ids), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(moves, (std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {2, 1}}));
  ids.Append(2, {});
  // A removed id is never handed out again.
  EXPECT_EQ(Stored(ids), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_FALSE(ids.has_user_ids());
}

TEST(IdMapTest, TheRuleAllowsOneKindOfIdsPerIndex) {
  IdMap ids(IdMap::Storage::kPositions, "sq");
  EXPECT_TRUE(ids.CheckAdd(0, 2, {}).ok());
  EXPECT_TRUE(ids.CheckAdd(0, 2, std::vector<int64_t>{5, 9}).ok());
  EXPECT_EQ(ids.CheckAdd(0, 2, std::vector<int64_t>{5}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ids.CheckAdd(0, 1, std::vector<int64_t>{-1}).code(),
            absl::StatusCode::kInvalidArgument);
  ids.Append(2, {});
  // Sequential ids first: user ids would collide with positions.
  EXPECT_EQ(ids.CheckAdd(2, 1, std::vector<int64_t>{5}).code(),
            absl::StatusCode::kInvalidArgument);

  IdMap user(IdMap::Storage::kPositions, "sq");
  const std::vector<int64_t> given = {50, 40};
  user.Append(2, given);
  EXPECT_TRUE(user.has_user_ids());
  EXPECT_EQ(Stored(user), given);
  const absl::Status missing = user.CheckAdd(2, 1, {});
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("every Add must pass ids"), std::string::npos) << missing;
  EXPECT_TRUE(user.CheckAdd(2, 0, {}).ok());  // adding nothing needs no ids
}

TEST(IdMapTest, CounterRewindsACancelledAdd) {
  IdMap ids(IdMap::Storage::kCounter, "ivf");
  std::vector<int64_t> out;
  ids.Assign(2, {}, &out);
  ids.Commit({});
  const int64_t before = ids.next_sequential_id();
  ids.Assign(3, {}, &out);
  ids.Rewind(before);
  out.clear();
  ids.Assign(1, {}, &out);
  EXPECT_EQ(out, (std::vector<int64_t>{2}));
  EXPECT_EQ(ids.size(), 0);  // a counter stores no ids
}

TEST(IdMapTest, SectionsRoundTripUnderTheirFileNames) {
  IdMap ids(IdMap::Storage::kPositions, "refine");
  ids.Append(2, std::vector<int64_t>{11, 12});
  IdMap counter(IdMap::Storage::kCounter, "ivf");
  std::vector<int64_t> out;
  counter.Assign(4, {}, &out);
  counter.Commit({});
  IdMap flag(IdMap::Storage::kFlag, "pretransform");
  flag.Commit(std::vector<int64_t>{1});
  IndexFileWriter writer;
  ids.Write(&writer);
  counter.Write(&writer);
  flag.Write(&writer);
  auto reader = IndexFileReader::FromBytes(*writer.ToBytes());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(*reader->Int64Scalar("refine.has_user_ids"), 1);
  EXPECT_EQ(*reader->Int64Scalar("ivf.next_sequential_id"), 4);
  EXPECT_FALSE(reader->Has("ivf.ids"));
  EXPECT_FALSE(reader->Has("pretransform.next_sequential_id"));

  IdMap ids_read(IdMap::Storage::kPositions, "refine");
  IdMap counter_read(IdMap::Storage::kCounter, "ivf");
  IdMap flag_read(IdMap::Storage::kFlag, "pretransform");
  ASSERT_TRUE(ids_read.Read(*reader).ok());
  ASSERT_TRUE(counter_read.Read(*reader).ok());
  ASSERT_TRUE(flag_read.Read(*reader).ok());
  EXPECT_EQ(Stored(ids_read), (std::vector<int64_t>{11, 12}));
  EXPECT_TRUE(ids_read.has_user_ids());
  EXPECT_EQ(counter_read.next_sequential_id(), 4);
  EXPECT_FALSE(counter_read.has_user_ids());
  EXPECT_TRUE(flag_read.has_user_ids());

  IdMap absent(IdMap::Storage::kPositions, "flat");
  EXPECT_FALSE(absent.Read(*reader).ok());
}

TEST(IdMapTest, ReadRefusesIdsThatBreakTheRules) {
  for (const auto storage : {IdMap::Storage::kPositions, IdMap::Storage::kCounter}) {
    const std::string section = storage == IdMap::Storage::kPositions ? "x.ids" : "x.lists.ids";
    EXPECT_TRUE(ReadIds(storage, section, {0, 2, 1}, 0, 3).ok());
    EXPECT_TRUE(ReadIds(storage, section, {7, 7}, 1, 0).ok()) << "older files may repeat user ids";

    const absl::Status flag = ReadIds(storage, section, {0}, 2, 1);
    EXPECT_EQ(flag.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(flag.message(), HasSubstr("x.has_user_ids"));
    const absl::Status negative_next = ReadIds(storage, section, {}, 0, -1);
    EXPECT_EQ(negative_next.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(negative_next.message(), HasSubstr("next sequential id -1 is negative"));
    const absl::Status reused = ReadIds(storage, section, {0, 3}, 0, 3);
    EXPECT_EQ(reused.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(reused.message(), HasSubstr("sequential id 3 at 1 is not below"));
    EXPECT_THAT(reused.message(), HasSubstr(section));
    const absl::Status repeated = ReadIds(storage, section, {1, 1}, 0, 3);
    EXPECT_EQ(repeated.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(repeated.message(), HasSubstr(section));
    const absl::Status negative_user = ReadIds(storage, section, {4, -2}, 1, 0);
    EXPECT_EQ(negative_user.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(negative_user.message(), HasSubstr(section));
  }
}

}  // namespace
}  // namespace vqsearch::internal
