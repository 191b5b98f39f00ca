// vqsearch.set_num_threads / get_num_threads / available_cpus: the process-wide default
// thread count of vqsearch/threads.h.

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "errors.h"
#include "vqsearch/threads.h"

namespace py = pybind11;

namespace vqsearch::python {

void RegisterThreads(py::module_& m) {
  m.def(
      "set_num_threads", [](int n) { ThrowIfError(SetNumThreads(n)); }, py::arg("n"),
      "Sets the thread count of every later call given num_threads=0 (the default of search, "
      "train, add and kmeans); 0 restores the automatic count: VQSEARCH_NUM_THREADS when set, "
      "else every CPU the process may run on (affinity mask and cgroup CPU quota).");
  m.def("get_num_threads", &NumThreads, "The current default thread count (>= 1).");
  m.def("available_cpus", &AvailableCpuCount,
        "The CPUs this process may run on: its affinity mask, lowered to its cgroup's CPU quota.");
}

}  // namespace vqsearch::python
