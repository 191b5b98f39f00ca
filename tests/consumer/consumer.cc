// Uses an installed vqsearch through its public headers and its shared library only:
// IVF-Flat probing every list must find what Flat finds, a saved and loaded index must
// answer the same, a spec must round-trip, and the C API must answer. Exits non-zero,
// naming the failed check, otherwise.

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "vqsearch/c_api.h"
#include "vqsearch/vqsearch.h"

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "consumer: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Fail("usage: consumer <scratch directory>");
  constexpr int kDim = 16, kRows = 600, kQueries = 20, kK = 5;
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  std::vector<float> data(kRows * kDim), queries(kQueries * kDim);
  for (float& x : data) x = normal(random);
  for (float& x : queries) x = normal(random);
  const vqsearch::MatrixView base(data, kDim), query_view(queries, kDim);

  std::vector<vqsearch::SearchResults> results(2);
  const char* specs[] = {"Flat", "IVF8,Flat"};
  std::unique_ptr<vqsearch::Index> ivf;
  for (int i = 0; i < 2; ++i) {
    auto index = vqsearch::Index::Create(specs[i], kDim, vqsearch::Metric::kL2);
    if (!index.ok()) return Fail(std::string(index.status().message()));
    if (!(*index)->Train(base).ok() || !(*index)->Add(base).ok()) return Fail("train/add failed");
    vqsearch::SearchParams params;
    if (i == 1) params.nprobe = 8;
    const absl::Status searched = (*index)->Search(query_view, kK, params, &results[i]);
    if (!searched.ok()) return Fail(std::string(searched.message()));
    if (i == 1) ivf = *std::move(index);
  }
  if (results[0].ids != results[1].ids) return Fail("IVF8,Flat over all lists differs from Flat");

  const std::string path = std::string(argv[1]) + "/consumer.vqs";
  if (!vqsearch::Save(*ivf, path).ok()) return Fail("save failed");
  auto loaded = vqsearch::Load(path);
  if (!loaded.ok()) return Fail(std::string(loaded.status().message()));
  vqsearch::SearchParams all_lists;
  all_lists.nprobe = 8;
  vqsearch::SearchResults again;
  if (!(*loaded)->Search(query_view, kK, all_lists, &again).ok()) return Fail("search after load");
  if (again.ids != results[1].ids || again.distances != results[1].distances) {
    return Fail("the loaded index answers differently");
  }

  const auto spec = vqsearch::ParseIndexSpec(" OPQ4 , IVF8 , PQ4x4fs , Refine(SQ8) ");
  if (!spec.ok() || vqsearch::Describe(*spec) != "OPQ4,IVF8,PQ4x4fs,Refine(SQ8)") {
    return Fail("spec round trip");
  }

  vqs_index* c_index = nullptr;
  if (vqs_index_create("Flat", kDim, VQS_METRIC_L2, &c_index) != VQS_OK) {
    return Fail(std::string("C API: ") + vqs_last_error());
  }
  vqs_index_free(c_index);
  if (std::string(vqs_active_isa()) != vqsearch::IsaName(vqsearch::ActiveIsa())) {
    return Fail("the C and C++ APIs report different ISAs");
  }
  std::printf("consumer: ok (%s)\n", vqs_active_isa());
  return 0;
}
