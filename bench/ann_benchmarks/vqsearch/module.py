"""vqsearch as an ann-benchmarks algorithm (erikbern/ann-benchmarks conventions).

bench/ann_benchmarks/run.sh copies this folder to ann_benchmarks/algorithms/vqsearch/ of
an ann-benchmarks tree; config.yml beside it lists the specs and search grids.

Single-query mode (query) searches one vector on the calling thread; batch mode
(batch_query) hands the whole query matrix to one call on every CPU the process may
use, as the other libraries' batch modes do. Missing results (id -1) are dropped, since
ann-benchmarks counts a repeated id as an error.
"""

import numpy
import psutil

import vqsearch

from ..base.module import BaseANN

_METRICS = {"euclidean": "l2", "angular": "cosine"}


class VqSearch(BaseANN):
    def __init__(self, metric, spec):
        """spec: a vqsearch index spec; "{m8}" in it becomes dimension / 8 (PQ sub-spaces of 8)."""
        if metric not in _METRICS:
            raise ValueError(f"vqsearch supports {sorted(_METRICS)}, not {metric!r}")
        self._metric = _METRICS[metric]
        self._spec_template = spec
        self._spec = spec
        self._params = {}
        self._index = None
        self._results = None

    def fit(self, X):
        X = numpy.ascontiguousarray(X, dtype=numpy.float32)
        self._spec = self._spec_template.format(m8=X.shape[1] // 8)
        self._index = vqsearch.Index(self._spec, X.shape[1], self._metric)
        self._index.train(X)
        self._index.add(X)

    def set_query_arguments(self, nprobe=None, refine_factor=None):
        """Only the parameters this spec takes are passed (vqsearch refuses the others)."""
        taken = self._index.search_params()
        wanted = {"nprobe": nprobe, "refine_factor": refine_factor}
        self._params = {name: value for name, value in wanted.items()
                        if value is not None and name in taken}

    def query(self, v, n):
        return self._index.search(v, n, drop_missing=True, num_threads=1, **self._params)[1]

    def batch_query(self, X, n):
        self._results = self._index.search(X, n, drop_missing=True, **self._params)[1]

    def get_batch_results(self):
        return self._results

    def get_memory_usage(self):
        """Resident memory in kB, as every ann-benchmarks algorithm reports it (the runner
        takes the growth over fit); get_additional adds the index's own count."""
        return psutil.Process().memory_info().rss / 1024

    def get_additional(self):
        return {"vqsearch_memory_usage_kb": self._index.memory_usage / 1024}

    def __str__(self):
        params = ", ".join(f"{name}={value}" for name, value in sorted(self._params.items()))
        return f"vqsearch({self._spec}{', ' if params else ''}{params})"
