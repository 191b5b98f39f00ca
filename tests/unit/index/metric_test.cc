// Metric names and search-parameter names parse and reject as documented.

#include "vqsearch/metric.h"

#include "gtest/gtest.h"
#include "vqsearch/search_params.h"

namespace vqsearch {
namespace {

TEST(MetricTest, ParsesOwnAndAnnBenchmarksNames) {
  EXPECT_EQ(*ParseMetric("l2"), Metric::kL2);
  EXPECT_EQ(*ParseMetric("euclidean"), Metric::kL2);
  EXPECT_EQ(*ParseMetric("IP"), Metric::kInnerProduct);
  EXPECT_EQ(*ParseMetric("dot"), Metric::kInnerProduct);
  EXPECT_EQ(*ParseMetric("angular"), Metric::kCosine);
  for (Metric m : {Metric::kL2, Metric::kInnerProduct, Metric::kCosine}) {
    EXPECT_EQ(*ParseMetric(MetricName(m)), m);
  }
  auto bad = ParseMetric("hamming");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("hamming"), std::string::npos);
}

TEST(SearchParamsTest, SetsKnownNamesAndRejectsOthers) {
  SearchParams params;
  EXPECT_TRUE(SetSearchParam("nprobe", 64, &params).ok());
  EXPECT_TRUE(SetSearchParam("refine_factor", 4, &params).ok());
  EXPECT_TRUE(SetSearchParam("num_threads", 0, &params).ok());
  EXPECT_EQ(params.nprobe, 64);
  EXPECT_EQ(params.refine_factor, 4);
  EXPECT_EQ(params.num_threads, 0);
  EXPECT_FALSE(SetSearchParam("nprobe", 0, &params).ok());
  EXPECT_FALSE(SetSearchParam("num_threads", -1, &params).ok());
  auto unknown = SetSearchParam("efSearch", 10, &params);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("efSearch"), std::string::npos);
  EXPECT_EQ(params.nprobe, 64);
}

}  // namespace
}  // namespace vqsearch
