// The compiled half of the vqsearch Python package. The pure-Python package
// (vqsearch/__init__.py) re-exports these names and adds small conveniences.

#include <pybind11/pybind11.h>

#include <string>

#include "bindings.h"
#include "vqsearch/isa.h"

PYBIND11_MODULE(_vqsearch, m) {
  m.doc() = "Compiled bindings of vqsearch; import the vqsearch package instead.";
  m.attr("__version__") = VQSEARCH_VERSION;
  vqsearch::python::RegisterConversions(m);
  vqsearch::python::RegisterProgress(m);
  vqsearch::python::RegisterIndex(m);
  vqsearch::python::RegisterStoredVectors(m);
  vqsearch::python::RegisterKMeans(m);
  vqsearch::python::RegisterDatasets(m);
  vqsearch::python::RegisterThreads(m);
  m.def(
      "active_isa", [] { return std::string(vqsearch::IsaName(vqsearch::ActiveIsa())); },
      "The SIMD instruction set the kernels run with: 'scalar', 'avx2' or 'avx512'. Chosen\n"
      "once per process from the CPU, capped by the environment variable VQSEARCH_ISA.");
}
