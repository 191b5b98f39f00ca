// Hostile index files: every input in tests/regressions (crafted by hand or found by the
// fuzzers, with valid section checksums so that they reach the parsers) is refused by
// Load with a DataLoss error that names the section and the rule the file breaks.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/index.h"

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
  const auto index = Index::Load(std::string(VQS_SOURCE_DIR) + "/tests/regressions/" + file.name);
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

}  // namespace
}  // namespace vqsearch
