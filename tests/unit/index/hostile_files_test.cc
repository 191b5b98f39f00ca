// Hostile index files: every input in tests/regressions (crafted by hand or found by the
// fuzzers, with valid section checksums so that they reach the parsers) is refused by
// Load with a DataLoss error that names the section and the rule the file breaks.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/nested_index.h"
#include "io/index_file.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;

struct HostileFile {
  const char* name;
  // Parts of the message: the section and the rule broken.
  const char* section;
  const char* rule;
};

std::ostream& operator<<(std::ostream& out, const HostileFile& file) { return out << file.name; }

class HostileFileTest : public ::testing::TestWithParam<HostileFile> {};

TEST_P(HostileFileTest, LoadRefusesItNamingTheProblem) {
  const HostileFile& file = GetParam();
  const auto index = vqsearch::Load(std::string(VQS_SOURCE_DIR) + "/tests/regressions/" + file.name);
  ASSERT_FALSE(index.ok()) << file.name << " loaded as " << (*index)->spec();
  EXPECT_EQ(index.status().code(), absl::StatusCode::kDataLoss) << index.status();
  EXPECT_THAT(index.status().message(), HasSubstr(file.name));
  EXPECT_THAT(index.status().message(), HasSubstr(file.section));
  EXPECT_THAT(index.status().message(), HasSubstr(file.rule));
}

INSTANTIATE_TEST_SUITE_P(
    Regressions, HostileFileTest,
    ::testing::Values(
        HostileFile{"refine_base_other_spec.vqs", "section refine.base", "the wrapper's spec expects"},
        HostileFile{"refine_position_filter.vqs", "section refine.base", "holds position"},
        HostileFile{"ivf_negative_ids.vqs", "section ivf.lists.ids", "is negative"},
        HostileFile{"flat_nan_vectors.vqs", "section flat.vectors", "must be finite"},
        HostileFile{"pq_nan_centroids.vqs", "section ivfpq.pq.centroids", "must be finite"},
        HostileFile{"pq4_nan_centroids.vqs", "section ivfpq.pq.centroids", "must be finite"},
        HostileFile{"opq_nan_rotation.vqs", "section pretransform.opq.matrix", "must be finite"},
        HostileFile{"ivf_untrained_with_lists.vqs", "section index.spec", "saved untrained but holds"},
        HostileFile{"opq_base_other_spec.vqs", "section pretransform.base", "the wrapper's spec expects"},
        HostileFile{"refine_short_ids.vqs", "section refine.base", "holds position"},
        HostileFile{"refine_sq_short_ids.vqs", "section refine.base", "holds position"},
        HostileFile{"flat_next_id_collision.vqs", "section flat.ids", "is not below flat.next_sequential_id"}),
    [](const ::testing::TestParamInfo<HostileFile>& info) {
      std::string name = info.param.name;
      return name.substr(0, name.find('.'));
    });

// "Flat" wrapped in `depth` Refine(Flat) levels, holding a few vectors, serialized.
std::string NestedRefines(int depth) {
  std::string spec = "Flat";
  for (int level = 0; level < depth; ++level) spec += ",Refine(Flat)";
  auto index = Index::Create(spec, 2, Metric::kL2);
  EXPECT_TRUE(index.ok()) << index.status();
  const std::vector<float> vectors = {1, 2, 3, 4};
  EXPECT_TRUE((*index)->Add(MatrixView(vectors, 2)).ok());
  return *vqsearch::Serialize(*(*index));
}

TEST(HostileFileTest, NestingDepthIsBounded) {
  EXPECT_TRUE(vqsearch::Deserialize(NestedRefines(internal::kMaxNestingDepth)).ok());
  const auto deep = vqsearch::Deserialize(NestedRefines(internal::kMaxNestingDepth + 1));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(deep.status().message(), HasSubstr("indexes are nested more than 16 deep"));
}

// An IVF spec with a huge nlist and no lists behind it: refused by the list count (the
// sizes section would need 8 bytes per list), not by allocating the lists.
TEST(HostileFileTest, NlistBeyondTheFileIsRefused) {
  internal::IndexFileWriter writer;
  writer.AddString("index.spec", "IVF16777216,Flat");
  writer.AddInt64Scalar("index.dim", 4);
  writer.AddString("index.metric", "l2");
  writer.AddInt64Scalar("ivf.trained", 0);
  writer.AddInt64Scalar("ivf.has_user_ids", 0);
  writer.AddInt64Scalar("ivf.next_sequential_id", 0);
  writer.AddInt64("ivf.lists.sizes", {});
  writer.AddUInt8("ivf.lists.codes", {});
  writer.AddInt64("ivf.lists.ids", {});
  const auto index = vqsearch::Deserialize(*writer.ToBytes());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(index.status().message(),
              HasSubstr("section ivf.lists.sizes holds 0 values, expected 16777216"));
}

}  // namespace
}  // namespace vqsearch
