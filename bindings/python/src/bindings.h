// The parts of the _vqsearch extension module; module.cc calls each to add its names.

#ifndef VQSEARCH_BINDINGS_PYTHON_BINDINGS_H_
#define VQSEARCH_BINDINGS_PYTHON_BINDINGS_H_

#include <pybind11/pybind11.h>

namespace vqsearch::python {

void RegisterConversions(pybind11::module_& m);  // the input-copy counter
void RegisterProgress(pybind11::module_& m);     // the Progress record callbacks receive
void RegisterIndex(pybind11::module_& m);        // Index, load, deserialize
void RegisterStoredVectors(pybind11::module_& m);  // Index.reconstruct, Index.stored_ids
void RegisterKMeans(pybind11::module_& m);       // kmeans, assign
void RegisterDatasets(pybind11::module_& m);     // AnnDataset, recall, vecs files
void RegisterThreads(pybind11::module_& m);      // set_num_threads, get_num_threads

}  // namespace vqsearch::python

#endif  // VQSEARCH_BINDINGS_PYTHON_BINDINGS_H_
