// The structs behind the C API's opaque handles (vqsearch/c_api.h). Each wraps the C++
// object it stands for, plus whatever the C side must keep alive for it.

#ifndef VQSEARCH_CAPI_HANDLES_H_
#define VQSEARCH_CAPI_HANDLES_H_

#include <memory>

#include "vqsearch/c_api.h"
#include "vqsearch/dataset.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"
#include "vqsearch/kmeans.h"
#include "vqsearch/build_options.h"
#include "vqsearch/search_params.h"
#include "vqsearch/tune.h"

struct vqs_index {
  std::unique_ptr<vqsearch::Index> index;
};

// params.filter points at `filter` when one is set.
struct vqs_search_params {
  vqsearch::SearchParams params;
  std::unique_ptr<vqsearch::IdFilter> filter;
};

// options.progress, when set, calls the C callback the caller registered.
struct vqs_build_options {
  vqsearch::BuildOptions options;
};

struct vqs_kmeans_options {
  vqsearch::KMeansOptions options;
};

struct vqs_kmeans_result {
  vqsearch::KMeansResult result;
};

struct vqs_tune_result {
  vqsearch::TuneResult result;
};

struct vqs_dataset {
  vqsearch::AnnDataset dataset;
};

#endif  // VQSEARCH_CAPI_HANDLES_H_
