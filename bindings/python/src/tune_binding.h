// vqsearch.Index.tune: the Python arguments of vqsearch::Tune (vqsearch/tune.h) and its
// result as a dict. index_binding.cc runs the call under the index's read lock.

#ifndef VQSEARCH_BINDINGS_PYTHON_TUNE_BINDING_H_
#define VQSEARCH_BINDINGS_PYTHON_TUNE_BINDING_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>

#include "convert.h"
#include "vqsearch/tune.h"

namespace vqsearch::python {

// Keeps the arrays alive that `options` points into.
struct TuneArguments {
  InputMatrix queries;
  InputMatrix database;
  pybind11::array_t<int64_t, pybind11::array::c_style> ground_truth;
  pybind11::array_t<int64_t, pybind11::array::c_style> database_ids;
  TuneOptions options;
};

// Needs the GIL. `database`, `ground_truth` and `database_ids` may be None.
TuneArguments ToTuneArguments(const pybind11::handle& queries, const pybind11::handle& database,
                              const pybind11::handle& ground_truth,
                              const pybind11::handle& database_ids, int num_threads, int runs,
                              int max_refine_factor);

// {"params": {name: value}, "recall", "qps", "target_reached", "pareto": [...],
//  "explored": [...]}, each listed point a {"params", "recall", "qps"} dict.
pybind11::dict TuneResultToDict(const TuneResult& result);

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_TUNE_BINDING_H_
