// File: vqsearch/index.h
//
// Index is the one interface every vqsearch index implements: exact (Flat) and, as they
// land, inverted-file and quantized indexes. An index is created from a spec string in
// the FAISS factory style ("Flat", "IVF1024,Flat", ...; see vqsearch/factory.h), trained
// when its spec needs it, filled with Add, queried with Search and written with Save
// (vqsearch/io.h).
//
// Thread safety: Search, Add and Remove may run at the same time from any number of
// threads on one index; Save, Serialize and Reconstruct count as searches. The discipline
// is two locks per index. Writers (Train, Add, Remove) take turns on a writer mutex,
// which searches never touch, and change the stored state only inside a reader-writer
// lock (std::shared_mutex) that searches hold shared: a search sees every vector an Add
// stored fully or not at all, and a removed vector still everywhere or nowhere. An Add
// encodes (coarse assignment, codes) outside that lock and holds it only to append a
// chunk of finished codes to the lists, so searches wait for a memory copy, not for the
// encoding (bench/RESULTS.md, "Adds while searching"); Train and Remove hold it for
// their whole call. Wrappers (Refine, OPQ) are the exception: their searches read the
// base's size under the wrapper's lock, so the wrapper holds it while the base adds,
// encoding included (a Refine encodes its own SQ codes before). A cancelled IVF Add withdraws the chunks it had published. A writer
// waiting for the lock stops new searches from taking it (a turnstile in front of it),
// so a stream of overlapping searches cannot starve it. Wrappers (Refine, PreTransform)
// lock themselves, then their base, in that order. The locks cost a search two
// uncontended lock operations per call, not per query. size(), is_trained(),
// MemoryUsageBytes() and ForEachId() do not lock: call them while no writer runs.
//
// Errors: every fallible call returns absl::Status or absl::StatusOr naming the problem
// (wrong dimension, NaN or Inf in the input, k <= 0, an unknown spec, a malformed file).
// No exception leaves the library.

#ifndef VQSEARCH_INDEX_H_
#define VQSEARCH_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "vqsearch/build_options.h"
#include "vqsearch/export.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/search_params.h"

namespace vqsearch {

namespace internal {
class IndexFileWriter;
class IndexFileReader;
class IdMap;
class IndexIo;
class ReconstructAccess;
}  // namespace internal

class VQS_EXPORT Index {
 public:
  virtual ~Index() = default;
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Creates an empty index of dimension `dim` from a factory spec string.
  static absl::StatusOr<std::unique_ptr<Index>> Create(std::string_view spec, int dim,
                                                       Metric metric);

  int dim() const { return dim_; }
  Metric metric() const { return metric_; }
  // The canonical spec string this index was created from.
  const std::string& spec() const { return spec_; }

  // Number of vectors stored.
  virtual int64_t size() const = 0;
  // False until Train has run, for indexes that need training; Flat is always trained.
  virtual bool is_trained() const = 0;
  // Bytes of memory the stored vectors and their ids take, divided by size() gives the
  // bytes-per-vector figure the benchmarks report.
  virtual size_t MemoryUsageBytes() const = 0;

  // Learns the index's parameters (centroids, codebooks) from representative vectors.
  // Training again replaces what was learnt; it is an error once vectors were added.
  absl::Status Train(MatrixView vectors, const BuildOptions& options = {});

  // Appends vectors. With `ids` empty, ids are sequential (0, 1, ... never reused after
  // a removal); otherwise ids.size() must equal vectors.rows, ids must be >= 0, and they
  // are what Search returns. An index either always or never receives ids. User ids are
  // unique: an id given twice in one call or already stored is an InvalidArgument
  // naming it; an id is free again once removed. Ids above every id ever stored (the
  // usual growing ids) are new without a look; otherwise the check reads every stored
  // id, O(size()). On error, nothing was added.
  absl::Status Add(MatrixView vectors, absl::Span<const int64_t> ids = {},
                   const BuildOptions& options = {});

  // The search parameters this index takes, with their defaults and ranges (every index
  // takes num_threads and an id filter). Search refuses a parameter the caller assigned
  // that is not among them, or a value outside its range, as InvalidArgument.
  virtual std::vector<SearchParamInfo> search_params() const;

  // Finds the k nearest stored vectors of each query (see SearchResults for the layout
  // and the padding rule).
  absl::Status Search(MatrixView queries, int k, const SearchParams& params,
                      SearchResults* results) const;

  // Removes every stored vector whose id is in `ids`; returns how many were removed.
  absl::StatusOr<size_t> Remove(absl::Span<const int64_t> ids);

  // Calls `visit` with the id of every stored vector (the ids Search returns), in no
  // particular order.
  virtual void ForEachId(absl::FunctionRef<void(int64_t)> visit) const = 0;

 protected:
  Index(std::string spec, int dim, Metric metric)
      : spec_(std::move(spec)), dim_(dim), metric_(metric) {}

  // Train and Add after the shared checks (dimension, finite values, zero vectors
  // under cosine, trained-ness for Add, the id rule) have passed. Both run under the
  // writer mutex; DoTrain under the state lock too, while DoAdd takes it itself
  // (StateLock) around every change searches could see, after encoding.
  virtual absl::Status DoTrain(MatrixView vectors, const BuildOptions& options) = 0;
  virtual absl::Status DoAdd(MatrixView vectors, absl::Span<const int64_t> ids,
                             const BuildOptions& options) = 0;
  // Remove, under the writer mutex and the state lock.
  virtual absl::StatusOr<size_t> DoRemove(absl::Span<const int64_t> ids) = 0;
  // Search after the shared checks (k, dimension, finite values, zero vectors under
  // cosine, a trained and non-empty index) have passed.
  virtual absl::Status DoSearch(MatrixView queries, int k, const SearchParams& params,
                               SearchResults* results) const = 0;
  // Excludes searches (and Save) while held: DoAdd's changes to the stored state.
  std::unique_lock<std::shared_mutex> StateLock() const { return WriterLock(); }
  // The index's ids (Add checks new ids against its rule).
  virtual const internal::IdMap& id_map() const = 0;

  // Adds the index's own sections; the spec, dimension and metric are written by Save.
  virtual absl::Status WriteState(internal::IndexFileWriter* writer) const = 0;
  // Restores what WriteState wrote into a freshly created index of the same spec.
  virtual absl::Status ReadState(const internal::IndexFileReader& reader) = 0;

 private:
  // Save, Load and the rest of vqsearch/io.h write the common sections and call
  // WriteState / ReadState (under ReaderLock when saving).
  friend class internal::IndexIo;
  friend class internal::ReconstructAccess;  // reads stored vectors under ReaderLock
  // The lock of the thread-safety rule above. A reader passes the gate, then holds
  // state_mutex_ shared; a writer holds the gate while it waits for and holds
  // state_mutex_, so readers arriving after it queue behind it.
  std::shared_lock<std::shared_mutex> ReaderLock() const;
  std::unique_lock<std::shared_mutex> WriterLock() const;

  std::string spec_;
  int dim_;
  Metric metric_;
  // No stored id exceeds this (-1: none stored); Add raises it, Remove leaves it.
  int64_t id_upper_bound_ = -1;
  mutable std::mutex writers_;  // one Train, Add or Remove at a time
  mutable std::mutex writer_gate_;
  mutable std::shared_mutex state_mutex_;
};

}  // namespace vqsearch

#endif  // VQSEARCH_INDEX_H_
