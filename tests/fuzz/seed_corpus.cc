// Writes the fuzz targets' seed corpora and the index-file dictionary:
//   fuzz_seed_corpus <dir>  makes <dir>/{deserialize,spec,ann_hdf5,vecs}/ and
//                           <dir>/deserialize.dict
// Seeds are real files written by the library (an index of every kind, ann-benchmarks
// datasets, vecs files), small, and the same on every run, so that the fuzzers start
// from inputs that pass every check and mutate the fields behind them. The dictionary
// lists every section name and string value those index files hold, so it cannot fall
// behind the format.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "index_sections.h"
#include "testing/random_data.h"
#include "vqsearch/dataset.h"
#include "vqsearch/index.h"
#include "vqsearch/recall.h"
#include "vqsearch/io.h"

namespace vqsearch::fuzz {
namespace {

constexpr int kDim = 4;
constexpr int kTrainRows = 256;  // enough for 256-centroid codebooks
constexpr int kStoredRows = 24;

struct IndexSeed {
  const char* spec;
  Metric metric;
  bool user_ids;  // stored with user ids (and one removed) instead of sequential ids
};

// Every kind of index the factory makes, across the metrics and both id modes.
constexpr IndexSeed kIndexSeeds[] = {
    {"Flat", Metric::kL2, false},
    {"Flat", Metric::kCosine, true},
    {"IVF4,Flat", Metric::kL2, false},
    {"IVF4,Flat", Metric::kInnerProduct, true},
    {"IVF4,PQ2", Metric::kL2, false},
    {"IVF4,PQ4x4fs", Metric::kInnerProduct, false},
    {"PQ4x4fs", Metric::kL2, true},
    {"PQ2", Metric::kCosine, false},
    {"PQ2_eta4", Metric::kInnerProduct, false},
    {"IVF2,RQ2x8", Metric::kL2, false},
    {"RQ3x4fs", Metric::kInnerProduct, false},
    {"IVF2,RQ2x4fs_beam2", Metric::kL2, true},
    {"OPQ2,IVF4,PQ2", Metric::kL2, false},
    {"OPQ2,PQ4x4fs", Metric::kCosine, false},
    {"SQ8", Metric::kL2, false},
    {"SQ4", Metric::kInnerProduct, true},
    {"SQfp16", Metric::kCosine, false},
    {"SQ8nu", Metric::kL2, false},
    {"SQ4nu", Metric::kL2, false},
    {"IVF4,SQ8", Metric::kL2, false},
    {"IVF4,SQfp16", Metric::kInnerProduct, true},
    {"IVF4,Flat,Refine(Flat)", Metric::kL2, false},
    {"PQ4x4fs,Refine(SQ8)", Metric::kInnerProduct, true},
    {"IVF4,PQ2,Refine(SQfp16)", Metric::kL2, true},
    {"RaBitQ1", Metric::kL2, false},
    {"RaBitQ4", Metric::kCosine, true},
    {"IVF4,RaBitQ2", Metric::kInnerProduct, false},
    {"IVF4,RaBitQ3fs", Metric::kL2, true},
    {"RaBitQ1fs16", Metric::kCosine, false},
    {"IVF2,RaBitQ1fs,Refine(Flat)", Metric::kL2, false},
};

bool Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "fuzz_seed_corpus: %s: %s\n", what.c_str(), std::string(status.message()).c_str());
  return false;
}

bool WriteBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Fail(path.string(), absl::InternalError("cannot write"));
  return true;
}

std::string SeedName(const IndexSeed& seed) {
  std::string name = std::string(seed.spec) + "-" + std::string(MetricName(seed.metric)) +
                     (seed.user_ids ? "-ids" : "");
  std::replace_if(name.begin(), name.end(), [](char c) { return c == ',' || c == '(' || c == ')'; }, '_');
  return name;
}

absl::StatusOr<std::string> BuildSerialized(const IndexSeed& seed, const std::vector<float>& train) {
  absl::StatusOr<std::unique_ptr<Index>> index = Index::Create(seed.spec, kDim, seed.metric);
  if (!index.ok()) return index.status();
  BuildOptions one_thread;
  one_thread.num_threads = 1;
  const MatrixView vectors(train, kDim);
  if (absl::Status s = (*index)->Train(vectors, one_thread); !s.ok()) return s;
  std::vector<int64_t> ids;
  if (seed.user_ids) {
    for (int i = 0; i < kStoredRows; ++i) ids.push_back(1000 + 7 * i);
  }
  if (absl::Status s = (*index)->Add(vectors.Slice(0, kStoredRows), ids, one_thread); !s.ok()) return s;
  if (seed.user_ids) {
    const std::vector<int64_t> removed = {ids[3]};
    if (absl::StatusOr<size_t> r = (*index)->Remove(removed); !r.ok()) return r.status();
  }
  return vqsearch::Serialize(*(*index));
}

// The index seeds for fuzz_deserialize(_sections) and the dictionary of their sections;
// the spec seeds (a dimension byte, a metric byte, the spec) for fuzz_spec.
bool WriteIndexSeeds(const std::filesystem::path& dir) {
  const std::vector<float> train = testing::GaussianVectors(kTrainRows, kDim, 1);
  std::set<std::string> words = {"VQSINDEX"};
  for (const IndexSeed& seed : kIndexSeeds) {
    const absl::StatusOr<std::string> bytes = BuildSerialized(seed, train);
    if (!bytes.ok()) return Fail(seed.spec, bytes.status());
    if (!WriteBytes(dir / "deserialize" / (SeedName(seed) + ".vqs"), *bytes)) return false;
    const auto sections =
        SplitSections(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    for (const FileSection& section : sections.value()) {
      words.insert(section.name);
      if (section.type == static_cast<uint32_t>(internal::SectionType::kString)) {
        words.insert(section.bytes);
      }
    }
    const std::string spec_input = std::string(1, static_cast<char>(kDim - 1)) +
                                   static_cast<char>(seed.metric) + seed.spec;
    if (!WriteBytes(dir / "spec" / (SeedName(seed) + ".txt"), spec_input)) return false;
  }
  std::string dictionary;
  for (const std::string& word : words) dictionary += "\"" + word + "\"\n";
  return WriteBytes(dir / "deserialize.dict", dictionary);
}

// Exact ground truth for `dataset`, the way ann-benchmarks stores it.
bool AddGroundTruth(AnnDataset* dataset, int gt_k) {
  absl::StatusOr<Metric> metric = dataset->metric();
  if (!metric.ok()) return Fail("metric", metric.status());
  absl::StatusOr<std::unique_ptr<Index>> flat = Index::Create("Flat", dataset->dim, *metric);
  if (!flat.ok()) return Fail("Flat", flat.status());
  if (absl::Status s = (*flat)->Add(dataset->train_view()); !s.ok()) return Fail("add", s);
  SearchResults results;
  if (absl::Status s = (*flat)->Search(dataset->test_view(), gt_k, {}, &results); !s.ok()) {
    return Fail("search", s);
  }
  dataset->gt_k = gt_k;
  for (int64_t q = 0; q < dataset->num_test(); ++q) {
    for (int i = 0; i < gt_k; ++i) {
      const int32_t neighbor = static_cast<int32_t>(results.ids_row(q)[i]);
      dataset->neighbors.push_back(neighbor);
      const absl::StatusOr<double> distance =
          AnnDistance(dataset->distance, dataset->test_view().row(q),
                      dataset->train_view().row(neighbor), dataset->dim);
      if (!distance.ok()) return Fail("distance", distance.status());
      dataset->distances.push_back(static_cast<float>(*distance));
    }
  }
  return true;
}

AnnDataset Dataset(const char* distance, int dim, std::vector<float> train, std::vector<float> test) {
  AnnDataset dataset;
  dataset.distance = distance;
  dataset.dim = dim;
  dataset.train = std::move(train);
  dataset.test = std::move(test);
  return dataset;
}

bool WriteHdf5Seeds(const std::filesystem::path& dir) {
  using testing::GaussianVectors;
  AnnDataset euclidean =
      Dataset("euclidean", kDim, GaussianVectors(20, kDim, 2), GaussianVectors(3, kDim, 3));
  AnnDataset angular = Dataset("angular", 3, GaussianVectors(12, 3, 4), GaussianVectors(2, 3, 5));
  AnnDataset single = Dataset("euclidean", 1, {0.5f}, {1.5f});
  if (!AddGroundTruth(&euclidean, 5) || !AddGroundTruth(&single, 1)) return false;
  for (const auto& [name, dataset] :
       {std::pair{"euclidean-gt.h5", &euclidean}, {"angular-no-gt.h5", &angular}, {"single-row.h5", &single}}) {
    if (absl::Status s = WriteAnnHdf5((dir / "ann_hdf5" / name).string(), *dataset); !s.ok()) {
      return Fail(name, s);
    }
  }
  return true;
}

bool WriteVecsSeeds(const std::filesystem::path& dir) {
  const std::vector<float> floats = testing::GaussianVectors(5, kDim, 6);
  const std::vector<float> bytes = {0, 1, 2, 127, 128, 255, 9, 8, 7, 3, 4, 5};
  const IntMatrix ints{5, {0, 1, 2, 3, 4, -1, 7, 1000000, 42, 5}};
  const std::filesystem::path vecs = dir / "vecs";
  absl::Status status = WriteFvecs((vecs / "five-rows.fvecs").string(), MatrixView(floats, kDim));
  if (status.ok()) status = WriteBvecs((vecs / "four-rows.bvecs").string(), MatrixView(bytes, 3));
  if (status.ok()) status = WriteIvecs((vecs / "two-rows.ivecs").string(), ints);
  if (!status.ok()) return Fail("vecs", status);
  return WriteBytes(vecs / "empty.fvecs", "");
}

}  // namespace
}  // namespace vqsearch::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_corpus <output directory>\n");
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  for (const char* target : {"deserialize", "spec", "ann_hdf5", "vecs"}) {
    std::filesystem::remove_all(dir / target);
    std::filesystem::create_directories(dir / target);
  }
  using namespace vqsearch::fuzz;
  return WriteIndexSeeds(dir) && WriteHdf5Seeds(dir) && WriteVecsSeeds(dir) ? 0 : 1;
}
