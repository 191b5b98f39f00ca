// File: vqsearch/vqsearch.h
//
// The whole C++ API in one include: indexes (created from spec strings, trained, filled,
// searched), their files, k-means, datasets and recall, tuning, threads and the active
// SIMD instruction set. The C API is vqsearch/c_api.h.

#ifndef VQSEARCH_VQSEARCH_H_
#define VQSEARCH_VQSEARCH_H_

#include "vqsearch/build_options.h"
#include "vqsearch/dataset.h"
#include "vqsearch/export.h"
#include "vqsearch/factory.h"
#include "vqsearch/id_filter.h"
#include "vqsearch/index.h"
#include "vqsearch/io.h"
#include "vqsearch/isa.h"
#include "vqsearch/kmeans.h"
#include "vqsearch/matrix_view.h"
#include "vqsearch/metric.h"
#include "vqsearch/progress.h"
#include "vqsearch/recall.h"
#include "vqsearch/reconstruct.h"
#include "vqsearch/search_params.h"
#include "vqsearch/threads.h"
#include "vqsearch/tune.h"

#endif  // VQSEARCH_VQSEARCH_H_
