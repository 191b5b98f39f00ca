// File: vqsearch/build_options.h
//
// The settings of one Train or Add call (and of k-means): how many threads it may use and
// whom it tells how far it got.

#ifndef VQSEARCH_BUILD_OPTIONS_H_
#define VQSEARCH_BUILD_OPTIONS_H_

#include "vqsearch/progress.h"

namespace vqsearch {

struct BuildOptions {
  // 0 = the process default (vqsearch/threads.h: every CPU the process may run on unless
  // set), 1 = the calling thread only.
  int num_threads = 0;
  ProgressCallback progress;  // empty = silent
};

}  // namespace vqsearch

#endif  // VQSEARCH_BUILD_OPTIONS_H_
