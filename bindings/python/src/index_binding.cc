// vqsearch.Index: the constructor, load and deserialize, and the methods that build,
// search, persist and describe an index (PyIndex, py_index.h, holds the C++ Index).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "progress.h"
#include "py_index.h"
#include "tune_binding.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"
#include "vqsearch/search_params.h"
#include "vqsearch/io.h"

namespace py = pybind11;

namespace vqsearch::python {
namespace {

std::unique_ptr<PyIndex> Create(const std::string& spec, int dim, const std::string& metric) {
  const Metric parsed = ValueOrThrow(ParseMetric(metric));
  return std::make_unique<PyIndex>(ValueOrThrow(Index::Create(spec, dim, parsed)));
}

std::unique_ptr<PyIndex> Load(const py::handle& path, bool mmap) {
  const std::string file = ToPath(path);
  LoadOptions options;
  options.mmap = mmap;
  absl::StatusOr<std::unique_ptr<Index>> index;
  {
    py::gil_scoped_release release;
    index = vqsearch::Load(file, options);
  }
  return std::make_unique<PyIndex>(ValueOrThrow(std::move(index)));
}

std::unique_ptr<PyIndex> Deserialize(const py::bytes& bytes) {
  char* buffer = nullptr;
  py::ssize_t length = 0;
  if (PyBytes_AsStringAndSize(bytes.ptr(), &buffer, &length) != 0) throw py::error_already_set();
  const std::string_view data(buffer, static_cast<size_t>(length));
  absl::StatusOr<std::unique_ptr<Index>> index;
  {
    py::gil_scoped_release release;
    index = vqsearch::Deserialize(data);
  }
  return std::make_unique<PyIndex>(ValueOrThrow(std::move(index)));
}

py::bytes Serialize(const PyIndex& self) {
  const std::string bytes =
      ValueOrThrow(self.Read([](const Index& index) { return vqsearch::Serialize(index); }));
  return py::bytes(bytes);
}

void Train(PyIndex& self, const py::handle& x, int num_threads, py::object progress,
           bool verbose) {
  const InputMatrix vectors = ToMatrix(x, "x");
  ProgressBridge bridge(num_threads, std::move(progress), verbose);
  bridge.Finish(self.Write([&](Index& index) { return index.Train(vectors.view, bridge.options()); }));
}

void Add(PyIndex& self, const py::handle& x, const py::handle& ids, int num_threads,
         py::object progress, bool verbose) {
  const InputMatrix vectors = ToMatrix(x, "x");
  py::array_t<int64_t, py::array::c_style> id_array;
  absl::Span<const int64_t> id_span;
  if (!ids.is_none()) {
    id_array = ToIntegers<int64_t>(ids, "ids", 1);
    id_span = absl::Span<const int64_t>(id_array.data(), static_cast<size_t>(id_array.size()));
  }
  ProgressBridge bridge(num_threads, std::move(progress), verbose);
  bridge.Finish(self.Write(
      [&](Index& index) { return index.Add(vectors.view, id_span, bridge.options()); }));
}

// The id filter a search keyword asks for: `ids` (1-D integers, any of which may be
// returned) or `id_range` (begin, end: ids in [begin, end)).
std::unique_ptr<IdFilter> ToIdFilter(const std::string& name, const py::handle& value) {
  const auto ids = ToIntegers<int64_t>(value, name.c_str(), 1);
  if (name == "ids") {
    return std::make_unique<IdSetFilter>(
        absl::Span<const int64_t>(ids.data(), static_cast<size_t>(ids.size())));
  }
  if (ids.size() != 2 || ids.data()[0] > ids.data()[1]) {
    throw py::value_error("id_range must be (begin, end) with begin <= end");
  }
  return std::make_unique<IdRangeFilter>(ids.data()[0], ids.data()[1]);
}

// The rows of `results` without their padding (SearchResults::row_size): a list of
// distance arrays and a list of id arrays, or the one row's arrays for a single vector.
py::tuple Unpadded(const SearchResults& results, bool single_vector) {
  py::list distances, ids;
  for (int64_t q = 0; q < results.num_queries; ++q) {
    const int n = results.row_size(q);
    py::array_t<float> row_distances(n);
    py::array_t<int64_t> row_ids(n);
    std::copy_n(results.distances_row(q), n, row_distances.mutable_data());
    std::copy_n(results.ids_row(q), n, row_ids.mutable_data());
    distances.append(std::move(row_distances));
    ids.append(std::move(row_ids));
  }
  if (single_vector) return py::make_tuple(distances[0], ids[0]);
  return py::make_tuple(std::move(distances), std::move(ids));
}

py::tuple Search(const PyIndex& self, const py::handle& queries, int k, bool drop_missing,
                 const py::kwargs& params) {
  SearchParams search_params;
  std::unique_ptr<IdFilter> filter;
  for (const auto& [key, value] : params) {
    const std::string name = py::cast<std::string>(key);
    if (name == "ids" || name == "id_range") {
      if (filter != nullptr) throw py::value_error("pass either ids or id_range, not both");
      filter = ToIdFilter(name, value);
      search_params.filter = filter.get();
      continue;
    }
    ThrowIfError(SetSearchParam(name, ToInt(value, name), &search_params));
  }
  bool single_vector = false;
  const InputMatrix q = ToQueries(queries, &single_vector);
  SearchResults results;
  ThrowIfError(self.Read(
      [&](const Index& index) { return index.Search(q.view, k, search_params, &results); }));
  if (drop_missing) return Unpadded(results, single_vector);
  std::vector<py::ssize_t> shape = {results.num_queries, k};
  if (single_vector) shape = {k};
  return py::make_tuple(Adopt(std::move(results.distances), shape),
                        Adopt(std::move(results.ids), shape));
}

// {name: {"default", "min", "max" (None: unbounded), "description"}} of what the index takes.
py::dict SearchParamsOf(const PyIndex& self) {
  const std::vector<SearchParamInfo> taken =
      self.Read([](const Index& index) { return index.search_params(); });
  py::dict out;
  for (const SearchParamInfo& param : taken) {
    py::dict info;
    info["default"] = param.default_value;
    info["min"] = param.min_value;
    info["max"] = param.max_value == INT_MAX ? py::none() : py::object(py::int_(param.max_value));
    info["description"] = std::string(param.description);
    out[py::str(std::string(param.name))] = std::move(info);
  }
  return out;
}

py::dict Tune(const PyIndex& self, const py::handle& queries, int k, double target_recall,
             const py::handle& database, const py::handle& ground_truth,
             const py::handle& database_ids, int num_threads, int runs, int max_refine_factor) {
  const TuneArguments arguments = ToTuneArguments(queries, database, ground_truth, database_ids,
                                                  num_threads, runs, max_refine_factor);
  return TuneResultToDict(ValueOrThrow(self.Read([&](const Index& index) {
    return vqsearch::Tune(index, arguments.queries.view, k, target_recall, arguments.options);
  })));
}

size_t Remove(PyIndex& self, const py::handle& ids) {
  const auto id_array = ToIntegers<int64_t>(ids, "ids", 1);
  const absl::Span<const int64_t> span(id_array.data(), static_cast<size_t>(id_array.size()));
  return ValueOrThrow(self.Write([&](Index& index) { return index.Remove(span); }));
}

void Save(const PyIndex& self, const py::handle& path) {
  const std::string file = ToPath(path);
  ThrowIfError(self.Read([&](const Index& index) { return vqsearch::Save(index, file); }));
}

std::string Repr(const PyIndex& self) {
  return self.Read([](const Index& index) {
    return absl::StrCat("vqsearch.Index(\"", index.spec(), "\", dim=", index.dim(), ", metric=\"",
                        std::string(MetricName(index.metric())), "\", ntotal=", index.size(), ")");
  });
}

}  // namespace

void RegisterIndex(py::module_& m) {
  py::class_<PyIndex>(m, "Index", R"doc(
A vector index built from a FAISS-style spec string.

Index(spec, dim, metric="l2")

spec: "Flat", "IVF<nlist>,Flat", "IVF<nlist>,PQ<m>", any of these followed by
",Refine(Flat)", ... (see the README). dim: the vectors' dimension. metric: "l2"
(squared euclidean distances, ascending), "ip" (inner product, descending) or "cosine"
(cosine similarity, descending); the ann-benchmarks names "euclidean", "dot" and
"angular" are accepted too.

Vector arguments are 2-D arrays of shape (n, dim). A float32 C-contiguous array is used
in place without a copy; any other array of real numbers (float64, integers, Fortran
order, strided views, lists) is copied to float32 first; bool, complex and object arrays
raise ValueError.

Errors: ValueError for bad arguments (wrong shape or dtype, NaN/Inf, k <= 0, an unknown
spec or search parameter), OSError for missing or damaged files, RuntimeError for a call
in the wrong state (search or add before train, train after add).

Thread safety: searches from many threads run in parallel (the GIL is released);
train, add and remove wait for running searches and run alone. Indexes pickle.
)doc")
      .def(py::init(&Create), py::arg("spec"), py::arg("dim"), py::arg("metric") = "l2")
      .def("train", &Train, py::arg("x"), py::kw_only(), py::arg("num_threads") = 0,
           py::arg("progress") = py::none(), py::arg("verbose") = false, R"doc(
Learns the index's centroids and codebooks from representative vectors x (n, dim).

IVF indexes need it before add (at least nlist vectors); Flat does not. It is an error
once vectors were added. num_threads: 0 = the default (vqsearch.set_num_threads), 1 = the
calling thread only.
progress: None or a callable taking a vqsearch.Progress, called after each k-means
iteration; returning False (or raising) cancels training and leaves the index untrained.
verbose: print progress to sys.stderr.
)doc")
      .def("add", &Add, py::arg("x"), py::arg("ids") = py::none(), py::kw_only(),
           py::arg("num_threads") = 0, py::arg("progress") = py::none(),
           py::arg("verbose") = false, R"doc(
Appends the vectors x (n, dim).

ids: None (ids 0, 1, ... in order of addition) or n integers >= 0 (any integer dtype,
converted to int64) that search returns. An index is given ids on every add or on none.
On error nothing was added. num_threads, progress and verbose as for train (progress is
reported in vectors added).
)doc")
      .def("search", &Search, py::arg("queries"), py::arg("k"), py::kw_only(),
           py::arg("drop_missing") = false, R"doc(
Finds the k nearest stored vectors of each query: queries (nq, dim), or one vector (dim,).

Returns (distances, ids): float32 and int64 arrays of shape (nq, k), closest first, or
of shape (k,) for one vector. Padding: a query with fewer than k results (fewer vectors
stored, in its probed lists or passing its id filter) has its real results first, then
id -1 and distance +inf (l2) or -inf (ip, cosine). drop_missing=True drops the padding
instead: it returns (list of distance arrays, list of id arrays), one array per query
of its real results only (one pair of arrays for one vector).

Keyword parameters (the names the C++ and C APIs use; index.search_params() lists what
this index takes, with defaults and ranges): nprobe (IVF lists scanned per query,
default 16), refine_factor (Refine: refine_factor x k candidates re-ranked; 0 = the
index's default), num_threads (0 = the default of vqsearch.set_num_threads, which is
every CPU the process may use unless set). An unknown name, a parameter this index does
not take (refine_factor on "IVF256,Flat", nprobe on "Flat") or a value out of range
raises ValueError.

Id filters (at most one): ids=array (1-D integers) searches only the stored vectors
with those ids; id_range=(begin, end) only those with begin <= id < end. Every row then
holds the k nearest such vectors, padded as above when fewer are reachable.
)doc")
      .def("search_params", &SearchParamsOf,
           "The search parameters this index takes: {name: {\"default\", \"min\", \"max\" "
           "(None: unbounded), \"description\"}}.")
      .def("tune", &Tune, py::arg("queries"), py::kw_only(), py::arg("k") = 10,
           py::arg("target_recall") = 0.95, py::arg("database") = py::none(),
           py::arg("ground_truth") = py::none(), py::arg("database_ids") = py::none(),
           py::arg("num_threads") = 1, py::arg("runs") = 3, py::arg("max_refine_factor") = 64,
           R"doc(The cheapest search parameters reaching recall@k >= target_recall on queries.

queries are real queries or held-out training vectors (not added). The exact neighbours
come from ground_truth (nq x >= k ids, closest first) or from a Flat index over database
(every vector the index holds, with database_ids when they were added with ids). Returns
{"params": {name: value}, "recall", "qps", "target_reached", "pareto", "explored"}: the
fastest point reaching the target (else the highest recall), then the Pareto set and every
point measured, each a {"params", "recall", "qps"} dict. Pass result["params"] to search
as keywords. ValueError for a target outside (0, 1], k < 1, missing or doubled neighbour
sources; RuntimeError for an untrained or empty index.)doc")
      .def("remove", &Remove, py::arg("ids"),
           "Removes the stored vectors whose id is in ids (1-D integers); returns how many "
           "were removed. Unknown ids are ignored.")
      .def("save", &Save, py::arg("path"),
           "Writes the index to path (str or os.PathLike) atomically; vqsearch.load reads it.")
      .def("serialize", &Serialize,
           "The bytes save would write; vqsearch.deserialize reads them.")
      .def_property_readonly(
          "ntotal", [](const PyIndex& self) { return self.Read([](const Index& i) { return i.size(); }); },
          "Number of stored vectors.")
      .def_property_readonly(
          "dim", [](const PyIndex& self) { return self.Read([](const Index& i) { return i.dim(); }); },
          "Dimension of the vectors.")
      .def_property_readonly(
          "spec", [](const PyIndex& self) { return self.Read([](const Index& i) { return i.spec(); }); },
          "The canonical spec string.")
      .def_property_readonly(
          "metric",
          [](const PyIndex& self) {
            return self.Read([](const Index& i) { return std::string(MetricName(i.metric())); });
          },
          "\"l2\", \"ip\" or \"cosine\".")
      .def_property_readonly(
          "is_trained",
          [](const PyIndex& self) { return self.Read([](const Index& i) { return i.is_trained(); }); },
          "False until train has run, for indexes that need training.")
      .def_property_readonly(
          "memory_usage",
          [](const PyIndex& self) {
            return self.Read([](const Index& i) { return i.MemoryUsageBytes(); });
          },
          "Bytes taken by the stored vectors and their ids.")
      .def("__len__", [](const PyIndex& self) { return self.Read([](const Index& i) { return i.size(); }); })
      .def("__repr__", &Repr)
      .def(py::pickle([](const PyIndex& self) { return py::make_tuple(Serialize(self)); },
                      [](const py::tuple& state) {
                        if (state.size() != 1) throw py::value_error("invalid vqsearch.Index state");
                        return Deserialize(state[0].cast<py::bytes>());
                      }));

  m.def("load", &Load, py::arg("path"), py::arg("mmap") = false,
        "Reads an index written by Index.save. A missing file raises FileNotFoundError; a "
        "damaged one OSError. mmap=True maps the file instead of reading it: searches read "
        "the stored codes and vectors from the mapping (checksums are still verified at "
        "load; add and remove copy the lists they change; do not rewrite the file in place "
        "while the index lives).");
  m.def("deserialize", &Deserialize, py::arg("data"),
        "Reads an index from the bytes Index.serialize returned. Damaged bytes raise OSError.");
}

}  // namespace vqsearch::python
