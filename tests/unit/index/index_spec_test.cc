// ParseIndexSpec and Describe: every spec form the tests and the README use parses, and
// parse -> describe -> parse is the identity; malformed specs are errors that list the
// grammar the factory's table builds.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vqsearch/factory.h"
#include "vqsearch/index.h"

namespace vqsearch {
namespace {

using ::testing::HasSubstr;

// Canonical specs as the tests, the README and the benchmark configs write them.
const char* const kSpecs[] = {
    "Flat", "Flat,Refine(Flat)", "Flat,Refine(SQ8)", "Flat,Refine(SQ8nu)", "IVF1,PQ1",
    "IVF1,RQ3x8_beam2", "IVF1000,PQ4", "IVF1024,Flat", "IVF1024,PQ32x4fs,Refine(SQfp16)",
    "IVF1024,PQ56x4fs,Refine(Flat)", "IVF1024,SQ8", "IVF16777216,Flat", "IVF2,RQ2x4fs_beam2",
    "IVF256,PQ98", "IVF256,PQ98x4fs,Refine(SQ8)", "IVF256,PQ98x4fs_eta2,Refine(Flat)",
    "IVF256,PQ98x4fs_eta4", "IVF256,RQ16x4fs", "IVF32,Flat,Refine(Flat)", "IVF32,PQ16x8",
    "IVF32,PQ8,Refine(SQ8)", "IVF32,RQ6x4fs", "IVF4,RQ2x8,Refine(SQ8)", "IVF4,SQ4,Refine(SQ4nu)",
    "IVF4,SQfp16", "IVF65536,PQ32x4fs,Refine(SQ8)", "IVF8,PQ8x4fs_eta4", "IVF8,RQ4x8_beam1",
    "IVF8,SQ8nu", "OPQ2,IVF4,PQ2", "OPQ2,PQ4x4fs", "OPQ4,IVF4,PQ4,Refine(SQ8)",
    "OPQ8,IVF8,PQ16x4fs_eta4,Refine(Flat)", "OPQ4,OPQ4,Flat,Refine(Flat),Refine(SQ8)", "PQ2_eta4",
    "PQ4x4fs,Refine(SQ8)", "PQ8x8_eta2.5", "RQ254x4fs_beam2", "RQ4x8", "SQ4,Refine(SQfp16)",
    "SQ4nu", "SQfp16",
};

TEST(IndexSpecTest, ParseDescribeParseIsTheIdentity) {
  for (const char* spec : kSpecs) {
    const absl::StatusOr<IndexSpec> parsed = ParseIndexSpec(spec);
    ASSERT_TRUE(parsed.ok()) << spec << ": " << parsed.status();
    EXPECT_EQ(Describe(*parsed), spec);
    const absl::StatusOr<IndexSpec> again = ParseIndexSpec(Describe(*parsed));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *parsed) << spec;
  }
}

TEST(IndexSpecTest, PartsAreWhereTheGrammarPutsThem) {
  const absl::StatusOr<IndexSpec> spec =
      ParseIndexSpec(" OPQ8 , OPQ4, IVF0032 , PQ8x4fs , Refine(SQ8) , Refine(Flat) ");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->rotations, (std::vector<int>{8, 4}));
  EXPECT_EQ(spec->nlist, 32);
  EXPECT_EQ(spec->codec, "PQ8x4fs");
  EXPECT_EQ(spec->refinements, (std::vector<std::string>{"SQ8", "Flat"}));
  EXPECT_EQ(Describe(*spec), "OPQ8,OPQ4,IVF32,PQ8x4fs,Refine(SQ8),Refine(Flat)");
  const absl::StatusOr<IndexSpec> flat = ParseIndexSpec("Flat");
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_TRUE(flat->rotations.empty());
  EXPECT_EQ(flat->nlist, 0);
  EXPECT_TRUE(flat->refinements.empty());
}

TEST(IndexSpecTest, IndexesReportTheDescribedSpec) {
  for (const char* spec : {" IVF08 , PQ4 ", "OPQ4,IVF4,PQ4,Refine(SQ8)", "SQ8 , Refine(Flat)"}) {
    const absl::StatusOr<IndexSpec> parsed = ParseIndexSpec(spec);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    const auto index = Index::Create(spec, 16, Metric::kL2);
    ASSERT_TRUE(index.ok()) << index.status();
    EXPECT_EQ((*index)->spec(), Describe(*parsed));
  }
}

TEST(IndexSpecTest, MalformedSpecsListWhatWasExpected) {
  for (const char* spec : {"", "Foo", "Flat,Flat", "IVF,Flat", "IVF0,Flat", "IVF8", "IVF8,Foo",
                           "IVF8,PQ8x8fs", "IVF8,RQ4", "IVF8,SQ6", "OPQ4", "OPQx,PQ4",
                           "Refine(Flat)", "Flat,Refine(PQ4)", "Flat,Refine(SQ8", "PQ8,SQ8"}) {
    const absl::StatusOr<IndexSpec> parsed = ParseIndexSpec(spec);
    ASSERT_FALSE(parsed.ok()) << spec;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    for (const char* expected : {"OPQ<m>", "IVF<nlist>", "Flat", "PQ<m>[x8|x4fs][_eta<eta>]",
                                 "RQ<m>x8|x4fs[_beam<w>]", "SQ<type>", "Refine(SQ<type>)"}) {
      EXPECT_THAT(parsed.status().message(), HasSubstr(expected)) << spec;
    }
    // Index::Create fails the same way.
    EXPECT_EQ(Index::Create(spec, 16, Metric::kL2).status(), parsed.status()) << spec;
  }
}

TEST(IndexSpecTest, WhatNeedsTheDimensionIsCheckedByCreate) {
  // PQ5 parses, but 5 sub-spaces do not divide 16 dimensions.
  ASSERT_TRUE(ParseIndexSpec("IVF8,PQ5").ok());
  const auto index = Index::Create("IVF8,PQ5", 16, Metric::kL2);
  ASSERT_FALSE(index.ok());
  EXPECT_THAT(index.status().message(), HasSubstr("invalid index spec \"IVF8,PQ5\""));
  EXPECT_THAT(index.status().message(), HasSubstr("divides"));
}

}  // namespace
}  // namespace vqsearch
